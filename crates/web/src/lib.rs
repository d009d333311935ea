//! jiuzhu web: axum routers for the caseworkers' pages (askama, Chinese first with an English
//! switch, every page usable without JavaScript) and the JSON API under `/api/v1` with its
//! OpenAPI document. Every route passes the gate of [`auth`] (session, the [`access`] table,
//! CSRF). Handlers are thin: they extract the signed-in [`Who`], call one
//! application service on a blocking thread, and render or serialise the result.

pub mod access;
pub mod api;
pub mod auth;
mod ctx;
mod error;
pub mod pages;
mod previews;
pub mod refusals;
pub mod routes;
mod session;
mod state;

pub use ctx::PageCtx;
pub use error::WebError;
pub use session::Who;
pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;

/// Largest upload (a roster of a whole county fits easily).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// Every route's rule, as the pages and the API declare them.
pub fn route_table() -> Vec<access::RouteRule> {
    let mut rules = pages::routes().into_parts().1;
    rules.extend(api::routes().into_parts().1);
    rules
}

/// The whole application: pages, API and static assets. The gate's access table is installed
/// from the same declarations the routes are built from.
pub fn router(state: AppState) -> Router {
    let gate = || axum::middleware::from_fn_with_state(state.clone(), auth::gate);
    let (pages, mut rules) = pages::routes().into_parts();
    let (api, api_rules) = api::routes().into_parts();
    rules.extend(api_rules);
    access::install(rules);
    Router::new()
        .merge(pages.route_layer(gate()))
        .nest("/api/v1", api.route_layer(gate()))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .layer(axum::middleware::from_fn(auth::security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}
