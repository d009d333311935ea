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
mod county;
pub mod enrolments;
pub mod funds;
pub mod recovery;
pub mod reserve;
pub mod run;

pub use run::{LineView, RunView, Totals};
