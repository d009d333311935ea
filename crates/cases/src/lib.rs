//! Applications and their cases (S20, S21, S5, S14): one window files a household's application
//! for one or more programmes at once (one case each), and caseworkers and approvers move each
//! case through the stages of `jiuzhu_domain::case` on its statutory clock. Every move names
//! the version it saw (optimistic locking: of two people deciding at once, one wins and the
//! other is told who moved it and to what), is checked against the table of allowed moves and
//! the role, and is audited.

mod carried;
mod documents;
pub mod exclusive;
mod filing;
mod guards;
pub mod intake;
mod model;
mod moves;
mod records;
pub mod standing_roll;
mod transfers;
mod views;

/// How 特困 support is given (43号 Art. 16).
pub use jiuzhu_programmes::CARE_MODES;
pub use jiuzhu_registry::assessment::RulesOpinion;
pub use model::*;

pub use carried::seal_carried_decisions;
pub use documents::*;
pub use filing::*;
pub use moves::*;
pub use transfers::*;
pub use views::*;
