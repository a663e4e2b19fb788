-- Suppliers' full profiles (one offer's detail and the seller's listing, merged), read once and
-- kept so every surface scores a supplier from the same signals until the profile goes stale.
CREATE TABLE supplier_profiles (
    open_id    TEXT PRIMARY KEY,
    profile    TEXT NOT NULL,
    fetched_ms BIGINT NOT NULL
);
