-- People as data: one row per participant_external_id over the interactions not marked deleted, with what
-- /api/v1/participants lists (sources, connections, interactions, threads, first and last time, ratings,
-- tokens), so a page is a keyset scan of its own index instead of a grouped scan of every interaction.
--
-- A person may have millions of interactions, so nothing here is recomputed from all of them: sums move by
-- each statement's delta (like the rollups, V17); the distinct threads and connections are counted rows of
-- their own (participant_thread, participant_connection: a person's thread count moves when such a row
-- appears or goes); the first and last time move by LEAST/GREATEST, and are read again from the index on
-- (participant_external_id, created_at) only for the people a transaction took rows from.
--
-- People are shared by every connection, so two syncs touch the same summary rows at once. To keep them from
-- waiting on each other for a whole page, and from deadlocking (an upsert fires its INSERT and its UPDATE
-- trigger one after the other, each locking its people), the statement triggers only note their signed rows
-- in participant_pending; a deferred constraint trigger applies everything the transaction noted when it
-- commits, in one pass, the summary rows locked first and in key order. A concurrent writer of the same
-- person then waits for that commit, and reads what it committed.
CREATE TABLE participant_summary (
    participant_external_id text        PRIMARY KEY,
    sources                 text[]      NOT NULL,
    connections             text[]      NOT NULL,
    interactions            bigint      NOT NULL,
    threads                 bigint      NOT NULL,
    first_at                timestamptz,
    last_at                 timestamptz,
    rated_count             bigint      NOT NULL,
    rating_sum              numeric     NOT NULL,
    input_count             bigint      NOT NULL,
    input_tokens            bigint      NOT NULL,
    output_count            bigint      NOT NULL,
    output_tokens           bigint      NOT NULL
);

-- Keyset pages, most recently active first.
CREATE INDEX participant_summary_last_idx ON participant_summary (last_at, participant_external_id);

CREATE TABLE participant_thread (
    participant_external_id text   NOT NULL,
    thread_id               text   NOT NULL,
    interactions            bigint NOT NULL,
    PRIMARY KEY (participant_external_id, thread_id)
);

CREATE TABLE participant_connection (
    participant_external_id text   NOT NULL,
    connection              text   NOT NULL,
    source                  text   NOT NULL,
    interactions            bigint NOT NULL,
    PRIMARY KEY (participant_external_id, connection, source)
);

-- The given people's sets (sets) and first and last times (span) read again, their summary rows locked by
-- the caller; people left without interactions are removed.
CREATE FUNCTION interaction_participant_summary_refresh(people text[], sets boolean[], span boolean[])
    RETURNS void LANGUAGE sql AS $$
    UPDATE participant_summary AS p
       SET sources = CASE WHEN k.sets THEN COALESCE((SELECT array_agg(DISTINCT c.source ORDER BY c.source)
                                                       FROM participant_connection AS c
                                                      WHERE c.participant_external_id = p.participant_external_id),
                                                    '{}') ELSE p.sources END,
           connections = CASE WHEN k.sets THEN COALESCE((SELECT array_agg(DISTINCT c.connection ORDER BY c.connection)
                                                           FROM participant_connection AS c
                                                          WHERE c.participant_external_id = p.participant_external_id),
                                                        '{}') ELSE p.connections END,
           first_at = CASE WHEN k.span THEN (SELECT min(i.created_at) FROM interaction AS i
                                              WHERE i.participant_external_id = p.participant_external_id
                                                AND i.deleted_at IS NULL) ELSE p.first_at END,
           last_at = CASE WHEN k.span THEN (SELECT max(i.created_at) FROM interaction AS i
                                             WHERE i.participant_external_id = p.participant_external_id
                                               AND i.deleted_at IS NULL) ELSE p.last_at END
      FROM unnest(people, sets, span) AS k(participant_external_id, sets, span)
     WHERE p.participant_external_id = k.participant_external_id;
    DELETE FROM participant_summary AS p USING unnest(people) AS k(participant_external_id)
     WHERE p.participant_external_id = k.participant_external_id AND p.interactions = 0;
$$;

