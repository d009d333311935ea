//! Households and persons over JSON.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use jiuzhu_app::AppError;
use jiuzhu_app::registry::*;
use serde::Deserialize;

use crate::error::{ErrorBody, blocking};
use crate::{AppState, WebError, Who};

/// Lists households in the caller's region, with search, filters and keyset pagination.
#[utoipa::path(get, path = "/api/v1/households", params(ListQuery),
    responses((status = 200, body = HouseholdPage), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    Who(who): Who,
    Query(q): Query<ListQuery>,
) -> Result<Json<HouseholdPage>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::list(&s.ctx, &who, &q)).await?,
    ))
}

/// Registers a household with its members; nothing is written if any field is invalid.
#[utoipa::path(post, path = "/api/v1/households", request_body = HouseholdInput,
    responses((status = 201, body = HouseholdView), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    Who(who): Who,
    Json(input): Json<HouseholdInput>,
) -> Result<(StatusCode, Json<HouseholdView>), WebError> {
    let v = blocking(move || jiuzhu_app::registry::create_household(&s.ctx, &who, &input)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// One household with members, history and economic records.
#[utoipa::path(get, path = "/api/v1/households/{id}", params(("id" = String, Path, description = "household ID")),
    responses((status = 200, body = HouseholdView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
) -> Result<Json<HouseholdView>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::household(&s.ctx, &who, &id)).await?,
    ))
}

/// Changes address or region (within the county); `version` must be the one read.
#[utoipa::path(put, path = "/api/v1/households/{id}", request_body = HouseholdEdit, params(("id" = String, Path, description = "household ID")),
    responses((status = 200, body = HouseholdView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
    Json(edit): Json<HouseholdEdit>,
) -> Result<Json<HouseholdView>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::update_household(&s.ctx, &who, &id, &edit)).await?,
    ))
}

/// Query of [`members_on`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OnDate {
    /// YYYY-MM-DD; today when absent.
    pub on: Option<String>,
}

/// Who belonged to the household on a date.
#[utoipa::path(get, path = "/api/v1/households/{id}/members", params(("id" = String, Path, description = "household ID"), OnDate),
    responses((status = 200, body = Vec<MemberView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn members_on(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
    Query(q): Query<OnDate>,
) -> Result<Json<Vec<MemberView>>, WebError> {
    let on = match q.on.as_deref().filter(|s| !s.is_empty()) {
        None => jiuzhu_domain::time::today(),
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
            WebError(AppError::Invalid(vec![jiuzhu_app::FieldError::new(
                "on",
                "应为有效日期 YYYY-MM-DD",
                "expected YYYY-MM-DD",
            )]))
        })?,
    };
    Ok(Json(
        blocking(move || jiuzhu_app::registry::members_on(&s.ctx, &who, &id, on)).await?,
    ))
}

/// Adds a new member (birth, marriage, moving in).
#[utoipa::path(post, path = "/api/v1/households/{id}/members", request_body = AddMember, params(("id" = String, Path, description = "household ID")),
    responses((status = 200, body = HouseholdView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_member(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
    Json(add): Json<AddMember>,
) -> Result<Json<HouseholdView>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::add_member(&s.ctx, &who, &id, &add)).await?,
    ))
}

/// Ends a member's membership (death, moving out); the history keeps it.
#[utoipa::path(post, path = "/api/v1/households/{id}/members/{person_id}/leave", request_body = RemoveMember,
    params(("id" = String, Path, description = "household ID"), ("person_id" = String, Path, description = "person ID")),
    responses((status = 200, body = HouseholdView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn remove_member(
    State(s): State<AppState>,
    Who(who): Who,
    Path((id, person_id)): Path<(String, String)>,
    Json(rm): Json<RemoveMember>,
) -> Result<Json<HouseholdView>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::remove_member(&s.ctx, &who, &id, &person_id, &rm))
            .await?,
    ))
}

/// Records an income, asset or expense item.
#[utoipa::path(post, path = "/api/v1/households/{id}/economic-records", request_body = EconomicRecordInput,
    params(("id" = String, Path, description = "household ID")),
    responses((status = 200, body = HouseholdView), (status = 422, body = ErrorBody)))]
pub async fn add_record(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
    Json(input): Json<EconomicRecordInput>,
) -> Result<Json<HouseholdView>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::add_economic_record(&s.ctx, &who, &id, &input))
            .await?,
    ))
}

/// Records a legal supporter living outside the household for one of its members (43号 Art. 8).
#[utoipa::path(post, path = "/api/v1/households/{id}/supporters", request_body = SupporterInput,
    params(("id" = String, Path, description = "household ID")),
    responses((status = 200, body = HouseholdView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_supporter(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
    Json(input): Json<SupporterInput>,
) -> Result<Json<HouseholdView>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::add_supporter(&s.ctx, &who, &id, &input)).await?,
    ))
}

/// Removes a supporter recorded in error, or who died.
#[utoipa::path(delete, path = "/api/v1/households/{id}/supporters/{sid}",
    params(("id" = String, Path, description = "household ID"), ("sid" = String, Path, description = "supporter ID")),
    responses((status = 200, body = HouseholdView), (status = 404, body = ErrorBody)))]
pub async fn remove_supporter(
    State(s): State<AppState>,
    Who(who): Who,
    Path((id, sid)): Path<(String, String)>,
) -> Result<Json<HouseholdView>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::remove_supporter(&s.ctx, &who, &id, &sid)).await?,
    ))
}

/// One person (masked).
#[utoipa::path(get, path = "/api/v1/persons/{id}", params(("id" = String, Path, description = "person ID")),
    responses((status = 200, body = PersonView), (status = 404, body = ErrorBody)))]
pub async fn person(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
) -> Result<Json<PersonView>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::person(&s.ctx, &who, &id).map(|p| p.0)).await?,
    ))
}

/// Edits a person (not the ID number); `version` must be the one read.
#[utoipa::path(put, path = "/api/v1/persons/{id}", request_body = PersonEdit, params(("id" = String, Path, description = "person ID")),
    responses((status = 200, body = PersonView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_person(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
    Json(edit): Json<PersonEdit>,
) -> Result<Json<PersonView>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::update_person(&s.ctx, &who, &id, &edit)).await?,
    ))
}
