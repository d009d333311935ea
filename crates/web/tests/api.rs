//! S20: The JSON API on SQLite and PostgreSQL: status codes, the error envelope naming each field,
//! nothing written on bad input, optimistic locking, the calendar and the OpenAPI document.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_household_is_created_read_and_found_over_the_api() {
    for app in spawn_apps() {
        let r = app
            .json("POST", "/api/v1/households", household_json(1))
            .await;
        assert_eq!(r.status, 201, "{}: {}", app.t.label, r.body);
        let id = r.json()["household"]["id"].as_str().unwrap().to_owned();
        let r = app.get(&format!("/api/v1/households/{id}")).await;
        assert_eq!(r.status, 200);
        let v = r.json();
        assert_eq!(v["members"].as_array().unwrap().len(), 2);
        assert_eq!(v["members"][1]["person"]["disability"], "肢体 2级");
        assert_eq!(v["household"]["head_name_masked"], "张*");
        let list = app
            .get(&format!("/api/v1/households?q={}", enc("李")))
            .await
            .json();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["id"], id.as_str());
        let members = app
            .get(&format!("/api/v1/households/{id}/members?on=2020-01-01"))
            .await;
        assert_eq!(members.status, 200);
        assert_eq!(
            members.json().as_array().unwrap().len(),
            0,
            "registered today, so nobody in 2020"
        );
    }
}

