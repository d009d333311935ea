-- Overpayments to recover (G3: 追回骗取的救助金; also errors and changes reported late), each
-- linked to the case that caused it: repayments, offsets against later payments where allowed,
-- and write-off with a second person's approval.
CREATE TABLE receivables (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    region_code TEXT NOT NULL,
    -- fraud | error | late_change
    cause TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    -- Offsets per month against the household's later payments (0: no offsetting).
    offset_per_month_fen BIGINT NOT NULL,
    -- open | write_off_requested | settled | written_off
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    write_off_reason TEXT NOT NULL,
    write_off_requested_by TEXT,
    version INTEGER NOT NULL,
    PRIMARY KEY (county_code, id)
);
CREATE INDEX receivables_household ON receivables (county_code, household_id);

-- Money recovered or written off. An offset names the payment line it was taken from; one
-- offset per receivable and line, so regenerating a run never offsets twice.
CREATE TABLE receivable_entries (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    receivable_id TEXT NOT NULL,
    -- repayment | offset | write_off
    kind TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    line_id TEXT,
    note TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id),
    UNIQUE (county_code, receivable_id, line_id)
);

-- What was withheld from a payment line to recover an overpayment (the line pays the rest).
ALTER TABLE payment_lines ADD COLUMN offset_fen BIGINT NOT NULL DEFAULT 0;
