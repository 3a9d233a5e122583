-- The unified model: one row per upstream interaction, keyed (connection, source_id).
CREATE TABLE interaction (
    id                       uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    source                   text        NOT NULL CHECK (source IN ('greenflash', 'zylon', 'flockx')),
    connection               text        NOT NULL,
    source_id                text        NOT NULL,
    thread_id                text,
    participant_id           text,
    participant_external_id  text,
    participant_type         text,
    organization_id          text,
    organization_external_id text,
    product_id               text,
    version_id               text,
    model                    text,
    status                   text        NOT NULL CHECK (status IN ('completed', 'in_progress', 'error')),
    input_text               text,
    output_text              text,
    messages                 jsonb       NOT NULL DEFAULT '[]'::jsonb,
    input_tokens             bigint,
    output_tokens            bigint,
    rating                   numeric,
    rating_min               numeric,
    rating_max               numeric,
    rating_normalized        double precision CHECK (rating_normalized BETWEEN 0 AND 1),
    feedback                 text,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    first_seen_at            timestamptz NOT NULL DEFAULT now(),
    last_synced_at           timestamptz NOT NULL DEFAULT now(),
    content_hash             text        NOT NULL,
    attributes               jsonb       NOT NULL DEFAULT '{}'::jsonb,
    raw                      jsonb       NOT NULL,
    -- Text searched by `q`; 'simple' keeps every word (no stemming, no stop words), so any language works.
    search_vector            tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', coalesce(input_text, '') || ' ' || coalesce(output_text, '') || ' ' || coalesce(feedback, ''))
    ) STORED,
    CONSTRAINT interaction_connection_source_id_key UNIQUE (connection, source_id)
);

-- Keyset orders. A b-tree is read in either direction, so one index serves asc and desc.
CREATE INDEX interaction_created_at_id_idx ON interaction (created_at, id);
CREATE INDEX interaction_updated_at_id_idx ON interaction (updated_at, id);

-- Equality filters, each leading an index that also carries the default order, so a filtered page
-- is an index range scan rather than a sort.
CREATE INDEX interaction_source_created_idx ON interaction (source, created_at, id);
CREATE INDEX interaction_connection_created_idx ON interaction (connection, created_at, id);
CREATE INDEX interaction_participant_created_idx ON interaction (participant_id, created_at, id);
CREATE INDEX interaction_ext_participant_created_idx ON interaction (participant_external_id, created_at, id);
CREATE INDEX interaction_organization_created_idx ON interaction (organization_id, created_at, id);
CREATE INDEX interaction_thread_created_idx ON interaction (thread_id, created_at, id);
CREATE INDEX interaction_product_created_idx ON interaction (product_id, created_at, id);
CREATE INDEX interaction_model_created_idx ON interaction (model, created_at, id);
CREATE INDEX interaction_status_created_idx ON interaction (status, created_at, id);
CREATE INDEX interaction_rating_idx ON interaction (rating_normalized) WHERE rating_normalized IS NOT NULL;
CREATE INDEX interaction_feedback_created_idx ON interaction (created_at, id) WHERE feedback IS NOT NULL;

-- `q`: full-text search (see bench/text-search for the measurement against pg_trgm).
CREATE INDEX interaction_search_idx ON interaction USING gin (search_vector);
