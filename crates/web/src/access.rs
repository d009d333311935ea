//! The access table: every route with what it needs — nothing (public), a signed-in user, or
//! a permission. The gate in [`crate::auth`] looks each request up here after routing; a route
//! missing from the table is refused to everyone (fail closed). The access-matrix tests walk
//! this table for every role, inside and outside the user's region.

use jiuzhu_domain::Permission::{self, *};

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
#[derive(Debug, Clone, Copy)]
pub struct RouteRule {
    /// HTTP method (HEAD is checked as GET).
    pub method: &'static str,
    /// The route's path pattern, as registered.
    pub path: &'static str,
    /// What it needs.
    pub need: Need,
}

const fn r(method: &'static str, path: &'static str, need: Need) -> RouteRule {
    RouteRule { method, path, need }
}

use Need::{Perm, Public, SignedIn};

/// Every route of the application.
pub const ROUTES: &[RouteRule] = &[
    // Pages.
    r("GET", "/", SignedIn),
    r("GET", "/healthz", Public),
    r("GET", "/static/app.css", Public),
    r("GET", "/lang/{code}", Public),
    r("GET", "/login", Public),
    r("POST", "/login", Public),
    r("POST", "/logout", SignedIn),
    r("GET", "/account", SignedIn),
    r("GET", "/account/password", SignedIn),
    r("POST", "/account/password", SignedIn),
    r("POST", "/account/totp", SignedIn),
    r("POST", "/account/totp/confirm", SignedIn),
    // Only the letter's own supervisor gets anything; the service checks who it is for.
    r("POST", "/account/letters/{id}/open", SignedIn),
    r("GET", "/account/relatives", Perm(FileNearRelatives)),
    r("POST", "/account/relatives", Perm(FileNearRelatives)),
    r(
        "POST",
        "/account/relatives/{id}/withdraw",
        Perm(FileNearRelatives),
    ),
    r("GET", "/households", Perm(ViewRegistry)),
    r("POST", "/households", Perm(EditRegistry)),
    r("GET", "/households/new", Perm(EditRegistry)),
    r("GET", "/households/export.xlsx", Perm(ExportRegistry)),
    r("GET", "/households/{id}", Perm(ViewRegistry)),
    r("GET", "/households/{id}/assessment", Perm(ViewRegistry)),
    r("GET", "/policy", SignedIn),
    r("GET", "/reviews", Perm(ViewRegistry)),
    r("GET", "/cases", Perm(ViewRegistry)),
    r("GET", "/cases/notice", Perm(ViewRegistry)),
    r("GET", "/funds", Perm(ViewFunds)),
    r("POST", "/funds/budget", Perm(RunPayroll)),
    r("GET", "/receivables", Perm(ViewRegistry)),
    r("GET", "/receivables/{county}/{id}", Perm(ViewRegistry)),
    r(
        "POST",
        "/receivables/{county}/{id}",
        Need::Any(&[RunPayroll, DecideCases]),
    ),
    r(
        "POST",
        "/cases/{county}/{id}/receivables",
        Perm(DecideCases),
    ),
    r("GET", "/reserve", Perm(ViewRegistry)),
    r("POST", "/reserve", Perm(RunPayroll)),
    r("GET", "/reserve/{township}", Perm(ViewRegistry)),
    r("GET", "/payroll", Perm(RunPayroll)),
    r("POST", "/payroll", Perm(RunPayroll)),
    r("GET", "/payroll/{county}/{id}", Perm(RunPayroll)),
    r("POST", "/payroll/{county}/{id}", Perm(RunPayroll)),
    r("GET", "/payroll/{county}/{id}/bank", Perm(RunPayroll)),
    r("POST", "/payroll/{county}/{id}/return", Perm(RunPayroll)),
    r(
        "POST",
        "/payroll/{county}/{id}/lines/{line}",
        Perm(RunPayroll),
    ),
    r("GET", "/households/{id}/account", Perm(RunPayroll)),
    r("POST", "/households/{id}/account", Perm(RunPayroll)),
    r(
        "POST",
        "/households/{id}/enrolments/{enrolment}/stop",
        Perm(DecideCases),
    ),
    r(
        "POST",
        "/households/{id}/enrolments/{enrolment}/suspend",
        Perm(DecideCases),
    ),
    r("GET", "/intake", Perm(FileApplications)),
    r("POST", "/intake/discoveries", Perm(FileApplications)),
    r("POST", "/intake/{county}/{id}", Perm(FileApplications)),
    // S20 网上申请: anyone may ask for help online; the township follows up.
    r("GET", "/apply-online", Public),
    r("POST", "/apply-online", Public),
    r("GET", "/transfers", Perm(AnswerTransfers)),
    r("POST", "/transfers/{county}/{id}", Perm(AnswerTransfers)),
    r("GET", "/api/v1/payroll", Perm(RunPayroll)),
    r("POST", "/api/v1/payroll", Perm(RunPayroll)),
    r("GET", "/api/v1/payroll/{county}/{id}", Perm(RunPayroll)),
    r(
        "GET",
        "/api/v1/payroll/{county}/{id}/lines",
        Perm(RunPayroll),
    ),
    r(
        "POST",
        "/api/v1/payroll/{county}/{id}/actions",
        Perm(RunPayroll),
    ),
    r(
        "POST",
        "/api/v1/payroll/{county}/{id}/return",
        Perm(RunPayroll),
    ),
    r("POST", "/api/v1/hotline", Perm(FileApplications)),
    r("POST", "/api/v1/discoveries", Perm(FileApplications)),
    r("GET", "/api/v1/intake", Perm(FileApplications)),
    r(
        "POST",
        "/api/v1/intake/{county}/{id}",
        Perm(FileApplications),
    ),
    r("GET", "/cases/{county}/{id}/letter", Perm(ViewRegistry)),
    r("GET", "/cases/{county}/{id}/replay", Perm(ViewRegistry)),
    r("GET", "/cases/{county}/{id}/form", Perm(ViewRegistry)),
    r(
        "GET",
        "/cases/{county}/{id}/investigation",
        Perm(ViewRegistry),
    ),
    r("GET", "/cases/export.csv", Perm(ViewRegistry)),
    r("GET", "/roll/{village}", Perm(ViewRegistry)),
    r("GET", "/cases/{county}/{id}", Perm(ViewRegistry)),
    r(
        "POST",
        "/cases/{county}/{id}",
        Need::Any(&[HandleCases, DecideCases]),
    ),
    r("GET", "/households/{id}/apply", Perm(FileApplications)),
    r("POST", "/households/{id}/apply", Perm(FileApplications)),
    r(
        "GET",
        "/households/{id}/verification",
        Perm(VerifyHouseholds),
    ),
    r(
        "POST",
        "/households/{id}/verification",
        Perm(VerifyHouseholds),
    ),
    r("POST", "/households/{id}/consents", Perm(VerifyHouseholds)),
    r(
        "GET",
        "/households/{id}/verification/{report}",
        Perm(VerifyHouseholds),
    ),
    r("GET", "/agency-import", Perm(ImportAgencyData)),
    r("POST", "/agency-import", Perm(ImportAgencyData)),
    r("POST", "/reviews/{county}/{id}", Perm(DecideReviews)),
    r("GET", "/households/{id}/edit", Perm(EditRegistry)),
    r("POST", "/households/{id}/edit", Perm(EditRegistry)),
    r("POST", "/households/{id}/members", Perm(EditRegistry)),
    r(
        "POST",
        "/households/{id}/members/{person_id}/leave",
        Perm(EditRegistry),
    ),
    r("POST", "/households/{id}/records", Perm(EditRegistry)),
    r("POST", "/households/{id}/supporters", Perm(EditRegistry)),
    r(
        "POST",
        "/households/{id}/supporters/{sid}/remove",
        Perm(EditRegistry),
    ),
    r("GET", "/persons/{id}", Perm(ViewRegistry)),
    r("GET", "/persons/{id}/edit", Perm(EditRegistry)),
    r("POST", "/persons/{id}/edit", Perm(EditRegistry)),
    r("GET", "/persons/{id}/reveal", Perm(RevealPersonal)),
    r("POST", "/persons/{id}/reveal", Perm(RevealPersonal)),
    r("GET", "/import", Perm(ImportRoster)),
    r("POST", "/import", Perm(ImportRoster)),
    r("GET", "/import/template.xlsx", Perm(ImportRoster)),
    r("GET", "/import/{token}", Perm(ImportRoster)),
    r("POST", "/import/{token}", Perm(ImportRoster)),
    r("GET", "/import/{token}/errors.xlsx", Perm(ImportRoster)),
    r("GET", "/calendar", SignedIn),
    r("POST", "/calendar", Perm(ManageCalendar)),
    r(
        "GET",
        "/admin/users",
        Need::Any(&[ManageUsers, ManageSecurity]),
    ),
    r("POST", "/admin/users", Perm(ManageUsers)),
    r("POST", "/admin/users/{id}/reset", Perm(ManageUsers)),
    r("POST", "/admin/users/{id}/disable", Perm(ManageUsers)),
    r("POST", "/admin/users/{id}/enable", Perm(ManageUsers)),
    r("POST", "/admin/users/{id}/unlock", Perm(ManageSecurity)),
    r("POST", "/admin/users/{id}/reset-totp", Perm(ManageSecurity)),
    r("POST", "/admin/users/{id}/approve", Perm(ManageSecurity)),
    r("POST", "/admin/users/{id}/reject", Perm(ManageSecurity)),
    r("GET", "/audit", Perm(ViewAudit)),
    r("GET", "/audit/export.xlsx", Perm(ExportAudit)),
    r("GET", "/audit/verify", Perm(ViewAudit)),
    // API.
    r("GET", "/api/v1/openapi.json", Public),
    r("POST", "/api/v1/session", Public),
    r("DELETE", "/api/v1/session", SignedIn),
    r("GET", "/api/v1/me", SignedIn),
    r("GET", "/api/v1/households", Perm(ViewRegistry)),
    r("POST", "/api/v1/households", Perm(EditRegistry)),
    r("GET", "/api/v1/households/{id}", Perm(ViewRegistry)),
    r(
        "GET",
        "/api/v1/households/{id}/assessment",
        Perm(ViewRegistry),
    ),
    r("POST", "/api/v1/eval", SignedIn),
    r("GET", "/api/v1/reviews", Perm(ViewRegistry)),
    r(
        "POST",
        "/api/v1/households/{id}/consents",
        Perm(VerifyHouseholds),
    ),
    r(
        "GET",
        "/api/v1/households/{id}/verification",
        Perm(VerifyHouseholds),
    ),
    r(
        "POST",
        "/api/v1/households/{id}/verification",
        Perm(VerifyHouseholds),
    ),
    r(
        "GET",
        "/api/v1/households/{id}/verification/{report}",
        Perm(VerifyHouseholds),
    ),
    r("POST", "/api/v1/reviews/{county}/{id}", Perm(DecideReviews)),
    r("GET", "/api/v1/cases", Perm(ViewRegistry)),
    r("POST", "/api/v1/cases", Perm(FileApplications)),
    r("GET", "/api/v1/cases/{county}/{id}", Perm(ViewRegistry)),
    r(
        "GET",
        "/api/v1/cases/{county}/{id}/replay",
        Perm(ViewRegistry),
    ),
    r(
        "POST",
        "/api/v1/cases/{county}/{id}/moves",
        Need::Any(&[HandleCases, DecideCases]),
    ),
    r("PUT", "/api/v1/households/{id}", Perm(EditRegistry)),
    r("GET", "/api/v1/households/{id}/members", Perm(ViewRegistry)),
    r(
        "POST",
        "/api/v1/households/{id}/members",
        Perm(EditRegistry),
    ),
    r(
        "POST",
        "/api/v1/households/{id}/members/{person_id}/leave",
        Perm(EditRegistry),
    ),
    r(
        "POST",
        "/api/v1/households/{id}/economic-records",
        Perm(EditRegistry),
    ),
    r(
        "POST",
        "/api/v1/households/{id}/supporters",
        Perm(EditRegistry),
    ),
    r(
        "DELETE",
        "/api/v1/households/{id}/supporters/{sid}",
        Perm(EditRegistry),
    ),
    r("GET", "/api/v1/persons/{id}", Perm(ViewRegistry)),
    r("PUT", "/api/v1/persons/{id}", Perm(EditRegistry)),
    r("POST", "/api/v1/persons/{id}/reveal", Perm(RevealPersonal)),
    r("GET", "/api/v1/calendar/deadline", SignedIn),
    r("POST", "/api/v1/calendar/holidays", Perm(ManageCalendar)),
    r("GET", "/api/v1/regions/{code}/children", SignedIn),
    r("GET", "/api/v1/audit", Perm(ViewAudit)),
    r("GET", "/api/v1/audit/verify", Perm(ViewAudit)),
];

/// The rule of a matched route.
pub fn rule(method: &str, path: &str) -> Option<&'static RouteRule> {
    let method = if method == "HEAD" { "GET" } else { method };
    ROUTES.iter().find(|r| r.method == method && r.path == path)
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
