//! S20, S21: Cases over the web, on SQLite and PostgreSQL: a 低保 application filed from the household
//! file is worked from the window to enrolment by a caseworker and a township approver, a
//! disputed notice goes to 民主评议; a stale form is told who moved the case; the API files and
//! moves cases with the same checks.

mod common;

use common::*;
use jiuzhu_domain::Role;
use serde_json::json;

async fn household(app: &App, seq: u16) -> String {
    let h = app
        .json("POST", "/api/v1/households", household_json(seq))
        .await;
    assert_eq!(h.status, 201, "{}", h.body);
    h.json()["household"]["id"].as_str().unwrap().to_owned()
}

/// Submits the case page's move form.
async fn act(app: &App, case: &str, version: i32, pairs: &[(&str, &str)]) -> Reply {
    let v = version.to_string();
    let mut all = vec![("version", v.as_str())];
    all.extend_from_slice(pairs);
    app.form(case, &all).await
}

#[tokio::test]
async fn a_dibao_application_goes_from_the_window_to_enrolment_with_a_disputed_notice() {
    for app in spawn_apps() {
        let id = household(&app, 11).await;
        app.login_as(Role::TownshipCaseworker, "410502001");
        let page = app.get(&format!("/households/{id}")).await;
        assert!(page.body.contains("id=\"apply-link\""));
        let form = app.get(&format!("/households/{id}/apply")).await;
        assert_eq!(form.status, 200);
        // The rules propose: no income, so 低保 is pre-checked, with its department.
        assert!(form.body.contains("id=\"proposals\""), "{}", form.body);
        assert!(
            form.body.contains("name=\"dibao\" value=\"1\" checked"),
            "{}",
            form.body
        );
        let bad = app
            .form(
                &format!("/households/{id}/apply"),
                &[("channel", "窗口"), ("summary", "困难")],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("请至少选择一个救助项目"), "{}", bad.body);
        let r = app
            .form(
                &format!("/households/{id}/apply"),
                &[
                    ("dibao", "1"),
                    ("channel", "窗口"),
                    ("summary", "户主失业，配偶二级残疾"),
                    ("filed_on", &days_ago(14)),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let case = r.location();
        assert!(case.starts_with("/cases/410502/"), "{case}");
        let list = app.get("/cases").await;
        assert!(list.body.contains("最低生活保障") && list.body.contains("已申请"));

        // A paper file entered two weeks on: each step dated, with its reason; the 核对 before
        // the opinion.
        let first = days_ago(14);
        let steps: [(&str, &[(&str, &str)]); 4] = [
            ("accept", &[("note", PAPER)]),
            ("start_investigation", &[("note", PAPER)]),
            (
                "record_opinion",
                &[("note", "入户调查属实"), ("investigators", "王五、赵六")],
            ),
            ("publish_notice", &[("note", PAPER)]),
        ];
        verified(&app, &id);
        let mut version = 1;
        for (action, extra) in steps {
            let mut pairs = vec![("action", action), ("on", first.as_str())];
            pairs.extend_from_slice(extra);
            let r = act(&app, &case, version, &pairs).await;
            assert_eq!(r.status, 303, "{action}: {}", r.body);
            version += 1;
        }
        // The printed notice list: masked head, household size, the 7 days.
        let notice = app.get("/cases/notice").await;
        assert!(
            notice
                .body
                .contains("<td>张*</td><td>2</td><td>最低生活保障</td>"),
            "{}",
            notice.body
        );
        // A form opened before the last move is told who moved it.
        let stale = act(
            &app,
            &case,
            version - 1,
            &[("action", "record_objection"), ("note", "邻居反映有车")],
        )
        .await;
        assert_eq!(stale.status, 409);
        assert!(stale.body.contains("请刷新"), "{}", stale.body);
        // The objection within the notice's 7 days: a 民主评议, a new opinion and a new notice,
        // posted 7 days ago so that it has run by today.
        for (action, note, on) in [
            ("record_objection", "村民反映该户有营运车辆", days_ago(10)),
            ("hold_democratic_review", PAPER, days_ago(10)),
            (
                "record_opinion",
                "民主评议：车辆已于2025年转让，异议不成立",
                days_ago(7),
            ),
            ("publish_notice", PAPER, days_ago(7)),
        ] {
            let r = act(
                &app,
                &case,
                version,
                &[("action", action), ("note", note), ("on", &on)],
            )
            .await;
            assert_eq!(r.status, 303, "{action}: {}", r.body);
            version += 1;
        }
        // The caseworker cannot approve; the township approver does.
        let r = act(
            &app,
            &case,
            version,
            &[
                ("action", "approve"),
                ("amount", "606"),
                ("review_months", "12"),
            ],
        )
        .await;
        assert_eq!(r.status, 403);
        app.login_as(Role::TownshipApprover, "410502001");
        let page = app.get(&case).await;
        assert!(page.body.contains("value=\"approve\""), "{}", page.body);
        let r = act(
            &app,
            &case,
            version,
            &[
                ("action", "approve"),
                ("amount", "606"),
                ("review_months", "12"),
            ],
        )
        .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let r = act(&app, &case, version + 1, &[("action", "enrol")]).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let done = app.get(&case).await;
        assert!(
            done.body.contains("已纳入保障") && done.body.contains("606.00 元"),
            "{}",
            done.body
        );
        assert!(done.body.contains("民主评议"));
        assert!(!done.body.contains("到期"), "no due date once decided");
        assert!(!done.body.contains("id=\"move\""), "nothing left to do");
        let letter = app.get(&format!("{case}/letter")).await;
        assert!(
            letter.body.contains("批准通知书") && letter.body.contains("606.00"),
            "{}",
            letter.body
        );
        assert!(letter.body.contains("（盖章）") && letter.body.contains("按手印"));
        // Closed cases leave the open board but stay on the full list.
        assert!(app.get("/cases").await.body.contains("id=\"no-cases\""));
        assert!(app.get("/cases?show=all").await.body.contains("已纳入保障"));
    }
}

#[tokio::test]
async fn the_api_files_and_moves_cases_with_the_same_checks() {
    for app in spawn_apps() {
        let id = household(&app, 12).await;
        let r = app
            .json(
                "POST",
                "/api/v1/cases",
                json!({"household_id": id, "kinds": ["tekun", "临时救助（支出型）"], "channel": "部门转介", "summary": "残联转介", "severity": "一般"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let cases = r.json();
        assert_eq!(cases.as_array().unwrap().len(), 2);
        let c = &cases[0];
        let uri = format!(
            "/api/v1/cases/{}/{}/moves",
            c["county"].as_str().unwrap(),
            c["id"].as_str().unwrap()
        );
        let r = app
            .json("POST", &uri, json!({"action": "enrol", "version": 1}))
            .await;
        assert_eq!(r.status, 409);
        assert!(r.body.contains("不能“纳入保障”"), "{}", r.body);
        let r = app
            .json(
                "POST",
                &uri,
                json!({"action": "accept", "version": 1, "on": "2026-13-01"}),
            )
            .await;
        assert_eq!(r.status, 422);
        assert_eq!(r.json()["error"]["fields"][0]["field"], "on");
        let r = app
            .json("POST", &uri, json!({"action": "accept", "version": 1}))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["version"], 2);
        // The other case is refused at the window: its letter gives the reasons and the
        // 3-working-day limit for serving it.
        let other = &cases[1];
        let o = format!(
            "/api/v1/cases/{}/{}/moves",
            other["county"].as_str().unwrap(),
            other["id"].as_str().unwrap()
        );
        let r = app.json("POST", &o, json!({"action": "refuse_to_accept", "version": 1, "note": "已由残联转介特困，无需重复"})).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let letter = app
            .get(&format!(
                "/cases/{}/{}/letter",
                other["county"].as_str().unwrap(),
                other["id"].as_str().unwrap()
            ))
            .await;
        assert!(
            letter.body.contains("不予受理通知书") && letter.body.contains("无需重复"),
            "{}",
            letter.body
        );
        assert!(letter.body.contains("id=\"serve-by\""));
        assert!(letter.body.contains("行政复议"));
        let list = app.get("/api/v1/cases?open=true").await.json();
        assert_eq!(list.as_array().unwrap().len(), 1);
        let all = app.get("/api/v1/cases").await.json();
        assert_eq!(
            all.as_array().unwrap().len(),
            2,
            "a refused application is never lost"
        );
        // A village coordinator files but does not work cases.
        app.login_as(Role::VillageCoordinator, "410502001001");
        let r = app
            .json(
                "POST",
                &uri,
                json!({"action": "start_investigation", "version": 2}),
            )
            .await;
        assert_eq!(r.status, 403);
    }
}

/// Files one programme for a household through the API; returns the case URL and its JSON.
async fn file_one(app: &App, hid: &str, kind: &str) -> (String, serde_json::Value) {
    let r = app
        .json(
            "POST",
            "/api/v1/cases",
            json!({"household_id": hid, "kinds": [kind], "channel": "窗口", "summary": "家庭困难，申请救助",
                "severity": if kind.starts_with("temporary") { "一般" } else { "" },
                "filed_on": walk_day()}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let c = r.json()[0].clone();
    (
        format!("/api/v1/cases/410502/{}", c["id"].as_str().unwrap()),
        c,
    )
}

/// The moves dated on [`walk_day`] (a paper file entered a week on, so a notice posted then has
/// run by today), each with the back-dated step's reason when it has no note.
fn on_walk_day(list: &[serde_json::Value]) -> Vec<serde_json::Value> {
    list.iter()
        .map(|m| {
            let mut m = m.clone();
            m["on"] = json!(walk_day());
            if m.get("note").is_none() {
                m["note"] = json!(PAPER);
            }
            m
        })
        .collect()
}

async fn moves(app: &App, url: &str, list: &[serde_json::Value]) -> serde_json::Value {
    let mut last = serde_json::Value::Null;
    for m in list {
        let r = app.json("POST", &format!("{url}/moves"), m.clone()).await;
        assert_eq!(r.status, 200, "{m}: {}", r.body);
        last = r.json();
    }
    last
}

#[tokio::test]
async fn a_near_relatives_application_is_flagged_and_decided_by_the_county() {
    for app in spawn_apps() {
        let hid = household(&app, 31).await;
        // A township caseworker files the spouse as a near relative (近亲属备案).
        app.login_as(Role::TownshipCaseworker, "410502001");
        let spouse = id("410502", 1982, 3, 4, 31 * 2 + 2);
        let r = app
            .form(
                "/account/relatives",
                &[
                    ("name", "李四"),
                    ("id_number", spouse.as_str()),
                    ("relation", "配偶"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let (url, c) = file_one(&app, &hid, "dibao").await;
        assert_eq!(c["near_relative"], true);
        let page_url = url.replace("/api/v1", "");
        assert!(
            app.get(&page_url)
                .await
                .body
                .contains("id=\"near-relative\"")
        );
        assert!(app.get("/cases").await.body.contains("近亲属"));
        verified(&app, &hid);
        let v = moves(
            &app,
            &url,
            &on_walk_day(&[
                json!({"action": "accept", "version": 1}),
                json!({"action": "start_investigation", "version": 2}),
                json!({"action": "record_opinion", "version": 3, "note": "收入低于标准", "investigators": "甲、乙"}),
                json!({"action": "publish_notice", "version": 4}),
            ]),
        )
        .await;
        assert_eq!(v["version"], 5);
        // The township approver is not offered the decision and is refused it.
        app.login_as(Role::TownshipApprover, "410502001");
        let seen = app.get(&url).await.json();
        assert!(
            !seen["actions"].to_string().contains("approve"),
            "{}",
            seen["actions"]
        );
        let r = app
            .json(
                "POST",
                &format!("{url}/moves"),
                json!({"action": "approve", "version": 5, "amount": "500", "review_months": "12"}),
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert!(r.body.contains("县级民政部门单独审批"), "{}", r.body);
        // County civil affairs decides.
        app.login_as(Role::CountyCivilAffairs, "410502");
        let r = app
            .json(
                "POST",
                &format!("{url}/moves"),
                json!({"action": "approve", "version": 5, "amount": "500", "review_months": "12"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["stage"], "approved");
        // A household with no staff relative is not flagged.
        app.login_as(Role::TownshipCaseworker, "410502001");
        let other = household(&app, 32).await;
        let (_, c) = file_one(&app, &other, "dibao").await;
        assert_eq!(c["near_relative"], false);
    }
}

#[tokio::test]
async fn one_approval_of_temporary_assistance_is_paid_in_staged_instalments() {
    for app in spawn_apps() {
        let hid = household(&app, 33).await;
        app.login_as(Role::TownshipCaseworker, "410502001");
        let (url, _) = file_one(&app, &hid, "temporary_spending").await;
        moves(
            &app,
            &url,
            &[
                json!({"action": "accept", "version": 1}),
                json!({"action": "start_investigation", "version": 2}),
                json!({"action": "record_opinion", "version": 3, "note": "住院自付 2 万元", "investigators": "甲、乙"}),
            ],
        )
        .await;
        app.login_as(Role::TownshipApprover, "410502001");
        for bad in ["0", "13", "三"] {
            let r = app
                .json("POST", &format!("{url}/moves"), json!({"action": "approve", "version": 4, "amount": "2500", "instalments": bad}))
                .await;
            assert_eq!(r.status, 422, "{bad}: {}", r.body);
            assert!(r.body.contains("分期数应为 1–12 个月"), "{}", r.body);
        }
        let page_url = url.replace("/api/v1", "");
        let r = act(
            &app,
            &page_url,
            4,
            &[
                ("action", "approve"),
                ("amount", "2500"),
                ("instalments", "3"),
            ],
        )
        .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let c = app.get(&url).await.json();
        let plan: Vec<(String, String)> = c["instalments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["month"].as_str().unwrap().to_owned(),
                    i["amount"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let first = jiuzhu_domain::Month::of(jiuzhu_domain::time::today());
        assert_eq!(
            plan,
            [
                (first.to_string(), "833.34".to_owned()),
                (first.next().to_string(), "833.33".to_owned()),
                (first.next().next().to_string(), "833.33".to_owned()),
            ]
        );
        let letter = app.get(&format!("{page_url}/letter")).await;
        assert!(
            letter.body.contains("id=\"letter-instalments\""),
            "{}",
            letter.body
        );
        assert!(
            !letter.body.contains("张榜公示"),
            "temporary assistance is not posted"
        );
        // Enrolment hands it to the payroll; it then leaves the open list.
        let r = act(&app, &page_url, 5, &[("action", "enrol")]).await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(app.get(&url).await.json()["stage"], "enrolled");
        // Instalments are for temporary assistance only: a field another programme's spec
        // does not have is refused by name, whatever the move (issue 16).
        app.login_as(Role::TownshipCaseworker, "410502001");
        let (dibao, _) = file_one(&app, &household(&app, 34).await, "dibao").await;
        let r = app
            .json(
                "POST",
                &format!("{dibao}/moves"),
                json!({"action": "accept", "version": 1, "instalments": "3"}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("\"field\":\"instalments\""), "{}", r.body);
        let dibao_household = app.get(&dibao).await.json()["household_id"]
            .as_str()
            .unwrap()
            .to_owned();
        verified(&app, &dibao_household);
        moves(
            &app,
            &dibao,
            &on_walk_day(&[
                json!({"action": "accept", "version": 1}),
                json!({"action": "start_investigation", "version": 2}),
                json!({"action": "record_opinion", "version": 3, "note": "入户调查属实", "investigators": "甲、乙"}),
                json!({"action": "publish_notice", "version": 4}),
            ]),
        )
        .await;
        app.login_as(Role::TownshipApprover, "410502001");
        let r = app
            .json("POST", &format!("{dibao}/moves"), json!({"action": "approve", "version": 5, "amount": "500", "review_months": "12", "instalments": "3"}))
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(
            r.body.contains("最低生活保障不填写“instalments”"),
            "{}",
            r.body
        );
    }
}

#[tokio::test]
async fn the_application_form_and_investigation_record_print_with_their_signature_blocks() {
    for app in spawn_apps() {
        let hid = household(&app, 35).await;
        app.login_as(Role::TownshipCaseworker, "410502001");
        let (url, _) = file_one(&app, &hid, "dibao").await;
        let page_url = url.replace("/api/v1", "");
        moves(&app, &url, &[json!({"action": "accept", "version": 1})]).await;
        // Accepted: the 3-working-day limit to start the investigation is shown.
        let show = app.get(&page_url).await.body;
        assert!(show.contains("id=\"investigation-due\""), "{show}");
        let form = app.get(&format!("{page_url}/form")).await;
        assert_eq!(form.status, 200);
        for must in [
            "社会救助申请书",
            "申请人（签字并按手印）",
            "受理人（签字）",
            "（盖章）",
            "张三",
            "李四",
            "410502********",
        ] {
            // The window prints the names in full for the applicant to sign; ID numbers masked.
            assert!(form.body.contains(must), "{must}: {}", form.body);
        }
        assert!(!form.body.contains(&id("410502", 1980, 1, 1, 35 * 2 + 1)));
        let blank = app.get(&format!("{page_url}/investigation")).await;
        assert!(
            blank.body.contains("id=\"investigation-blank\""),
            "{}",
            blank.body
        );
        assert!(blank.body.contains("调查人（2 人以上，签字）"));
        assert!(blank.body.contains("被调查人（签字并按手印）"));
        verified(&app, &hid);
        moves(
            &app,
            &url,
            &[
                json!({"action": "start_investigation", "version": 2}),
                json!({"action": "record_opinion", "version": 3, "note": "住房一间，无存款", "investigators": "王五、赵六"}),
            ],
        )
        .await;
        // The opinion carries the rules' answer, shown on the case and on the record.
        let c = app.get(&url).await.json();
        assert_eq!(c["rules"]["outcome"], "符合", "{c}");
        assert!(!c["rules"]["reasons"].as_array().unwrap().is_empty(), "{c}");
        assert!(
            app.get(&page_url)
                .await
                .body
                .contains("id=\"rules-opinion\"")
        );
        let filled = app.get(&format!("{page_url}/investigation")).await;
        assert!(
            filled.body.contains("调查人：王五、赵六；住房一间，无存款")
                && filled.body.contains("id=\"investigation-rules\""),
            "{}",
            filled.body
        );
        // A department that may not reveal names sees them masked.
        app.login_as(Role::CountyEducation, "410502");
        let masked = app.get(&format!("{page_url}/form")).await.body;
        assert!(
            masked.contains("张*") && !masked.contains("张三"),
            "{masked}"
        );
        // Printing is audited.
        app.login_as(Role::AuditAdmin, "4105");
        let log = app.get("/api/v1/audit?action=case.print").await.json();
        assert_eq!(log["items"].as_array().unwrap().len(), 4, "{log}");
        let s = app
            .get("/api/v1/audit?action=household.assess")
            .await
            .json();
        assert!(
            !s["items"].as_array().unwrap().is_empty(),
            "the rules' check is a read: {s}"
        );
    }
}

#[tokio::test]
async fn the_export_lists_every_application_whatever_became_of_it() {
    for app in spawn_apps() {
        let a = household(&app, 36).await;
        let b = household(&app, 37).await;
        app.login_as(Role::TownshipCaseworker, "410502001");
        let (refused, _) = file_one(&app, &a, "temporary_spending").await;
        moves(
            &app,
            &refused,
            &[json!({"action": "refuse_to_accept", "version": 1, "note": "已由医疗救助报销"})],
        )
        .await;
        let (sent, _) = file_one(&app, &b, "temporary_spending").await;
        moves(
            &app,
            &sent,
            &[json!({"action": "transfer", "version": 1, "note": "教育救助", "department": "县级教育部门"})],
        )
        .await;
        file_one(&app, &b, "dibao").await;
        let r = app.get("/cases/export.csv").await;
        assert_eq!(r.status, 200);
        assert!(r.body.starts_with('\u{feff}'), "a BOM for Excel");
        let rows: Vec<&str> = r.body.lines().collect();
        assert_eq!(rows.len(), 4, "{}", r.body);
        assert!(rows[0].contains("办理阶段"));
        for stage in ["不予受理", "已转办", "已申请"] {
            assert!(r.body.contains(stage), "{stage}: {}", r.body);
        }
        assert!(r.body.contains("已由医疗救助报销"));
        // Another township's caseworker sees none of them.
        app.login_as(Role::TownshipCaseworker, "410502002");
        assert_eq!(app.get("/cases/export.csv").await.body.lines().count(), 1);
    }
}
