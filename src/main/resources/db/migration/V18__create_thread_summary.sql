-- Conversations as data: one row per connection and thread over the interactions not marked deleted, with
-- what /api/v1/threads lists (first and last time, turns, participant, models, ratings, tokens), so a page
-- is a keyset scan of its own index instead of a grouped scan of every interaction.
--
-- Kept like the rollups (V17), by statement-level AFTER triggers in the writing statement's transaction:
-- sums move by each statement's delta; rows a statement adds also move the earliest and latest times, the
-- least source and participant and the union of models; a thread a statement takes a row from with any of
-- those (a deletion mark, a purge, a row that moved) has them read again from its interactions after its
-- summary row is locked, so a concurrent writer of the same thread either committed before (and is seen)
-- or waits and applies its own change after.
-- interaction_thread_summary_rebuild() recomputes them all.
CREATE TABLE thread_summary (
    connection    text        NOT NULL,
    thread_id     text        NOT NULL,
    source        text,
    -- the least COALESCE(participant_external_id, participant_id) of its interactions
    participant   text,
    models        text[]      NOT NULL,
    first_at      timestamptz,
    last_at       timestamptz,
    turns         bigint      NOT NULL,
    rated_count   bigint      NOT NULL,
    rating_sum    numeric     NOT NULL,
    input_count   bigint      NOT NULL,
    input_tokens  bigint      NOT NULL,
    output_count  bigint      NOT NULL,
    output_tokens bigint      NOT NULL,
    PRIMARY KEY (connection, thread_id)
);

-- Keyset pages, most recently active first: every thread, one connection's, one source's.
CREATE INDEX thread_summary_last_idx ON thread_summary (last_at, connection, thread_id);
CREATE INDEX thread_summary_connection_last_idx ON thread_summary (connection, last_at, thread_id);
CREATE INDEX thread_summary_source_last_idx ON thread_summary (source, last_at, connection, thread_id);

-- What no sum carries, read again for the given threads: their first and last time, least source and
-- participant, and models, from their interactions as they are now; threads left without a turn go. Only
-- these: an upsert fires its INSERT trigger and its UPDATE trigger one after the other, and the rows of the
-- one that runs second are already in the table when the first reads it, so a count read here would count
-- them twice; a least, a greatest or a union does not mind.
CREATE FUNCTION interaction_thread_summary_refresh(connections text[], threads text[]) RETURNS void
    LANGUAGE sql AS $$
    UPDATE thread_summary AS t
       SET source = f.source, participant = f.participant, models = f.models, first_at = f.first_at,
           last_at = f.last_at
      FROM (SELECT k.connection, k.thread_id, min(i.source) AS source,
                   min(COALESCE(i.participant_external_id, i.participant_id)) AS participant,
                   COALESCE(array_agg(DISTINCT i.model ORDER BY i.model) FILTER (WHERE i.model IS NOT NULL), '{}')
                       AS models,
                   min(i.created_at) AS first_at, max(i.created_at) AS last_at
              FROM (SELECT DISTINCT * FROM unnest(connections, threads) AS k(connection, thread_id)) AS k
              LEFT JOIN interaction AS i
                ON i.connection = k.connection AND i.thread_id = k.thread_id AND i.deleted_at IS NULL
             GROUP BY k.connection, k.thread_id) AS f
     WHERE t.connection = f.connection AND t.thread_id = f.thread_id;
    DELETE FROM thread_summary AS t USING unnest(connections, threads) AS k(connection, thread_id)
     WHERE t.connection = k.connection AND t.thread_id = k.thread_id AND t.turns = 0;
$$;

