//! The rules engine over JSON: `POST /api/v1/eval` assesses a household given in the body
//! (the same answers as `jiuzhu eval`), and `GET /api/v1/households/{id}/assessment` assesses
//! a registered household. Schemas: `docs/schema/eval-*.schema.json`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use jiuzhu_app::{AppError, FieldError};
use jiuzhu_rules::{Assessment, EvalError, EvalRequest};
use serde::Deserialize;

use crate::error::{ErrorBody, blocking};
use crate::{AppState, WebError, Who};

/// A rules error as a field error of the request body.
pub fn eval_error(e: EvalError) -> AppError {
    match e {
        EvalError::Input { field, problem } => AppError::Invalid(vec![FieldError::new(
            format!("household.{field}"),
            problem.clone(),
            problem,
        )]),
        EvalError::Policy(p) => AppError::Invalid(vec![FieldError::new(
            "date",
            p.to_string(),
            "the policy has no value for this region and date",
        )]),
    }
}

/// Assesses one household against the server's policy: every programme's outcome, amounts in
/// fen and, unless `explain` is false, each step with its policy citation and each parameter
/// with its value, dates and source.
#[utoipa::path(post, path = "/api/v1/eval",
    request_body(content = serde_json::Value, description = "EvalRequest: {date?, explain?, household} — docs/schema/eval-request.schema.json"),
    responses((status = 200, body = serde_json::Value, description = "Assessment — docs/schema/eval-output.schema.json"),
              (status = 422, body = ErrorBody)))]
pub async fn eval(
    State(s): State<AppState>,
    Who(_who): Who,
    body: Result<Json<EvalRequest>, JsonRejection>,
) -> Result<Json<Assessment>, WebError> {
    let Json(req) = body.map_err(|e| {
        WebError(AppError::Invalid(vec![FieldError::new(
            "body",
            format!("请求 JSON 有误：{}", e.body_text()),
            e.body_text(),
        )]))
    })?;
    let engine = s.engine.clone();
    let date = req.date.unwrap_or_else(jiuzhu_domain::time::today);
    let explain = req.explain.unwrap_or(true);
    Ok(Json(
        blocking(move || {
            engine
                .assess(&req.household, date, explain)
                .map_err(eval_error)
        })
        .await?,
    ))
}

/// Query of [`household`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OnDate {
    /// YYYY-MM-DD; today when absent.
    pub on: Option<chrono::NaiveDate>,
}

/// The needs assessment of a registered household (audited as a view). Members appear as
/// 成员1, 成员2 … in the order of the household file, head first.
#[utoipa::path(get, path = "/api/v1/households/{id}/assessment", params(("id" = String, Path, description = "household ID"), OnDate),
    responses((status = 200, body = serde_json::Value), (status = 404, body = ErrorBody)))]
pub async fn household(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
    Query(q): Query<OnDate>,
) -> Result<Json<serde_json::Value>, WebError> {
    let on = q.on.unwrap_or_else(jiuzhu_domain::time::today);
    let engine = s.engine.clone();
    let a = blocking(move || {
        jiuzhu_app::registry::assessment::assess_household(&s.ctx, &engine, &who, &id, on)
    })
    .await?;
    Ok(Json(
        serde_json::json!({"members": a.members, "assessment": a.assessment}),
    ))
}
