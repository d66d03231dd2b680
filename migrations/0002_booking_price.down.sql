-- Back to prices read from the service: the price each booking was booked with is dropped.
DROP TRIGGER bookings_price_as_booked;
ALTER TABLE bookings DROP COLUMN duration_minutes;
ALTER TABLE bookings DROP COLUMN price_minor;
