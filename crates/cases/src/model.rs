//! A case's own vocabulary — what an application and a move carry, how a case shows — and the
//! rules of who may move it; with the imports every part of the engine shares (the children
//! of this crate read them as `use crate::model::*`).

pub(crate) use chrono::NaiveDate;
pub(crate) use jiuzhu_domain::calendar::WorkingDayCalendar;
pub(crate) use jiuzhu_domain::case::{self, Action, CaseKind, Entered, Stage};
pub(crate) use jiuzhu_domain::person::HardshipSeverity;
pub(crate) use jiuzhu_domain::{Money, Permission, RegionCode};
pub(crate) use jiuzhu_programmes::{Effect, ProgrammeSpec, Refusal};
pub(crate) use jiuzhu_storage::models::{CaseDecisionRow, CaseEventRow, CaseRow, InstalmentRow};
pub(crate) use jiuzhu_storage::{cases, households};
pub(crate) use serde::{Deserialize, Serialize};
pub(crate) use std::collections::BTreeMap;

pub(crate) use jiuzhu_kernel::Context;
pub(crate) use jiuzhu_registry::assessment::RulesOpinion;

pub(crate) use jiuzhu_kernel::sealing::open_field;

pub(crate) use jiuzhu_kernel::Actor;
pub(crate) use jiuzhu_kernel::AppError;
pub(crate) use jiuzhu_kernel::FieldError;
pub(crate) use jiuzhu_kernel::audit::Event;
pub(crate) use jiuzhu_kernel::sealing::seal_field;

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
        use jiuzhu_rules::input::{Hardship, Severity, Yuan};
        Some(Hardship {
            kind: jiuzhu_programmes::spec(kind).hardship?,
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
    /// Transfer: the department in charge (a county department's role, or 慈善组织).
    pub department: String,
    /// The programme's decision fields, as its spec names them (`amount`, and e.g. 低保's
    /// `review_months`, 特困's `adl_lost`, `care_mode`, `caregiver`, 临时救助's
    /// `instalments`): strings, numbers or booleans.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: BTreeMap<String, serde_json::Value>,
}

impl Move {
    /// A move to `action` from the case's `version`.
    pub fn new(action: &str, version: i32) -> Self {
        Move {
            action: action.into(),
            version,
            ..Move::default()
        }
    }

    /// The move with a decision field set.
    pub fn with(mut self, field: &str, value: &str) -> Self {
        self.set(field, value);
        self
    }

    /// Sets a decision field.
    pub fn set(&mut self, field: &str, value: &str) {
        self.fields.insert(field.into(), value.into());
    }

    /// The decision fields as text (numbers and booleans as typed; null as blank).
    pub fn field_texts(&self) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .map(|(k, v)| {
                let t = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k.clone(), t)
            })
            .collect()
    }
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

/// A decision field of the programme as a form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FormField {
    /// The name to post.
    pub name: String,
    /// The label, in Chinese (with the actions that ask for it).
    pub label: String,
    /// The label in English.
    pub en: String,
    /// The choices, for a field with a list (empty: typed).
    pub choices: Vec<String>,
    /// What blank means, if anything.
    pub default: String,
}

/// One line of a kept decision (复核周期, 护理等级 …) as the case page and the letter show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DecisionLine {
    /// Label, in Chinese.
    pub label: String,
    /// Value.
    pub value: String,
}

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
    /// What the decision set besides the amount, as its programme shows it (复核周期; 护理等级,
    /// 供养方式, 照料服务人; 审批层级 …); empty in lists and before a decision.
    pub decision: Vec<DecisionLine>,
    /// The fields the allowed moves ask for besides the note, the date and the investigators
    /// (from the programme's spec): the case page renders them, an API client can read them.
    pub fields: Vec<FormField>,
    /// Paid monthly from the month after the decision (otherwise once, or in instalments).
    pub monthly: bool,
    /// The programme's procedure has a home investigation (its record can be printed).
    pub investigation_record: bool,
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

pub(crate) fn invalid(field: &str, zh: &str, en: &str) -> AppError {
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
pub(crate) fn decided_above_township(row: &CaseRow, action: Action) -> bool {
    row.near_relative
        && matches!(
            action,
            Action::Approve | Action::Refuse | Action::CompletePapers
        )
}

pub(crate) fn may_move(who: &Actor, row: &CaseRow, action: Action) -> bool {
    who.can(permission_for(action))
        && !(decided_above_township(row, action)
            && who.region.level() > jiuzhu_domain::RegionLevel::County)
}

/// Issue 15 F10 (不相容岗位分离; 57号 Art. 16–18: the township investigates, another
/// decides): whoever investigated a case or recorded its opinion may not approve or refuse
/// it, whatever their role allows. The platform's own jobs (the demo) are exempt.
pub(crate) fn investigator_may_not_decide(
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
    // Issue 16 item 5: nobody carries a case alone at any level — whoever investigated, wrote
    // the opinion or paid a 急难 advance (whose papers completed are its approval) does not
    // decide it.
    let handled = events.iter().any(|e| {
        e.actor == who.username
            && matches!(
                Action::parse(&e.action),
                Some(Action::StartInvestigation | Action::RecordOpinion | Action::PayAdvance)
            )
    });
    if deciding && handled && !who.is_platform() {
        return Err(AppError::Forbidden(format!(
            "{} 已参与本案调查、提出审核意见或发放先行救助，不能再审批本案（经办与审批须由不同人员承担）",
            who.username
        )));
    }
    Ok(())
}

/// The investigators named in the case's latest opinion ("调查人：甲、乙；…", sealed in the
/// event's note); none when no opinion was recorded or the note cannot be opened.
pub(crate) fn named_investigators(ctx: &Context, events: &[CaseEventRow]) -> Vec<String> {
    let Some(e) = events
        .iter()
        .rev()
        .find(|e| e.action == Action::RecordOpinion.code())
    else {
        return vec![];
    };
    let Ok(note) = open_field(&ctx.keys, "case_events.note", &e.note) else {
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
pub(crate) fn limits_of(
    ctx: &Context,
    region_code: &str,
    kind: CaseKind,
    on: NaiveDate,
) -> Result<case::Limits, AppError> {
    let region = RegionCode::parse(region_code).map_err(|_| AppError::NotFound)?;
    let params = ctx
        .rules
        .params(&region, jiuzhu_domain::person::HukouType::Rural, on)
        .map_err(|e| AppError::Conflict(format!("无法读取政策参数：{e}")))?;
    Ok(jiuzhu_programmes::limits(kind, &params))
}

pub(crate) fn json<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Conflict(e.to_string()))
}
