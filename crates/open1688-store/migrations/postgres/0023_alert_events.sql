-- What an alert says, as data (open1688_store::AlertEvent as JSON): each surface renders it in
-- its reader's language. Alerts stored before it keep only their English message.
ALTER TABLE alerts ADD COLUMN event TEXT;
