//! Applications and cases over JSON (S20, S21).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use jiuzhu_app::cases;
use jiuzhu_app::cases::Application;
use jiuzhu_app::cases::CaseView;
use jiuzhu_app::cases::Move;
use serde::Deserialize;

use crate::error::{ErrorBody, blocking};
use crate::{AppState, WebError, Who};

/// Files an application: one case per programme; 422 names each wrong field.
#[utoipa::path(post, path = "/api/v1/cases", request_body = Application,
    responses((status = 201, body = Vec<CaseView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn file(
    State(s): State<AppState>,
    Who(who): Who,
    Json(app): Json<Application>,
) -> Result<(StatusCode, Json<Vec<CaseView>>), WebError> {
    let v = blocking(move || cases::file(&s.ctx, &who, &app)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Which cases.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct CaseQuery {
    /// Only the open ones (not yet enrolled, refused, withdrawn or transferred).
    #[serde(default)]
    pub open: bool,
}

/// Cases of the caller's region, newest first, overdue ones flagged.
#[utoipa::path(get, path = "/api/v1/cases", params(CaseQuery), responses((status = 200, body = Vec<CaseView>)))]
pub async fn list(
    State(s): State<AppState>,
    Who(who): Who,
    Query(q): Query<CaseQuery>,
) -> Result<Json<Vec<CaseView>>, WebError> {
    let cal = s.calendar();
    Ok(Json(
        blocking(move || cases::list(&s.ctx, &cal, &who, q.open)).await?,
    ))
}

/// One case with its history and the moves the caller may make.
#[utoipa::path(get, path = "/api/v1/cases/{county}/{id}",
    params(("county" = String, Path, description = "county code"), ("id" = String, Path, description = "case ID")),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    Path((county, id)): Path<(String, String)>,
) -> Result<Json<CaseView>, WebError> {
    let cal = s.calendar();
    Ok(Json(
        blocking(move || cases::get(&s.ctx, &cal, &who, &county, &id)).await?,
    ))
}

/// Replays the rules' answer kept with a case from the facts kept with it, under the policy
/// running now; 409 before an opinion was recorded.
#[utoipa::path(get, path = "/api/v1/cases/{county}/{id}/replay",
    params(("county" = String, Path, description = "county code"), ("id" = String, Path, description = "case ID")),
    responses((status = 200, body = cases::Replay), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn replay(
    State(s): State<AppState>,
    Who(who): Who,
    Path((county, id)): Path<(String, String)>,
) -> Result<Json<cases::Replay>, WebError> {
    Ok(Json(
        blocking(move || cases::replay(&s.ctx, &s.engine, &who, &county, &id)).await?,
    ))
}

/// Moves a case; 409 when the stage does not allow it or someone moved it first (naming who).
#[utoipa::path(post, path = "/api/v1/cases/{county}/{id}/moves", request_body = Move,
    params(("county" = String, Path, description = "county code"), ("id" = String, Path, description = "case ID")),
    responses((status = 200, body = CaseView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(s): State<AppState>,
    Who(who): Who,
    Path((county, id)): Path<(String, String)>,
    Json(m): Json<Move>,
) -> Result<Json<CaseView>, WebError> {
    let cal = s.calendar();
    Ok(Json(
        blocking(move || cases::act(&s.ctx, &cal, &s.engine, &who, &county, &id, &m)).await?,
    ))
}
