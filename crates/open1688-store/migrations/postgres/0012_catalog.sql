-- The catalog: every offer a crawl stored, with the columns its search filters and sorts on and
-- the whole entry (standardized attributes, the crawls that saw it) as JSON. The offer itself
-- (normalized and raw), its supplier and its snapshots live in offers, suppliers and snapshots,
-- like every recorded offer. Money is NUMERIC here, exact decimal TEXT in SQLite.
CREATE TABLE catalog (
    offer_id     BIGINT PRIMARY KEY,
    title        TEXT NOT NULL,
    category_id  BIGINT,
    province     TEXT,
    city         TEXT,
    supplier_key TEXT,
    identities   TEXT NOT NULL,
    moq          BIGINT,
    lowest_price NUMERIC(18, 4),
    data         TEXT NOT NULL,
    fetched_ms   BIGINT NOT NULL
);
CREATE INDEX catalog_fetched ON catalog (fetched_ms);
