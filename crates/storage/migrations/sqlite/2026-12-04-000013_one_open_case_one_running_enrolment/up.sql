-- Issue 15 F1, F8: "already open" and "already enrolled" are enforced by the database, not only
-- checked before the insert, so concurrent filings or enrolments cannot make duplicates.
-- One open case per household and programme: the stages listed are the final ones
-- (`Stage::is_final`; a test keeps the two lists equal).
CREATE UNIQUE INDEX cases_one_open ON cases (county_code, household_id, kind)
    WHERE stage NOT IN ('enrolled', 'refused', 'not_accepted', 'transferred', 'withdrawn');
-- One running monthly enrolment (低保, 特困) per household and programme.
CREATE UNIQUE INDEX enrolments_one_running ON enrolments (county_code, household_id, programme)
    WHERE status <> 'ended' AND programme IN ('dibao', 'tekun');
-- One case per hotline or online request.
CREATE UNIQUE INDEX hotline_one_case ON hotline_requests (county_code, case_id)
    WHERE case_id IS NOT NULL;
