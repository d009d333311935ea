//! The application assembled (issue 16 item 4): every capability crate under one name for the
//! web layer and the command line, and [`open`], which builds the [`Context`] on the bundled
//! policy. The use cases live in the capability crates, arrows only downward:
//!
//! ```text
//! cases ──► payroll, verification ──► registry ──► security ──► kernel
//! ```
//!
//! No HTTP types and no SQL strings here or below.

use std::sync::Arc;

use jiuzhu_crypto::Keys;
use jiuzhu_storage::Db;

pub use jiuzhu_caseload as caseload;
pub use jiuzhu_cases as cases;
pub use jiuzhu_kernel::{
    Actor, AppError, CITY_CHAIN, Context, Errors, FieldError, audit, calendar, chain_of, export,
    formula_safe, masking, regions, sealing, tabular, transition,
};
pub use jiuzhu_payroll as payroll;
pub use jiuzhu_registry as registry;
pub use jiuzhu_security as security;
pub use jiuzhu_verification as verification;

/// The context over a database, the division tree and the keys, deciding on the bundled
/// policy. Decision records carried over by a migration are sealed here (issue 16); they read
/// correctly either way, so a failure is logged and retried at the next start.
pub fn open(db: Db, regions: Arc<regions::RegionCache>, keys: Arc<Keys>) -> Context {
    let ctx = Context::new(db, regions, keys, registry::assessment::bundled_rules());
    match cases::seal_carried_decisions(&ctx) {
        Ok(0) => {}
        Ok(n) => tracing::info!(records = n, "sealed decision records carried by migration"),
        Err(e) => tracing::error!(error = ?e, "could not seal carried decision records"),
    }
    ctx
}
