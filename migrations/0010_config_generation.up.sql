-- A counter of configuration changes, kept by SQLite itself: every insert, update or delete in a
-- table the bot caches (services, masters, hours, breaks, days off, settings, admins, who does
-- what) bumps it in the same transaction, whoever writes (any bot process, a tool, a migration).
-- A process may keep what it read while the counter is unchanged (src/db/config_cache.ts).
CREATE TABLE config_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO config_generation (id, n) VALUES (1, 1);

CREATE TRIGGER config_generation_services_insert AFTER INSERT ON services
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_services_update AFTER UPDATE ON services
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_services_delete AFTER DELETE ON services
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_staff_insert AFTER INSERT ON staff
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_staff_update AFTER UPDATE ON staff
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_staff_delete AFTER DELETE ON staff
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_working_hours_insert AFTER INSERT ON working_hours
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_working_hours_update AFTER UPDATE ON working_hours
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_working_hours_delete AFTER DELETE ON working_hours
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_breaks_insert AFTER INSERT ON breaks
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_breaks_update AFTER UPDATE ON breaks
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_breaks_delete AFTER DELETE ON breaks
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_days_off_insert AFTER INSERT ON days_off
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_days_off_update AFTER UPDATE ON days_off
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_days_off_delete AFTER DELETE ON days_off
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_settings_insert AFTER INSERT ON settings
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_settings_update AFTER UPDATE ON settings
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_settings_delete AFTER DELETE ON settings
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_admins_insert AFTER INSERT ON admins
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_admins_update AFTER UPDATE ON admins
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_admins_delete AFTER DELETE ON admins
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_master_services_insert AFTER INSERT ON master_services
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_master_services_update AFTER UPDATE ON master_services
BEGIN UPDATE config_generation SET n = n + 1; END;
CREATE TRIGGER config_generation_master_services_delete AFTER DELETE ON master_services
BEGIN UPDATE config_generation SET n = n + 1; END;
