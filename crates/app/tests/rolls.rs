//! S7 (issue 17 item 1): a county takes over the old system's rolls at go-live — checked row by
//! row, reconciled with the old system's totals, written once, and paid to the fen by the first
//! payroll — on SQLite and PostgreSQL.

mod common;

use std::collections::BTreeMap;

use common::*;
use jiuzhu_app::caseload::rolls::{self, Expected, Plan};
use jiuzhu_domain::{Month, Role};

/// A county civil-affairs user of 文峰区.
fn county(env: &Env) -> jiuzhu_app::Actor {
    let mut who = env.scope("410502");
    who.role = Some(Role::CountyCivilAffairs);
    who.username = "golive".into();
    who
}

/// A rolls file in the template's columns: one line per person, the given cells by header.
fn csv(rows: &[BTreeMap<&str, String>]) -> Vec<u8> {
    let headers: Vec<String> = rolls::columns::columns()
        .into_iter()
        .map(|c| c.header)
        .collect();
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record(&headers).unwrap();
    for r in rows {
        w.write_record(
            headers
                .iter()
                .map(|h| r.get(h.as_str()).cloned().unwrap_or_default()),
        )
        .unwrap();
    }
    w.into_inner().unwrap()
}

/// A person row of household `key`; the household's own cells are added by `dibao`/`tekun`.
fn member(
    key: &str,
    name: &str,
    id_number: &str,
    relation: &str,
) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("户编号", key.to_owned()),
        ("村（社区）代码", "410502001001".to_owned()),
        ("家庭住址", format!("解放路{key}号")),
        ("姓名", name.to_owned()),
        ("身份证号", id_number.to_owned()),
        ("与户主关系", relation.to_owned()),
        ("户籍性质", "城镇".to_owned()),
        ("劳动能力", "有劳动能力".to_owned()),
    ])
}

fn with(
    mut row: BTreeMap<&'static str, String>,
    cells: &[(&'static str, &str)],
) -> BTreeMap<&'static str, String> {
    for (k, v) in cells {
        row.insert(k, (*v).to_owned());
    }
    row
}

/// A two-person 低保 household paid `monthly` a month, with an account.
fn dibao(seq: u16, monthly: &str) -> Vec<BTreeMap<&'static str, String>> {
    let key = format!("D{seq}");
    let head = with(
        member(&key, "张三", &id("410502", 1960, 1, 1, seq * 2 + 1), "户主"),
        &[
            ("保障类别", "低保"),
            ("月保障金额（元）", monthly),
            ("起始发放月份", "2021-03"),
            ("审批日期", "2021-02-20"),
            ("复核周期", "12"),
            ("收款银行", "安阳农商银行"),
            ("收款账号", &format!("62284800000{seq:08}")),
            ("收款人", "张三"),
        ],
    );
    let spouse = member(&key, "李四", &id("410502", 1962, 3, 4, seq * 2 + 2), "配偶");
    vec![head, spouse]
}

/// A one-person 特困 household (分散供养), without an account.
fn tekun(seq: u16, monthly: &str) -> Vec<BTreeMap<&'static str, String>> {
    let key = format!("T{seq}");
    vec![with(
        member(&key, "王五", &id("410502", 1940, 5, 6, seq * 2 + 1), "户主"),
        &[
            ("保障类别", "特困人员救助供养"),
            ("月保障金额（元）", monthly),
            ("起始发放月份", "2019-07"),
            ("审批日期", "2019-06-30"),
            ("不能自理的项目数", "2"),
            ("供养方式", "分散供养"),
            ("照料服务人", "赵六"),
            ("下次复核日期", "2027-06-30"),
        ],
    )]
}

fn typed(programme: &str, households: i64, people: i64, monthly: &str) -> Expected {
    Expected {
        county: "410502".into(),
        programme: programme.into(),
        households,
        people,
        monthly: monthly.into(),
    }
}

