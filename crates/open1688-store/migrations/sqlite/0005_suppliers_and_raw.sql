-- Suppliers as last seen (normalized, with the score the monitor gave them), and each offer's
-- latest answer as received from the gateway beside its normalized form.
ALTER TABLE offers ADD COLUMN raw TEXT;
CREATE TABLE suppliers (
    supplier_key TEXT PRIMARY KEY,
    company      TEXT,
    score        TEXT,
    data         TEXT NOT NULL,
    updated_ms   INTEGER NOT NULL
);
