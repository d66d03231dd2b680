DELETE FROM outbox WHERE booking_id IS NULL;
CREATE TABLE outbox_old (
  id           INTEGER PRIMARY KEY,
  kind         TEXT    NOT NULL,
  booking_id   INTEGER NOT NULL REFERENCES bookings (id),
  chat_id      INTEGER NOT NULL,
  payload      TEXT    NOT NULL DEFAULT '{}',
  priority     INTEGER NOT NULL DEFAULT 1,
  created_at   INTEGER NOT NULL,
  not_before   INTEGER NOT NULL,
  expires_at   INTEGER,
  leased_until INTEGER,
  attempts     INTEGER NOT NULL DEFAULT 0,
  done_at      INTEGER,
  outcome      TEXT CHECK (outcome IS NULL OR outcome IN
                 ('sent', 'blocked', 'rejected', 'expired', 'obsolete', 'failed'))
);
INSERT INTO outbox_old SELECT * FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (priority, not_before, id) WHERE done_at IS NULL;
CREATE INDEX outbox_booking ON outbox (booking_id);
CREATE INDEX outbox_chat_pending ON outbox (chat_id) WHERE done_at IS NULL;
CREATE INDEX outbox_done ON outbox (done_at) WHERE done_at IS NOT NULL;
DROP TABLE IF EXISTS waitlist;
