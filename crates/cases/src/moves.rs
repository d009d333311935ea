//! S21: the case engine — one function moves a case of any programme: scope → version →
//! workflow → decide → effects → audit, in one transaction. What differs between programmes
//! (their moves, the fields a decision asks for, what a decision does) is read from the
//! programme's spec (`jiuzhu_programmes`); nothing here names a programme.

use crate::model::*;
use crate::records::{decision_lines, filed_hardship_of, opinion_of};
use crate::transfers::{department_of, departments_zh};
use crate::views::{history, instalment_view, view_of};
use jiuzhu_kernel::transition::Transition;
use jiuzhu_kernel::transition::transition;

/// F2: an approved amount lies within what the policy allows — up to the rules' answer, or
/// above it with the decider's written reason, never above the policy's cap for the programme
/// (its spec's `cap`: `decision.monthly_cap` a household a month for 低保 and 特困,
/// `decision.one_off_cap` for 临时救助).
pub(super) fn within_bounds(
    spec: &ProgrammeSpec,
    params: &jiuzhu_rules::params::Params,
    amount: Money,
    rules: Option<&RulesOpinion>,
    note: &str,
) -> Result<(), AppError> {
    let (cap, what) = (spec.cap)(params);
    if amount > cap {
        return Err(invalid(
            "amount",
            &format!(
                "金额 {} 元超过{what} {} 元（政策参数）",
                amount.yuan_string(),
                cap.yuan_string()
            ),
            "amount above the policy's cap",
        ));
    }
    // A programme the rules do not assess has no proposal to exceed.
    let Some(rules) = rules else {
        return Ok(());
    };
    let proposed = Money::parse_yuan(&rules.amount).unwrap_or(Money::ZERO);
    if amount > proposed && note.trim().chars().count() < 4 {
        return Err(invalid(
            "note",
            &format!(
                "批准金额 {} 元高于规则核算金额 {} 元，请在说明中写明理由",
                amount.yuan_string(),
                proposed.yuan_string()
            ),
            "explain an amount above the rules' answer",
        ));
    }
    Ok(())
}

/// The rules' answer for the case's programme on the household as registered on `on` (with
/// the hardship filed, for 临时救助), and the input it was computed from.
pub(super) fn rules_opinion(
    ctx: &Context,
    engine: &jiuzhu_rules::Engine,
    who: &Actor,
    row: &CaseRow,
    kind: CaseKind,
    on: NaiveDate,
) -> Result<(RulesOpinion, jiuzhu_rules::Household), AppError> {
    let hardship = filed_hardship_of(ctx, row)?.and_then(|h| h.for_rules(kind));
    let a = jiuzhu_registry::assessment::assess_household_with(
        ctx,
        engine,
        who,
        &row.household_id,
        on,
        hardship,
    )?
    .assessment;
    let input = a
        .input
        .clone()
        .ok_or_else(|| AppError::Conflict("规则未返回核算所用的数据".into()))?;
    Ok((opinion_of(&a, kind, on), input))
}

/// What every programme's form gives with a move: the day, the note as recorded, the
/// department of a transfer.
struct Step {
    on: NaiveDate,
    today: NaiveDate,
    note: String,
    recorded: String,
    backdated: bool,
    department: Option<&'static str>,
}