-- The rows of the statement as signed contributions to their threads: %1$s the rows, %2$s the sign, %3$s
-- whether a leaving row's shape changed.
DO $migration$
DECLARE
    signed constant text := 'SELECT %2$s AS sign, %3$s AS reshaped, connection, thread_id, source, '
        || 'COALESCE(participant_external_id, participant_id) AS participant, model, created_at, '
        || 'input_tokens, output_tokens, CAST(rating_normalized AS numeric) AS rating FROM %1$s '
        || 'WHERE thread_id IS NOT NULL AND deleted_at IS NULL';
    contribution constant text := '(%1$s.connection, %1$s.thread_id, %1$s.deleted_at IS NULL, %1$s.source, '
        || '%1$s.participant_external_id, %1$s.participant_id, %1$s.model, %1$s.created_at, %1$s.input_tokens, '
        || '%1$s.output_tokens, %1$s.rating_normalized)';
    -- what no sum carries: a row that leaves with it unchanged (its rating or tokens changed) is only
    -- subtracted; one that leaves with it changed may take the thread's first or last time, source,
    -- participant or a model along, and the thread is read again
    shape constant text := '(%1$s.connection, %1$s.thread_id, %1$s.deleted_at IS NULL, %1$s.source, '
        || '%1$s.participant_external_id, %1$s.participant_id, %1$s.model, %1$s.created_at)';
    -- a trigger's body over the signed rows %s: add what was added (locking the summaries in key order; a
    -- data-modifying WITH runs whether read or not), then recompute every thread something was taken from
    apply constant text := 'DECLARE r_connection text[]; r_thread text[]; '
        || 'BEGIN '
        || 'WITH d AS (%s), '
        || 'delta AS (SELECT connection, thread_id, sum(sign) AS turns, '
        || 'min(source) FILTER (WHERE sign > 0) AS source, min(participant) FILTER (WHERE sign > 0) AS participant, '
        || 'COALESCE(array_agg(DISTINCT model ORDER BY model) FILTER (WHERE sign > 0 AND model IS NOT NULL), ''{}'') AS models, '
        || 'min(created_at) FILTER (WHERE sign > 0) AS first_at, max(created_at) FILTER (WHERE sign > 0) AS last_at, '
        || 'COALESCE(sum(sign) FILTER (WHERE rating IS NOT NULL), 0) AS rated_count, '
        || 'COALESCE(sum(sign * rating), 0) AS rating_sum, '
        || 'COALESCE(sum(sign) FILTER (WHERE input_tokens IS NOT NULL), 0) AS input_count, '
        || 'COALESCE(sum(sign * input_tokens), 0) AS input_tokens, '
        || 'COALESCE(sum(sign) FILTER (WHERE output_tokens IS NOT NULL), 0) AS output_count, '
        || 'COALESCE(sum(sign * output_tokens), 0) AS output_tokens, bool_or(sign < 0 AND reshaped) AS taken '
        || 'FROM d GROUP BY connection, thread_id), '
        || 'up AS (INSERT INTO thread_summary AS t (connection, thread_id, source, participant, models, first_at, '
        || 'last_at, turns, rated_count, rating_sum, input_count, input_tokens, output_count, output_tokens) '
        || 'SELECT connection, thread_id, source, participant, models, first_at, last_at, turns, rated_count, '
        || 'rating_sum, input_count, input_tokens, output_count, output_tokens FROM delta '
        || 'ORDER BY connection, thread_id '
        || 'ON CONFLICT (connection, thread_id) DO UPDATE SET source = LEAST(t.source, excluded.source), '
        || 'participant = LEAST(t.participant, excluded.participant), '
        || 'models = CASE WHEN excluded.models <@ t.models THEN t.models ELSE (SELECT array_agg(DISTINCT m ORDER BY m) '
        || 'FROM unnest(t.models || excluded.models) AS m) END, '
        || 'first_at = LEAST(t.first_at, excluded.first_at), last_at = GREATEST(t.last_at, excluded.last_at), '
        || 'turns = t.turns + excluded.turns, rated_count = t.rated_count + excluded.rated_count, '
        || 'rating_sum = t.rating_sum + excluded.rating_sum, input_count = t.input_count + excluded.input_count, '
        || 'input_tokens = t.input_tokens + excluded.input_tokens, '
        || 'output_count = t.output_count + excluded.output_count, '
        || 'output_tokens = t.output_tokens + excluded.output_tokens) '
        || 'SELECT array_agg(connection), array_agg(thread_id) INTO r_connection, r_thread FROM delta WHERE taken; '
        || 'IF r_connection IS NOT NULL THEN '
        || 'PERFORM interaction_thread_summary_refresh(r_connection, r_thread); '
        || 'END IF; '
        || 'RETURN NULL; '
        || 'END';
