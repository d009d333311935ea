//! 核对授权 and the household verification report (S21, S22; 57号 Art. 9, 17; PIPL art.
//! 13–14): every adult member's consent is recorded first; without all of them nothing is
//! queried. With them, live connectors are asked, and the report lists per member and source
//! what the agencies hold, compares it item by item with what the family declared (flagging
//! where the agencies hold more), runs 低保 on both and is stored, sealed, with the household.

use jiuzhu_kernel::Context;

use chrono::NaiveDate;
use jiuzhu_domain::agency::{RecordType, Source};
use jiuzhu_domain::person::Relation;
use jiuzhu_domain::time::age_on;
use jiuzhu_domain::{Money, Permission, ResidentId};
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::FieldError;
use jiuzhu_kernel::audit::{Event, Outcome};
use jiuzhu_kernel::masking::mask_name;
use jiuzhu_rules::input::{Household, Income, IncomeKind, Yuan};
use jiuzhu_rules::{Engine, Programme};
use jiuzhu_storage::models::{ConsentRow, VerificationReportRow};
use jiuzhu_storage::{agency, households, persons};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

use super::connector::{Connector, Unavailable};

/// How a consent was given.
pub const METHODS: [&str; 2] = ["书面", "电子"];

/// Records one member's consent (signed on a date, on paper or online).
pub fn record_consent(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
    person_id: &str,
    signed_on: &str,
    method: &str,
) -> Result<bool, AppError> {
    who.require(Permission::VerifyHouseholds)?;
    // The region first: another region's household is "not found", whatever the input.
    let mut conn = ctx.db.conn()?;
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
            ctx.audit.record(
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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

/// One line of the comparison with what the family declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Difference {
    /// Whose (masked name), or 全户 for the household's assets.
    pub member: String,
    /// The item, in Chinese (工资经营收入（月）, 金融资产, 机动车 …).
    pub item: String,
    /// What the family declared.
    pub declared: String,
    /// What the agencies hold.
    pub verified: String,
    /// The agencies hold more than was declared: to be explained by the family.
    pub flagged: bool,
    /// What the flag means or how the rules take it.
    pub note: String,
}

/// The rules' 低保 answer on one set of facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DibaoAnswer {
    /// 符合 / 接近符合 / 不符合.
    pub outcome: String,
    /// Monthly amount in yuan.
    pub monthly: String,
    /// Per-capita monthly income the rules counted, in yuan.
    pub per_capita_income: String,
}

/// The household's verification report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VerificationReport {
    /// The stored report's ID.
    pub id: String,
    /// Household.
    pub household_id: String,
    /// Date of the check.
    pub checked_on: String,
    /// Who ran it.
    pub checked_by: String,
    /// Per member.
    pub members: Vec<MemberReport>,
    /// Agencies queried live that did not answer (the report uses what is on file for them).
    pub unavailable: Vec<String>,
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
    /// The comparison with the declaration, item by item.
    pub differences: Vec<Difference>,
    /// 低保 on the declared facts.
    pub dibao_declared: Option<DibaoAnswer>,
    /// 低保 once the agencies' data is taken in (more income or assets than declared count;
    /// members reported dead leave the household).
    pub dibao_verified: Option<DibaoAnswer>,
    /// The policy version the rules ran under.
    pub policy: String,
}

impl VerificationReport {
    /// Differences flagged.
    pub fn flagged(&self) -> usize {
        self.differences.iter().filter(|d| d.flagged).count()
    }
}

/// A stored report in a household's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportSummary {
    /// Report ID.
    pub id: String,
    /// Date of the check.
    pub checked_on: String,
    /// Who ran it.
    pub checked_by: String,
    /// Differences flagged.
    pub differences: i32,
}

/// What agencies hold about one member, summed the way the comparison needs.
#[derive(Debug, Default, Clone, Copy)]
struct Held {
    taxed_income: i64,
    pension: i64,
    contribution: bool,
    payroll: bool,
    companies: u32,
    dead: bool,
    moved_out: bool,
}

