DROP INDEX client_notes_user;
DROP TABLE client_notes;
