//! Cases (applications for one programme) and their moves. A move is one transaction: the
//! case row is updated only if its version is still the one the mover saw, and the event with
//! that new version is inserted — so of two people moving a case at once exactly one wins.

use crate::models::{CaseDecisionRow, CaseEventRow, CaseRow, InstalmentRow};
use crate::schema::{case_decisions, case_events, case_instalments, cases};
use crate::{DbConnection, StorageError};
use chrono::NaiveDate;
use diesel::prelude::*;
use jiuzhu_domain::{RegionCode, Scope};

/// Files a case with its first event.
pub fn insert(
    conn: &mut DbConnection,
    case: &CaseRow,
    event: &CaseEventRow,
) -> Result<(), StorageError> {
    diesel::insert_into(cases::table)
        .values(case)
        .execute(conn)
        .map_err(|e| StorageError::from(e).unique_as("该户已有办理中的同一项目申请"))?;
    diesel::insert_into(case_events::table)
        .values(event)
        .execute(conn)?;
    Ok(())
}

fn in_scope(scope: &Scope, row: &CaseRow) -> bool {
    RegionCode::parse(&row.region_code).is_ok_and(|r| scope.contains(&r))
        && scope.has_county(&row.county_code)
}

/// One case inside the scope (another region's case is "not found").
pub fn find(
    conn: &mut DbConnection,
    scope: &Scope,
    county: &str,
    id: &str,
) -> Result<CaseRow, StorageError> {
    if !scope.has_county(county) {
        return Err(StorageError::NotFound);
    }
    let row = cases::table
        .filter(cases::county_code.eq(county))
        .filter(cases::id.eq(id))
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    if !in_scope(scope, &row) {
        return Err(StorageError::NotFound);
    }
    Ok(row)
}

/// A case's moves, oldest first.
pub fn events(
    conn: &mut DbConnection,
    county: &str,
    id: &str,
) -> Result<Vec<CaseEventRow>, StorageError> {
    Ok(case_events::table
        .filter(case_events::county_code.eq(county))
        .filter(case_events::case_id.eq(id))
        .order(case_events::seq)
        .select(CaseEventRow::as_select())
        .load(conn)?)
}

