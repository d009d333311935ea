//! S20: Roster import and export: the template round-trips, errors are reported by row and column,
//! a file with errors writes nothing unless only valid households are chosen, GBK CSV is read,
//! and ID numbers that Excel turned into numbers are caught.

mod common;

use common::*;
use jiuzhu_app::AppError;
use jiuzhu_app::registry::ListQuery;
use jiuzhu_app::registry::roster;

fn csv(rows: &[&str]) -> Vec<u8> {
    let header = roster::COLUMNS
        .iter()
        .map(|c| c.0)
        .collect::<Vec<_>>()
        .join(",");
    let mut s = header + "\n";
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s.into_bytes()
}

fn row(key: &str, name: &str, id_number: &str, relation: &str) -> String {
    format!(
        "{key},410502001001,解放路{key}号,{name},{id_number},{relation},城镇,,,否,,,,有劳动能力,,就业,,,,,"
    )
}

fn wrong_check_digit(id: &str) -> String {
    let last = if id.ends_with('0') { '1' } else { '0' };
    format!("{}{last}", &id[..17])
}

fn count(env: &Env) -> i64 {
    jiuzhu_app::registry::list(&env.ctx, &env.city(), &ListQuery::default())
        .unwrap()
        .total
}

#[test]
fn a_clean_csv_imports_every_household() {
    for env in envs() {
        let file = csv(&[
            &row("1", "张三", &id("410502", 1980, 1, 1, 1), "户主"),
            &row("1", "李四", &id("410502", 1982, 1, 1, 2), "配偶"),
            &row("2", "王五", &id("410502", 1970, 5, 5, 3), "户主"),
        ]);
        let p = roster::preview(&env.ctx, &env.city(), "roster.csv", &file).unwrap();
        assert!(p.is_clean(), "{:?}", p.all_errors());
        assert_eq!((p.rows, p.households.len(), p.valid_households), (3, 2, 2));
        let out = roster::commit(&env.ctx, &env.city(), &p, false).unwrap();
        assert_eq!(
            (out.households, out.persons, out.skipped),
            (2, 3, 0),
            "{}",
            env.t.label
        );
        assert_eq!(count(&env), 2);
        // Importing the same file again finds every ID number registered.
        let again = roster::preview(&env.ctx, &env.city(), "roster.csv", &file).unwrap();
        assert_eq!(again.valid_households, 0);
        assert!(
            again
                .all_errors()
                .iter()
                .all(|e| e.message.contains("已登记"))
        );
    }
}

#[test]
fn errors_name_row_and_column_and_block_the_whole_file() {
    for env in envs() {
        let file = csv(&[
            &row("1", "张三", &id("410502", 1980, 1, 1, 1), "户主"),
            &row(
                "2",
                "王五",
                &wrong_check_digit(&id("410502", 1970, 5, 5, 3)),
                "户主",
            ),
            &row("3", "", &id("410502", 1971, 5, 5, 5), "户主"),
            &row("4", "赵六", &id("410502", 1972, 5, 5, 7), "同事"),
        ]);
        let p = roster::preview(&env.ctx, &env.city(), "roster.csv", &file).unwrap();
        let errs = p.all_errors();
        assert!(
            errs.iter()
                .any(|e| e.row == 3 && e.column == "身份证号" && e.message.contains("校验码")),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.row == 4 && e.column == "姓名"),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.row == 5 && e.column == "与户主关系"),
            "{errs:?}"
        );
        assert_eq!(p.valid_households, 1);
        assert!(matches!(
            roster::commit(&env.ctx, &env.city(), &p, false),
            Err(AppError::Conflict(_))
        ));
        assert_eq!(
            count(&env),
            0,
            "{}: a file with errors writes nothing",
            env.t.label
        );
        let out = roster::commit(&env.ctx, &env.city(), &p, true).unwrap();
        assert_eq!((out.households, out.skipped), (1, 3));
        assert_eq!(count(&env), 1);
        let report = roster::error_report_xlsx(&p).unwrap();
        assert!(
            report.starts_with(b"PK"),
            "the error report is an XLSX file"
        );
    }
}

