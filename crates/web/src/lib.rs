//! jiuzhu web: axum routers for the caseworkers' pages (askama, Chinese first with an English
//! switch, every page usable without JavaScript) and the JSON API under `/api/v1` with its
//! OpenAPI document. Handlers are thin: they extract the request's `Scope`, call one
//! application service on a blocking thread, and render or serialise the result.

pub mod api;
mod error;
mod i18n;
pub mod pages;
mod scope;
mod state;

pub use error::WebError;
pub use i18n::Lang;
pub use scope::RequestScope;
pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;

/// Largest upload (a roster of a whole county fits easily).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// The whole application: pages, API and static assets.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}
