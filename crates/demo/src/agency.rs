//! Synthetic agency data for the demo and the tests: for every current member of the registry,
//! the records the agencies would hold if the family had declared everything (social-insurance
//! contributions of the employed, pensions, the family home, deposits and insurance as
//! declared), plus planted discrepancies in a share of households — one each: a death, a move
//! out, a car, a company, a non-residential property, public payroll, taxed income above the
//! limit, an undeclared deposit (for the household report) or large medical costs (a lead for
//! active discovery). Deterministic for a seed; every person and number is
//! invented. The consistent records raise no review task, so a cross-match must find exactly
//! the planted ones.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use jiuzhu_domain::agency::{RecordType, Source};
use jiuzhu_domain::person::{EconomicCategory, EmploymentStatus, Relation};
use jiuzhu_domain::time::age_on;
use jiuzhu_domain::{Money, RegionCode};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use jiuzhu_app::AppError;
use jiuzhu_app::Context;
use jiuzhu_app::registry::assessment::monthly;

/// The discrepancies the generator plants, by the review-task kind they should raise
/// (`undeclared_deposit` raises none: the household report flags it against the declaration).
pub const PLANTED_KINDS: [&str; 9] = [
    "death",
    "elsewhere",
    "vehicle",
    "business",
    "real_estate",
    "public_payroll",
    "income",
    "undeclared_deposit",
    "lead_medical",
];

/// What to generate.
#[derive(Debug, Clone)]
pub struct SyntheticConfig {
    /// Random seed.
    pub seed: u64,
    /// The agencies' data date.
    pub as_of: NaiveDate,
    /// Households with a planted discrepancy, per mille.
    pub plant_per_mille: u32,
    /// Planted taxed income is above this monthly amount (the cross-match limit).
    pub income_above: Money,
    /// Planted medical costs are above this yearly amount (the discovery limit).
    pub medical_above: Money,
}

/// One agency file.
#[derive(Debug, Clone)]
pub struct AgencyFile {
    /// The source it is for.
    pub source: Source,
    /// File name (its extension says the format).
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// One planted discrepancy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Planted {
    /// County.
    pub county: String,
    /// Household.
    pub household_id: String,
    /// Person.
    pub person_id: String,
    /// The review-task kind it should raise (see [`PLANTED_KINDS`]).
    pub kind: String,
}

/// The generated files and what was planted in them.
#[derive(Debug, Clone, Default)]
pub struct SyntheticAgencyData {
    /// One file per source that has records.
    pub files: Vec<AgencyFile>,
    /// The planted discrepancies.
    pub planted: Vec<Planted>,
    /// Records over all files.
    pub records: usize,
}

/// One row of an agency file.
#[derive(Debug, Clone, Serialize)]
struct Row {
    id_number: String,
    kind: &'static str,
    amount: String,
    period_start: String,
    period_end: String,
    as_of: String,
    agency: &'static str,
    reference: String,
}

fn agency_of(source: Source) -> &'static str {
    match source {
        Source::Hukou => "安阳市公安局",
        Source::Tax => "国家税务总局安阳市税务局",
        Source::SocialInsurance => "安阳市人力资源和社会保障局",
        Source::RealEstate => "安阳市不动产登记中心",
        Source::Business => "安阳市市场监督管理局",
        Source::HousingFund => "安阳市住房公积金管理中心",
        Source::Vehicle => "安阳市公安局交通管理支队",
        Source::Bank => "中国农业银行安阳分行",
        Source::Insurance => "中国人寿安阳分公司",
        Source::Securities => "中原证券安阳营业部",
        Source::InternetFinance => "网络支付平台",
        Source::MedicalInsurance => "安阳市医疗保障局",
    }
}

/// Collects rows per source.
struct Files {
    as_of: NaiveDate,
    rows: BTreeMap<Source, Vec<Row>>,
    seq: u64,
}

impl Files {
    fn add(
        &mut self,
        id_number: &str,
        kind: RecordType,
        amount: Option<Money>,
        period: Option<(NaiveDate, NaiveDate)>,
    ) {
        self.seq += 1;
        let source = kind.source();
        self.rows.entry(source).or_default().push(Row {
            id_number: id_number.to_owned(),
            kind: kind.code(),
            amount: amount.map(|m| m.yuan_string()).unwrap_or_default(),
            period_start: period.map(|p| p.0.to_string()).unwrap_or_default(),
            period_end: period.map(|p| p.1.to_string()).unwrap_or_default(),
            as_of: self.as_of.to_string(),
            agency: agency_of(source),
            reference: format!("{}-{:08}", source.code(), self.seq),
        });
    }
}

