//! Household economic-status verification (核对, S22): other agencies' data comes in as files
//! (`import`) and is kept with its provenance, keyed by the ID number's lookup key.

pub mod import;

pub use import::{ImportReport, RowError, import};
