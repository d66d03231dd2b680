-- Bookings keep the price and the duration they were booked with, so a later change of the
-- service's price or length does not rewrite past revenue, cards or exports.

-- The price as booked, in minor units; NULL when the service had no price.
ALTER TABLE bookings ADD COLUMN price_minor INTEGER CHECK (price_minor IS NULL OR price_minor >= 0);
-- The duration as booked is the time the booking takes, so it is derived and can never
-- disagree with start_at/end_at (a move to another service changes both).
ALTER TABLE bookings ADD COLUMN duration_minutes INTEGER
  GENERATED ALWAYS AS ((end_at - start_at) / 60000) VIRTUAL;

-- Existing bookings: the service's current price is the only price known.
UPDATE bookings
SET price_minor = (SELECT s.price_minor FROM services s WHERE s.id = bookings.service_id);

-- A booking inserted without a price (older code, imports, tools) takes its service's price
-- at that moment, as a default would if SQLite allowed a subquery there.
CREATE TRIGGER bookings_price_as_booked
AFTER INSERT ON bookings
WHEN NEW.price_minor IS NULL
BEGIN
  UPDATE bookings
  SET price_minor = (SELECT s.price_minor FROM services s WHERE s.id = NEW.service_id)
  WHERE id = NEW.id;
END;