/// Generates agency data for every current member of the registry.
pub fn generate(
    registry: &Context,
    cfg: &SyntheticConfig,
    progress: &dyn Fn(u64),
) -> Result<SyntheticAgencyData, AppError> {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let as_of = cfg.as_of;
    let half_year = (as_of - chrono::Days::new(182), as_of - chrono::Days::new(1));
    let mut files = Files {
        as_of,
        rows: BTreeMap::new(),
        seq: 0,
    };
    let mut planted = Vec::new();
    let city = RegionCode::parse("4105").map_err(|e| AppError::BadFile(e.to_string()))?;
    let counties: Vec<String> = registry
        .regions
        .children(&city)
        .iter()
        .map(|c| c.short().to_owned())
        .collect();
    let mut done = 0u64;
    for county in counties {
        let mut last: Option<String> = None;
        loop {
            let page = {
                let mut conn = registry.db.conn()?;
                jiuzhu_storage::feed::page(&mut conn, &county, last.as_deref(), 1000)?
            };
            let Some(tail) = page.last() else { break };
            last = Some(tail.household.id.clone());
            for f in &page {
                let mut ids: HashMap<&str, String> = HashMap::new();
                let living: Vec<_> = f
                    .members
                    .iter()
                    .filter(|(_, p)| p.death_date.is_none())
                    .collect();
                for (_, p) in &living {
                    ids.insert(
                        p.id.as_str(),
                        jiuzhu_app::sealing::open(&registry.keys, "id_number", &p.id_number)?,
                    );
                }
                let head = living
                    .iter()
                    .find(|(m, _)| m.relation == Relation::Head.code())
                    .or(living.first())
                    .map(|(_, p)| p.id.as_str());
                let Some(head) = head else { continue };
                // What the family declared, as the agencies would hold it.
                for (_, p) in &living {
                    let age = age_on(p.birth_date, as_of);
                    let employed = matches!(
                        EmploymentStatus::parse(&p.employment_status),
                        Some(EmploymentStatus::Employed)
                    );
                    if employed && (18..60).contains(&age) {
                        files.add(
                            &ids[p.id.as_str()],
                            RecordType::Contribution,
                            None,
                            Some(half_year),
                        );
                    }
                }
                let mut home = false;
                for r in &f.records {
                    let owner = r
                        .person_id
                        .as_deref()
                        .filter(|p| ids.contains_key(p))
                        .unwrap_or(head);
                    let Some(cat) = EconomicCategory::parse(&r.category) else {
                        continue;
                    };
                    let id = &ids[owner];
                    match cat {
                        EconomicCategory::ExemptBasicPension if r.period_end >= half_year.0 => {
                            files.add(
                                id,
                                RecordType::Pension,
                                Some(monthly(r.amount_fen, r.period_start, r.period_end)),
                                Some((r.period_start, r.period_end)),
                            )
                        }
                        EconomicCategory::Housing if !home => {
                            home = true;
                            files.add(&ids[head], RecordType::Home, None, None);
                        }
                        EconomicCategory::Deposit => files.add(
                            id,
                            RecordType::Deposit,
                            Some(Money::from_fen(r.amount_fen.max(0))),
                            None,
                        ),
                        EconomicCategory::Insurance => files.add(
                            id,
                            RecordType::Policy,
                            Some(Money::from_fen(r.amount_fen.max(0))),
                            None,
                        ),
                        _ => {}
                    }
                }
                // A planted discrepancy, on one living adult.
                if rng.random_range(0..1000) >= cfg.plant_per_mille {
                    continue;
                }
                let adults: Vec<&str> = living
                    .iter()
                    .filter(|(_, p)| age_on(p.birth_date, as_of) >= 18)
                    .map(|(_, p)| p.id.as_str())
                    .collect();
                if adults.is_empty() {
                    continue;
                }
                let person = adults[rng.random_range(0..adults.len())];
                let kind = PLANTED_KINDS[rng.random_range(0..PLANTED_KINDS.len())];
                let id = &ids[person];
                match kind {
                    "death" => files.add(id, RecordType::Death, None, None),
                    "elsewhere" => files.add(id, RecordType::MovedOut, None, None),
                    "vehicle" => files.add(id, RecordType::Car, None, None),
                    "business" => files.add(id, RecordType::Company, None, None),
                    "real_estate" => files.add(id, RecordType::OtherProperty, None, None),
                    "public_payroll" => files.add(id, RecordType::PublicPayroll, None, None),
                    "income" => {
                        let above = cfg.income_above.fen() + rng.random_range(10_000..500_000);
                        files.add(
                            id,
                            RecordType::TaxedIncome,
                            Some(Money::from_fen(above)),
                            Some(half_year),
                        )
                    }
                    "lead_medical" => {
                        let above = cfg.medical_above.fen() + rng.random_range(10_000..5_000_000);
                        files.add(
                            id,
                            RecordType::MedicalCost,
                            Some(Money::from_fen(above)),
                            Some(half_year),
                        )
                    }
                    _ => {
                        let yuan: i64 = rng.random_range(80_000..200_000);
                        files.add(id, RecordType::Deposit, Some(Money::from_yuan(yuan)), None)
                    }
                }
                planted.push(Planted {
                    county: f.household.county_code.clone(),
                    household_id: f.household.id.clone(),
                    person_id: person.to_owned(),
                    kind: kind.to_owned(),
                });
            }
            done += page.len() as u64;
            progress(done);
        }
    }
    planted.sort();
    let mut out = SyntheticAgencyData {
        planted,
        ..Default::default()
    };
    let stamp = format!("{}", as_of.format("%Y-%m"));
    for (source, rows) in files.rows {
        out.records += rows.len();
        // Every format the importer reads: XLSX from tax, JSON Lines from the bank, CSV
        // (Chinese headers from social insurance) from the rest.
        let (name, bytes) = match source {
            Source::Tax => (format!("{}-{stamp}.xlsx", source.code()), xlsx(&rows)?),
            Source::Bank => (format!("{}-{stamp}.jsonl", source.code()), jsonl(&rows)?),
            Source::SocialInsurance => (
                format!("{}-{stamp}.csv", source.code()),
                csv_bytes(&rows, true)?,
            ),
            _ => (
                format!("{}-{stamp}.csv", source.code()),
                csv_bytes(&rows, false)?,
            ),
        };
        out.files.push(AgencyFile {
            source,
            name,
            bytes,
        });
    }
    Ok(out)
}

