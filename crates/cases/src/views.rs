//! S21: what a case shows — its stage, clock, allowed moves and history; the case lists and
//! their export; the replay of a decision against the policy of its day.

use crate::model::*;
use crate::records::{decision_lines, filed_hardship_of, opinion_of};

pub(super) fn history(events: &[CaseEventRow]) -> Vec<Entered> {
    events
        .iter()
        .filter_map(|e| {
            Some(Entered {
                stage: Stage::parse(&e.to_stage)?,
                on: e.on_date,
            })
        })
        .collect()
}

/// A case with its moves as shown (no database access: the caller loads the moves, one query
/// for a whole page of the list).
pub(super) fn view_of(
    ctx: &Context,
    cal: &WorkingDayCalendar,
    who: &Actor,
    row: CaseRow,
    events: &[CaseEventRow],
    today: NaiveDate,
) -> Result<CaseView, AppError> {
    let spec = jiuzhu_programmes::spec_of(&row.kind).ok_or(AppError::NotFound)?;
    let kind = spec.kind;
    let stage = Stage::parse(&row.stage).ok_or(AppError::NotFound)?;
    let entered = history(events);
    let (elapsed, _) = case::elapsed(cal, &entered, today);
    let limits = limits_of(ctx, &row.region_code, kind, today)?;
    let limit = limits.total;
    // 3 working days from (re-)acceptance to the start of the home investigation.
    let investigation_due = (stage == Stage::Accepted)
        .then(|| entered.iter().rev().find(|e| e.stage == Stage::Accepted))
        .flatten()
        .map(|e| cal.add_working_days(e.on, limits.start_investigation).date);
    // The opinion's note is opened only where a decision can be offered.
    let named = if matches!(stage, Stage::Opinion | Stage::Notice | Stage::AdvancePaid) {
        named_investigators(ctx, events)
    } else {
        vec![]
    };
    // In the vocabulary's order, as the form has always listed them.
    let allowed = jiuzhu_programmes::actions_from(kind, stage);
    let permitted: Vec<Action> = Action::ALL
        .iter()
        .copied()
        .filter(|a| {
            allowed.contains(a)
                && may_move(who, &row, *a)
                && investigator_may_not_decide(who, *a, events, &named).is_ok()
        })
        .collect();
    let actions = permitted
        .iter()
        .map(|a| (a.code().to_owned(), a.zh().to_owned()))
        .collect();
    let fields = form_fields(spec, &permitted);
    let event_views = events
        .iter()
        .map(|e| -> Result<EventView, AppError> {
            Ok(EventView {
                action: match Action::parse(&e.action) {
                    Some(a) => a.zh().to_owned(),
                    None if e.action == case::CARRIED => "系统迁移（上线导入）".into(),
                    None => "登记申请".into(),
                },
                stage: Stage::parse(&e.to_stage)
                    .map(|s| s.zh().to_owned())
                    .unwrap_or_default(),
                on: e.on_date.to_string(),
                actor: e.actor.clone(),
                note: open_field(&ctx.keys, "case_events.note", &e.note)?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CaseView {
        county: row.county_code.clone(),
        id: row.id.clone(),
        household_id: row.household_id.clone(),
        region_code: row.region_code.clone(),
        kind: row.kind.clone(),
        kind_name: kind.zh().into(),
        channel: row.channel.clone(),
        stage: row.stage.clone(),
        stage_name: stage.zh().into(),
        summary: open_field(&ctx.keys, "cases.summary", &row.summary)?,
        filed_on: row.filed_on.to_string(),
        accepted_on: row.accepted_on.map(|d| d.to_string()),
        due_on: row.due_on.map(|d| d.to_string()),
        elapsed_days: elapsed,
        limit_days: limit,
        overdue: stage.clock_runs() && row.due_on.is_some_and(|d| d < today),
        investigation_due: investigation_due.map(|d| d.to_string()),
        investigation_late: investigation_due.is_some_and(|d| d < today),
        decided_on: row.decided_on.map(|d| d.to_string()),
        amount: row.amount_fen.map(|f| Money::from_fen(f).yuan_string()),
        decision: Vec::new(),
        fields,
        monthly: spec.payment == jiuzhu_programmes::Payment::Monthly,
        investigation_record: spec.investigation_record,
        reasons: row.reasons.clone(),
        near_relative: row.near_relative,
        hardship: filed_hardship_of(ctx, &row)?.map(FiledHardship::zh),
        replayable: !row.rules_input.is_empty(),
        rules: if row.rules_opinion.is_empty() {
            None
        } else {
            serde_json::from_str(&open_field(
                &ctx.keys,
                "cases.rules_opinion",
                &row.rules_opinion,
            )?)
            .ok()
        },
        instalments: Vec::new(),
        version: row.version,
        actions,
        events: event_views,
    })
}

/// The decision fields the actions `allowed` ask for, labelled with those actions.
fn form_fields(spec: &ProgrammeSpec, allowed: &[Action]) -> Vec<FormField> {
    spec.fields
        .iter()
        .filter_map(|f| {
            let asking: Vec<&str> = f
                .actions
                .iter()
                .filter(|a| allowed.contains(a))
                .map(|a| a.zh())
                .collect();
            if asking.is_empty() {
                return None;
            }
            let (choices, default) = match f.input {
                jiuzhu_programmes::Input::Choice(c) => {
                    (c.iter().map(|s| (*s).to_owned()).collect(), String::new())
                }
                jiuzhu_programmes::Input::Whole {
                    default: Some(d), ..
                } => (vec![], d.to_string()),
                _ => (vec![], String::new()),
            };
            Some(FormField {
                name: f.name.to_owned(),
                label: format!("{}（{}；{}时）", f.zh, f.hint, asking.join("、")),
                en: f.en.to_owned(),
                choices,
                default,
            })
        })
        .collect()
}

/// One case with its history (an audited view).
pub fn get(
    ctx: &Context,
    cal: &WorkingDayCalendar,
    who: &Actor,
    county: &str,
    id: &str,
) -> Result<CaseView, AppError> {
    who.require(Permission::ViewRegistry)?;
    let (row, events, plan, kept) = {
        let mut conn = ctx.db.conn()?;
        let row = cases::find(&mut conn, &who.scope, county, id)?;
        let events = cases::events(&mut conn, county, id)?;
        let plan = cases::instalments(&mut conn, county, id)?;
        let kept = cases::decisions(&mut conn, county, id)?;
        (row, events, plan, kept)
    };
    let spec = jiuzhu_programmes::spec_of(&row.kind).ok_or(AppError::NotFound)?;
    let region = row.region_code.clone();
    let mut v = view_of(ctx, cal, who, row, &events, jiuzhu_domain::time::today())?;
    v.instalments = plan.iter().map(instalment_view).collect();
    v.decision = decision_lines(ctx, spec, &kept)?;
    ctx.audit
        .record_view(&ctx.db, who, Event::new("case.view", "case", id, &region))?;
    Ok(v)
}

/// A stored answer computed again from the facts it was computed from (S21; 审计复核).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Replay {
    /// The answer kept with the case.
    pub stored: RulesOpinion,
    /// The same facts through the rules running now.
    pub replayed: RulesOpinion,
    /// Nothing differs.
    pub same: bool,
    /// What differs, in Chinese (field: stored → replayed).
    pub differences: Vec<String>,
}

/// Replays the rules' answer kept with a case from the facts kept with it (an audited view):
/// under the policy running now, so a changed rule or standard shows up as a difference while
/// changes to the registry since do not.
pub fn replay(
    ctx: &Context,
    engine: &jiuzhu_rules::Engine,
    who: &Actor,
    county: &str,
    id: &str,
) -> Result<Replay, AppError> {
    who.require(Permission::ViewRegistry)?;
    let row = {
        let mut conn = ctx.db.conn()?;
        cases::find(&mut conn, &who.scope, county, id)?
    };
    if row.rules_input.is_empty() || row.rules_opinion.is_empty() {
        return Err(AppError::Conflict(
            "该案件尚无规则核算记录（提出审核意见或批准时才保存核算数据）".into(),
        ));
    }
    let kind = jiuzhu_programmes::kind(&row.kind).ok_or(AppError::NotFound)?;
    let unreadable =
        |e: serde_json::Error| AppError::Conflict(format!("保存的核算记录无法读取：{e}"));
    let stored: RulesOpinion = serde_json::from_str(&open_field(
        &ctx.keys,
        "cases.rules_opinion",
        &row.rules_opinion,
    )?)
    .map_err(unreadable)?;
    let input: jiuzhu_rules::Household = serde_json::from_str(&open_field(
        &ctx.keys,
        "cases.rules_input",
        &row.rules_input,
    )?)
    .map_err(unreadable)?;
    let on = NaiveDate::parse_from_str(&stored.on, "%Y-%m-%d")
        .map_err(|e| AppError::Conflict(format!("保存的核算日期无法读取：{e}")))?;
    let a = engine
        .assess(&input, on, false)
        .map_err(|e| AppError::Conflict(format!("无法复算：{e}")))?;
    let replayed = opinion_of(&a, kind, on);
    let mut differences = Vec::new();
    let mut compare = |field: &str, x: String, y: String| {
        if x != y {
            differences.push(format!("{field}：{x} → {y}"));
        }
    };
    compare("结果", stored.outcome.clone(), replayed.outcome.clone());
    compare("金额", stored.amount.clone(), replayed.amount.clone());
    compare(
        "人均收入",
        stored.per_capita_income.clone(),
        replayed.per_capita_income.clone(),
    );
    compare("标准", stored.standard.clone(), replayed.standard.clone());
    compare(
        "审批权限",
        stored.approval.clone().unwrap_or_default(),
        replayed.approval.clone().unwrap_or_default(),
    );
    compare(
        "复核周期",
        stored
            .review_months
            .map(|m| m.to_string())
            .unwrap_or_default(),
        replayed
            .review_months
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new("case.replay", "case", id, &row.region_code)
            .detail(serde_json::json!({"same": differences.is_empty(), "policy": replayed.policy})),
    )?;
    Ok(Replay {
        same: differences.is_empty(),
        stored,
        replayed,
        differences,
    })
}

pub(super) fn instalment_view(r: &InstalmentRow) -> InstalmentView {
    InstalmentView {
        seq: r.seq,
        month: r.month.clone(),
        amount: Money::from_fen(r.amount_fen).yuan_string(),
    }
}

/// Cases of the viewer's region (at most 500, newest first); `open_only` leaves out the final
/// ones. Overdue cases are flagged.
pub fn list(
    ctx: &Context,
    cal: &WorkingDayCalendar,
    who: &Actor,
    open_only: bool,
) -> Result<Vec<CaseView>, AppError> {
    list_up_to(ctx, cal, who, open_only, 500, "case.list")
}

/// The most applications one export lists.
pub const EXPORT_LIMIT: i64 = 100_000;

/// Every application of the viewer's region, whatever became of it (refused, not accepted,
/// transferred and withdrawn included: nothing filed is lost), as CSV for Excel (UTF-8 with a
/// byte-order mark), newest first (audited).
pub fn applications_csv(
    ctx: &Context,
    cal: &WorkingDayCalendar,
    who: &Actor,
) -> Result<Vec<u8>, AppError> {
    let views = list_up_to(ctx, cal, who, false, EXPORT_LIMIT, "case.export")?;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let io = |e: csv::Error| AppError::Conflict(format!("导出失败：{e}"));
    out.write_record([
        "县（市、区）",
        "申请编号",
        "办理地",
        "户编号",
        "救助项目",
        "受理渠道",
        "办理阶段",
        "申请日期",
        "受理日期",
        "到期日",
        "是否超期",
        "决定日期",
        "金额（元）",
        "近亲属备案",
        "理由",
    ])
    .map_err(io)?;
    for v in &views {
        let place = RegionCode::parse(&v.region_code)
            .map(|r| ctx.regions.path(&r))
            .unwrap_or_else(|_| v.region_code.clone());
        let row = [
            v.county.as_str(),
            &v.id,
            &place,
            &v.household_id,
            &v.kind_name,
            &v.channel,
            &v.stage_name,
            &v.filed_on,
            v.accepted_on.as_deref().unwrap_or(""),
            v.due_on.as_deref().unwrap_or(""),
            if v.overdue { "是" } else { "" },
            v.decided_on.as_deref().unwrap_or(""),
            v.amount.as_deref().unwrap_or(""),
            if v.near_relative { "是" } else { "" },
            &v.reasons,
        ];
        out.write_record(
            row.iter()
                .map(|c| jiuzhu_kernel::formula_safe::cell(c).into_owned()),
        )
        .map_err(io)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Conflict(format!("导出失败：{e}")))
}

pub(super) fn list_up_to(
    ctx: &Context,
    cal: &WorkingDayCalendar,
    who: &Actor,
    open_only: bool,
    limit: i64,
    audit_action: &str,
) -> Result<Vec<CaseView>, AppError> {
    who.require(Permission::ViewRegistry)?;
    let open: Vec<&str> = Stage::ALL
        .iter()
        .filter(|s| !s.is_final())
        .map(|s| s.code())
        .collect();
    let (rows, events) = {
        let mut conn = ctx.db.conn()?;
        let rows = cases::list(
            &mut conn,
            &who.scope,
            open_only.then_some(open.as_slice()),
            limit,
        )?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let events = cases::events_of(&mut conn, who.scope.counties(), &ids)?;
        (rows, events)
    };
    let mut by_case: std::collections::HashMap<&str, Vec<CaseEventRow>> = Default::default();
    for e in &events {
        by_case
            .entry(e.case_id.as_str())
            .or_default()
            .push(e.clone());
    }
    let today = jiuzhu_domain::time::today();
    let views = rows
        .into_iter()
        .map(|r| {
            let ev = by_case.get(r.id.as_str()).cloned().unwrap_or_default();
            view_of(ctx, cal, who, r, &ev, today)
        })
        .collect::<Result<Vec<_>, _>>()?;
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new(audit_action, "case", "", &who.region.to_string())
            .detail(serde_json::json!({"shown": views.len()})),
    )?;
    Ok(views)
}
