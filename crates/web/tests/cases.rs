//! Cases over the web, on SQLite and PostgreSQL: a 低保 application filed from the household
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
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let case = r.location();
        assert!(case.starts_with("/cases/410502/"), "{case}");
        let list = app.get("/cases").await;
        assert!(list.body.contains("最低生活保障") && list.body.contains("已申请"));

        let steps: [(&str, &[(&str, &str)]); 4] = [
            ("accept", &[]),
            ("start_investigation", &[]),
            (
                "record_opinion",
                &[("note", "入户调查属实"), ("investigators", "王五、赵六")],
            ),
            ("publish_notice", &[]),
        ];
        let mut version = 1;
        for (action, extra) in steps {
            let mut pairs = vec![("action", action)];
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
        // The objection: a 民主评议, a new opinion and a new notice.
        for (action, note) in [
            ("record_objection", "村民反映该户有营运车辆"),
            ("hold_democratic_review", ""),
            ("record_opinion", "民主评议：车辆已于2025年转让，异议不成立"),
            ("publish_notice", ""),
        ] {
            let r = act(&app, &case, version, &[("action", action), ("note", note)]).await;
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
                json!({"household_id": id, "kinds": ["tekun", "临时救助（支出型）"], "channel": "部门转介", "summary": "残联转介"}),
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
