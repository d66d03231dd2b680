DROP TRIGGER IF EXISTS master_services_new_master;
DROP TRIGGER IF EXISTS master_services_new_service;
DROP TABLE IF EXISTS master_services;
