//! S7 (issue 17 item 1): county civil affairs takes over the old system's rolls from the web
//! page — upload with the old totals, the reconciliation, import, the count — on SQLite and
//! PostgreSQL.

mod common;

use common::*;
use jiuzhu_domain::Role;

/// A one-household 低保 rolls file, its amount `monthly`.
fn rolls_csv(monthly: &str) -> String {
    let headers: Vec<String> = jiuzhu_app::caseload::rolls::columns::columns()
        .into_iter()
        .map(|c| c.header)
        .collect();
    let cell = |h: &str, head: bool| -> String {
        match h {
            "户编号" => "A1".into(),
            "村（社区）代码" => "410502001001".into(),
            "家庭住址" => "解放路8号".into(),
            "姓名" if head => "张三".into(),
            "姓名" => "李四".into(),
            "身份证号" if head => id("410502", 1960, 1, 1, 11),
            "身份证号" => id("410502", 1962, 3, 4, 12),
            "与户主关系" if head => "户主".into(),
            "与户主关系" => "配偶".into(),
            "户籍性质" => "城镇".into(),
            "劳动能力" => "有劳动能力".into(),
            "保障类别" if head => "低保".into(),
            "月保障金额（元）" if head => monthly.into(),
            "起始发放月份" if head => "2022-01".into(),
            "审批日期" if head => "2021-12-20".into(),
            "复核周期" if head => "6".into(),
            _ => String::new(),
        }
    };
    let mut out = headers.join(",") + "\n";
    for head in [true, false] {
        let row: Vec<String> = headers.iter().map(|h| cell(h, head)).collect();
        out += &(row.join(",") + "\n");
    }
    out
}

#[tokio::test]
async fn county_civil_affairs_reconciles_and_imports_the_rolls() {
    for app in spawn_apps() {
        app.login_as(Role::CountyCivilAffairs, "410502");
        let form = app.get("/rolls").await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("/rolls/template.xlsx"));
        let template = app.get("/rolls/template.xlsx").await;
        assert_eq!(template.status, 200);

        // Totals one fen apart: shown as differing, and "import" is not offered.
        let csv = rolls_csv("812.37");
        let r = app
            .upload_with(
                "/rolls",
                &[("expected", "410502 低保 1 2 812.36")],
                "rolls.csv",
                csv.as_bytes(),
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let p = app.get(&r.location()).await;
        assert!(p.body.contains("不一致"), "{}", p.body);
        assert!(!p.body.contains("value=\"all\""));
        let refused = app.form(&r.location(), &[("mode", "all")]).await;
        assert_eq!(refused.status, 409, "{}", refused.body);

        // Matching totals: imported once.
        let r = app
            .upload_with(
                "/rolls",
                &[("expected", "410502\t低保\t1\t2\t812.37")],
                "rolls.csv",
                csv.as_bytes(),
            )
            .await;
        let url = r.location();
        let p = app.get(&url).await;
        assert!(p.body.contains("一致"), "{}", p.body);
        assert!(p.body.contains("value=\"all\""), "{}", p.body);
        let done = app.form(&url, &[("mode", "all")]).await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert!(
            done.location().contains("enrolled=1"),
            "{}",
            done.location()
        );
        assert!(app.get(&done.location()).await.body.contains("导入完成"));
        assert_eq!(
            app.form(&url, &[("mode", "all")]).await.status,
            409,
            "taken once"
        );

        // A bad totals line is named.
        let bad = app
            .upload_with(
                "/rolls",
                &[("expected", "410502 低保 1")],
                "rolls.csv",
                csv.as_bytes(),
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("原系统合计第 1 行"), "{}", bad.body);

        // A township caseworker cannot take over rolls, but sees the household among the
        // periodic reviews (decided 2021-12-20 on a 6-month cycle: due within the next 184 days).
        app.login_as(Role::TownshipCaseworker, "410502001");
        assert_eq!(app.get("/rolls").await.status, 403);
        let due = app.get("/caseload/due?within=200").await;
        assert_eq!(due.status, 200, "{}", due.body);
        assert!(
            due.body.contains(r#"<span id="due-count">1</span>"#),
            "{}",
            due.body
        );
        assert!(due.body.contains("张*"), "masked: {}", due.body);
        assert!(!due.body.contains("张三"));
    }
}
