//! Routes declared once (issue 16 item 3): each route is one line — method, path, what it
//! needs (public, signed in, a permission) and its handler. The router and the gate's access
//! table are both built from those lines, so a route cannot exist without its rule, nor a
//! rule without its route; the access-matrix tests walk the same table.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, delete, get, post, put};

use crate::AppState;
use crate::access::{Need, RouteRule};

/// A surface's routes (the pages, or the API under its prefix) with their rules.
pub struct Routes {
    prefix: &'static str,
    router: Router<AppState>,
    rules: Vec<RouteRule>,
}

impl Routes {
    /// No routes yet, under `prefix` (`""` for the pages, `/api/v1` for the API).
    pub fn new(prefix: &'static str) -> Self {
        Routes {
            prefix,
            router: Router::new(),
            rules: Vec::new(),
        }
    }

    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        need: Need,
        route: MethodRouter<AppState>,
    ) -> Self {
        // Same-path routes of other methods merge into one method router.
        self.router = self.router.route(path, route);
        self.rules.push(RouteRule {
            method,
            path: format!("{}{path}", self.prefix),
            need,
        });
        self
    }

    /// A GET route (HEAD is served and checked as GET).
    pub fn get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        need: Need,
        h: H,
    ) -> Self {
        self.add("GET", path, need, get(h))
    }

    /// A POST route.
    pub fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        need: Need,
        h: H,
    ) -> Self {
        self.add("POST", path, need, post(h))
    }

    /// A PUT route.
    pub fn put<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        need: Need,
        h: H,
    ) -> Self {
        self.add("PUT", path, need, put(h))
    }

    /// A DELETE route.
    pub fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        need: Need,
        h: H,
    ) -> Self {
        self.add("DELETE", path, need, delete(h))
    }

    /// The router and the rules.
    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteRule>) {
        (self.router, self.rules)
    }
}