#[tokio::test]
async fn bad_input_names_each_field_and_writes_nothing() {
    for app in spawn_apps() {
        let mut h = household_json(1);
        h["region_code"] = json!("41050200100");
        h["members"][0]["id_number"] = json!("41050219800101123");
        h["members"][1]["disability_grade"] = json!("5");
        let r = app.json("POST", "/api/v1/households", h).await;
        assert_eq!(r.status, 422, "{}", app.t.label);
        let v = r.json();
        assert_eq!(v["error"]["code"], "invalid");
        let fields: Vec<&str> = v["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&"region_code")
                && fields.contains(&"members[0].id_number")
                && fields.contains(&"members[1].disability_grade"),
            "{fields:?}"
        );
        assert!(
            v["error"]["fields"][0]["message"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "Chinese message"
        );
        assert_eq!(app.get("/api/v1/households").await.json()["total"], 0);
        // Malformed JSON is refused by the extractor, not a 500.
        let r = app
            .send(
                axum::http::Request::post("/api/v1/households")
                    .header("content-type", "application/json")
                    .body("{not json".into())
                    .unwrap(),
            )
            .await;
        assert!(r.status.is_client_error(), "{}", r.status);
    }
}

#[tokio::test]
async fn a_duplicate_id_number_is_refused_with_its_field() {
    for app in spawn_apps() {
        assert_eq!(
            app.json("POST", "/api/v1/households", household_json(1))
                .await
                .status,
            201
        );
        let mut h = household_json(2);
        h["members"][0]["id_number"] = household_json(1)["members"][0]["id_number"].clone();
        let r = app.json("POST", "/api/v1/households", h).await;
        assert_eq!(r.status, 422);
        assert_eq!(
            r.json()["error"]["fields"][0]["field"],
            "members[0].id_number"
        );
    }
}

#[tokio::test]
async fn unknown_records_answer_404_in_the_envelope() {
    for app in spawn_apps() {
        let r = app.get("/api/v1/households/does-not-exist").await;
        assert_eq!(r.status, 404);
        assert_eq!(r.json()["error"]["code"], "not_found");
        assert_eq!(app.get("/api/v1/persons/nobody").await.status, 404);
    }
}

#[tokio::test]
async fn a_stale_version_answers_409() {
    for app in spawn_apps() {
        let v = app
            .json("POST", "/api/v1/households", household_json(1))
            .await
            .json();
        let id = v["household"]["id"].as_str().unwrap();
        let version = v["version"].as_i64().unwrap();
        let edit = json!({"region_code": "410502001002", "address": "新址", "version": version});
        assert_eq!(
            app.json("PUT", &format!("/api/v1/households/{id}"), edit.clone())
                .await
                .status,
            200
        );
        let r = app
            .json("PUT", &format!("/api/v1/households/{id}"), edit)
            .await;
        assert_eq!(r.status, 409, "{}", app.t.label);
        assert_eq!(r.json()["error"]["code"], "conflict");
    }
}

#[tokio::test]
async fn members_join_and_leave_over_the_api() {
    for app in spawn_apps() {
        let v = app
            .json("POST", "/api/v1/households", household_json(1))
            .await
            .json();
        let id = v["household"]["id"].as_str().unwrap().to_owned();
        let add = json!({"person": {"name": "张小", "id_number": id_of(2015), "relation": "子女", "hukou_type": "城镇", "labour_capacity": "无劳动能力"},
                         "joined_on": "2015-05-05", "reason": "出生", "version": v["version"]});
        let r = app
            .json("POST", &format!("/api/v1/households/{id}/members"), add)
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        assert_eq!(v["household"]["member_count"], 3);
        let spouse = v["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["relation"] == "配偶")
            .unwrap()["person"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let leave = json!({"left_on": "", "reason": "迁出", "version": v["version"]});
        let r = app
            .json(
                "POST",
                &format!("/api/v1/households/{id}/members/{spouse}/leave"),
                leave,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["household"]["member_count"], 2);
        let on_2016 = app
            .get(&format!("/api/v1/households/{id}/members?on=2016-01-01"))
            .await
            .json();
        assert_eq!(
            on_2016.as_array().unwrap().len(),
            1,
            "only the child was a member in 2016"
        );
        assert_eq!(
            app.get(&format!("/api/v1/households/{id}/members?on=2016-13-01"))
                .await
                .status,
            422
        );
        let rec = json!({"category": "存款", "period_start": "2026-01-01", "period_end": "2026-01-01", "amount": "5000"});
        let r = app
            .json(
                "POST",
                &format!("/api/v1/households/{id}/economic-records"),
                rec,
            )
            .await;
        assert_eq!(r.json()["economic_records"][0]["amount_fen"], 500_000);
    }
}

fn id_of(year: i32) -> String {
    id("410502", year, 5, 5, 41)
}

#[tokio::test]
async fn a_person_is_edited_with_its_version() {
    for app in spawn_apps() {
        let v = app
            .json("POST", "/api/v1/households", household_json(1))
            .await
            .json();
        let pid = v["members"][0]["person"]["id"].as_str().unwrap().to_owned();
        let p = app.get(&format!("/api/v1/persons/{pid}")).await.json();
        let edit = json!({"person": {"name": "张三丰", "hukou_type": "农村", "labour_capacity": "部分丧失劳动能力", "phone": "13912345678"}, "version": p["version"]});
        let r = app
            .json("PUT", &format!("/api/v1/persons/{pid}"), edit.clone())
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["phone_masked"], "*******5678");
        assert_eq!(
            app.json("PUT", &format!("/api/v1/persons/{pid}"), edit)
                .await
                .status,
            409
        );
        let bad = json!({"person": {"name": "", "hukou_type": "城里", "labour_capacity": "x"}, "version": 99});
        let f = app
            .json("PUT", &format!("/api/v1/persons/{pid}"), bad)
            .await
            .json();
        // An empty name keeps the stored one (issue 15 F3: the edit form does not carry it).
        let fields: Vec<&str> = f["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["hukou_type", "labour_capacity"], "{f}");
    }
}

#[tokio::test]
async fn deadlines_count_working_days_across_spring_festival() {
    let app = spawn_apps().remove(0);
    let r = app
        .get("/api/v1/calendar/deadline?from=2026-02-13&days=3")
        .await
        .json();
    assert_eq!(r, json!({"date": "2026-02-25", "provisional": false}));
    let r = app
        .get("/api/v1/calendar/deadline?from=2026-12-28&days=10")
        .await
        .json();
    assert_eq!(r["provisional"], true);
    assert_eq!(
        app.get("/api/v1/calendar/deadline?from=2026-02-30&days=3")
            .await
            .json()["error"]["fields"][0]["field"],
        "from"
    );
    assert_eq!(
        app.get("/api/v1/calendar/deadline?from=2026-02-13&days=401")
            .await
            .status,
        422
    );
}

#[tokio::test]
async fn importing_next_years_notice_makes_its_deadlines_firm() {
    for app in spawn_apps() {
        app.login_as(jiuzhu_domain::Role::SystemAdmin, "4105");
        let csv = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,holiday,春节\n2027-02-07,holiday,春节\n2027-02-08,holiday,春节\n2027-04-05,holiday,清明节\n2027-05-01,holiday,劳动节\n2027-06-09,holiday,端午节\n2027-10-01,holiday,国庆节\n";
        let r = app
            .send(
                axum::http::Request::post("/api/v1/calendar/holidays")
                    .header("content-type", "text/csv")
                    .body(csv.into())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 200, "{}: {}", app.t.label, r.body);
        assert!(
            r.json()["covered_years"]
                .as_array()
                .unwrap()
                .contains(&json!(2027))
        );
        let d = app
            .get("/api/v1/calendar/deadline?from=2026-12-28&days=10")
            .await
            .json();
        assert_eq!(d["provisional"], false);
        assert_eq!(d["date"], "2027-01-12", "2027-01-01 is now a holiday");
        let bad = "date,kind,name\n2027-03-01,holiday,x\n2027-03-03,workday,x\n";
        let r = app
            .send(
                axum::http::Request::post("/api/v1/calendar/holidays")
                    .body(bad.into())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 400);
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("第 3 行")
        );
        let d = app
            .get("/api/v1/calendar/deadline?from=2027-02-26&days=1")
            .await
            .json();
        assert_eq!(
            d["date"], "2027-03-01",
            "nothing of the refused file was stored"
        );
    }
}

#[tokio::test]
async fn the_region_tree_is_browsable() {
    let app = spawn_apps().remove(0);
    let r = app.get("/api/v1/regions/410502/children").await.json();
    assert_eq!(r.as_array().unwrap().len(), 15);
    assert_eq!(r[0]["name"], "东大街街道");
    assert_eq!(app.get("/api/v1/regions/419999/children").await.status, 404);
    assert_eq!(app.get("/api/v1/regions/41x/children").await.status, 422);
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = spawn_apps().remove(0);
    let doc = app.get("/api/v1/openapi.json").await.json();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    for p in [
        "/api/v1/households",
        "/api/v1/households/{id}",
        "/api/v1/households/{id}/members",
        "/api/v1/households/{id}/members/{person_id}/leave",
        "/api/v1/households/{id}/economic-records",
        "/api/v1/persons/{id}",
        "/api/v1/calendar/deadline",
        "/api/v1/calendar/holidays",
        "/api/v1/regions/{code}/children",
    ] {
        assert!(
            paths.iter().any(|x| x.as_str() == p),
            "{p} missing from OpenAPI"
        );
    }
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn bad_amounts_and_dates_are_refused_with_their_fields() {
    for app in spawn_apps() {
        let v = app
            .json("POST", "/api/v1/households", household_json(1))
            .await
            .json();
        let id = v["household"]["id"].as_str().unwrap().to_owned();
        let rec = json!({"category": "工资性收入", "period_start": "2026-13-01", "period_end": "2026-06-30", "amount": "12.345"});
        let r = app
            .json(
                "POST",
                &format!("/api/v1/households/{id}/economic-records"),
                rec,
            )
            .await;
        assert_eq!(r.status, 422, "{}", app.t.label);
        let fields: Vec<String> = r.json()["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, vec!["period_start", "amount"]);
        assert!(r.body.contains("最多保留两位小数"));
        let mut h = household_json(2);
        h["members"][0]["death_date"] = json!("2026-02-30");
        let r = app.json("POST", "/api/v1/households", h).await;
        assert_eq!(
            r.json()["error"]["fields"][0]["field"],
            "members[0].death_date"
        );
        let v = app.get(&format!("/api/v1/households/{id}")).await.json();
        assert!(
            v["economic_records"].as_array().unwrap().is_empty(),
            "nothing written"
        );
        assert_eq!(app.get("/api/v1/households").await.json()["total"], 1);
    }
}
