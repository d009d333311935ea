//! S21: what a programme is — its [`ProgrammeSpec`] — and how the engine applies one to a
//! decision's form: the fields an action asks for, and [`decide`], which reads them all and
//! returns every field error at once.

use std::collections::BTreeMap;

use jiuzhu_domain::Money;
use jiuzhu_domain::case::{Action, CaseKind, Limits};
use jiuzhu_rules::params::Params;

use crate::decision::*;
use crate::workflow::Move;

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

/// The fields `action` asks for in `spec`.
pub fn fields_for(spec: &ProgrammeSpec, action: Action) -> impl Iterator<Item = &'static Field> {
    spec.fields
        .iter()
        .filter(move |f| f.actions.contains(&action))
}

/// Reads `form` against the fields `p.action` asks for, all errors at once, then lets the
/// programme decide; adds the enrolment's effect for a monthly programme.
pub fn decide(
    spec: &ProgrammeSpec,
    p: &Proposal<'_>,
    form: &BTreeMap<String, String>,
) -> Result<Decision, Refusal> {
    let mut answers = Answers::default();
    let mut problems = Vec::new();
    for f in fields_for(spec, p.action) {
        let raw = form.get(f.name).map(|s| s.trim()).unwrap_or("");
        match read(f, raw) {
            Ok(v) => {
                answers.0.insert(f.name, v);
            }
            Err(e) => problems.push(e),
        }
    }
    let decided = (spec.decide)(p, &answers);
    // The programme's own problems join the fields' so the form shows all of them.
    match decided {
        Err(Refusal::Fields(more)) => {
            for m in more {
                // A field already reported as malformed is not reported twice.
                if !problems.iter().any(|x| x.field == m.field) {
                    problems.push(m);
                }
            }
            Err(Refusal::Fields(problems))
        }
        _ if !problems.is_empty() => Err(Refusal::Fields(problems)),
        Err(other) => Err(other),
        Ok(mut d) => {
            if d.amount.is_none() {
                d.amount = answers.money(AMOUNT.name);
            }
            if p.action == Action::Enrol && spec.payment == Payment::Monthly {
                d.effects.push(Effect::EnrolMonthly);
            }
            Ok(d)
        }
    }
}

fn read(f: &Field, raw: &str) -> Result<Value, FieldProblem> {
    let missing = || {
        FieldProblem::new(
            f.name,
            format!("请填写{}", f.zh),
            format!("{} is required", f.en),
        )
    };
    if raw.is_empty() {
        return match f.input {
            Input::Whole {
                default: Some(d), ..
            } => Ok(Value::Whole(d)),
            _ if f.required => Err(missing()),
            _ => Ok(Value::Blank),
        };
    }
    match f.input {
        Input::Yuan => Money::parse_non_negative_yuan(raw)
            .ok()
            .filter(|m| *m > Money::ZERO)
            .map(Value::Yuan)
            .ok_or_else(|| FieldProblem::new(f.name, "请填写大于 0 的金额（元）", "amount needed")),
        Input::Whole { min, max, unit, .. } => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .map(Value::Whole)
            .ok_or_else(|| {
                FieldProblem::new(
                    f.name,
                    format!("{}应为 {min}–{max} {unit}", f.zh)
                        .trim_end()
                        .to_owned(),
                    format!("{} must be {min}–{max}", f.en),
                )
            }),
        Input::Choice(choices) => choices
            .iter()
            .find(|c| **c == raw)
            .map(|c| Value::Choice(c))
            .ok_or_else(|| {
                FieldProblem::new(
                    f.name,
                    format!("{}应为：{}", f.zh, choices.join("、")),
                    format!("{} must be one of {}", f.en, choices.join(", ")),
                )
            }),
        Input::Text => {
            if raw.chars().count() > 100 {
                Err(FieldProblem::new(
                    f.name,
                    format!("{}不超过 100 字", f.zh),
                    "too long",
                ))
            } else {
                Ok(Value::Text(raw.to_owned()))
            }
        }
    }
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
