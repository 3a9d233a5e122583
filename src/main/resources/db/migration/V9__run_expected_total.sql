-- A running full run's expected item count, where the upstream reports its listing's total (Flockx meta.total,
-- Zylon total_count): progress and ETA are measured against it.
ALTER TABLE sync_run ADD COLUMN expected bigint;
