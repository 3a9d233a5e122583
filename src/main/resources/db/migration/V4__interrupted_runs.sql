-- A run stopped by a shutdown is recorded as interrupted: its committed pages stay, the next run reads on.
ALTER TABLE sync_run DROP CONSTRAINT sync_run_outcome_check;
ALTER TABLE sync_run ADD CONSTRAINT sync_run_outcome_check
    CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted'));
