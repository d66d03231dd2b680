-- Masters in Telegram: a master's staff record may be linked to one Telegram account, through
-- a one-time invite link (stored hashed; 48 hours; single use).
ALTER TABLE staff ADD COLUMN user_id INTEGER;
CREATE UNIQUE INDEX staff_user ON staff (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE staff_links (
  token_hash TEXT PRIMARY KEY,
  staff_id   INTEGER NOT NULL REFERENCES staff (id),
  created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  used_by    INTEGER
) WITHOUT ROWID;
CREATE INDEX staff_links_staff ON staff_links (staff_id);
