ALTER TABLE cases DROP COLUMN rules_input;
ALTER TABLE cases DROP COLUMN hardship;
DROP INDEX supporters_household;
DROP TABLE supporters;
