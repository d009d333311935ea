//! S20: filing applications — one window, one case per programme asked for, with the
//! facts each programme needs (临时救助: severity, disaster, amount asked).

use crate::model::*;
use crate::views::view_of;

/// Files an application: one case per programme, each starting at 已申请.
pub fn file(ctx: &Context, who: &Actor, app: &Application) -> Result<Vec<CaseView>, AppError> {
    file_then(ctx, who, app, &mut |_, _| Ok(()))
}

/// What [`file_then`] runs on the new cases inside the filing's transaction.
pub type AfterFiling<'a> =
    dyn FnMut(&mut jiuzhu_storage::DbConnection, &[CaseRow]) -> Result<(), AppError> + 'a;

/// [`file`], running `then` on the new cases inside the same transaction (the hotline request
/// is closed with the case it became, or neither happens).
pub fn file_then(
    ctx: &Context,
    who: &Actor,
    app: &Application,
    then: &mut AfterFiling<'_>,
) -> Result<Vec<CaseView>, AppError> {
    who.require(Permission::FileApplications)?;
    if app.household_id.trim().is_empty() {
        return Err(invalid(
            "household_id",
            "请先选择（或登记）申请家庭",
            "household_id is required",
        ));
    }
    let mut conn = ctx.db.conn()?;
    let h = households::find(&mut conn, &who.scope, &app.household_id)?;
    let mut errors = Vec::new();
    let mut kinds = Vec::new();
    for k in &app.kinds {
        match jiuzhu_programmes::kind(k) {
            Some(k) if !kinds.contains(&k) => kinds.push(k),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "kinds",
                format!(
                    "未知救助项目“{k}”；可选：{}",
                    jiuzhu_programmes::choices_zh()
                ),
                "unknown programme",
            )),
        }
    }
    if app.kinds.is_empty() {
        errors.push(FieldError::new(
            "kinds",
            "请至少选择一个救助项目",
            "choose a programme",
        ));
    }
    if !CHANNELS.contains(&app.channel.trim()) {
        errors.push(FieldError::new(
            "channel",
            format!("受理渠道应为：{}", CHANNELS.join("、")),
            "unknown channel",
        ));
    }
    let summary = app.summary.trim();
    if !(2..=500).contains(&summary.chars().count()) {
        errors.push(FieldError::new(
            "summary",
            "请用 2–500 字说明困难情况",
            "summary must be 2–500 characters",
        ));
    }
    let today = jiuzhu_domain::time::today();
    let filed_on = if app.filed_on.trim().is_empty() {
        Some(today)
    } else {
        match NaiveDate::parse_from_str(app.filed_on.trim(), "%Y-%m-%d") {
            Ok(d) if d <= today && d >= today - chrono::Days::new(366) => Some(d),
            _ => {
                errors.push(FieldError::new(
                    "filed_on",
                    "申请日期应为 YYYY-MM-DD，且在一年内、不晚于今天",
                    "filed_on must be a date within the last year",
                ));
                None
            }
        }
    };
    let mut region = h.region_code.clone();
    if !app.region_code.trim().is_empty() && app.region_code.trim() != h.region_code {
        match RegionCode::parse(app.region_code.trim()) {
            Ok(_)
                if !kinds
                    .iter()
                    .all(|k| jiuzhu_programmes::spec(*k).where_it_happens) =>
            {
                errors.push(FieldError::new(
                    "region_code",
                    "只有急难型临时救助可在困难发生地受理；其他项目在户籍地或居住地受理",
                    "only emergency assistance is handled where the hardship happens",
                ));
            }
            Ok(r) if who.scope.contains(&r) && r.county_code() == Some(&h.county_code) => {
                region = r.as_str().to_owned();
            }
            Ok(_) => errors.push(FieldError::new(
                "region_code",
                "困难发生地不在您的辖区（跨县的请由发生地乡镇受理）",
                "outside your region",
            )),
            Err(e) => errors.push(FieldError::new("region_code", e.to_string(), "bad region")),
        }
    }
    let hardship = filed_hardship(app, &kinds, &mut errors);
    let open: Vec<CaseRow> = cases::of_household(&mut conn, &h.county_code, &h.id)?
        .into_iter()
        .filter(|c| Stage::parse(&c.stage).is_some_and(|s| !s.is_final()))
        .collect();
    for k in &kinds {
        if open.iter().any(|c| c.kind == k.code()) {
            errors.push(FieldError::new(
                "kinds",
                format!("该户已有办理中的{}申请", k.zh()),
                "an open application exists",
            ));
        }
    }
    // S4, S5: programmes the household may not receive together are refused here, naming the
    // enrolment or application in the way.
    for problem in crate::exclusive::at_filing(
        ctx,
        &mut conn,
        &h,
        &region,
        &kinds,
        &open,
        filed_on.unwrap_or(today),
    )? {
        errors.push(FieldError::new(
            "kinds",
            problem,
            "programmes that exclude each other",
        ));
    }
    let Some(filed_on) = filed_on.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    // 近亲属备案: a household with a staff member's declared near relative is flagged now, so
    // the case is listed apart and decided above the township (see `act`).
    let members = households::members(&mut conn, &who.scope, &h.county_code, &h.id, None)?;
    let persons: Vec<_> = members.iter().map(|(_, p)| p).collect();
    let near_relative =
        !jiuzhu_security::near_relatives::staff_relations_of(ctx, &mut conn, &persons)?.is_empty();
    let now = jiuzhu_domain::time::now();
    let sealed_hardship = match hardship {
        Some(hd) => Some(seal_field(&ctx.keys, "cases.hardship", &json(&hd)?)),
        None => None,
    };
    let rows: Vec<(CaseRow, CaseEventRow)> = kinds
        .iter()
        .map(|k| {
            let id = uuid::Uuid::now_v7().to_string();
            (
                CaseRow {
                    county_code: h.county_code.clone(),
                    id: id.clone(),
                    household_id: h.id.clone(),
                    region_code: region.clone(),
                    kind: k.code().into(),
                    channel: app.channel.trim().into(),
                    stage: Stage::Applied.code().into(),
                    summary: seal_field(&ctx.keys, "cases.summary", summary),
                    filed_on,
                    accepted_on: None,
                    due_on: None,
                    decided_on: None,
                    amount_fen: None,
                    reasons: String::new(),
                    version: 1,
                    created_by: who.username.clone(),
                    created_at: now,
                    updated_at: now,
                    near_relative,
                    rules_opinion: String::new(),
                    hardship: match &sealed_hardship {
                        Some(sealed) if jiuzhu_programmes::spec(*k).hardship.is_some() => {
                            sealed.clone()
                        }
                        _ => String::new(),
                    },
                    rules_input: String::new(),
                },
                CaseEventRow {
                    county_code: h.county_code.clone(),
                    id: uuid::Uuid::now_v7().to_string(),
                    case_id: id,
                    seq: 1,
                    action: "file".into(),
                    from_stage: String::new(),
                    to_stage: Stage::Applied.code().into(),
                    on_date: filed_on,
                    actor: who.username.clone(),
                    note: seal_field(&ctx.keys, "case_events.note", app.channel.trim()),
                    created_at: now,
                },
            )
        })
        .collect();
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        for (case, event) in &rows {
            // F1: the database holds one open case per household and programme, so a filing
            // racing this one is refused here even when both passed the check above.
            cases::insert(c, case, event).map_err(|e| match e {
                jiuzhu_storage::StorageError::Exists(_) => invalid(
                    "kinds",
                    &format!(
                        "该户已有办理中的{}申请",
                        jiuzhu_programmes::kind(&case.kind).map_or("", |k| k.zh())
                    ),
                    "an open application exists",
                ),
                e => e.into(),
            })?;
            ctx.audit.record(
                c,
                who,
                Event::new("case.file", "case", &case.id, &case.region_code).detail(
                    serde_json::json!({"kind": case.kind, "channel": case.channel, "household": h.id, "near_relative": case.near_relative}),
                ),
            )?;
        }
        let filed: Vec<CaseRow> = rows.iter().map(|(c, _)| c.clone()).collect();
        then(c, &filed)
    })?;
    drop(conn);
    // A new case's clock has not started, so the calendar does not matter yet.
    let cal = WorkingDayCalendar::bundled();
    rows.iter()
        .map(|(c, e)| view_of(ctx, &cal, who, c.clone(), std::slice::from_ref(e), today))
        .collect()
}

