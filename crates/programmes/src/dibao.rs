//! S4: 最低生活保障 — posted for 7 days before the township decides, then paid monthly.

use jiuzhu_domain::case::CaseKind;

use crate::ProgrammeSpec;
use crate::workflow::NOTICED;

/// 低保.
pub const SPEC: ProgrammeSpec = ProgrammeSpec {
    kind: CaseKind::Dibao,
    catalogue: &["S4", "S7", "S20", "S21"],
    moves: NOTICED,
};
