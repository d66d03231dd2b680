-- Private notes of admins about a client (a Telegram user): who wrote each and when.
-- Clients never see them.
CREATE TABLE client_notes (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  author_id  INTEGER NOT NULL,
  text       TEXT    NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
  created_at INTEGER NOT NULL
);
CREATE INDEX client_notes_user ON client_notes (user_id, created_at);
