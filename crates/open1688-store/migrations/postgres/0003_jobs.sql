-- Job runs (each monitor cycle, with a heartbeat) and named checkpoints (a keyword watch's last
-- results). Times are epoch milliseconds.
CREATE TABLE job_runs (
    id           BIGSERIAL PRIMARY KEY,
    job          TEXT NOT NULL,
    worker       TEXT NOT NULL,
    started_ms   BIGINT NOT NULL,
    heartbeat_ms BIGINT NOT NULL,
    finished_ms  BIGINT,
    status       TEXT NOT NULL,
    checks       BIGINT NOT NULL DEFAULT 0,
    succeeded    BIGINT NOT NULL DEFAULT 0,
    alerts       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX job_runs_worker ON job_runs (worker, status);
CREATE TABLE checkpoints (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);
