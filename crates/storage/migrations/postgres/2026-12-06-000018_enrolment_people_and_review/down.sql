DROP INDEX enrolments_review_due;
ALTER TABLE enrolments DROP COLUMN review_due;
ALTER TABLE enrolments DROP COLUMN people;
