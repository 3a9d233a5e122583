-- Source kinds are registered by their connectors and checked where values enter (configuration
-- at start-up, the API's `source` parameter), so adding a kind needs no migration.
ALTER TABLE interaction DROP CONSTRAINT interaction_source_check;

-- The last page's position was written on every page and never read (V6 keeps real positions, per stream).
ALTER TABLE sync_checkpoint DROP COLUMN cursor_state;
