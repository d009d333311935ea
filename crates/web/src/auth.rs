//! Sign-in state and the gate every request passes (等保 2.0 访问控制):
//!
//! 1. the session is read from the `jz_session` cookie (browsers) or an `Authorization: Bearer`
//!    token (systems calling the API);
//! 2. the matched route's rule in [`crate::access`] decides: public, signed in, or a permission
//!    (refusals of a signed-in user are audited);
//! 3. a state-changing request must come from this site (`Origin`, `Sec-Fetch-Site`) and, when
//!    the session came from a cookie, carry the session's CSRF token (`X-CSRF-Token` header,
//!    a `csrf` form field, or `?csrf=` on multipart uploads);
//! 4. a user who must set a new password can do nothing else first.
//!
//! Handlers then take [`crate::Who`]: the signed-in actor, whose scope confines every service
//! call.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::Actor;
use jiuzhu_app::AppError;

use crate::access::{self, Need};
use crate::session::{CurrentSession, SESSION_COOKIE, client_ip, cookie};
use crate::{AppState, WebError};

/// The CSRF header for API clients using the cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Largest form body the gate reads to find the CSRF field.
const MAX_FORM_BYTES: usize = 1024 * 1024;

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

fn refuse(api: bool, status: StatusCode, zh: &str, en: &str) -> Response {
    if api {
        let body = crate::error::ErrorBody {
            error: crate::error::ErrorDetail {
                code: match status {
                    StatusCode::UNAUTHORIZED => "unauthenticated",
                    _ => "forbidden",
                },
                message: zh.to_owned(),
                message_en: en.to_owned(),
                fields: vec![],
            },
        };
        (status, axum::Json(body)).into_response()
    } else {
        crate::pages::error_page(
            crate::PageCtx::default(),
            WebError(AppError::Forbidden(zh.to_owned())),
        )
    }
}

