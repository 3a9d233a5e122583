-- Upstream items that could not be mapped or stored: kept with their reason instead of stopping the run,
-- listed by GET /api/v1/sources/{connection}/rejects, and cleared when a later run stores the item.
CREATE TABLE sync_reject (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection    text        NOT NULL,
    -- the upstream id when the item has a readable one; otherwise the payload's digest identifies it
    source_id     text,
    item_key      text        NOT NULL,
    reason        text        NOT NULL,
    payload       jsonb       NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_run_id   bigint,
    times_seen    integer     NOT NULL DEFAULT 1,
    CONSTRAINT sync_reject_connection_item_key UNIQUE (connection, item_key)
);
CREATE INDEX sync_reject_connection_id_idx ON sync_reject (connection, id DESC);

ALTER TABLE sync_run ADD COLUMN rejected integer NOT NULL DEFAULT 0;
