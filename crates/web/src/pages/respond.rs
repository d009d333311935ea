//! How a page answers: a rendered template, the error page, a spreadsheet download, and a
//! form post's redirect on success or the form again with its message.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::{PageCtx, WebError};

/// Renders a template with a status.
pub fn render(status: StatusCode, t: impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "页面生成失败").into_response()
        }
    }
}

/// A page telling what went wrong.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// Language.
    pub l: PageCtx,
    /// Heading.
    pub title: String,
    /// Message.
    pub message: String,
}

/// Renders an error as a page (for page routes; the API answers JSON).
pub fn error_page(l: PageCtx, e: WebError) -> Response {
    let (status, detail) = e.parts();
    let title = match status {
        StatusCode::NOT_FOUND => l.t("未找到", "Not found"),
        StatusCode::CONFLICT => l.t("操作冲突", "Conflict"),
        StatusCode::FORBIDDEN => l.t("无权操作", "Not allowed"),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
            l.t("输入有误", "Invalid input")
        }
        _ => l.t("系统错误", "Error"),
    };
    let message = if l.is_en() {
        detail.message_en
    } else {
        detail.message
    };
    render(
        status,
        ErrorPage {
            l: l.clone(),
            title: title.to_owned(),
            message,
        },
    )
}

/// An XLSX download.
pub fn xlsx(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The message of a refused action for the page that shows it in place: its fields'
/// messages joined, or its own message, with the status to answer.
/// The shape of a form post — redirect on success, or the form again: success sees the page
/// `to` names (post → redirect → get, so a reload does not post twice); a record outside the
/// user's region is the "not found" page, never the form; any other refusal shows the form
/// again through `again`, with the status and the message (and whatever the form kept).
/// A form post whose form shows its errors beside the fields: to `to(v)` on success, the form
/// again with the refused fields when the input was invalid, the error page otherwise.
pub(crate) async fn redirect_or_fields<T, Fut>(
    l: PageCtx,
    result: Result<T, WebError>,
    to: impl FnOnce(T) -> String,
    again: impl FnOnce(PageCtx, Vec<jiuzhu_app::FieldError>) -> Fut,
) -> Response
where
    Fut: std::future::Future<Output = Response>,
{
    match result {
        Ok(v) => axum::response::Redirect::to(&to(v)).into_response(),
        Err(WebError(jiuzhu_app::AppError::Invalid(fields))) => again(l, fields).await,
        Err(e) => error_page(l, e),
    }
}

pub(crate) async fn redirect_or_again<T, Fut>(
    l: PageCtx,
    result: Result<T, WebError>,
    to: impl FnOnce(T) -> String,
    again: impl FnOnce(PageCtx, StatusCode, String) -> Fut,
) -> Response
where
    Fut: std::future::Future<Output = Response>,
{
    match result {
        Ok(v) => axum::response::Redirect::to(&to(v)).into_response(),
        Err(e) if e.parts().0 == StatusCode::NOT_FOUND => error_page(l, e),
        Err(e) => {
            let (status, message) = message_of(&e);
            again(l, status, message).await
        }
    }
}

pub(crate) fn message_of(e: &WebError) -> (StatusCode, String) {
    let (status, detail) = e.parts();
    let message = if detail.fields.is_empty() {
        detail.message
    } else {
        detail
            .fields
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join("；")
    };
    (status, message)
}
