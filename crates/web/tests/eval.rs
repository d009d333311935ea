//! S2: The rules engine over the web, on SQLite and PostgreSQL: `POST /api/v1/eval` answers every
//! golden case exactly as the engine does, bad input names the field, a registered household
//! is assessed from its records (audited), and the policy page labels illustrative values.

mod common;

use common::*;
use jiuzhu_domain::Role;
use serde_json::json;

#[tokio::test]
async fn the_api_answers_every_golden_case_exactly_as_the_engine() {
    let apps = spawn_apps();
    let app = &apps[0];
    let engine = app.state.engine.clone();
    let cases = jiuzhu_rules::testing::golden_cases();
    assert!(cases.len() >= 80);
    for jiuzhu_rules::testing::GoldenCase {
        name,
        date,
        household,
        error,
    } in cases
    {
        let r = app
            .json(
                "POST",
                "/api/v1/eval",
                json!({"date": date, "household": household}),
            )
            .await;
        match error {
            Some(field) => {
                assert_eq!(r.status, 422, "{name}: {}", r.body);
                let got = r.json()["error"]["fields"][0]["field"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                assert!(
                    got == format!("household.{field}")
                        || (field.starts_with("policy/") && got == "date"),
                    "{name}: {got}"
                );
            }
            None => {
                assert_eq!(r.status, 200, "{name}: {}", r.body);
                let h: jiuzhu_rules::Household = serde_json::from_value(household).unwrap();
                let want = engine.assess(&h, date.parse().unwrap(), true).unwrap();
                assert_eq!(r.json(), serde_json::to_value(&want).unwrap(), "{name}");
            }
        }
    }
}

#[tokio::test]
async fn bad_eval_bodies_name_the_field_and_explain_can_be_turned_off() {
    for app in spawn_apps() {
        let r = app
            .json(
                "POST",
                "/api/v1/eval",
                json!({"household": {"region": "4105"}}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.json()["error"]["fields"][0]["field"], "body");
        assert!(
            r.json()["error"]["fields"][0]["message"]
                .as_str()
                .unwrap()
                .contains("area"),
            "{}",
            r.body
        );
        let r = app
            .json(
                "POST",
                "/api/v1/eval",
                json!({"household": {"region": "410502", "area": "urban", "members": [{"id": "a", "birth_date": "1950-01-01"}], "incomes": [{"kind": "wage", "monthly": 1.5}]}}),
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("不接受浮点数"), "{}", r.body);
        let r = app
            .json(
                "POST",
                "/api/v1/eval",
                json!({"date": "2025-08-01", "explain": false, "household": {"region": "410502", "area": "urban", "members": [{"id": "a", "birth_date": "1950-01-01"}]}}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        assert!(v.get("explanation").is_none() && v.get("input").is_none());
        assert!(
            v["results"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r.get("explanation").is_none())
        );
        assert_eq!(v["results"][0]["programme"], "dibao");
        assert_eq!(v["results"][0]["monthly_fen"], 80_300);
    }
}

/// Records a member's wages for 2026 (yuan for the year) over the API.
async fn record_wages_2026(app: &App, household: &str, person: &str, yearly: &str) {
    let rec = json!({"person_id": person, "category": "工资性收入", "period_start": "2026-01-01", "period_end": "2026-12-31", "amount": yearly});
    let r = app
        .json(
            "POST",
            &format!("/api/v1/households/{household}/economic-records"),
            rec,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn a_registered_household_is_assessed_from_its_records_and_the_look_is_audited() {
    for app in spawn_apps() {
        let h = app
            .json("POST", "/api/v1/households", household_json(5))
            .await;
        assert_eq!(h.status, 201, "{}", h.body);
        let h = h.json();
        let id = h["household"]["id"].as_str().unwrap().to_owned();
        let head = h["members"][0]["person"]["id"].as_str().unwrap().to_owned();
        record_wages_2026(&app, &id, &head, "12000").await;
        let r = app
            .get(&format!("/api/v1/households/{id}/assessment?on=2026-11-29"))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        let a = &v["assessment"];
        // 12,000 over 12 months → 1,000 a month for two people: 500 per head, 730 standard.
        assert_eq!(a["per_capita_income_fen"], 50_000, "{}", app.t.label);
        let dibao = a["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["programme"] == "dibao")
            .unwrap();
        // (730 − 500) × 2 + 20 % severe-disability supplement for 李四 (146) = 606.00.
        assert_eq!(dibao["monthly_fen"], 60_600);
        assert_eq!(v["members"][0]["label"], "成员1");
        assert_eq!(v["members"][0]["name_masked"], "张*");
        assert!(!r.body.contains("张三"), "no full names in an assessment");
        // The page shows the same, with the illustrative-values warning and the citations.
        let page = app
            .get(&format!("/households/{id}/assessment?on=2026-11-29"))
            .await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("606.00 元"), "{}", page.body);
        assert!(page.body.contains("示例值"));
        assert!(page.body.contains("民发〔2021〕57号"));
        assert!(page.body.contains("id=\"illustrative-note\""));
        let bad = app
            .get(&format!("/households/{id}/assessment?on=2026-13-01"))
            .await;
        assert_eq!(bad.status, 200);
        assert!(
            bad.body.contains("评估日期“2026-13-01”格式错误"),
            "a bad date is named, not ignored"
        );
        // Outside the caseworker's county it is not found.
        app.login_as(Role::CountyCivilAffairs, "410522");
        assert_eq!(
            app.get(&format!("/api/v1/households/{id}/assessment"))
                .await
                .status,
            404
        );
        assert_eq!(
            app.get(&format!("/households/{id}/assessment"))
                .await
                .status,
            404
        );
        // Every assessment is in the audit log.
        app.login_as(Role::AuditAdmin, "4105");
        let log = app
            .get("/api/v1/audit?action=household.assess")
            .await
            .json();
        assert!(log["items"].as_array().unwrap().len() >= 2, "{log}");
    }
}

#[tokio::test]
async fn the_policy_page_shows_the_values_in_force_with_illustrative_ones_labelled() {
    for app in spawn_apps() {
        let page = app.get("/policy?region=410526&date=2025-07-01").await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("720.00 元") && page.body.contains("530.00 元"),
            "滑县's own standard"
        );
        assert!(page.body.contains("示例值"));
        assert!(page.body.contains("dibao.gradual_exit.months"));
        let page = app.get("/policy?region=410526&date=2025-06-30").await;
        assert!(
            page.body.contains("700.00 元") && page.body.contains("510.00 元"),
            "the city's standard before"
        );
        let page = app.get("/policy?date=2020-01-01").await;
        assert!(page.body.contains("早于本文件的起始日期"), "{}", page.body);
        let page = app.get("/policy?region=41X").await;
        assert!(page.body.contains("区划代码有误"));
    }
}

/// S5: 法定义务人 — a child living with two employed parents is not 特困: the page and the API
/// name the parent who owes support and the clause (43号 Art. 4(3); 民法典 第1067条).
#[tokio::test]
async fn a_child_with_employed_parents_is_not_tekun_and_the_reason_names_the_parent() {
    for app in spawn_apps() {
        let body = json!({
            "region_code": "410502001001",
            "address": "解放路88号",
            "members": [
                {"name": "王大", "id_number": id("410502", 1985, 2, 3, 801), "relation": "户主", "hukou_type": "城镇",
                 "labour_capacity": "有劳动能力", "employment_status": "就业"},
                {"name": "刘二", "id_number": id("410502", 1987, 5, 6, 802), "relation": "配偶", "hukou_type": "城镇",
                 "labour_capacity": "有劳动能力", "employment_status": "就业"},
                {"name": "王小", "id_number": id("410502", 2016, 7, 8, 803), "relation": "子女", "hukou_type": "城镇",
                 "labour_capacity": "无劳动能力", "school_stage": "小学"}
            ]
        });
        let h = app.json("POST", "/api/v1/households", body).await;
        assert_eq!(h.status, 201, "{}", h.body);
        let h = h.json();
        let id = h["household"]["id"].as_str().unwrap().to_owned();
        for (k, yearly) in [(0, "48000"), (1, "36000")] {
            let person = h["members"][k]["person"]["id"].as_str().unwrap();
            record_wages_2026(&app, &id, person, yearly).await;
        }
        let r = app
            .get(&format!("/api/v1/households/{id}/assessment?on=2026-11-29"))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        let tekun = v["assessment"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["programme"] == "tekun")
            .unwrap()
            .clone();
        assert_eq!(tekun["outcome"], "not_eligible", "{}: {tekun}", app.t.label);
        let reasons = tekun["reasons"].to_string();
        assert!(
            reasons.contains("成员3 有具备履行义务能力的法定义务人 成员1（父母，同户）"),
            "{}: {reasons}",
            app.t.label
        );
        let page = app
            .get(&format!("/households/{id}/assessment?on=2026-11-29"))
            .await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("成员1（父母，同户）") && page.body.contains("民法典 第1067条"),
            "{}: the page names the parent and the clause",
            app.t.label
        );
    }
}