/// The hardship of a 临时救助 application (S14): the severity is required when a 临时救助 kind
/// is applied for, the amount asked is optional; both are refused on other programmes alone.
pub(super) fn filed_hardship(
    app: &Application,
    kinds: &[CaseKind],
    errors: &mut Vec<FieldError>,
) -> Option<FiledHardship> {
    let temporary = kinds
        .iter()
        .any(|k| jiuzhu_programmes::spec(*k).hardship.is_some());
    let severity = app.severity.trim();
    let requested = app.requested_amount.trim();
    if !temporary {
        if !severity.is_empty() || !requested.is_empty() || app.disaster {
            errors.push(FieldError::new(
                "severity",
                "困难程度、是否因灾和申请金额只用于临时救助申请",
                "severity and amount are for temporary assistance only",
            ));
        }
        return None;
    }
    let severity = match HardshipSeverity::parse(severity) {
        Some(s) => Some(s),
        None => {
            errors.push(FieldError::new(
                "severity",
                format!(
                    "请选择困难程度（{}），规则据此核算救助金额和审批权限",
                    HardshipSeverity::choices_zh()
                ),
                "choose the severity",
            ));
            None
        }
    };
    let requested_fen = if requested.is_empty() {
        None
    } else {
        match Money::parse_yuan(requested) {
            Ok(m) if m.fen() > 0 => Some(m.fen()),
            _ => {
                errors.push(FieldError::new(
                    "requested_amount",
                    "申请金额应为大于 0 的元数，最多两位小数（不填按标准核算）",
                    "requested_amount must be a positive amount in yuan",
                ));
                None
            }
        }
    };
    Some(FiledHardship {
        severity: severity?,
        disaster: app.disaster,
        requested_fen,
    })
}

/// Whether the user may file an application for this household (the form's guard: another
/// region's household is "not found").
pub fn may_apply(ctx: &Context, who: &Actor, household_id: &str) -> Result<(), AppError> {
    who.require(Permission::FileApplications)?;
    let mut conn = ctx.db.conn()?;
    households::find(&mut conn, &who.scope, household_id)?;
    Ok(())
}
