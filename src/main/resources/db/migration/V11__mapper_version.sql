-- Which version of its kind's mapper produced each row (rows stored before versions count as 1, at no
-- rewrite cost: a constant default): renormalization re-maps the rows of older versions from `raw`.
ALTER TABLE interaction ADD COLUMN mapper_version integer NOT NULL DEFAULT 1;
CREATE INDEX interaction_connection_mapper_idx ON interaction (connection, mapper_version, id);

-- A renormalization is recorded as a run of its own mode.
ALTER TABLE sync_run DROP CONSTRAINT sync_run_mode_check;
ALTER TABLE sync_run ADD CONSTRAINT sync_run_mode_check CHECK (mode IN ('incremental', 'full', 'renormalize'));
