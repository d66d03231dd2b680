DROP TRIGGER IF EXISTS bookings_no_overlap_hold_update;
DROP TRIGGER IF EXISTS bookings_no_overlap_hold_insert;
DROP TRIGGER IF EXISTS deposits_hold_no_overlap;
DROP TABLE IF EXISTS deposits;
ALTER TABLE services DROP COLUMN deposit_percent;
ALTER TABLE services DROP COLUMN deposit_minor;
DELETE FROM settings WHERE key IN ('deposit_policy', 'deposit_no_shows');
