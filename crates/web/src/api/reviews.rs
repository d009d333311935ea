//! The review queue over JSON.

use axum::Json;
use axum::extract::{Path, Query, State};
use jiuzhu_app::verification::report::{self, ReportSummary, VerificationReport};
use jiuzhu_app::verification::review::{self, ReviewItem};
use serde::Deserialize;

use crate::error::{ErrorBody, blocking};
use crate::{AppState, WebError, Who};

/// Which queue.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// `true` for the active-discovery leads, otherwise the cross-matching hits.
    #[serde(default)]
    pub leads: bool,
}

/// Open review tasks (or, with `leads=true`, discovery leads) of households in the caller's
/// region, oldest first.
#[utoipa::path(get, path = "/api/v1/reviews", params(QueueQuery), responses((status = 200, body = Vec<ReviewItem>)))]
pub async fn list(
    State(s): State<AppState>,
    Who(who): Who,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<ReviewItem>>, WebError> {
    Ok(Json(
        blocking(move || review::queue(&s.ctx, &who, q.leads)).await?,
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
    blocking(move || review::close(&s.ctx, &who, &county, &id, &d.decision, &d.note)).await?;
    Ok(Json(serde_json::json!({"ok": true})))
}

/// One member's consent to the economic-status check (missing fields are named by the
/// service, after the household's region is checked).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Consent {
    /// The member (person ID).
    pub person_id: String,
    /// Date signed, YYYY-MM-DD.
    pub signed_on: String,
    /// 书面 or 电子.
    pub method: String,
}

/// Records a member's consent (核对授权); a second for the same member changes nothing.
#[utoipa::path(post, path = "/api/v1/households/{id}/consents", request_body = Consent,
    params(("id" = String, Path, description = "household ID")),
    responses((status = 200), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn consent(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
    Json(c): Json<Consent>,
) -> Result<Json<serde_json::Value>, WebError> {
    let new = blocking(move || {
        report::record_consent(&s.ctx, &who, &id, &c.person_id, &c.signed_on, &c.method)
    })
    .await?;
    Ok(Json(serde_json::json!({"recorded": new})))
}

/// Runs the household check and stores its report; 409 naming the members whose consent is
/// missing (and then nothing is queried).
#[utoipa::path(post, path = "/api/v1/households/{id}/verification",
    params(("id" = String, Path, description = "household ID")),
    responses((status = 200, body = VerificationReport), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn verify(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
) -> Result<Json<VerificationReport>, WebError> {
    Ok(Json(
        blocking(move || report::household_report(&s.ctx, &s.engine, &s.connectors, &who, &id))
            .await?,
    ))
}

/// The household's stored verification reports, newest first.
#[utoipa::path(get, path = "/api/v1/households/{id}/verification",
    params(("id" = String, Path, description = "household ID")),
    responses((status = 200, body = Vec<ReportSummary>), (status = 404, body = ErrorBody)))]
pub async fn verifications(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
) -> Result<Json<Vec<ReportSummary>>, WebError> {
    Ok(Json(
        blocking(move || report::reports(&s.ctx, &who, &id)).await?,
    ))
}

/// One stored verification report.
#[utoipa::path(get, path = "/api/v1/households/{id}/verification/{report}",
    params(("id" = String, Path, description = "household ID"), ("report" = String, Path, description = "report ID")),
    responses((status = 200, body = VerificationReport), (status = 404, body = ErrorBody)))]
pub async fn verification(
    State(s): State<AppState>,
    Who(who): Who,
    Path((id, report_id)): Path<(String, String)>,
) -> Result<Json<VerificationReport>, WebError> {
    Ok(Json(
        blocking(move || report::stored_report(&s.ctx, &who, &id, &report_id)).await?,
    ))
}
