//! The command line's commands that have grown past a few lines, one module each.

pub(crate) mod audit;
#[cfg(feature = "demo")]
pub(crate) mod demo;
pub(crate) mod import;
pub(crate) mod payroll;
pub(crate) mod rolls;
pub(crate) mod user;
pub(crate) mod verification;
