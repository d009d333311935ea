//! How failures reach people: the API answers a JSON envelope with a status code; pages answer
//! a readable page. Internal causes are logged, never shown.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiuzhu_app::{AppError, FieldError};
use serde::Serialize;

/// An error of a web request.
#[derive(Debug)]
pub struct WebError(pub AppError);

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError(e)
    }
}

/// The JSON error envelope of the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// `invalid`, `not_found`, `conflict`, `forbidden`, `unauthenticated`, `too_many_requests`,
    /// `bad_file` or `internal`.
    pub code: &'static str,
    /// Message in Chinese.
    pub message: String,
    /// Message in English.
    pub message_en: String,
    /// Field errors (for `invalid`).
    pub fields: Vec<FieldError>,
}

impl WebError {
    /// Status, code and messages.
    pub fn parts(&self) -> (StatusCode, ErrorDetail) {
        let (status, code, message, message_en, fields) = match &self.0 {
            AppError::Invalid(f) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "输入有误，请按提示修改".to_owned(),
                "Some fields are invalid".to_owned(),
                f.clone(),
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "记录不存在或不在您的辖区内".to_owned(),
                "Not found".to_owned(),
                vec![],
            ),
            AppError::Conflict(m) => (
                StatusCode::CONFLICT,
                "conflict",
                m.clone(),
                "Conflicting change; reload and try again".to_owned(),
                vec![],
            ),
            AppError::Forbidden(m) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                m.clone(),
                "Not allowed".to_owned(),
                vec![],
            ),
            AppError::BadFile(m) => (
                StatusCode::BAD_REQUEST,
                "bad_file",
                m.clone(),
                "The file could not be used".to_owned(),
                vec![],
            ),
            AppError::Storage(e) => {
                tracing::error!(error = %e, "storage failure");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "系统暂时无法完成操作，请稍后再试".to_owned(),
                    "Internal error".to_owned(),
                    vec![],
                )
            }
        };
        (
            status,
            ErrorDetail {
                code,
                message,
                message_en,
                fields,
            },
        )
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, error) = self.parts();
        (status, Json(ErrorBody { error })).into_response()
    }
}

/// Runs a synchronous service call (Diesel) on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, WebError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(WebError),
        Err(e) => {
            tracing::error!(error = %e, "blocking task failed");
            Err(WebError(AppError::Storage(
                jiuzhu_storage::StorageError::Open("task failed".into()),
            )))
        }
    }
}
