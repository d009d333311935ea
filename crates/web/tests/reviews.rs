//! S7, G3: The review queue over the web, on SQLite and PostgreSQL: a cross-matching hit appears for
//! the caseworkers of its region with its evidence, is closed once with a decision and a note
//! (a second decision is told it was taken), and the decision is audited.

mod common;

use common::*;
use jiuzhu_domain::Role;
use jiuzhu_domain::agency::Source;
use serde_json::json;

/// Registers a household in 文峰区 and plants a death record for its head; returns the head's
/// ID number.
async fn plant(app: &App) -> String {
    let h = app
        .json("POST", "/api/v1/households", household_json(7))
        .await;
    assert_eq!(h.status, 201, "{}", h.body);
    let head = household_json(7)["members"][0]["id_number"]
        .as_str()
        .unwrap()
        .to_owned();
    let reg = &app.state.ctx;
    let who = system(&app.state);
    let csv = format!("id_number,kind,as_of\n{head},death,2026-10-31\n");
    jiuzhu_app::verification::import(
        &reg.db,
        &reg.keys,
        &reg.audit,
        &who,
        Source::Hukou,
        "deaths.csv",
        csv.as_bytes(),
        &|_, _| {},
    )
    .unwrap();
    let r = jiuzhu_app::verification::cross_match(
        &reg.db,
        &reg.audit,
        &who,
        jiuzhu_domain::Money::from_yuan(3000),
    )
    .unwrap();
    assert_eq!(r.tasks_new, 1);
    head
}

