-- Which master does which service, optionally with the master's own duration or price.
-- A master without a row here is not offered for the service and cannot be booked for it.
CREATE TABLE master_services (
  staff_id         INTEGER NOT NULL REFERENCES staff (id),
  service_id       INTEGER NOT NULL REFERENCES services (id),
  -- NULL: the service's own duration / price.
  duration_minutes INTEGER CHECK (duration_minutes IS NULL OR duration_minutes BETWEEN 5 AND 720),
  price_minor      INTEGER CHECK (price_minor IS NULL OR price_minor >= 0),
  PRIMARY KEY (staff_id, service_id)
) WITHOUT ROWID;
CREATE INDEX master_services_service ON master_services (service_id, staff_id);

-- Existing installs change nothing: every master does every service.
INSERT INTO master_services (staff_id, service_id)
SELECT st.id, sv.id FROM staff st CROSS JOIN services sv
WHERE st.deleted_at IS NULL AND sv.deleted_at IS NULL;

-- A new service is done by every master and a new master does every service, whatever code
-- inserts them (admin screens, demo data, tools); owners narrow it down afterwards.
CREATE TRIGGER master_services_new_service
AFTER INSERT ON services
BEGIN
  INSERT OR IGNORE INTO master_services (staff_id, service_id)
  SELECT id, NEW.id FROM staff WHERE deleted_at IS NULL;
END;

CREATE TRIGGER master_services_new_master
AFTER INSERT ON staff
BEGIN
  INSERT OR IGNORE INTO master_services (staff_id, service_id)
  SELECT NEW.id, id FROM services WHERE deleted_at IS NULL;
END;
