//! Sign-in and one's own account: the login form (with its own double-submit CSRF token, as
//! there is no session yet, and a rate limit per address), sign-out, password change, TOTP
//! enrolment and near-relative filings.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::AppError;
use jiuzhu_app::security::accounts::Credentials;
use jiuzhu_app::security::near_relatives::{NearRelativeInput, NearRelativeView, RELATIONS};
use serde::Deserialize;

use super::{FieldErrs, error_page, render};
use crate::error::blocking;
use crate::session::{CurrentSession, client_ip, cookie, session_cookie};
use crate::{AppState, PageCtx, WebError, Who};

const LOGIN_CSRF_COOKIE: &str = "jz_login";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: PageCtx,
    login_csrf: String,
    next: String,
    username: String,
    error: String,
}

/// `next` only when it is a path on this site (issue 15 F12): it starts with one `/`, and
/// neither it nor its percent-decoded form holds a backslash, a space or an ASCII control
/// character — browsers drop tabs and newlines, so `/%09/evil` or `/\t/evil` would become the
/// off-site `//evil`. (Decoded bytes above ASCII are not looked at: only ASCII bytes change
/// how a browser reads a path.)
fn safe_next(next: &str) -> String {
    // Bytes above ASCII decode lossily; only ASCII bytes change how a browser reads a path.
    let decoded = percent_encoding::percent_decode_str(next).decode_utf8_lossy();
    let clean = |s: &str| {
        s.starts_with('/')
            && !s.starts_with("//")
            && !s
                .chars()
                .any(|c| c == '\\' || c == ' ' || c.is_ascii_control())
    };
    if clean(next) && clean(&decoded) {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

fn login_page(l: PageCtx, status: StatusCode, next: &str, username: &str, error: &str) -> Response {
    let token = jiuzhu_crypto::random_token(24);
    let mut resp = render(
        status,
        LoginPage {
            l,
            login_csrf: token.clone(),
            next: safe_next(next),
            username: username.to_owned(),
            error: error.to_owned(),
        },
    );
    if let Ok(v) =
        format!("{LOGIN_CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict").parse()
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

/// Query of the login page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

/// GET /login
pub async fn login_form(l: PageCtx, Query(q): Query<NextQuery>) -> Response {
    login_page(l, StatusCode::OK, &q.next, "", "")
}

/// The login form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    totp: String,
    next: String,
    login_csrf: String,
}

/// POST /login
pub async fn login(
    State(s): State<AppState>,
    l: PageCtx,
    headers: HeaderMap,
    req_ext: axum::http::Extensions,
    Form(f): Form<LoginForm>,
) -> Response {
    let ip = client_ip(&req_ext);
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || expected != f.login_csrf {
        return login_page(
            l.clone(),
            StatusCode::FORBIDDEN,
            &f.next,
            &f.username,
            l.t("页面已过期，请重新登录", "The page expired; sign in again"),
        );
    }
    if !s.login_allowed(&ip) {
        return login_page(
            l.clone(),
            StatusCode::TOO_MANY_REQUESTS,
            &f.next,
            &f.username,
            l.t(
                "尝试过于频繁，请一分钟后再试",
                "Too many attempts; wait a minute",
            ),
        );
    }
    let old = req_ext.get::<CurrentSession>().cloned();
    let creds = Credentials {
        username: f.username.clone(),
        password: f.password,
        totp: f.totp,
    };
    let accounts = s.accounts.clone();
    match blocking(move || {
        // A session presented at sign-in is ended: the new one gets a new ID (no fixation).
        if let Some(o) = old {
            let _ = accounts.logout(&o.0);
        }
        accounts.login(&creds, &ip)
    })
    .await
    {
        Ok(session) => {
            let to = if session.must_change_password {
                "/account/password".to_owned()
            } else {
                safe_next(&f.next)
            };
            (
                StatusCode::SEE_OTHER,
                [
                    (
                        header::SET_COOKIE,
                        session_cookie(&s, &session.token, 8 * 3600),
                    ),
                    (header::LOCATION, to),
                ],
            )
                .into_response()
        }
        Err(WebError(AppError::Forbidden(m))) => {
            login_page(l, StatusCode::UNAUTHORIZED, &f.next, &f.username, &m)
        }
        Err(e) => error_page(l, e),
    }
}

/// POST /logout
pub async fn logout(
    State(s): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
) -> Response {
    let accounts = s.accounts.clone();
    let _ = blocking(move || accounts.logout(&session.0)).await;
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, session_cookie(&s, "", 0)),
            (header::LOCATION, "/login".to_owned()),
        ],
    )
        .into_response()
}

