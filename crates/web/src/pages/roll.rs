//! S21, 57号 Art. 24: the village's standing list of 低保 and 特困 recipients (长期公示), a print
//! view per village (issue 16 item 5).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiuzhu_app::cases::standing_roll;
use jiuzhu_app::cases::standing_roll::StandingRoll;

use super::{error_page, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, Who};

/// The printed list.
#[derive(Template)]
#[template(path = "cases/roll.html")]
pub struct RollPage {
    l: PageCtx,
    r: StandingRoll,
}

/// GET /roll/{village}
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(village): Path<String>,
) -> Response {
    match blocking(move || standing_roll::standing_roll(&s.ctx, &who, &village)).await {
        Ok(r) => render(StatusCode::OK, RollPage { l, r }),
        Err(e) => error_page(l.clone(), e),
    }
}
