-- Initial schema. Instants are INTEGER milliseconds since the Unix epoch (UTC);
-- wall-clock times of the schedule are minutes after local midnight in BUSINESS_TIMEZONE.

CREATE TABLE staff (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  display_order INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  deleted_at    INTEGER
);

CREATE TABLE services (
  id               INTEGER PRIMARY KEY,
  name             TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description      TEXT    NOT NULL DEFAULT '',
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
  price_minor      INTEGER CHECK (price_minor IS NULL OR price_minor >= 0),
  display_order    INTEGER NOT NULL DEFAULT 0,
  is_active        INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  deleted_at       INTEGER
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,           -- Telegram user id
  first_name    TEXT    NOT NULL DEFAULT '',
  last_name     TEXT,
  username      TEXT,
  language_code TEXT,                          -- as Telegram reports it
  language      TEXT,                          -- chosen by the user, overrides language_code
  last_client_name TEXT,
  last_phone    TEXT,
  blocked_at    INTEGER,                       -- set when Telegram answered 403
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX users_username ON users (lower(username));

CREATE TABLE bookings (
  id                    INTEGER PRIMARY KEY,
  user_id               INTEGER NOT NULL REFERENCES users (id),
  service_id            INTEGER NOT NULL REFERENCES services (id),
  staff_id              INTEGER NOT NULL REFERENCES staff (id),
  start_at              INTEGER NOT NULL,
  end_at                INTEGER NOT NULL,
  client_name           TEXT    NOT NULL,
  phone                 TEXT    NOT NULL,
  status                TEXT    NOT NULL DEFAULT 'active'
                        CHECK (status IN ('active', 'cancelled', 'completed', 'no_show')),
  cancel_reason         TEXT,
  cancelled_by          INTEGER,
  cancelled_at          INTEGER,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  reminder_day_sent_at  INTEGER,
  reminder_hour_sent_at INTEGER,
  feedback_requested_at INTEGER,
  confirmed_at          INTEGER,               -- the client pressed "I'm coming"
  deleted_at            INTEGER,
  -- A booking lasts at most a day: the overlap triggers rely on this bound.
  CHECK (end_at > start_at AND end_at - start_at <= 86400000)
);
CREATE INDEX bookings_staff_start ON bookings (staff_id, start_at)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX bookings_start ON bookings (start_at);
CREATE INDEX bookings_user ON bookings (user_id, start_at);
CREATE INDEX bookings_service ON bookings (service_id);

-- The database itself refuses an overlapping active booking for one staff member,
-- so two processes writing one file cannot both win.
CREATE TRIGGER bookings_no_overlap_insert
BEFORE INSERT ON bookings
WHEN NEW.status = 'active' AND NEW.deleted_at IS NULL
BEGIN
  SELECT RAISE(ABORT, 'slot_taken')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.staff_id = NEW.staff_id AND b.status = 'active' AND b.deleted_at IS NULL
      AND b.start_at > NEW.start_at - 86400000 AND b.start_at < NEW.end_at
      AND b.end_at > NEW.start_at
  );
END;

CREATE TRIGGER bookings_no_overlap_update
BEFORE UPDATE OF start_at, end_at, staff_id, status, deleted_at ON bookings
WHEN NEW.status = 'active' AND NEW.deleted_at IS NULL
BEGIN
  SELECT RAISE(ABORT, 'slot_taken')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.staff_id = NEW.staff_id AND b.status = 'active' AND b.deleted_at IS NULL
      AND b.id <> NEW.id
      AND b.start_at > NEW.start_at - 86400000 AND b.start_at < NEW.end_at
      AND b.end_at > NEW.start_at
  );
END;

-- Weekly hours: one row per staff member and ISO weekday (1 = Monday .. 7 = Sunday).
CREATE TABLE working_hours (
  staff_id     INTEGER NOT NULL REFERENCES staff (id),
  weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  PRIMARY KEY (staff_id, weekday),
  CHECK (end_minute > start_minute)
);

CREATE TABLE breaks (
  id           INTEGER PRIMARY KEY,
  staff_id     INTEGER NOT NULL REFERENCES staff (id),
  weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  CHECK (end_minute > start_minute)
);
CREATE INDEX breaks_staff_day ON breaks (staff_id, weekday);

-- Days off and holidays; staff_id NULL means the whole business is closed.
CREATE TABLE days_off (
  id       INTEGER PRIMARY KEY,
  staff_id INTEGER REFERENCES staff (id),
  day      TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  reason   TEXT
);
CREATE UNIQUE INDEX days_off_unique ON days_off (coalesce(staff_id, 0), day);

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE admins (
  user_id  INTEGER PRIMARY KEY,
  role     TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
  added_by INTEGER,
  added_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor_id  INTEGER,                           -- NULL: the system (jobs, migrations)
  entity    TEXT    NOT NULL,                  -- booking, service, staff, settings, schedule, admin
  entity_id TEXT,
  action    TEXT    NOT NULL,
  field     TEXT,
  old_value TEXT,
  new_value TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id, at);
CREATE INDEX audit_actor ON audit_log (actor_id, at);
CREATE INDEX audit_at ON audit_log (at);

CREATE TABLE feedback (
  id         INTEGER PRIMARY KEY,
  booking_id INTEGER NOT NULL UNIQUE REFERENCES bookings (id),
  user_id    INTEGER NOT NULL REFERENCES users (id),
  service_id INTEGER NOT NULL REFERENCES services (id),
  rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment    TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX feedback_service ON feedback (service_id, created_at);

-- Messages the bot sent with inline keyboards, so old ones can be cleaned up
-- before Telegram's 48-hour deletion limit.
CREATE TABLE bot_messages (
  chat_id    INTEGER NOT NULL,
  message_id INTEGER NOT NULL,
  sent_at    INTEGER NOT NULL,
  deleted_at INTEGER,
  PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX bot_messages_pending ON bot_messages (sent_at) WHERE deleted_at IS NULL;

-- One row per job run that must happen once per key (e.g. the admin agenda of a day).
CREATE TABLE job_marks (
  kind    TEXT    NOT NULL,
  key     TEXT    NOT NULL,
  done_at INTEGER NOT NULL,
  PRIMARY KEY (kind, key)
);

INSERT INTO staff (id, name, is_active, display_order, created_at, updated_at)
VALUES (1, 'Master', 1, 0, CAST(unixepoch('subsec') * 1000 AS INTEGER),
        CAST(unixepoch('subsec') * 1000 AS INTEGER));