fn yuan(fen: i64) -> String {
    Money::from_fen(fen).yuan_string()
}

fn dibao_of(engine: &Engine, h: &Household, on: NaiveDate) -> Option<DibaoAnswer> {
    let a = engine.assess(h, on, false).ok()?;
    let r = a.results.iter().find(|r| r.programme == Programme::Dibao)?;
    Some(DibaoAnswer {
        outcome: r.outcome.zh().to_owned(),
        monthly: yuan(r.monthly_fen),
        per_capita_income: yuan(a.per_capita_income_fen),
    })
}

/// Calls every configured connector for the members (consent is already checked) and stores
/// the answers like delivered files; returns the agencies that did not answer.
fn query_live(
    ctx: &Context,
    who: &Actor,
    connectors: &[Arc<dyn Connector>],
    ids: &[ResidentId],
    on: NaiveDate,
) -> Vec<String> {
    let mut unavailable = Vec::new();
    for c in connectors {
        let source = c.source();
        match c.query(ids, on) {
            Err(Unavailable(why)) => unavailable.push(format!("{}：{why}", source.zh())),
            Ok(records) if records.is_empty() => {}
            Ok(records) => {
                let bytes = super::connector::as_jsonl(&c.agency(), &records);
                let name = format!("实时查询-{}-{on}.jsonl", source.code());
                match super::import::store(
                    &ctx.db,
                    &ctx.keys,
                    &ctx.audit,
                    who,
                    source,
                    &name,
                    &bytes,
                    &|_, _| {},
                ) {
                    Ok(r) if r.errors.is_empty() => {}
                    Ok(r) => unavailable.push(format!(
                        "{}：返回数据有 {} 条不合格，未采用",
                        source.zh(),
                        r.errors.len()
                    )),
                    Err(e) => unavailable.push(format!("{}：{e}", source.zh())),
                }
            }
        }
    }
    unavailable
}

