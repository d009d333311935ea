//! The demo (issue 16 item 4: the demo leaves the production code): a realistic demo city of
//! Anyang ([`city`]), its agencies' files with planted differences ([`agency`]), applications at
//! every stage ([`cases`]), enrolments and payee accounts ([`payroll`]), a reserve fund per
//! township, demo accounts for every role ([`accounts`]) and the eligible shares it yields
//! ([`shares`]). `jiuzhu demo`, the tests and the benchmarks use it; a server built without the
//! binary's `demo` feature does not link it.

pub mod accounts;
pub mod agency;
pub mod cases;
pub mod city;
pub mod payroll;
pub mod shares;

pub use city::{DemoConfig, generate};