#[test]
fn a_clean_file_reconciles_and_the_first_payroll_pays_it_to_the_fen() {
    for env in envs() {
        let who = county(&env);
        let rows: Vec<_> = [dibao(1, "812.37"), dibao(2, "455.01"), tekun(3, "1030.00")].concat();
        let expected = [
            typed("dibao", 2, 4, "1267.38"),
            typed("tekun", 1, 1, "1030"),
        ];
        let p = rolls::preview(&env.ctx, &who, "rolls.csv", &csv(&rows), &expected).unwrap();
        assert!(p.is_clean(), "{:?}", p.all_errors());
        assert!(p.reconciles(), "{:?}", p.reconciliation);
        assert_eq!(p.to_write(), 3);
        assert!(p.households.iter().all(|h| h.plan == Plan::Register));
        let out = rolls::commit(&env.ctx, &who, &p, false).unwrap();
        assert_eq!((out.registered, out.enrolled, out.unchanged), (3, 3, 0));

        // The first payroll after go-live pays the imported month exactly.
        let next = Month::of(jiuzhu_domain::time::today()).next().to_string();
        let run = jiuzhu_app::payroll::run::generate(&env.ctx, &who, "410502", &next, &|_, _| {})
            .unwrap();
        assert_eq!(run.all.lines, 3);
        assert_eq!(run.all.total, "2297.38", "812.37 + 455.01 + 1030.00");

        // The household file shows the enrolment, the case carried with its decision record.
        let h =
            jiuzhu_app::registry::list(&env.ctx, &who, &jiuzhu_app::registry::ListQuery::default())
                .unwrap();
        assert_eq!(h.total, 3);
        let cal = jiuzhu_domain::WorkingDayCalendar::bundled();
        let cases = jiuzhu_app::cases::list(&env.ctx, &cal, &who, false).unwrap();
        let t = cases
            .iter()
            .find(|c| c.kind == "tekun")
            .expect("the 特困 case");
        assert_eq!(t.stage, "enrolled");
        let t = jiuzhu_app::cases::get(&env.ctx, &cal, &who, &t.county, &t.id).unwrap();
        assert!(
            t.decision.iter().any(|l| l.value == "分散供养"),
            "{:?}",
            t.decision
        );
        assert!(t.events.iter().any(|e| e.action.contains("系统迁移")));

        // S7: without a review date in the file, the next review is the first on the cycle
        // from the decision after today (低保's approved 12 months); a date in the file is kept.
        let today = jiuzhu_domain::time::today();
        let next_on_cycle = |y: i32, m: u32, d: u32| {
            let mut due = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            while due < today {
                due = due.checked_add_months(chrono::Months::new(12)).unwrap();
            }
            due.to_string()
        };
        let mut conn = env.t.db.conn().unwrap();
        let mut dues: Vec<(String, Option<String>)> = h
            .items
            .iter()
            .flat_map(|hh| {
                jiuzhu_storage::payroll::enrolments_of(&mut conn, "410502", &hh.id).unwrap()
            })
            .map(|e| (e.programme, e.review_due))
            .collect();
        dues.sort();
        assert_eq!(
            dues,
            [
                ("dibao".to_owned(), Some(next_on_cycle(2021, 2, 20))),
                ("dibao".to_owned(), Some(next_on_cycle(2021, 2, 20))),
                ("tekun".to_owned(), Some("2027-06-30".to_owned())),
            ]
        );
    }
}