#[test]
fn a_missing_required_column_is_reported_by_name() {
    let env = envs().remove(0);
    let p = roster::preview(
        &env.ctx,
        &env.city(),
        "r.csv",
        "户编号,姓名\n1,张三\n".as_bytes(),
    )
    .unwrap();
    assert!(p.file_errors.iter().any(|e| e.column == "身份证号"));
    assert!(!p.is_clean());
}

#[test]
fn a_household_id_number_repeated_in_the_file_is_caught() {
    let env = envs().remove(0);
    let dup = id("410502", 1980, 1, 1, 1);
    let file = csv(&[
        &row("1", "张三", &dup, "户主"),
        &row("2", "张三", &dup, "户主"),
    ]);
    let p = roster::preview(&env.ctx, &env.city(), "r.csv", &file).unwrap();
    assert!(
        p.all_errors()
            .iter()
            .any(|e| e.row == 3 && e.message.contains("不止一次"))
    );
}

#[test]
fn gbk_csv_from_excel_is_read() {
    let env = envs().remove(0);
    let text = String::from_utf8(csv(&[&row(
        "1",
        "张三",
        &id("410502", 1980, 1, 1, 1),
        "户主",
    )]))
    .unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let p = roster::preview(&env.ctx, &env.city(), "r.csv", &gbk).unwrap();
    assert!(p.is_clean(), "{:?}", p.all_errors());
    assert_eq!(p.households[0].head_name, "张三");
}

#[test]
fn households_outside_the_scope_are_refused() {
    let env = envs().remove(0);
    let file = csv(&[&row("1", "张三", &id("410502", 1980, 1, 1, 1), "户主")]);
    let p = roster::preview(&env.ctx, &env.scope("410581"), "r.csv", &file).unwrap();
    assert!(p.all_errors().iter().any(|e| e.message.contains("辖区")));
}

#[test]
fn the_template_is_a_valid_roster_and_excel_numbers_are_caught() {
    let env = envs().remove(0);
    let template = roster::template_xlsx().unwrap();
    let p = roster::preview(&env.ctx, &env.city(), "template.xlsx", &template).unwrap();
    assert!(
        p.is_clean(),
        "the template's example must import: {:?}",
        p.all_errors()
    );
    assert_eq!(p.households.len(), 1);
    assert_eq!(p.households[0].member_count, 2);

    // A roster where Excel stored the ID number as a number (4.10502198001011E+17).
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, c) in roster::COLUMNS.iter().enumerate() {
        ws.write_string(0, i as u16, c.0).unwrap();
    }
    let values = ["1", "410502001001", "解放路1号", "张三", "", "户主", "城镇"];
    for (i, v) in values.iter().enumerate() {
        ws.write_string(1, i as u16, *v).unwrap();
    }
    ws.write_number(1, 4, 410502198001011237.0).unwrap();
    ws.write_string(1, 13, "有劳动能力").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let p = roster::preview(&env.ctx, &env.city(), "r.xlsx", &bytes).unwrap();
    assert!(
        p.all_errors()
            .iter()
            .any(|e| e.row == 2 && e.column == "身份证号" && e.message.contains("文本")),
        "{:?}",
        p.all_errors()
    );
}

#[test]
fn unsupported_files_are_refused() {
    let env = envs().remove(0);
    assert!(matches!(
        roster::preview(&env.ctx, &env.city(), "r.pdf", b"%PDF"),
        Err(AppError::BadFile(_))
    ));
    assert!(matches!(
        roster::preview(&env.ctx, &env.city(), "r.xlsx", b"not a zip"),
        Err(AppError::BadFile(_))
    ));
}

#[test]
fn the_household_list_exports_to_xlsx() {
    let env = envs().remove(0);
    jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
    let bytes = roster::households_xlsx(&env.ctx, &env.city(), &ListQuery::default()).unwrap();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.height(), 2);
    assert_eq!(
        range.get((1, 3)).unwrap().to_string(),
        "张*",
        "names are masked in exports"
    );
}
