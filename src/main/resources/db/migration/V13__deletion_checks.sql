-- Deletion checks rotate: when the upstream last confirmed that a row no full pass listed still exists
-- (null: never), so such rows are asked again only after a while and every other row gets its turn. missed_passes now counts consecutive passes whose answer was "gone" or "undecidable" alike: no one
-- answer deletes a row.
ALTER TABLE interaction ADD COLUMN confirmed_present_at timestamptz;

-- What a run reports without failing: deletions held back by the share guard.
ALTER TABLE sync_run ADD COLUMN warning text;
