//! S4, S5, S14, S20, S21: the programmes as specs (issue 16). A programme is data — its kind,
//! the policy items it serves, and its workflow as a table of moves — and one function,
//! [`next`], applies any programme's table. Adding a programme that can be applied for adds a
//! module here with its spec; the case engine, pages and API read the spec and need no branch
//! of their own.

pub mod decision;
mod dibao;
mod spec;
mod tekun;
mod temporary;
pub mod workflow;

use std::sync::OnceLock;

use jiuzhu_domain::case::{Action, CaseKind, Limits, Stage};
use jiuzhu_rules::params::Params;

pub use decision::{
    AMOUNT, Answers, Decision, Effect, Field, FieldProblem, Input, Proposal, Refusal, Shown,
};
pub use dibao::KIND as DIBAO;
pub use spec::{Payment, ProgrammeSpec, decide, fields_for, limits_with};
pub use tekun::{CARE_MODES, KIND as TEKUN};
pub use temporary::{EMERGENCY_KIND as TEMPORARY_EMERGENCY, SPENDING_KIND as TEMPORARY_SPENDING};
pub use workflow::{ForbiddenMove, Move};

/// Every programme, in the order the apply form lists them: the specs linked into the program
/// (each programme's module submits its own; a test crate may submit one more).
pub fn specs() -> &'static [&'static ProgrammeSpec] {
    static SPECS: OnceLock<Vec<&'static ProgrammeSpec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        let mut v: Vec<&'static ProgrammeSpec> =
            inventory::iter::<ProgrammeSpec>.into_iter().collect();
        v.sort_by_key(|s| (s.order, s.kind.code()));
        v
    })
}

/// The programmes whose recipients are published on the village's standing list.
pub fn on_standing_list() -> impl Iterator<Item = CaseKind> {
    specs().iter().filter(|s| s.standing_list).map(|s| s.kind)
}

/// Every kind, in order.
pub fn kinds() -> impl Iterator<Item = CaseKind> {
    specs().iter().map(|s| s.kind)
}

/// The kind a stored code, a Chinese name or an English name stands for.
pub fn kind(s: &str) -> Option<CaseKind> {
    kinds().find(|k| k.is_named(s))
}

/// The kinds, for error messages.
pub fn choices_zh() -> String {
    kinds().map(|k| k.zh()).collect::<Vec<_>>().join("、")
}

/// A programme's limits under the parameters in force for the case's region and day.
pub fn limits(kind: CaseKind, p: &Params) -> Limits {
    (spec(kind).limits)(p)
}

/// The spec of a kind.
pub fn spec(kind: CaseKind) -> &'static ProgrammeSpec {
    specs()
        .iter()
        .find(|s| s.kind == kind)
        .expect("a kind comes from a spec")
}

/// The spec of a stored code, if one is linked in.
pub fn spec_of(code: &str) -> Option<&'static ProgrammeSpec> {
    specs().iter().copied().find(|s| s.kind.code() == code)
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

/// The actions of a programme's table that may follow `from`, in the table's order.
pub fn actions_from(kind: CaseKind, from: Stage) -> Vec<Action> {
    let mut out: Vec<Action> = Vec::new();
    for m in spec(kind).moves.iter().chain(workflow::COMMON) {
        if m.from.contains(&from) && !out.contains(&m.action) {
            out.push(m.action);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! S1: the programme catalogue — every kind has one spec, and every spec cites its items.
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_spec_and_every_spec_serves_a_policy_item() {
        let codes: Vec<&str> = kinds().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            [
                "dibao",
                "tekun",
                "temporary_emergency",
                "temporary_spending"
            ]
        );
        for s in specs() {
            assert!(!s.catalogue.is_empty(), "{}", s.kind);
        }
    }

    #[test]
    fn only_dibao_and_tekun_recipients_stay_on_the_standing_list() {
        let kinds: Vec<CaseKind> = on_standing_list().collect();
        assert_eq!(kinds, [DIBAO, TEKUN]);
    }
}
