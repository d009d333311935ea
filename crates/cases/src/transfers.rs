//! S20 一门受理、协同办理: transfers to the department in charge, tracked until answered.

use crate::model::*;

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

pub(super) fn department_of(s: &str) -> Option<&'static str> {
    let s = s.trim();
    DEPARTMENTS
        .iter()
        .find(|(code, zh)| *code == s || *zh == s)
        .map(|(code, _)| *code)
}

pub(super) fn departments_zh() -> String {
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
pub(super) fn answered_by(who: &Actor) -> Option<Vec<&'static str>> {
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
pub fn transfers(ctx: &Context, who: &Actor) -> Result<Vec<TransferView>, AppError> {
    who.require(Permission::AnswerTransfers)?;
    let deps = answered_by(who);
    let rows = {
        let mut conn = ctx.db.conn()?;
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
                matter: open_field(&ctx.keys, "case_transfers.matter", &r.matter)?,
                sent_on: r.sent_on.to_string(),
                sent_by: r.sent_by.clone(),
                answered_on: r.answered_on.map(|d| d.to_string()),
                answer: if r.answer.is_empty() {
                    String::new()
                } else {
                    open_field(&ctx.keys, "case_transfers.answer", &r.answer)?
                },
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new("transfer.list", "case", "", &who.region.to_string())
            .detail(serde_json::json!({"shown": out.len()})),
    )?;
    Ok(out)
}

/// A department answers a transfer (2–500 characters); 409 when it was answered already.
pub fn answer_transfer(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    answer: &str,
) -> Result<(), AppError> {
    who.require(Permission::AnswerTransfers)?;
    let mut conn = ctx.db.conn()?;
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
        let sealed = seal_field(&ctx.keys, "case_transfers.answer", answer);
        if !cases::answer_transfer(c, county, id, today, &who.username, &sealed)? {
            return Err(AppError::Conflict("该转办事项已答复".into()));
        }
        ctx.audit.record(
            c,
            who,
            Event::new("transfer.answer", "case", &row.case_id, &row.region_code),
        )?;
        Ok(())
    })
}