-- What each statement of a transaction did to people, noted until the transaction commits (one row per
-- statement, its signed rows as arrays); never holds a committed row.
CREATE UNLOGGED TABLE participant_pending (
    txid        xid8          NOT NULL DEFAULT pg_current_xact_id(),
    people      text[]        NOT NULL,
    connections text[]        NOT NULL,
    sources     text[]        NOT NULL,
    threads     text[]        NOT NULL,
    signs       integer[]     NOT NULL,
    reshaped    boolean[]     NOT NULL,
    created     timestamptz[] NOT NULL,
    inputs      bigint[]      NOT NULL,
    outputs     bigint[]      NOT NULL,
    ratings     numeric[]     NOT NULL
);
CREATE INDEX participant_pending_txid_idx ON participant_pending (txid);

DO $migration$
DECLARE
    -- the rows %1$s as signed contributions (sign %2$s) to their people
    signed constant text := 'SELECT %2$s AS sign, %3$s AS reshaped, participant_external_id, connection, source, thread_id, '
        || 'created_at, input_tokens, output_tokens, CAST(rating_normalized AS numeric) AS rating FROM %1$s '
        || 'WHERE participant_external_id IS NOT NULL AND deleted_at IS NULL';
    contribution constant text := '(%1$s.participant_external_id, %1$s.deleted_at IS NULL, %1$s.connection, '
        || '%1$s.source, %1$s.thread_id, %1$s.created_at, %1$s.input_tokens, %1$s.output_tokens, '
        || '%1$s.rating_normalized)';
    -- a leaving row that keeps its person, mark and time (its rating or tokens changed) is only subtracted;
    -- one that does not may take the person's first or last time along, which is read again
    shape constant text := '(%1$s.participant_external_id, %1$s.deleted_at IS NULL, %1$s.created_at)';
    -- a statement trigger's body: note the signed rows %s
    note constant text := 'BEGIN '
        || 'INSERT INTO participant_pending (people, connections, sources, threads, signs, reshaped, created, inputs, '
        || 'outputs, ratings) SELECT array_agg(participant_external_id), array_agg(connection), array_agg(source), '
        || 'array_agg(thread_id), array_agg(sign), array_agg(reshaped), array_agg(created_at), array_agg(input_tokens), '
        || 'array_agg(output_tokens), array_agg(rating) FROM (%s) AS d HAVING count(*) > 0; '
        || 'RETURN NULL; '
        || 'END';
BEGIN
    EXECUTE format('CREATE FUNCTION interaction_participant_summary_insert() RETURNS trigger LANGUAGE plpgsql AS %L',
        format(note, format(signed, 'n', 1, 'false')));
    EXECUTE format('CREATE FUNCTION interaction_participant_summary_delete() RETURNS trigger LANGUAGE plpgsql AS %L',
        format(note, format(signed, 'o', -1, 'true')));
    EXECUTE format('CREATE FUNCTION interaction_participant_summary_update() RETURNS trigger LANGUAGE plpgsql AS %L',
        format(note, format(signed, 'o', -1, 'NOT EXISTS (SELECT FROM n WHERE n.id = o.id AND '
            || format(shape, 'n') || ' IS NOT DISTINCT FROM ' || format(shape, 'o') || ')')
            || ' AND NOT EXISTS (SELECT FROM n WHERE n.id = o.id AND '
            || format(contribution, 'n') || ' IS NOT DISTINCT FROM ' || format(contribution, 'o') || ') '
            || 'UNION ALL ' || format(signed, 'n', 1, 'false') || ' AND NOT EXISTS (SELECT FROM o WHERE o.id = n.id AND '
            || format(contribution, 'o') || ' IS NOT DISTINCT FROM ' || format(contribution, 'n') || ')'));
END
$migration$;

-- At commit: everything the transaction noted, applied at once. Its first event takes every note of the
-- transaction (the others find none): the summaries first (locking them in key order), then the counted
-- threads and connections, then what must be read again.
CREATE FUNCTION interaction_participant_summary_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_people text[]; v_connections text[]; v_sources text[]; v_threads text[]; v_signs integer[]; v_reshaped boolean[];
    v_created timestamptz[]; v_inputs bigint[]; v_outputs bigint[]; v_ratings numeric[];
    r_people text[]; r_span boolean[]; z_people text[]; z_threads text[]; s_people text[];
