DROP INDEX hotline_one_case;
DROP INDEX enrolments_one_running;
DROP INDEX cases_one_open;
