//! What a request carries about who is asking: the signed-in session the gate put in its
//! extensions, the [`Who`] handlers take, the client's address and the session cookie. Kept
//! apart from the gate (`auth.rs`) so that page context and handlers read it without
//! depending on the gate, which renders error pages.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use jiuzhu_app::Actor;
use jiuzhu_app::AppError;
use jiuzhu_app::security::accounts::Session;

use crate::{AppState, WebError};

/// The session cookie.
pub const SESSION_COOKIE: &str = "jz_session";

/// The request's signed-in session (in the request's extensions).
#[derive(Debug, Clone)]
pub struct CurrentSession(pub Arc<Session>);

/// The signed-in user of a request: the actor every service call is made for.
#[derive(Debug, Clone)]
pub struct Who(pub Actor);

impl FromRequestParts<AppState> for Who {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentSession>()
            .map(|s| Who(s.0.actor.clone()))
            .ok_or(WebError(AppError::Forbidden("请先登录".into())))
    }
}

/// A cookie's value.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The client's address (the TCP peer; a reverse proxy's forwarded header is not trusted).
pub fn client_ip(parts_ext: &axum::http::Extensions) -> String {
    parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The `Set-Cookie` value of a session cookie (`max_age` 0 clears it).
pub fn session_cookie(state: &AppState, token: &str, max_age: i64) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    )
}
