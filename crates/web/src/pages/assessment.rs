//! The needs-assessment page of a household (S2: what it qualifies for, nearly qualifies for
//! and why, who handles each — with every step's policy citation) and the policy page (the
//! parameters in force for a region and date, 示例值 labelled).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use jiuzhu_app::registry::assessment::MemberLabel;
use jiuzhu_domain::Money;
use jiuzhu_domain::person::HukouType;
use jiuzhu_domain::{RegionCode, RegionLevel};
use jiuzhu_rules::params::{CATALOGUE, Origin};
use jiuzhu_rules::{Outcome, ProgrammeResult};
use serde::Deserialize;

use super::{error_page, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, Who};

/// A step as shown.
pub struct StepRow {
    text: String,
    cite: String,
    amount: String,
}

/// A parameter as shown.
pub struct ParamRow {
    name: String,
    key: String,
    value: String,
    value_rural: String,
    region: String,
    dates: String,
    source: String,
    illustrative: bool,
}

/// One programme's answer as shown.
pub struct ResultRow {
    name: String,
    outcome: String,
    outcome_class: &'static str,
    department: String,
    amount: String,
    detail: String,
    reasons: Vec<String>,
    steps: Vec<StepRow>,
    params: Vec<ParamRow>,
}

fn yuan(fen: i64) -> String {
    format!("{} 元", Money::from_fen(fen).yuan_string())
}

fn step_row(s: &jiuzhu_rules::Step, en: bool) -> StepRow {
    StepRow {
        text: if en { s.en.clone() } else { s.zh.clone() },
        cite: s.cite.clone(),
        amount: s.amount_fen.map(yuan).unwrap_or_default(),
    }
}

fn param_name(key: &str, en: bool) -> String {
    CATALOGUE
        .iter()
        .find(|s| s.key == key)
        .map(|s| if en { s.en } else { s.zh }.to_owned())
        .unwrap_or_else(|| key.to_owned())
}

fn dates(o: &Origin) -> String {
    match o.until {
        Some(u) => format!("{} — {}", o.from, u),
        None => format!("{} 起", o.from),
    }
}

fn param_row(o: &Origin, rural: Option<&Origin>, en: bool) -> ParamRow {
    ParamRow {
        name: param_name(&o.key, en),
        key: o.key.clone(),
        value: o.value.clone(),
        value_rural: rural.map(|r| r.value.clone()).unwrap_or_default(),
        region: o.region.clone(),
        dates: dates(o),
        source: o.source.clone(),
        illustrative: o.illustrative || rural.is_some_and(|r| r.illustrative),
    }
}

fn result_row(r: &ProgrammeResult, l: &PageCtx) -> ResultRow {
    let en = l.is_en();
    let mut detail = Vec::new();
    if let Some(m) = r.mode {
        detail.push(if en { m.en() } else { m.zh() }.to_owned());
    }
    if let Some(n) = r.review_months {
        detail.push(
            l.t(
                &format!("每 {n} 个月复核"),
                &format!("review every {n} months"),
            )
            .to_owned(),
        );
    }
    if let Some(n) = r.gradual_exit_months_left {
        detail.push(
            l.t(
                &format!("渐退期剩余 {n} 个月"),
                &format!("{n} months of gradual exit left"),
            )
            .to_owned(),
        );
    }
    if let Some(a) = r.approval {
        detail.push(if en { a.en() } else { a.zh() }.to_owned());
    }
    if r.advance_possible == Some(true) {
        detail.push(l.t("可小额先行救助", "may be paid first").to_owned());
    }
    for m in &r.members {
        let tier = m
            .care_tier
            .map(|t| format!("（{}）", if en { t.en() } else { t.zh() }))
            .unwrap_or_default();
        detail.push(format!("{} {}{tier}", m.member, yuan(m.monthly_fen)));
    }
    let mut amount = Vec::new();
    if r.monthly_fen > 0 {
        amount.push(
            l.t(
                &format!("每月 {}", yuan(r.monthly_fen)),
                &format!("{} a month", yuan(r.monthly_fen)),
            )
            .to_owned(),
        );
    }
    if let Some(f) = r.one_off_fen.filter(|f| *f > 0) {
        amount.push(
            l.t(&format!("一次性 {}", yuan(f)), &format!("{} once", yuan(f)))
                .to_owned(),
        );
    }
    let ex = r.explanation.clone().unwrap_or_default();
    ResultRow {
        name: if en {
            r.programme.en()
        } else {
            r.programme.zh()
        }
        .to_owned(),
        outcome: if en { r.outcome.en() } else { r.outcome.zh() }.to_owned(),
        outcome_class: match r.outcome {
            Outcome::Eligible => "ok",
            Outcome::Nearly => "warn",
            Outcome::NotEligible => "muted",
        },
        department: if en {
            r.department.en()
        } else {
            r.department.zh()
        }
        .to_owned(),
        amount: amount.join("，"),
        detail: detail.join("；"),
        reasons: r
            .reasons
            .iter()
            .map(|x| if en { x.en.clone() } else { x.zh.clone() })
            .collect(),
        steps: ex.steps.iter().map(|s| step_row(s, en)).collect(),
        params: ex
            .parameters
            .iter()
            .map(|o| param_row(o, None, en))
            .collect(),
    }
}

