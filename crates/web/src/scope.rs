//! The `Scope` of a request. Every handler that touches personal data takes a `RequestScope`,
//! so the login of the security issue only changes this extractor (from the whole city to the
//! signed-in user's region), not the handlers.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jiuzhu_domain::Scope;

use crate::AppState;

/// The region subtree the request may see and change.
#[derive(Debug, Clone)]
pub struct RequestScope(pub Scope);

impl FromRequestParts<AppState> for RequestScope {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        _parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Until users and sessions exist (security issue), every request acts for the city.
        Ok(RequestScope(state.city_scope().clone()))
    }
}
