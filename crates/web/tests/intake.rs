//! S20: The intake queue, on SQLite and PostgreSQL: a 12345 request is queued for the township of
//! its place (a retried ticket once), bad fields are named, the queue masks the caller, and a
//! caseworker turns it into an application or closes it with a note — once. A village
//! coordinator's discovery report and a public online application reach the same queue and
//! become applications through their own channel.

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
        let page = app.get("/intake").await;
        assert!(
            page.body.contains("王*明") && page.body.contains("****5678"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("13912345678"));
        let q = app.get("/api/v1/intake").await.json();
        assert_eq!(q[0]["source"], "12345热线");
        assert_eq!(q[0]["ticket"], "12345-2026-0001");
        let uri = format!("/intake/410502/{id}");
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
        assert!(app.get("/intake").await.body.contains("id=\"no-intake\""));
        let cases = app.get("/api/v1/cases").await.json();
        assert_eq!(cases[0]["channel"], "12345热线");
        assert_eq!(cases[0]["summary"], "母亲瘫痪在床，家中无收入");
        let r = app
            .json(
                "POST",
                &format!("/api/v1/intake/410502/{id}"),
                json!({"note": "重复处理"}),
            )
            .await;
        assert_eq!(r.status, 409);
        // Another township does not see it.
        app.login_as(Role::TownshipCaseworker, "410502002");
        assert_eq!(
            app.json(
                "POST",
                &format!("/api/v1/intake/410502/{id}"),
                json!({"note": "越权"})
            )
            .await
            .status,
            404
        );
    }
}

