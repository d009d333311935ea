//! The registry (家庭与人员登记): households entered once and reused everywhere — create, view,
//! search, edit, membership changes and economic records, always inside the caller's `Scope`.

pub mod assessment;
mod input;
mod members;
mod persons;
pub mod roster;
mod sealing;
mod service;
mod supporters;
mod views;

pub use input::*;
pub use members::*;
pub use persons::*;
pub use service::*;
pub use supporters::*;
pub use views::*;
