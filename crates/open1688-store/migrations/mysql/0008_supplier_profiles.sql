-- Suppliers' full profiles (one offer's detail and the seller's listing, merged), read once and
-- kept so every surface scores a supplier from the same signals until the profile goes stale.
CREATE TABLE supplier_profiles (
    open_id    VARCHAR(191) PRIMARY KEY,
    profile    LONGTEXT NOT NULL,
    fetched_ms BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
