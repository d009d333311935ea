//! S4: 最低生活保障 — posted for 7 days before the township decides, then paid monthly.

use jiuzhu_domain::case::CaseKind;

use crate::ProgrammeSpec;
use crate::workflow::NOTICED;

/// 低保.
pub const SPEC: ProgrammeSpec = ProgrammeSpec {
    kind: CaseKind::Dibao,
    catalogue: &["S4", "S7", "S20", "S21"],
    moves: NOTICED,
    limits: |p| {
        // 57号 Art. 22: 30, up to 45; 83号 §4: 20 when the township decides.
        let total = if p.procedure_delegated {
            p.procedure_dibao_days_delegated
        } else {
            p.procedure_dibao_days
        };
        crate::limits_with(p, total, p.procedure_dibao_days_extended)
    },
    standing_list: true,
};
