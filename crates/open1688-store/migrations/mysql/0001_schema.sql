-- open1688 store, MySQL 8 / MariaDB 10.6+. The schema of the PostgreSQL and SQLite migrations
-- 0001 to 0012 in one step (MySQL support began there); a later migration has the same number in
-- every folder that needs it (0013 is PostgreSQL's catalog search). Times are epoch milliseconds;
-- money is DECIMAL; text is utf8mb4.
-- Keys looked up by equality (supplier keys, app keys, checkpoint and cache names, message ids)
-- are COLLATE utf8mb4_bin, so they compare byte for byte as in the other two databases; nothing
-- the store reads back is binary-collated, because the driver reads such columns as bytes.
-- Columns that hold whole answers (offers, snapshots, checkpoints) are LONGTEXT: TEXT stops at
-- 64 KiB. Keys longer than an index can hold are indexed by their SHA-256.
CREATE TABLE offers (
    offer_id   BIGINT PRIMARY KEY,
    title      TEXT NOT NULL,
    supplier   TEXT,
    data       LONGTEXT NOT NULL,
    raw        LONGTEXT,
    updated_ms BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE snapshots (
    id       BIGINT AUTO_INCREMENT PRIMARY KEY,
    offer_id BIGINT NOT NULL,
    at_ms    BIGINT NOT NULL,
    stock    BIGINT,
    moq      BIGINT,
    status   VARCHAR(64),
    data     LONGTEXT NOT NULL,
    point    TEXT,
    UNIQUE (offer_id, at_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE snapshot_tiers (
    snapshot_id    BIGINT NOT NULL,
    start_quantity BIGINT NOT NULL,
    unit_price     DECIMAL(20, 4) NOT NULL,
    PRIMARY KEY (snapshot_id, start_quantity),
    FOREIGN KEY (snapshot_id) REFERENCES snapshots (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE events (
    id       BIGINT AUTO_INCREMENT PRIMARY KEY,
    offer_id BIGINT NOT NULL,
    at_ms    BIGINT NOT NULL,
    kind     VARCHAR(64) NOT NULL,
    data     LONGTEXT NOT NULL,
    INDEX events_offer (offer_id, at_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE watches (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    offer_id        BIGINT,
    keyword         TEXT,
    interval_secs   BIGINT NOT NULL,
    rules           TEXT NOT NULL,
    snooze_until_ms BIGINT,
    max_per_day     BIGINT,
    next_due_ms     BIGINT NOT NULL,
    last_run_ms     BIGINT,
    failures        BIGINT NOT NULL DEFAULT 0,
    claimed_by      VARCHAR(255),
    claimed_ms      BIGINT,
    paused_until_ms BIGINT,
    INDEX watches_due (next_due_ms, id),
    INDEX watches_offer (offer_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE alerts (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    watch_id        BIGINT NOT NULL,
    offer_id        BIGINT NOT NULL,
    at_ms           BIGINT NOT NULL,
    rule            TEXT NOT NULL,
    message         TEXT NOT NULL,
    acknowledged_ms BIGINT,
    acknowledged_by VARCHAR(255),
    -- A rule is free text: the uniqueness of (watch, offer, time, rule) is kept on its hash.
    rule_hash       BINARY(32) AS (UNHEX(SHA2(rule, 256))) PERSISTENT,
    UNIQUE alerts_once (watch_id, offer_id, at_ms, rule_hash),
    INDEX alerts_at (at_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- OAuth tokens, encrypted with AES-256-GCM (nonce and ciphertext base64).
CREATE TABLE tokens (
    app_key    VARCHAR(255) COLLATE utf8mb4_bin PRIMARY KEY,
    nonce      TEXT NOT NULL,
    ciphertext TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE job_runs (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    job          VARCHAR(255) NOT NULL,
    worker       VARCHAR(255) NOT NULL,
    started_ms   BIGINT NOT NULL,
    heartbeat_ms BIGINT NOT NULL,
    finished_ms  BIGINT,
    status       VARCHAR(32) NOT NULL,
    checks       BIGINT NOT NULL DEFAULT 0,
    succeeded    BIGINT NOT NULL DEFAULT 0,
    alerts       BIGINT NOT NULL DEFAULT 0,
    INDEX job_runs_worker (worker, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE checkpoints (
    name       VARCHAR(512) COLLATE utf8mb4_bin PRIMARY KEY,
    value      LONGTEXT NOT NULL,
    updated_ms BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE suppliers (
    supplier_key VARCHAR(512) COLLATE utf8mb4_bin PRIMARY KEY,
    company      TEXT,
    score        DECIMAL(20, 4),
    data         LONGTEXT NOT NULL,
    updated_ms   BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE alert_outbox (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    delivery_id     VARCHAR(128) NOT NULL,
    channel         VARCHAR(255) NOT NULL,
    watch_id        BIGINT NOT NULL,
    alerts          LONGTEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL,
    claimed_by      VARCHAR(255),
    delivered_ms    BIGINT,
    last_error      TEXT,
    UNIQUE (delivery_id, channel),
    INDEX alert_outbox_pending (delivered_ms, next_attempt_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE api_keys (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    scope       VARCHAR(16) NOT NULL,
    secret_hash VARCHAR(128) NOT NULL,
    created_ms  BIGINT NOT NULL,
    revoked_ms  BIGINT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE push_messages (
    msg_id      VARCHAR(255) COLLATE utf8mb4_bin PRIMARY KEY,
    topic       VARCHAR(255) NOT NULL,
    user_info   TEXT,
    born_ms     BIGINT,
    message     LONGTEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    INDEX push_messages_topic (topic, received_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Cache keys are an API name and its parameters (a search keyword, a page): unbounded, so an
-- entry is unique by the SHA-256 of namespace and key, and found through a prefix index.
CREATE TABLE response_cache (
    namespace  VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    "key"      TEXT COLLATE utf8mb4_bin NOT NULL,
    api        VARCHAR(255) NOT NULL,
    body       LONGBLOB NOT NULL,
    stored_ms  BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    key_hash   BINARY(32) AS (UNHEX(SHA2(CONCAT(namespace, CHAR(0), "key"), 256))) PERSISTENT,
    UNIQUE response_cache_entry (key_hash),
    INDEX response_cache_lookup (namespace, "key"(255)),
    INDEX response_cache_expiry (expires_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE catalog (
    offer_id     BIGINT PRIMARY KEY,
    title        TEXT NOT NULL,
    category_id  BIGINT,
    province     VARCHAR(255),
    city         VARCHAR(255),
    supplier_key VARCHAR(512),
    identities   TEXT NOT NULL,
    moq          BIGINT,
    lowest_price DECIMAL(20, 4),
    data         LONGTEXT NOT NULL,
    fetched_ms   BIGINT NOT NULL,
    INDEX catalog_fetched (fetched_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
