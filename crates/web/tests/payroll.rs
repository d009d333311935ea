//! S4, G3: The payroll pages, on SQLite and PostgreSQL: county civil affairs sets a household's payee
//! account (a bad number is named), generates a month (a bad month is named), and three
//! different people check, approve and export it; the same person is refused in place; the
//! bank file downloads; the return file reconciles with a failure; a death stops payments.

mod common;

use common::*;
use jiuzhu_domain::Role;
use serde_json::json;

async fn enrolled_household(app: &App, seq: u16) -> String {
    let h = app
        .json("POST", "/api/v1/households", household_json(seq))
        .await;
    let hid = h.json()["household"]["id"].as_str().unwrap().to_owned();
    let r = app
        .json(
            "POST",
            "/api/v1/cases",
            json!({"household_id": hid, "kinds": ["dibao"], "channel": "窗口", "summary": "家庭困难", "filed_on": walk_day()}),
        )
        .await;
    // A paper file entered a week on (the notice has run by today), 核对 done.
    verified(app, &hid);
    let url = format!(
        "/api/v1/cases/410502/{}/moves",
        r.json()[0]["id"].as_str().unwrap()
    );
    for (n, m) in [
        json!({"action": "accept", "note": PAPER, "on": walk_day()}),
        json!({"action": "start_investigation", "note": PAPER, "on": walk_day()}),
        json!({"action": "record_opinion", "note": "入户调查属实", "investigators": "甲、乙", "on": walk_day()}),
        json!({"action": "publish_notice", "note": PAPER, "on": walk_day()}),
        json!({"action": "approve", "amount": "700", "review_months": "12"}),
        json!({"action": "enrol"}),
    ]
    .into_iter()
    .enumerate()
    {
        let mut m = m;
        m["version"] = json!(n + 1);
        // Issue 15 F10: a colleague who did not investigate approves.
        let deciding = m["action"] == "approve";
        let own = app.session.lock().unwrap().clone();
        if deciding {
            app.login_as(Role::CountyCivilAffairs, "410502000000");
        }
        let r = app.json("POST", &url, m).await;
        assert_eq!(r.status, 200, "{}", r.body);
        if deciding {
            *app.session.lock().unwrap() = own;
        }
    }
    hid
}

fn between<'a>(s: &'a str, from: &str, to: &str) -> &'a str {
    let start = s.find(from).unwrap() + from.len();
    &s[start..start + s[start..].find(to).unwrap()]
}

