//! Applications and their cases (S20, S21, S5, S14): one window files a household's application
//! for one or more programmes at once (one case each), and caseworkers and approvers move each
//! case through the stages of `jiuzhu_domain::case` on its statutory clock. Every move names
//! the version it saw (optimistic locking: of two people deciding at once, one wins and the
//! other is told who moved it and to what), is checked against the table of allowed moves and
//! the role, and is audited.

use chrono::NaiveDate;
use jiuzhu_domain::calendar::WorkingDayCalendar;
use jiuzhu_domain::case::{self, Action, CaseKind, Entered, Stage};
use jiuzhu_domain::person::HardshipSeverity;
use jiuzhu_domain::{Money, Permission, RegionCode};
use jiuzhu_storage::models::{CaseEventRow, CaseRow, InstalmentRow};
use jiuzhu_storage::{cases, households};
use serde::{Deserialize, Serialize};

use crate::registry::{Registry, open_field, seal_field};
use crate::security::Actor;
use crate::security::audit::Event;
use crate::{AppError, FieldError};

/// How an application came in (S20: one window, the hotline, village discovery, online,
/// referral by a department).
pub const CHANNELS: [&str; 5] = [
    "窗口",
    "12345热线",
    "村（社区）主动发现",
    "网上申请",
    "部门转介",
];

/// An application as filed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Application {
    /// The household.
    pub household_id: String,
    /// Programmes applied for (codes or Chinese names): one case each.
    pub kinds: Vec<String>,
    /// One of [`CHANNELS`].
    pub channel: String,
    /// The need as told (2–500 characters).
    pub summary: String,
    /// 急难型 only: the village or township where the hardship happened, when it is not the
    /// household's (S14: accepted wherever it happens).
    pub region_code: String,
    /// The day the application was received (YYYY-MM-DD; default today) — a paper form
    /// entered later keeps its date, so the clock is honest.
    pub filed_on: String,
    /// 临时救助 only: how grave the hardship is (一般、较重、特别严重 or their codes).
    pub severity: String,
    /// 临时救助 only: the hardship was caused by a natural disaster (referred to 应急管理, S12).
    pub disaster: bool,
    /// 临时救助 only: the amount asked for, in yuan (blank: the table amount).
    pub requested_amount: String,
}

/// The hardship a 临时救助 application recorded (S14; kept sealed with the case): the type
/// is the case kind's, the rest as filed, so the rules compute the amount and the approval
/// level from what the window recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledHardship {
    /// `HardshipSeverity` code.
    pub severity: HardshipSeverity,
    /// Caused by a natural disaster.
    pub disaster: bool,
    /// The amount asked for, in fen.
    pub requested_fen: Option<i64>,
}

impl FiledHardship {
    /// The hardship as the rules read it, for a 临时救助 case of `kind`.
    pub fn for_rules(self, kind: CaseKind) -> Option<jiuzhu_rules::input::Hardship> {
        use jiuzhu_rules::input::{Hardship, HardshipKind, Severity, Yuan};
        let kind = match kind {
            CaseKind::TemporaryEmergency => HardshipKind::Emergency,
            CaseKind::TemporarySpending => HardshipKind::Expenditure,
            CaseKind::Dibao | CaseKind::Tekun => return None,
        };
        Some(Hardship {
            kind,
            severity: match self.severity {
                HardshipSeverity::General => Severity::General,
                HardshipSeverity::Serious => Severity::Serious,
                HardshipSeverity::Grave => Severity::Grave,
            },
            disaster: self.disaster,
            requested: self.requested_fen.map(|f| Yuan(Money::from_fen(f))),
        })
    }

    /// How the case page states it: 较重，因自然灾害，申请 3000.00 元.
    pub fn zh(self) -> String {
        let mut s = self.severity.zh().to_owned();
        if self.disaster {
            s.push_str("，因自然灾害");
        }
        if let Some(f) = self.requested_fen {
            s.push_str(&format!("，申请 {} 元", Money::from_fen(f).yuan_string()));
        }
        s
    }
}

/// A move as asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Move {
    /// `Action` code or Chinese name.
    pub action: String,
    /// The version of the case the mover saw.
    pub version: i32,
    /// The day it happened (YYYY-MM-DD; default today).
    pub on: String,
    /// Reasons (refusals), the one-time list of materials, findings, the objection.
    pub note: String,
    /// The investigators (at least two names, separated by 、 or commas) for the opinion.
    pub investigators: String,
    /// Amount in yuan (approval, advance).
    pub amount: String,
    /// Review cycle in months (低保 approval: 6 or 12, S7).
    pub review_months: String,
    /// 特困 approval: how many of the six ADL items the person cannot do (0–6).
    pub adl_lost: String,
    /// 特困 approval: 集中供养 or 分散供养.
    pub care_mode: String,
    /// 特困 分散供养: the assigned caregiver.
    pub caregiver: String,
    /// Transfer: the department in charge (a county department's role, or 慈善组织).
    pub department: String,
    /// 临时救助 approval: how many monthly instalments the amount is paid in (1–12; blank:
    /// one payment) — 一次审批、分阶段救助.
    pub instalments: String,
}