#[tokio::test]
async fn a_village_discovery_report_becomes_an_application_through_its_channel() {
    for app in spawn_apps() {
        let h = app
            .json("POST", "/api/v1/households", household_json(22))
            .await;
        let hid = h.json()["household"]["id"].as_str().unwrap().to_owned();
        app.login_as(Role::VillageCoordinator, "410502001001");
        // The household file links to the form, pre-filled.
        let page = app.get(&format!("/intake?household={hid}")).await;
        assert!(
            page.body.contains(&format!("value=\"{hid}\"")),
            "{}",
            page.body
        );
        // Bad fields are named and nothing is stored.
        let r = app
            .form(
                "/intake/discoveries",
                &[
                    ("key", "k-1"),
                    ("household", "no-such"),
                    ("person", "李大娘"),
                    ("need", "独居老人"),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("您的辖区内没有这个户编号"), "{}", r.body);
        let r = app
            .form(
                "/intake/discoveries",
                &[
                    ("key", "k-2"),
                    ("place", "410502001001"),
                    ("person", ""),
                    ("phone", "12ab"),
                    ("need", ""),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(
            r.body.contains("请填写姓名") && r.body.contains("电话号码应为"),
            "{}",
            r.body
        );
        assert!(
            app.get("/api/v1/intake")
                .await
                .json()
                .as_array()
                .unwrap()
                .is_empty()
        );
        // A good report, posted twice with the same key, is stored once.
        let form = [
            ("key", "k-3"),
            ("household", hid.as_str()),
            ("person", "李大娘"),
            ("phone", ""),
            ("need", "老人独居，儿子外出失联，无收入来源"),
            ("kind", "dibao"),
        ];
        assert_eq!(app.form("/intake/discoveries", &form).await.status, 303);
        assert_eq!(app.form("/intake/discoveries", &form).await.status, 303);
        let q = app.get("/api/v1/intake").await.json();
        assert_eq!(q.as_array().unwrap().len(), 1, "{q}");
        assert_eq!(q[0]["source"], "村（社区）主动发现");
        assert_eq!(q[0]["household_id"], hid.as_str());
        assert_eq!(q[0]["kinds"][0][0], "dibao");
        assert_eq!(q[0]["phone_masked"], "");
        // The township's caseworker submits it as it is: household and programme come along.
        app.login_as(Role::TownshipCaseworker, "410502001");
        let id = q[0]["id"].as_str().unwrap().to_owned();
        let r = app
            .json("POST", &format!("/api/v1/intake/410502/{id}"), json!({}))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let case_id = r.json()["case_id"].as_str().unwrap().to_owned();
        let c = app
            .get(&format!("/api/v1/cases/410502/{case_id}"))
            .await
            .json();
        assert_eq!(c["channel"], "村（社区）主动发现");
        assert_eq!(c["kind"], "dibao");
        assert_eq!(c["household_id"], hid.as_str());
        // Over the API too, and another village's report is refused.
        app.login_as(Role::VillageCoordinator, "410502001002");
        let r = app
            .json(
                "POST",
                "/api/v1/discoveries",
                json!({"household_id": hid, "person": "李大娘", "need": "困难"}),
            )
            .await;
        assert_eq!(r.status, 422, "another village's household: {}", r.body);
        let r = app
            .json("POST", "/api/v1/discoveries", json!({"place": "410502001002", "person": "赵某", "need": "火灾后无住处", "kinds": ["临时救助（急难型）"]}))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
}

#[tokio::test]
async fn anyone_may_apply_online_and_the_township_follows_up() {
    for app in spawn_apps() {
        app.logout_locally();
        let page = app.get("/apply-online").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("网上申请社会救助"));
        let token = page
            .body
            .split("name=\"token\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let bad = app
            .form(
                "/apply-online",
                &[
                    ("token", token.as_str()),
                    ("name", "张三"),
                    ("phone", "1391234"),
                    ("place", "410502"),
                    ("need", ""),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(
            bad.body.contains("地点应精确到乡镇") && bad.body.contains("请填写困难情况"),
            "{}",
            bad.body
        );
        assert!(bad.body.contains(&token), "a refused form keeps its token");
        let good = [
            ("token", token.as_str()),
            ("name", "张三丰"),
            ("phone", "13912340000"),
            ("place", "410502001000"),
            ("need", "丈夫重病住院，医疗费用负担重"),
            ("temporary_spending", "1"),
        ];
        let r = app.form("/apply-online", &good).await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(app.form("/apply-online", &good).await.status, 303);
        assert!(
            app.get("/apply-online?done=1")
                .await
                .body
                .contains("id=\"online-done\"")
        );
        // An expired form is refused in place.
        let r = app
            .form(
                "/apply-online",
                &[
                    ("token", ""),
                    ("name", "张三丰"),
                    ("phone", "13912340000"),
                    ("place", "410502001000"),
                    ("need", "困难"),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("表单已失效"));

        app.login_as(Role::TownshipCaseworker, "410502001");
        let q = app.get("/api/v1/intake").await.json();
        assert_eq!(
            q.as_array().unwrap().len(),
            1,
            "a double submit is stored once: {q}"
        );
        assert_eq!(q[0]["source"], "网上申请");
        assert_eq!(q[0]["caller_masked"], "张*丰");
        let h = app
            .json("POST", "/api/v1/households", household_json(23))
            .await;
        let hid = h.json()["household"]["id"].as_str().unwrap().to_owned();
        let id = q[0]["id"].as_str().unwrap();
        // S14: a 临时救助 request becomes an application only with the hardship's severity.
        let r = app
            .json(
                "POST",
                &format!("/api/v1/intake/410502/{id}"),
                json!({"household_id": hid}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("severity"), "{}", r.body);
        let r = app
            .json(
                "POST",
                &format!("/api/v1/intake/410502/{id}"),
                json!({"household_id": hid, "severity": "较重"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let case_id = r.json()["case_id"].as_str().unwrap().to_owned();
        let c = app
            .get(&format!("/api/v1/cases/410502/{case_id}"))
            .await
            .json();
        assert_eq!(c["channel"], "网上申请");
        assert_eq!(c["kind"], "temporary_spending");
        // The audit trail names the door.
        app.login_as(Role::AuditAdmin, "4105");
        let log = app.get("/api/v1/audit?action=intake.receive").await;
        assert!(log.body.contains("网上申请"), "{}", log.body);
    }
}

#[tokio::test]
async fn the_online_form_is_cut_off_after_ten_submissions_an_hour_from_one_address() {
    let app = spawn_apps().remove(0);
    app.logout_locally();
    let mut statuses = Vec::new();
    for n in 0..11 {
        let token = format!("flood-token-{n:04}-abcdefgh");
        let r = app
            .form(
                "/apply-online",
                &[
                    ("token", token.as_str()),
                    ("name", "某人"),
                    ("phone", "13900000000"),
                    ("place", "410502001000"),
                    ("need", "困难"),
                ],
            )
            .await;
        statuses.push(r.status);
    }
    assert_eq!(statuses[..10], [303; 10]);
    assert_eq!(statuses[10], 429);
}
