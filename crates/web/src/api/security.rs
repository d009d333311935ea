//! Sign-in for systems, one's own identity, revealing a person (with a reason) and the audit
//! log over JSON.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use jiuzhu_app::audit::AuditPage;
use jiuzhu_app::audit::AuditQuery;
use jiuzhu_app::audit::verify::VerifyReport;
use jiuzhu_app::security::accounts::Credentials;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ErrorBody, blocking};
use crate::session::{CurrentSession, client_ip};
use crate::{AppState, WebError, Who};

/// A new API session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// The user must change the password first (on the web page) before anything else.
    pub must_change_password: bool,
    /// The signed-in user.
    pub user: Me,
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// Login name.
    pub username: String,
    /// Name.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Region code.
    pub region_code: String,
    /// Permission codes.
    pub permissions: Vec<&'static str>,
}

fn me_of(a: &jiuzhu_app::Actor) -> Me {
    Me {
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        role: a.role_code().to_owned(),
        region_code: a.region.to_string(),
        permissions: a
            .role
            .map(|r| r.permissions().iter().map(|p| p.code()).collect())
            .unwrap_or_default(),
    }
}

/// Signs in (rate-limited per client address; one message for every refusal).
#[utoipa::path(post, path = "/api/v1/session", request_body = Credentials,
    responses((status = 201, body = SessionCreated), (status = 403, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ext: axum::http::Extensions,
    Json(c): Json<Credentials>,
) -> Result<Response, WebError> {
    let ip = client_ip(&ext);
    if !s.login_allowed(&ip) {
        let body = ErrorBody {
            error: crate::error::ErrorDetail {
                code: "too_many_requests",
                message: "尝试过于频繁，请一分钟后再试".into(),
                message_en: "Too many attempts; wait a minute".into(),
                fields: vec![],
            },
        };
        return Ok((StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response());
    }
    let accounts = s.accounts.clone();
    let session = blocking(move || accounts.login(&c, &ip)).await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionCreated {
            user: me_of(&session.actor),
            token: session.token,
            must_change_password: session.must_change_password,
        }),
    )
        .into_response())
}

/// Signs out.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204)))]
pub async fn delete(
    State(s): State<AppState>,
    Extension(session): Extension<CurrentSession>,
) -> Result<StatusCode, WebError> {
    let accounts = s.accounts.clone();
    blocking(move || accounts.logout(&session.0)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Me)))]
pub async fn me(Who(who): Who) -> Json<Me> {
    Json(me_of(&who))
}

/// The reason for revealing a person's full data.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RevealRequest {
    /// Why the full values are needed (2–200 characters; audited).
    pub reason: String,
}

/// Reveals a person's full name, ID number, phone, bank account and illness (needs the
/// permission and a reason; audited).
#[utoipa::path(post, path = "/api/v1/persons/{id}/reveal", request_body = RevealRequest,
    params(("id" = String, Path, description = "person ID")),
    responses((status = 200, body = jiuzhu_app::registry::RevealedPerson),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn reveal(
    State(s): State<AppState>,
    Who(who): Who,
    Path(id): Path<String>,
    Json(r): Json<RevealRequest>,
) -> Result<Json<jiuzhu_app::registry::RevealedPerson>, WebError> {
    Ok(Json(
        blocking(move || jiuzhu_app::registry::reveal_person(&s.ctx, &who, &id, &r.reason)).await?,
    ))
}

/// The audit log, newest first, filtered.
#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 422, body = ErrorBody)))]
pub async fn audit(
    State(s): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPage>, WebError> {
    Ok(Json(
        blocking(move || {
            let mut conn = s.ctx.db.conn()?;
            s.ctx.audit.search(&mut conn, &s.ctx.regions, &q)
        })
        .await?,
    ))
}

/// Verifies every audit chain; names the first broken entry of each.
#[utoipa::path(get, path = "/api/v1/audit/verify", responses((status = 200)))]
pub async fn verify(State(s): State<AppState>) -> Result<Json<VerifyReport>, WebError> {
    Ok(Json(
        blocking(move || {
            let mut conn = s.ctx.db.conn()?;
            s.ctx.audit.verify(&mut conn)
        })
        .await?,
    ))
}
