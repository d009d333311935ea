//! jiuzhu domain: the pure vocabulary of social assistance — region codes, resident ID
//! numbers, money in fen, months, the working-day calendar, the registry's closed
//! vocabularies, the access `Scope`, roles and permissions, and the password rules. No I/O, no storage, no HTTP.

pub mod access;
pub mod agency;
pub mod calendar;
pub mod case;
pub mod money;
pub mod month;
pub mod password;
pub mod payroll;
pub mod region;
pub mod resident_id;
pub mod scope;
pub mod time;
pub mod vocab;

/// Re-exported so that `crate::person::Sex` reads naturally where it is used.
pub mod person {
    pub use crate::vocab::*;
}

pub use access::{Permission, Role};
pub use calendar::{CalendarDay, DayKind, Deadline, WorkingDayCalendar, WorkingDayCount};
pub use money::{Money, MoneyError};
pub use month::{Month, MonthError};
pub use region::{RegionCode, RegionCodeError, RegionLevel};
pub use resident_id::{ResidentId, ResidentIdError};
pub use scope::Scope;
