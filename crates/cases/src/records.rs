//! What a case keeps besides its stage: the hardship filed with it, the rules' opinion at the
//! opinion and the decision, and its programme's decision records as they show.

use crate::model::*;

/// The hardship a 临时救助 case recorded at filing.
pub(crate) fn filed_hardship_of(
    ctx: &Context,
    row: &CaseRow,
) -> Result<Option<FiledHardship>, AppError> {
    if row.hardship.is_empty() {
        return Ok(None);
    }
    let json = open_field(&ctx.keys, "cases.hardship", &row.hardship)?;
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|e| AppError::Conflict(format!("案件记录的困难情形无法读取：{e}")))
}

/// What a case keeps of an assessment: its programme's outcome, amount, approval level and
/// reasons — or, when the rules lacked a fact for it, "未评估" with what is missing.
pub(crate) fn opinion_of(
    a: &jiuzhu_rules::Assessment,
    kind: CaseKind,
    on: NaiveDate,
) -> RulesOpinion {
    let programme = jiuzhu_programmes::spec(kind)
        .assessed_as
        .unwrap_or(jiuzhu_rules::Programme::Dibao);
    let yuan = |fen: i64| Money::from_fen(fen).yuan_string();
    let mut opinion = RulesOpinion {
        on: on.to_string(),
        policy: format!("{} {}", a.policy.file, a.policy.version),
        outcome: "未评估".into(),
        per_capita_income: yuan(a.per_capita_income_fen),
        standard: yuan(a.standard_fen),
        amount: yuan(0),
        review_months: None,
        approval: None,
        reasons: Vec::new(),
    };
    if let Some(r) = a.result(programme) {
        opinion.outcome = r.outcome.zh().to_owned();
        opinion.amount = yuan(r.one_off_fen.unwrap_or(r.monthly_fen));
        opinion.review_months = r.review_months;
        opinion.approval = r.approval.map(|x| x.zh().to_owned());
        opinion.reasons = r.reasons.iter().map(|x| x.zh.clone()).collect();
    } else {
        opinion.reasons = a
            .not_assessed
            .iter()
            .filter(|n| n.programme == programme)
            .map(|n| n.zh.clone())
            .collect();
    }
    opinion
}

/// A case's kept decision records as its programme shows them (a record carried from before
/// issue 16 and not yet sealed is read as carried).
pub(crate) fn decision_lines(
    ctx: &Context,
    spec: &ProgrammeSpec,
    kept: &[CaseDecisionRow],
) -> Result<Vec<DecisionLine>, AppError> {
    let mut out = Vec::new();
    for d in kept {
        let value: serde_json::Value = if d.record_version == 0 {
            crate::carried::carried_json(ctx, d)?
        } else {
            serde_json::from_str(&open_field(
                &ctx.keys,
                "case_decisions.payload",
                &d.payload,
            )?)
            .map_err(|e| AppError::Conflict(format!("案件决定记录无法读取：{e}")))?
        };
        out.extend((spec.describe)(&value).into_iter().map(|s| DecisionLine {
            label: s.label.to_owned(),
            value: s.value,
        }));
    }
    Ok(out)
}

/// S7: the months between a case's periodic reviews — what a kept decision record names as
/// its `review_months` (低保's approval: 6 or 12), else the policy's default (yearly for 特困
/// and stable households, `procedure.review_months_default`).
pub(crate) fn review_months_of(ctx: &Context, kept: &[CaseDecisionRow], default: u32) -> u32 {
    kept.iter()
        .rev()
        .filter_map(|d| {
            let v: serde_json::Value = if d.record_version == 0 {
                crate::carried::carried_json(ctx, d).ok()?
            } else {
                serde_json::from_str(
                    &open_field(&ctx.keys, "case_decisions.payload", &d.payload).ok()?,
                )
                .ok()?
            };
            u32::try_from(v.get("review_months")?.as_u64()?).ok()
        })
        .next()
        .unwrap_or(default)
}
