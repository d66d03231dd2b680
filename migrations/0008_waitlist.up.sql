-- The waitlist (issue 13): a client whose day is full asks to be told when a time frees up
-- (a service, a day, a master or any, a part of the day). A freed time is offered to one
-- waiting client at a time, in the order they joined, held for WAITLIST_HOLD_MINUTES.
CREATE TABLE waitlist (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  service_id  INTEGER NOT NULL REFERENCES services (id),
  staff_id    INTEGER REFERENCES staff (id),       -- NULL: any master
  day         TEXT    NOT NULL,                    -- YYYY-MM-DD in BUSINESS_TIMEZONE
  part        TEXT    NOT NULL DEFAULT 'any'
                CHECK (part IN ('any', 'morning', 'afternoon', 'evening')),
  status      TEXT    NOT NULL DEFAULT 'waiting'
                CHECK (status IN ('waiting', 'offered', 'booked', 'left', 'expired')),
  offer_start INTEGER,                             -- the time offered now (epoch ms)
  offer_staff INTEGER,
  offer_until INTEGER,                             -- the offer is held until then
  passed      TEXT    NOT NULL DEFAULT '[]',       -- JSON: starts offered and let go
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX waitlist_open ON waitlist (day, id) WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_user ON waitlist (user_id) WHERE status IN ('waiting', 'offered');

-- Waitlist offers go through the outbox but belong to no booking: booking_id becomes optional.
CREATE TABLE outbox_new (
  id           INTEGER PRIMARY KEY,
  kind         TEXT    NOT NULL,
  booking_id   INTEGER REFERENCES bookings (id),
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
INSERT INTO outbox_new SELECT id, kind, booking_id, chat_id, payload, priority, created_at,
  not_before, expires_at, leased_until, attempts, done_at, outcome FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (priority, not_before, id) WHERE done_at IS NULL;
CREATE INDEX outbox_booking ON outbox (booking_id);
CREATE INDEX outbox_chat_pending ON outbox (chat_id) WHERE done_at IS NULL;
CREATE INDEX outbox_done ON outbox (done_at) WHERE done_at IS NOT NULL;
