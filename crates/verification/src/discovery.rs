//! Active discovery (S20, 低收入人口动态监测): the reverse of cross-matching — people who look
//! eligible but receive nothing become leads for their township to visit:
//! - `lead_disability`: a grade 1–2 disability in a household with no income or work record in
//!   any agency's data;
//! - `lead_medical`: out-of-pocket medical costs in the last 12 months above the limit (by
//!   default the city's yearly 低保 standard: costs that alone would exhaust a year's minimum);
//! - `lead_no_work`: a new zero-employment household — contributions that stopped 3–12 months
//!   ago and no member with current contributions, taxed income or public payroll.
//!
//! Households that received social assistance in the last 12 months are left out (until
//! enrolments exist — the intake issue — that is the registry's 社会救助款物 records). Leads go
//! to the review queue as tasks (one per person, kind and evidence, so a re-run raises nothing
//! twice) for a person to follow up; nothing is granted automatically.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use jiuzhu_domain::agency::RecordType;
use jiuzhu_domain::person::EconomicCategory;
use jiuzhu_domain::{Money, Permission};
use jiuzhu_storage::Db;
use jiuzhu_storage::models::ReviewTaskRow;
use jiuzhu_storage::review::{self, Hit};
use serde::Serialize;

use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::audit::{Audit, Event};

/// What a discovery lead is about.
pub const LEAD_KINDS: [(&str, &str); 3] = [
    (
        "lead_disability",
        "一、二级残疾，全家无任何收入记录，未享受救助",
    ),
    ("lead_medical", "个人自付医疗费用较大，未享受救助"),
    ("lead_no_work", "新出现的零就业家庭，未享受救助"),
];

/// The limits of a run.
#[derive(Debug, Clone)]
pub struct DiscoveryConfig {
    /// The day the run looks back from.
    pub as_of: NaiveDate,
    /// Out-of-pocket medical costs in 12 months above this make a lead.
    pub medical_above: Money,
}

impl DiscoveryConfig {
    /// The defaults from the policy: medical costs above the city's yearly urban 低保
    /// standard on `as_of`.
    pub fn from_policy(
        policy: &jiuzhu_rules::PolicySet,
        as_of: NaiveDate,
    ) -> Result<Self, AppError> {
        let p = policy
            .resolve(
                &policy.jurisdiction,
                jiuzhu_domain::person::HukouType::Urban,
                as_of,
            )
            .map_err(|e| AppError::BadFile(e.to_string()))?;
        Ok(DiscoveryConfig {
            as_of,
            medical_above: p.dibao_standard.checked_mul(12).unwrap_or(p.dibao_standard),
        })
    }
}

/// What a run found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiscoveryReport {
    /// Leads per kind.
    pub leads: BTreeMap<String, usize>,
    /// Tasks raised now (the rest were raised by an earlier run).
    pub tasks_new: usize,
}

/// One lead before it becomes a task.
struct Lead {
    county: String,
    person: String,
    household: String,
    kind: &'static str,
    source: String,
    record_key: String,
    as_of: NaiveDate,
    amount_fen: Option<i64>,
}

impl Lead {
    fn from_hit(h: &Hit, kind: &'static str, amount_fen: Option<i64>) -> Self {
        Lead {
            county: h.county_code.clone(),
            person: h.person_id.clone(),
            household: h.household_id.clone(),
            kind,
            source: h.source.clone(),
            record_key: h.record_key.clone(),
            as_of: h.as_of,
            amount_fen,
        }
    }
}

