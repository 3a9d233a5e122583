-- Per stream (Greenflash list, each Zylon project or thread, Flockx list): the watermark, moved only by a
-- run that read that stream down to its stop point, and the state of the current full pass, so a full
-- run that stops resumes where it committed its last page instead of starting again.
CREATE TABLE sync_stream (
    connection     text        NOT NULL,
    stream         text        NOT NULL,
    watermark      timestamptz,
    pass_id        bigint,
    pass_position  text,
    pass_seen      timestamptz,
    pass_completed boolean     NOT NULL DEFAULT false,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection, stream)
);

-- A full pass is one or more runs: the first run's id, shared by the runs that resume it.
ALTER TABLE sync_run ADD COLUMN pass_id bigint;
ALTER TABLE sync_run ADD COLUMN resumed_from bigint;

-- One watermark per connection could be poisoned by one stream; per-stream watermarks replace it
-- (each stream is read to its end once, then incrementally).
-- Greenflash and Flockx read one stream, `list`: it keeps the connection's watermark.
INSERT INTO sync_stream (connection, stream, watermark)
    SELECT connection, 'list', watermark FROM sync_checkpoint WHERE watermark IS NOT NULL;
DROP TABLE sync_checkpoint;