/// The assessment page.
#[derive(Template)]
#[template(path = "households/assessment.html")]
pub struct AssessmentPage {
    l: PageCtx,
    id: String,
    on: String,
    date_error: String,
    policy: String,
    illustrative: bool,
    members: Vec<MemberLabel>,
    per_capita: String,
    standard: String,
    counted: i64,
    shared: Vec<StepRow>,
    /// 符合 / 接近符合 / 不符合, each with its heading and anchor.
    sections: Vec<(String, &'static str, Vec<ResultRow>)>,
    /// Programmes not assessed for want of data: (name, what is missing).
    not_assessed: Vec<(String, String)>,
}

/// `?on=YYYY-MM-DD`.
#[derive(Debug, Deserialize)]
pub struct OnQuery {
    on: Option<String>,
}

/// GET /households/{id}/assessment
pub async fn household(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
    Query(q): Query<OnQuery>,
) -> Response {
    // A date that cannot be read is named on the page; the assessment is then for today.
    let asked = q.on.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let parsed = asked.map(|d| d.parse::<NaiveDate>());
    let date_error = match (asked, &parsed) {
        (Some(d), Some(Err(_))) => l
            .t(
                &format!("评估日期“{d}”格式错误，应为 YYYY-MM-DD；以下按今天评估"),
                "bad date; assessed for today",
            )
            .to_owned(),
        _ => String::new(),
    };
    let on = parsed
        .and_then(Result::ok)
        .unwrap_or_else(jiuzhu_domain::time::today);
    let engine = s.engine.clone();
    let policy = format!("{}（{}）", engine.policy().name, engine.policy().version);
    let illustrative = engine.policy().has_illustrative();
    let registry = s.ctx.clone();
    match blocking(move || {
        jiuzhu_app::registry::assessment::assess_household(&registry, &engine, &who, &id, on)
    })
    .await
    {
        Ok(a) => {
            let rows: Vec<ResultRow> = a
                .assessment
                .results
                .iter()
                .map(|r| result_row(r, &l))
                .collect();
            let mut eligible = Vec::new();
            let mut nearly = Vec::new();
            let mut others = Vec::new();
            for (r, row) in a.assessment.results.iter().zip(rows) {
                match r.outcome {
                    Outcome::Eligible => eligible.push(row),
                    Outcome::Nearly => nearly.push(row),
                    Outcome::NotEligible => others.push(row),
                }
            }
            let en = l.is_en();
            let not_assessed = a
                .assessment
                .not_assessed
                .iter()
                .map(|n| {
                    let why = if en { &n.en } else { &n.zh };
                    (n.name.clone(), why.clone())
                })
                .collect();
            let shared = a
                .assessment
                .explanation
                .iter()
                .flat_map(|e| e.steps.iter())
                .map(|s| step_row(s, en))
                .collect();
            render(
                StatusCode::OK,
                AssessmentPage {
                    id: a.household_id,
                    on: on.to_string(),
                    date_error,
                    policy,
                    illustrative,
                    members: a.members,
                    per_capita: yuan(a.assessment.per_capita_income_fen),
                    standard: yuan(a.assessment.standard_fen),
                    counted: a.assessment.counted_members,
                    shared,
                    sections: vec![
                        (
                            l.t("符合", "Qualifies for").to_owned(),
                            "eligible",
                            eligible,
                        ),
                        (
                            l.t("接近符合", "Nearly qualifies for").to_owned(),
                            "nearly",
                            nearly,
                        ),
                        (
                            l.t("不符合", "Does not qualify for").to_owned(),
                            "not-eligible",
                            others,
                        ),
                    ],
                    not_assessed,
                    l,
                },
            )
        }
        Err(e) => error_page(l.clone(), e),
    }
}

/// The policy page.
#[derive(Template)]
#[template(path = "policy.html")]
pub struct PolicyPage {
    l: PageCtx,
    name: String,
    version: String,
    note: String,
    region: String,
    region_name: String,
    date: String,
    error: String,
    counties: Vec<(String, String)>,
    rows: Vec<ParamRow>,
}

/// `?region=…&date=…`.
#[derive(Debug, Deserialize)]
pub struct PolicyQuery {
    region: Option<String>,
    date: Option<String>,
}

/// GET /policy
pub async fn policy(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Query(q): Query<PolicyQuery>,
) -> Response {
    let p = s.engine.policy();
    let mut error = String::new();
    let date = match q.date.as_deref().filter(|d| !d.is_empty()) {
        None => jiuzhu_domain::time::today(),
        Some(d) => d.parse().unwrap_or_else(|_| {
            error = l
                .t(
                    &format!("日期格式错误：{d}（应为 YYYY-MM-DD）"),
                    &format!("bad date {d}"),
                )
                .to_owned();
            jiuzhu_domain::time::today()
        }),
    };
    // Default to the user's county (or the city).
    let own = who
        .region
        .county_code()
        .map(str::to_owned)
        .unwrap_or_else(|| "4105".to_owned());
    let region = match q
        .region
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(RegionCode::parse)
    {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            error = l
                .t(&format!("区划代码有误：{e}"), "bad region code")
                .to_owned();
            RegionCode::parse(&own).unwrap_or_else(|_| p.jurisdiction.clone())
        }
        None => RegionCode::parse(&own).unwrap_or_else(|_| p.jurisdiction.clone()),
    };
    let city = p.jurisdiction.clone();
    let counties: Vec<(String, String)> = s
        .ctx
        .regions
        .children(&city)
        .iter()
        .filter(|c| c.level() == RegionLevel::County)
        .map(|c| {
            (
                c.short().to_owned(),
                s.ctx
                    .regions
                    .get(c)
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let region_name = s
        .ctx
        .regions
        .get(&region)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let en = l.is_en();
    let rows = match (
        p.resolve(&region, HukouType::Urban, date),
        p.resolve(&region, HukouType::Rural, date),
    ) {
        (Ok(u), Ok(r)) => u
            .origins()
            .iter()
            .zip(r.origins())
            .enumerate()
            .map(|(i, (uo, ro))| param_row(uo, CATALOGUE[i].by_area.then_some(ro), en))
            .collect(),
        (Err(e), _) | (_, Err(e)) => {
            error = e.to_string();
            Vec::new()
        }
    };
    render(
        StatusCode::OK,
        PolicyPage {
            name: p.name.clone(),
            version: p.version.clone(),
            note: p.note.clone(),
            region: region.short().to_owned(),
            region_name,
            date: date.to_string(),
            error,
            counties,
            rows,
            l,
        },
    )
}
