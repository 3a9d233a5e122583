-- Interactions deleted upstream are marked, never removed: deleted_at once the upstream confirms it (its detail
-- endpoint answers 404), or after two consecutive successful full runs missed it where no detail can be trusted.
ALTER TABLE interaction ADD COLUMN deleted_at timestamptz;
ALTER TABLE interaction ADD COLUMN missed_passes integer NOT NULL DEFAULT 0;

-- The upstream ids a full pass listed, to find the stored rows it no longer lists; emptied when the pass ends.
CREATE TABLE sync_seen (
    connection text   NOT NULL,
    pass_id    bigint NOT NULL,
    source_id  text   NOT NULL,
    PRIMARY KEY (connection, pass_id, source_id)
);

ALTER TABLE sync_run ADD COLUMN deleted integer NOT NULL DEFAULT 0;