/// Finds leads and raises them as tasks for the townships.
pub fn discover(
    db: &Db,
    audit: &Audit,
    who: &Actor,
    cfg: &DiscoveryConfig,
) -> Result<DiscoveryReport, AppError> {
    who.require(Permission::ImportAgencyData)?;
    let year_ago = cfg.as_of - chrono::Days::new(365);
    let current_from = cfg.as_of - chrono::Days::new(61);
    let stopped_before = cfg.as_of - chrono::Days::new(91);
    let kinds: Vec<&str> = [
        RecordType::MedicalCost,
        RecordType::Contribution,
        RecordType::FundContribution,
        RecordType::TaxedIncome,
        RecordType::Pension,
        RecordType::PublicPayroll,
    ]
    .iter()
    .map(|k| k.code())
    .collect();
    let mut conn = db.conn()?;
    let hits = review::hits(&mut conn, &kinds)?;
    let assisted: HashSet<(String, String)> = jiuzhu_storage::discovery::households_with(
        &mut conn,
        EconomicCategory::ExemptAssistance.code(),
        year_ago,
    )?
    .into_iter()
    .collect();
    let disabled = jiuzhu_storage::discovery::severely_disabled(&mut conn, 2)?;
    let receives = |county: &str, household: &str| {
        assisted.contains(&(county.to_owned(), household.to_owned()))
    };
    let recent = |h: &Hit| h.period_end.unwrap_or(h.as_of) >= year_ago;
    let current = |h: &Hit| h.period_end.unwrap_or(h.as_of) >= current_from;
    let is = |h: &Hit, k: RecordType| h.kind == k.code();
    let income_kinds = [
        RecordType::Contribution,
        RecordType::FundContribution,
        RecordType::TaxedIncome,
        RecordType::Pension,
        RecordType::PublicPayroll,
    ];

    let mut leads: Vec<Lead> = Vec::new();
    // Large medical costs, summed per person over the last 12 months.
    let mut medical: HashMap<&str, (i64, &Hit)> = HashMap::new();
    for h in hits
        .iter()
        .filter(|h| is(h, RecordType::MedicalCost) && recent(h))
    {
        let e = medical.entry(h.person_id.as_str()).or_insert((0, h));
        e.0 += h.amount_fen.unwrap_or(0);
        if h.amount_fen > e.1.amount_fen {
            e.1 = h;
        }
    }
    for (total, h) in medical.values() {
        if *total > cfg.medical_above.fen() && !receives(&h.county_code, &h.household_id) {
            leads.push(Lead::from_hit(h, "lead_medical", Some(*total)));
        }
    }
    // Households where someone has any income or work record this year.
    let earning: HashSet<(&str, &str)> = hits
        .iter()
        .filter(|h| income_kinds.iter().any(|k| is(h, *k)) && recent(h))
        .map(|h| (h.county_code.as_str(), h.household_id.as_str()))
        .collect();
    for (county, person, household) in &disabled {
        if !earning.contains(&(county.as_str(), household.as_str())) && !receives(county, household)
        {
            leads.push(Lead {
                county: county.clone(),
                person: person.clone(),
                household: household.clone(),
                kind: "lead_disability",
                source: "残联（登记信息）".into(),
                record_key: format!("registry:disability:{person}"),
                as_of: cfg.as_of,
                amount_fen: None,
            });
        }
    }
    // New zero-employment households.
    let mut by_household: HashMap<(&str, &str), Vec<&Hit>> = HashMap::new();
    for h in hits.iter().filter(|h| !is(h, RecordType::MedicalCost)) {
        by_household
            .entry((h.county_code.as_str(), h.household_id.as_str()))
            .or_default()
            .push(h);
    }
    for ((county, household), list) in &by_household {
        let working_now = list.iter().any(|h| {
            current(h)
                && [
                    RecordType::Contribution,
                    RecordType::FundContribution,
                    RecordType::TaxedIncome,
                    RecordType::PublicPayroll,
                ]
                .iter()
                .any(|k| is(h, *k))
        });
        let stopped = list
            .iter()
            .filter(|h| is(h, RecordType::Contribution))
            .filter(|h| {
                let end = h.period_end.unwrap_or(h.as_of);
                end >= year_ago && end < stopped_before
            })
            .max_by_key(|h| (h.period_end, &h.record_key));
        if let (false, Some(last)) = (working_now, stopped)
            && !receives(county, household)
        {
            leads.push(Lead::from_hit(last, "lead_no_work", None));
        }
    }

    leads.sort_by(|a, b| (&a.county, &a.person, a.kind).cmp(&(&b.county, &b.person, b.kind)));
    let mut found = BTreeMap::new();
    for l in &leads {
        *found.entry(l.kind.to_owned()).or_insert(0) += 1;
    }
    let run_id = uuid::Uuid::now_v7().to_string();
    let now = jiuzhu_domain::time::now();
    let rows: Vec<ReviewTaskRow> = leads
        .into_iter()
        .map(|l| ReviewTaskRow {
            county_code: l.county,
            id: uuid::Uuid::now_v7().to_string(),
            person_id: l.person,
            household_id: l.household,
            kind: l.kind.to_owned(),
            source: l.source,
            record_key: l.record_key,
            as_of: l.as_of,
            amount_fen: l.amount_fen,
            status: "open".into(),
            note: String::new(),
            run_id: run_id.clone(),
            created_at: now,
            closed_by: None,
            closed_at: None,
        })
        .collect();
    let tasks_new =
        jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<usize, AppError> {
            let n = review::insert_tasks(c, &rows)?;
            audit.record(
            c,
            who,
            Event::new("discovery.run", "discovery", &run_id, &who.region.to_string()).detail(
                serde_json::json!({"leads": found, "new_tasks": n, "as_of": cfg.as_of.to_string()}),
            ),
        )?;
            Ok(n)
        })?;
    Ok(DiscoveryReport {
        leads: found,
        tasks_new,
    })
}
