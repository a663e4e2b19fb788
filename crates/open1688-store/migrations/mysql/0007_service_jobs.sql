-- The service's background jobs (a sourcing job and its like), so any instance answers for any
-- job and a job outlives the instance running it: the request, its owner key, where it is, and
-- the lease of the instance running it (renewed while it runs; an expired lease is claimed by
-- another instance, which runs the job again). Only the lease holder can record the end, so a
-- client sees one result.
CREATE TABLE service_jobs (
    id               VARCHAR(64) PRIMARY KEY,
    kind             VARCHAR(64) NOT NULL,
    owner            BIGINT NOT NULL,
    request          LONGTEXT NOT NULL,
    status           VARCHAR(16) NOT NULL,
    stage            TEXT,
    done             BIGINT NOT NULL DEFAULT 0,
    total            BIGINT NOT NULL DEFAULT 0,
    notes            LONGTEXT NOT NULL,
    error            LONGTEXT,
    result           LONGTEXT,
    files            TEXT NOT NULL,
    submitted_ms     BIGINT NOT NULL,
    started_ms       BIGINT,
    finished_ms      BIGINT,
    lease_owner      VARCHAR(64),
    lease_until_ms   BIGINT,
    attempts         BIGINT NOT NULL DEFAULT 0,
    cancel_requested BIGINT NOT NULL DEFAULT 0,
    INDEX service_jobs_queue (status, submitted_ms),
    INDEX service_jobs_owner (owner, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
-- The files a finished job wrote (workbook, charts, plan), kept with it.
CREATE TABLE service_job_files (
    job_id  VARCHAR(64) NOT NULL,
    name    VARCHAR(255) NOT NULL,
    content LONGBLOB NOT NULL,
    PRIMARY KEY (job_id, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
