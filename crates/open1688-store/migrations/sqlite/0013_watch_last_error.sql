-- Why a failing watch failed last (the monitor's error, no secrets in it), so a paused watch can
-- say why; cleared when a check succeeds.
ALTER TABLE watches ADD COLUMN last_error TEXT;
