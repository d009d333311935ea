//! The registry (家庭与人员登记): households entered once and reused everywhere — create, view,
//! search, edit, membership changes and economic records, always inside the caller's `Scope`.

mod input;
mod members;
mod persons;
mod sealing;
mod service;
mod supporters;
mod views;

pub use input::*;
pub use persons::RevealedPerson;
pub use sealing::*;
pub use service::*;
pub use supporters::*;
pub use views::*;
