//! The kernel every capability crate stands on (issue 16 item 4): the application
//! [`Context`], who acts ([`Actor`]), errors with their constructors, the hash-chained audit
//! log, sealing and masking of personal data, the division tree, the working-day calendar,
//! spreadsheet import and export, and the one shape of a raced state change
//! ([`transition::transition`]). No use case lives here.

mod actor;
pub mod audit;
pub mod calendar;
mod context;
mod error;
pub mod export;
pub mod filings;
pub mod formula_safe;
pub mod masking;
pub mod regions;
pub mod sealing;
pub mod tabular;
pub mod transition;

pub use actor::{Actor, CITY_CHAIN, chain_of};
pub use context::Context;
pub use error::{AppError, Errors, FieldError};