/// Whether an unsafe request comes from another site.
fn cross_site(headers: &HeaderMap) -> bool {
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site")
    {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'))
        .unwrap_or("");
    origin == "null" || origin_host != host
}

/// The gate (see the module comment). Runs after routing, so the matched route is known.
pub async fn gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    // Inside the nested API router the URI has lost its `/api/v1` prefix; the matched path
    // keeps it.
    let api = path.as_deref().is_some_and(is_api);
    let Some(rule) = path
        .as_deref()
        .and_then(|p| access::rule(req.method().as_str(), p))
    else {
        tracing::error!(path = ?path, method = %req.method(), "route missing from the access table");
        return refuse(api, StatusCode::FORBIDDEN, "该功能未开放", "not allowed");
    };
    let ip = client_ip(req.extensions());
    // The session: bearer token first (API clients), then the cookie (browsers).
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let via_cookie = bearer.is_none();
    let token = bearer.or_else(|| cookie(req.headers(), SESSION_COOKIE));
    let session = match token {
        Some(t) if !t.is_empty() && t.len() < 200 => {
            let (accounts, ip2) = (state.accounts.clone(), ip.clone());
            match crate::error::blocking(move || accounts.session(&t, &ip2)).await {
                Ok(s) => s.map(Arc::new),
                Err(e) => return e.into_response(),
            }
        }
        _ => None,
    };
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let asked = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map(|u| u.0.path().to_owned())
        .unwrap_or_else(|| req.uri().path().to_owned());
    let method = req.method().to_string();
    if unsafe_method && cross_site(req.headers()) {
        let who = match &session {
            Some(s) => s.actor.clone(),
            None => Actor::anonymous(
                state
                    .accounts
                    .scope_of(&jiuzhu_domain::RegionCode::parse("4105").expect("city")),
                "",
                &ip,
            ),
        };
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(100)
            .collect::<String>();
        if let Err(e) = state
            .refusals
            .record(
                &state.ctx,
                &who,
                "access.cross_site",
                &asked,
                serde_json::json!({"method": method, "origin": origin}),
            )
            .await
        {
            return e.into_response();
        }
        return refuse(
            api,
            StatusCode::FORBIDDEN,
            "拒绝来自其他网站的提交",
            "cross-site request refused",
        );
    }
    if rule.need == Need::Public {
        let mut req = req;
        if let Some(s) = session {
            req.extensions_mut().insert(CurrentSession(s));
        }
        return next.run(req).await;
    }
    let Some(session) = session else {
        return if api {
            refuse(api, StatusCode::UNAUTHORIZED, "请先登录", "sign in first")
        } else {
            let next_path = req
                .extensions()
                .get::<axum::extract::OriginalUri>()
                .and_then(|u| u.0.path_and_query().map(|p| p.as_str().to_owned()))
                .unwrap_or_else(|| "/".into());
            Redirect::to(&format!("/login?next={}", url_encode(&next_path))).into_response()
        };
    };
    if session.must_change_password
        && !matches!(
            rule.path.as_str(),
            "/account/password" | "/logout" | "/api/v1/session" | "/static/app.css"
        )
    {
        return if api {
            refuse(
                api,
                StatusCode::FORBIDDEN,
                "请先修改初始密码",
                "change your password first",
            )
        } else {
            Redirect::to("/account/password").into_response()
        };
    }
    if !rule.need.allows(session.actor.role) {
        let audited = state
            .refusals
            .record(
                &state.ctx,
                &session.actor,
                "access.denied",
                &rule.path,
                serde_json::json!({"method": method, "path": asked}),
            )
            .await;
        if let Err(e) = audited {
            return e.into_response();
        }
        let msg = match rule.need {
            Need::Perm(p) => format!("您的角色没有“{}”权限", p.zh()),
            _ => "您的角色无权使用该功能".to_owned(),
        };
        return refuse(
            api,
            StatusCode::FORBIDDEN,
            &msg,
            "your role may not do this",
        );
    }
    let mut req = req;
    if unsafe_method && via_cookie {
        match check_csrf(req, &session.csrf, api).await {
            Ok(r) => req = r,
            Err(resp) => {
                let audited = state
                    .refusals
                    .record(
                        &state.ctx,
                        &session.actor,
                        "access.csrf",
                        &asked,
                        serde_json::json!({"method": method}),
                    )
                    .await;
                return match audited {
                    Ok(()) => *resp,
                    Err(e) => e.into_response(),
                };
            }
        }
    }
    let who = session.actor.clone();
    req.extensions_mut().insert(CurrentSession(session));
    let resp = next.run(req).await;
    // Refusals further in: a record not found — or outside the region, which answers the same
    // — on a route that names one, and a refusal by the service itself.
    let action = match resp.status() {
        StatusCode::NOT_FOUND if rule.path.contains('{') => Some("access.not_found"),
        StatusCode::FORBIDDEN => Some("access.refused"),
        _ => None,
    };
    if let Some(action) = action
        && let Err(e) = state
            .refusals
            .record(
                &state.ctx,
                &who,
                action,
                &asked,
                serde_json::json!({"method": method, "route": rule.path}),
            )
            .await
    {
        return e.into_response();
    }
    resp
}

/// Checks the CSRF token of a cookie-authenticated unsafe request, giving the request back
/// (with its body re-assembled when the form had to be read).
async fn check_csrf(req: Request, expected: &str, api: bool) -> Result<Request, Box<Response>> {
    let bad = || {
        Box::new(refuse(
            api,
            StatusCode::FORBIDDEN,
            "页面已过期或来源不明，请刷新页面后重试",
            "missing or wrong CSRF token",
        ))
    };
    let matches = |got: &str| constant_time_eq(got.as_bytes(), expected.as_bytes());
    if let Some(h) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if matches(h) { Ok(req) } else { Err(bad()) };
    }
    let from_query = req.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "csrf")
            .map(|(_, v)| v.to_owned())
    });
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if content_type.starts_with("multipart/form-data") {
        return match from_query {
            Some(t) if matches(&t) => Ok(req),
            _ => Err(bad()),
        };
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
            return Err(Box::new(
                (StatusCode::PAYLOAD_TOO_LARGE, "提交的内容过大").into_response(),
            ));
        };
        let token = form_urlencoded_field(&bytes, "csrf");
        if !token.is_some_and(|t| matches(&t)) {
            return Err(bad());
        }
        return Ok(Request::from_parts(parts, Body::from(bytes)));
    }
    Err(bad())
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Percent-encodes a path for the `next` parameter.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Security headers on every response: a CSP without `unsafe-inline`, no framing, no MIME
/// sniffing, no referrer to other sites, and no caching of pages with personal data.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}
