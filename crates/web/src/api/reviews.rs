//! The review queue over JSON.

use axum::Json;
use axum::extract::{Path, State};
use jiuzhu_app::verification::review::{self, ReviewItem};
use serde::Deserialize;

use crate::error::{ErrorBody, blocking};
use crate::{AppState, WebError, Who};

/// Open review tasks of households in the caller's region, oldest first.
#[utoipa::path(get, path = "/api/v1/reviews", responses((status = 200, body = Vec<ReviewItem>)))]
pub async fn list(
    State(s): State<AppState>,
    Who(who): Who,
) -> Result<Json<Vec<ReviewItem>>, WebError> {
    Ok(Json(
        blocking(move || review::queue(&s.registry, &who)).await?,
    ))
}

/// A decision on a review task.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    /// `confirmed` or `dismissed`.
    pub decision: String,
    /// What was checked (2–200 characters).
    pub note: String,
}

/// Confirms or dismisses a review task; 409 when it was closed already.
#[utoipa::path(post, path = "/api/v1/reviews/{county}/{id}", request_body = Decision,
    params(("county" = String, Path, description = "county code"), ("id" = String, Path, description = "task ID")),
    responses((status = 200), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn close(
    State(s): State<AppState>,
    Who(who): Who,
    Path((county, id)): Path<(String, String)>,
    Json(d): Json<Decision>,
) -> Result<Json<serde_json::Value>, WebError> {
    blocking(move || review::close(&s.registry, &who, &county, &id, &d.decision, &d.note)).await?;
    Ok(Json(serde_json::json!({"ok": true})))
}
