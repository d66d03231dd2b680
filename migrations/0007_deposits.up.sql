-- Deposits through Telegram Payments: a service may ask for a deposit (an amount or a percent
-- of its price); while the client pays, the slot is held by a `deposits` row in status 'held'.

ALTER TABLE services ADD COLUMN deposit_minor INTEGER
  CHECK (deposit_minor IS NULL OR deposit_minor > 0);
ALTER TABLE services ADD COLUMN deposit_percent INTEGER
  CHECK (deposit_percent IS NULL OR deposit_percent BETWEEN 1 AND 100);

-- One row per invoice: the hold of the slot, then (once paid) the payment and its fate.
-- held -> paid (booking_id set) -> refund_due -> refunded, or paid -> kept;
-- held -> expired when unpaid in time.
CREATE TABLE deposits (
  id                          INTEGER PRIMARY KEY,
  user_id                     INTEGER NOT NULL REFERENCES users (id),
  service_id                  INTEGER NOT NULL REFERENCES services (id),
  staff_id                    INTEGER NOT NULL REFERENCES staff (id),
  start_at                    INTEGER NOT NULL,
  end_at                      INTEGER NOT NULL,
  client_name                 TEXT    NOT NULL,
  phone                       TEXT    NOT NULL,
  amount_minor                INTEGER NOT NULL CHECK (amount_minor > 0),
  currency                    TEXT    NOT NULL DEFAULT 'RUB',
  status                      TEXT    NOT NULL DEFAULT 'held'
                              CHECK (status IN ('held', 'expired', 'paid', 'refund_due',
                                                'refunded', 'kept')),
  expires_at                  INTEGER NOT NULL,
  booking_id                  INTEGER REFERENCES bookings (id),
  telegram_payment_charge_id  TEXT,
  provider_payment_charge_id  TEXT,
  paid_at                     INTEGER,
  refunded_at                 INTEGER,
  refunded_by                 INTEGER,
  created_at                  INTEGER NOT NULL,
  updated_at                  INTEGER NOT NULL,
  CHECK (end_at > start_at AND end_at - start_at <= 86400000)
);
CREATE INDEX deposits_held ON deposits (staff_id, start_at) WHERE status = 'held';
CREATE INDEX deposits_booking ON deposits (booking_id);
CREATE INDEX deposits_status ON deposits (status, expires_at);

-- A hold is refused when an active booking or another hold overlaps it...
CREATE TRIGGER deposits_hold_no_overlap
BEFORE INSERT ON deposits
WHEN NEW.status = 'held'
BEGIN
  SELECT RAISE(ABORT, 'slot_taken')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.staff_id = NEW.staff_id AND b.status = 'active' AND b.deleted_at IS NULL
      AND b.start_at > NEW.start_at - 86400000 AND b.start_at < NEW.end_at
      AND b.end_at > NEW.start_at
  ) OR EXISTS (
    SELECT 1 FROM deposits d
    WHERE d.staff_id = NEW.staff_id AND d.status = 'held'
      AND d.start_at > NEW.start_at - 86400000 AND d.start_at < NEW.end_at
      AND d.end_at > NEW.start_at
  );
END;

-- ...and an active booking is refused while a hold covers its time.
CREATE TRIGGER bookings_no_overlap_hold_insert
BEFORE INSERT ON bookings
WHEN NEW.status = 'active' AND NEW.deleted_at IS NULL
BEGIN
  SELECT RAISE(ABORT, 'slot_taken')
  WHERE EXISTS (
    SELECT 1 FROM deposits d
    WHERE d.staff_id = NEW.staff_id AND d.status = 'held'
      AND d.start_at > NEW.start_at - 86400000 AND d.start_at < NEW.end_at
      AND d.end_at > NEW.start_at
  );
END;

CREATE TRIGGER bookings_no_overlap_hold_update
BEFORE UPDATE OF start_at, end_at, staff_id, status, deleted_at ON bookings
WHEN NEW.status = 'active' AND NEW.deleted_at IS NULL
BEGIN
  SELECT RAISE(ABORT, 'slot_taken')
  WHERE EXISTS (
    SELECT 1 FROM deposits d
    WHERE d.staff_id = NEW.staff_id AND d.status = 'held'
      AND d.start_at > NEW.start_at - 86400000 AND d.start_at < NEW.end_at
      AND d.end_at > NEW.start_at
  );
END;
