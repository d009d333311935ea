//! Explanations: each rule writes its steps (with the policy item it applies) and the
//! parameters it reads through a [`Tracer`]. The batch path uses [`Silent`], whose methods do
//! nothing and whose closures are never called, so the same rule code runs at full speed
//! without explanations and records everything with [`Recorder`].

use crate::params::{Origin, P, Params};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One step of a rule, in Chinese and English, with the policy item it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Step {
    /// Stable rule identifier, e.g. `dibao.per_capita_income`.
    pub rule: String,
    /// Policy citation, e.g. `S4; 民发〔2021〕57号 第9条`.
    pub cite: String,
    /// The step in Chinese.
    pub zh: String,
    /// The step in English.
    pub en: String,
    /// The amount this step yields, in fen, when it yields one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_fen: Option<i64>,
}

/// Collects steps and parameter uses, or ignores them.
pub trait Tracer {
    /// Whether anything is recorded (lets callers skip building inputs for steps).
    const ON: bool;
    /// Notes that a rule read a parameter.
    fn param(&mut self, p: P);
    /// Records a step; `f` is only called when recording.
    fn step(&mut self, f: impl FnOnce() -> Step);
    /// The explanation recorded, if any.
    fn explanation(self, params: &Params) -> Option<Explanation>;
}

/// Records nothing: the batch path.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Tracer for Silent {
    const ON: bool = false;
    #[inline(always)]
    fn param(&mut self, _: P) {}
    #[inline(always)]
    fn step(&mut self, _: impl FnOnce() -> Step) {}
    fn explanation(self, _: &Params) -> Option<Explanation> {
        None
    }
}

/// Records every step and parameter.
#[derive(Debug, Default, Clone)]
pub struct Recorder {
    params: Vec<P>,
    steps: Vec<Step>,
}

impl Tracer for Recorder {
    const ON: bool = true;
    fn param(&mut self, p: P) {
        if !self.params.contains(&p) {
            self.params.push(p);
        }
    }
    fn step(&mut self, f: impl FnOnce() -> Step) {
        self.steps.push(f());
    }
    fn explanation(self, params: &Params) -> Option<Explanation> {
        Some(self.finish(params))
    }
}

impl Recorder {
    /// The explanation: steps in order, parameters with their origins.
    pub fn finish(self, params: &Params) -> Explanation {
        Explanation {
            parameters: self
                .params
                .iter()
                .map(|p| params.origin(*p).clone())
                .collect(),
            steps: self.steps,
        }
    }
}

/// Why a result is what it is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Explanation {
    /// Each parameter read, with its value, dates, region and source.
    pub parameters: Vec<Origin>,
    /// Each step, in order.
    pub steps: Vec<Step>,
}

/// Builds a [`Step`].
pub(crate) fn step(rule: &str, cite: &str, zh: String, en: String) -> Step {
    Step {
        rule: rule.to_owned(),
        cite: cite.to_owned(),
        zh,
        en,
        amount_fen: None,
    }
}

/// Builds a [`Step`] that yields an amount.
pub(crate) fn step_amount(rule: &str, cite: &str, zh: String, en: String, fen: i64) -> Step {
    Step {
        amount_fen: Some(fen),
        ..step(rule, cite, zh, en)
    }
}
