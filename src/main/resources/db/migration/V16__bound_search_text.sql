-- Text search indexes the start of a long text, not the whole: a tsvector holds at most 1 MB of lexemes and
-- positions, so PostgreSQL refused a row whose texts held more distinct words ("string is too long for tsvector")
-- and the whole item was quarantined. Now inputText and outputText are searched up to their first 100 000
-- characters and feedback up to its first 20 000; the texts themselves are stored whole, and search_truncated
-- says that a row's search was cut. 220 000 characters make at most about 880 000 bytes of tsvector (a word of
-- one 4-byte character and its separator cost 8 bytes: the lexeme, its position count and one position), below
-- the 1 048 575 allowed. Both columns are computed by PostgreSQL, so every writer and every row gets them; the
-- change rewrites the table once.
ALTER TABLE interaction DROP COLUMN search_vector;

ALTER TABLE interaction
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', left(coalesce(input_text, ''), 100000) || ' ' || left(coalesce(output_text, ''), 100000)
            || ' ' || left(coalesce(feedback, ''), 20000))
    ) STORED,
    ADD COLUMN search_truncated boolean NOT NULL GENERATED ALWAYS AS (
        coalesce(length(input_text), 0) > 100000 OR coalesce(length(output_text), 0) > 100000
            OR coalesce(length(feedback), 0) > 20000
    ) STORED;

CREATE INDEX interaction_search_idx ON interaction USING gin (search_vector);
