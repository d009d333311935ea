//! 12345 hotline requests over JSON (S20).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiuzhu_app::hotline::{self, HotlineItem, HotlineRequest};
use serde::Deserialize;

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
    let id = blocking(move || hotline::receive(&s.registry, &who, &req)).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({"id": id}))))
}

/// Open requests of the caller's region, oldest first.
#[utoipa::path(get, path = "/api/v1/hotline", responses((status = 200, body = Vec<HotlineItem>)))]
pub async fn queue(
    State(s): State<AppState>,
    Who(who): Who,
) -> Result<Json<Vec<HotlineItem>>, WebError> {
    Ok(Json(
        blocking(move || hotline::queue(&s.registry, &who)).await?,
    ))
}

/// How a request is handled.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Handling {
    /// The household to file an application for (blank: close with the note).
    pub household_id: String,
    /// Programmes applied for.
    pub kinds: Vec<String>,
    /// What was done.
    pub note: String,
}

/// Turns a request into an application, or closes it with a note; 409 when handled already.
#[utoipa::path(post, path = "/api/v1/hotline/{county}/{id}", request_body = Handling,
    params(("county" = String, Path, description = "county code"), ("id" = String, Path, description = "request ID")),
    responses((status = 200, body = serde_json::Value), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn handle(
    State(s): State<AppState>,
    Who(who): Who,
    Path((county, id)): Path<(String, String)>,
    Json(h): Json<Handling>,
) -> Result<Json<serde_json::Value>, WebError> {
    let case = blocking(move || {
        hotline::handle(
            &s.registry,
            &who,
            &county,
            &id,
            &h.household_id,
            &h.kinds,
            &h.note,
        )
    })
    .await?;
    Ok(Json(serde_json::json!({"case_id": case})))
}
