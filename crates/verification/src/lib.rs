//! Household economic-status verification (核对, S22): other agencies' data comes in as files
//! (`import`) and is kept with its provenance, keyed by the ID number's lookup key; the whole
//! caseload is matched against it and hits become review tasks (`cross_match`).

pub mod connector;
pub mod crossmatch;
pub mod discovery;
pub mod import;
pub mod report;
pub mod review;

pub use crossmatch::{CrossMatchReport, cross_match, default_income_limit};
pub use import::{ImportReport, RowError, import};
