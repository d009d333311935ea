//! S4, S5, S14, S20, S21: the programmes as specs (issue 16). A programme is data — its kind,
//! the policy items it serves, and its workflow as a table of moves — and one function,
//! [`next`], applies any programme's table. Adding a programme that can be applied for adds a
//! module here with its spec; the case engine, pages and API read the spec and need no branch
//! of their own.

mod dibao;
mod tekun;
mod temporary;
pub mod workflow;

use jiuzhu_domain::case::{Action, CaseKind, Limits, Stage};
use jiuzhu_rules::params::Params;

pub use workflow::{ForbiddenMove, Move};

/// One programme.
#[derive(Debug)]
pub struct ProgrammeSpec {
    /// The kind: the one place the programme is named.
    pub kind: CaseKind,
    /// The policy items it serves (REQUIREMENTS S1–S22, G1–G3).
    pub catalogue: &'static [&'static str],
    /// Its own moves, besides the ones every programme shares ([`workflow::COMMON`]).
    pub moves: &'static [Move],
    /// Its statutory limits, read from the policy in force (no limit is a constant here).
    pub limits: fn(&Params) -> Limits,
    /// Whether its recipients stay on the village's standing list (长期公示) while they receive
    /// (57号 Art. 24 for 低保; for 特困 the result is published in the village under 43号's
    /// procedure, POLICY-FACTS §2.5; not temporary assistance).
    pub standing_list: bool,
}

/// The programmes whose recipients are published on the village's standing list.
pub fn on_standing_list() -> impl Iterator<Item = CaseKind> {
    SPECS.iter().filter(|s| s.standing_list).map(|s| s.kind)
}

/// The limits every programme shares, around its own total and extended limits.
pub(crate) fn limits_with(p: &Params, total: u32, extended: u32) -> Limits {
    Limits {
        total,
        extended,
        start_investigation: p.procedure_start_investigation_days,
        refusal_notice: p.procedure_refusal_notice_days,
        notice_days: p.procedure_notice_days,
    }
}

/// A programme's limits under the parameters in force for the case's region and day.
pub fn limits(kind: CaseKind, p: &Params) -> Limits {
    (spec(kind).limits)(p)
}

/// Every programme, in the order the apply form lists them.
pub const SPECS: &[&ProgrammeSpec] = &[
    &dibao::SPEC,
    &tekun::SPEC,
    &temporary::EMERGENCY,
    &temporary::SPENDING,
];

/// The spec of a kind.
pub fn spec(kind: CaseKind) -> &'static ProgrammeSpec {
    SPECS
        .iter()
        .find(|s| s.kind == kind)
        .expect("every kind has a spec (tested)")
}

/// The stage an action leads to for a programme, or why it is not allowed: the programme's own
/// moves first, then the shared ones.
pub fn next(kind: CaseKind, from: Stage, action: Action) -> Result<Stage, ForbiddenMove> {
    let spec = spec(kind);
    spec.moves
        .iter()
        .chain(workflow::COMMON)
        .find(|m| m.action == action && m.from.contains(&from))
        .map(|m| m.to)
        .ok_or(ForbiddenMove { kind, from, action })
}

#[cfg(test)]
mod tests {
    //! S1: the programme catalogue — every kind has one spec, and every spec cites its items.
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_spec_and_every_spec_serves_a_policy_item() {
        for k in CaseKind::ALL {
            assert_eq!(SPECS.iter().filter(|s| s.kind == *k).count(), 1, "{k}");
        }
        for s in SPECS {
            assert!(!s.catalogue.is_empty(), "{}", s.kind);
        }
    }

    #[test]
    fn only_dibao_and_tekun_recipients_stay_on_the_standing_list() {
        let kinds: Vec<CaseKind> = on_standing_list().collect();
        assert_eq!(kinds, [CaseKind::Dibao, CaseKind::Tekun]);
    }
}