/// GET / — each role's starting page.
pub async fn home(l: PageCtx) -> Response {
    let to = if l.can("view_registry") {
        "/households"
    } else if l.can("view_audit") {
        "/audit"
    } else if l.can("manage_users") || l.can("manage_security") {
        "/admin/users"
    } else {
        "/account"
    };
    Redirect::to(to).into_response()
}

#[derive(Template)]
#[template(path = "account/show.html")]
struct AccountPage {
    l: PageCtx,
    region: String,
    letters: Vec<jiuzhu_app::security::LetterView>,
    message: String,
    totp_secret: String,
    totp_url: String,
    code_error: String,
}

fn account_page(s: &AppState, l: PageCtx, who: &jiuzhu_app::Actor) -> AccountPage {
    AccountPage {
        l,
        region: s.ctx.regions.path(&who.region),
        // A page that cannot list letters still shows the account.
        letters: s.accounts.letters(who).unwrap_or_default(),
        message: String::new(),
        totp_secret: String::new(),
        totp_url: String::new(),
        code_error: String::new(),
    }
}

/// GET /account
pub async fn account(State(s): State<AppState>, l: PageCtx, Who(who): Who) -> Response {
    render(StatusCode::OK, account_page(&s, l, &who))
}

#[derive(Template)]
#[template(path = "account/letter.html")]
struct LetterPage {
    l: PageCtx,
    d: jiuzhu_app::security::OpenedLetter,
}

/// POST /account/letters/{id}/open — the supervisor opens a password letter, once, and gets
/// its print view (issue 15 F4). A second open answers 409.
pub async fn open_letter(
    State(s): State<AppState>,
    l: PageCtx,
    Who(who): Who,
    Path(id): Path<String>,
) -> Response {
    let accounts = s.accounts.clone();
    match blocking(move || accounts.open_letter(&who, &id)).await {
        Ok(d) => {
            let mut r = render(StatusCode::OK, LetterPage { l, d });
            // A one-time secret must not be kept by the browser or a proxy.
            r.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            r
        }
        Err(e) => error_page(l, e),
    }
}

/// POST /account/totp — starts enrolment and shows the secret.
pub async fn totp_begin(State(s): State<AppState>, l: PageCtx, Who(who): Who) -> Response {
    let (accounts, w) = (s.accounts.clone(), who.clone());
    match blocking(move || accounts.begin_totp(&w)).await {
        Ok((secret, url)) => {
            let mut p = account_page(&s, l, &who);
            p.totp_secret = secret;
            p.totp_url = url;
            render(StatusCode::OK, p)
        }
        Err(e) => error_page(l, e),
    }
}

/// The confirmation code.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

/// POST /account/totp/confirm
pub async fn totp_confirm(
    State(s): State<AppState>,
    l: PageCtx,
    Who(who): Who,
    Form(f): Form<CodeForm>,
) -> Response {
    let (accounts, w) = (s.accounts.clone(), who.clone());
    let mut p = account_page(&s, l.clone(), &who);
    match blocking(move || accounts.confirm_totp(&w, &f.code)).await {
        Ok(()) => {
            p.message = l
                .t(
                    "动态口令已启用，下次登录起需要输入。",
                    "Authenticator enrolled.",
                )
                .into();
            render(StatusCode::OK, p)
        }
        Err(WebError(AppError::Invalid(e))) => {
            p.code_error = e.first().map(|e| e.message.clone()).unwrap_or_default();
            p.message = l
                .t("口令不正确，请重新启用。", "Wrong code; enrol again.")
                .into();
            render(StatusCode::UNPROCESSABLE_ENTITY, p)
        }
        Err(e) => error_page(l, e),
    }
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    l: PageCtx,
    forced: bool,
    e: FieldErrs,
}

