-- The catalog searched in PostgreSQL itself, so that several service instances share one index.
-- PostgreSQL's own text search cannot segment Chinese (no spaces between words; its parser and
-- pg_trgm classify characters by locale), so the store segments titles with jieba, the analyzer
-- of the embedded index, and keeps the words as a tsvector: the title's words weighted A, the
-- other text's (English title, category, supplier, attributes) unweighted; a GIN index answers
-- "every word appears" and ts_rank orders by match. Beside them, what hits show and filters,
-- facets and sorts read: the price ladder as two arrays (start quantities, unit prices), the
-- supplier's identities, band and score. A table of its own, narrow enough to stay in memory: a
-- catalog row carries the whole entry as JSON, and a search that read those rows would read
-- hundreds of megabytes for 100,000 offers.
CREATE TABLE catalog_search (
    offer_id    BIGINT PRIMARY KEY REFERENCES catalog (offer_id) ON DELETE CASCADE,
    search      tsvector NOT NULL,
    title       TEXT NOT NULL,
    province    TEXT,
    city        TEXT,
    identities  TEXT[] NOT NULL,
    -- The same identities, sorted and joined by spaces: what the identity facet groups by.
    identity_set TEXT NOT NULL,
    band        TEXT,
    category_id BIGINT,
    moq         BIGINT,
    score       NUMERIC,
    tier_starts BIGINT[] NOT NULL,
    tier_prices NUMERIC[] NOT NULL
);
CREATE INDEX catalog_search_words ON catalog_search USING GIN (search);
-- Entries to make searchable: those stored before this migration, and every entry when the
-- index is rebuilt. The next search works the queue off first.
CREATE TABLE catalog_unsearchable (offer_id BIGINT PRIMARY KEY);
INSERT INTO catalog_unsearchable (offer_id) SELECT offer_id FROM catalog;
