//! S20: The caseworkers' pages: list, search, registration, the household file, refused forms that
//! keep what was typed, roster import with preview, the calendar, and the language switch.

mod common;

use common::*;
use jiuzhu_domain::Role;

fn head_form(id_number: &str) -> Vec<(&'static str, String)> {
    vec![
        ("region_code", "410502001001".into()),
        ("address", "解放路8号".into()),
        ("name", "王小二".into()),
        ("id_number", id_number.into()),
        ("hukou_type", "urban".into()),
        ("labour_capacity", "full".into()),
        ("employment_status", "employed".into()),
        ("adl_lost", "bathing".into()),
        ("adl_lost", "walking".into()),
    ]
}

fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, s)| (*k, s.as_str())).collect()
}

#[tokio::test]
async fn a_caseworker_registers_a_household_and_opens_its_file() {
    for app in spawn_apps() {
        let form = head_form(&id("410502", 1975, 7, 7, 11));
        let r = app.form("/households", &pairs(&form)).await;
        assert_eq!(r.status, 303, "{}: {}", app.t.label, r.body);
        let page = app.get(&r.location()).await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("王*二 家庭"),
            "masked head name in the title"
        );
        assert!(page.body.contains("文峰区 / 东大街街道 / 楼东社区居委会"));
        assert!(page.body.contains("410502********"), "ID numbers masked");
        assert!(
            !page.body.contains(&id("410502", 1975, 7, 7, 11)),
            "the full ID number is not shown"
        );
        let list = app.get(&format!("/households?q={}", enc("王"))).await;
        assert!(list.body.contains("共 1 户"), "{}", list.body);
        assert!(list.body.contains(&r.location()));
        let person_link = page
            .body
            .split("href=\"/persons/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let person = app.get(&format!("/persons/{person_link}")).await;
        assert!(
            person.body.contains("室内行走、洗澡"),
            "ADL items kept: {}",
            person.body
        );
    }
}

