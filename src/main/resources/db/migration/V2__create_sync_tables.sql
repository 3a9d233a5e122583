-- Per-connection sync state: the watermark only moves once a run has read down to the previous one.
CREATE TABLE sync_checkpoint (
    connection   text        PRIMARY KEY,
    watermark    timestamptz,
    cursor_state jsonb       NOT NULL DEFAULT '{}'::jsonb,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per sync run; `outcome` is running until the run ends.
CREATE TABLE sync_run (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection  text        NOT NULL,
    mode        text        NOT NULL CHECK (mode IN ('incremental', 'full')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    outcome     text        NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'succeeded', 'failed')),
    pages       integer     NOT NULL DEFAULT 0,
    fetched     integer     NOT NULL DEFAULT 0,
    inserted    integer     NOT NULL DEFAULT 0,
    updated     integer     NOT NULL DEFAULT 0,
    unchanged   integer     NOT NULL DEFAULT 0,
    error       text
);
CREATE INDEX sync_run_connection_id_idx ON sync_run (connection, id DESC);
-- At most one running run per connection, whatever the number of replicas.
CREATE UNIQUE INDEX sync_run_one_running_idx ON sync_run (connection) WHERE outcome = 'running';

-- ShedLock (JDBC provider) schedule locks.
CREATE TABLE shedlock (
    name       varchar(64)  NOT NULL PRIMARY KEY,
    lock_until timestamptz  NOT NULL,
    locked_at  timestamptz  NOT NULL,
    locked_by  varchar(255) NOT NULL
);