const HEADERS_EN: [&str; 8] = [
    "id_number",
    "kind",
    "amount",
    "period_start",
    "period_end",
    "as_of",
    "agency",
    "reference",
];
const HEADERS_ZH: [&str; 8] = [
    "身份证号",
    "记录类型",
    "金额",
    "起始日期",
    "截止日期",
    "数据日期",
    "提供单位",
    "编号",
];

fn cells(r: &Row) -> [&str; 8] {
    [
        &r.id_number,
        r.kind,
        &r.amount,
        &r.period_start,
        &r.period_end,
        &r.as_of,
        r.agency,
        &r.reference,
    ]
}

fn csv_bytes(rows: &[Row], chinese: bool) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::BadFile(format!("无法写出 CSV：{e}"));
    w.write_record(if chinese { HEADERS_ZH } else { HEADERS_EN })
        .map_err(fail)?;
    for r in rows {
        w.write_record(cells(r)).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| AppError::BadFile(format!("无法写出 CSV：{e}")))
}

fn jsonl(rows: &[Row]) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::new();
    for r in rows {
        serde_json::to_writer(&mut out, r)
            .map_err(|e| AppError::BadFile(format!("无法写出 JSON：{e}")))?;
        out.push(b'\n');
    }
    Ok(out)
}

fn xlsx(rows: &[Row]) -> Result<Vec<u8>, AppError> {
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::BadFile(format!("无法写出 XLSX：{e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADERS_ZH.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).map_err(fail)?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in cells(r).iter().enumerate() {
            // Text cells throughout, so that an 18-digit ID number keeps its digits.
            sheet
                .write_string(i as u32 + 1, c as u16, *v)
                .map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}

impl SyntheticAgencyData {
    /// Writes the files and `planted.csv` (household, person, kind) into `dir`.
    pub fn write_to(&self, dir: &std::path::Path) -> Result<(), AppError> {
        let io = |e: std::io::Error| AppError::BadFile(format!("无法写入 {}：{e}", dir.display()));
        std::fs::create_dir_all(dir).map_err(io)?;
        for f in &self.files {
            std::fs::write(dir.join(&f.name), &f.bytes).map_err(io)?;
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        for p in &self.planted {
            w.serialize(p)
                .map_err(|e| AppError::BadFile(format!("无法写出 CSV：{e}")))?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::BadFile(format!("无法写出 CSV：{e}")))?;
        std::fs::write(dir.join("planted.csv"), bytes).map_err(io)
    }
}

/// Imports every generated file as the agencies would deliver it (the demo's set-up).
pub fn import_all(
    registry: &Context,
    who: &jiuzhu_app::Actor,
    data: &SyntheticAgencyData,
) -> Result<Vec<jiuzhu_app::verification::ImportReport>, AppError> {
    data.files
        .iter()
        .map(|f| {
            jiuzhu_app::verification::import(
                &registry.db,
                &registry.keys,
                &registry.audit,
                who,
                f.source,
                &f.name,
                &f.bytes,
                &|_, _| {},
            )
        })
        .collect()
}