/// Runs the check for a household and stores the report: refused, naming the members, unless
/// every adult member's consent is recorded — and then nothing is queried, live or on file.
/// With consent, configured connectors are queried, the agencies' records are compared with
/// the declaration and the rules run on both.
pub fn household_report(
    ctx: &Context,
    engine: &Engine,
    connectors: &[Arc<dyn Connector>],
    who: &Actor,
    household_id: &str,
) -> Result<VerificationReport, AppError> {
    who.require(Permission::VerifyHouseholds)?;
    let today = jiuzhu_domain::time::today();
    let mut conn = ctx.db.conn()?;
    let h = households::find(&mut conn, &who.scope, household_id)?;
    let members = households::members(&mut conn, &who.scope, &h.county_code, &h.id, None)?;
    let consents = agency::consents(&mut conn, &h.county_code, &h.id)?;
    let enrolments =
        jiuzhu_storage::feed::open_enrolments(&mut conn, &h.county_code, &[h.id.as_str()])?;
    let supporters = jiuzhu_storage::supporters::for_household(&mut conn, &who.scope, &h)?;
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
        ctx.audit.record_alone(
            &ctx.db,
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
    let mut ids = Vec::with_capacity(members.len());
    let mut keys = Vec::with_capacity(members.len());
    for (_, p) in &members {
        let id = jiuzhu_kernel::sealing::open(&ctx.keys, "id_number", &p.id_number)?;
        let id = ResidentId::parse(&id).map_err(|e| AppError::Conflict(e.to_string()))?;
        keys.push(jiuzhu_kernel::sealing::id_key(&ctx.keys, &id));
        ids.push(id);
    }
    let unavailable = query_live(ctx, who, connectors, &ids, today);
    let (records, declared) = {
        let mut conn = ctx.db.conn()?;
        let records = agency::records_of(&mut conn, &keys)?;
        let declared = persons::economic::for_household(&mut conn, &who.scope, &h)?;
        (records, declared)
    };
    let mut report = VerificationReport {
        id: uuid::Uuid::now_v7().to_string(),
        household_id: h.id.clone(),
        checked_on: today.to_string(),
        checked_by: who.username.clone(),
        members: Vec::new(),
        unavailable,
        taxed_income_monthly_fen: 0,
        financial_assets_fen: 0,
        vehicles: 0,
        homes: 0,
        businesses: 0,
        deaths: 0,
        differences: Vec::new(),
        dibao_declared: None,
        dibao_verified: None,
        policy: engine.policy().version.clone(),
    };
    let mut held: HashMap<String, Held> = HashMap::new();
    let (mut other_property, mut records_read) = (0u32, 0usize);
    for ((m, p), key) in members.iter().zip(&keys) {
        let mut findings = Vec::new();
        let mine = held.entry(p.id.clone()).or_default();
        for r in records.iter().filter(|r| &r.subject_key == key) {
            records_read += 1;
            let kind = RecordType::parse(&r.kind);
            let amount = r.amount_fen.unwrap_or(0);
            match kind {
                Some(RecordType::TaxedIncome) => {
                    report.taxed_income_monthly_fen += amount;
                    mine.taxed_income += amount;
                }
                Some(RecordType::Pension) => mine.pension += amount,
                Some(RecordType::Contribution | RecordType::FundContribution) => {
                    mine.contribution = true
                }
                Some(RecordType::PublicPayroll) => mine.payroll = true,
                Some(
                    RecordType::Deposit
                    | RecordType::Policy
                    | RecordType::Holding
                    | RecordType::OnlineAsset,
                ) => report.financial_assets_fen += amount,
                Some(RecordType::Car | RecordType::Vessel) => report.vehicles += 1,
                Some(RecordType::Home) => report.homes += 1,
                Some(RecordType::OtherProperty) => other_property += 1,
                Some(RecordType::Company) => {
                    report.businesses += 1;
                    mine.companies += 1;
                }
                Some(RecordType::Death) => {
                    report.deaths += 1;
                    mine.dead = true;
                }
                Some(RecordType::MovedOut) => mine.moved_out = true,
                // Shown to the caseworker; spending is declared with its receipts (S12).
                Some(RecordType::MedicalCost) | None => {}
            }
            findings.push(Finding {
                source: Source::parse(&r.source)
                    .map(|s| s.zh().to_owned())
                    .unwrap_or_else(|| r.source.clone()),
                kind: kind
                    .map(|k| k.zh().to_owned())
                    .unwrap_or_else(|| r.kind.clone()),
                amount: r.amount_fen.map(yuan).unwrap_or_default(),
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

    // The declaration, as the rules read it, and the comparison item by item.
    let facts = jiuzhu_storage::feed::HouseholdFacts {
        household: h.clone(),
        members: members.clone(),
        records: declared,
        enrolments,
        supporters,
    };
    let (declared, labels) = jiuzhu_registry::assessment::to_input(&facts, today);
    let mut verified = declared.clone();
    for (m, p) in &members {
        let Some(label) = labels.iter().find(|l| l.person_id == p.id) else {
            continue; // dead in the registry already
        };
        let held = held.get(&p.id).copied().unwrap_or_default();
        let is_head = m.relation == Relation::Head.code();
        let declared_of = |kinds: &[IncomeKind]| -> i64 {
            declared
                .incomes
                .iter()
                .filter(|i| {
                    kinds.contains(&i.kind)
                        && (i.member.as_deref() == Some(label.label.as_str())
                            || (is_head && i.member.is_none()))
                })
                .map(|i| i.monthly.0.fen())
                .sum()
        };
        let who_ = label.name_masked.clone();
        let work = declared_of(&[IncomeKind::Wage, IncomeKind::Business]);
        if held.taxed_income > 0 || work > 0 {
            let more = held.taxed_income > work;
            report.differences.push(Difference {
                member: who_.clone(),
                item: "工资经营收入（月）".into(),
                declared: yuan(work),
                verified: yuan(held.taxed_income),
                flagged: more,
                note: if more {
                    format!(
                        "纳税收入多出 {} 元/月，按工资性收入计入",
                        yuan(held.taxed_income - work)
                    )
                } else {
                    String::new()
                },
            });
            if more {
                verified.incomes.push(Income {
                    member: Some(label.label.clone()),
                    kind: IncomeKind::Wage,
                    monthly: Yuan(Money::from_fen(held.taxed_income - work)),
                });
            }
        }
        let pension = declared_of(&[IncomeKind::Transfer, IncomeKind::BasicPension]);
        if held.pension > 0 || pension > 0 {
            let more = held.pension > pension;
            report.differences.push(Difference {
                member: who_.clone(),
                item: "养老金（月）".into(),
                declared: yuan(pension),
                verified: yuan(held.pension),
                flagged: more,
                note: if more {
                    "多出部分按转移性收入计入；如属城乡居民基础养老金（不计入）请核实更正".into()
                } else {
                    String::new()
                },
            });
            if more {
                verified.incomes.push(Income {
                    member: Some(label.label.clone()),
                    kind: IncomeKind::Transfer,
                    monthly: Yuan(Money::from_fen(held.pension - pension)),
                });
            }
        }
        let flags: [(bool, &str, &str); 5] = [
            (
                held.contribution && work == 0,
                "社保或公积金缴费",
                "有缴费记录但未申报工资收入：可能在业",
            ),
            (
                held.payroll,
                "财政供养人员",
                "财政供养人员不应纳入低保，需核实",
            ),
            (
                held.companies > 0 && declared_of(&[IncomeKind::Business]) == 0,
                "市场主体登记",
                "登记有市场主体但未申报经营收入",
            ),
            (held.dead, "死亡", "户籍已注销：从户内减员，核实后次月停发"),
            (
                held.moved_out,
                "户口迁出",
                "户口已迁出，需核实是否仍共同生活",
            ),
        ];
        for (hit, item, note) in flags {
            if hit {
                report.differences.push(Difference {
                    member: who_.clone(),
                    item: item.into(),
                    declared: "未申报".into(),
                    verified: "有记录".into(),
                    flagged: true,
                    note: note.into(),
                });
            }
        }
        if held.dead {
            verified.members.retain(|x| x.id != label.label);
            verified
                .incomes
                .retain(|i| i.member.as_deref() != Some(label.label.as_str()));
        }
    }
    let a = &declared.assets;
    let counts: [(&str, u32, u32); 3] = [
        ("机动车、船舶（辆）", a.vehicles, report.vehicles),
        ("住房（套）", a.homes, report.homes),
        ("非住宅不动产（处）", a.other_real_estate, other_property),
    ];
    let fin = a.financial.0.fen();
    if fin > 0 || report.financial_assets_fen > 0 {
        let more = report.financial_assets_fen > fin;
        report.differences.push(Difference {
            member: "全户".into(),
            item: "金融资产".into(),
            declared: yuan(fin),
            verified: yuan(report.financial_assets_fen),
            flagged: more,
            note: if more {
                format!(
                    "多出 {} 元，按部门数据计入",
                    yuan(report.financial_assets_fen - fin)
                )
            } else {
                String::new()
            },
        });
        verified.assets.financial = Yuan(Money::from_fen(fin.max(report.financial_assets_fen)));
    }
    for (item, declared_n, held_n) in counts {
        if declared_n > 0 || held_n > 0 {
            report.differences.push(Difference {
                member: "全户".into(),
                item: item.into(),
                declared: declared_n.to_string(),
                verified: held_n.to_string(),
                flagged: held_n > declared_n,
                note: if held_n > declared_n {
                    "部门登记多于申报，按部门数据计入".into()
                } else {
                    String::new()
                },
            });
        }
    }
    verified.assets.vehicles = a.vehicles.max(report.vehicles);
    verified.assets.homes = a.homes.max(report.homes);
    verified.assets.other_real_estate = a.other_real_estate.max(other_property);
    report.dibao_declared = dibao_of(engine, &declared, today);
    report.dibao_verified = if verified.members.is_empty() {
        None
    } else {
        dibao_of(engine, &verified, today)
    };

    let body = serde_json::to_string(&report)
        .map_err(|e| AppError::BadFile(format!("无法保存核对报告：{e}")))?;
    let row = VerificationReportRow {
        county_code: h.county_code.clone(),
        id: report.id.clone(),
        household_id: h.id.clone(),
        checked_on: today,
        checked_by: who.username.clone(),
        created_at: jiuzhu_domain::time::now(),
        differences: report.flagged() as i32,
        body: jiuzhu_kernel::sealing::seal_field(&ctx.keys, "verification_reports.body", &body),
    };
    let mut conn = ctx.db.conn()?;
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        agency::insert_report(c, &row)?;
        ctx.audit.record(
            c,
            who,
            Event::new("verification.query", "household", &h.id, &h.region_code).detail(
                serde_json::json!({
                    "report": report.id,
                    "records": records_read,
                    "flagged": report.flagged(),
                    "unavailable": report.unavailable.len(),
                }),
            ),
        )?;
        Ok(())
    })?;
    Ok(report)
}

/// A household's stored reports, newest first.
pub fn reports(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
) -> Result<Vec<ReportSummary>, AppError> {
    who.require(Permission::VerifyHouseholds)?;
    let mut conn = ctx.db.conn()?;
    let h = households::find(&mut conn, &who.scope, household_id)?;
    Ok(agency::reports_of(&mut conn, &h.county_code, &h.id)?
        .into_iter()
        .map(|r| ReportSummary {
            id: r.id,
            checked_on: r.checked_on.to_string(),
            checked_by: r.checked_by,
            differences: r.differences,
        })
        .collect())
}

/// One stored report (an audited view).
pub fn stored_report(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
    report_id: &str,
) -> Result<VerificationReport, AppError> {
    who.require(Permission::VerifyHouseholds)?;
    let mut conn = ctx.db.conn()?;
    let h = households::find(&mut conn, &who.scope, household_id)?;
    let row = agency::reports_of(&mut conn, &h.county_code, &h.id)?
        .into_iter()
        .find(|r| r.id == report_id)
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let body =
        jiuzhu_kernel::sealing::open_field(&ctx.keys, "verification_reports.body", &row.body)?;
    let report: VerificationReport = serde_json::from_str(&body)
        .map_err(|e| AppError::Conflict(format!("核对报告无法读取：{e}")))?;
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new(
            "verification.report.view",
            "household",
            &h.id,
            &h.region_code,
        )
        .detail(serde_json::json!({"report": report_id})),
    )?;
    Ok(report)
}

/// One member on the consent page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ConsentLine {
    /// Person ID (to record a consent).
    pub person_id: String,
    /// Masked name.
    pub name_masked: String,
    /// Relation to the head.
    pub relation: String,
    /// Whether the member's consent is needed (18 or older).
    pub adult: bool,
    /// Date signed, if recorded.
    pub signed_on: Option<String>,
    /// 书面 / 电子, if recorded.
    pub method: Option<String>,
}

/// Who in the household has consented, and whether the check may run.
pub fn consent_status(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
) -> Result<(Vec<ConsentLine>, bool), AppError> {
    who.require(Permission::VerifyHouseholds)?;
    let today = jiuzhu_domain::time::today();
    let mut conn = ctx.db.conn()?;
    let h = households::find(&mut conn, &who.scope, household_id)?;
    let members = households::members(&mut conn, &who.scope, &h.county_code, &h.id, None)?;
    let consents = agency::consents(&mut conn, &h.county_code, &h.id)?;
    let lines: Vec<ConsentLine> = members
        .iter()
        .map(|(m, p)| {
            let c = consents.iter().find(|c| c.person_id == p.id);
            ConsentLine {
                person_id: p.id.clone(),
                name_masked: mask_name(&p.name),
                relation: Relation::parse(&m.relation)
                    .map(|r| r.zh().to_owned())
                    .unwrap_or_else(|| m.relation.clone()),
                adult: age_on(p.birth_date, today) >= 18,
                signed_on: c.map(|c| c.signed_on.to_string()),
                method: c.map(|c| c.method.clone()),
            }
        })
        .collect();
    let ready = lines.iter().all(|l| !l.adult || l.signed_on.is_some());
    Ok((lines, ready))
}
