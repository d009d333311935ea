//! Policy parameters as data (DESIGN "Policy as data"): `policy/*.toml` is read into a
//! [`PolicySet`] — every value with its region (city → county → township inheritance),
//! urban/rural split, effective dates and citation — and resolved, for one region, area and
//! date, into the typed [`Params`] the rules read. Because the rules read struct fields of
//! [`Params`], a rule cannot read an undefined parameter; loading checks that every field has
//! a value.

mod catalogue;
pub mod kinds;
mod load;
mod spec;

pub use catalogue::{CATALOGUE, P, Params};
pub use kinds::{Amount, Combine, Exclusive, Method, ParamKind, Tier, Tiers};
pub use load::{Entry, PolicySet};
pub use spec::{Origin, PolicyError, Spec};
