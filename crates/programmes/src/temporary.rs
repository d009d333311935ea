//! S14: 临时救助 — not posted; decided after the opinion and paid once or in instalments. The
//! 急难型 is helped first with a small amount and its papers completed afterwards.

use jiuzhu_domain::case::{Action as A, CaseKind, Stage as S};

use crate::ProgrammeSpec;
use crate::workflow::Move;

/// Decided straight after the opinion: no notice for temporary assistance.
const DECIDED_AFTER_OPINION: Move = Move {
    from: &[S::Opinion],
    action: A::Approve,
    to: S::Approved,
};

/// 30 working days, up to 45 (registration/residence split, hard investigation).
fn temporary_limits(p: &jiuzhu_rules::params::Params) -> jiuzhu_domain::case::Limits {
    crate::limits_with(
        p,
        p.procedure_temporary_days,
        p.procedure_temporary_days_extended,
    )
}

/// 急难型临时救助.
pub const EMERGENCY: ProgrammeSpec = ProgrammeSpec {
    kind: CaseKind::TemporaryEmergency,
    catalogue: &["S14", "S20", "S21"],
    moves: &[
        Move {
            from: &[S::Applied, S::Accepted],
            action: A::PayAdvance,
            to: S::AdvancePaid,
        },
        DECIDED_AFTER_OPINION,
    ],
    limits: temporary_limits,
    standing_list: false,
};

/// 支出型临时救助.
pub const SPENDING: ProgrammeSpec = ProgrammeSpec {
    kind: CaseKind::TemporarySpending,
    catalogue: &["S14", "S20", "S21"],
    moves: &[DECIDED_AFTER_OPINION],
    limits: temporary_limits,
    standing_list: false,
};
