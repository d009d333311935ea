//! The monthly payroll over JSON (S4, G3): generate a county's month, read it with its totals
//! and lines, check / approve / export it (three different people), and post the bank's return
//! file. The same services as the 资金发放 pages and `jiuzhu payroll`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use jiuzhu_app::payroll::LineView;
use jiuzhu_app::payroll::RunView;
use jiuzhu_app::payroll::bank::{self, ReconcileReport};
use jiuzhu_app::payroll::run;
use jiuzhu_domain::payroll::RunAction;
use serde::Deserialize;

use crate::error::{ErrorBody, blocking};
use crate::{AppState, WebError, Who};

/// Which month.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Generate {
    /// County code (6 digits).
    pub county: String,
    /// YYYY-MM.
    pub month: String,
}

/// Generates (or completes) a county's draft for a month; the same month again adds only what
/// is missing.
#[utoipa::path(post, path = "/api/v1/payroll", request_body = Generate,
    responses((status = 201, body = RunView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn generate(
    State(s): State<AppState>,
    Who(who): Who,
    Json(g): Json<Generate>,
) -> Result<(StatusCode, Json<RunView>), WebError> {
    let v = blocking(move || run::generate(&s.ctx, &who, &g.county, &g.month, &|_, _| {})).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The runs of the caller's counties, newest month first.
#[utoipa::path(get, path = "/api/v1/payroll", responses((status = 200, body = Vec<RunView>)))]
pub async fn list(
    State(s): State<AppState>,
    Who(who): Who,
) -> Result<Json<Vec<RunView>>, WebError> {
    Ok(Json(blocking(move || run::list(&s.ctx, &who)).await?))
}

/// One run with its totals per programme.
#[utoipa::path(get, path = "/api/v1/payroll/{county}/{id}",
    params(("county" = String, Path, description = "county code"), ("id" = String, Path, description = "run ID")),
    responses((status = 200, body = RunView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    Path((county, id)): Path<(String, String)>,
) -> Result<Json<RunView>, WebError> {
    Ok(Json(
        blocking(move || run::get(&s.ctx, &who, &county, &id)).await?,
    ))
}

/// Which lines.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct LinesQuery {
    /// One status only (pending, held, exported, paid, failed).
    pub status: String,
    /// Page (50 lines a page, from 0).
    pub page: i64,
}

/// A page of a run's lines (accounts and holders masked).
#[utoipa::path(get, path = "/api/v1/payroll/{county}/{id}/lines", params(LinesQuery,
    ("county" = String, Path, description = "county code"), ("id" = String, Path, description = "run ID")),
    responses((status = 200, body = Vec<LineView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn lines(
    State(s): State<AppState>,
    Who(who): Who,
    Path((county, id)): Path<(String, String)>,
    Query(q): Query<LinesQuery>,
) -> Result<Json<Vec<LineView>>, WebError> {
    Ok(Json(
        blocking(move || run::lines(&s.ctx, &who, &county, &id, Some(&q.status), q.page)).await?,
    ))
}

/// An action on a run.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Act {
    /// check, approve or export.
    pub action: String,
    /// The version the caller saw.
    pub version: i32,
}

/// Checks, approves or exports a run; 403 for the same person again, 409 for a stale version
/// or the wrong stage.
#[utoipa::path(post, path = "/api/v1/payroll/{county}/{id}/actions", request_body = Act,
    params(("county" = String, Path, description = "county code"), ("id" = String, Path, description = "run ID")),
    responses((status = 200, body = RunView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(s): State<AppState>,
    Who(who): Who,
    Path((county, id)): Path<(String, String)>,
    Json(a): Json<Act>,
) -> Result<Json<RunView>, WebError> {
    Ok(Json(
        blocking(move || {
            run::get(&s.ctx, &who, &county, &id)?;
            let action = RunAction::parse(&a.action)
                .filter(|x| matches!(x, RunAction::Check | RunAction::Approve | RunAction::Export))
                .ok_or_else(|| {
                    jiuzhu_app::AppError::Invalid(vec![jiuzhu_app::FieldError::new(
                        "action",
                        "请选择复核（check）、审批（approve）或导出（export）",
                        "check, approve or export",
                    )])
                })?;
            run::act(&s.ctx, &who, &county, &id, action, a.version)
        })
        .await?,
    ))
}

/// The bank's return file.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReturnFile {
    /// The CSV text (参考号, 结果 成功/失败, 原因).
    pub csv: String,
}

/// Reads the bank's return file into an exported run; rows it cannot apply are listed.
#[utoipa::path(post, path = "/api/v1/payroll/{county}/{id}/return", request_body = ReturnFile,
    params(("county" = String, Path, description = "county code"), ("id" = String, Path, description = "run ID")),
    responses((status = 200, body = ReconcileReport), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reconcile(
    State(s): State<AppState>,
    Who(who): Who,
    Path((county, id)): Path<(String, String)>,
    Json(f): Json<ReturnFile>,
) -> Result<Json<ReconcileReport>, WebError> {
    Ok(Json(
        blocking(move || bank::reconcile(&s.ctx, &who, &county, &id, f.csv.as_bytes())).await?,
    ))
}