/// Moves a case. Refused with 409 when the move is not allowed in its stage, or when someone
/// moved it since the mover looked (naming who and to what); with every field error at once
/// when the form is wrong.
pub fn act(
    ctx: &Context,
    cal: &WorkingDayCalendar,
    engine: &jiuzhu_rules::Engine,
    who: &Actor,
    county: &str,
    id: &str,
    mv: &Move,
) -> Result<CaseView, AppError> {
    // Scope first: another region's case is "not found", whatever the input.
    if !who.can(Permission::HandleCases) && !who.can(Permission::DecideCases) {
        who.require(Permission::HandleCases)?;
    }
    let mut conn = ctx.db.conn()?;
    let row = cases::find(&mut conn, &who.scope, county, id)?;
    let action = Action::parse(&mv.action).ok_or_else(|| {
        invalid(
            "action",
            &format!("未知操作“{}”", mv.action),
            "unknown action",
        )
    })?;
    who.require(permission_for(action))?;
    if !may_move(who, &row, action) {
        return Err(AppError::Forbidden(
            "该户有工作人员近亲属（已备案），须由县级民政部门单独审批".into(),
        ));
    }
    // Version: of two people moving a case at once, the second is told who moved it.
    let events = cases::events(&mut conn, county, id)?;
    if mv.version != row.version {
        let last = events.last();
        return Err(AppError::Conflict(format!(
            "该申请已被 {} 于 {} 处理为“{}”，请刷新后再操作",
            last.map(|e| e.actor.as_str()).unwrap_or("他人"),
            last.map(|e| e.on_date.to_string()).unwrap_or_default(),
            Stage::parse(&row.stage).map(|s| s.zh()).unwrap_or("")
        )));
    }
    investigator_may_not_decide(who, action, &events, &named_investigators(ctx, &events))?;
    // Workflow: the programme's table.
    let spec = jiuzhu_programmes::spec_of(&row.kind).ok_or(AppError::NotFound)?;
    let kind = spec.kind;
    let stage = Stage::parse(&row.stage).ok_or(AppError::NotFound)?;
    let to = jiuzhu_programmes::next(kind, stage, action)
        .map_err(|e| AppError::Conflict(e.to_string()))?;
    let step = read_step(who, &row, &events, action, stage, mv)?;
    // The policy in force for the case's region on the step's day: its procedure and the
    // programme's decision read it.
    let region = RegionCode::parse(&row.region_code).map_err(|_| AppError::NotFound)?;
    let params = engine
        .params(&region, jiuzhu_domain::person::HukouType::Rural, step.on)
        .map_err(|e| AppError::Conflict(format!("无法读取政策参数：{e}")))?;
    // The procedure the policy sets around the notice and the 核对 report.
    let limits = jiuzhu_programmes::limits(kind, &params);
    super::guards::notice_period(&events, stage, action, step.on, &limits)?;
    super::guards::verification_on_file(&mut conn, who, spec, &row, action, step.on, &limits)?;
    // Decide: the programme reads its fields; the rules' answer goes with the opinion and the
    // decision (computed on a connection of its own).
    let decision = decide(spec, who, &row, action, &step, &params, mv)?;
    let mut new = row.clone();
    if let Some(amount) = decision.amount {
        new.amount_fen = Some(amount.fen());
    }
    if spec.assessed_as.is_some()
        && matches!(
            action,
            Action::RecordOpinion | Action::Approve | Action::CompletePapers
        )
    {
        drop(conn);
        let (rules, input) = rules_opinion(ctx, engine, who, &row, kind, step.on)?;
        if let Some(amount) = decision.amount {
            within_bounds(spec, &params, amount, Some(&rules), &step.note)?;
        }
        new.rules_opinion = seal_field(&ctx.keys, "cases.rules_opinion", &json(&rules)?);
        // The facts it was computed from, sealed like other personal data (replayed by
        // `replay`).
        new.rules_input = seal_field(&ctx.keys, "cases.rules_input", &json(&input)?);
        conn = ctx.db.conn()?;
    } else if let Some(amount) = decision.amount {
        within_bounds(spec, &params, amount, None, &step.note)?;
    }
    let on = step.on;
    match action {
        Action::Accept => new.accepted_on = Some(on),
        Action::Approve | Action::Refuse | Action::RefuseToAccept | Action::CompletePapers => {
            new.decided_on = Some(on);
        }
        _ => {}
    }
    if matches!(action, Action::Refuse | Action::RefuseToAccept) {
        new.reasons = step.note.clone();
    }
    new.stage = to.code().into();
    new.version = row.version + 1;
    new.updated_at = jiuzhu_domain::time::now();
    let mut hist = history(&events);
    hist.push(Entered { stage: to, on });
    let limit = limits_of(ctx, &row.region_code, kind, step.today)?.total;
    new.due_on = to
        .clock_runs()
        .then(|| case::due(cal, &hist, limit, step.today).date);
    let event = CaseEventRow {
        county_code: row.county_code.clone(),
        id: uuid::Uuid::now_v7().to_string(),
        case_id: row.id.clone(),
        seq: new.version,
        action: action.code().into(),
        from_stage: stage.code().into(),
        to_stage: to.code().into(),
        on_date: on,
        actor: who.username.clone(),
        note: seal_field(&ctx.keys, "case_events.note", &step.recorded),
        created_at: new.updated_at,
    };
    // Effects and audit, with the move, in one transaction.
    let audit = Event::new(
        &format!("case.{}", action.code()),
        "case",
        id,
        &row.region_code,
    )
    .detail(serde_json::json!({"from": stage.code(), "to": to.code(),
        "on": on.to_string(), "backdated": step.backdated}));
    let lost = |c: &mut jiuzhu_storage::DbConnection| {
        let last = cases::events(c, county, id).ok().and_then(|mut e| e.pop());
        let (by, what) = last
            .map(|e| {
                (
                    e.actor,
                    Stage::parse(&e.to_stage).map(|s| s.zh()).unwrap_or(""),
                )
            })
            .unwrap_or_else(|| ("他人".into(), ""));
        AppError::Conflict(format!(
            "该申请刚被 {by} 处理为“{what}”，您的操作未生效，请刷新后再看"
        ))
    };
    let t = Transition {
        event: audit,
        stale: lost,
    };
    transition(ctx, &mut conn, who, t, |c| {
        if !cases::advance(c, &new, &event)? {
            return Ok(None);
        }
        if let Some(record) = &decision.record {
            cases::insert_decision(
                c,
                &CaseDecisionRow {
                    county_code: row.county_code.clone(),
                    id: uuid::Uuid::now_v7().to_string(),
                    case_id: row.id.clone(),
                    seq: new.version,
                    kind: kind.code().into(),
                    action: action.code().into(),
                    record_version: i32::from(spec.record_version),
                    payload: seal_field(&ctx.keys, "case_decisions.payload", &json(record)?),
                    legacy_caregiver: None,
                    decided_on: on,
                    created_at: new.updated_at,
                },
            )?;
        }
        // 不相容 programmes (S4/S5 overlaps) are checked at every enrolment.
        if action == Action::Enrol {
            crate::exclusive::at_enrolment(ctx, c, &new, on)?;
        }
        for effect in &decision.effects {
            carry_out(ctx, c, who, &new, effect, on)?;
        }
        if let Some(d) = step.department {
            cases::insert_transfer(
                c,
                &jiuzhu_storage::models::TransferRow {
                    county_code: row.county_code.clone(),
                    id: uuid::Uuid::now_v7().to_string(),
                    case_id: row.id.clone(),
                    region_code: row.region_code.clone(),
                    department: d.to_owned(),
                    matter: seal_field(&ctx.keys, "case_transfers.matter", &step.note),
                    sent_on: on,
                    sent_by: who.username.clone(),
                    answered_on: None,
                    answered_by: None,
                    answer: String::new(),
                },
            )?;
        }
        Ok(Some(()))
    })?;
    let mut events = events;
    events.push(event);
    let plan = cases::instalments(&mut conn, county, id)?;
    let kept = cases::decisions(&mut conn, county, id)?;
    drop(conn);
    let mut v = view_of(ctx, cal, who, new, &events, step.today)?;
    v.instalments = plan.iter().map(instalment_view).collect();
    v.decision = decision_lines(ctx, spec, &kept)?;
    Ok(v)
}