#[tokio::test]
async fn a_hit_is_reviewed_once_by_a_caseworker_of_its_region() {
    for app in spawn_apps() {
        let head = plant(&app).await;
        let list = app.get("/api/v1/reviews").await;
        assert_eq!(list.status, 200, "{}", list.body);
        let items = list.json();
        assert_eq!(items.as_array().unwrap().len(), 1, "{}", app.t.label);
        let t = &items[0];
        assert_eq!(t["kind"], "death");
        assert_eq!(t["person_masked"], "张*");
        assert_eq!(t["source"], "户籍");
        assert_eq!(t["as_of"], "2026-10-31");
        assert!(!list.body.contains(&head), "no ID numbers in the queue");
        let uri = format!(
            "/api/v1/reviews/{}/{}",
            t["county"].as_str().unwrap(),
            t["id"].as_str().unwrap()
        );
        // Another county's caseworker neither sees nor closes it.
        app.login_as(Role::CountyCivilAffairs, "410522");
        assert_eq!(
            app.get("/api/v1/reviews")
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            app.json(
                "POST",
                &uri,
                json!({"decision": "confirmed", "note": "入户核实属实"})
            )
            .await
            .status,
            404
        );
        // Bad decisions name the field; a good one closes it; a second is told.
        app.login_as(Role::CountyCivilAffairs, "410502");
        let r = app
            .json("POST", &uri, json!({"decision": "maybe", "note": "x"}))
            .await;
        assert_eq!(r.status, 422);
        let v = r.json();
        let fields: Vec<&str> = v["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["decision", "note"]);
        let r = app
            .json(
                "POST",
                &uri,
                json!({"decision": "confirmed", "note": "入户核实，户主已于10月去世"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = app
            .json(
                "POST",
                &uri,
                json!({"decision": "dismissed", "note": "重复提交"}),
            )
            .await;
        assert_eq!(r.status, 409);
        assert!(r.body.contains("已由他人处理"));
        assert_eq!(
            app.get("/api/v1/reviews")
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            0
        );
        let page = app.get("/reviews").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("id=\"no-reviews\""));
        // A village coordinator may look but not decide.
        app.login_as(Role::VillageCoordinator, "410502001001");
        assert_eq!(
            app.json(
                "POST",
                &uri,
                json!({"decision": "confirmed", "note": "看看"})
            )
            .await
            .status,
            403
        );
        app.login_as(Role::AuditAdmin, "4105");
        let log = app.get("/api/v1/audit?action=review.close").await.json();
        assert_eq!(log["items"].as_array().unwrap().len(), 1, "{log}");
    }
}

#[tokio::test]
async fn the_page_lists_the_hit_and_closes_it_from_its_form() {
    for app in spawn_apps() {
        plant(&app).await;
        let page = app.get("/reviews").await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("死亡（次月停发，已发不追回）"),
            "{}",
            page.body
        );
        let action = page
            .body
            .split("action=\"/reviews/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let r = app
            .form(
                &format!("/reviews/{action}"),
                &[("decision", "dismissed"), ("note", "")],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("请填写 2–200 字的核实情况"));
        let r = app
            .form(
                &format!("/reviews/{action}"),
                &[("decision", "dismissed"), ("note", "同名不同人，已核对")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(app.get("/reviews").await.body.contains("id=\"no-reviews\""));
    }
}

#[tokio::test]
async fn nothing_is_queried_until_every_adult_member_has_consented() {
    for app in spawn_apps() {
        let head = plant(&app).await;
        let h = app.get("/api/v1/households?q=").await.json();
        let id = h["items"][0]["id"].as_str().unwrap().to_owned();
        let v = app.get(&format!("/api/v1/households/{id}")).await.json();
        let people: Vec<String> = v["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["person"]["id"].as_str().unwrap().to_owned())
            .collect();
        let uri = format!("/api/v1/households/{id}/verification");
        let r = app.json("POST", &uri, json!({})).await;
        assert_eq!(r.status, 409, "{}", r.body);
        assert!(
            r.body.contains("缺少核对授权")
                && r.body.contains("张*")
                && r.body.contains("未进行任何查询"),
            "{}",
            r.body
        );
        // Bad consents name their fields.
        let c = format!("/api/v1/households/{id}/consents");
        let r = app
            .json(
                "POST",
                &c,
                json!({"person_id": "nobody", "signed_on": "2026-13-01", "method": "口头"}),
            )
            .await;
        assert_eq!(r.status, 422);
        let v = r.json();
        let fields: Vec<&str> = v["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["signed_on", "method", "person_id"]);
        // One adult consents: still refused; both: the report shows the planted death.
        let r = app
            .json(
                "POST",
                &c,
                json!({"person_id": people[0], "signed_on": "2026-11-20", "method": "书面"}),
            )
            .await;
        assert_eq!(r.json()["recorded"], true, "{}", r.body);
        assert_eq!(
            app.json(
                "POST",
                &c,
                json!({"person_id": people[0], "signed_on": "2026-11-20", "method": "书面"})
            )
            .await
            .json()["recorded"],
            false
        );
        assert_eq!(app.json("POST", &uri, json!({})).await.status, 409);
        assert_eq!(app.get(&uri).await.json(), json!([]), "nothing stored");
        app.json(
            "POST",
            &c,
            json!({"person_id": people[1], "signed_on": "2026-11-21", "method": "电子"}),
        )
        .await;
        let r = app.json("POST", &uri, json!({})).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let rep = r.json();
        assert_eq!(rep["deaths"], 1);
        // The death is a flagged difference; the verified 低保 runs without the member.
        let death = rep["differences"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["item"] == "死亡")
            .unwrap();
        assert_eq!(death["flagged"], true);
        assert_eq!(death["member"], "张*");
        assert!(rep["dibao_verified"]["outcome"].is_string(), "{rep}");
        // Stored with the household, readable again as it was.
        let list = app.get(&uri).await.json();
        assert_eq!(list[0]["id"], rep["id"]);
        assert_eq!(list[0]["differences"], 1);
        let again = app
            .get(&format!("{uri}/{}", rep["id"].as_str().unwrap()))
            .await;
        assert_eq!(again.json(), rep);
        assert_eq!(app.get(&format!("{uri}/no-such-report")).await.status, 404);
        assert_eq!(rep["members"][0]["findings"][0]["kind"], "死亡");
        assert_eq!(rep["members"][0]["consent"], "2026-11-20");
        assert!(!r.body.contains(&head), "no ID numbers in the report");
        // A village coordinator may not run it; every query and refusal is audited.
        app.login_as(Role::VillageCoordinator, "410502001001");
        assert_eq!(app.json("POST", &uri, json!({})).await.status, 403);
        assert_eq!(app.get(&uri).await.status, 403);
        app.login_as(Role::AuditAdmin, "4105");
        let log = app
            .get("/api/v1/audit?action=verification.query")
            .await
            .json();
        assert!(log["items"].as_array().unwrap().len() >= 3, "{log}");
    }
}

#[tokio::test]
async fn discovery_leads_have_their_own_queue() {
    for app in spawn_apps() {
        // The fixture's second member has a grade-2 disability and no income anywhere.
        let h = app
            .json("POST", "/api/v1/households", household_json(9))
            .await;
        assert_eq!(h.status, 201, "{}", h.body);
        let reg = &app.state.ctx;
        let r = jiuzhu_app::verification::discovery::discover(
            &reg.db,
            &reg.audit,
            &system(&app.state),
            &jiuzhu_app::verification::discovery::DiscoveryConfig {
                as_of: jiuzhu_domain::time::today(),
                medical_above: jiuzhu_domain::Money::from_yuan(8760),
            },
        )
        .unwrap();
        assert_eq!(r.tasks_new, 1, "{:?}", r.leads);
        assert!(app.get("/reviews").await.body.contains("id=\"no-reviews\""));
        let api = app.get("/api/v1/reviews?leads=true").await.json();
        assert_eq!(api[0]["kind"], "lead_disability");
        assert_eq!(api[0]["person_masked"], "李*");
        let page = app.get("/reviews?show=leads").await;
        assert!(
            page.body.contains("一、二级残疾，全家无任何收入记录"),
            "{}",
            page.body
        );
        let action = page
            .body
            .split("action=\"/reviews/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let r = app
            .form(
                &format!("/reviews/{action}"),
                &[
                    ("decision", "confirmed"),
                    ("note", "已走访，协助申请低保"),
                    ("show", "leads"),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        assert_eq!(r.location(), "/reviews?show=leads");
        assert_eq!(
            app.get("/api/v1/reviews?leads=true").await.json(),
            json!([])
        );
    }
}
