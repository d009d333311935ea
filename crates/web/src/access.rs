//! The access table: every route with what it needs — nothing (public), a signed-in user, or
//! a permission — as the route's own declaration says ([`crate::routes`]). The gate in
//! [`crate::auth`] looks each request up here after routing; a route missing from the table is
//! refused to everyone (fail closed). The access-matrix tests walk this table for every role,
//! inside and outside the user's region.

use jiuzhu_domain::Permission;

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// A signed-in user holding the permission.
    Perm(Permission),
    /// A signed-in user holding any of the permissions.
    Any(&'static [Permission]),
}

/// One route.
#[derive(Debug, Clone)]
pub struct RouteRule {
    /// HTTP method (HEAD is checked as GET).
    pub method: &'static str,
    /// The route's path pattern, as registered (with the API's prefix).
    pub path: String,
    /// What it needs.
    pub need: Need,
}

/// The table the router was built with: installed by [`crate::router`] from the routes' own
/// declarations, so this module depends on none of them. Empty (everything refused) until then.
static TABLE: std::sync::OnceLock<Vec<RouteRule>> = std::sync::OnceLock::new();

/// Installs the table (the first router built wins; every router declares the same routes).
pub(crate) fn install(rules: Vec<RouteRule>) {
    let _ = TABLE.set(rules);
}

/// Every route of the application as the router installed them (see [`crate::routes`]).
pub fn routes() -> &'static [RouteRule] {
    TABLE.get().map(Vec::as_slice).unwrap_or(&[])
}

/// The rule of a matched route.
pub fn rule(method: &str, path: &str) -> Option<&'static RouteRule> {
    let method = if method == "HEAD" { "GET" } else { method };
    routes()
        .iter()
        .find(|r| r.method == method && r.path == path)
}

impl Need {
    /// Whether a role satisfies the need (`None`: nobody signed in).
    pub fn allows(self, role: Option<jiuzhu_domain::Role>) -> bool {
        match self {
            Need::Public => true,
            Need::SignedIn => role.is_some(),
            Need::Perm(p) => role.is_some_and(|r| r.can(p)),
            Need::Any(ps) => role.is_some_and(|r| ps.iter().any(|p| r.can(*p))),
        }
    }
}
