-- Which run of a full pass last listed an id: a run that resumes a pass asks the upstream about the items
-- only the stopped run listed (they may have been deleted since).
ALTER TABLE sync_seen ADD COLUMN run_id bigint;
