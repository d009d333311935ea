//! jiuzhu application services: the use cases (registry, roster import and export, demo data,
//! calendar), each in one transaction on one county, inside the caller's `Scope`. No HTTP
//! types and no SQL strings here.

pub mod assessment;
pub mod calendar;
pub mod cases;
mod error;
pub mod exclusive;
pub mod export;
pub mod formula_safe;
pub mod intake;
pub mod payroll;
pub mod regions;
pub mod registry;
pub mod roster;
pub mod security;
pub mod standing_roll;
pub mod tabular;
pub mod transition;
pub mod verification;

pub use error::{AppError, Errors, FieldError};
