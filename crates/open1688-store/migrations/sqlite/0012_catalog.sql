-- The catalog: every offer a crawl stored, with the columns its search filters and sorts on and
-- the whole entry (standardized attributes, the crawls that saw it) as JSON. The offer itself
-- (normalized and raw), its supplier and its snapshots live in offers, suppliers and snapshots,
-- like every recorded offer. Money is exact decimal TEXT here, NUMERIC in PostgreSQL.
CREATE TABLE catalog (
    offer_id     BIGINT PRIMARY KEY,
    title        TEXT NOT NULL,
    category_id  BIGINT,
    province     TEXT,
    city         TEXT,
    supplier_key TEXT,
    identities   TEXT NOT NULL,
    moq          BIGINT,
    lowest_price TEXT,
    data         TEXT NOT NULL,
    fetched_ms   BIGINT NOT NULL
);
CREATE INDEX catalog_fetched ON catalog (fetched_ms);
