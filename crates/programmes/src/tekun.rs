//! S5: 特困人员救助供养 — posted for 7 days before the decision, then supported monthly.

use jiuzhu_domain::case::CaseKind;

use crate::ProgrammeSpec;
use crate::workflow::NOTICED;

/// 特困.
pub const SPEC: ProgrammeSpec = ProgrammeSpec {
    kind: CaseKind::Tekun,
    catalogue: &["S5", "S20", "S21"],
    moves: NOTICED,
    // 43号 Art. 12, 15: 15 working days for the township, 15 for the county.
    limits: |p| crate::limits_with(p, p.procedure_tekun_days, p.procedure_tekun_days_extended),
    standing_list: true,
};
