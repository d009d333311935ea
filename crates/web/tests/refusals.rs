//! 等保 安全审计 (issue 15 F13), on SQLite and PostgreSQL: a record of another region asked for,
//! a route the role may not use, a submission without its CSRF token and one from another site
//! are each refused *and audited*; a flood of refusals is audited up to the rate limit and the
//! rest counted into the next entry, never silently.

mod common;

use axum::body::Body;
use axum::http::{Request, header};
use common::*;
use jiuzhu_domain::Role;

/// Audit entries whose action starts with `action`, through the audit administrator's API.
async fn entries(app: &App, action: &str) -> Vec<serde_json::Value> {
    let me = app.session.lock().unwrap().clone();
    app.login_as(Role::AuditAdmin, "4105");
    let r = app.get(&format!("/api/v1/audit?action={action}")).await;
    *app.session.lock().unwrap() = me;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn another_regions_record_a_forbidden_route_and_forged_posts_are_audited() {
    for app in spawn_apps() {
        // A household in 滑县, asked for by a caseworker of 文峰区.
        app.login_as(Role::CountyCivilAffairs, "410526");
        let mut h = household_json(2);
        h["region_code"] = "410526102201".into();
        let r = app.json("POST", "/api/v1/households", h).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let theirs = r.json()["household"]["id"].as_str().unwrap().to_owned();
        let desk = app.login_as(Role::TownshipCaseworker, "410502001");
        assert_eq!(app.get(&format!("/households/{theirs}")).await.status, 404);
        assert_eq!(
            app.get(&format!("/api/v1/households/{theirs}"))
                .await
                .status,
            404
        );
        let found = entries(&app, "access.not_found").await;
        let paths: Vec<&str> = found
            .iter()
            .map(|e| e["object_id"].as_str().unwrap())
            .collect();
        assert!(
            paths.contains(&format!("/households/{theirs}").as_str()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&format!("/api/v1/households/{theirs}").as_str()),
            "{paths:?}"
        );
        assert!(found.iter().all(|e| e["outcome"] == "denied"));

        // A route the role may not use.
        assert_eq!(app.get("/audit").await.status, 403);
        let denied = entries(&app, "access.denied").await;
        assert!(
            denied.iter().any(|e| e["object_id"] == "/audit"),
            "{denied:?}"
        );

        // A form without its CSRF token, and one from another site.
        let (token, csrf) = (desk.token.clone(), desk.csrf.clone());
        let post = |body: String, origin: Option<&str>| {
            let mut b = Request::post("/households")
                .header("content-type", "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("jz_session={token}"));
            if let Some(o) = origin {
                b = b
                    .header(header::ORIGIN, o)
                    .header(header::HOST, "jiuzhu.local");
            }
            b.body(Body::from(body)).unwrap()
        };
        assert_eq!(
            app.send_raw(post("address=x".into(), None)).await.status,
            403
        );
        let r = app
            .send_raw(post(
                format!("csrf={csrf}&address=x"),
                Some("http://evil.example"),
            ))
            .await;
        assert_eq!(r.status, 403);
        let csrf_entries = entries(&app, "access.csrf").await;
        assert_eq!(csrf_entries.len(), 1, "{}", app.t.label);
        assert_eq!(csrf_entries[0]["username"], desk.actor.username);
        let cross = entries(&app, "access.cross_site").await;
        assert_eq!(cross.len(), 1);
        assert!(
            cross[0]["detail"]
                .as_str()
                .unwrap()
                .contains("evil.example")
        );
    }
}

#[tokio::test]
async fn a_flood_of_refusals_is_audited_up_to_the_limit_and_counted_after() {
    let app = spawn_apps().remove(0);
    app.login_as(Role::VillageCoordinator, "410502001001");
    let limit = jiuzhu_web::refusals::REFUSALS_AUDITED_PER_MINUTE as usize;
    for _ in 0..limit + 15 {
        assert_eq!(app.get("/audit").await.status, 403);
    }
    let denied = entries(&app, "access.denied").await;
    assert_eq!(denied.len(), limit, "the log is not flooded");
    // Once the limit lets one through again, it carries the count of those not written.
    let limiter_wait = std::time::Duration::from_millis(60_000 / limit as u64 + 200);
    tokio::time::sleep(limiter_wait).await;
    assert_eq!(app.get("/audit").await.status, 403);
    let denied = entries(&app, "access.denied").await;
    assert_eq!(denied.len(), limit + 1);
    assert!(
        denied[0]["detail"]
            .as_str()
            .unwrap()
            .contains("\"refusals_not_audited_before\":15"),
        "{}",
        denied[0]["detail"]
    );
}
