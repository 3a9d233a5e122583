-- API keys added while the gateway runs (POST /api/v1/api-keys), beside those configured under
-- tributary.security.api-keys. Only the SHA-256 of each secret is kept: the secret is 32 random bytes, shown
-- once when the key is created. Every replica reads this table every few seconds, so a key added, expired or
-- revoked through one replica takes effect on all of them within that time. Rows are never deleted: a revoked
-- key keeps its row (who revoked it, when), and its name is never given to another key.
CREATE TABLE api_key (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                 text        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    secret_sha256        bytea       NOT NULL UNIQUE CHECK (octet_length(secret_sha256) = 32),
    scopes               text[]      NOT NULL CHECK (cardinality(scopes) > 0),
    -- empty: every connection
    connections          text[]      NOT NULL DEFAULT '{}',
    -- null: tributary.security.rate-limit
    rate_limit_requests  integer     CHECK (rate_limit_requests > 0),
    rate_limit_period_ms bigint      CHECK (rate_limit_period_ms > 0),
    expires_at           timestamptz,
    created_at           timestamptz NOT NULL,
    created_by           text        NOT NULL,
    revoked_at           timestamptz,
    revoked_by           text,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- What each replica reads on every refresh: the keys not revoked.
CREATE INDEX api_key_live ON api_key (id) WHERE revoked_at IS NULL;

-- The per-key rate-limit buckets, shared by every replica (Bucket4j's PostgreSQL proxy, SELECT ... FOR UPDATE
-- of one row per key and limit). expires_at (epoch milliseconds) is when the bucket would be full again;
-- rows past it are removed in small batches, as a full bucket is the same as none.
CREATE TABLE rate_limit_bucket (
    id         text   PRIMARY KEY,
    state      bytea,
    expires_at bigint
);
