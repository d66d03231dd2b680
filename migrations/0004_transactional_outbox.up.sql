-- The transactional outbox: every message a booking change owes (the client's confirmation
-- with the .ics, notices of a move or a cancellation, the admins' notices, reminders and
-- feedback requests) is a row written in the same transaction as the change. One sender
-- delivers rows and marks them done, so a crash never leaves a committed change unannounced.
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY,
  kind         TEXT    NOT NULL,
  booking_id   INTEGER NOT NULL REFERENCES bookings (id),
  chat_id      INTEGER NOT NULL,               -- the recipient (a Telegram user id)
  payload      TEXT    NOT NULL DEFAULT '{}',  -- JSON: what the booking row no longer says
  priority     INTEGER NOT NULL DEFAULT 1,     -- lower goes first: 0 replies a client waits for
  created_at   INTEGER NOT NULL,
  not_before   INTEGER NOT NULL,               -- no attempt before this (backoff after a failure)
  expires_at   INTEGER,                        -- not worth sending after this; NULL: never
  leased_until INTEGER,                        -- a sender has it in hand until then
  attempts     INTEGER NOT NULL DEFAULT 0,
  done_at      INTEGER,                        -- delivered or given up
  outcome      TEXT CHECK (outcome IS NULL OR outcome IN
                 ('sent', 'blocked', 'rejected', 'expired', 'obsolete', 'failed'))
);
CREATE INDEX outbox_pending ON outbox (priority, not_before, id) WHERE done_at IS NULL;
CREATE INDEX outbox_booking ON outbox (booking_id);
CREATE INDEX outbox_chat_pending ON outbox (chat_id) WHERE done_at IS NULL;
CREATE INDEX outbox_done ON outbox (done_at) WHERE done_at IS NOT NULL;
