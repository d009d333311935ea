//! S4: 最低生活保障 — posted for 7 days before the township decides, then paid monthly; the
//! approval sets the review cycle (S7: yearly, or every 6 months for households with members
//! able to work).

use jiuzhu_domain::case::{Action, CaseKind};
use serde::{Deserialize, Serialize};

use crate::decision::{AMOUNT, Answers, Decision, Field, Input, Proposal, Refusal, Shown};
use crate::spec::{Payment, ProgrammeSpec};
use crate::workflow::NOTICED;

/// 低保.
pub const KIND: CaseKind = CaseKind::new("dibao", "最低生活保障", "minimum living guarantee");

/// S7: the review cycle an approval sets.
const REVIEW_MONTHS: Field = Field {
    name: "review_months",
    zh: "复核周期",
    hint: "6 或 12 个月（S7：有劳动能力成员的家庭 6 个月）",
    en: "Review cycle (months)",
    actions: &[Action::Approve],
    input: Input::Choice(&["6", "12"]),
    required: true,
};

/// What a 低保 approval keeps besides the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DibaoDecision {
    /// S7: months between reviews (6 or 12).
    pub review_months: u8,
}

fn decide(p: &Proposal<'_>, a: &Answers) -> Result<Decision, Refusal> {
    let record = match (p.action, a.choice(REVIEW_MONTHS.name)) {
        (Action::Approve, Some(m)) => Some(DibaoDecision {
            review_months: m.parse().unwrap_or(12),
        }),
        _ => None,
    };
    Ok(Decision {
        record: record.map(|r| serde_json::to_value(r).expect("plain record")),
        ..Decision::default()
    })
}

fn describe(v: &serde_json::Value) -> Vec<Shown> {
    serde_json::from_value::<DibaoDecision>(v.clone())
        .map(|d| {
            vec![Shown {
                label: "复核周期",
                value: format!("每 {} 个月", d.review_months),
            }]
        })
        .unwrap_or_default()
}

/// 低保.
pub const SPEC: ProgrammeSpec = ProgrammeSpec {
    kind: KIND,
    order: 10,
    catalogue: &["S4", "S7", "S20", "S21"],
    moves: NOTICED,
    limits: |p| {
        // 57号 Art. 22: 30, up to 45; 83号 §4: 20 when the township decides.
        let total = if p.procedure_delegated {
            p.procedure_dibao_days_delegated
        } else {
            p.procedure_dibao_days
        };
        crate::spec::limits_with(p, total, p.procedure_dibao_days_extended)
    },
    standing_list: true,
    assessed_as: Some(jiuzhu_rules::Programme::Dibao),
    hardship: None,
    where_it_happens: false,
    needs_verification: true,
    investigation_record: true,
    payment: Payment::Monthly,
    cap: |p| (p.decision_monthly_cap, "每户每月批准金额上限"),
    fields: &[AMOUNT, REVIEW_MONTHS],
    decide,
    describe,
    record_version: 1,
};

inventory::submit!(SPEC);