#[test]
fn importing_the_same_file_again_changes_nothing() {
    for env in envs() {
        let who = county(&env);
        let mut no_date = tekun(5, "980.50");
        no_date[0].remove("下次复核日期");
        let bytes = csv(&[dibao(4, "600.00"), no_date].concat());
        let p = rolls::preview(&env.ctx, &who, "rolls.csv", &bytes, &[]).unwrap();
        rolls::commit(&env.ctx, &who, &p, false).unwrap();
        // S7: a 特困 decision names no cycle: the policy's default (yearly,
        // `procedure.review_months_default`) from its decision on 2019-06-30.
        let today = jiuzhu_domain::time::today();
        let mut yearly = chrono::NaiveDate::from_ymd_opt(2019, 6, 30).unwrap();
        while yearly < today {
            yearly = yearly.checked_add_months(chrono::Months::new(12)).unwrap();
        }
        let mut conn = env.t.db.conn().unwrap();
        let tekun_due: Vec<Option<String>> =
            jiuzhu_app::registry::list(&env.ctx, &who, &jiuzhu_app::registry::ListQuery::default())
                .unwrap()
                .items
                .iter()
                .flat_map(|hh| {
                    jiuzhu_storage::payroll::enrolments_of(&mut conn, "410502", &hh.id).unwrap()
                })
                .filter(|e| e.programme == "tekun")
                .map(|e| e.review_due)
                .collect();
        drop(conn);
        assert_eq!(tekun_due, [Some(yearly.to_string())]);
        let again = rolls::preview(&env.ctx, &who, "rolls.csv", &bytes, &[]).unwrap();
        assert!(again.is_clean(), "{:?}", again.all_errors());
        assert!(again.households.iter().all(|h| h.plan == Plan::Unchanged));
        assert_eq!(again.to_write(), 0);
        let out = rolls::commit(&env.ctx, &who, &again, false).unwrap();
        assert_eq!((out.registered, out.enrolled, out.unchanged), (0, 0, 2));
        let next = Month::of(jiuzhu_domain::time::today()).next().to_string();
        let run = jiuzhu_app::payroll::run::generate(&env.ctx, &who, "410502", &next, &|_, _| {})
            .unwrap();
        assert_eq!(run.all.total, "1580.50", "paid once");

        // The same household with another amount is refused: amounts change by review.
        let changed = csv(&dibao(4, "650.00"));
        let p = rolls::preview(&env.ctx, &who, "rolls.csv", &changed, &[]).unwrap();
        let e = p.all_errors();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].row, e[0].column.as_str()), (2, "月保障金额（元）"));
        assert!(e[0].message.contains("600.00"), "{}", e[0].message);
    }
}

#[test]
fn errors_are_named_by_row_and_column_and_nothing_is_written_unless_only_valid() {
    for env in envs() {
        let who = county(&env);
        let mut bad_programme = dibao(6, "500");
        bad_programme[0].insert("保障类别", "医疗".into());
        let mut bad_tekun = tekun(7, "900");
        bad_tekun[0].insert("供养方式", "分散供养".into());
        bad_tekun[0].insert("照料服务人", String::new());
        let mut bad_amount = dibao(8, "-3");
        bad_amount[1].insert("身份证号", "410502196203040000".into());
        let rows = [dibao(9, "720.00"), bad_programme, bad_tekun, bad_amount].concat();
        let p = rolls::preview(&env.ctx, &who, "rolls.csv", &csv(&rows), &[]).unwrap();
        assert!(!p.is_clean());
        let errors: Vec<(usize, String)> = p
            .all_errors()
            .into_iter()
            .map(|e| (e.row, e.column))
            .collect();
        // Rows: header 1; D9 2–3; D6 4–5; T7 6; D8 7–8.
        assert!(errors.contains(&(4, "保障类别".into())), "{errors:?}");
        assert!(errors.contains(&(6, "照料服务人".into())), "{errors:?}");
        assert!(
            errors.contains(&(7, "月保障金额（元）".into())),
            "{errors:?}"
        );
        assert!(errors.contains(&(8, "身份证号".into())), "{errors:?}");
        assert!(
            !errors.iter().any(|(r, _)| *r <= 3),
            "D9 is clean: {errors:?}"
        );

        let refused = rolls::commit(&env.ctx, &who, &p, false).unwrap_err();
        assert!(refused.to_string().contains("未导入任何数据"), "{refused}");
        let none =
            jiuzhu_app::registry::list(&env.ctx, &who, &jiuzhu_app::registry::ListQuery::default())
                .unwrap();
        assert_eq!(none.total, 0, "nothing written");

        let out = rolls::commit(&env.ctx, &who, &p, true).unwrap();
        assert_eq!((out.registered, out.enrolled, out.skipped), (1, 1, 3));
    }
}

