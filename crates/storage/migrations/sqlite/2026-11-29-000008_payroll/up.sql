-- Enrolments (S4, S5, S21): what a household is paid each month for an enrolled 低保 or 特困
-- case, from `start_month` until `end_month` (inclusive; NULL while it runs). Created by the
-- 纳入保障 move; a suspended enrolment's lines are held.
CREATE TABLE enrolments (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    region_code TEXT NOT NULL,
    programme TEXT NOT NULL,
    monthly_fen BIGINT NOT NULL,
    start_month TEXT NOT NULL,
    end_month TEXT,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id),
    UNIQUE (county_code, case_id)
);
CREATE INDEX enrolments_region ON enrolments (county_code, region_code);
CREATE INDEX enrolments_household ON enrolments (county_code, household_id);

-- Where a household is paid: bank, account and holder (account and holder sealed; the
-- account's keyed hash finds one account paid for several households).
CREATE TABLE payee_accounts (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    bank TEXT NOT NULL,
    account TEXT NOT NULL,
    account_key TEXT NOT NULL,
    holder TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id),
    UNIQUE (county_code, household_id)
);
CREATE INDEX payee_accounts_key ON payee_accounts (account_key);

-- A county's payroll for one month (one run per county and month).
CREATE TABLE payroll_runs (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    month TEXT NOT NULL,
    status TEXT NOT NULL,
    drafted_by TEXT NOT NULL,
    drafted_at TIMESTAMP NOT NULL,
    checked_by TEXT,
    checked_at TIMESTAMP,
    approved_by TEXT,
    approved_at TIMESTAMP,
    exported_at TIMESTAMP,
    reconciled_at TIMESTAMP,
    version INTEGER NOT NULL,
    PRIMARY KEY (county_code, id),
    UNIQUE (county_code, month)
);

-- One payment. Exactly once: a household has at most one line that is not failed or held per
-- programme (or per approval of temporary assistance: `pay_key`) and month, whatever is
-- retried or restarted (the partial unique index below); the id is derived from the source
-- and the month, so a regenerated line is the same row. A failed or held line stays in its run
-- (the run's totals never change after approval); its retry is a new line in a later run.
CREATE TABLE payment_lines (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    month TEXT NOT NULL,
    pay_key TEXT NOT NULL,
    programme TEXT NOT NULL,
    household_id TEXT NOT NULL,
    region_code TEXT NOT NULL,
    source_id TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    bank TEXT NOT NULL,
    account TEXT NOT NULL,
    holder TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    settled_at TIMESTAMP,
    PRIMARY KEY (county_code, id)
);
CREATE UNIQUE INDEX payment_lines_once ON payment_lines (county_code, household_id, pay_key, month)
    WHERE status NOT IN ('failed', 'held');
CREATE INDEX payment_lines_run ON payment_lines (county_code, run_id, status);
