-- Job runs (each monitor cycle, with a heartbeat) and named checkpoints (a keyword watch's last
-- results). Times are epoch milliseconds.
CREATE TABLE job_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    job          TEXT NOT NULL,
    worker       TEXT NOT NULL,
    started_ms   INTEGER NOT NULL,
    heartbeat_ms INTEGER NOT NULL,
    finished_ms  INTEGER,
    status       TEXT NOT NULL,
    checks       INTEGER NOT NULL DEFAULT 0,
    succeeded    INTEGER NOT NULL DEFAULT 0,
    alerts       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX job_runs_worker ON job_runs (worker, status);
CREATE TABLE checkpoints (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);