/// GET /account/password
pub async fn password_form(
    l: PageCtx,
    axum::Extension(session): axum::Extension<CurrentSession>,
) -> Response {
    render(
        StatusCode::OK,
        PasswordPage {
            e: FieldErrs::new(&[], "", &l),
            l,
            forced: session.0.must_change_password,
        },
    )
}

/// The password form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// POST /account/password
pub async fn change_password(
    State(s): State<AppState>,
    l: PageCtx,
    axum::Extension(session): axum::Extension<CurrentSession>,
    Form(f): Form<PasswordForm>,
) -> Response {
    let (accounts, current) = (s.accounts.clone(), session.0.clone());
    match blocking(move || accounts.change_password(&current, &f.current, &f.new, &f.confirm)).await
    {
        Ok(()) => Redirect::to("/").into_response(),
        Err(WebError(AppError::Invalid(errors))) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordPage {
                e: FieldErrs::new(&errors, "", &l),
                l,
                forced: session.0.must_change_password,
            },
        ),
        Err(e) => error_page(l, e),
    }
}

#[derive(Template)]
#[template(path = "account/relatives.html")]
struct RelativesPage {
    l: PageCtx,
    items: Vec<NearRelativeView>,
    input: NearRelativeInput,
    relations: &'static [&'static str],
    e: FieldErrs,
}

async fn relatives_page(
    s: AppState,
    l: PageCtx,
    who: jiuzhu_app::Actor,
    input: NearRelativeInput,
    errors: Vec<jiuzhu_app::FieldError>,
    status: StatusCode,
) -> Response {
    match blocking(move || jiuzhu_app::security::near_relatives::my_near_relatives(&s.ctx, &who))
        .await
    {
        Ok(items) => render(
            status,
            RelativesPage {
                e: FieldErrs::new(&errors, "", &l),
                l,
                items,
                input,
                relations: RELATIONS,
            },
        ),
        Err(e) => error_page(l, e),
    }
}

/// GET /account/relatives
pub async fn relatives(State(s): State<AppState>, l: PageCtx, Who(who): Who) -> Response {
    relatives_page(
        s,
        l,
        who,
        NearRelativeInput::default(),
        vec![],
        StatusCode::OK,
    )
    .await
}

/// POST /account/relatives
pub async fn file_relative(
    State(s): State<AppState>,
    l: PageCtx,
    Who(who): Who,
    Form(input): Form<NearRelativeInput>,
) -> Response {
    let (st, w, i) = (s.clone(), who.clone(), input.clone());
    match blocking(move || {
        jiuzhu_app::security::near_relatives::file_near_relative(&st.ctx, &w, &i)
    })
    .await
    {
        Ok(_) => Redirect::to("/account/relatives").into_response(),
        Err(WebError(AppError::Invalid(errors))) => {
            relatives_page(s, l, who, input, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(l, e),
    }
}

/// POST /account/relatives/{id}/withdraw
pub async fn withdraw_relative(
    State(s): State<AppState>,
    l: PageCtx,
    Who(who): Who,
    Path(id): Path<String>,
) -> Response {
    match blocking(move || {
        jiuzhu_app::security::near_relatives::withdraw_near_relative(&s.ctx, &who, &id)
    })
    .await
    {
        Ok(()) => Redirect::to("/account/relatives").into_response(),
        Err(e) => error_page(l, e),
    }
}

#[cfg(test)]
mod tests {
    //! Issue 15 F12: after sign-in, only a same-site path.
    use super::safe_next;

    #[test]
    fn next_is_a_same_site_path_only() {
        for ok in ["/", "/cases?show=all", "/households/01J%E5%BC%A0"] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/%09/evil.example",
            "/\t/evil.example",
            "/%5C%5Cevil.example",
            "/%2F/evil.example",
            "https://evil.example",
            "evil",
            "/%0d%0aSet-Cookie:x",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
