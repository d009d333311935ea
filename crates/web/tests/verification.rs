//! S22: The verification pages, on SQLite and PostgreSQL: the consent sheet records each adult's
//! 核对授权 (bad input named, the check refused in place until all have signed), the check runs
//! and its printable report flags what the family did not declare; the 核对员's import page
//! lists refused rows and takes the same file once; other roles cannot reach it.

mod common;

use common::*;
use jiuzhu_domain::Role;

/// Registers the fixture household and returns its ID and the ID numbers of its members.
async fn register(app: &App) -> (String, Vec<String>) {
    let h = app
        .json("POST", "/api/v1/households", household_json(3))
        .await;
    assert_eq!(h.status, 201, "{}", h.body);
    let ids: Vec<String> = household_json(3)["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id_number"].as_str().unwrap().to_owned())
        .collect();
    (
        h.json()["household"]["id"].as_str().unwrap().to_owned(),
        ids,
    )
}

#[tokio::test]
async fn the_consent_sheet_gates_the_check_and_the_report_flags_the_undeclared() {
    for app in spawn_apps() {
        let (id, ids) = register(&app).await;
        // The verification officer brings in a car and a deposit nobody declared.
        app.login_as(Role::Verifier, "410502");
        let csv = format!(
            "身份证号,记录类型,金额,数据日期,编号\n{},car,,2026-10-01,豫E12345\n{},deposit,88000.00,2026-10-31,B1\n",
            ids[0], ids[1]
        );
        let page = app.get("/agency-import").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("部门数据导入"));
        let r = app
            .upload_with(
                "/agency-import",
                &[("source", "vehicle")],
                "mixed.csv",
                csv.as_bytes(),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        // The deposit row belongs to the bank: refused with its row and reason, the car is in.
        assert!(r.body.contains("id=\"row-errors\""), "{}", r.body);
        assert!(
            r.body.contains("<td>mixed.csv</td><td>3</td><td>kind</td>"),
            "{}",
            r.body
        );
        let bank = format!(
            "身份证号,记录类型,金额,数据日期,编号\n{},deposit,88000.00,2026-10-31,B1\n",
            ids[1]
        );
        let r = app
            .upload_with(
                "/agency-import",
                &[("source", "银行")],
                "bank.csv",
                bank.as_bytes(),
            )
            .await;
        assert!(
            r.body.contains("<span id=\"refused\">0</span>"),
            "{}",
            r.body
        );
        let again = app
            .upload_with(
                "/agency-import",
                &[("source", "bank")],
                "bank.csv",
                bank.as_bytes(),
            )
            .await;
        assert!(again.body.contains("已导入过"), "{}", again.body);
        let none = app
            .upload_with(
                "/agency-import",
                &[("source", "")],
                "bank.csv",
                bank.as_bytes(),
            )
            .await;
        assert_eq!(none.status, 422);
        assert!(none.body.contains("请选择数据来源"));

        // The township caseworker at the window.
        app.login_as(Role::TownshipCaseworker, "410502001");
        assert_eq!(app.get("/agency-import").await.status, 403);
        let show = app.get(&format!("/households/{id}")).await;
        assert!(show.body.contains("id=\"verify-link\""));
        let uri = format!("/households/{id}/verification");
        let page = app.get(&uri).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("id=\"run-check\" disabled"));
        // Running anyway is refused in place, naming who has not signed.
        let r = app.form(&uri, &[]).await;
        assert_eq!(r.status, 409);
        assert!(
            r.body.contains("缺少核对授权") && r.body.contains("张*"),
            "{}",
            r.body
        );
        let people: Vec<String> = page
            .body
            .split("name=\"person_id\" value=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .collect();
        assert_eq!(people.len(), 2, "both adults have a form");
        let consents = format!("/households/{id}/consents");
        let bad = app
            .form(
                &consents,
                &[
                    ("person_id", &people[0]),
                    ("signed_on", "2026-02-30"),
                    ("method", "书面"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("签署日期应为 YYYY-MM-DD"), "{}", bad.body);
        for p in &people {
            let r = app
                .form(
                    &consents,
                    &[
                        ("person_id", p),
                        ("signed_on", "2026-11-20"),
                        ("method", "书面"),
                    ],
                )
                .await;
            assert_eq!(r.status, 303, "{}", r.body);
        }
        let page = app.get(&uri).await;
        assert!(!page.body.contains("disabled") && page.body.contains("已授权 2026-11-20"));
        let r = app.form(&uri, &[]).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let report = app.get(&r.location()).await;
        assert_eq!(report.status, 200);
        let b = &report.body;
        assert!(b.contains("家庭经济状况核对报告"));
        assert!(b.contains("发现差异") && b.contains("2 "), "{b}");
        assert!(
            b.contains("<td>机动车、船舶（辆）</td><td>0</td><td>1</td>"),
            "{b}"
        );
        assert!(
            b.contains("<td>金融资产</td><td>0.00</td><td>88000.00</td>"),
            "{b}"
        );
        assert!(b.contains("豫E12345"));
        assert!(b.contains("核对人（签字）") && b.contains("核对机构（盖章）"));
        assert!(!b.contains(&ids[0]) && !b.contains("张三"), "masked only");
        // The household page lists the stored report.
        assert!(app.get(&uri).await.body.contains("2 项"));
    }
}