BEGIN
    WITH noted AS (DELETE FROM participant_pending WHERE txid = pg_current_xact_id() RETURNING *)
    SELECT array_agg(u.p), array_agg(u.c), array_agg(u.s), array_agg(u.t), array_agg(u.sign), array_agg(u.reshaped),
           array_agg(u.at), array_agg(u.i), array_agg(u.o), array_agg(u.r)
      INTO v_people, v_connections, v_sources, v_threads, v_signs, v_reshaped, v_created, v_inputs, v_outputs,
           v_ratings
      FROM noted, unnest(noted.people, noted.connections, noted.sources, noted.threads, noted.signs, noted.reshaped,
                         noted.created, noted.inputs, noted.outputs, noted.ratings)
                  AS u(p, c, s, t, sign, reshaped, at, i, o, r);
    IF v_people IS NULL THEN
        RETURN NULL;
    END IF;
    WITH people AS (
        SELECT participant_external_id, sum(sign) AS interactions,
               min(created_at) FILTER (WHERE sign > 0) AS first_at, max(created_at) FILTER (WHERE sign > 0) AS last_at,
               COALESCE(sum(sign) FILTER (WHERE rating IS NOT NULL), 0) AS rated_count,
               COALESCE(sum(sign * rating), 0) AS rating_sum,
               COALESCE(sum(sign) FILTER (WHERE input_tokens IS NOT NULL), 0) AS input_count,
               COALESCE(sum(sign * input_tokens), 0) AS input_tokens,
               COALESCE(sum(sign) FILTER (WHERE output_tokens IS NOT NULL), 0) AS output_count,
               COALESCE(sum(sign * output_tokens), 0) AS output_tokens, bool_or(sign < 0 AND reshaped) AS taken
          FROM unnest(v_people, v_connections, v_sources, v_threads, v_signs, v_reshaped, v_created, v_inputs, v_outputs,
                      v_ratings)
               AS d(participant_external_id, connection, source, thread_id, sign, reshaped, created_at, input_tokens,
                    output_tokens, rating)
         GROUP BY participant_external_id),
    up AS (
        INSERT INTO participant_summary AS p (participant_external_id, sources, connections, interactions, threads,
               first_at, last_at, rated_count, rating_sum, input_count, input_tokens, output_count, output_tokens)
        SELECT participant_external_id, '{}', '{}', interactions, 0, first_at, last_at, rated_count, rating_sum,
               input_count, input_tokens, output_count, output_tokens
          FROM people ORDER BY participant_external_id
            ON CONFLICT (participant_external_id) DO UPDATE
           SET interactions = p.interactions + excluded.interactions,
               first_at = LEAST(p.first_at, excluded.first_at), last_at = GREATEST(p.last_at, excluded.last_at),
               rated_count = p.rated_count + excluded.rated_count, rating_sum = p.rating_sum + excluded.rating_sum,
               input_count = p.input_count + excluded.input_count, input_tokens = p.input_tokens + excluded.input_tokens,
               output_count = p.output_count + excluded.output_count,
               output_tokens = p.output_tokens + excluded.output_tokens)
    SELECT array_agg(participant_external_id ORDER BY participant_external_id),
           array_agg(taken ORDER BY participant_external_id)
      INTO r_people, r_span FROM people;

    WITH t AS (
        INSERT INTO participant_thread AS pt (participant_external_id, thread_id, interactions)
        SELECT participant_external_id, thread_id, sum(sign) FROM unnest(v_people, v_connections, v_sources, v_threads, v_signs, v_reshaped, v_created, v_inputs, v_outputs,
                      v_ratings)
               AS d(participant_external_id, connection, source, thread_id, sign, reshaped, created_at, input_tokens,
                    output_tokens, rating)
         WHERE thread_id IS NOT NULL
         GROUP BY participant_external_id, thread_id HAVING sum(sign) <> 0 ORDER BY 1, 2
            ON CONFLICT (participant_external_id, thread_id) DO UPDATE
           SET interactions = pt.interactions + excluded.interactions
        RETURNING participant_external_id, thread_id, interactions, (xmax = 0) AS created),
    counted AS (
        UPDATE participant_summary AS p SET threads = p.threads + x.threads
          FROM (SELECT participant_external_id,
                       count(*) FILTER (WHERE created) - count(*) FILTER (WHERE interactions = 0) AS threads
                  FROM t GROUP BY participant_external_id) AS x
         WHERE p.participant_external_id = x.participant_external_id AND x.threads <> 0)
    SELECT array_agg(participant_external_id), array_agg(thread_id) INTO z_people, z_threads
      FROM t WHERE interactions = 0;
    IF z_people IS NOT NULL THEN
        DELETE FROM participant_thread AS pt USING unnest(z_people, z_threads) AS z(participant_external_id, thread_id)
         WHERE pt.participant_external_id = z.participant_external_id AND pt.thread_id = z.thread_id
           AND pt.interactions = 0;
    END IF;

    WITH c AS (
        INSERT INTO participant_connection AS pc (participant_external_id, connection, source, interactions)
        SELECT participant_external_id, connection, source, sum(sign) FROM unnest(v_people, v_connections, v_sources, v_threads, v_signs, v_reshaped, v_created, v_inputs, v_outputs,
                      v_ratings)
               AS d(participant_external_id, connection, source, thread_id, sign, reshaped, created_at, input_tokens,
                    output_tokens, rating)
         GROUP BY participant_external_id, connection, source HAVING sum(sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (participant_external_id, connection, source) DO UPDATE
           SET interactions = pc.interactions + excluded.interactions
        RETURNING participant_external_id, interactions, (xmax = 0) AS created)
    SELECT array_agg(DISTINCT participant_external_id) INTO s_people FROM c WHERE created OR interactions = 0;
    IF s_people IS NOT NULL THEN
        DELETE FROM participant_connection WHERE participant_external_id = ANY (s_people) AND interactions = 0;
    END IF;

    IF s_people IS NOT NULL OR true = ANY (r_span) THEN
        PERFORM interaction_participant_summary_refresh(r_people,
            ARRAY(SELECT u.p = ANY (COALESCE(s_people, '{}')) FROM unnest(r_people) WITH ORDINALITY AS u(p, i)
                   ORDER BY u.i), r_span);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER participant_pending_apply AFTER INSERT ON participant_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION interaction_participant_summary_apply();

CREATE FUNCTION interaction_participant_summary_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    LOCK TABLE interaction IN SHARE MODE;
    TRUNCATE participant_summary, participant_thread, participant_connection;
    INSERT INTO participant_thread
    SELECT participant_external_id, thread_id, count(*) FROM interaction
     WHERE participant_external_id IS NOT NULL AND thread_id IS NOT NULL AND deleted_at IS NULL
     GROUP BY 1, 2 ORDER BY 1, 2;
    INSERT INTO participant_connection
    SELECT participant_external_id, connection, source, count(*) FROM interaction
     WHERE participant_external_id IS NOT NULL AND deleted_at IS NULL
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    INSERT INTO participant_summary
    SELECT i.participant_external_id,
           (SELECT array_agg(DISTINCT c.source ORDER BY c.source) FROM participant_connection AS c
             WHERE c.participant_external_id = i.participant_external_id),
           (SELECT array_agg(DISTINCT c.connection ORDER BY c.connection) FROM participant_connection AS c
             WHERE c.participant_external_id = i.participant_external_id),
           count(*),
           (SELECT count(*) FROM participant_thread AS t WHERE t.participant_external_id = i.participant_external_id),
           min(i.created_at), max(i.created_at), count(i.rating_normalized),
           COALESCE(sum(CAST(i.rating_normalized AS numeric)), 0), count(i.input_tokens), COALESCE(sum(i.input_tokens), 0),
           count(i.output_tokens), COALESCE(sum(i.output_tokens), 0)
      FROM interaction AS i
     WHERE i.participant_external_id IS NOT NULL AND i.deleted_at IS NULL
     GROUP BY i.participant_external_id
     ORDER BY i.participant_external_id;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;

CREATE FUNCTION interaction_participant_summary_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE participant_summary, participant_thread, participant_connection;
    -- what this transaction noted before is gone with the rows
    DELETE FROM participant_pending WHERE txid = pg_current_xact_id();
    RETURN NULL;
END
$$;

CREATE TRIGGER interaction_participant_summary_insert AFTER INSERT ON interaction
    REFERENCING NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION interaction_participant_summary_insert();
CREATE TRIGGER interaction_participant_summary_update AFTER UPDATE ON interaction
    REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT
    EXECUTE FUNCTION interaction_participant_summary_update();
CREATE TRIGGER interaction_participant_summary_delete AFTER DELETE ON interaction
    REFERENCING OLD TABLE AS o FOR EACH STATEMENT EXECUTE FUNCTION interaction_participant_summary_delete();
CREATE TRIGGER interaction_participant_summary_truncate AFTER TRUNCATE ON interaction
    FOR EACH STATEMENT EXECUTE FUNCTION interaction_participant_summary_truncate();

SELECT interaction_participant_summary_rebuild();