/// The moves of many cases at once (a page of the list), ordered by case and sequence.
pub fn events_of(
    conn: &mut DbConnection,
    counties: &[String],
    ids: &[String],
) -> Result<Vec<CaseEventRow>, StorageError> {
    // In chunks: SQLite binds at most 32,766 parameters a statement, PostgreSQL 65,535.
    let mut out = Vec::new();
    for chunk in ids.chunks(10_000) {
        out.extend(
            case_events::table
                .filter(case_events::county_code.eq_any(counties))
                .filter(case_events::case_id.eq_any(chunk))
                .order((case_events::case_id, case_events::seq))
                .select(CaseEventRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Writes a move: `case` is the new state with `version` = the seen version + 1. Returns false
/// (and writes nothing) when someone else moved the case first.
pub fn advance(
    conn: &mut DbConnection,
    case: &CaseRow,
    event: &CaseEventRow,
) -> Result<bool, StorageError> {
    let n = diesel::update(
        cases::table
            .filter(cases::county_code.eq(&case.county_code))
            .filter(cases::id.eq(&case.id))
            .filter(cases::version.eq(case.version - 1)),
    )
    .set(case)
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    diesel::insert_into(case_events::table)
        .values(event)
        .execute(conn)?;
    Ok(true)
}

/// Cases of the scope's regions, newest filed first; `open` leaves out final stages.
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    open_stages: Option<&[&str]>,
    limit: i64,
) -> Result<Vec<CaseRow>, StorageError> {
    let (low, high) = scope.root().subtree_range();
    let mut q = cases::table
        .filter(cases::county_code.eq_any(scope.counties()))
        .filter(cases::region_code.between(low, high))
        .into_boxed();
    if let Some(stages) = open_stages {
        q = q.filter(cases::stage.eq_any(stages.to_vec()));
    }
    Ok(q.order((cases::filed_on.desc(), cases::id.desc()))
        .limit(limit)
        .select(CaseRow::as_select())
        .load(conn)?)
}

/// A household's cases.
pub fn of_household(
    conn: &mut DbConnection,
    county: &str,
    household_id: &str,
) -> Result<Vec<CaseRow>, StorageError> {
    Ok(cases::table
        .filter(cases::county_code.eq(county))
        .filter(cases::household_id.eq(household_id))
        .order((cases::filed_on.desc(), cases::id.desc()))
        .select(CaseRow::as_select())
        .load(conn)?)
}

/// Cases whose due date has passed while their clock runs (the overdue board).
pub fn overdue(
    conn: &mut DbConnection,
    scope: &Scope,
    today: NaiveDate,
    running: &[&str],
) -> Result<Vec<CaseRow>, StorageError> {
    let (low, high) = scope.root().subtree_range();
    Ok(cases::table
        .filter(cases::county_code.eq_any(scope.counties()))
        .filter(cases::region_code.between(low, high))
        .filter(cases::stage.eq_any(running.to_vec()))
        .filter(cases::due_on.lt(today))
        .order(cases::due_on)
        .select(CaseRow::as_select())
        .load(conn)?)
}

/// Records a transfer.
pub fn insert_transfer(
    conn: &mut DbConnection,
    row: &crate::models::TransferRow,
) -> Result<(), StorageError> {
    diesel::insert_into(crate::schema::case_transfers::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Transfers of the scope's regions to the given departments (all when `None`), unanswered
/// first, oldest first.
pub fn transfers(
    conn: &mut DbConnection,
    scope: &Scope,
    departments: Option<&[&str]>,
) -> Result<Vec<crate::models::TransferRow>, StorageError> {
    use crate::schema::case_transfers as t;
    let (low, high) = scope.root().subtree_range();
    let mut q = t::table
        .filter(t::county_code.eq_any(scope.counties()))
        .filter(t::region_code.between(low, high))
        .into_boxed();
    if let Some(d) = departments {
        q = q.filter(t::department.eq_any(d.to_vec()));
    }
    Ok(q.order((t::answered_on.is_not_null(), t::sent_on, t::id))
        .limit(500)
        .select(crate::models::TransferRow::as_select())
        .load(conn)?)
}

/// Records a department's answer; false when it was answered already.
pub fn answer_transfer(
    conn: &mut DbConnection,
    county: &str,
    id: &str,
    on: NaiveDate,
    by: &str,
    answer: &str,
) -> Result<bool, StorageError> {
    use crate::schema::case_transfers as t;
    let n = diesel::update(
        t::table
            .filter(t::county_code.eq(county))
            .filter(t::id.eq(id))
            .filter(t::answered_on.is_null()),
    )
    .set((
        t::answered_on.eq(on),
        t::answered_by.eq(by),
        t::answer.eq(answer),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Stores the schedule of a staged payment (in the transaction of the approval).
pub fn insert_instalments(
    conn: &mut DbConnection,
    rows: &[InstalmentRow],
) -> Result<(), StorageError> {
    // One statement per row: the multi-backend connection has no batch insert, and a
    // schedule has a handful of rows.
    for r in rows {
        diesel::insert_into(case_instalments::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(())
}

/// A case's instalments in payment order.
pub fn instalments(
    conn: &mut DbConnection,
    county: &str,
    case_id: &str,
) -> Result<Vec<InstalmentRow>, StorageError> {
    Ok(case_instalments::table
        .filter(case_instalments::county_code.eq(county))
        .filter(case_instalments::case_id.eq(case_id))
        .order(case_instalments::seq.asc())
        .select(InstalmentRow::as_select())
        .load(conn)?)
}

/// Keeps a decision's record (in the transaction of the move).
pub fn insert_decision(conn: &mut DbConnection, row: &CaseDecisionRow) -> Result<(), StorageError> {
    diesel::insert_into(case_decisions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A case's decision records, oldest first.
pub fn decisions(
    conn: &mut DbConnection,
    county: &str,
    case_id: &str,
) -> Result<Vec<CaseDecisionRow>, StorageError> {
    Ok(case_decisions::table
        .filter(case_decisions::county_code.eq(county))
        .filter(case_decisions::case_id.eq(case_id))
        .order(case_decisions::seq.asc())
        .select(CaseDecisionRow::as_select())
        .load(conn)?)
}

/// Up to `limit` records carried from the old per-programme columns and not yet sealed.
pub fn carried_decisions(
    conn: &mut DbConnection,
    limit: i64,
) -> Result<Vec<CaseDecisionRow>, StorageError> {
    Ok(case_decisions::table
        .filter(case_decisions::record_version.eq(0))
        .order((case_decisions::county_code, case_decisions::id))
        .limit(limit)
        .select(CaseDecisionRow::as_select())
        .load(conn)?)
}

/// Replaces a carried record by its sealed form, if it is still unsealed.
pub fn seal_carried_decision(
    conn: &mut DbConnection,
    county: &str,
    id: &str,
    record_version: i32,
    payload: &str,
) -> Result<(), StorageError> {
    diesel::update(
        case_decisions::table
            .filter(case_decisions::county_code.eq(county))
            .filter(case_decisions::id.eq(id))
            .filter(case_decisions::record_version.eq(0)),
    )
    .set((
        case_decisions::record_version.eq(record_version),
        case_decisions::payload.eq(payload),
        case_decisions::legacy_caregiver.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(())
}