/// The day, the note and the department every programme's move gives, checked: a date between
/// the filing (and the previous step) and today; a note where the action needs one; two
/// investigators for the opinion (57号 Art. 16); a reason for a back-dated step (issue 15).
fn read_step(
    who: &Actor,
    row: &CaseRow,
    events: &[CaseEventRow],
    action: Action,
    stage: Stage,
    mv: &Move,
) -> Result<Step, AppError> {
    let today = jiuzhu_domain::time::today();
    let on = if mv.on.trim().is_empty() {
        today
    } else {
        NaiveDate::parse_from_str(mv.on.trim(), "%Y-%m-%d")
            .map_err(|_| invalid("on", "日期应为 YYYY-MM-DD", "on must be YYYY-MM-DD"))?
    };
    if on > today || on < row.filed_on {
        return Err(invalid(
            "on",
            "日期不能早于申请日期或晚于今天",
            "date out of range",
        ));
    }
    if let Some(prev) = events.last()
        && on < prev.on_date
    {
        return Err(invalid(
            "on",
            &format!("日期不能早于上一步（{}）", prev.on_date),
            "before the previous step",
        ));
    }
    let note = mv.note.trim();
    let needs_note = matches!(
        action,
        Action::RefuseToAccept
            | Action::Refuse
            | Action::RequestMaterials
            | Action::RecordObjection
            | Action::RecordOpinion
            | Action::Transfer
    );
    if needs_note && !(2..=1000).contains(&note.chars().count()) {
        let what = match action {
            Action::RequestMaterials => {
                "请一次性列明需补正的材料（不得要求可通过部门共享查询的材料）"
            }
            Action::RecordOpinion => "请填写调查核实情况和审核意见",
            Action::RecordObjection => "请记录异议内容和提出人",
            Action::Transfer => "请写明转办的部门和事项",
            _ => "请写明理由（2–1000 字）",
        };
        return Err(invalid("note", what, "a note is needed"));
    }
    let department = if action == Action::Transfer {
        Some(department_of(&mv.department).ok_or_else(|| {
            invalid(
                "department",
                &format!("请选择承办部门：{}", departments_zh()),
                "choose the department",
            )
        })?)
    } else {
        None
    };
    // Issue 15: a step dated before today (a paper file entered later) needs the reason, and
    // the history flags it with the day it was entered; the platform's demo jobs are exempt.
    let backdated = on < today && !who.is_platform();
    if backdated && note.chars().count() < 4 {
        return Err(invalid(
            "note",
            &format!("补录 {on} 的操作，请在说明中写明补录原因（不少于 4 字）"),
            "a back-dated step needs its reason",
        ));
    }
    let mut recorded = note.to_owned();
    // 57号 Art. 16: the home investigation is done by at least two people.
    if action == Action::RecordOpinion && stage == Stage::Investigating {
        let names: Vec<&str> = mv
            .investigators
            .split(['、', ',', '，', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if names.len() < 2 {
            return Err(invalid(
                "investigators",
                "入户调查须由 2 名以上工作人员进行，请填写调查人",
                "at least two investigators",
            ));
        }
        recorded = format!("调查人：{}；{note}", names.join("、"));
    }
    if backdated {
        recorded = format!("【补录，{today} 录入】{recorded}");
    }
    Ok(Step {
        on,
        today,
        note: note.to_owned(),
        recorded,
        backdated,
        department,
    })
}

/// The programme's decision on the form: a field it does not know is refused by name, then
/// its fields are read and its own `decide` runs (every field error at once).
fn decide(
    spec: &ProgrammeSpec,
    who: &Actor,
    row: &CaseRow,
    action: Action,
    step: &Step,
    params: &jiuzhu_rules::params::Params,
    mv: &Move,
) -> Result<jiuzhu_programmes::Decision, AppError> {
    let form = mv.field_texts();
    let unknown: Vec<FieldError> = form
        .iter()
        .filter(|(k, v)| !v.trim().is_empty() && !spec.fields.iter().any(|f| f.name == *k))
        .map(|(k, _)| {
            FieldError::new(
                k,
                format!("{}不填写“{k}”", spec.kind.zh()),
                "not a field of this programme",
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::Invalid(unknown));
    }
    let proposal = jiuzhu_programmes::Proposal {
        action,
        on: step.on,
        params,
        proposed: None,
        current_amount: row.amount_fen.map(Money::from_fen),
        note: &step.note,
        at_township: who.role == Some(jiuzhu_domain::Role::TownshipApprover),
    };
    jiuzhu_programmes::decide(spec, &proposal, &form).map_err(|r| match r {
        Refusal::Conflict(m) => AppError::Conflict(m),
        Refusal::Fields(problems) => AppError::Invalid(
            problems
                .into_iter()
                .map(|p| FieldError::new(p.field, p.zh, p.en))
                .collect(),
        ),
    })
}

/// Carries out one effect of a decision in the move's transaction.
fn carry_out(
    ctx: &Context,
    c: &mut jiuzhu_storage::DbConnection,
    who: &Actor,
    case: &CaseRow,
    effect: &Effect,
    on: NaiveDate,
) -> Result<(), AppError> {
    match effect {
        // S4, S21: enrolment starts the monthly payments from the month after the decision.
        // It covers the household's members at the decision (S7 counts them).
        Effect::EnrolMonthly => {
            let people = jiuzhu_storage::households::get(
                c,
                &who.scope,
                &case.county_code,
                &case.household_id,
            )?
            .member_count;
            // S7: the first periodic review falls one cycle after the decision.
            let decided_on = case.decided_on.unwrap_or(on);
            let kept = jiuzhu_storage::cases::decisions(c, &case.county_code, &case.id)?;
            let region = RegionCode::parse(&case.region_code).map_err(|_| AppError::NotFound)?;
            let default = ctx
                .rules
                .params(&region, jiuzhu_domain::person::HukouType::Rural, decided_on)
                .map_err(|e| AppError::Conflict(format!("政策参数无法确定：{e}")))?
                .procedure_review_months_default;
            let months = crate::records::review_months_of(ctx, &kept, default);
            let review_due = decided_on.checked_add_months(chrono::Months::new(months));
            jiuzhu_payroll::enrolments::enrol(c, case, decided_on, people, review_due)
        }
        // S14 一次审批、分阶段救助: the schedule of one approval.
        Effect::PayInInstalments(plan) => {
            let rows: Vec<InstalmentRow> = plan
                .iter()
                .zip(1..)
                .map(|((month, amount), seq)| InstalmentRow {
                    county_code: case.county_code.clone(),
                    id: uuid::Uuid::now_v7().to_string(),
                    case_id: case.id.clone(),
                    seq,
                    month: month.to_string(),
                    amount_fen: amount.fen(),
                })
                .collect();
            Ok(cases::insert_instalments(c, &rows)?)
        }
        // S14: a small advance is paid at once from the township's reserve fund.
        Effect::AdvanceFromReserve(amount) => jiuzhu_payroll::reserve::pay_advance(
            c,
            ctx,
            &case.region_code,
            &case.county_code,
            &case.id,
            amount.fen(),
            &who.username,
        ),
    }
}
