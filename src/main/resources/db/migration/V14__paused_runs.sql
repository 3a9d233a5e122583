-- A scheduled full run reads its pass in slices: one that used up its slice ends as paused, and the pass goes on
-- from its saved positions at a later poll, after that poll has read every stream's head.
ALTER TABLE sync_run DROP CONSTRAINT sync_run_outcome_check;
ALTER TABLE sync_run ADD CONSTRAINT sync_run_outcome_check
    CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted', 'paused'));
