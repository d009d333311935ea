//! The reserve-fund pages (备用金, S14): every township fund of the user's region with its
//! balance, county civil affairs' form to allocate or replenish, and a township's ledger.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::payroll::reserve::{self, EntryView, FundView};
use jiuzhu_domain::RegionLevel;
use serde::Deserialize;

use super::{error_page, message_of, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, Who};

/// The funds.
#[derive(Template)]
#[template(path = "payroll/reserve.html")]
pub struct FundsPage {
    l: PageCtx,
    funds: Vec<FundView>,
    townships: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    error: String,
}

async fn funds_page(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    code: StatusCode,
    error: String,
) -> Response {
    let regions = s.ctx.regions.clone();
    let townships: Vec<(String, String)> = regions
        .of_level(RegionLevel::Township)
        .into_iter()
        .filter(|t| who.scope.contains(&t.code))
        .map(|t| (t.code.as_str().to_owned(), regions.path(&t.code)))
        .collect();
    match blocking(move || reserve::funds(&s.ctx, &who)).await {
        Ok(funds) => render(
            code,
            FundsPage {
                l,
                funds,
                townships,
                kinds: reserve::CREDIT_KINDS.to_vec(),
                error,
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// GET /reserve
pub async fn list(State(s): State<AppState>, Who(who): Who, l: PageCtx) -> Response {
    funds_page(s, who, l, StatusCode::OK, String::new()).await
}

/// The credit form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CreditForm {
    township: String,
    kind: String,
    amount: String,
    note: String,
}

/// POST /reserve
pub async fn credit(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Form(f): Form<CreditForm>,
) -> Response {
    let (s2, who2) = (s.clone(), who.clone());
    let result = blocking(move || {
        if f.township.trim().is_empty() {
            return Err(jiuzhu_app::AppError::Invalid(vec![
                jiuzhu_app::FieldError::new(
                    "township",
                    "请选择乡镇（街道）",
                    "choose the township",
                ),
            ]));
        }
        reserve::credit(&s2.ctx, &who2, &f.township, &f.kind, &f.amount, &f.note)
    })
    .await;
    match result {
        Ok(v) => Redirect::to(&format!("/reserve/{}", v.township)).into_response(),
        Err(e) => {
            let (code, message) = message_of(&e);
            funds_page(s, who, l, code, message).await
        }
    }
}

/// A township's ledger.
#[derive(Template)]
#[template(path = "payroll/ledger.html")]
pub struct LedgerPage {
    l: PageCtx,
    fund: FundView,
    entries: Vec<EntryView>,
}

/// GET /reserve/{township}
pub async fn ledger(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(code): Path<String>,
) -> Response {
    match blocking(move || reserve::ledger(&s.ctx, &who, &code)).await {
        Ok((fund, entries)) => render(StatusCode::OK, LedgerPage { l, fund, entries }),
        Err(e) => error_page(l.clone(), e),
    }
}
