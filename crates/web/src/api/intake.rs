//! The intake queue over JSON (S20): the 12345 platform posts its calls, village coordinators
//! their discovery reports, and caseworkers read the queue and handle each request.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiuzhu_app::cases::intake;
use jiuzhu_app::cases::intake::DiscoveryReport;
use jiuzhu_app::cases::intake::Handling;
use jiuzhu_app::cases::intake::HotlineRequest;
use jiuzhu_app::cases::intake::IntakeItem;

use crate::error::{ErrorBody, blocking};
use crate::{AppState, WebError, Who};

/// Queues a 12345 request for the township of its place; a retried ticket is stored once.
#[utoipa::path(post, path = "/api/v1/hotline", request_body = HotlineRequest,
    responses((status = 201, body = serde_json::Value), (status = 422, body = ErrorBody)))]
pub async fn receive(
    State(s): State<AppState>,
    Who(who): Who,
    Json(req): Json<HotlineRequest>,
) -> Result<(StatusCode, Json<serde_json::Value>), WebError> {
    let id = blocking(move || intake::receive(&s.ctx, &who, &req)).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({"id": id}))))
}

/// Queues a village coordinator's discovery report (主动发现); a retried key is stored once.
#[utoipa::path(post, path = "/api/v1/discoveries", request_body = DiscoveryReport,
    responses((status = 201, body = serde_json::Value), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(s): State<AppState>,
    Who(who): Who,
    Json(r): Json<DiscoveryReport>,
) -> Result<(StatusCode, Json<serde_json::Value>), WebError> {
    let id = blocking(move || intake::report_discovery(&s.ctx, &who, &r)).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({"id": id}))))
}

/// Open requests of the caller's region from every door, oldest first.
#[utoipa::path(get, path = "/api/v1/intake", responses((status = 200, body = Vec<IntakeItem>)))]
pub async fn queue(
    State(s): State<AppState>,
    Who(who): Who,
) -> Result<Json<Vec<IntakeItem>>, WebError> {
    Ok(Json(blocking(move || intake::queue(&s.ctx, &who)).await?))
}

/// Turns a request into an application, or closes it with a note; 409 when handled already.
#[utoipa::path(post, path = "/api/v1/intake/{county}/{id}", request_body = Handling,
    params(("county" = String, Path, description = "county code"), ("id" = String, Path, description = "request ID")),
    responses((status = 200, body = serde_json::Value), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn handle(
    State(s): State<AppState>,
    Who(who): Who,
    Path((county, id)): Path<(String, String)>,
    Json(h): Json<Handling>,
) -> Result<Json<serde_json::Value>, WebError> {
    let case = blocking(move || intake::handle(&s.ctx, &who, &county, &id, &h)).await?;
    Ok(Json(serde_json::json!({"case_id": case})))
}
