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
pub struct Answers(pub(crate) BTreeMap<&'static str, Value>);

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

/// A programme that asks nothing of its own: the amount (if the spec asks for it) is the
/// decision.
pub fn nothing_more(_: &Proposal<'_>, _: &Answers) -> Result<Decision, Refusal> {
    Ok(Decision::default())
}

/// A record with nothing to show.
pub fn shows_nothing(_: &serde_json::Value) -> Vec<Shown> {
    Vec::new()
}
