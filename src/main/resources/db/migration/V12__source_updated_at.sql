-- The upstream's own update time of each row, exactly as its mapper gave it: what later listings are
-- compared with (is this item stored unchanged?). updated_at stays what the API serves, and may be the
-- gateway's clock for a change the upstream gives no time for; the two are never compared. Rows written
-- before this column read updated_at in its place (no backfill: a rewrite of every row).
ALTER TABLE interaction ADD COLUMN source_updated_at timestamptz;
