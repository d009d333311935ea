//! The access matrix: every role × every route of the access table × a record inside and
//! outside the user's region, on SQLite and PostgreSQL, with the exact status each must get —
//! 403 without the permission, 404 for another region's record, the route's own answer
//! otherwise — and every route refused to anonymous callers (401 on the API, a redirect to the
//! login page for pages).

mod common;

use axum::body::Body;
use axum::http::Request;
use common::*;
use jiuzhu_domain::{RegionLevel, Role};
use jiuzhu_web::access::{Need, ROUTES};

struct Fixture {
    household_in: String,
    person_in: String,
    household_out: String,
    person_out: String,
    victim_user: String,
}

fn household_in_other_county(seq: u16) -> serde_json::Value {
    serde_json::json!({
        "region_code": "410526102201",
        "address": "滑县某村",
        "members": [
            {"name": "外县人", "id_number": id("410526", 1970, 5, 5, seq), "relation": "户主",
             "hukou_type": "农村", "labour_capacity": "有劳动能力"}
        ]
    })
}

fn fixture(app: &App) -> Fixture {
    let who = system(&app.state);
    let create = |v: serde_json::Value| {
        let input: jiuzhu_app::registry::HouseholdInput = serde_json::from_value(v).unwrap();
        app.state.registry.create_household(&who, &input).unwrap()
    };
    let a = create(household_json(40));
    let b = create(household_in_other_county(41));
    let (victim, _) = app.user(Role::TownshipCaseworker, "410502001");
    let victim_id = {
        let mut c = app.state.registry.db.conn().unwrap();
        jiuzhu_storage::accounts::user_by_name(&mut c, &victim)
            .unwrap()
            .unwrap()
            .id
    };
    Fixture {
        household_in: a.household.id.clone(),
        person_in: a.members[1].person.id.clone(),
        household_out: b.household.id.clone(),
        person_out: b.members[0].person.id.clone(),
        victim_user: victim_id,
    }
}

/// Where a user of the role sits: household A lies inside every one of these.
fn region_of(role: Role) -> &'static str {
    match role.levels()[0] {
        RegionLevel::Village => "410502001001",
        RegionLevel::Township => "410502001",
        RegionLevel::County => "410502",
        _ => "4105",
    }
}

fn concrete(path: &str, f: &Fixture, inside: bool) -> String {
    let (h, p) = if inside {
        (&f.household_in, &f.person_in)
    } else {
        (&f.household_out, &f.person_out)
    };
    let mut out = path
        .replace("{person_id}", p)
        .replace("{token}", "unknown-token")
        .replace("{report}", "no-such-report")
        .replace(
            "{code}",
            if path.starts_with("/api") {
                "410502"
            } else {
                "en"
            },
        );
    out = if path.starts_with("/persons/") || path.starts_with("/api/v1/persons/") {
        out.replace("{id}", p)
    } else if path.starts_with("/admin/users/") {
        out.replace("{id}", &f.victim_user)
    } else if path.starts_with("/account/relatives/") {
        out.replace("{id}", "no-such-filing")
    } else {
        out.replace("{id}", h)
    };
    if out == "/api/v1/calendar/deadline" {
        out.push_str("?from=2026-01-05&days=3");
    }
    out
}

/// Routes that end or change the caller's own session are tested on their own.
fn skipped(path: &str, method: &str) -> bool {
    matches!(
        (method, path),
        ("POST", "/logout")
            | ("DELETE", "/api/v1/session")
            | ("POST", "/login")
            | ("POST", "/api/v1/session")
    )
}

