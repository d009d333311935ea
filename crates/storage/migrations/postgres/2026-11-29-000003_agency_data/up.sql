-- Agency data for household economic-status verification (核对, S22; 57号 Art. 17): one row
-- per imported file and one per record. Records are keyed by the HMAC-SM3 lookup key of the
-- ID number — the number itself is not stored — and by a digest of the normalised record, so
-- a record delivered twice (the same file, or two files) is stored once.

CREATE TABLE agency_imports (
    id TEXT NOT NULL PRIMARY KEY,
    source TEXT NOT NULL,
    file_name TEXT NOT NULL,
    -- SM3 of the file's bytes: importing the same file again changes nothing.
    file_digest TEXT NOT NULL,
    rows_total INTEGER NOT NULL,
    rows_imported INTEGER NOT NULL,
    rows_duplicate INTEGER NOT NULL,
    rows_failed INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    UNIQUE (source, file_digest)
);

CREATE TABLE agency_records (
    source TEXT NOT NULL,
    record_key TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount_fen BIGINT,
    period_start DATE,
    period_end DATE,
    as_of DATE NOT NULL,
    agency TEXT NOT NULL,
    reference TEXT NOT NULL,
    -- Provenance: the file and row it came from.
    import_id TEXT NOT NULL REFERENCES agency_imports (id),
    row_no INTEGER NOT NULL,
    PRIMARY KEY (source, record_key)
);
CREATE INDEX agency_records_subject ON agency_records (subject_key, kind);

-- Review tasks raised by cross-matching the caseload against agency data (S7, G3): a human
-- decides each; nothing is stopped automatically (PIPL art. 24). One task per person, kind
-- and evidence record, so a re-run raises nothing twice.
CREATE TABLE review_tasks (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    record_key TEXT NOT NULL,
    as_of DATE NOT NULL,
    amount_fen BIGINT,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    run_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    closed_by TEXT,
    closed_at TIMESTAMP,
    PRIMARY KEY (county_code, id),
    UNIQUE (county_code, person_id, kind, record_key)
);
CREATE INDEX review_tasks_open ON review_tasks (county_code, status, created_at);

-- 核对授权 (S21; 57号 Art. 9; PIPL art. 13–14): each adult member's recorded consent to the
-- economic-status check of their household. Without every adult's, nothing is queried.
CREATE TABLE verification_consents (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    signed_on DATE NOT NULL,
    method TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id),
    UNIQUE (county_code, household_id, person_id)
);
