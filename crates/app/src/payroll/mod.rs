//! Monthly payments (S4 按月发放, S5, S14, S21, G3): enrolments made by the 纳入保障 move,
//! payee accounts, and each county's monthly run — generated exactly once, checked and approved
//! by different people, written to bank files, reconciled against the bank's return file, with
//! failed lines paid in a later run once the account is fixed.
//!
//! - [`enrolments`]: what an enrolled case is paid each month;
//! - [`accounts`]: where a household is paid;
//! - [`run`]: the run itself, its totals and lines;
//! - [`bank`]: bank files out and return files in;
//! - [`funds`]: budgets, spending and anomalies for supervision;
//! - [`recovery`]: overpayments owed back — repayments, offsets, write-offs;
//! - [`reserve`]: the townships' temporary-assistance reserve funds (备用金);
//! - [`demo`]: enrolments and accounts for demo data and benchmarks.

pub mod accounts;
pub mod bank;
pub mod enrolments;
pub mod funds;
pub mod recovery;
pub mod reserve;
pub mod run;

pub use run::{LineView, RunView, Totals};

use jiuzhu_domain::{Permission, RegionCode, RegionLevel};

use crate::AppError;
use crate::security::Actor;

/// The county code (6 digits) the actor may pay in: a code that is not a county is named, a
/// county outside the actor's region is "not found".
pub(crate) fn county_in_scope(who: &Actor, county: &str) -> Result<String, AppError> {
    who.require(Permission::RunPayroll)?;
    let code = RegionCode::parse(county.trim())
        .ok()
        .filter(|c| c.level() == RegionLevel::County)
        .ok_or_else(|| {
            AppError::Invalid(vec![crate::FieldError::new(
                "county",
                "请选择县（市、区），如 410526",
                "county must be a county code",
            )])
        })?;
    if !who.scope.contains(&code) {
        return Err(AppError::NotFound);
    }
    Ok(code.short().to_owned())
}

/// The county of a run addressed by path: anything but a county of the actor's region is
/// "not found".
pub(crate) fn county_of_path(who: &Actor, county: &str) -> Result<String, AppError> {
    match county_in_scope(who, county) {
        Err(AppError::Invalid(_)) => Err(AppError::NotFound),
        other => other,
    }
}
