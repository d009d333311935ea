//! The registry (家庭与人员登记): households entered once and reused everywhere — create, view,
//! search, edit, membership changes and economic records, always inside the caller's `Scope`.

mod input;
mod service;
mod supporters;
mod views;

pub use input::*;
pub use service::*;
pub use supporters::*;
pub use views::*;
