//! The classification of every table under DESIGN.md's scale-ready rules. The migrations test
//! checks each table is listed exactly once and obeys its class's rules.

/// Tables partitioned by county: `county_code` NOT NULL, primary key `(county_code, id)`,
/// every unique and foreign key among them includes `county_code`.
pub const PER_COUNTY_TABLES: &[&str] = &[
    "households",
    "persons",
    "memberships",
    "economic_records",
    "supporters",
    "audit_log",
    "review_tasks",
    "verification_consents",
    "verification_reports",
    "cases",
    "case_events",
    "case_transfers",
    "case_decisions",
    "case_instalments",
    "enrolments",
    "payee_accounts",
    "payroll_runs",
    "payment_lines",
    "reserve_funds",
    "reserve_entries",
    "receivables",
    "receivable_entries",
    "budgets",
    "hotline_requests",
];

/// Reference tables: no county key, never point into per-county tables.
pub const REFERENCE_TABLES: &[&str] = &["regions", "holidays"];

/// Global index tables keyed by something national (the ID number's lookup key); they locate a
/// row in a county but hold no foreign key into per-county tables.
pub const GLOBAL_INDEX_TABLES: &[&str] = &["person_identity"];

/// City-wide security tables: accounts, sessions, near-relative filings and the heads of the
/// audit chains. Small, never pointing into per-county tables.
pub const SECURITY_TABLES: &[&str] = &[
    "users",
    "password_letters",
    "sessions",
    "near_relatives",
    "audit_heads",
    "audit_registry",
];

/// Agency data for verification (核对): keyed by source and record digest, located by the ID
/// number's lookup key; large, city-wide, never pointing into per-county tables (distributed
/// by `subject_key` when the database is).
pub const AGENCY_TABLES: &[&str] = &["agency_imports", "agency_records"];
