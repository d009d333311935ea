//! S5, S21 over the web, on SQLite and PostgreSQL: a caseworker records a legal supporter
//! living outside the household on the household file (form and API), the assessment names
//! him under 特困; a decided case keeps its facts and is replayed from the case page and the
//! API; another township sees none of it.

mod common;

use common::*;
use jiuzhu_domain::Role;
use serde_json::json;

/// A widower of 76 living alone, unable to work, with no income.
async fn widower(app: &App, seq: u16) -> (String, String) {
    let r = app
        .json(
            "POST",
            "/api/v1/households",
            json!({
                "region_code": "410502001001",
                "address": format!("红旗路{seq}号"),
                "members": [{"name": "赵老汉", "id_number": id("410502", 1950, 7, 8, seq * 2 + 1),
                    "relation": "户主", "hukou_type": "城镇", "labour_capacity": "无劳动能力"}]
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let v = r.json();
    (
        v["household"]["id"].as_str().unwrap().to_owned(),
        v["members"][0]["person"]["id"].as_str().unwrap().to_owned(),
    )
}

fn tekun_of(assessment: &serde_json::Value) -> serde_json::Value {
    assessment["assessment"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["programme"] == "tekun")
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn a_supporter_is_recorded_on_the_file_and_reaches_the_assessment() {
    for app in spawn_apps() {
        app.login_as(Role::TownshipCaseworker, "410502001");
        let (hid, pid) = widower(&app, 41).await;
        let page = app.get(&format!("/households/{hid}")).await;
        assert!(page.body.contains("id=\"supporter-form\""), "{}", page.body);
        assert!(page.body.contains("未登记户外赡养人"));

        // The form refuses a relation that owes no support, naming the field, and keeps the input.
        let url = format!("/households/{hid}/supporters");
        let bad = app
            .form(
                &url,
                &[
                    ("person_id", &pid),
                    ("name", "赵大勇"),
                    ("relation", "邻居"),
                    ("birth_date", "1976-04-05"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("与该成员的关系应为"), "{}", bad.body);
        assert!(bad.body.contains("赵大勇"), "the typed name is kept");
        let ok = app
            .form(
                &url,
                &[
                    ("person_id", &pid),
                    ("name", "赵大勇"),
                    ("relation", "child"),
                    ("birth_date", "1976-04-05"),
                    ("income_monthly", "5500"),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
        let page = app.get(&format!("/households/{hid}")).await;
        assert!(page.body.contains("赵*勇"), "masked on the file");
        assert!(!page.body.contains("赵大勇"), "never in full");

        let a = app
            .get(&format!("/api/v1/households/{hid}/assessment"))
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
        let t = tekun_of(&a.json());
        assert_eq!(t["outcome"], "not_eligible", "{t}");
        assert!(t.to_string().contains("户外子女1"), "{t}");
        let page = app.get(&format!("/households/{hid}/assessment")).await;
        assert!(page.body.contains("户外子女1"));
        assert!(
            page.body.contains("id=\"not-assessed\""),
            "住房救助 not assessed"
        );

        // Over the API: a second supporter who cannot support, then both removed.
        let r = app
            .json(
                "POST",
                &format!("/api/v1/households/{hid}/supporters"),
                json!({"person_id": pid, "name": "赵小梅", "relation": "子女", "birth_date": "1980-01-02",
                       "tekun": true}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let supporters = r.json()["supporters"].as_array().unwrap().clone();
        assert_eq!(supporters.len(), 2);
        assert_eq!(supporters[1]["circumstances"], "特困人员");

        // Another township neither sees nor changes them.
        app.login_as(Role::TownshipCaseworker, "410502002");
        let sid = supporters[0]["id"].as_str().unwrap();
        let r = app
            .json(
                "DELETE",
                &format!("/api/v1/households/{hid}/supporters/{sid}"),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 404, "{}", r.body);

        app.login_as(Role::TownshipCaseworker, "410502001");
        for s in &supporters {
            let sid = s["id"].as_str().unwrap();
            let r = app
                .json(
                    "DELETE",
                    &format!("/api/v1/households/{hid}/supporters/{sid}"),
                    json!({}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        let a = app
            .get(&format!("/api/v1/households/{hid}/assessment"))
            .await;
        assert_eq!(tekun_of(&a.json())["outcome"], "eligible");
    }
}

#[tokio::test]
async fn a_decided_case_is_replayed_from_its_kept_facts() {
    for app in spawn_apps() {
        app.login_as(Role::TownshipCaseworker, "410502001");
        let (hid, _) = widower(&app, 42).await;
        let r = app
            .json(
                "POST",
                "/api/v1/cases",
                json!({"household_id": hid, "kinds": ["dibao"], "channel": "窗口", "summary": "独居老人无收入", "filed_on": walk_day()}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let cid = r.json()[0]["id"].as_str().unwrap().to_owned();
        let url = format!("/api/v1/cases/410502/{cid}");
        let early = app.get(&format!("{url}/replay")).await;
        assert_eq!(early.status, 409, "{}", early.body);
        // A paper file entered a week on (the notice has run by today), 核对 done.
        verified(&app, &hid);
        for (v, m) in [
            (1, json!({"action": "accept", "note": PAPER})),
            (2, json!({"action": "start_investigation", "note": PAPER})),
            (
                3,
                json!({"action": "record_opinion", "note": "独居无收入", "investigators": "甲、乙"}),
            ),
            (4, json!({"action": "publish_notice", "note": PAPER})),
        ] {
            let mut m = m;
            m["version"] = json!(v);
            m["on"] = json!(walk_day());
            let r = app.json("POST", &format!("{url}/moves"), m).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        app.login_as(Role::TownshipApprover, "410502001");
        let r = app
            .json(
                "POST",
                &format!("{url}/moves"),
                json!({"action": "approve", "version": 5, "amount": "600", "review_months": "12"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["replayable"], true);

        let replay = app.get(&format!("{url}/replay")).await;
        assert_eq!(replay.status, 200, "{}", replay.body);
        let replay = replay.json();
        assert_eq!(replay["same"], true, "{replay}");
        assert_eq!(replay["stored"], replay["replayed"]);
        assert_eq!(replay["stored"]["outcome"], "符合");

        let page = app.get(&format!("/cases/410502/{cid}")).await;
        assert!(page.body.contains("id=\"replay-link\""), "{}", page.body);
        let page = app.get(&format!("/cases/410502/{cid}/replay")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("id=\"replay-same\""), "{}", page.body);

        app.login_as(Role::TownshipCaseworker, "410502002");
        assert_eq!(app.get(&format!("{url}/replay")).await.status, 404);
    }
}
