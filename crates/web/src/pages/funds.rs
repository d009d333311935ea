//! The fund view page (资金监管, G2, G3): budgets against what approved runs hold and what was
//! paid, per county and programme, with the anomalies to follow up; county civil affairs sets
//! the year's budgets here.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiuzhu_app::payroll::funds::{self, FundView};
use serde::Deserialize;

use super::{error_page, redirect_or_again, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, Who};

/// The page.
#[derive(Template)]
#[template(path = "payroll/funds.html")]
pub struct FundsPage {
    l: PageCtx,
    v: FundView,
    counties: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    error: String,
}

/// Which year.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

fn this_year() -> i32 {
    use chrono::Datelike;
    jiuzhu_domain::time::today().year()
}

async fn page(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    year: i32,
    code: StatusCode,
    error: String,
) -> Response {
    let counties: Vec<(String, String)> = who
        .scope
        .counties()
        .iter()
        .filter_map(|c| jiuzhu_domain::RegionCode::parse(c).ok())
        .map(|c| (c.short().to_owned(), s.ctx.regions.name(&c)))
        .collect();
    match blocking(move || funds::view(&s.ctx, &who, year)).await {
        Ok(v) => render(
            code,
            FundsPage {
                l,
                v,
                counties,
                kinds: jiuzhu_programmes::kinds()
                    .map(|k| (k.code(), k.zh()))
                    .collect(),
                error,
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// GET /funds?year=
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Query(q): Query<YearQuery>,
) -> Response {
    let year = q
        .year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2020..=2100).contains(y))
        .unwrap_or_else(this_year);
    page(s, who, l, year, StatusCode::OK, String::new()).await
}

/// The budget form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BudgetForm {
    county: String,
    year: String,
    programme: String,
    amount: String,
}

/// POST /funds/budget
pub async fn set_budget(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Form(f): Form<BudgetForm>,
) -> Response {
    let (s2, who2) = (s.clone(), who.clone());
    let year = f.year.trim().parse().unwrap_or_else(|_| this_year());
    let result = blocking(move || {
        funds::set_budget(&s2.ctx, &who2, &f.county, &f.year, &f.programme, &f.amount)
    })
    .await;
    redirect_or_again(
        l,
        result,
        |()| format!("/funds?year={year}"),
        |l, code, message| page(s, who, l, this_year(), code, message),
    )
    .await
}
