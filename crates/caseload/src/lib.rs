//! S7 分类动态管理 (issue 17): the caseload as it lives on after enrolment. A city starts by
//! taking over the rolls of its old system ([`rolls`]) and lists the periodic reviews falling
//! due ([`due`]); reviews, adjustments and standards changes act on the enrolments those
//! rolls and new decisions make.

pub mod due;
pub mod rolls;
