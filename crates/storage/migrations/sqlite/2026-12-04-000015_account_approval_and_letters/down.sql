DROP TABLE password_letters;
ALTER TABLE users DROP COLUMN supervisor_id;
ALTER TABLE users DROP COLUMN requested_by;
ALTER TABLE users DROP COLUMN approval;