#[tokio::test]
async fn a_refused_form_keeps_every_value_and_names_the_field() {
    for app in spawn_apps() {
        let mut form = head_form("410502197507070110");
        form[1].1 = String::new();
        let r = app.form("/households", &pairs(&form)).await;
        assert_eq!(r.status, 422);
        assert!(
            r.body.contains(r#"data-field="id_number""#),
            "error beside the ID number"
        );
        assert!(
            r.body.contains(r#"data-field="address""#),
            "error beside the address"
        );
        assert!(r.body.contains("校验码"), "Chinese message");
        assert!(
            r.body.contains(r#"value="王小二""#),
            "the name typed is kept"
        );
        assert!(
            r.body.contains(r#"value="410502197507070110""#),
            "the ID number typed is kept"
        );
        assert!(
            r.body.contains(r#"value="bathing" checked"#),
            "ticked boxes stay ticked"
        );
        assert!(
            app.get("/households").await.body.contains("共 0 户"),
            "{}: nothing written",
            app.t.label
        );
    }
}

#[tokio::test]
async fn members_are_added_and_removed_from_the_household_page() {
    for app in spawn_apps() {
        let r = app
            .form(
                "/households",
                &pairs(&head_form(&id("410502", 1975, 7, 7, 11))),
            )
            .await;
        let url = r.location();
        let page = app.get(&url).await;
        let version = page
            .body
            .split(r#"name="version" value=""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let child = id("410502", 2012, 3, 3, 22);
        let add = [
            ("version", version.as_str()),
            ("name", "王小妹"),
            ("id_number", child.as_str()),
            ("relation", "child"),
            ("hukou_type", "urban"),
            ("labour_capacity", "none"),
            ("joined_on", "2012-03-03"),
            ("reason", "出生"),
        ];
        let r = app.form(&format!("{url}/members"), &add).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let page = app.get(&url).await;
        assert!(page.body.contains(r#"<dd id="member-count">2</dd>"#));
        // Adding again with the old version and the same number: refused, form kept open.
        let r = app.form(&format!("{url}/members"), &add).await;
        assert_eq!(r.status, 422);
        assert!(
            r.body.contains("<details open"),
            "the failed form is shown open"
        );
        assert!(r.body.contains("已登记"));
        // The child leaves.
        let version = page
            .body
            .split(r#"name="version" value=""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let child_pid = page
            .body
            .split("href=\"/persons/")
            .nth(2)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let r = app
            .form(
                &format!("{url}/members/{child_pid}/leave"),
                &[("version", &version), ("left_on", ""), ("reason", "迁出")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let page = app.get(&url).await;
        assert!(page.body.contains(r#"<dd id="member-count">1</dd>"#));
        assert!(page.body.contains("迁出"), "history shows the reason");
        // A record with a bad amount is refused beside its field.
        let r = app
            .form(
                &format!("{url}/records"),
                &[
                    ("category", "wage"),
                    ("period_start", "2026-01-01"),
                    ("period_end", "2026-06-30"),
                    ("amount", "abc"),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains(r#"data-field="amount""#));
    }
}

#[tokio::test]
async fn the_list_paginates_and_refuses_a_bad_cursor() {
    let app = spawn_apps().remove(0);
    for i in 0..3u16 {
        let f = head_form(&id("410502", 1970, 1, 1, i * 2 + 1));
        assert_eq!(app.form("/households", &pairs(&f)).await.status, 303);
    }
    let first = app.get("/households?limit=2").await;
    assert!(first.body.contains("共 3 户"));
    assert_eq!(
        first.body.matches("<tr><td><a href=\"/households/").count(),
        2
    );
    let next = first
        .body
        .split(r#"<a href=""#)
        .find(|s| s.contains(r#"rel="next""#))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(
        next.contains("limit=2") && next.contains("cursor="),
        "{next}"
    );
    let second = app.get(&next).await;
    assert_eq!(
        second
            .body
            .matches("<tr><td><a href=\"/households/")
            .count(),
        1
    );
    assert!(
        !second.body.contains(r#"rel="next""#),
        "the last page has no next link"
    );
    assert!(
        app.get("/households?status=active")
            .await
            .body
            .contains("共 3 户")
    );
    let closed = app.get("/households?status=closed").await;
    assert!(closed.body.contains("共 0 户"));
    assert!(
        closed.body.contains(r#"<option value="closed" selected>"#),
        "the chosen filter stays selected"
    );
    let bad = app.get("/households?cursor=xyz").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("分页参数无效"));
}

#[tokio::test]
async fn a_roster_with_errors_is_previewed_and_only_valid_households_imported() {
    for app in spawn_apps() {
        let header = jiuzhu_app::registry::roster::COLUMNS
            .iter()
            .map(|c| c.0)
            .collect::<Vec<_>>()
            .join(",");
        let good = format!(
            "1,410502001001,解放路1号,张三,{},户主,城镇,,,否,,,,有劳动能力,,就业,,,,,",
            id("410502", 1980, 1, 1, 1)
        );
        let bad =
            "2,410502001001,解放路2号,李四,410502198001011,户主,城镇,,,否,,,,有劳动能力,,就业,,,,,";
        let csv = format!("{header}\n{good}\n{bad}\n");
        let r = app.upload("/import", "roster.csv", csv.as_bytes()).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let preview_url = r.location();
        let p = app.get(&preview_url).await;
        assert!(
            p.body.contains(r#"<span id="error-count">1</span>"#),
            "{}",
            p.body
        );
        assert!(p.body.contains("第3行"));
        let report = app.get(&format!("{preview_url}/errors.xlsx")).await;
        assert_eq!(report.status, 200);
        // The preview is the uploader's own (issue 15 F6): a colleague of the same township
        // neither sees nor imports it.
        let me = app.session.lock().unwrap().clone();
        app.login_as(Role::TownshipCaseworker, "410502001");
        assert_eq!(app.get(&preview_url).await.status, 404);
        assert_eq!(
            app.get(&format!("{preview_url}/errors.xlsx")).await.status,
            404
        );
        assert_eq!(
            app.form(&preview_url, &[("mode", "valid")]).await.status,
            409
        );
        *app.session.lock().unwrap() = me;
        // "Import all" is refused while there are errors; nothing written.
        let r = app.form(&preview_url, &[("mode", "all")]).await;
        assert_eq!(r.status, 409);
        assert!(app.get("/households").await.body.contains("共 0 户"));
        let r = app.form(&preview_url, &[("mode", "valid")]).await;
        assert_eq!(r.status, 303);
        assert!(r.location().contains("households=1"));
        assert!(
            app.get("/households").await.body.contains("共 1 户"),
            "{}",
            app.t.label
        );
        // A second submit cannot import twice.
        assert_eq!(
            app.form(&preview_url, &[("mode", "valid")]).await.status,
            409
        );
        let done = app.get(&r.location()).await;
        assert!(done.body.contains("导入完成"));
    }
}

#[tokio::test]
async fn a_zip_bomb_and_an_oversized_roster_are_refused_with_the_limit_named() {
    // S20 roster intake within limits (issue 15 F6): a 2.6 MB XLSX that inflates to gigabytes
    // took the server from 1.7 to 3.5 GB; now the zip is measured before it is opened.
    use std::io::Write;
    let app = spawn_apps().remove(0);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let chunk = vec![b'0'; 1024 * 1024];
    for _ in 0..(jiuzhu_app::tabular::MAX_UNZIPPED_BYTES / (1024 * 1024) + 8) {
        w.write_all(&chunk).unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
    let r = app.upload("/import", "roster.xlsx", &bomb).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("压缩炸弹"), "{}", r.body);
    // A CSV past the row limit is refused, naming it, and nothing is held.
    let rows = jiuzhu_app::tabular::TableLimits::ROSTER.max_rows;
    let csv = "户编号\n".to_owned() + &"1\n".repeat(rows);
    let r = app.upload("/import", "roster.csv", csv.as_bytes()).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("20000 行数据的上限"), "{}", r.body);
}

#[tokio::test]
async fn an_unreadable_upload_is_explained() {
    let app = spawn_apps().remove(0);
    let r = app.upload("/import", "roster.pdf", b"%PDF-1.4").await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("只支持 .xlsx 或 .csv 文件"));
    let t = app.get("/import/template.xlsx").await;
    assert_eq!(t.status, 200);
    assert!(
        t.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    assert_eq!(app.get("/import/unknown-token").await.status, 404);
}

#[tokio::test]
async fn the_household_list_exports_to_excel() {
    let app = spawn_apps().remove(0);
    app.form(
        "/households",
        &pairs(&head_form(&id("410502", 1975, 7, 7, 11))),
    )
    .await;
    let r = app.get("/households/export.xlsx").await;
    assert_eq!(r.status, 200);
    assert!(
        r.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("households.xlsx")
    );
}

#[tokio::test]
async fn the_calendar_page_computes_a_deadline() {
    let app = spawn_apps().remove(0);
    let r = app.get("/calendar?from=2025-09-30&days=3").await;
    assert!(
        r.body.contains(r#"<strong id="due">2025-10-11</strong>"#),
        "national day block and make-up Saturday"
    );
    let r = app.get("/calendar?from=2026-12-30&days=3").await;
    assert!(
        r.body.contains("待定"),
        "provisional in a year without data"
    );
    let r = app.get("/calendar?from=yesterday&days=3").await;
    assert_eq!(r.status, 422);
}

#[tokio::test]
async fn the_interface_switches_to_english_and_back() {
    let app = spawn_apps().remove(0);
    assert!(app.get("/households").await.body.contains("家庭登记"));
    assert!(
        app.get("/households?lang=en")
            .await
            .body
            .contains("Households")
    );
    let r = app
        .send(
            axum::http::Request::get("/lang/en")
                .header("referer", "http://127.0.0.1:8080/calendar")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/calendar");
    assert!(
        r.headers["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("lang=en")
    );
    let evil = app
        .send(
            axum::http::Request::get("/lang/en")
                .header("referer", "http://evil.example//evil.example/x")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(evil.location(), "/households", "no open redirect");
    let en = app
        .send(
            axum::http::Request::get("/households")
                .header("cookie", "lang=en")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(en.body.contains("Export XLSX"));
}

#[tokio::test]
async fn an_unknown_household_page_says_so() {
    let app = spawn_apps().remove(0);
    let r = app.get("/households/nope").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("记录不存在或不在您的辖区内"));
}

#[test]
fn every_post_form_carries_the_csrf_token() {
    // Browsers send no X-CSRF-Token header: each form must carry the token itself (the hidden
    // field, or `?csrf=` on multipart uploads whose body the gate does not read). The login
    // form has its own token instead; the public online application has no session, so its
    // one-time token guards double submits and the gate refuses cross-site posts.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut stack = vec![dir];
    let mut forms = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, _) in text.match_indices("<form") {
                let tag_end = i + text[i..].find('>').unwrap();
                let tag = &text[i..=tag_end];
                if !tag.contains("method=\"post\"")
                    || tag.contains("action=\"/login\"")
                    || tag.contains("action=\"/apply-online\"")
                {
                    continue;
                }
                forms += 1;
                let next: String = text[tag_end + 1..].chars().take(80).collect();
                assert!(
                    tag.contains("csrf={{ l.csrf() }}") || next.contains("name=\"csrf\""),
                    "{}: a form without the CSRF token: {tag}",
                    p.display()
                );
            }
        }
    }
    assert!(forms > 15, "{forms} forms checked");
}

#[tokio::test]
async fn the_household_file_links_its_villages_standing_list() {
    // S21, 57号 Art. 24: the standing list (长期公示) of the household's village, one click away.
    let app = spawn_apps().remove(0);
    let r = app
        .json("POST", "/api/v1/households", household_json(91))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["household"]["id"].as_str().unwrap().to_owned();
    let page = app.get(&format!("/households/{id}")).await;
    assert!(
        page.body.contains("href=\"/roll/410502001001\""),
        "{}",
        page.body
    );
    let roll = app.get("/roll/410502001001").await;
    assert_eq!(roll.status, 200);
    assert!(
        roll.body.contains("长期公示") && roll.body.contains("no-roll"),
        "{}",
        roll.body
    );
    assert_eq!(
        app.get("/roll/410526102201").await.status,
        404,
        "another county's village"
    );
}
