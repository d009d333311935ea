//! S7 (issue 17 item 2): the township's and county's list of periodic reviews falling due, the
//! overdue first.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiuzhu_app::caseload::due::{self, DueReview};
use serde::Deserialize;

use super::{error_page, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, Who};

/// The query: how many days ahead.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DueQuery {
    within: Option<u32>,
}

/// The due list.
#[derive(Template)]
#[template(path = "caseload/due.html")]
pub struct DuePage {
    l: PageCtx,
    within: u32,
    overdue: usize,
    due: Vec<DueReview>,
}

/// GET /caseload/due?within=30
pub async fn page(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Query(q): Query<DueQuery>,
) -> Response {
    let within = q.within.unwrap_or(30).min(366);
    let today = jiuzhu_domain::time::today();
    match blocking(move || due::due_list(&s.ctx, &who, today, within)).await {
        Ok(due) => render(
            StatusCode::OK,
            DuePage {
                overdue: due.iter().filter(|d| d.days_overdue > 0).count(),
                l,
                within,
                due,
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}
