//! 核对授权 and the household verification report (S21, S22; 57号 Art. 9, 17; PIPL art.
//! 13–14): every adult member's consent is recorded first; without all of them nothing is
//! queried. With them, the report lists per member and source what the agencies hold, and
//! the totals the rules use.

use crate::registry::{Registry, mask_name};
use crate::security::Actor;
use crate::security::audit::{Event, Outcome};
use crate::{AppError, FieldError};
use chrono::NaiveDate;
use jiuzhu_domain::agency::{RecordType, Source};
use jiuzhu_domain::person::Relation;
use jiuzhu_domain::time::age_on;
use jiuzhu_domain::{Money, Permission, ResidentId};
use jiuzhu_storage::models::ConsentRow;
use jiuzhu_storage::{agency, households};
use serde::Serialize;

/// How a consent was given.
pub const METHODS: [&str; 2] = ["书面", "电子"];

/// Records one member's consent (signed on a date, on paper or online).
pub fn record_consent(
    registry: &Registry,
    who: &Actor,
    household_id: &str,
    person_id: &str,
    signed_on: &str,
    method: &str,
) -> Result<bool, AppError> {
    who.require(Permission::VerifyHouseholds)?;
    // The region first: another region's household is "not found", whatever the input.
    let mut conn = registry.db.conn()?;
    let h = households::find(&mut conn, &who.scope, household_id)?;
    let members = households::members(&mut conn, &who.scope, &h.county_code, &h.id, None)?;
    let mut errors = Vec::new();
    let date = NaiveDate::parse_from_str(signed_on.trim(), "%Y-%m-%d").ok();
    match date {
        None => errors.push(FieldError::new(
            "signed_on",
            "签署日期应为 YYYY-MM-DD",
            "signed_on must be YYYY-MM-DD",
        )),
        Some(d) if d > jiuzhu_domain::time::today() => errors.push(FieldError::new(
            "signed_on",
            "签署日期不能晚于今天",
            "signed_on is in the future",
        )),
        _ => {}
    }
    if !METHODS.contains(&method.trim()) {
        errors.push(FieldError::new(
            "method",
            "授权方式应为“书面”或“电子”",
            "method must be 书面 or 电子",
        ));
    }
    if !members.iter().any(|(_, p)| p.id == person_id) {
        errors.push(FieldError::new(
            "person_id",
            "该人员不是本户现有成员",
            "not a current member",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let row = ConsentRow {
        county_code: h.county_code.clone(),
        id: uuid::Uuid::now_v7().to_string(),
        household_id: h.id.clone(),
        person_id: person_id.to_owned(),
        signed_on: date.expect("checked"),
        method: method.trim().to_owned(),
        recorded_by: who.username.clone(),
        recorded_at: jiuzhu_domain::time::now(),
    };
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<bool, AppError> {
        let new = agency::insert_consent(c, &row)?;
        if new {
            registry.audit.record(
                c,
                who,
                Event::new("verification.consent", "household", &h.id, &h.region_code)
                    .detail(serde_json::json!({"person": person_id, "signed_on": signed_on, "method": method})),
            )?;
        }
        Ok(new)
    })
}

/// One record as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    /// Source, in Chinese.
    pub source: String,
    /// What the record says, in Chinese.
    pub kind: String,
    /// Amount in yuan, if any.
    pub amount: String,
    /// Period, if any.
    pub period: String,
    /// As of.
    pub as_of: String,
    /// Delivering agency.
    pub agency: String,
    /// The agency's reference.
    pub reference: String,
}

/// One member's part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MemberReport {
    /// Masked name.
    pub name_masked: String,
    /// Relation to the head.
    pub relation: String,
    /// Whether the member is an adult (18+) whose consent is needed.
    pub adult: bool,
    /// The consent's date, if recorded.
    pub consent: Option<String>,
    /// What the agencies hold.
    pub findings: Vec<Finding>,
}

/// The household's verification report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VerificationReport {
    /// Household.
    pub household_id: String,
    /// Date of the check.
    pub checked_on: String,
    /// Per member.
    pub members: Vec<MemberReport>,
    /// Totals the rules use: taxed income a month, financial assets, vehicles, homes,
    /// businesses, deaths (fen for money).
    pub taxed_income_monthly_fen: i64,
    /// Deposits, insurance, securities and internet finance.
    pub financial_assets_fen: i64,
    /// Cars and vessels.
    pub vehicles: u32,
    /// Homes.
    pub homes: u32,
    /// Businesses.
    pub businesses: u32,
    /// Members reported dead.
    pub deaths: u32,
}

