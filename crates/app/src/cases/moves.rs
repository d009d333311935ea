//! S21: moving a case — the programme's workflow, the role, the separation of duties, the
//! amount bounds and the rules' answer kept with the decision; one transaction, audited.

use super::*;

/// F2: an approved amount lies within what the policy allows — up to the rules' answer, or
/// above it with the decider's written reason, never above the policy's cap for the programme
/// (`decision.monthly_cap` a household a month for 低保 and 特困, `decision.one_off_cap` for
/// 临时救助).
pub(super) fn within_bounds(
    engine: &jiuzhu_rules::Engine,
    row: &CaseRow,
    kind: CaseKind,
    on: NaiveDate,
    amount: Money,
    rules: &RulesOpinion,
    note: &str,
) -> Result<(), AppError> {
    let region = RegionCode::parse(&row.region_code).map_err(|_| AppError::NotFound)?;
    let params = engine
        .params(&region, jiuzhu_domain::person::HukouType::Rural, on)
        .map_err(|e| AppError::Conflict(format!("无法读取政策参数：{e}")))?;
    let (cap, what) = if kind.is_temporary() {
        (params.decision_one_off_cap, "临时救助单次批准金额上限")
    } else {
        (params.decision_monthly_cap, "每户每月批准金额上限")
    };
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

/// The hardship a 临时救助 case recorded at filing.
pub(super) fn filed_hardship_of(
    registry: &Registry,
    row: &CaseRow,
) -> Result<Option<FiledHardship>, AppError> {
    if row.hardship.is_empty() {
        return Ok(None);
    }
    let json = open_field(&registry.keys, "cases.hardship", &row.hardship)?;
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|e| AppError::Conflict(format!("案件记录的困难情形无法读取：{e}")))
}

/// The programme of the rules that answers for a case kind.
pub(super) fn programme_of(kind: CaseKind) -> jiuzhu_rules::Programme {
    use jiuzhu_rules::Programme;
    match kind {
        CaseKind::Dibao => Programme::Dibao,
        CaseKind::Tekun => Programme::Tekun,
        CaseKind::TemporaryEmergency | CaseKind::TemporarySpending => Programme::Temporary,
    }
}

