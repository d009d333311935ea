//! The fund view's queries (G2, G3): budgets, what each county's runs approved and paid per
//! programme in a year, and the anomalies a supervisor looks for — lines for a month after
//! their enrolment ended (a stop recorded late) or after a member's death in the agencies'
//! data, one account paid for several households, and lines whose enrolment or instalment
//! does not exist.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::models::BudgetRow;
use crate::raw_sql::load;
use crate::schema::budgets;
use crate::{DbConnection, StorageError};

/// Sets (or replaces) a budget.
pub fn set_budget(conn: &mut DbConnection, row: &BudgetRow) -> Result<(), StorageError> {
    diesel::delete(
        budgets::table
            .filter(budgets::county_code.eq(&row.county_code))
            .filter(budgets::id.eq(&row.id)),
    )
    .execute(conn)?;
    diesel::insert_into(budgets::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The budgets of these counties for a year.
pub fn budgets(
    conn: &mut DbConnection,
    counties: &[String],
    year: i32,
) -> Result<Vec<BudgetRow>, StorageError> {
    Ok(budgets::table
        .filter(budgets::county_code.eq_any(counties))
        .filter(budgets::year.eq(year))
        .select(BudgetRow::as_select())
        .load(conn)?)
}

/// Sums of a county's lines in a year's approved runs, per programme and status.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Spent {
    /// Programme.
    #[diesel(sql_type = Text)]
    pub programme: String,
    /// Line status.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// Fen.
    #[diesel(sql_type = BigInt)]
    pub fen: i64,
}

/// What the county's approved (and later) runs of `year` hold, per programme and line status.
pub fn spent(conn: &mut DbConnection, county: &str, year: i32) -> Result<Vec<Spent>, StorageError> {
    let sql = "SELECT l.programme, l.status, CAST(COALESCE(SUM(l.amount_fen), 0) AS BIGINT) AS fen \
               FROM payment_lines l JOIN payroll_runs r ON r.county_code = l.county_code AND r.id = l.run_id \
               WHERE l.county_code = ? AND r.status IN ('approved', 'exported', 'reconciled') \
                 AND r.month BETWEEN ? AND ? \
               GROUP BY l.programme, l.status";
    let (from, to) = (format!("{year}-01"), format!("{year}-12"));
    load(conn, sql, &[county, &from, &to])
}

/// One anomalous payment line.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Suspect {
    /// The line.
    #[diesel(sql_type = Text)]
    pub line_id: String,
    /// The household.
    #[diesel(sql_type = Text)]
    pub household_id: String,
    /// The month paid for.
    #[diesel(sql_type = Text)]
    pub month: String,
    /// Programme.
    #[diesel(sql_type = Text)]
    pub programme: String,
    /// Amount in fen.
    #[diesel(sql_type = BigInt)]
    pub amount_fen: i64,
    /// Line status.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// What is odd.
    #[diesel(sql_type = Text)]
    pub detail: String,
}

const SUSPECT: &str =
    "l.id AS line_id, l.household_id, l.month, l.programme, l.amount_fen, l.status";

/// Lines (not failed) for a month after their enrolment's last paid month.
pub fn paid_after_end(conn: &mut DbConnection, county: &str) -> Result<Vec<Suspect>, StorageError> {
    let sql = format!(
        "SELECT {SUSPECT}, e.note AS detail FROM payment_lines l \
         JOIN enrolments e ON e.county_code = l.county_code AND e.id = l.source_id \
         WHERE l.county_code = ? AND e.end_month IS NOT NULL AND l.month > e.end_month \
           AND l.status <> 'failed' ORDER BY l.month, l.id LIMIT 1000"
    );
    load(conn, &sql, &[county])
}

/// Lines (not failed) for a month after the month in which a current member of the household
/// died according to the agencies' data (S21: paid up to the month of death, stopped after).
/// The detail is the day of death.
pub fn paid_after_death(
    conn: &mut DbConnection,
    county: &str,
) -> Result<Vec<Suspect>, StorageError> {
    let died = "COALESCE(r.period_start, r.as_of)";
    let sql = format!(
        "SELECT {SUSPECT}, CAST({died} AS TEXT) AS detail FROM payment_lines l \
         JOIN memberships m ON m.county_code = l.county_code AND m.household_id = l.household_id \
              AND m.left_on IS NULL \
         JOIN person_identity p ON p.county_code = m.county_code AND p.person_id = m.person_id \
         JOIN agency_records r ON r.subject_key = p.id_key AND r.kind = 'death' \
         WHERE l.county_code = ? AND l.status <> 'failed' \
           AND l.month > substr(CAST({died} AS TEXT), 1, 7) \
         ORDER BY l.month, l.id LIMIT 1000"
    );
    load(conn, &sql, &[county])
}

/// Lines (not failed) to an account that is the payee account of more than one household.
pub fn shared_accounts(
    conn: &mut DbConnection,
    county: &str,
) -> Result<Vec<Suspect>, StorageError> {
    let sql = format!(
        "SELECT {SUSPECT}, a.account_key AS detail FROM payment_lines l \
         JOIN payee_accounts a ON a.county_code = l.county_code AND a.household_id = l.household_id \
         WHERE l.county_code = ? AND l.status <> 'failed' AND a.account_key IN ( \
            SELECT account_key FROM payee_accounts GROUP BY account_key \
            HAVING COUNT(DISTINCT county_code || household_id) > 1) \
         ORDER BY a.account_key, l.month, l.id LIMIT 1000"
    );
    load(conn, &sql, &[county])
}

/// Lines whose enrolment or instalment does not exist.
pub fn without_source(conn: &mut DbConnection, county: &str) -> Result<Vec<Suspect>, StorageError> {
    let sql = format!(
        "SELECT {SUSPECT}, l.source_id AS detail FROM payment_lines l \
         WHERE l.county_code = ? \
           AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.county_code = l.county_code AND e.id = l.source_id) \
           AND NOT EXISTS (SELECT 1 FROM case_instalments i WHERE i.county_code = l.county_code AND i.id = l.source_id) \
         ORDER BY l.month, l.id LIMIT 1000"
    );
    load(conn, &sql, &[county])
}

/// The county's enrolled cases of the programmes `kinds` (the monthly ones: their decided
/// amount and the rules' answer).
pub fn enrolled_cases(
    conn: &mut DbConnection,
    county: &str,
    kinds: &[&str],
) -> Result<Vec<crate::models::CaseRow>, StorageError> {
    use crate::schema::cases;
    Ok(cases::table
        .filter(cases::county_code.eq(county))
        .filter(cases::stage.eq("enrolled"))
        .filter(cases::kind.eq_any(kinds))
        .filter(cases::rules_opinion.ne(""))
        .select(crate::models::CaseRow::as_select())
        .load(conn)?)
}
