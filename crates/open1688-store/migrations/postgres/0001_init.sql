-- open1688 store, PostgreSQL. Times are epoch milliseconds; money is NUMERIC.
CREATE TABLE offers (
    offer_id   BIGINT PRIMARY KEY,
    title      TEXT NOT NULL,
    supplier   TEXT,
    data       TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE TABLE snapshots (
    id       BIGSERIAL PRIMARY KEY,
    offer_id BIGINT NOT NULL,
    at_ms    BIGINT NOT NULL,
    stock    BIGINT,
    moq      BIGINT,
    status   TEXT,
    data     TEXT NOT NULL,
    UNIQUE (offer_id, at_ms)
);
CREATE TABLE snapshot_tiers (
    snapshot_id    BIGINT NOT NULL REFERENCES snapshots(id),
    start_quantity BIGINT NOT NULL,
    unit_price     NUMERIC NOT NULL,
    PRIMARY KEY (snapshot_id, start_quantity)
);
CREATE TABLE events (
    id       BIGSERIAL PRIMARY KEY,
    offer_id BIGINT NOT NULL,
    at_ms    BIGINT NOT NULL,
    kind     TEXT NOT NULL,
    data     TEXT NOT NULL
);
CREATE INDEX events_offer ON events (offer_id, at_ms);
CREATE TABLE watches (
    id              BIGSERIAL PRIMARY KEY,
    offer_id        BIGINT,
    keyword         TEXT,
    interval_secs   BIGINT NOT NULL,
    rules           TEXT NOT NULL,
    snooze_until_ms BIGINT,
    max_per_day     BIGINT,
    next_due_ms     BIGINT NOT NULL,
    last_run_ms     BIGINT,
    failures        BIGINT NOT NULL DEFAULT 0,
    claimed_by      TEXT,
    claimed_ms      BIGINT
);
CREATE TABLE alerts (
    id       BIGSERIAL PRIMARY KEY,
    watch_id BIGINT NOT NULL,
    offer_id BIGINT NOT NULL,
    at_ms    BIGINT NOT NULL,
    rule     TEXT NOT NULL,
    message  TEXT NOT NULL,
    UNIQUE (watch_id, offer_id, at_ms, rule)
);