#[test]
fn totals_that_differ_from_the_old_system_hold_the_import() {
    for env in envs() {
        let who = county(&env);
        let bytes = csv(&dibao(10, "512.30"));
        let p = rolls::preview(
            &env.ctx,
            &who,
            "rolls.csv",
            &bytes,
            &[typed("dibao", 1, 2, "512.31")],
        )
        .unwrap();
        assert!(p.is_clean());
        assert!(!p.reconciles(), "one fen apart");
        let refused = rolls::commit(&env.ctx, &who, &p, false).unwrap_err();
        assert!(refused.to_string().contains("合计"), "{refused}");
        // The user confirms the file's figures: the household is written.
        let out = rolls::commit(&env.ctx, &who, &p, true).unwrap();
        assert_eq!(out.enrolled, 1);
    }
}

#[test]
fn only_county_civil_affairs_takes_over_rolls() {
    for env in envs() {
        let caseworker = as_role(&env, Role::TownshipCaseworker, "窗口");
        let bytes = csv(&dibao(11, "300"));
        let e = rolls::preview(&env.ctx, &caseworker, "rolls.csv", &bytes, &[]).unwrap_err();
        assert!(matches!(e, jiuzhu_app::AppError::Forbidden(_)), "{e:?}");
    }
}

#[test]
fn the_template_lists_every_column_with_its_instructions() {
    let bytes = rolls::columns::template_xlsx().unwrap();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names().to_vec();
    assert_eq!(names, ["在保对象名册", "填写说明"]);
    let sheet = wb.worksheet_range("在保对象名册").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    for h in [
        "户编号",
        "保障类别",
        "月保障金额（元）",
        "复核周期",
        "供养方式",
        "收款账号",
    ] {
        assert!(header.iter().any(|x| x == h), "{h} missing from {header:?}");
    }
    let help = wb.worksheet_range("填写说明").unwrap();
    assert!(
        help.rows().count() > header.len(),
        "one line per column and the notes"
    );
}

/// S7 (issue 17 item 2): the periodic reviews falling due are listed for the township, the
/// overdue first, and nothing outside its region.
#[test]
fn reviews_falling_due_are_listed_overdue_first_within_the_region() {
    for env in envs() {
        let who = county(&env);
        let today = jiuzhu_domain::time::today();
        let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
        let mut soon = dibao(12, "500.00");
        soon[0].insert("下次复核日期", day(10));
        let mut overdue = dibao(13, "420.00");
        overdue[0].insert("下次复核日期", day(-5));
        let mut later = dibao(14, "380.00");
        later[0].insert("下次复核日期", day(200));
        let mut elsewhere = dibao(15, "300.00");
        elsewhere[0].insert("下次复核日期", day(3));
        for row in &mut elsewhere {
            row.insert("村（社区）代码", "410502002001".into());
        }
        let bytes = csv(&[soon, overdue, later, elsewhere].concat());
        let p = rolls::preview(&env.ctx, &who, "rolls.csv", &bytes, &[]).unwrap();
        assert!(p.is_clean(), "{:?}", p.all_errors());
        rolls::commit(&env.ctx, &who, &p, false).unwrap();

        let caseworker = as_role(&env, Role::TownshipCaseworker, "复核员");
        let due = jiuzhu_app::caseload::due::due_list(&env.ctx, &caseworker, today, 30).unwrap();
        let shown: Vec<(&str, i64)> = due
            .iter()
            .map(|d| (d.monthly.as_str(), d.days_overdue))
            .collect();
        assert_eq!(shown, [("420.00", 5), ("500.00", 0)], "{due:?}");
        assert_eq!(due[0].head_name, "张*");
        let county_wide = jiuzhu_app::caseload::due::due_list(&env.ctx, &who, today, 30).unwrap();
        assert_eq!(county_wide.len(), 3, "the other township's household too");
        let desk = as_role(&env, Role::TownshipApprover, "审批");
        assert!(jiuzhu_app::caseload::due::due_list(&env.ctx, &desk, today, 30).is_err());
    }
}
