//! What the rules answer: per programme, whether the household (or which members) qualify,
//! nearly qualify or not, the amounts in fen, who handles it, and why. This is the JSON of
//! `jiuzhu eval` and `POST /api/v1/eval` (schema in `docs/schema/eval-output.schema.json`).

use crate::explain::Explanation;
use crate::input::{Area, Household};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::labels::labelled;
pub use crate::programme::{Department, Programme};

labelled! {
    /// The answer for one programme.
    Outcome {
        /// 符合.
        Eligible = ("符合", "eligible"),
        /// 接近符合: one condition fails, named in the reasons.
        Nearly = ("接近符合", "nearly eligible"),
        /// 不符合.
        NotEligible = ("不符合", "not eligible"),
    }
}

labelled! {
    /// How a 低保 result was reached.
    Mode {
        /// 全户纳入 (no partial admission, 83号 §1).
        WholeHousehold = ("全户纳入", "whole household"),
        /// 单人户 (57号 Art. 8).
        SinglePerson = ("单人户", "individual application"),
        /// 渐退期 (S11).
        GradualExit = ("渐退期", "gradual exit"),
    }
}

labelled! {
    /// Who may approve a 临时救助 amount (S14, S21: 分级审批).
    Approval {
        /// 乡镇（街道）审批.
        Township = ("乡镇（街道）审批", "township"),
        /// 县级民政审批.
        County = ("县级民政审批", "county"),
        /// 一事一议.
        CaseByCase = ("一事一议", "case-by-case (county coordination)"),
    }
}

labelled! {
    /// 特困 care tier from the six ADL items (43号 Art. 20–23).
    CareTier {
        /// 全自理.
        SelfCare = ("全自理", "self-caring"),
        /// 半失能.
        Partial = ("半失能", "partly dependent"),
        /// 全失能.
        Full = ("全失能", "fully dependent"),
    }
}

/// A reason in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Reason {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Reason {
    /// A reason.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Reason {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// One member's share of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MemberAmount {
    /// Member id.
    pub member: String,
    /// Monthly amount in fen.
    pub monthly_fen: i64,
    /// Care tier (特困).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_tier: Option<CareTier>,
}

/// The answer for one programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProgrammeResult {
    /// Programme.
    pub programme: Programme,
    /// Programme name in Chinese.
    pub name: String,
    /// Department in charge.
    pub department: Department,
    /// Outcome.
    pub outcome: Outcome,
    /// Monthly amount for the household in fen (0 when none).
    pub monthly_fen: i64,
    /// One-off amount in fen (临时救助).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_off_fen: Option<i64>,
    /// Members covered and their amounts, where the programme is individual.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberAmount>,
    /// 低保: how it was reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// 低保: review cycle in months (S7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_months: Option<u32>,
    /// 渐退期: months left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gradual_exit_months_left: Option<u32>,
    /// 临时救助: who approves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// 临时救助: may be paid first as a small advance (小额先行救助).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance_possible: Option<bool>,
    /// Eligible, but a programme the same people may not also receive pays them more: that
    /// one is proposed instead (the policy's `overlap.exclusive` pairs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<Programme>,
    /// Why, in a sentence or two each.
    pub reasons: Vec<Reason>,
    /// Full explanation, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

impl ProgrammeResult {
    /// A result with no amount yet.
    pub fn new(programme: Programme, outcome: Outcome) -> Self {
        ProgrammeResult {
            programme,
            name: programme.zh().to_owned(),
            department: programme.department(),
            outcome,
            monthly_fen: 0,
            one_off_fen: None,
            members: Vec::new(),
            mode: None,
            review_months: None,
            gradual_exit_months_left: None,
            approval: None,
            advance_possible: None,
            superseded_by: None,
            reasons: Vec::new(),
            explanation: None,
        }
    }

    /// Adds a reason.
    pub fn because(mut self, zh: impl Into<String>, en: impl Into<String>) -> Self {
        self.reasons.push(Reason::new(zh, en));
        self
    }
}

/// Which policy answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PolicyRef {
    /// File name.
    pub file: String,
    /// Version label.
    pub version: String,
}

/// The needs assessment of one household (S2): every programme's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Assessment {
    /// The caller's household id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<String>,
    /// Assessment date.
    pub date: NaiveDate,
    /// Region whose parameters applied.
    pub region: String,
    /// Urban or rural standard.
    pub area: Area,
    /// The policy file and version.
    pub policy: PolicyRef,
    /// Members counted.
    pub counted_members: i64,
    /// Counted monthly income after deductions, in fen.
    pub net_income_fen: i64,
    /// Per-capita monthly income, in fen.
    pub per_capita_income_fen: i64,
    /// The 低保 standard applied, in fen.
    pub standard_fen: i64,
    /// Every programme's answer, eligible first.
    pub results: Vec<ProgrammeResult>,
    /// Programmes the household came out eligible for that the same people may not receive
    /// together, and which one is proposed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlaps: Vec<Overlap>,
    /// Programmes not assessed because a fact they need was not given (住房状况, 困难情形,
    /// 价格指数): listed with what is missing, never answered from a default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_assessed: Vec<NotAssessed>,
    /// Steps shared by all programmes (members, income, per-capita income).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    /// The input, so that the result can be re-run and compared later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Household>,
}

/// A programme left out of the answer for want of a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NotAssessed {
    /// Programme.
    pub programme: Programme,
    /// Programme name in Chinese.
    pub name: String,
    /// What is missing, in Chinese (未评估：无数据 …).
    pub zh: String,
    /// What is missing, in English.
    pub en: String,
}

impl NotAssessed {
    /// `programme` not assessed because `zh`/`en` is missing.
    pub fn new(programme: Programme, zh: &str, en: &str) -> Self {
        NotAssessed {
            programme,
            name: programme.zh().to_owned(),
            zh: format!("未评估：无数据（{zh}）"),
            en: format!("not assessed: no data ({en})"),
        }
    }
}

/// Two programmes the same people came out eligible for but may not receive together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Overlap {
    /// The programme proposed (the one paying these people more).
    pub proposed: Programme,
    /// The one not proposed.
    pub instead_of: Programme,
    /// Members in both.
    pub members: Vec<String>,
    /// Why, in Chinese, with the policy it applies.
    pub zh: String,
    /// Why, in English.
    pub en: String,
}

impl Assessment {
    /// Programmes proposed to apply for: eligible or nearly eligible, and not superseded by an
    /// exclusive programme that pays more.
    pub fn proposed(&self) -> impl Iterator<Item = &ProgrammeResult> {
        self.results
            .iter()
            .filter(|r| r.outcome != Outcome::NotEligible && r.superseded_by.is_none())
    }

    /// The result for one programme.
    pub fn result(&self, p: Programme) -> Option<&ProgrammeResult> {
        self.results.iter().find(|r| r.programme == p)
    }
}
