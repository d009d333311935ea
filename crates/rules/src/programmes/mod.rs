//! The programmes of the Anyang policy, one module each, written as a base rule plus labelled
//! exceptions, each step citing its S-item and national article.

pub mod dibao;
pub mod disability;
pub mod edge;
pub mod exclusive;
pub mod price;
pub mod referrals;
pub mod tekun;
pub mod temporary;
