//! Overpayment pages (G3 追回): the region's receivables with the report of amounts recovered,
//! one receivable with its entries and the repay / write-off forms, and the form on a case
//! page that records what the case overpaid.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiuzhu_app::payroll::recovery::{self, ReceivableInput, ReceivableView, RecoveryReport};
use serde::Deserialize;

use super::{error_page, redirect_or_again, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, Who};

/// The list and report.
#[derive(Template)]
#[template(path = "payroll/receivables.html")]
pub struct ListPage {
    l: PageCtx,
    items: Vec<ReceivableView>,
    report: Vec<RecoveryReport>,
}

/// GET /receivables
pub async fn list(State(s): State<AppState>, Who(who): Who, l: PageCtx) -> Response {
    match blocking(move || {
        Ok((
            recovery::list(&s.ctx, &who, None)?,
            recovery::report(&s.ctx, &who)?,
        ))
    })
    .await
    {
        Ok((items, report)) => render(StatusCode::OK, ListPage { l, items, report }),
        Err(e) => error_page(l.clone(), e),
    }
}

/// One receivable.
#[derive(Template)]
#[template(path = "payroll/receivable.html")]
pub struct ShowPage {
    l: PageCtx,
    r: ReceivableView,
    error: String,
}

async fn show_page(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    county: String,
    id: String,
    code: StatusCode,
    error: String,
) -> Response {
    match blocking(move || recovery::get(&s.ctx, &who, &county, &id)).await {
        Ok(r) => render(code, ShowPage { l, r, error }),
        Err(e) => error_page(l.clone(), e),
    }
}

/// GET /receivables/{county}/{id}
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
) -> Response {
    show_page(s, who, l, county, id, StatusCode::OK, String::new()).await
}

/// An action on a receivable.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActForm {
    action: String,
    amount: String,
    note: String,
    version: String,
}

/// POST /receivables/{county}/{id}: repay, request_write_off or approve_write_off.
pub async fn act(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
    Form(f): Form<ActForm>,
) -> Response {
    let (s2, who2, c2, i2) = (s.clone(), who.clone(), county.clone(), id.clone());
    let result = blocking(move || {
        let version = f.version.trim().parse().unwrap_or(0);
        match f.action.as_str() {
            "repay" => recovery::repay(&s2.ctx, &who2, &c2, &i2, &f.amount, &f.note),
            "request_write_off" => {
                recovery::request_write_off(&s2.ctx, &who2, &c2, &i2, &f.note, version)
            }
            "approve_write_off" => recovery::approve_write_off(&s2.ctx, &who2, &c2, &i2, version),
            _ => {
                recovery::get(&s2.ctx, &who2, &c2, &i2)?;
                Err(jiuzhu_app::AppError::Invalid(vec![
                    jiuzhu_app::FieldError::new(
                        "action",
                        "请选择退回、申请核销或批准核销",
                        "unknown action",
                    ),
                ]))
            }
        }
    })
    .await;
    redirect_or_again(
        l,
        result,
        |r| format!("/receivables/{}/{}", r.county, r.id),
        |l, code, message| show_page(s, who, l, county, id, code, message),
    )
    .await
}

/// POST /cases/{county}/{id}/receivables: records what the case overpaid.
pub async fn record(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
    Form(f): Form<ReceivableInput>,
) -> Response {
    let (s2, who2, c2, i2) = (s.clone(), who.clone(), county.clone(), id.clone());
    let result = blocking(move || recovery::record(&s2.ctx, &who2, &c2, &i2, &f)).await;
    redirect_or_again(
        l,
        result,
        |r| format!("/receivables/{}/{}", r.county, r.id),
        |l, code, message| super::cases::show_page(s, who, l, county, id, code, message),
    )
    .await
}
