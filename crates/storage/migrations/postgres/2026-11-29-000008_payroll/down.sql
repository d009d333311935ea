DROP TABLE payment_lines;
DROP TABLE payroll_runs;
DROP TABLE payee_accounts;
DROP TABLE enrolments;
