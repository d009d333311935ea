DROP TABLE case_instalments;
ALTER TABLE hotline_requests DROP COLUMN kinds;
ALTER TABLE hotline_requests DROP COLUMN household_id;
ALTER TABLE hotline_requests DROP COLUMN source;
ALTER TABLE cases DROP COLUMN rules_opinion;
ALTER TABLE cases DROP COLUMN near_relative;
