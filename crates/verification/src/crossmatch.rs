//! Whole-caseload cross-matching (S7, G3): every registered household member against the
//! latest agency data. Hits become review tasks with their evidence for a person to decide —
//! nothing is stopped automatically (PIPL art. 24). A death stops benefits from the next
//! month and what was paid is never recovered (S21); that is the reviewer's decision to record.
//! Until enrolments exist (the intake issue), the caseload is every current household member.

use jiuzhu_domain::agency::RecordType;
use jiuzhu_domain::{Money, Permission};
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::audit::{Audit, Event};
use jiuzhu_storage::Db;
use jiuzhu_storage::models::ReviewTaskRow;
use jiuzhu_storage::review::{self, Hit};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What a review task is about.
pub const TASK_KINDS: [(&str, &str); 7] = [
    ("death", "死亡（次月停发，已发不追回）"),
    ("vehicle", "登记有机动车或船舶"),
    ("business", "登记有市场主体"),
    ("real_estate", "有两套以上住房或非住宅不动产"),
    ("public_payroll", "财政供养人员"),
    ("income", "纳税收入超过标准"),
    ("elsewhere", "户口已迁出，可能在他处另有户籍或待遇"),
];

/// The task kind a hit raises, if any (homes are counted per person first).
fn task_kind(h: &Hit, income_above: Money) -> Option<&'static str> {
    match RecordType::parse(&h.kind)? {
        RecordType::Death => Some("death"),
        // S7: membership elsewhere. Within the city the national-ID index already refuses a
        // second registration; a move out of the household register is how a person enrolled
        // somewhere else shows up in the data.
        RecordType::MovedOut => Some("elsewhere"),
        RecordType::Car | RecordType::Vessel => Some("vehicle"),
        RecordType::Company => Some("business"),
        RecordType::OtherProperty => Some("real_estate"),
        RecordType::PublicPayroll => Some("public_payroll"),
        RecordType::TaxedIncome if h.amount_fen.unwrap_or(0) > income_above.fen() => Some("income"),
        _ => None,
    }
}

/// The default income limit: the policy's 低保边缘 ceiling on `on` for the city (its urban
/// standard × `edge.income_multiple`; S4, 57号 Art. 8) — no number in code.
pub fn default_income_limit(
    policy: &jiuzhu_rules::PolicySet,
    on: chrono::NaiveDate,
) -> Result<Money, AppError> {
    let p = policy
        .resolve(
            &policy.jurisdiction,
            jiuzhu_domain::person::HukouType::Urban,
            on,
        )
        .map_err(|e| AppError::BadFile(e.to_string()))?;
    Ok(p.edge_income_multiple.of(p.dibao_standard))
}

/// What a run found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossMatchReport {
    /// The run.
    pub run_id: String,
    /// Agency records about current household members, of the types that can raise a task.
    pub records_matched: usize,
    /// Findings per task kind.
    pub findings: BTreeMap<String, usize>,
    /// Tasks raised now (the rest were raised by an earlier run).
    pub tasks_new: usize,
    /// SM3 over the sorted findings: equal on SQLite and PostgreSQL for the same data.
    pub digest: String,
}

/// One finding before it becomes a task.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    county: String,
    subject: String,
    person: String,
    kind: &'static str,
    record_key: String,
}

/// Cross-matches the caseload. Taxed income above `income_above` a month raises a task.
pub fn cross_match(
    db: &Db,
    audit: &Audit,
    who: &Actor,
    income_above: Money,
) -> Result<CrossMatchReport, AppError> {
    who.require(Permission::ImportAgencyData)?;
    let kinds: Vec<&str> = [
        RecordType::Death,
        RecordType::MovedOut,
        RecordType::Car,
        RecordType::Vessel,
        RecordType::Company,
        RecordType::Home,
        RecordType::OtherProperty,
        RecordType::PublicPayroll,
        RecordType::TaxedIncome,
    ]
    .iter()
    .map(|k| k.code())
    .collect();
    let mut conn = db.conn()?;
    let hits = review::hits(&mut conn, &kinds)?;
    let run_id = uuid::Uuid::now_v7().to_string();
    let now = jiuzhu_domain::time::now();
    let mut tasks: Vec<(Finding, &Hit)> = Vec::new();
    // Homes: a task when a person has two or more, with the newest as evidence.
    let mut homes: HashMap<(&str, &str), Vec<&Hit>> = HashMap::new();
    for h in &hits {
        if h.kind == RecordType::Home.code() {
            homes
                .entry((h.county_code.as_str(), h.person_id.as_str()))
                .or_default()
                .push(h);
            continue;
        }
        if let Some(kind) = task_kind(h, income_above) {
            tasks.push((
                Finding {
                    county: h.county_code.clone(),
                    subject: h.subject_key.clone(),
                    person: h.person_id.clone(),
                    kind,
                    record_key: h.record_key.clone(),
                },
                h,
            ));
        }
    }
    for list in homes.values().filter(|l| l.len() >= 2) {
        let newest = list
            .iter()
            .max_by(|a, b| (a.as_of, &a.record_key).cmp(&(b.as_of, &b.record_key)))
            .expect("two or more");
        tasks.push((
            Finding {
                county: newest.county_code.clone(),
                subject: newest.subject_key.clone(),
                person: newest.person_id.clone(),
                kind: "real_estate",
                record_key: newest.record_key.clone(),
            },
            newest,
        ));
    }
    tasks.sort_by(|a, b| a.0.cmp(&b.0));
    let mut findings = BTreeMap::new();
    let mut digest_input = String::with_capacity(tasks.len() * 150);
    for (f, _) in &tasks {
        *findings.entry(f.kind.to_owned()).or_insert(0) += 1;
        digest_input.push_str(&format!(
            "{}|{}|{}|{}\n",
            f.county, f.subject, f.kind, f.record_key
        ));
    }
    let rows: Vec<ReviewTaskRow> = tasks
        .iter()
        .map(|(f, h)| ReviewTaskRow {
            county_code: f.county.clone(),
            id: uuid::Uuid::now_v7().to_string(),
            person_id: f.person.clone(),
            household_id: h.household_id.clone(),
            kind: f.kind.to_owned(),
            source: h.source.clone(),
            record_key: f.record_key.clone(),
            as_of: h.as_of,
            amount_fen: h.amount_fen,
            status: "open".into(),
            note: String::new(),
            run_id: run_id.clone(),
            created_at: now,
            closed_by: None,
            closed_at: None,
        })
        .collect();
    let tasks_new = jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<usize, AppError> {
        let n = review::insert_tasks(c, &rows)?;
        audit.record(
            c,
            who,
            Event::new(
                "crossmatch.run",
                "crossmatch",
                &run_id,
                &who.region.to_string(),
            )
            .detail(serde_json::json!({
                "matched": hits.len(),
                "findings": findings,
                "new_tasks": n,
            })),
        )?;
        Ok(n)
    })?;
    Ok(CrossMatchReport {
        run_id,
        records_matched: hits.len(),
        findings,
        tasks_new,
        digest: jiuzhu_crypto::sm3_hex(digest_input.as_bytes()),
    })
}