BEGIN
    EXECUTE format('CREATE FUNCTION interaction_thread_summary_insert() RETURNS trigger LANGUAGE plpgsql AS %L',
        format(apply, format(signed, 'n', 1, 'false')));
    EXECUTE format('CREATE FUNCTION interaction_thread_summary_delete() RETURNS trigger LANGUAGE plpgsql AS %L',
        format(apply, format(signed, 'o', -1, 'true')));
    EXECUTE format('CREATE FUNCTION interaction_thread_summary_update() RETURNS trigger LANGUAGE plpgsql AS %L',
        format(apply, format(signed, 'o', -1, 'NOT EXISTS (SELECT FROM n WHERE n.id = o.id AND '
            || format(shape, 'n') || ' IS NOT DISTINCT FROM ' || format(shape, 'o') || ')')
            || ' AND NOT EXISTS (SELECT FROM n WHERE n.id = o.id AND '
            || format(contribution, 'n') || ' IS NOT DISTINCT FROM ' || format(contribution, 'o') || ') '
            || 'UNION ALL ' || format(signed, 'n', 1, 'false') || ' AND NOT EXISTS (SELECT FROM o WHERE o.id = n.id AND '
            || format(contribution, 'o') || ' IS NOT DISTINCT FROM ' || format(contribution, 'n') || ')'));
END
$migration$;

CREATE FUNCTION interaction_thread_summary_rebuild(only_connections text[] DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    LOCK TABLE interaction IN SHARE MODE;
    DELETE FROM thread_summary WHERE only_connections IS NULL OR connection = ANY (only_connections);
    INSERT INTO thread_summary
    SELECT connection, thread_id, min(source), min(COALESCE(participant_external_id, participant_id)),
           COALESCE(array_agg(DISTINCT model ORDER BY model) FILTER (WHERE model IS NOT NULL), '{}'),
           min(created_at), max(created_at), count(*), count(rating_normalized),
           COALESCE(sum(CAST(rating_normalized AS numeric)), 0), count(input_tokens), COALESCE(sum(input_tokens), 0),
           count(output_tokens), COALESCE(sum(output_tokens), 0)
      FROM interaction
     WHERE thread_id IS NOT NULL AND deleted_at IS NULL
       AND (only_connections IS NULL OR connection = ANY (only_connections))
     GROUP BY connection, thread_id
     ORDER BY connection, thread_id;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;

CREATE FUNCTION interaction_thread_summary_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE thread_summary;
    RETURN NULL;
END
$$;

CREATE TRIGGER interaction_thread_summary_insert AFTER INSERT ON interaction
    REFERENCING NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION interaction_thread_summary_insert();
CREATE TRIGGER interaction_thread_summary_update AFTER UPDATE ON interaction
    REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION interaction_thread_summary_update();
CREATE TRIGGER interaction_thread_summary_delete AFTER DELETE ON interaction
    REFERENCING OLD TABLE AS o FOR EACH STATEMENT EXECUTE FUNCTION interaction_thread_summary_delete();
CREATE TRIGGER interaction_thread_summary_truncate AFTER TRUNCATE ON interaction
    FOR EACH STATEMENT EXECUTE FUNCTION interaction_thread_summary_truncate();

SELECT interaction_thread_summary_rebuild();