/// The rules' answer for a case's programme on the household as registered, kept with the case
/// when the opinion is recorded and at the decision (S21: the township's opinion comes with the
/// rules' explanation; the decider sees what the rules propose next to what is decided).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RulesOpinion {
    /// The day it was computed for.
    pub on: String,
    /// The policy file and version.
    pub policy: String,
    /// 符合, 接近符合 or 不符合.
    pub outcome: String,
    /// Per-capita monthly income counted, in yuan.
    pub per_capita_income: String,
    /// The 低保 standard applied, in yuan a month.
    pub standard: String,
    /// The amount the rules propose, in yuan (a month for 低保/特困, once for 临时救助).
    pub amount: String,
    /// 低保: the review cycle the rules propose.
    pub review_months: Option<u32>,
    /// 临时救助: who approves the amount (乡镇（街道）审批、县级民政审批、一事一议).
    #[serde(default)]
    pub approval: Option<String>,
    /// Why, in Chinese.
    pub reasons: Vec<String>,
}

/// One instalment of a staged payment as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InstalmentView {
    /// 1, 2, …
    pub seq: i32,
    /// The month it is paid in (YYYY-MM).
    pub month: String,
    /// Amount in yuan.
    pub amount: String,
}

/// How 特困 support is given (43号 Art. 16).
pub const CARE_MODES: [&str; 2] = ["集中供养", "分散供养"];

/// One move as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EventView {
    /// The action, in Chinese.
    pub action: String,
    /// Stage after, in Chinese.
    pub stage: String,
    /// The day.
    pub on: String,
    /// Who.
    pub actor: String,
    /// Note.
    pub note: String,
}

/// A case as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    /// County.
    pub county: String,
    /// ID.
    pub id: String,
    /// Household.
    pub household_id: String,
    /// Where it is handled.
    pub region_code: String,
    /// Programme code.
    pub kind: String,
    /// Programme, in Chinese.
    pub kind_name: String,
    /// Channel.
    pub channel: String,
    /// Stage code.
    pub stage: String,
    /// Stage, in Chinese.
    pub stage_name: String,
    /// The need as told.
    pub summary: String,
    /// Filed.
    pub filed_on: String,
    /// Accepted.
    pub accepted_on: Option<String>,
    /// Due (while the clock runs).
    pub due_on: Option<String>,
    /// Working days the clock has run.
    pub elapsed_days: u32,
    /// The statutory limit in working days.
    pub limit_days: u32,
    /// Past its due date.
    pub overdue: bool,
    /// While accepted and not yet investigated: the investigation must start by this day
    /// (3 working days from acceptance).
    pub investigation_due: Option<String>,
    /// That day has passed.
    pub investigation_late: bool,
    /// Decided.
    pub decided_on: Option<String>,
    /// Amount in yuan.
    pub amount: Option<String>,
    /// Review cycle in months.
    pub review_months: Option<i32>,
    /// 特困: care tier.
    pub care_tier: Option<String>,
    /// 特困: 集中供养 or 分散供养.
    pub care_mode: Option<String>,
    /// 特困 分散供养: the caregiver.
    pub caregiver: Option<String>,
    /// Reasons of a refusal.
    pub reasons: String,
    /// A staff member's near relative is in the household: decided by county civil affairs.
    pub near_relative: bool,
    /// 临时救助: the hardship as filed (较重，因自然灾害，申请 3000.00 元).
    pub hardship: Option<String>,
    /// The rules' answer kept at the opinion and the decision.
    pub rules: Option<RulesOpinion>,
    /// The facts of that answer are kept, so it can be replayed (`replay`).
    pub replayable: bool,
    /// 临时救助: the payment schedule of the approval (empty in lists and before approval).
    pub instalments: Vec<InstalmentView>,
    /// Version to send with the next move.
    pub version: i32,
    /// The moves the viewer may make now: (code, Chinese).
    pub actions: Vec<(String, String)>,
    /// The history.
    pub events: Vec<EventView>,
}

fn invalid(field: &str, zh: &str, en: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, zh, en)])
}

/// The permission an action needs: decisions for the approver, the rest for the caseworker.
pub fn permission_for(action: Action) -> Permission {
    match action {
        Action::Approve | Action::Refuse | Action::Enrol | Action::CompletePapers => {
            Permission::DecideCases
        }
        _ => Permission::HandleCases,
    }
}

/// 近亲属备案 (低保审核确认办法 art. 7): a case whose household holds a staff member's declared
/// near relative is decided by county civil affairs, not by the township it is handled in.
fn decided_above_township(row: &CaseRow, action: Action) -> bool {
    row.near_relative
        && matches!(
            action,
            Action::Approve | Action::Refuse | Action::CompletePapers
        )
}

