-- Issue 17 (S7 分类动态管理): what an enrolment covers and when it is next reviewed. `people` is
-- the number of persons the enrolment covers (the whole household for 低保, one person for 特困
-- or a 单人户), which the statistics count; `review_due` (YYYY-MM-DD) is the date of its next
-- periodic review, carried from the old system at go-live or set by the decision.
ALTER TABLE enrolments ADD COLUMN people INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enrolments ADD COLUMN review_due TEXT;
-- The due list of a township: its enrolments by next review date.
CREATE INDEX enrolments_review_due ON enrolments (county_code, review_due, region_code);
