//! S21: what a decision asks for and what it does. A programme declares its decision fields
//! (which action asks for each, and how it is typed); [`decide`] reads the form against them,
//! returns *every* field error at once, and hands the programme's own `decide` the typed
//! answers, which turns them into a typed [`Decision`]: the amount, the record kept with the
//! case (sealed), and the effects the engine carries out in the same transaction.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use jiuzhu_domain::Money;
use jiuzhu_domain::case::Action;
use jiuzhu_rules::params::Params;

use crate::{Payment, ProgrammeSpec};

/// How a field is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// An amount in yuan, above zero.
    Yuan,
    /// A whole number in a range; blank is `default` when there is one.
    Whole {
        /// Smallest.
        min: u32,
        /// Largest.
        max: u32,
        /// What blank means (`None`: blank is missing).
        default: Option<u32>,
        /// The unit, in Chinese (个月, 项).
        unit: &'static str,
    },
    /// One of a list.
    Choice(&'static [&'static str]),
    /// Free text (a name).
    Text,
}

/// One field a decision asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Its name in the form and the API.
    pub name: &'static str,
    /// Its name, in Chinese: the label on the case page and the subject of its errors.
    pub zh: &'static str,
    /// What to type, in Chinese, shown beside the label.
    pub hint: &'static str,
    /// Its label in English.
    pub en: &'static str,
    /// The actions that ask for it.
    pub actions: &'static [Action],
    /// How it is typed.
    pub input: Input,
    /// Whether it must be given (an optional field may still be required by the programme's
    /// own `decide`, e.g. the caregiver of 分散供养).
    pub required: bool,
}

/// The amount of an approval or an advance, in yuan: the field every paying programme asks.
pub const AMOUNT: Field = Field {
    name: "amount",
    zh: "金额",
    hint: "元",
    en: "Amount (yuan)",
    actions: &[Action::Approve, Action::PayAdvance],
    input: Input::Yuan,
    required: true,
};

/// A field's answer, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// An amount.
    Yuan(Money),
    /// A whole number.
    Whole(u32),
    /// One of the choices.
    Choice(&'static str),
    /// Text, trimmed.
    Text(String),
    /// Not given (an optional field).
    Blank,
}

/// The typed answers to the fields an action asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(BTreeMap<&'static str, Value>);

impl Answers {
    /// An amount given.
    pub fn money(&self, name: &str) -> Option<Money> {
        match self.0.get(name) {
            Some(Value::Yuan(m)) => Some(*m),
            _ => None,
        }
    }

    /// A whole number given.
    pub fn whole(&self, name: &str) -> Option<u32> {
        match self.0.get(name) {
            Some(Value::Whole(n)) => Some(*n),
            _ => None,
        }
    }

    /// A choice made.
    pub fn choice(&self, name: &str) -> Option<&'static str> {
        match self.0.get(name) {
            Some(Value::Choice(c)) => Some(c),
            _ => None,
        }
    }

    /// Text given (empty when blank).
    pub fn text(&self, name: &str) -> &str {
        match self.0.get(name) {
            Some(Value::Text(t)) => t,
            _ => "",
        }
    }
}

/// What the programme's `decide` reads besides the answers.
#[derive(Debug, Clone, Copy)]
pub struct Proposal<'a> {
    /// The action.
    pub action: Action,
    /// The day it is taken.
    pub on: NaiveDate,
    /// The policy in force for the case's region on that day.
    pub params: &'a Params,
    /// The amount the rules propose (after the opinion), if any.
    pub proposed: Option<Money>,
    /// The amount decided so far (an advance, before the papers are completed).
    pub current_amount: Option<Money>,
    /// The note written with the action.
    pub note: &'a str,
    /// Whether the decider is at the township (the county decides above its limits).
    pub at_township: bool,
}

/// One problem with one field, in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field.
    pub field: &'static str,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

impl FieldProblem {
    /// A problem with a field.
    pub fn new(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldProblem {
            field,
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Why a decision cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Fields are missing or wrong: all of them.
    Fields(Vec<FieldProblem>),
    /// The decision is not this person's or not at this level (e.g. above the township's
    /// approval limit).
    Conflict(String),
}

impl From<FieldProblem> for Refusal {
    fn from(p: FieldProblem) -> Self {
        Refusal::Fields(vec![p])
    }
}

/// What a decision does besides moving the case, carried out in the move's transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Monthly payments from the month after the decision (an enrolment).
    EnrolMonthly,
    /// One approval paid in monthly instalments from the month of the decision (S14
    /// 一次审批、分阶段救助): (month, amount) in order, adding up to the amount.
    PayInInstalments(Vec<(jiuzhu_domain::Month, Money)>),
    /// A small amount paid at once from the township's reserve fund (急难型 S14).
    AdvanceFromReserve(Money),
}

/// A decision, typed: what is kept and what happens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// The amount decided (a month for monthly programmes, once otherwise).
    pub amount: Option<Money>,
    /// The programme's own record of the decision (its typed decision as JSON, kept sealed
    /// with the case under the spec's schema version).
    pub record: Option<serde_json::Value>,
    /// What it does.
    pub effects: Vec<Effect>,
}

/// One line of a kept decision as the case page and the letter show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Shown {
    /// Label, in Chinese.
    pub label: &'static str,
    /// Value, in Chinese.
    pub value: String,
}

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

/// A programme that asks nothing of its own: the amount (if the spec asks for it) is the
/// decision.
pub fn nothing_more(_: &Proposal<'_>, _: &Answers) -> Result<Decision, Refusal> {
    Ok(Decision::default())
}

/// A record with nothing to show.
pub fn shows_nothing(_: &serde_json::Value) -> Vec<Shown> {
    Vec::new()
}
