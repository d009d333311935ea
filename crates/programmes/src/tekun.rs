//! S5: 特困人员救助供养 — posted for 7 days before the decision, then supported monthly.

use jiuzhu_domain::case::CaseKind;

use crate::ProgrammeSpec;
use crate::workflow::NOTICED;

/// 特困.
pub const SPEC: ProgrammeSpec = ProgrammeSpec {
    kind: CaseKind::Tekun,
    catalogue: &["S5", "S20", "S21"],
    moves: NOTICED,
};
