//! S14: 临时救助 — not posted; decided after the opinion and paid once or in instalments (一次
//! 审批、分阶段救助). Who approves depends on the amount (township up to its limit, the county
//! above, 一事一议 above a higher limit — policy parameters per county). The 急难型 is helped
//! first with a small amount from the reserve fund and its papers completed afterwards.

use jiuzhu_domain::case::{Action as A, CaseKind, Stage as S};
use jiuzhu_domain::{Money, Month};
use jiuzhu_rules::input::HardshipKind;
use jiuzhu_rules::output::Approval;
use serde::{Deserialize, Serialize};

use crate::decision::{
    AMOUNT, Answers, Decision, Effect, Field, FieldProblem, Input, Proposal, Refusal, Shown,
};
use crate::spec::{Payment, ProgrammeSpec};
use crate::workflow::Move;

/// 急难型临时救助.
pub const EMERGENCY_KIND: CaseKind = CaseKind::new(
    "temporary_emergency",
    "临时救助（急难型）",
    "temporary assistance (emergency)",
);

/// 支出型临时救助.
pub const SPENDING_KIND: CaseKind = CaseKind::new(
    "temporary_spending",
    "临时救助（支出型）",
    "temporary assistance (spending)",
);

/// The most instalments one approval is paid in.
const MAX_INSTALMENTS: u32 = jiuzhu_domain::case::MAX_INSTALMENTS;

const INSTALMENTS: Field = Field {
    name: "instalments",
    zh: "分期数",
    hint: "分几个月发放，1–12；一次审批、分阶段救助",
    en: "Paid over how many months (1–12)",
    actions: &[A::Approve],
    input: Input::Whole {
        min: 1,
        max: MAX_INSTALMENTS,
        default: Some(1),
        unit: "个月",
    },
    required: false,
};

/// What a 临时救助 approval keeps besides the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemporaryDecision {
    /// Monthly instalments the amount is paid in.
    pub instalments: u32,
    /// Who approved it by the amount: township, county or 一事一议.
    pub approval: Approval,
}

/// Decided straight after the opinion: no notice for temporary assistance.
const DECIDED_AFTER_OPINION: Move = Move {
    from: &[S::Opinion],
    action: A::Approve,
    to: S::Approved,
};

/// 30 working days, up to 45 (registration/residence split, hard investigation).
fn limits(p: &jiuzhu_rules::params::Params) -> jiuzhu_domain::case::Limits {
    crate::spec::limits_with(
        p,
        p.procedure_temporary_days,
        p.procedure_temporary_days_extended,
    )
}

/// Who may approve `amount`: the township up to its limit; the county above; 一事一议 of the
/// county's coordination mechanism above a higher limit, with the meeting recorded.
fn approval(p: &Proposal<'_>, amount: Money) -> Result<Approval, Refusal> {
    let params = p.params;
    let level = jiuzhu_rules::programmes::temporary::approval_level(amount, params);
    match level {
        Approval::County if p.at_township => Err(Refusal::Conflict(format!(
            "金额 {} 元超过乡镇审批权限（{} 元），须报县级民政审批",
            amount.yuan_string(),
            params.temporary_township_limit.yuan_string()
        ))),
        Approval::CaseByCase if p.at_township => Err(Refusal::Conflict(format!(
            "金额 {} 元超过 {} 元，须经县级协调机制一事一议",
            amount.yuan_string(),
            params.temporary_case_by_case_above.yuan_string()
        ))),
        Approval::CaseByCase if p.note.chars().count() < 2 => Err(FieldProblem::new(
            "note",
            "一事一议的，请在说明中记录议定情况（会议日期、参加部门、结论）",
            "record the case-by-case decision",
        )
        .into()),
        level => Ok(level),
    }
}

fn decide(p: &Proposal<'_>, a: &Answers) -> Result<Decision, Refusal> {
    match p.action {
        A::PayAdvance => {
            let Some(amount) = a.money(AMOUNT.name) else {
                return Err(Refusal::Fields(vec![]));
            };
            if amount > p.params.temporary_advance_limit {
                return Err(FieldProblem::new(
                    AMOUNT.name,
                    format!(
                        "小额先行救助不超过 {} 元；更多的请按程序审批",
                        p.params.temporary_advance_limit.yuan_string()
                    ),
                    "above the advance limit",
                )
                .into());
            }
            Ok(Decision {
                effects: vec![Effect::AdvanceFromReserve(amount)],
                ..Decision::default()
            })
        }
        A::Approve => {
            let (Some(amount), Some(n)) = (a.money(AMOUNT.name), a.whole(INSTALMENTS.name)) else {
                return Err(Refusal::Fields(vec![]));
            };
            let level = approval(p, amount)?;
            // S14 一次审批、分阶段救助: from the month of the decision.
            let plan = jiuzhu_domain::case::instalments(amount.fen(), n, Month::of(p.on))
                .into_iter()
                .map(|(m, fen)| (m, Money::from_fen(fen)))
                .collect();
            Ok(Decision {
                record: Some(
                    serde_json::to_value(TemporaryDecision {
                        instalments: n,
                        approval: level,
                    })
                    .expect("plain record"),
                ),
                effects: vec![Effect::PayInInstalments(plan)],
                ..Decision::default()
            })
        }
        // The papers of an advance count as its approval: the advance's amount, approved at
        // its level.
        A::CompletePapers => {
            let amount = p.current_amount.unwrap_or(Money::ZERO);
            let level = approval(p, amount)?;
            Ok(Decision {
                record: Some(
                    serde_json::to_value(TemporaryDecision {
                        instalments: 1,
                        approval: level,
                    })
                    .expect("plain record"),
                ),
                ..Decision::default()
            })
        }
        _ => Ok(Decision::default()),
    }
}

fn describe(v: &serde_json::Value) -> Vec<Shown> {
    serde_json::from_value::<TemporaryDecision>(v.clone())
        .map(|d| {
            vec![Shown {
                label: "审批层级",
                value: d.approval.zh().to_owned(),
            }]
        })
        .unwrap_or_default()
}

/// 急难型临时救助.
pub const EMERGENCY: ProgrammeSpec = ProgrammeSpec {
    kind: EMERGENCY_KIND,
    order: 30,
    catalogue: &["S14", "S20", "S21"],
    moves: &[
        Move {
            from: &[S::Applied, S::Accepted],
            action: A::PayAdvance,
            to: S::AdvancePaid,
        },
        DECIDED_AFTER_OPINION,
    ],
    limits,
    standing_list: false,
    assessed_as: Some(jiuzhu_rules::Programme::Temporary),
    hardship: Some(HardshipKind::Emergency),
    where_it_happens: true,
    needs_verification: false,
    investigation_record: false,
    payment: Payment::Once,
    cap: |p| (p.decision_one_off_cap, "临时救助单次批准金额上限"),
    fields: &[AMOUNT, INSTALMENTS],
    decide,
    describe,
    record_version: 1,
};

/// 支出型临时救助.
pub const SPENDING: ProgrammeSpec = ProgrammeSpec {
    kind: SPENDING_KIND,
    order: 40,
    moves: &[DECIDED_AFTER_OPINION],
    where_it_happens: false,
    investigation_record: true,
    hardship: Some(HardshipKind::Expenditure),
    ..EMERGENCY
};

inventory::submit!(EMERGENCY);
inventory::submit!(SPENDING);
