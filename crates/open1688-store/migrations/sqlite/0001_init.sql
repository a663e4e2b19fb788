-- open1688 store, SQLite. Times are epoch milliseconds; money is TEXT (exact decimal strings).
CREATE TABLE offers (
    offer_id   INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    supplier   TEXT,
    data       TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE TABLE snapshots (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    offer_id INTEGER NOT NULL,
    at_ms    INTEGER NOT NULL,
    stock    INTEGER,
    moq      INTEGER,
    status   TEXT,
    data     TEXT NOT NULL,
    UNIQUE (offer_id, at_ms)
);
CREATE TABLE snapshot_tiers (
    snapshot_id    INTEGER NOT NULL REFERENCES snapshots(id),
    start_quantity INTEGER NOT NULL,
    unit_price     TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, start_quantity)
);
CREATE TABLE events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    offer_id INTEGER NOT NULL,
    at_ms    INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    data     TEXT NOT NULL
);
CREATE INDEX events_offer ON events (offer_id, at_ms);
CREATE TABLE watches (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    offer_id        INTEGER,
    keyword         TEXT,
    interval_secs   INTEGER NOT NULL,
    rules           TEXT NOT NULL,
    snooze_until_ms INTEGER,
    max_per_day     INTEGER,
    next_due_ms     INTEGER NOT NULL,
    last_run_ms     INTEGER,
    failures        INTEGER NOT NULL DEFAULT 0,
    claimed_by      TEXT,
    claimed_ms      INTEGER
);
CREATE TABLE alerts (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    watch_id INTEGER NOT NULL,
    offer_id INTEGER NOT NULL,
    at_ms    INTEGER NOT NULL,
    rule     TEXT NOT NULL,
    message  TEXT NOT NULL,
    UNIQUE (watch_id, offer_id, at_ms, rule)
);
