-- The service's background jobs (a sourcing job and its like), so any instance answers for any
-- job and a job outlives the instance running it: the request, its owner key, where it is, and
-- the lease of the instance running it (renewed while it runs; an expired lease is claimed by
-- another instance, which runs the job again). Only the lease holder can record the end, so a
-- client sees one result.
CREATE TABLE service_jobs (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    owner            BIGINT NOT NULL,
    request          TEXT NOT NULL,
    status           TEXT NOT NULL,
    stage            TEXT,
    done             BIGINT NOT NULL DEFAULT 0,
    total            BIGINT NOT NULL DEFAULT 0,
    notes            TEXT NOT NULL DEFAULT '[]',
    error            TEXT,
    result           TEXT,
    files            TEXT NOT NULL DEFAULT '[]',
    submitted_ms     BIGINT NOT NULL,
    started_ms       BIGINT,
    finished_ms      BIGINT,
    lease_owner      TEXT,
    lease_until_ms   BIGINT,
    attempts         BIGINT NOT NULL DEFAULT 0,
    cancel_requested BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX service_jobs_queue ON service_jobs (status, submitted_ms);
CREATE INDEX service_jobs_owner ON service_jobs (owner, status);
-- The files a finished job wrote (workbook, charts, plan), kept with it.
CREATE TABLE service_job_files (
    job_id  TEXT NOT NULL,
    name    TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (job_id, name)
);
