//! Enrolments, payee accounts, payroll runs and payment lines. Lines are generated in SQL
//! (`INSERT … SELECT … ON CONFLICT DO NOTHING`), one township at a time, each in its own
//! transaction: a run killed anywhere and started again only adds what is missing, and the
//! partial unique index (household, pay key, month) over lines that are not failed or held
//! makes a second payment impossible at the database.

use crate::per_backend::insert_or_ignore;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::models::{EnrolmentRow, PayeeAccountRow, PaymentLineRow, PayrollRunRow};
use crate::raw_sql::{execute, load};
use crate::schema::{enrolments, payee_accounts, payment_lines, payroll_runs};
use crate::{DbConnection, StorageError};

/// Stores a new enrolment.
pub fn insert_enrolment(conn: &mut DbConnection, row: &EnrolmentRow) -> Result<(), StorageError> {
    diesel::insert_into(enrolments::table)
        .values(row)
        .execute(conn)
        .map_err(|e| StorageError::from(e).unique_as("该户已在该项目保障中，不能重复纳入"))?;
    Ok(())
}

/// Stores enrolments in batches (demo data, benchmarks).
pub fn insert_enrolments(
    conn: &mut DbConnection,
    rows: &[EnrolmentRow],
) -> Result<(), StorageError> {
    for chunk in rows.chunks(2_000) {
        match conn {
            DbConnection::Sqlite(c) => diesel::insert_into(enrolments::table)
                .values(chunk)
                .execute(c)?,
            DbConnection::Postgresql(c) => diesel::insert_into(enrolments::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    Ok(())
}

/// Stores payee accounts in batches (demo data, benchmarks).
pub fn insert_accounts(
    conn: &mut DbConnection,
    rows: &[PayeeAccountRow],
) -> Result<(), StorageError> {
    for chunk in rows.chunks(2_000) {
        match conn {
            DbConnection::Sqlite(c) => diesel::insert_into(payee_accounts::table)
                .values(chunk)
                .execute(c)?,
            DbConnection::Postgresql(c) => diesel::insert_into(payee_accounts::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    Ok(())
}

/// A household's enrolments, newest first.
pub fn enrolments_of(
    conn: &mut DbConnection,
    county: &str,
    household_id: &str,
) -> Result<Vec<EnrolmentRow>, StorageError> {
    Ok(enrolments::table
        .filter(enrolments::county_code.eq(county))
        .filter(enrolments::household_id.eq(household_id))
        .order(enrolments::created_at.desc())
        .select(EnrolmentRow::as_select())
        .load(conn)?)
}

/// Rewrites an enrolment (suspension, end).
pub fn update_enrolment(conn: &mut DbConnection, row: &EnrolmentRow) -> Result<(), StorageError> {
    diesel::update(
        enrolments::table
            .filter(enrolments::county_code.eq(&row.county_code))
            .filter(enrolments::id.eq(&row.id)),
    )
    .set(row)
    .execute(conn)?;
    Ok(())
}

/// A household's payee account.
pub fn account_of(
    conn: &mut DbConnection,
    county: &str,
    household_id: &str,
) -> Result<Option<PayeeAccountRow>, StorageError> {
    Ok(payee_accounts::table
        .filter(payee_accounts::county_code.eq(county))
        .filter(payee_accounts::household_id.eq(household_id))
        .select(PayeeAccountRow::as_select())
        .first(conn)
        .optional()?)
}

/// Sets a household's payee account (replacing the one before).
pub fn set_account(conn: &mut DbConnection, row: &PayeeAccountRow) -> Result<(), StorageError> {
    let n = diesel::update(
        payee_accounts::table
            .filter(payee_accounts::county_code.eq(&row.county_code))
            .filter(payee_accounts::household_id.eq(&row.household_id)),
    )
    .set((
        payee_accounts::bank.eq(&row.bank),
        payee_accounts::account.eq(&row.account),
        payee_accounts::account_key.eq(&row.account_key),
        payee_accounts::holder.eq(&row.holder),
        payee_accounts::updated_by.eq(&row.updated_by),
        payee_accounts::updated_at.eq(row.updated_at),
    ))
    .execute(conn)?;
    if n == 0 {
        diesel::insert_into(payee_accounts::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The run of a county and month, if there is one.
pub fn run_of_month(
    conn: &mut DbConnection,
    county: &str,
    month: &str,
) -> Result<Option<PayrollRunRow>, StorageError> {
    Ok(payroll_runs::table
        .filter(payroll_runs::county_code.eq(county))
        .filter(payroll_runs::month.eq(month))
        .select(PayrollRunRow::as_select())
        .first(conn)
        .optional()?)
}

/// Creates the run of a county and month unless it exists; returns the one stored.
pub fn create_run(
    conn: &mut DbConnection,
    row: &PayrollRunRow,
) -> Result<PayrollRunRow, StorageError> {
    insert_or_ignore!(conn, payroll_runs::table, row)?;
    run_of_month(conn, &row.county_code, &row.month)?.ok_or(StorageError::NotFound)
}

/// One run.
pub fn run(conn: &mut DbConnection, county: &str, id: &str) -> Result<PayrollRunRow, StorageError> {
    payroll_runs::table
        .filter(payroll_runs::county_code.eq(county))
        .filter(payroll_runs::id.eq(id))
        .select(PayrollRunRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)
}

/// The runs of these counties, newest month first.
pub fn runs(
    conn: &mut DbConnection,
    counties: &[String],
) -> Result<Vec<PayrollRunRow>, StorageError> {
    Ok(payroll_runs::table
        .filter(payroll_runs::county_code.eq_any(counties))
        .order((payroll_runs::month.desc(), payroll_runs::county_code))
        .limit(500)
        .select(PayrollRunRow::as_select())
        .load(conn)?)
}

/// Writes a run's new state if its version is still `row.version - 1`; false when someone
/// moved it first.
pub fn advance_run(conn: &mut DbConnection, row: &PayrollRunRow) -> Result<bool, StorageError> {
    let n = diesel::update(
        payroll_runs::table
            .filter(payroll_runs::county_code.eq(&row.county_code))
            .filter(payroll_runs::id.eq(&row.id))
            .filter(payroll_runs::version.eq(row.version - 1)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

const LINE_COLUMNS: &str = "county_code, id, run_id, month, pay_key, programme, household_id, \
     region_code, source_id, amount_fen, bank, account, holder, status, reason, settled_at, offset_fen";

/// Generates the lines of `run` for `month` of enrolments and instalments in the region range
/// `[low, high]` of the county: 低保/特困 enrolments running that month (a suspended one
/// held), and temporary-assistance instalments due by that month of enrolled cases. A line
/// without an account is held. Returns the lines added (0 for lines already there).
pub fn generate_lines(
    conn: &mut DbConnection,
    county: &str,
    run_id: &str,
    month: &str,
    low: &str,
    high: &str,
) -> Result<usize, StorageError> {
    let status = "CASE WHEN a.account IS NULL THEN 'held' ELSE 'pending' END";
    let reason = "CASE WHEN a.account IS NULL THEN '无收款账户' ELSE '' END";
    // F2: a stored amount outside (0, MAX_PAYMENT_FEN] is corrupt: held at 0 with the reason,
    // never paid, never summed.
    let max = jiuzhu_domain::money::MAX_PAYMENT_FEN;
    let sane = format!("e.monthly_fen BETWEEN 1 AND {max}");
    let monthly = format!(
        "INSERT INTO payment_lines ({LINE_COLUMNS}) \
         SELECT e.county_code, e.id || ':' || ?, ?, ?, e.programme, e.programme, e.household_id, \
                e.region_code, e.id, CASE WHEN {sane} THEN e.monthly_fen ELSE 0 END, \
                COALESCE(a.bank, ''), COALESCE(a.account, ''), COALESCE(a.holder, ''), \
                CASE WHEN e.status = 'suspended' OR NOT ({sane}) THEN 'held' ELSE {status} END, \
                CASE WHEN NOT ({sane}) THEN '登记金额异常，待核实' \
                     WHEN e.status = 'suspended' THEN '暂停发放' ELSE {reason} END, NULL, 0 \
         FROM enrolments e LEFT JOIN payee_accounts a \
              ON a.county_code = e.county_code AND a.household_id = e.household_id \
         WHERE e.county_code = ? AND e.region_code BETWEEN ? AND ? \
           AND e.start_month <= ? AND (e.end_month IS NULL OR e.end_month >= ?) \
         ON CONFLICT DO NOTHING"
    );
    let added = execute(
        conn,
        &monthly,
        &[month, run_id, month, county, low, high, month, month],
    )?;
    let staged = format!(
        "INSERT INTO payment_lines ({LINE_COLUMNS}) \
         SELECT i.county_code, i.id || ':' || i.month, ?, i.month, 'temporary:' || c.id, c.kind, \
                c.household_id, c.region_code, i.id, i.amount_fen, COALESCE(a.bank, ''), \
                COALESCE(a.account, ''), COALESCE(a.holder, ''), {status}, {reason}, NULL, 0 \
         FROM case_instalments i \
              JOIN cases c ON c.county_code = i.county_code AND c.id = i.case_id \
              LEFT JOIN payee_accounts a \
                   ON a.county_code = c.county_code AND a.household_id = c.household_id \
         WHERE i.county_code = ? AND c.region_code BETWEEN ? AND ? AND c.stage = 'enrolled' \
           AND i.month <= ? \
         ON CONFLICT DO NOTHING"
    );
    Ok(added + execute(conn, &staged, &[run_id, county, low, high, month])?)
}

/// Adds to `run` a new pending line for each line of an earlier, approved run that failed at
/// the bank or was held for want of an account, once the household's account has been entered
/// (again) — and only while the household has no other line for that programme and month that
/// is not failed or held, and no failed line to the current account. The old line keeps its
/// status in its run. Returns how many.
pub fn retry_failed(
    conn: &mut DbConnection,
    county: &str,
    run_id: &str,
) -> Result<usize, StorageError> {
    let sql = format!(
        "INSERT INTO payment_lines ({LINE_COLUMNS}) \
         SELECT p.county_code, p.id || ':' || ?, ?, p.month, p.pay_key, p.programme, p.household_id, \
                p.region_code, p.source_id, p.amount_fen, a.bank, a.account, a.holder, 'pending', '', NULL, 0 \
         FROM payment_lines p \
              JOIN payroll_runs r ON r.county_code = p.county_code AND r.id = p.run_id \
              JOIN payee_accounts a ON a.county_code = p.county_code AND a.household_id = p.household_id \
         WHERE p.county_code = ? AND p.run_id <> ? \
           AND r.status IN ('approved', 'exported', 'reconciled') \
           AND ((p.status = 'failed' AND a.account <> p.account) \
                OR (p.status = 'held' AND p.bank = '')) \
           AND NOT EXISTS (SELECT 1 FROM payment_lines q WHERE q.county_code = p.county_code \
                AND q.household_id = p.household_id AND q.pay_key = p.pay_key AND q.month = p.month \
                AND (q.status NOT IN ('failed', 'held') OR (q.status = 'failed' AND q.account = a.account))) \
         ON CONFLICT DO NOTHING"
    );
    execute(conn, &sql, &[run_id, run_id, county, run_id])
}

/// Count and sum of a group of lines.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct LineTotal {
    /// `CaseKind` code.
    #[diesel(sql_type = Text)]
    pub programme: String,
    /// `LineStatus` code.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// Lines.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub lines: i64,
    /// Sum in fen.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub fen: i64,
}

/// Count and sum of a run's lines per programme and status (summed in the database: a run may
/// hold a million lines).
pub fn totals(
    conn: &mut DbConnection,
    county: &str,
    run_id: &str,
) -> Result<Vec<LineTotal>, StorageError> {
    let sql = "SELECT programme, status, COUNT(*) AS lines, \
               CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS fen \
               FROM payment_lines WHERE county_code = ? AND run_id = ? \
               GROUP BY programme, status ORDER BY programme, status";
    load(conn, sql, &[county, run_id])
}

/// A page of a run's lines, optionally of one status, in line order.
pub fn lines(
    conn: &mut DbConnection,
    county: &str,
    run_id: &str,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<PaymentLineRow>, StorageError> {
    let mut q = payment_lines::table
        .filter(payment_lines::county_code.eq(county))
        .filter(payment_lines::run_id.eq(run_id))
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(payment_lines::status.eq(s));
    }
    Ok(q.order(payment_lines::id)
        .offset(offset)
        .limit(limit)
        .select(PaymentLineRow::as_select())
        .load(conn)?)
}

/// Sets the status of the run's lines in `from` to `to` (export: pending → exported).
pub fn mark(
    conn: &mut DbConnection,
    county: &str,
    run_id: &str,
    from: &str,
    to: &str,
) -> Result<usize, StorageError> {
    Ok(diesel::update(
        payment_lines::table
            .filter(payment_lines::county_code.eq(county))
            .filter(payment_lines::run_id.eq(run_id))
            .filter(payment_lines::status.eq(from)),
    )
    .set(payment_lines::status.eq(to))
    .execute(conn)?)
}

/// Moves one line of the run from status `from` to `to` with a reason; false when the line is
/// not in `from` (already settled, or not this run's).
#[allow(clippy::too_many_arguments)]
pub fn set_line(
    conn: &mut DbConnection,
    county: &str,
    run_id: &str,
    id: &str,
    from: &str,
    to: &str,
    reason: &str,
    at: Option<NaiveDateTime>,
) -> Result<bool, StorageError> {
    let n = diesel::update(
        payment_lines::table
            .filter(payment_lines::county_code.eq(county))
            .filter(payment_lines::run_id.eq(run_id))
            .filter(payment_lines::id.eq(id))
            .filter(payment_lines::status.eq(from)),
    )
    .set((
        payment_lines::status.eq(to),
        payment_lines::reason.eq(reason),
        payment_lines::settled_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// One line.
pub fn line(
    conn: &mut DbConnection,
    county: &str,
    id: &str,
) -> Result<Option<PaymentLineRow>, StorageError> {
    Ok(payment_lines::table
        .filter(payment_lines::county_code.eq(county))
        .filter(payment_lines::id.eq(id))
        .select(PaymentLineRow::as_select())
        .first(conn)
        .optional()?)
}

/// The banks of a run's lines that go or went to a bank (pending, exported), sorted.
pub fn banks(
    conn: &mut DbConnection,
    county: &str,
    run_id: &str,
) -> Result<Vec<String>, StorageError> {
    Ok(payment_lines::table
        .filter(payment_lines::county_code.eq(county))
        .filter(payment_lines::run_id.eq(run_id))
        .filter(payment_lines::status.eq_any(["pending", "exported"]))
        .filter(payment_lines::bank.ne(""))
        .select(payment_lines::bank)
        .distinct()
        .order(payment_lines::bank)
        .load(conn)?)
}

/// A run's lines with the bank in one of `statuses`, in line order (a bank file).
pub fn bank_lines(
    conn: &mut DbConnection,
    county: &str,
    run_id: &str,
    bank: &str,
    statuses: &[&str],
) -> Result<Vec<PaymentLineRow>, StorageError> {
    Ok(payment_lines::table
        .filter(payment_lines::county_code.eq(county))
        .filter(payment_lines::run_id.eq(run_id))
        .filter(payment_lines::bank.eq(bank))
        .filter(payment_lines::status.eq_any(statuses))
        .order(payment_lines::id)
        .select(PaymentLineRow::as_select())
        .load(conn)?)
}

/// The running enrolments of `programmes` in one region subtree of a county, with their
/// households (the village's standing list of recipients, 长期公示), by household.
pub fn running_in(
    conn: &mut DbConnection,
    county: &str,
    (low, high): (&str, &str),
    programmes: &[&str],
) -> Result<Vec<(EnrolmentRow, crate::models::HouseholdRow)>, StorageError> {
    use crate::schema::households;
    let rows: Vec<EnrolmentRow> = enrolments::table
        .filter(enrolments::county_code.eq(county))
        .filter(enrolments::region_code.ge(low))
        .filter(enrolments::region_code.le(high))
        .filter(enrolments::status.eq("active"))
        .filter(enrolments::programme.eq_any(programmes))
        .order((enrolments::household_id, enrolments::programme))
        .select(EnrolmentRow::as_select())
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|e| e.household_id.as_str()).collect();
    let homes: Vec<crate::models::HouseholdRow> = households::table
        .filter(households::county_code.eq(county))
        .filter(households::id.eq_any(&ids))
        .select(crate::models::HouseholdRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            let h = homes.iter().find(|h| h.id == e.household_id)?.clone();
            Some((e, h))
        })
        .collect())
}

/// The households of a county with an enrolment that has not ended.
pub fn enrolled_households(
    conn: &mut DbConnection,
    county: &str,
) -> Result<Vec<String>, StorageError> {
    Ok(enrolments::table
        .filter(enrolments::county_code.eq(county))
        .filter(enrolments::status.ne("ended"))
        .select(enrolments::household_id)
        .load(conn)?)
}

/// Takes `fen` off a pending line of a draft (an offset against an overpayment); false when
/// the line is not pending or pays less.
pub fn withhold(
    conn: &mut DbConnection,
    county: &str,
    line_id: &str,
    fen: i64,
) -> Result<bool, StorageError> {
    let n = diesel::update(
        payment_lines::table
            .filter(payment_lines::county_code.eq(county))
            .filter(payment_lines::id.eq(line_id))
            .filter(payment_lines::status.eq("pending"))
            .filter(payment_lines::amount_fen.ge(fen)),
    )
    .set((
        payment_lines::amount_fen.eq(payment_lines::amount_fen - fen),
        payment_lines::offset_fen.eq(payment_lines::offset_fen + fen),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A run's pending lines of these households.
pub fn pending_lines_of(
    conn: &mut DbConnection,
    county: &str,
    run_id: &str,
    households: &[String],
) -> Result<Vec<PaymentLineRow>, StorageError> {
    Ok(payment_lines::table
        .filter(payment_lines::county_code.eq(county))
        .filter(payment_lines::run_id.eq(run_id))
        .filter(payment_lines::status.eq("pending"))
        .filter(payment_lines::household_id.eq_any(households))
        .order(payment_lines::id)
        .select(PaymentLineRow::as_select())
        .load(conn)?)
}

/// One enrolment due for its periodic review, with the household's head and address.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
pub struct DueRow {
    /// Enrolment ID.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub id: String,
    /// County.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub county_code: String,
    /// Household.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub household_id: String,
    /// Where the household lives.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub region_code: String,
    /// Programme code.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub programme: String,
    /// Monthly amount, fen.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub monthly_fen: i64,
    /// Persons covered.
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub people: i32,
    /// The review date (YYYY-MM-DD).
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub review_due: String,
    /// The head's name (unmasked: the caller masks).
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub head_name: String,
}

/// S7: the running enrolments of a county's region range `[low, high]` whose next review falls
/// on or before `until` (YYYY-MM-DD), earliest — the overdue — first; at most `limit`.
pub fn reviews_due(
    conn: &mut DbConnection,
    county: &str,
    low: &str,
    high: &str,
    until: &str,
    limit: i64,
) -> Result<Vec<DueRow>, StorageError> {
    let sql = format!(
        "SELECT e.id, e.county_code, e.household_id, e.region_code, e.programme, e.monthly_fen, \
                e.people, e.review_due, COALESCE(h.head_name, '') AS head_name \
         FROM enrolments e LEFT JOIN households h \
              ON h.county_code = e.county_code AND h.id = e.household_id \
         WHERE e.county_code = ? AND e.status <> 'ended' AND e.review_due IS NOT NULL \
           AND e.review_due <= ? AND e.region_code BETWEEN ? AND ? \
         ORDER BY e.review_due, e.region_code, e.id LIMIT {}",
        limit.clamp(1, 10_000)
    );
    load(conn, &sql, &[county, until, low, high])
}
