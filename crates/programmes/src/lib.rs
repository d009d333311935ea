//! S4, S5, S14, S20, S21: the programmes as specs (issue 16). A programme is data — its kind,
//! the policy items it serves, and its workflow as a table of moves — and one function,
//! [`next`], applies any programme's table. Adding a programme that can be applied for adds a
//! module here with its spec; the case engine, pages and API read the spec and need no branch
//! of their own.

pub mod decision;
mod dibao;
mod tekun;
mod temporary;
pub mod workflow;

use std::sync::OnceLock;

use jiuzhu_domain::Money;
use jiuzhu_domain::case::{Action, CaseKind, Limits, Stage};
use jiuzhu_rules::params::Params;

pub use decision::{
    AMOUNT, Answers, Decision, Effect, Field, FieldProblem, Input, Proposal, Refusal, Shown,
};
pub use dibao::KIND as DIBAO;
pub use tekun::{CARE_MODES, KIND as TEKUN};
pub use temporary::{EMERGENCY_KIND as TEMPORARY_EMERGENCY, SPENDING_KIND as TEMPORARY_SPENDING};
pub use workflow::{ForbiddenMove, Move};

/// How a programme pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payment {
    /// Monthly from the month after the decision, by the payroll (低保, 特困).
    Monthly,
    /// Once, or in the instalments of one approval (临时救助).
    Once,
}

/// One programme.
#[derive(Debug)]
pub struct ProgrammeSpec {
    /// The kind: the one place the programme is named.
    pub kind: CaseKind,
    /// Its place on the apply form and in lists.
    pub order: u16,
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
    /// The programme of the rules that answers for it at the opinion and the decision (`None`:
    /// the decider proposes the amount alone).
    pub assessed_as: Option<jiuzhu_rules::Programme>,
    /// Filed with a hardship (severity, disaster, amount asked) the rules read as this kind.
    pub hardship: Option<jiuzhu_rules::input::HardshipKind>,
    /// Accepted where the hardship happens, not only where the household lives (急难型, S14).
    pub where_it_happens: bool,
    /// Whether the opinion and the decision need the household's 核对 report on file, recent,
    /// with every adult member's consent (57号 Art. 16 for 低保; 43号 Art. 11 for 特困).
    pub needs_verification: bool,
    /// Whether the case page offers the 入户调查记录 print view (a home investigation is
    /// part of the procedure).
    pub investigation_record: bool,
    /// How it pays.
    pub payment: Payment,
    /// The most an approval may be under the policy in force, and how the cap is named.
    pub cap: fn(&Params) -> (Money, &'static str),
    /// The fields its decisions ask for, besides the note, the date and the investigators
    /// every programme's form has.
    pub fields: &'static [Field],
    /// Turns the typed answers into a decision (its own checks; all field errors at once).
    pub decide: fn(&Proposal<'_>, &Answers) -> Result<Decision, Refusal>,
    /// How a kept decision record shows on the case page and the letter.
    pub describe: fn(&serde_json::Value) -> Vec<Shown>,
    /// The version of its decision record's layout, kept with each record.
    pub record_version: u16,
}

inventory::collect!(ProgrammeSpec);

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

/// The limits every programme shares, around its own total and extended limits.
pub fn limits_with(p: &Params, total: u32, extended: u32) -> Limits {
    Limits {
        total,
        extended,
        start_investigation: p.procedure_start_investigation_days,
        refusal_notice: p.procedure_refusal_notice_days,
        notice_days: p.procedure_notice_days,
        verification_valid_days: p.procedure_verification_valid_days,
    }
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
