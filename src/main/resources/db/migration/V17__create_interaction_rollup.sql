-- Rollups of the interactions: one row per UTC hour of creation, connection, source, model, status and
-- deletion mark, holding the sums /api/v1/interactions/stats reports, so a dashboard's question reads a few
-- rows per hour instead of every interaction.
--
-- Statement-level AFTER triggers keep them exact at every commit, whoever writes the table: the writer's
-- upsert (a rewritten row leaves its old bucket and joins its new one), deletion marks and restores,
-- retention's DELETE, renormalization, a hand-written UPDATE. Each statement's transition tables are folded
-- into one delta per rollup row, in the statement's own transaction, upserted in key order (two writers
-- never wait on each other's rows in opposite orders); a row whose count reaches 0 is removed.
-- interaction_rollup_rebuild() recomputes them from the interactions.
--
-- Output tokens are kept as a fixed histogram for the percentiles, columns h0..h145, whose bins
-- interaction_token_bin() defines: h0 holds negative counts, h1..h16 the exact values 0..15, then eight bins
-- per power of two from 16 to 1 048 575 (a bin is at most 1/8 of its lower bound wide, so its midpoint is
-- within 1/16 of any value in it), h145 1 048 576 and more.
CREATE TABLE interaction_rollup (
    hour           timestamptz NOT NULL,
    connection     text        NOT NULL,
    source         text        NOT NULL,
    model          text,
    status         text        NOT NULL,
    deleted        boolean     NOT NULL,
    count          bigint      NOT NULL,
    -- rows carrying an input (output) token count, and the sum of those counts
    input_count    bigint      NOT NULL,
    input_tokens   bigint      NOT NULL,
    output_count   bigint      NOT NULL,
    output_tokens  bigint      NOT NULL,
    rated_count    bigint      NOT NULL,
    -- the exact sum of the ratings as decimals: added and subtracted without rounding drift
    rating_sum     numeric     NOT NULL,
    feedback_count bigint      NOT NULL,
    CONSTRAINT interaction_rollup_key UNIQUE NULLS NOT DISTINCT (hour, connection, source, model, status, deleted)
) WITH (fillfactor = 50);
-- (half-full pages: a rollup row is rewritten by every page of its hour, and with room on its page the new
-- version stays there, a HOT update without new index entries, and the old one is pruned in place)

-- How often each connection's rollups changed: bumped by every statement that changes them, in its
-- transaction, so an answer computed at one version is still exact while the sum over all connections has
-- not moved (one row per connection: writers of different connections never wait on each other here).
CREATE TABLE interaction_rollup_version (
    connection text   PRIMARY KEY,
    version    bigint NOT NULL
);

DO $migration$
DECLARE
    bins constant integer := 146;
    thresholds bigint[];
    key constant text := 'hour, connection, source, model, status, deleted';
    sums constant text[] := ARRAY['count', 'input_count', 'input_tokens', 'output_count', 'output_tokens',
        'rated_count', 'rating_sum', 'feedback_count'];
    h_names text;
    h_pivot text;
    columns text;
    additions text;
    -- the interactions of relation %1$s as signed rows (sign %2$s) of the rollup's key, bin and values
    signed constant text := 'SELECT %2$s AS sign, date_trunc(''hour'', created_at, ''UTC'') AS hour, connection, '
        || 'source, model, status, deleted_at IS NOT NULL AS deleted, input_tokens, output_tokens, '
        || 'CAST(rating_normalized AS numeric) AS rating, feedback IS NOT NULL AS has_feedback, '
        || 'interaction_token_bin(output_tokens) AS bin FROM %1$s';
    -- what decides a row's contribution: an update that changes none of it changes no rollup
    contribution constant text := '(%1$s.connection, %1$s.source, %1$s.model, %1$s.status, %1$s.deleted_at IS NULL, '
        || '%1$s.created_at, %1$s.input_tokens, %1$s.output_tokens, %1$s.rating_normalized, %1$s.feedback IS NULL)';
    delta text;
    apply text;
