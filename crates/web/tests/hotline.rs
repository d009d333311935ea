//! 12345 hotline requests, on SQLite and PostgreSQL: a request is queued for the township of
//! its place (a retried ticket once), bad fields are named, the queue masks the caller, and a
//! caseworker turns it into an application or closes it with a note — once.

mod common;

use common::*;
use jiuzhu_domain::Role;
use serde_json::json;

#[tokio::test]
async fn a_hotline_request_becomes_an_application_at_its_township() {
    for app in spawn_apps() {
        let h = app
            .json("POST", "/api/v1/households", household_json(21))
            .await;
        let hid = h.json()["household"]["id"].as_str().unwrap().to_owned();
        let req = json!({"ticket": "12345-2026-0001", "caller": "王小明", "phone": "13912345678",
            "place": "410502001001", "need": "母亲瘫痪在床，家中无收入"});
        let r = app.json("POST", "/api/v1/hotline", req.clone()).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.json()["id"].as_str().unwrap().to_owned();
        let again = app.json("POST", "/api/v1/hotline", req).await;
        assert_eq!(
            again.json()["id"],
            id.as_str(),
            "a retried ticket is stored once"
        );
        let bad = app
            .json("POST", "/api/v1/hotline", json!({"ticket": "x", "caller": "", "phone": "12ab", "place": "999999", "need": "困难"}))
            .await;
        assert_eq!(bad.status, 422);
        let fields: Vec<String> = bad.json()["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["place", "caller", "phone"]);

        // The township's caseworker sees it, masked, on the page and over the API.
        app.login_as(Role::TownshipCaseworker, "410502001");
        let page = app.get("/hotline").await;
        assert!(
            page.body.contains("王*明") && page.body.contains("****5678"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("13912345678"));
        let q = app.get("/api/v1/hotline").await.json();
        assert_eq!(q[0]["ticket"], "12345-2026-0001");
        let uri = format!("/hotline/410502/{id}");
        let r = app
            .form(&uri, &[("household_id", ""), ("kind", ""), ("note", "")])
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("请写明处理情况"), "{}", r.body);
        let r = app
            .form(
                &uri,
                &[("household_id", &hid), ("kind", "dibao"), ("note", "")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(app.get("/hotline").await.body.contains("id=\"no-hotline\""));
        let cases = app.get("/api/v1/cases").await.json();
        assert_eq!(cases[0]["channel"], "12345热线");
        assert_eq!(cases[0]["summary"], "母亲瘫痪在床，家中无收入");
        let r = app
            .json(
                "POST",
                &format!("/api/v1/hotline/410502/{id}"),
                json!({"note": "重复处理"}),
            )
            .await;
        assert_eq!(r.status, 409);
        // Another township does not see it.
        app.login_as(Role::TownshipCaseworker, "410502002");
        assert_eq!(
            app.json(
                "POST",
                &format!("/api/v1/hotline/410502/{id}"),
                json!({"note": "越权"})
            )
            .await
            .status,
            404
        );
    }
}
