//! Working-day deadlines, holiday import and the region tree over JSON.

use axum::Json;
use axum::extract::{Path, Query, State};
use jiuzhu_app::{AppError, FieldError};
use jiuzhu_domain::{Deadline, RegionCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ErrorBody, blocking};
use crate::{AppState, WebError};

/// Query of [`deadline`].
#[derive(Debug, Deserialize, IntoParams)]
pub struct DeadlineQuery {
    /// Start date YYYY-MM-DD (not counted).
    pub from: String,
    /// Working days to add (0–400).
    pub days: u32,
}

/// A computed deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineView {
    /// The date.
    pub date: String,
    /// True when a year without holiday data was involved (待定).
    pub provisional: bool,
}

impl From<Deadline> for DeadlineView {
    fn from(d: Deadline) -> Self {
        DeadlineView {
            date: d.date.to_string(),
            provisional: d.provisional,
        }
    }
}

/// The date `days` working days after `from` on the holiday calendar.
#[utoipa::path(get, path = "/api/v1/calendar/deadline", params(DeadlineQuery),
    responses((status = 200, body = DeadlineView), (status = 422, body = ErrorBody)))]
pub async fn deadline(
    State(s): State<AppState>,
    Query(q): Query<DeadlineQuery>,
) -> Result<Json<DeadlineView>, WebError> {
    let from = chrono::NaiveDate::parse_from_str(q.from.trim(), "%Y-%m-%d").map_err(|_| {
        WebError(AppError::Invalid(vec![FieldError::new(
            "from",
            "应为有效日期 YYYY-MM-DD",
            "expected YYYY-MM-DD",
        )]))
    })?;
    if q.days > 400 {
        return Err(WebError(AppError::Invalid(vec![FieldError::new(
            "days",
            "工作日数应在 0–400 之间",
            "days must be 0–400",
        )])));
    }
    Ok(Json(s.calendar().add_working_days(from, q.days).into()))
}

/// Result of a holiday import.
#[derive(Debug, Serialize, ToSchema)]
pub struct HolidayImport {
    /// Rows stored.
    pub rows: usize,
    /// Years now covered by holiday data.
    pub covered_years: Vec<i32>,
}

/// Imports a State Council holiday notice as CSV (`date,kind,name`): all rows or none.
#[utoipa::path(post, path = "/api/v1/calendar/holidays", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = HolidayImport), (status = 400, body = ErrorBody)))]
pub async fn import_holidays(
    State(s): State<AppState>,
    body: axum::body::Bytes,
) -> Result<Json<HolidayImport>, WebError> {
    let st = s.clone();
    let (rows, cal) = blocking(move || {
        let mut conn = st.ctx.db.conn()?;
        jiuzhu_app::calendar::import_csv(&mut conn, &body)
    })
    .await?;
    let covered_years = cal.covered_years().collect();
    s.set_calendar(cal);
    Ok(Json(HolidayImport {
        rows,
        covered_years,
    }))
}

/// A region as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionView {
    /// 12-digit code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: String,
}

/// The children of a region (for cascading pickers).
#[utoipa::path(get, path = "/api/v1/regions/{code}/children", params(("code" = String, Path, description = "region code")),
    responses((status = 200, body = Vec<RegionView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn regions(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Vec<RegionView>>, WebError> {
    let code = RegionCode::parse(&code).map_err(|e| {
        WebError(AppError::Invalid(vec![FieldError::new(
            "code",
            e.to_string(),
            e.en(),
        )]))
    })?;
    let regions = &s.ctx.regions;
    if regions.get(&code).is_none() {
        return Err(WebError(AppError::NotFound));
    }
    Ok(Json(
        regions
            .children(&code)
            .iter()
            .map(|c| RegionView {
                code: c.to_string(),
                name: regions.name(c),
                level: c.level().as_str().to_owned(),
            })
            .collect(),
    ))
}