fn may_move(who: &Actor, row: &CaseRow, action: Action) -> bool {
    who.can(permission_for(action))
        && !(decided_above_township(row, action)
            && who.region.level() > jiuzhu_domain::RegionLevel::County)
}

/// Issue 15 F10 (不相容岗位分离; 57号 Art. 16–18: the township investigates, another
/// decides): whoever investigated a case or recorded its opinion may not approve or refuse
/// it, whatever their role allows. The platform's own jobs (the demo) are exempt.
fn investigator_may_not_decide(
    who: &Actor,
    action: Action,
    events: &[CaseEventRow],
    named: &[String],
) -> Result<(), AppError> {
    let deciding = matches!(
        action,
        Action::Approve | Action::Refuse | Action::CompletePapers
    );
    // 57号 Art. 16, issue 16 item 5: the approver is not one of the investigators named in the
    // opinion either (they may have visited the household without typing the opinion).
    let named_here = named
        .iter()
        .any(|n| *n == who.username || (!who.display_name.is_empty() && *n == who.display_name));
    if deciding && named_here && !who.is_platform() {
        return Err(AppError::Forbidden(format!(
            "{} 是本案审核意见记录的入户调查人，不能再审批本案（调查与审批须由不同人员承担）",
            who.username
        )));
    }
    let investigated = events.iter().any(|e| {
        e.actor == who.username
            && matches!(
                Action::parse(&e.action),
                Some(Action::StartInvestigation | Action::RecordOpinion)
            )
    });
    if deciding && investigated && !who.is_platform() {
        return Err(AppError::Forbidden(format!(
            "{} 已参与本案调查或提出审核意见，不能再审批本案（调查与审批须由不同人员承担）",
            who.username
        )));
    }
    Ok(())
}