#[tokio::test]
async fn three_people_take_a_county_month_from_draft_to_reconciled() {
    for app in spawn_apps() {
        let a = enrolled_household(&app, 41).await;
        let b = enrolled_household(&app, 42).await;
        // The payee account form names a bad number and keeps what was typed.
        let bad = app
            .form(
                &format!("/households/{a}/account"),
                &[
                    ("bank", "安阳农商银行"),
                    ("account", "12ab"),
                    ("holder", "张三"),
                ],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(
            bad.body.contains("账号应为 10–30 位数字") && bad.body.contains("安阳农商银行"),
            "{}",
            bad.body
        );
        for (h, n) in [(&a, "6228480000000000411"), (&b, "6228480000000000422")] {
            let r = app
                .form(
                    &format!("/households/{h}/account"),
                    &[("bank", "安阳农商银行"), ("account", n), ("holder", "张三")],
                )
                .await;
            assert_eq!(r.status, 303, "{}", r.body);
        }
        let page = app.get(&format!("/households/{a}/account")).await.body;
        assert!(
            page.contains("****0411") && !page.contains("6228480000000000411"),
            "{page}"
        );
        assert!(
            page.contains("id=\"enrolments\"") && page.contains("700.00"),
            "{page}"
        );

        let next = jiuzhu_domain::Month::of(jiuzhu_domain::time::today())
            .next()
            .to_string();
        let r = app
            .form("/payroll", &[("county", "410502"), ("month", "2026-13")])
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("月份格式错误"), "{}", r.body);
        let r = app
            .form("/payroll", &[("county", "410502"), ("month", &next)])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let run = r.location();
        let page = app.get(&run).await.body;
        assert!(page.contains("id=\"totals-all\""), "{page}");
        assert!(
            between(&page, "id=\"totals-all\"", "</tr>").contains("1400.00"),
            "{page}"
        );
        // The drafter may not check: refused in place with the reason.
        let version = between(&page, "name=\"version\" value=\"", "\"").to_owned();
        let r = app
            .form(&run, &[("action", "check"), ("version", &version)])
            .await;
        assert_eq!(r.status, 403);
        assert!(r.body.contains("四眼原则"), "{}", r.body);
        app.login_as(Role::CountyCivilAffairs, "410502000000");
        assert_eq!(
            app.form(&run, &[("action", "check"), ("version", &version)])
                .await
                .status,
            303
        );
        let v2 = (version.parse::<i32>().unwrap() + 1).to_string();
        app.login_as(Role::CountyCivilAffairs, "410502000");
        assert_eq!(
            app.form(&run, &[("action", "approve"), ("version", &v2)])
                .await
                .status,
            303
        );
        let v3 = (version.parse::<i32>().unwrap() + 2).to_string();
        assert_eq!(
            app.form(&run, &[("action", "export"), ("version", &v3)])
                .await
                .status,
            303
        );
        let page = app.get(&run).await.body;
        let link = between(&page, "href=\"/payroll/", "&format=csv\"").to_owned();
        let file = app
            .get(&format!(
                "/payroll/{}&format=csv",
                link.replace("&amp;", "&")
            ))
            .await;
        assert_eq!(file.status, 200, "{}", file.body);
        assert!(file.body.contains("6228480000000000411"));
        let refs: Vec<String> = file
            .body
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(4).unwrap().to_owned())
            .collect();
        assert_eq!(refs.len(), 2);
        let ret = format!(
            "参考号,结果,原因\n{},成功,\n{},失败,户名不符\n",
            refs[0], refs[1]
        );
        let r = app
            .upload(&format!("{run}/return"), "return.csv", ret.as_bytes())
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("id=\"reconcile-report\""), "{}", r.body);
        assert!(r.body.contains("已对账"), "{}", r.body);
        let all = between(&r.body, "id=\"totals-all\"", "</tr>").to_owned();
        assert!(all.contains("700.00") && all.contains("1400.00"), "{all}");
        let failed = app.get(&format!("{run}?status=failed")).await.body;
        assert!(
            failed.contains("户名不符") && failed.contains("更正账户"),
            "{failed}"
        );

        // Suspending holds the month's lines; resuming lets them be paid again.
        let enrolment_b = between(&page_of(&app, &b).await, "/enrolments/", "/stop").to_owned();
        let sus = format!("/households/{b}/enrolments/{enrolment_b}/suspend");
        let r = app.form(&sus, &[("suspend", "1"), ("reason", "")]).await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("请写明暂停原因"), "{}", r.body);
        assert_eq!(
            app.form(&sus, &[("suspend", "1"), ("reason", "外出务工待核实")])
                .await
                .status,
            303
        );
        assert!(page_of(&app, &b).await.contains("暂停发放：外出务工待核实"));
        let later = jiuzhu_domain::Month::parse(&next)
            .unwrap()
            .next()
            .to_string();
        let r = app
            .form("/payroll", &[("county", "410502"), ("month", &later)])
            .await;
        let held = app.get(&format!("{}?status=held", r.location())).await.body;
        assert!(held.contains("暂停发放"), "{held}");
        assert_eq!(app.form(&sus, &[("suspend", "0")]).await.status, 303);
        assert_eq!(
            app.form(&sus, &[("suspend", "0")]).await.status,
            409,
            "already running"
        );

        // A death stops payments from the next month (the township approver may not run the
        // payroll, but decides the stop).
        let enrolment = between(&page_of(&app, &a).await, "/enrolments/", "/stop").to_owned();
        let r = app
            .form(
                &format!("/households/{a}/enrolments/{enrolment}/stop"),
                &[("died_on", "2026-02-30"), ("reason", "死亡")],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("死亡日期应为"), "{}", r.body);
        let r = app
            .form(
                &format!("/households/{a}/enrolments/{enrolment}/stop"),
                &[("died_on", "2027-03-02"), ("reason", "死亡")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(page_of(&app, &a).await.contains("2027-03"));
    }
}

