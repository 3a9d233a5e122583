-- Where a rating came from: the upstream's own rating, or one derived by the gateway (Flockx reactions).
ALTER TABLE interaction ADD COLUMN rating_source text;
UPDATE interaction SET rating_source = 'upstream' WHERE rating IS NOT NULL;