/// The status an allowed user gets, inside their region, for the request the matrix sends
/// (empty bodies: writes are refused by validation, never by access).
fn expected_allowed(method: &str, path: &str, role: Role) -> u16 {
    match (method, path) {
        ("GET", "/") => 303,
        ("POST", "/account/totp") if role.requires_totp() => 409,
        ("POST", "/account/totp") => 200,
        ("POST", "/account/totp/confirm") => 422,
        ("POST", "/account/password") => 422,
        ("POST", "/account/relatives") => 422,
        ("POST", "/account/relatives/{id}/withdraw") => 404,
        ("GET", p) if p.starts_with("/import/{token}") => 404,
        // An unknown or already used preview token: "already imported or expired".
        ("POST", "/import/{token}") => 409,
        ("POST", "/import") | ("POST", "/calendar") => 400,
        // A multipart upload sent as a plain form is refused before the path is looked at.
        ("POST", "/payroll/{county}/{id}/return") => 400,
        // "{}" reads as a CSV header with no rows: nothing imported, nothing wrong.
        ("POST", "/api/v1/calendar/holidays") => 200,
        ("POST", "/admin/users") => 422,
        // The victim was made by the platform: no supervisor on file to send a letter to.
        ("POST", "/admin/users/{id}/reset") => 422,
        // Not waiting for approval.
        ("POST", "/admin/users/{id}/approve") | ("POST", "/admin/users/{id}/reject") => 409,
        ("POST", p) if p.starts_with("/admin/users/") => 200,
        // No letter of that id for this user: "opened before or voided".
        ("POST", "/account/letters/{id}/open") => 409,
        // No consent recorded for the fixture household: refused, nothing queried.
        ("POST", "/api/v1/households/{id}/verification") => 409,
        // The page shows the refusal in place.
        ("POST", "/households/{id}/verification") => 409,
        ("GET", p) if p.ends_with("/verification/{report}") => 404,
        // "{sid}" stays literal: no such supporter on the household.
        (_, p) if p.contains("{sid}") => 404,
        // The matrix has no case: "{county}" stays literal, so the case is not found.
        (_, p)
            if p.starts_with("/cases/{county}")
                || p.starts_with("/api/v1/cases/{county}")
                || p.starts_with("/intake/{county}")
                || p.starts_with("/payroll/{county}")
                || p.starts_with("/api/v1/payroll/{county}")
                || p.starts_with("/reserve/{township}")
                || p.starts_with("/receivables/{county}")
                || p.contains("/enrolments/{enrolment}")
                || p.starts_with("/transfers/{county}")
                || p.starts_with("/api/v1/intake/{county}") =>
        {
            404
        }
        ("POST", "/agency-import") => 400,
        ("GET", _) => 200,
        ("POST", "/api/v1/households") | ("POST", "/households") => 422,
        _ => 422,
    }
}

async fn request(app: &App, method: &str, uri: &str) -> u16 {
    let api = uri.starts_with("/api/");
    let mut b = Request::builder().method(method).uri(uri);
    let body = if method == "GET" {
        Body::empty()
    } else if api {
        b = b.header("content-type", "application/json");
        Body::from("{}")
    } else {
        b = b.header("content-type", "application/x-www-form-urlencoded");
        Body::from("x=1")
    };
    app.send(b.body(body).unwrap()).await.status.as_u16()
}

#[tokio::test]
async fn every_role_gets_exactly_its_status_on_every_route_inside_and_outside_its_region() {
    for app in spawn_apps() {
        let f = fixture(&app);
        let mut checked = 0;
        let mut wrong = vec![];
        for role in Role::ALL.iter().copied() {
            let region = region_of(role);
            app.login_as(role, region);
            let city_level = region == "4105";
            for rule in ROUTES {
                if skipped(rule.path, rule.method) || rule.need == Need::Public {
                    continue;
                }
                for inside in [true, false] {
                    let is_record = rule.path.contains("{id}")
                        && (rule.path.contains("/households/") || rule.path.contains("/persons/"))
                        && rule.path != "/persons/{id}/reveal"
                        || rule.path == "/persons/{id}/reveal" && rule.method == "POST";
                    if !inside && (!is_record || city_level) {
                        continue; // nothing lies outside a city user's region
                    }
                    let uri = concrete(rule.path, &f, inside);
                    let expected = if !rule.need.allows(Some(role)) {
                        403
                    } else if !inside {
                        404
                    } else {
                        expected_allowed(rule.method, rule.path, role)
                    };
                    let got = request(&app, rule.method, &uri).await;
                    checked += 1;
                    if got != expected {
                        wrong.push(format!(
                            "{} {} {} {} ({}): expected {expected}, got {got}",
                            role.code(),
                            rule.method,
                            uri,
                            if inside { "inside" } else { "outside" },
                            rule.path
                        ));
                    }
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{}: {} of {checked} cells wrong:\n{}",
            app.t.label,
            wrong.len(),
            wrong.join("\n")
        );
        assert!(checked > 1000, "{checked} cells");
    }
}

#[tokio::test]
async fn anonymous_callers_are_sent_to_login_or_refused_on_every_route() {
    for app in spawn_apps() {
        let f = fixture(&app);
        app.logout_locally();
        for rule in ROUTES {
            let uri = concrete(rule.path, &f, true);
            let got = request(&app, rule.method, &uri).await;
            match rule.need {
                // The online form without its token is refused in place.
                Need::Public if rule.path == "/apply-online" && rule.method == "POST" => {
                    assert_eq!(got, 422, "{} {uri}", rule.method)
                }
                // Signing in without the login form's token, or with no credentials, is refused.
                Need::Public if rule.method == "POST" => {
                    assert_eq!(got, 403, "{} {uri}", rule.method)
                }
                Need::Public => assert!(
                    [200, 303].contains(&got),
                    "{} {uri}: public route answered {got}",
                    rule.method
                ),
                _ if rule.path.starts_with("/api/") => {
                    assert_eq!(got, 401, "{} {uri}", rule.method)
                }
                _ if rule.method == "GET" => assert_eq!(got, 303, "{} {uri}", rule.method),
                // A POST without a session has no CSRF token either: redirected to sign in.
                _ => assert_eq!(got, 303, "{} {uri}", rule.method),
            }
        }
    }
}