async fn page_of(app: &App, household: &str) -> String {
    app.get(&format!("/households/{household}/account"))
        .await
        .body
}

#[tokio::test]
async fn county_civil_affairs_funds_a_township_and_the_township_sees_its_ledger() {
    for app in spawn_apps() {
        let r = app
            .form(
                "/reserve",
                &[
                    ("township", "410502001000"),
                    ("kind", "allocation"),
                    ("amount", "-1"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(
            r.body.contains("请填写大于 0 的金额") && r.body.contains("请写明资金来源"),
            "{}",
            r.body
        );
        let r = app
            .form(
                "/reserve",
                &[("township", ""), ("amount", "5000"), ("note", "年初拨付")],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("请选择乡镇"), "{}", r.body);
        let r = app
            .form(
                "/reserve",
                &[
                    ("township", "410502001000"),
                    ("kind", "allocation"),
                    ("amount", "5000"),
                    ("note", "安民〔2026〕3号"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.location(), "/reserve/410502001000");
        app.login_as(Role::TownshipCaseworker, "410502001");
        let page = app.get("/reserve").await.body;
        assert!(
            page.contains("5000.00") && !page.contains("id=\"credit-form\""),
            "{page}"
        );
        let ledger = app.get("/reserve/410502001000").await.body;
        assert!(
            ledger.contains("安民〔2026〕3号") && ledger.contains("+5000.00"),
            "{ledger}"
        );
        assert_eq!(
            app.form(
                "/reserve",
                &[
                    ("township", "410502001000"),
                    ("amount", "1"),
                    ("note", "自行入账")
                ]
            )
            .await
            .status,
            403
        );
        app.login_as(Role::TownshipCaseworker, "410502002");
        assert_eq!(
            app.get("/reserve/410502001000").await.status,
            404,
            "another township's ledger"
        );
    }
}

#[tokio::test]
async fn an_overpayment_is_recorded_on_its_case_and_repaid_on_its_page() {
    for app in spawn_apps() {
        let h = enrolled_household(&app, 43).await;
        let cases = app.get("/api/v1/cases").await.json();
        let case = cases
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["household_id"] == h.as_str())
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let page = app.get(&format!("/cases/410502/{case}")).await.body;
        assert!(page.contains("id=\"receivable-form\""), "{page}");
        let url = format!("/cases/410502/{case}/receivables");
        let bad = app
            .form(&url, &[("cause", "error"), ("amount", "x"), ("note", "")])
            .await;
        assert_eq!(bad.status, 422);
        assert!(
            bad.body.contains("应追回金额") && bad.body.contains("经过"),
            "{}",
            bad.body
        );
        let r = app
            .form(
                &url,
                &[
                    ("cause", "late_change"),
                    ("amount", "450"),
                    ("offset_per_month", ""),
                    ("note", "子女就业未及时报告"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let rec = r.location();
        let r = app
            .form(
                &rec,
                &[("action", "repay"), ("amount", "500"), ("note", "多退")],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("不超过尚欠的 450.00 元"), "{}", r.body);
        let r = app
            .form(
                &rec,
                &[
                    ("action", "repay"),
                    ("amount", "450"),
                    ("note", "缴款书 001"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let page = app.get(&rec).await.body;
        assert!(
            page.contains("已追回") && page.contains("缴款书 001"),
            "{page}"
        );
        let list = app.get("/receivables").await.body;
        let row = list.split("家庭情况变化未及时报告").nth(1).unwrap();
        assert!(row.contains("450.00"), "{list}");
        // A township caseworker reads it but cannot record one.
        app.login_as(Role::TownshipCaseworker, "410502001");
        assert_eq!(app.get(&rec).await.status, 200);
        assert_eq!(
            app.form(
                &url,
                &[("cause", "error"), ("amount", "1"), ("note", "试试")]
            )
            .await
            .status,
            403
        );
    }
}

#[tokio::test]
async fn the_fund_view_sets_budgets_and_is_for_county_and_city_supervision() {
    for app in spawn_apps() {
        let r = app
            .form(
                "/funds/budget",
                &[
                    ("county", "410502"),
                    ("year", "20x6"),
                    ("programme", "dibao"),
                    ("amount", "100"),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("年度应为"), "{}", r.body);
        let r = app
            .form(
                "/funds/budget",
                &[
                    ("county", "410502"),
                    ("year", "2027"),
                    ("programme", "dibao"),
                    ("amount", "1200000"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let page = app.get("/funds?year=2027").await.body;
        assert!(
            page.contains("1200000.00") && page.contains("id=\"no-anomalies\""),
            "{page}"
        );
        app.login_as(Role::CityInspector, "4105");
        let page = app.get("/funds?year=2027").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("1200000.00") && !page.body.contains("id=\"budget-form\""));
        app.login_as(Role::TownshipCaseworker, "410502001");
        assert_eq!(app.get("/funds").await.status, 403);
    }
}

#[tokio::test]
async fn the_api_runs_a_month_with_the_same_checks() {
    for app in spawn_apps() {
        let h = enrolled_household(&app, 44).await;
        let r = app
            .form(
                &format!("/households/{h}/account"),
                &[
                    ("bank", "安阳农商银行"),
                    ("account", "6228480000000000444"),
                    ("holder", "张三"),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        let bad = app
            .json(
                "POST",
                "/api/v1/payroll",
                json!({"county": "4105", "month": "26-1"}),
            )
            .await;
        assert_eq!(bad.status, 422);
        let fields: Vec<String> = bad.json()["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["county"]);
        let next = jiuzhu_domain::Month::of(jiuzhu_domain::time::today())
            .next()
            .to_string();
        let r = app
            .json(
                "POST",
                "/api/v1/payroll",
                json!({"county": "410502", "month": next}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let run = r.json();
        let url = format!("/api/v1/payroll/410502/{}", run["id"].as_str().unwrap());
        assert_eq!(run["all"]["total"], "700.00");
        assert_eq!(app.get("/api/v1/payroll").await.json()[0]["id"], run["id"]);
        let lines = app.get(&format!("{url}/lines?status=pending")).await.json();
        assert_eq!(lines[0]["account_masked"], "****0444");
        let same = app
            .json(
                "POST",
                &format!("{url}/actions"),
                json!({"action": "check", "version": run["version"]}),
            )
            .await;
        assert_eq!(same.status, 403, "{}", same.body);
        app.login_as(Role::CountyCivilAffairs, "410502000000");
        let v = app
            .json(
                "POST",
                &format!("{url}/actions"),
                json!({"action": "check", "version": run["version"]}),
            )
            .await
            .json();
        app.login_as(Role::CountyCivilAffairs, "410502000");
        let stale = app
            .json(
                "POST",
                &format!("{url}/actions"),
                json!({"action": "approve", "version": run["version"]}),
            )
            .await;
        assert_eq!(stale.status, 409);
        let v = app
            .json(
                "POST",
                &format!("{url}/actions"),
                json!({"action": "approve", "version": v["version"]}),
            )
            .await
            .json();
        let v = app
            .json(
                "POST",
                &format!("{url}/actions"),
                json!({"action": "export", "version": v["version"]}),
            )
            .await
            .json();
        assert_eq!(v["status"], "exported");
        let id = lines[0]["id"].as_str().unwrap();
        let rep = app
            .json(
                "POST",
                &format!("{url}/return"),
                json!({"csv": format!("参考号,结果,原因\n{id},成功,\n")}),
            )
            .await;
        assert_eq!(rep.status, 200, "{}", rep.body);
        assert_eq!(rep.json()["paid"], 1);
        assert_eq!(rep.json()["run"]["status"], "reconciled");
    }
}