BEGIN
    thresholds := ARRAY(SELECT generate_series(0, 15)::bigint)
        || ARRAY(SELECT (1::bigint << m) + s * (1::bigint << (m - 3))
                 FROM generate_series(4, 19) AS m, generate_series(0, 7) AS s ORDER BY m, s)
        || ARRAY[1::bigint << 20];
    ASSERT cardinality(thresholds) = bins - 1;
    EXECUTE format('CREATE FUNCTION interaction_token_bin(tokens bigint) RETURNS integer '
        || 'LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L', format('SELECT width_bucket(tokens, %L::bigint[])', thresholds));
    EXECUTE 'COMMENT ON FUNCTION interaction_token_bin(bigint) IS '
        || quote_literal('The output-token histogram bin of interaction_rollup (h0..h145); mirrored by '
        || 'io.tributary.interaction.TokenHistogram');

    SELECT string_agg(format('h%s', b), ', ' ORDER BY b),
           string_agg(format('CAST(COALESCE(sum(n) FILTER (WHERE bin = %s), 0) AS integer) AS h%s', b, b), ', ' ORDER BY b),
           string_agg(format('h%s = r.h%s + excluded.h%s', b, b, b), ', ' ORDER BY b)
      INTO h_names, h_pivot, additions
      FROM generate_series(0, bins - 1) AS b;
    EXECUTE 'ALTER TABLE interaction_rollup '
        || (SELECT string_agg(format('ADD COLUMN h%s integer NOT NULL', b), ', ' ORDER BY b)
            FROM generate_series(0, bins - 1) AS b);
    columns := key || ', ' || array_to_string(sums, ', ') || ', ' || h_names;
    additions := (SELECT string_agg(format('%s = r.%s + excluded.%s', s, s, s), ', ') FROM unnest(sums) AS s)
        || ', ' || additions;

    -- the delta of signed rows %s: per key and bin first (few rows), then one row per key
    delta := 'WITH d AS (%s), b AS (SELECT ' || key || ', bin, sum(sign) AS n, '
        || 'sum(sign) FILTER (WHERE input_tokens IS NOT NULL) AS input_count, sum(sign * input_tokens) AS input_tokens, '
        || 'sum(sign) FILTER (WHERE output_tokens IS NOT NULL) AS output_count, '
        || 'sum(sign * output_tokens) AS output_tokens, sum(sign) FILTER (WHERE rating IS NOT NULL) AS rated_count, '
        || 'sum(sign * rating) AS rating_sum, sum(sign) FILTER (WHERE has_feedback) AS feedback_count '
        || 'FROM d GROUP BY ' || key || ', bin) '
        || 'SELECT ' || key || ', CAST(sum(n) AS bigint) AS count, '
        || 'CAST(COALESCE(sum(input_count), 0) AS bigint) AS input_count, '
        || 'CAST(COALESCE(sum(input_tokens), 0) AS bigint) AS input_tokens, '
        || 'CAST(COALESCE(sum(output_count), 0) AS bigint) AS output_count, '
        || 'CAST(COALESCE(sum(output_tokens), 0) AS bigint) AS output_tokens, '
        || 'CAST(COALESCE(sum(rated_count), 0) AS bigint) AS rated_count, '
        || 'COALESCE(sum(rating_sum), 0) AS rating_sum, '
        || 'CAST(COALESCE(sum(feedback_count), 0) AS bigint) AS feedback_count, ' || h_pivot
        || ' FROM b GROUP BY ' || key;

    -- a trigger's body: upsert the delta of signed rows %s, then remove the rows it brought to 0
    apply := 'DECLARE z_hour timestamptz[]; z_connection text[]; z_source text[]; z_model text[]; '
        || 'z_status text[]; z_deleted boolean[]; '
        || 'BEGIN '
        || 'WITH up AS (INSERT INTO interaction_rollup AS r (' || columns || ') '
        || 'SELECT * FROM (' || delta || ') AS x ORDER BY ' || key || ' '
        || 'ON CONFLICT ON CONSTRAINT interaction_rollup_key DO UPDATE SET ' || additions || ' '
        || 'RETURNING ' || key || ', count), '
        || 'bumped AS (INSERT INTO interaction_rollup_version AS v (connection, version) '
        || 'SELECT DISTINCT connection, 1 FROM up ORDER BY 1 '
        || 'ON CONFLICT (connection) DO UPDATE SET version = v.version + 1) '
        || 'SELECT array_agg(hour), array_agg(connection), array_agg(source), array_agg(model), array_agg(status), '
        || 'array_agg(deleted) INTO z_hour, z_connection, z_source, z_model, z_status, z_deleted '
        || 'FROM up WHERE count = 0; '
        || 'IF z_hour IS NOT NULL THEN '
        || 'DELETE FROM interaction_rollup AS r USING unnest(z_hour, z_connection, z_source, z_model, z_status, '
        || 'z_deleted) AS z(' || key || ') WHERE r.hour = z.hour AND r.connection = z.connection '
        || 'AND r.source = z.source AND r.model IS NOT DISTINCT FROM z.model AND r.status = z.status '
        || 'AND r.deleted = z.deleted AND r.count = 0; '
        || 'END IF; '
        || 'RETURN NULL; '
        || 'END';

    EXECUTE format('CREATE FUNCTION interaction_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS %L',
        format(apply, format(signed, 'n', 1)));
    EXECUTE format('CREATE FUNCTION interaction_rollup_delete() RETURNS trigger LANGUAGE plpgsql AS %L',
        format(apply, format(signed, 'o', -1)));
    -- an update moves only the rows whose contribution changed (a re-synced row rewritten with the same
    -- figures costs the join, nothing more); a row whose id changed counts as one gone and one new
    EXECUTE format('CREATE FUNCTION interaction_rollup_update() RETURNS trigger LANGUAGE plpgsql AS %L',
        format(apply, format(signed, 'o', -1) || ' WHERE NOT EXISTS (SELECT FROM n WHERE n.id = o.id AND '
            || format(contribution, 'n') || ' IS NOT DISTINCT FROM ' || format(contribution, 'o') || ') '
            || 'UNION ALL ' || format(signed, 'n', 1) || ' WHERE NOT EXISTS (SELECT FROM o WHERE o.id = n.id AND '
            || format(contribution, 'o') || ' IS NOT DISTINCT FROM ' || format(contribution, 'n') || ')'));

    -- the rebuild: every rollup (or those of the given connections) from the interactions, with writers of
    -- the interactions held off until the caller's transaction ends; returns the rollup rows written
    EXECUTE format('CREATE FUNCTION interaction_rollup_rebuild(only_connections text[] DEFAULT NULL) RETURNS bigint '
        || 'LANGUAGE plpgsql AS %L',
        'DECLARE written bigint; '
        || 'BEGIN '
        || 'LOCK TABLE interaction IN SHARE MODE; '
        || 'DELETE FROM interaction_rollup WHERE only_connections IS NULL OR connection = ANY (only_connections); '
        || 'INSERT INTO interaction_rollup (' || columns || ') SELECT * FROM ('
        || format(delta, format(signed, 'interaction', 1)
            || ' WHERE only_connections IS NULL OR connection = ANY (only_connections)')
        || ') AS x ORDER BY ' || key || '; '
        || 'GET DIAGNOSTICS written = ROW_COUNT; '
        || 'INSERT INTO interaction_rollup_version AS v (connection, version) '
        || 'SELECT DISTINCT connection, 1 FROM interaction_rollup '
        || 'WHERE only_connections IS NULL OR connection = ANY (only_connections) ORDER BY 1 '
        || 'ON CONFLICT (connection) DO UPDATE SET version = v.version + 1; '
        || 'UPDATE interaction_rollup_version SET version = version + 1 '
        || 'WHERE (only_connections IS NULL OR connection = ANY (only_connections)) '
        || 'AND connection NOT IN (SELECT connection FROM interaction_rollup); '
        || 'RETURN written; '
        || 'END');
END
$migration$;

CREATE FUNCTION interaction_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE interaction_rollup;
    UPDATE interaction_rollup_version SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER interaction_rollup_insert AFTER INSERT ON interaction
    REFERENCING NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION interaction_rollup_insert();
CREATE TRIGGER interaction_rollup_update AFTER UPDATE ON interaction
    REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION interaction_rollup_update();
CREATE TRIGGER interaction_rollup_delete AFTER DELETE ON interaction
    REFERENCING OLD TABLE AS o FOR EACH STATEMENT EXECUTE FUNCTION interaction_rollup_delete();
CREATE TRIGGER interaction_rollup_truncate AFTER TRUNCATE ON interaction
    FOR EACH STATEMENT EXECUTE FUNCTION interaction_rollup_truncate();

SELECT interaction_rollup_rebuild();
