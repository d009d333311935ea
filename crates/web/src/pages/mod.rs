//! The caseworkers' pages: server-rendered HTML that works without JavaScript. Forms post
//! back; a refused form is shown again with every entered value and each field's message, so
//! nothing typed is lost.

mod admin;
mod assessment;
mod auth;
mod calendar;
mod cases;
mod forms;
mod funds;
mod households;
mod import;
mod intake;
mod payroll;
mod persons;
mod recovery;
mod reserve;
mod reviews;
mod roll;
mod verification;

use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use crate::{AppState, PageCtx, WebError};

pub use forms::{FieldErrs, Opt, PersonForm};

/// The page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(auth::home))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/account", get(auth::account))
        .route(
            "/account/password",
            get(auth::password_form).post(auth::change_password),
        )
        .route("/account/totp", post(auth::totp_begin))
        .route("/account/letters/{id}/open", post(auth::open_letter))
        .route("/account/totp/confirm", post(auth::totp_confirm))
        .route(
            "/account/relatives",
            get(auth::relatives).post(auth::file_relative),
        )
        .route(
            "/account/relatives/{id}/withdraw",
            post(auth::withdraw_relative),
        )
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{id}/reset", post(admin::user_action))
        .route("/admin/users/{id}/disable", post(admin::user_action))
        .route("/admin/users/{id}/enable", post(admin::user_action))
        .route("/admin/users/{id}/unlock", post(admin::user_action))
        .route("/admin/users/{id}/reset-totp", post(admin::user_action))
        .route("/admin/users/{id}/approve", post(admin::user_action))
        .route("/admin/users/{id}/reject", post(admin::user_action))
        .route("/audit", get(admin::audit))
        .route("/audit/verify", get(admin::verify))
        .route("/audit/export.xlsx", get(admin::export))
        .route(
            "/persons/{id}/reveal",
            get(persons::reveal_form).post(persons::reveal),
        )
        .route("/healthz", get(|| async { "ok" }))
        .route("/static/app.css", get(css))
        .route("/lang/{code}", get(set_lang))
        .route(
            "/households",
            get(households::list).post(households::create),
        )
        .route("/households/new", get(households::new_form))
        .route("/households/export.xlsx", get(households::export))
        .route("/households/{id}", get(households::show))
        .route("/households/{id}/assessment", get(assessment::household))
        .route("/policy", get(assessment::policy))
        .route(
            "/households/{id}/verification",
            get(verification::household).post(verification::run),
        )
        .route("/households/{id}/consents", post(verification::consent))
        .route(
            "/households/{id}/verification/{report}",
            get(verification::show),
        )
        .route(
            "/agency-import",
            get(verification::import_form).post(verification::import_upload),
        )
        .route("/cases", get(cases::list))
        .route("/cases/notice", get(cases::notice))
        .route("/roll/{village}", get(roll::show))
        .route("/funds", get(funds::show))
        .route("/funds/budget", post(funds::set_budget))
        .route("/receivables", get(recovery::list))
        .route(
            "/receivables/{county}/{id}",
            get(recovery::show).post(recovery::act),
        )
        .route("/cases/{county}/{id}/receivables", post(recovery::record))
        .route("/reserve", get(reserve::list).post(reserve::credit))
        .route("/reserve/{township}", get(reserve::ledger))
        .route("/payroll", get(payroll::list).post(payroll::generate))
        .route(
            "/payroll/{county}/{id}",
            get(payroll::show).post(payroll::act),
        )
        .route("/payroll/{county}/{id}/bank", get(payroll::bank_file))
        .route(
            "/payroll/{county}/{id}/return",
            post(payroll::upload_return),
        )
        .route("/payroll/{county}/{id}/lines/{line}", post(payroll::hold))
        .route(
            "/households/{id}/account",
            get(payroll::account).post(payroll::set_account),
        )
        .route(
            "/households/{id}/enrolments/{enrolment}/stop",
            post(payroll::stop),
        )
        .route(
            "/households/{id}/enrolments/{enrolment}/suspend",
            post(payroll::suspend),
        )
        .route("/intake", get(intake::queue))
        .route("/intake/discoveries", post(intake::report))
        .route("/intake/{county}/{id}", post(intake::handle))
        .route(
            "/apply-online",
            get(intake::online_form).post(intake::apply_online),
        )
        .route("/transfers", get(cases::transfers))
        .route("/transfers/{county}/{id}", post(cases::answer))
        .route("/cases/{county}/{id}/letter", get(cases::letter))
        .route("/cases/{county}/{id}/replay", get(cases::replay))
        .route("/cases/{county}/{id}/form", get(cases::form))
        .route(
            "/cases/{county}/{id}/investigation",
            get(cases::investigation),
        )
        .route("/cases/export.csv", get(cases::export))
        .route("/cases/{county}/{id}", get(cases::show).post(cases::act))
        .route(
            "/households/{id}/apply",
            get(cases::apply_form).post(cases::apply),
        )
        .route("/reviews", get(reviews::list))
        .route("/reviews/{county}/{id}", post(reviews::close))
        .route(
            "/households/{id}/edit",
            get(households::edit_form).post(households::edit),
        )
        .route("/households/{id}/members", post(households::add_member))
        .route(
            "/households/{id}/members/{person_id}/leave",
            post(households::remove_member),
        )
        .route("/households/{id}/records", post(households::add_record))
        .route(
            "/households/{id}/supporters",
            post(households::add_supporter),
        )
        .route(
            "/households/{id}/supporters/{sid}/remove",
            post(households::remove_supporter),
        )
        .route("/persons/{id}", get(persons::show))
        .route(
            "/persons/{id}/edit",
            get(persons::edit_form).post(persons::edit),
        )
        .route("/import", get(import::form).post(import::upload))
        .route("/import/template.xlsx", get(import::template))
        .route("/import/{token}", get(import::show).post(import::commit))
        .route("/import/{token}/errors.xlsx", get(import::errors))
        .route("/calendar", get(calendar::page).post(calendar::import))
}

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

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

/// Sets the language cookie and returns to the page the user came from (same site only).
async fn set_lang(
    axum::extract::Path(code): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = if code == "en" { "en" } else { "zh" };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            r.split_once("://")
                .map(|(_, rest)| rest)
                .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
        })
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/households".into());
    (
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                format!("lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax"),
            ),
            (header::LOCATION, back),
        ],
    )
        .into_response()
}

/// The message of a refused action for the page that shows it in place: its fields'
/// messages joined, or its own message, with the status to answer.
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
