//! Row types: one struct per table, as stored, grouped by capability. The application layer
//! turns them into and out of domain types; nothing here validates.

mod cases;
mod payroll;
mod registry;
mod security;
mod verification;

pub use cases::*;
pub use payroll::*;
pub use registry::*;
pub use security::*;
pub use verification::*;