/// The rules' answer for the case's programme on the household as registered on `on` (with
/// the hardship filed, for 临时救助), and the input it was computed from.
pub(super) fn rules_opinion(
    registry: &Registry,
    engine: &jiuzhu_rules::Engine,
    who: &Actor,
    row: &CaseRow,
    kind: CaseKind,
    on: NaiveDate,
) -> Result<(RulesOpinion, jiuzhu_rules::Household), AppError> {
    let hardship = filed_hardship_of(registry, row)?.and_then(|h| h.for_rules(kind));
    let a = crate::assessment::assess_household_with(
        registry,
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

/// What a case keeps of an assessment: its programme's outcome, amount, approval level and
/// reasons — or, when the rules lacked a fact for it, "未评估" with what is missing.
pub(super) fn opinion_of(
    a: &jiuzhu_rules::Assessment,
    kind: CaseKind,
    on: NaiveDate,
) -> RulesOpinion {
    let programme = programme_of(kind);
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

/// Moves a case. Refused with 409 when the move is not allowed in its stage, or when someone
/// moved it since the mover looked (naming who and to what).
pub fn act(
    registry: &Registry,
    cal: &WorkingDayCalendar,
    engine: &jiuzhu_rules::Engine,
    who: &Actor,
    county: &str,
    id: &str,
    mv: &Move,
) -> Result<CaseView, AppError> {
    // The region first: another region's case is "not found", whatever the input.
    if !who.can(Permission::HandleCases) && !who.can(Permission::DecideCases) {
        who.require(Permission::HandleCases)?;
    }
    let mut conn = registry.db.conn()?;
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
    investigator_may_not_decide(
        who,
        action,
        &events,
        &named_investigators(registry, &events),
    )?;
    let kind = CaseKind::parse(&row.kind).ok_or(AppError::NotFound)?;
    let stage = Stage::parse(&row.stage).ok_or(AppError::NotFound)?;
    let to = jiuzhu_programmes::next(kind, stage, action)
        .map_err(|e| AppError::Conflict(e.to_string()))?;
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
    let mut new = row.clone();
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
    if matches!(action, Action::Approve | Action::PayAdvance) {
        let amount = Money::parse_non_negative_yuan(mv.amount.trim())
            .ok()
            .filter(|m| *m > Money::ZERO)
            .ok_or_else(|| invalid("amount", "请填写大于 0 的金额（元）", "amount needed"))?;
        new.amount_fen = Some(amount.fen());
    }
    // S14: 临时救助 approval by amount (township limit, county above, 一事一议 above a higher
    // limit, per county in the policy); 小额先行救助 up to the advance limit.
    let temporary = matches!(
        kind,
        CaseKind::TemporaryEmergency | CaseKind::TemporarySpending
    );
    if temporary
        && matches!(
            action,
            Action::Approve | Action::PayAdvance | Action::CompletePapers
        )
    {
        let region = RegionCode::parse(&row.region_code).map_err(|_| AppError::NotFound)?;
        let params = engine
            .params(&region, jiuzhu_domain::person::HukouType::Rural, on)
            .map_err(|e| AppError::Conflict(format!("无法读取政策参数：{e}")))?;
        let amount = Money::from_fen(new.amount_fen.unwrap_or(0));
        if action == Action::PayAdvance && amount > params.temporary_advance_limit {
            return Err(invalid(
                "amount",
                &format!(
                    "小额先行救助不超过 {} 元；更多的请按程序审批",
                    params.temporary_advance_limit.yuan_string()
                ),
                "above the advance limit",
            ));
        }
        if action != Action::PayAdvance {
            let level = jiuzhu_rules::programmes::temporary::approval_level(amount, &params);
            let township_only = who.role == Some(jiuzhu_domain::Role::TownshipApprover);
            match level {
                jiuzhu_rules::output::Approval::Township => {}
                jiuzhu_rules::output::Approval::County if township_only => {
                    return Err(AppError::Conflict(format!(
                        "金额 {} 元超过乡镇审批权限（{} 元），须报县级民政审批",
                        amount.yuan_string(),
                        params.temporary_township_limit.yuan_string()
                    )));
                }
                jiuzhu_rules::output::Approval::County => {}
                jiuzhu_rules::output::Approval::CaseByCase => {
                    if township_only {
                        return Err(AppError::Conflict(format!(
                            "金额 {} 元超过 {} 元，须经县级协调机制一事一议",
                            amount.yuan_string(),
                            params.temporary_case_by_case_above.yuan_string()
                        )));
                    }
                    if note.chars().count() < 2 {
                        return Err(invalid(
                            "note",
                            "一事一议的，请在说明中记录议定情况（会议日期、参加部门、结论）",
                            "record the case-by-case decision",
                        ));
                    }
                }
            }
        }
    }
    // S14 一次审批、分阶段救助: an approved temporary amount is paid in 1–12 monthly instalments
    // from the month of the decision (an advance was paid already, from the reserve fund).
    let mut plan: Vec<InstalmentRow> = Vec::new();
    if action == Action::Approve && temporary {
        let n: u32 = match mv.instalments.trim() {
            "" => 1,
            t => t
                .parse()
                .ok()
                .filter(|n| (1..=case::MAX_INSTALMENTS).contains(n))
                .ok_or_else(|| {
                    invalid(
                        "instalments",
                        &format!("分期数应为 1–{} 个月", case::MAX_INSTALMENTS),
                        "instalments must be 1–12",
                    )
                })?,
        };
        plan = case::instalments(new.amount_fen.unwrap_or(0), n, jiuzhu_domain::Month::of(on))
            .into_iter()
            .zip(1..)
            .map(|((month, fen), seq)| InstalmentRow {
                county_code: row.county_code.clone(),
                id: uuid::Uuid::now_v7().to_string(),
                case_id: row.id.clone(),
                seq,
                month: month.to_string(),
                amount_fen: fen,
            })
            .collect();
    } else if action == Action::Approve
        && !mv.instalments.trim().is_empty()
        && mv.instalments.trim() != "1"
    {
        return Err(invalid(
            "instalments",
            "只有临时救助的批准可分阶段发放",
            "only temporary assistance is paid in instalments",
        ));
    }
    // S21: the opinion and the decision (an approval, or the papers completed after a 急难
    // advance) carry the rules' answer on the household as it is registered now, with the
    // facts it was computed from (computed on a connection of its own).
    if matches!(
        action,
        Action::RecordOpinion | Action::Approve | Action::CompletePapers
    ) {
        drop(conn);
        let (rules, input) = rules_opinion(registry, engine, who, &row, kind, on)?;
        if let Some(fen) = new.amount_fen {
            within_bounds(engine, &row, kind, on, Money::from_fen(fen), &rules, note)?;
        }
        new.rules_opinion = seal_field(&registry.keys, "cases.rules_opinion", &json(&rules)?);
        // The facts it was computed from, sealed like other personal data (replayed by
        // `replay`).
        new.rules_input = seal_field(&registry.keys, "cases.rules_input", &json(&input)?);
        conn = registry.db.conn()?;
    }
    if action == Action::Approve && kind == CaseKind::Dibao {
        // S7: reviewed yearly, or every 6 months for households with able-bodied members.
        match mv.review_months.trim() {
            "6" | "12" => new.review_months = mv.review_months.trim().parse().ok(),
            _ => {
                return Err(invalid(
                    "review_months",
                    "复核周期应为 6 或 12 个月",
                    "review cycle 6 or 12",
                ));
            }
        }
    }
    if action == Action::Approve && kind == CaseKind::Tekun {
        // 43号 Art. 20–23: the self-care assessment sets the care tier; Art. 16: 集中 or 分散
        // support, and 分散 support names the caregiver.
        let adl: u8 = mv
            .adl_lost
            .trim()
            .parse()
            .ok()
            .filter(|n| *n <= 6)
            .ok_or_else(|| {
                invalid(
                    "adl_lost",
                    "请填写生活自理能力评估中不能自理的项目数（0–6）",
                    "adl_lost must be 0–6",
                )
            })?;
        let mode = mv.care_mode.trim();
        if !CARE_MODES.contains(&mode) {
            return Err(invalid(
                "care_mode",
                "供养方式应为“集中供养”或“分散供养”",
                "care_mode must be 集中供养 or 分散供养",
            ));
        }
        let caregiver = mv.caregiver.trim();
        if mode == "分散供养" && caregiver.chars().count() < 2 {
            return Err(invalid(
                "caregiver",
                "分散供养须确定照料服务人",
                "a caregiver is needed for 分散供养",
            ));
        }
        let region = RegionCode::parse(&row.region_code).map_err(|_| AppError::NotFound)?;
        let params = engine
            .params(&region, jiuzhu_domain::person::HukouType::Rural, on)
            .map_err(|e| AppError::Conflict(format!("无法读取政策参数：{e}")))?;
        new.care_tier = Some(
            jiuzhu_rules::programmes::tekun::care_tier(adl, &params)
                .zh()
                .to_owned(),
        );
        new.care_mode = Some(mode.to_owned());
        new.caregiver = (!caregiver.is_empty())
            .then(|| seal_field(&registry.keys, "cases.caregiver", caregiver));
    }
    match action {
        Action::Accept => new.accepted_on = Some(on),
        Action::Approve | Action::Refuse | Action::RefuseToAccept | Action::CompletePapers => {
            new.decided_on = Some(on);
        }
        _ => {}
    }
    if matches!(action, Action::Refuse | Action::RefuseToAccept) {
        new.reasons = note.to_owned();
    }
    new.stage = to.code().into();
    new.version = row.version + 1;
    new.updated_at = jiuzhu_domain::time::now();
    let mut hist = history(&events);
    hist.push(Entered { stage: to, on });
    let limit = limits_of(registry, &row.region_code, kind, today)?.total;
    new.due_on = to
        .clock_runs()
        .then(|| case::due(cal, &hist, limit, today).date);
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
        note: seal_field(&registry.keys, "case_events.note", &recorded),
        created_at: new.updated_at,
    };
    let won = jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<bool, AppError> {
        if !cases::advance(c, &new, &event)? {
            return Ok(false);
        }
        cases::insert_instalments(c, &plan)?;
        // S14: a small advance is paid at once from the township's reserve fund.
        if action == Action::PayAdvance {
            crate::payroll::reserve::pay_advance(
                c,
                registry,
                &row.region_code,
                &row.county_code,
                &row.id,
                new.amount_fen.unwrap_or(0),
                &who.username,
            )?;
        }
        // S4, S21: enrolment starts the monthly payments from the month after the decision.
        if action == Action::Enrol {
            crate::exclusive::at_enrolment(registry, c, &new, on)?;
            crate::payroll::enrolments::enrol(c, &new, new.decided_on.unwrap_or(on))?;
        }
        if let Some(d) = department {
            cases::insert_transfer(
                c,
                &jiuzhu_storage::models::TransferRow {
                    county_code: row.county_code.clone(),
                    id: uuid::Uuid::now_v7().to_string(),
                    case_id: row.id.clone(),
                    region_code: row.region_code.clone(),
                    department: d.to_owned(),
                    matter: seal_field(&registry.keys, "case_transfers.matter", note),
                    sent_on: on,
                    sent_by: who.username.clone(),
                    answered_on: None,
                    answered_by: None,
                    answer: String::new(),
                },
            )?;
        }
        registry.audit.record(
            c,
            who,
            Event::new(
                &format!("case.{}", action.code()),
                "case",
                id,
                &row.region_code,
            )
            .detail(serde_json::json!({"from": stage.code(), "to": to.code(),
                "on": on.to_string(), "backdated": backdated})),
        )?;
        Ok(true)
    })?;
    if !won {
        let last = cases::events(&mut conn, county, id)?.pop();
        let (by, what) = last
            .map(|e| {
                (
                    e.actor,
                    Stage::parse(&e.to_stage).map(|s| s.zh()).unwrap_or(""),
                )
            })
            .unwrap_or_else(|| ("他人".into(), ""));
        return Err(AppError::Conflict(format!(
            "该申请刚被 {by} 处理为“{what}”，您的操作未生效，请刷新后再看"
        )));
    }
    let mut events = events;
    events.push(event);
    let plan = cases::instalments(&mut conn, county, id)?;
    drop(conn);
    let mut v = view_of(registry, cal, who, new, &events, today)?;
    v.instalments = plan.iter().map(instalment_view).collect();
    Ok(v)
}