/// The investigators named in the case's latest opinion ("调查人：甲、乙；…", sealed in the
/// event's note); none when no opinion was recorded or the note cannot be opened.
fn named_investigators(registry: &Registry, events: &[CaseEventRow]) -> Vec<String> {
    let Some(e) = events
        .iter()
        .rev()
        .find(|e| e.action == Action::RecordOpinion.code())
    else {
        return vec![];
    };
    let Ok(note) = open_field(&registry.keys, "case_events.note", &e.note) else {
        return vec![];
    };
    note.split_once("调查人：")
        .map(|(_, rest)| rest.split('；').next().unwrap_or(""))
        .unwrap_or("")
        .split('、')
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

/// S21: the statutory limits of a programme under the policy in force for the case's region on
/// `on` (the delegation to the township, Anyang §21, is the policy's `procedure.delegated`).
fn limits_of(
    registry: &Registry,
    region_code: &str,
    kind: CaseKind,
    on: NaiveDate,
) -> Result<case::Limits, AppError> {
    let region = RegionCode::parse(region_code).map_err(|_| AppError::NotFound)?;
    let params = registry
        .rules
        .params(&region, jiuzhu_domain::person::HukouType::Rural, on)
        .map_err(|e| AppError::Conflict(format!("无法读取政策参数：{e}")))?;
    Ok(jiuzhu_programmes::limits(kind, &params))
}

/// Files an application: one case per programme, each starting at 已申请.
pub fn file(
    registry: &Registry,
    who: &Actor,
    app: &Application,
) -> Result<Vec<CaseView>, AppError> {
    file_then(registry, who, app, &mut |_, _| Ok(()))
}

/// What [`file_then`] runs on the new cases inside the filing's transaction.
pub type AfterFiling<'a> =
    dyn FnMut(&mut jiuzhu_storage::DbConnection, &[CaseRow]) -> Result<(), AppError> + 'a;

/// [`file`], running `then` on the new cases inside the same transaction (the hotline request
/// is closed with the case it became, or neither happens).
pub fn file_then(
    registry: &Registry,
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
    let mut conn = registry.db.conn()?;
    let h = households::find(&mut conn, &who.scope, &app.household_id)?;
    let mut errors = Vec::new();
    let mut kinds = Vec::new();
    for k in &app.kinds {
        match CaseKind::parse(k) {
            Some(k) if !kinds.contains(&k) => kinds.push(k),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "kinds",
                format!("未知救助项目“{k}”；可选：{}", CaseKind::choices_zh()),
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
            Ok(_) if !kinds.iter().all(|k| *k == CaseKind::TemporaryEmergency) => {
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
        registry,
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
    let near_relative = !registry.staff_relations_of(&mut conn, &persons)?.is_empty();
    let now = jiuzhu_domain::time::now();
    let sealed_hardship = match hardship {
        Some(hd) => Some(seal_field(&registry.keys, "cases.hardship", &json(&hd)?)),
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
                    summary: seal_field(&registry.keys, "cases.summary", summary),
                    filed_on,
                    accepted_on: None,
                    due_on: None,
                    decided_on: None,
                    amount_fen: None,
                    review_months: None,
                    care_tier: None,
                    care_mode: None,
                    caregiver: None,
                    reasons: String::new(),
                    version: 1,
                    created_by: who.username.clone(),
                    created_at: now,
                    updated_at: now,
                    near_relative,
                    rules_opinion: String::new(),
                    hardship: match &sealed_hardship {
                        Some(sealed) if k.is_temporary() => sealed.clone(),
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
                    note: seal_field(&registry.keys, "case_events.note", app.channel.trim()),
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
                        CaseKind::parse(&case.kind).map_or("", |k| k.zh())
                    ),
                    "an open application exists",
                ),
                e => e.into(),
            })?;
            registry.audit.record(
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
        .map(|(c, e)| {
            view_of(
                registry,
                &cal,
                who,
                c.clone(),
                std::slice::from_ref(e),
                today,
            )
        })
        .collect()
}

/// The hardship of a 临时救助 application (S14): the severity is required when a 临时救助 kind
/// is applied for, the amount asked is optional; both are refused on other programmes alone.
fn filed_hardship(
    app: &Application,
    kinds: &[CaseKind],
    errors: &mut Vec<FieldError>,
) -> Option<FiledHardship> {
    let temporary = kinds.iter().any(|k| k.is_temporary());
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
pub fn may_apply(registry: &Registry, who: &Actor, household_id: &str) -> Result<(), AppError> {
    who.require(Permission::FileApplications)?;
    let mut conn = registry.db.conn()?;
    households::find(&mut conn, &who.scope, household_id)?;
    Ok(())
}

fn history(events: &[CaseEventRow]) -> Vec<Entered> {
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
fn view_of(
    registry: &Registry,
    cal: &WorkingDayCalendar,
    who: &Actor,
    row: CaseRow,
    events: &[CaseEventRow],
    today: NaiveDate,
) -> Result<CaseView, AppError> {
    let kind = CaseKind::parse(&row.kind).ok_or(AppError::NotFound)?;
    let stage = Stage::parse(&row.stage).ok_or(AppError::NotFound)?;
    let entered = history(events);
    let (elapsed, _) = case::elapsed(cal, &entered, today);
    let limits = limits_of(registry, &row.region_code, kind, today)?;
    let limit = limits.total;
    // 3 working days from (re-)acceptance to the start of the home investigation.
    let investigation_due = (stage == Stage::Accepted)
        .then(|| entered.iter().rev().find(|e| e.stage == Stage::Accepted))
        .flatten()
        .map(|e| cal.add_working_days(e.on, limits.start_investigation).date);
    let named = named_investigators(registry, events);
    let actions = Action::ALL
        .iter()
        .filter(|a| {
            jiuzhu_programmes::next(kind, stage, **a).is_ok()
                && may_move(who, &row, **a)
                && investigator_may_not_decide(who, **a, events, &named).is_ok()
        })
        .map(|a| (a.code().to_owned(), a.zh().to_owned()))
        .collect();
    let event_views = events
        .iter()
        .map(|e| -> Result<EventView, AppError> {
            Ok(EventView {
                action: Action::parse(&e.action)
                    .map(|a| a.zh().to_owned())
                    .unwrap_or_else(|| "登记申请".into()),
                stage: Stage::parse(&e.to_stage)
                    .map(|s| s.zh().to_owned())
                    .unwrap_or_default(),
                on: e.on_date.to_string(),
                actor: e.actor.clone(),
                note: open_field(&registry.keys, "case_events.note", &e.note)?,
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
        summary: open_field(&registry.keys, "cases.summary", &row.summary)?,
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
        review_months: row.review_months,
        care_tier: row.care_tier.clone(),
        care_mode: row.care_mode.clone(),
        caregiver: row
            .caregiver
            .as_deref()
            .map(|c| open_field(&registry.keys, "cases.caregiver", c))
            .transpose()?,
        reasons: row.reasons.clone(),
        near_relative: row.near_relative,
        hardship: filed_hardship_of(registry, &row)?.map(FiledHardship::zh),
        replayable: !row.rules_input.is_empty(),
        rules: if row.rules_opinion.is_empty() {
            None
        } else {
            serde_json::from_str(&open_field(
                &registry.keys,
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

/// One case with its history (an audited view).
pub fn get(
    registry: &Registry,
    cal: &WorkingDayCalendar,
    who: &Actor,
    county: &str,
    id: &str,
) -> Result<CaseView, AppError> {
    who.require(Permission::ViewRegistry)?;
    let (row, events, plan) = {
        let mut conn = registry.db.conn()?;
        let row = cases::find(&mut conn, &who.scope, county, id)?;
        let events = cases::events(&mut conn, county, id)?;
        let plan = cases::instalments(&mut conn, county, id)?;
        (row, events, plan)
    };
    let region = row.region_code.clone();
    let mut v = view_of(
        registry,
        cal,
        who,
        row,
        &events,
        jiuzhu_domain::time::today(),
    )?;
    v.instalments = plan.iter().map(instalment_view).collect();
    registry.audit.record_view(
        &registry.db,
        who,
        Event::new("case.view", "case", id, &region),
    )?;
    Ok(v)
}

fn json<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Conflict(e.to_string()))
}

/// F2: an approved amount lies within what the policy allows — up to the rules' answer, or
/// above it with the decider's written reason, never above the policy's cap for the programme
/// (`decision.monthly_cap` a household a month for 低保 and 特困, `decision.one_off_cap` for
/// 临时救助).
fn within_bounds(
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
fn filed_hardship_of(
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
fn programme_of(kind: CaseKind) -> jiuzhu_rules::Programme {
    use jiuzhu_rules::Programme;
    match kind {
        CaseKind::Dibao => Programme::Dibao,
        CaseKind::Tekun => Programme::Tekun,
        CaseKind::TemporaryEmergency | CaseKind::TemporarySpending => Programme::Temporary,
    }
}

/// The rules' answer for the case's programme on the household as registered on `on` (with
/// the hardship filed, for 临时救助), and the input it was computed from.
fn rules_opinion(
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
fn opinion_of(a: &jiuzhu_rules::Assessment, kind: CaseKind, on: NaiveDate) -> RulesOpinion {
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
    registry: &Registry,
    engine: &jiuzhu_rules::Engine,
    who: &Actor,
    county: &str,
    id: &str,
) -> Result<Replay, AppError> {
    who.require(Permission::ViewRegistry)?;
    let row = {
        let mut conn = registry.db.conn()?;
        cases::find(&mut conn, &who.scope, county, id)?
    };
    if row.rules_input.is_empty() || row.rules_opinion.is_empty() {
        return Err(AppError::Conflict(
            "该案件尚无规则核算记录（提出审核意见或批准时才保存核算数据）".into(),
        ));
    }
    let kind = CaseKind::parse(&row.kind).ok_or(AppError::NotFound)?;
    let unreadable =
        |e: serde_json::Error| AppError::Conflict(format!("保存的核算记录无法读取：{e}"));
    let stored: RulesOpinion = serde_json::from_str(&open_field(
        &registry.keys,
        "cases.rules_opinion",
        &row.rules_opinion,
    )?)
    .map_err(unreadable)?;
    let input: jiuzhu_rules::Household = serde_json::from_str(&open_field(
        &registry.keys,
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
    registry.audit.record_view(
        &registry.db,
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

fn instalment_view(r: &InstalmentRow) -> InstalmentView {
    InstalmentView {
        seq: r.seq,
        month: r.month.clone(),
        amount: Money::from_fen(r.amount_fen).yuan_string(),
    }
}

/// Cases of the viewer's region (at most 500, newest first); `open_only` leaves out the final
/// ones. Overdue cases are flagged.
pub fn list(
    registry: &Registry,
    cal: &WorkingDayCalendar,
    who: &Actor,
    open_only: bool,
) -> Result<Vec<CaseView>, AppError> {
    list_up_to(registry, cal, who, open_only, 500, "case.list")
}

/// The most applications one export lists.
pub const EXPORT_LIMIT: i64 = 100_000;

/// Every application of the viewer's region, whatever became of it (refused, not accepted,
/// transferred and withdrawn included: nothing filed is lost), as CSV for Excel (UTF-8 with a
/// byte-order mark), newest first (audited).
pub fn applications_csv(
    registry: &Registry,
    cal: &WorkingDayCalendar,
    who: &Actor,
) -> Result<Vec<u8>, AppError> {
    let views = list_up_to(registry, cal, who, false, EXPORT_LIMIT, "case.export")?;
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
            .map(|r| registry.regions.path(&r))
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
                .map(|c| crate::formula_safe::cell(c).into_owned()),
        )
        .map_err(io)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Conflict(format!("导出失败：{e}")))
}

fn list_up_to(
    registry: &Registry,
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
        let mut conn = registry.db.conn()?;
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
            view_of(registry, cal, who, r, &ev, today)
        })
        .collect::<Result<Vec<_>, _>>()?;
    registry.audit.record_view(
        &registry.db,
        who,
        Event::new(audit_action, "case", "", &who.region.to_string())
            .detail(serde_json::json!({"shown": views.len()})),
    )?;
    Ok(views)
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

/// One household on a public notice (57号 Art. 19, 24: name, household size and what is
/// proposed, privacy protected — the name is masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NoticeLine {
    /// Village or community.
    pub place: String,
    /// The head of household, masked.
    pub head_masked: String,
    /// Members.
    pub members: usize,
    /// Programme.
    pub kind_name: String,
    /// First day of the notice.
    pub from: String,
    /// Last day (7 calendar days).
    pub until: String,
}

/// The cases of the viewer's region now on public notice, for the printed notice list.
pub fn notice_list(registry: &Registry, who: &Actor) -> Result<Vec<NoticeLine>, AppError> {
    who.require(Permission::ViewRegistry)?;
    let mut conn = registry.db.conn()?;
    let rows = cases::list(&mut conn, &who.scope, Some(&[Stage::Notice.code()]), 1000)?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let from = cases::events(&mut conn, &c.county_code, &c.id)?
            .into_iter()
            .rev()
            .find(|e| e.to_stage == Stage::Notice.code())
            .map(|e| e.on_date)
            .unwrap_or(c.filed_on);
        let members =
            households::members(&mut conn, &who.scope, &c.county_code, &c.household_id, None)?;
        let head = members
            .iter()
            .find(|(m, _)| m.relation == jiuzhu_domain::person::Relation::Head.code())
            .or(members.first())
            .map(|(_, p)| crate::registry::mask_name(&p.name))
            .unwrap_or_default();
        let days = limits_of(
            registry,
            &c.region_code,
            CaseKind::parse(&c.kind).unwrap_or(CaseKind::Dibao),
            jiuzhu_domain::time::today(),
        )?
        .notice_days;
        out.push(NoticeLine {
            place: RegionCode::parse(&c.region_code)
                .map(|r| registry.regions.path(&r))
                .unwrap_or_else(|_| c.region_code.clone()),
            head_masked: head,
            members: members.len(),
            kind_name: CaseKind::parse(&c.kind)
                .map(|k| k.zh().to_owned())
                .unwrap_or_default(),
            from: from.to_string(),
            until: (from + chrono::Days::new(u64::from(days.saturating_sub(1)))).to_string(),
        });
    }
    drop(conn);
    registry.audit.record_view(
        &registry.db,
        who,
        Event::new("case.notice_list", "case", "", &who.region.to_string())
            .detail(serde_json::json!({"shown": out.len()})),
    )?;
    Ok(out)
}

/// What a printed decision or refusal letter says besides the case itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// The case.
    pub case: CaseView,
    /// Where it is handled, by name.
    pub place: String,
    /// The head of household (in full for those allowed to reveal names, else masked).
    pub head_masked: String,
    /// 批准通知书, 不予批准通知书, 不予受理通知书 or 救助申请受理回执.
    pub title: String,
    /// A refusal reaches the applicant by this day (3 working days, 57号 Art. 21).
    pub serve_by: Option<String>,
}

/// The letter for a case in its current stage.
pub fn letter(
    registry: &Registry,
    cal: &WorkingDayCalendar,
    who: &Actor,
    county: &str,
    id: &str,
) -> Result<Letter, AppError> {
    let case = get(registry, cal, who, county, id)?;
    let stage = Stage::parse(&case.stage).ok_or(AppError::NotFound)?;
    let title = match stage {
        Stage::Approved | Stage::Enrolled => "批准通知书",
        Stage::Refused => "不予批准通知书",
        Stage::NotAccepted => "不予受理通知书",
        _ => "救助申请受理回执",
    };
    let refusal_notice = limits_of(
        registry,
        &case.region_code,
        CaseKind::parse(&case.kind).unwrap_or(CaseKind::Dibao),
        jiuzhu_domain::time::today(),
    )?
    .refusal_notice;
    let serve_by = matches!(stage, Stage::Refused | Stage::NotAccepted)
        .then(|| {
            case.decided_on
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        })
        .flatten()
        .map(|d| cal.add_working_days(d, refusal_notice).date.to_string());
    let mut conn = registry.db.conn()?;
    let members = households::members(&mut conn, &who.scope, county, &case.household_id, None)?;
    drop(conn);
    // The letter goes to the applicant by name: in full for those allowed to reveal it
    // (recorded), masked for everyone else.
    let full = who.can(Permission::RevealPersonal);
    let head_masked = members
        .iter()
        .find(|(m, _)| m.relation == jiuzhu_domain::person::Relation::Head.code())
        .or(members.first())
        .map(|(_, p)| {
            if full {
                p.name.clone()
            } else {
                crate::registry::mask_name(&p.name)
            }
        })
        .unwrap_or_default();
    registry.audit.record_view(
        &registry.db,
        who,
        Event::new("case.letter", "case", id, &case.region_code)
            .detail(serde_json::json!({"title": title, "full_name": full})),
    )?;
    // The deciding township signs and seals.
    let township = RegionCode::parse(&case.region_code).ok().map(township_of);
    Ok(Letter {
        place: township
            .map(|r| registry.regions.path(&r))
            .unwrap_or_else(|| case.region_code.clone()),
        head_masked,
        title: title.into(),
        serve_by,
        case,
    })
}

/// One member line of a printed application form or investigation record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberLine {
    /// Name (in full for those allowed to reveal names, else masked).
    pub name: String,
    /// ID number, masked.
    pub id_masked: String,
    /// Relation to the head, in Chinese.
    pub relation: String,
    /// Sex, in Chinese.
    pub sex: String,
    /// Age on the day of printing.
    pub age: i32,
    /// Labour capacity, in Chinese.
    pub labour: String,
    /// Disability grade or serious illness, if any.
    pub health: String,
}

/// What a printed application form (救助申请书) or home-investigation record (入户调查记录)
/// shows: the case, the household as registered, and the recorded findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseDocument {
    /// The case.
    pub case: CaseView,
    /// The household's village, by name.
    pub address: String,
    /// The township that handles it, by name.
    pub township: String,
    /// The head of household (name as in [`MemberLine`]).
    pub head: String,
    /// The members.
    pub members: Vec<MemberLine>,
    /// The investigators and findings recorded with the opinion (blank: not yet investigated,
    /// the form is filled by hand).
    pub findings: String,
    /// The day it is printed.
    pub printed_on: String,
}

/// The data of a printed application form or investigation record (audited: it names the
/// household's members).
pub fn document(
    registry: &Registry,
    cal: &WorkingDayCalendar,
    who: &Actor,
    county: &str,
    id: &str,
    what: &str,
) -> Result<CaseDocument, AppError> {
    let case = get(registry, cal, who, county, id)?;
    let today = jiuzhu_domain::time::today();
    let (household, members) = {
        let mut conn = registry.db.conn()?;
        let h = households::find(&mut conn, &who.scope, &case.household_id)?;
        let m = households::members(&mut conn, &who.scope, county, &case.household_id, None)?;
        (h, m)
    };
    let full = who.can(Permission::RevealPersonal);
    let name_of = |n: &str| {
        if full {
            n.to_owned()
        } else {
            crate::registry::mask_name(n)
        }
    };
    use jiuzhu_domain::person::{LabourCapacity, Relation, Sex};
    let lines = members
        .iter()
        .map(|(m, p)| -> Result<MemberLine, AppError> {
            let id = crate::registry::open(&registry.keys, "id_number", &p.id_number)?;
            let age = today.years_since(p.birth_date).unwrap_or(0);
            let mut health = Vec::new();
            if let Some(g) = p.disability_grade {
                health.push(format!("残疾{g}级"));
            }
            if p.serious_illness.as_deref().is_some_and(|s| !s.is_empty()) {
                health.push("重病".to_owned());
            }
            Ok(MemberLine {
                name: name_of(&p.name),
                id_masked: crate::registry::mask_id_number(&id),
                relation: Relation::parse(&m.relation)
                    .map(|r| r.zh().to_owned())
                    .unwrap_or(m.relation.clone()),
                sex: Sex::parse(&p.sex)
                    .map(|s| s.zh().to_owned())
                    .unwrap_or_default(),
                age: i32::try_from(age).unwrap_or(0),
                labour: LabourCapacity::parse(&p.labour_capacity)
                    .map(|l| l.zh().to_owned())
                    .unwrap_or_default(),
                health: health.join("，"),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let head = members
        .iter()
        .zip(&lines)
        .find(|((m, _), _)| m.relation == jiuzhu_domain::person::Relation::Head.code())
        .or(members.iter().zip(&lines).next())
        .map(|(_, l)| l.name.clone())
        .unwrap_or_default();
    let findings = case
        .events
        .iter()
        .rev()
        .find(|e| e.action == Action::RecordOpinion.zh())
        .map(|e| e.note.clone())
        .unwrap_or_default();
    registry.audit.record_view(
        &registry.db,
        who,
        Event::new("case.print", "case", id, &case.region_code)
            .detail(serde_json::json!({"document": what, "full_names": full})),
    )?;
    let place = |code: &str| {
        RegionCode::parse(code)
            .map(|r| registry.regions.path(&r))
            .unwrap_or_else(|_| code.to_owned())
    };
    Ok(CaseDocument {
        address: place(&household.region_code),
        township: RegionCode::parse(&case.region_code)
            .map(|r| registry.regions.path(&township_of(r)))
            .unwrap_or_default(),
        head,
        members: lines,
        findings,
        printed_on: today.to_string(),
        case,
    })
}

/// One township's line on the overdue board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BoardRow {
    /// Township (or the place itself when it is above a township).
    pub township: String,
    /// Its name with its county.
    pub name: String,
    /// Open cases.
    pub open: usize,
    /// Of which past their due date.
    pub overdue: usize,
}

/// The overdue board: open and overdue cases per township, most overdue first.
pub fn board(regions: &crate::regions::RegionCache, cases: &[CaseView]) -> Vec<BoardRow> {
    let mut rows: std::collections::BTreeMap<String, BoardRow> = Default::default();
    for c in cases
        .iter()
        .filter(|c| Stage::parse(&c.stage).is_some_and(|s| !s.is_final()))
    {
        let Ok(code) = RegionCode::parse(&c.region_code).map(township_of) else {
            continue;
        };
        let row = rows.entry(code.as_str().to_owned()).or_insert(BoardRow {
            township: code.as_str().to_owned(),
            name: regions.path(&code),
            open: 0,
            overdue: 0,
        });
        row.open += 1;
        row.overdue += usize::from(c.overdue);
    }
    let mut out: Vec<BoardRow> = rows.into_values().collect();
    out.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.township.cmp(&b.township)));
    out
}

/// The departments a window transfers to (S2: 教育, 人社, 住建, 卫健, 应急, 医保, 司法, 残联) and
/// charities (慈善, answered by county civil affairs): (stored code, Chinese).
pub const DEPARTMENTS: [(&str, &str); 9] = [
    ("county_education", "县级教育部门"),
    ("county_human_resources", "县级人社部门"),
    ("county_housing", "县级住建部门"),
    ("county_health", "县级卫健部门"),
    ("county_emergency", "县级应急管理部门"),
    ("county_medical_insurance", "县级医保部门"),
    ("county_justice", "县级司法部门"),
    ("county_disabled_federation", "县残联"),
    ("charity", "慈善组织（县级民政转介）"),
];

fn department_of(s: &str) -> Option<&'static str> {
    let s = s.trim();
    DEPARTMENTS
        .iter()
        .find(|(code, zh)| *code == s || *zh == s)
        .map(|(code, _)| *code)
}

fn departments_zh() -> String {
    DEPARTMENTS
        .iter()
        .map(|(_, zh)| *zh)
        .collect::<Vec<_>>()
        .join("、")
}

/// A transferred item as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TransferView {
    /// County.
    pub county: String,
    /// ID.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// Department, in Chinese.
    pub department: String,
    /// What is asked.
    pub matter: String,
    /// Sent.
    pub sent_on: String,
    /// By whom.
    pub sent_by: String,
    /// Answered (None: still open).
    pub answered_on: Option<String>,
    /// The answer.
    pub answer: String,
}

/// The departments whose transfers the actor answers (`None`: all, for the platform).
fn answered_by(who: &Actor) -> Option<Vec<&'static str>> {
    match who.role {
        None => None,
        Some(jiuzhu_domain::Role::CountyCivilAffairs) => Some(vec!["charity"]),
        Some(r) => Some(
            DEPARTMENTS
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| *c == r.code())
                .collect(),
        ),
    }
}

/// The transfers to the actor's department in their region, open ones first (audited).
pub fn transfers(registry: &Registry, who: &Actor) -> Result<Vec<TransferView>, AppError> {
    who.require(Permission::AnswerTransfers)?;
    let deps = answered_by(who);
    let rows = {
        let mut conn = registry.db.conn()?;
        cases::transfers(&mut conn, &who.scope, deps.as_deref())?
    };
    let out = rows
        .into_iter()
        .map(|r| -> Result<TransferView, AppError> {
            Ok(TransferView {
                county: r.county_code.clone(),
                id: r.id.clone(),
                case_id: r.case_id.clone(),
                department: DEPARTMENTS
                    .iter()
                    .find(|(c, _)| *c == r.department)
                    .map(|(_, zh)| (*zh).to_owned())
                    .unwrap_or(r.department.clone()),
                matter: open_field(&registry.keys, "case_transfers.matter", &r.matter)?,
                sent_on: r.sent_on.to_string(),
                sent_by: r.sent_by.clone(),
                answered_on: r.answered_on.map(|d| d.to_string()),
                answer: if r.answer.is_empty() {
                    String::new()
                } else {
                    open_field(&registry.keys, "case_transfers.answer", &r.answer)?
                },
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    registry.audit.record_view(
        &registry.db,
        who,
        Event::new("transfer.list", "case", "", &who.region.to_string())
            .detail(serde_json::json!({"shown": out.len()})),
    )?;
    Ok(out)
}

/// A department answers a transfer (2–500 characters); 409 when it was answered already.
pub fn answer_transfer(
    registry: &Registry,
    who: &Actor,
    county: &str,
    id: &str,
    answer: &str,
) -> Result<(), AppError> {
    who.require(Permission::AnswerTransfers)?;
    let mut conn = registry.db.conn()?;
    let deps = answered_by(who);
    let row = cases::transfers(&mut conn, &who.scope, deps.as_deref())?
        .into_iter()
        .find(|t| t.county_code == county && t.id == id)
        .ok_or(AppError::NotFound)?;
    let answer = answer.trim();
    if !(2..=500).contains(&answer.chars().count()) {
        return Err(invalid(
            "answer",
            "请填写办理结果（2–500 字）",
            "answer must be 2–500 characters",
        ));
    }
    let today = jiuzhu_domain::time::today();
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        let sealed = seal_field(&registry.keys, "case_transfers.answer", answer);
        if !cases::answer_transfer(c, county, id, today, &who.username, &sealed)? {
            return Err(AppError::Conflict("该转办事项已答复".into()));
        }
        registry.audit.record(
            c,
            who,
            Event::new("transfer.answer", "case", &row.case_id, &row.region_code),
        )?;
        Ok(())
    })
}

/// The township a region lies in (the region itself at township level or above).
pub(crate) fn township_of(mut r: RegionCode) -> RegionCode {
    while r.level() > jiuzhu_domain::RegionLevel::Township {
        match r.parent() {
            Some(p) => r = p,
            None => break,
        }
    }
    r
}