/// Runs the check for a household: refused, naming the members, unless every adult member's
/// consent is recorded — and then nothing is queried.
pub fn household_report(
    registry: &Registry,
    who: &Actor,
    household_id: &str,
) -> Result<VerificationReport, AppError> {
    who.require(Permission::VerifyHouseholds)?;
    let today = jiuzhu_domain::time::today();
    let mut conn = registry.db.conn()?;
    let h = households::find(&mut conn, &who.scope, household_id)?;
    let members = households::members(&mut conn, &who.scope, &h.county_code, &h.id, None)?;
    let consents = agency::consents(&mut conn, &h.county_code, &h.id)?;
    let consent_of = |pid: &str| {
        consents
            .iter()
            .find(|c| c.person_id == pid)
            .map(|c| c.signed_on.to_string())
    };
    let missing: Vec<String> = members
        .iter()
        .filter(|(_, p)| age_on(p.birth_date, today) >= 18 && consent_of(&p.id).is_none())
        .map(|(_, p)| mask_name(&p.name))
        .collect();
    drop(conn);
    if !missing.is_empty() {
        registry.audit.record_alone(
            &registry.db,
            who,
            Event::new("verification.query", "household", &h.id, &h.region_code)
                .outcome(Outcome::Denied)
                .detail(serde_json::json!({"why": "consent missing", "members": missing.len()})),
        )?;
        return Err(AppError::Conflict(format!(
            "缺少核对授权：{} 尚未签署，未进行任何查询",
            missing.join("、")
        )));
    }
    let mut keys = Vec::with_capacity(members.len());
    for (_, p) in &members {
        let id = crate::registry::open(&registry.keys, "id_number", &p.id_number)?;
        let id = ResidentId::parse(&id).map_err(|e| AppError::Conflict(e.to_string()))?;
        keys.push(crate::registry::id_key(&registry.keys, &id));
    }
    let records = {
        let mut conn = registry.db.conn()?;
        agency::records_of(&mut conn, &keys)?
    };
    let mut report = VerificationReport {
        household_id: h.id.clone(),
        checked_on: today.to_string(),
        members: Vec::new(),
        taxed_income_monthly_fen: 0,
        financial_assets_fen: 0,
        vehicles: 0,
        homes: 0,
        businesses: 0,
        deaths: 0,
    };
    for ((m, p), key) in members.iter().zip(&keys) {
        let mut findings = Vec::new();
        for r in records.iter().filter(|r| &r.subject_key == key) {
            let kind = RecordType::parse(&r.kind);
            let amount = r.amount_fen.unwrap_or(0);
            match kind {
                Some(RecordType::TaxedIncome) => report.taxed_income_monthly_fen += amount,
                Some(
                    RecordType::Deposit
                    | RecordType::Policy
                    | RecordType::Holding
                    | RecordType::OnlineAsset,
                ) => report.financial_assets_fen += amount,
                Some(RecordType::Car | RecordType::Vessel) => report.vehicles += 1,
                Some(RecordType::Home) => report.homes += 1,
                Some(RecordType::Company) => report.businesses += 1,
                Some(RecordType::Death) => report.deaths += 1,
                _ => {}
            }
            findings.push(Finding {
                source: Source::parse(&r.source)
                    .map(|s| s.zh().to_owned())
                    .unwrap_or_else(|| r.source.clone()),
                kind: kind
                    .map(|k| k.zh().to_owned())
                    .unwrap_or_else(|| r.kind.clone()),
                amount: r
                    .amount_fen
                    .map(|f| Money::from_fen(f).yuan_string())
                    .unwrap_or_default(),
                period: match (r.period_start, r.period_end) {
                    (Some(s), Some(e)) => format!("{s} — {e}"),
                    _ => String::new(),
                },
                as_of: r.as_of.to_string(),
                agency: r.agency.clone(),
                reference: r.reference.clone(),
            });
        }
        report.members.push(MemberReport {
            name_masked: mask_name(&p.name),
            relation: Relation::parse(&m.relation)
                .map(|r| r.zh().to_owned())
                .unwrap_or_else(|| m.relation.clone()),
            adult: age_on(p.birth_date, today) >= 18,
            consent: consent_of(&p.id),
            findings,
        });
    }
    registry.audit.record_view(
        &registry.db,
        who,
        Event::new("verification.query", "household", &h.id, &h.region_code)
            .detail(serde_json::json!({"records": records.len()})),
    )?;
    Ok(report)
}
