//! Importing agency data for verification (核对, S22), on SQLite and PostgreSQL: a bad row is
//! reported with file, row and reason and never stops the good ones; importing the same file
//! again changes nothing; a record two files share is stored once; CSV, XLSX and JSON Lines
//! read alike; only the 核对员 may import, and every import is audited.

mod common;

use common::*;
use jiuzhu_app::verification::import;
use jiuzhu_domain::Role;
use jiuzhu_domain::agency::Source;

fn ids() -> (String, String) {
    (id("410502", 1960, 1, 1, 11), id("410522", 1975, 6, 30, 12))
}

fn csv_file() -> String {
    let (a, b) = ids();
    format!(
        "身份证号,记录类型,金额,起始日期,截止日期,数据日期,提供单位,编号\n\
         {a},存款,52000.00,,,2026-10-31,工商银行安阳分行,\n\
         {b},存款,1200,,,2026-10-31,农业银行,\n\
         {a},存款,abc,,,2026-10-31,,\n\
         410502196001010000,存款,10,,,2026-10-31,,\n\
         {b},机动车,,,,2026-10-31,,\n\
         {b},存款,,,,2026-10-31,,\n\
         {b},存款,5,,,2026-13-01,,\n\
         \n"
    )
}

fn count(env: &Env) -> i64 {
    let mut c = env.t.db.conn().unwrap();
    jiuzhu_storage::agency::count(&mut c, "bank").unwrap()
}

fn run(
    env: &Env,
    source: Source,
    name: &str,
    bytes: &[u8],
) -> jiuzhu_app::verification::ImportReport {
    import(
        &env.t.db,
        &env.ctx.keys,
        &env.ctx.audit,
        &env.city(),
        source,
        name,
        bytes,
        &|_, _| {},
    )
    .unwrap()
}

#[test]
fn bad_rows_are_reported_with_file_row_and_reason_and_the_good_ones_are_stored() {
    for env in envs() {
        let r = run(
            &env,
            Source::Bank,
            "bank-2026-10.csv",
            csv_file().as_bytes(),
        );
        assert_eq!(r.rows_total, 7, "{}", env.t.label);
        assert_eq!(r.imported, 2);
        let got: Vec<(usize, &str)> = r.errors.iter().map(|e| (e.row, e.field.as_str())).collect();
        assert_eq!(
            got,
            [
                (4, "amount"),
                (5, "id_number"),
                (6, "kind"),
                (7, "amount"),
                (8, "as_of")
            ],
            "{:?}",
            r.errors
        );
        assert!(r.errors.iter().all(|e| e.file == "bank-2026-10.csv"));
        assert!(
            r.errors[2].reason.contains("不属于银行数据"),
            "{}",
            r.errors[2].reason
        );
        assert!(r.errors[3].reason.contains("须有金额"));
        assert_eq!(count(&env), 2);
    }
}

#[test]
fn the_same_file_twice_changes_nothing_and_shared_records_are_stored_once() {
    for env in envs() {
        let first = run(&env, Source::Bank, "a.csv", csv_file().as_bytes());
        let again = run(&env, Source::Bank, "a-copy.csv", csv_file().as_bytes());
        assert!(again.already_imported, "{}", env.t.label);
        assert_eq!(again.import_id, first.import_id);
        assert_eq!(count(&env), 2);
        // Another file repeating one record and adding one.
        let (a, _) = ids();
        let other = format!(
            "id_number,kind,amount,as_of\n{a},deposit,52000.00,2026-10-31\n{a},deposit,100,2026-11-01\n"
        );
        let r = run(&env, Source::Bank, "b.csv", other.as_bytes());
        assert!(!r.already_imported);
        assert_eq!((r.imported, r.duplicate), (1, 1));
        assert_eq!(count(&env), 3);
    }
}

#[test]
fn json_lines_and_xlsx_read_like_csv() {
    for env in envs() {
        let (a, b) = ids();
        let jsonl = format!(
            "{{\"id_number\":\"{a}\",\"kind\":\"car\",\"as_of\":\"2026-11-01\",\"reference\":\"豫E·12345\"}}\n\
             not json\n\
             {{\"身份证号\":\"{b}\",\"记录类型\":\"船舶\",\"数据日期\":\"2026/11/01\"}}\n"
        );
        let r = run(&env, Source::Vehicle, "vehicles.jsonl", jsonl.as_bytes());
        assert_eq!(r.imported, 2, "{:?}", r.errors);
        assert_eq!(r.errors.len(), 1);
        assert_eq!((r.errors[0].row, r.errors[0].field.as_str()), (2, "line"));
        // XLSX with the ID number stored as a number: refused with the reason, not mangled.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["身份证号", "记录类型", "数据日期"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, &a).unwrap();
        ws.write_string(1, 1, "死亡").unwrap();
        ws.write_string(1, 2, "2026-09-01").unwrap();
        ws.write_number(2, 0, 410502196001010011.0).unwrap();
        ws.write_string(2, 1, "死亡").unwrap();
        ws.write_string(2, 2, "2026-09-01").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let r = run(&env, Source::Hukou, "deaths.xlsx", &bytes);
        assert_eq!(r.imported, 1);
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0].reason.contains("存成了数字"), "{:?}", r.errors);
    }
}

#[test]
fn a_file_without_the_id_column_or_of_another_type_is_refused_whole() {
    for env in envs() {
        let who = env.city();
        let e = import(
            &env.t.db,
            &env.ctx.keys,
            &env.ctx.audit,
            &who,
            Source::Bank,
            "x.csv",
            b"name,amount\n",
            &|_, _| {},
        )
        .unwrap_err();
        assert!(e.to_string().contains("身份证号"), "{e}");
        let e = import(
            &env.t.db,
            &env.ctx.keys,
            &env.ctx.audit,
            &who,
            Source::Bank,
            "x.pdf",
            b"%PDF",
            &|_, _| {},
        )
        .unwrap_err();
        assert!(e.to_string().contains(".xlsx"), "{e}");
        assert_eq!(count(&env), 0);
    }
}

#[test]
fn only_the_verification_officer_may_import_and_every_import_is_audited() {
    for env in envs() {
        let mut caseworker = env.scope("410502");
        caseworker.role = Some(Role::TownshipCaseworker);
        let e = import(
            &env.t.db,
            &env.ctx.keys,
            &env.ctx.audit,
            &caseworker,
            Source::Bank,
            "a.csv",
            csv_file().as_bytes(),
            &|_, _| {},
        )
        .unwrap_err();
        assert!(matches!(e, jiuzhu_app::AppError::Forbidden(_)), "{e}");
        let mut verifier = env.scope("410502");
        verifier.role = Some(Role::Verifier);
        import(
            &env.t.db,
            &env.ctx.keys,
            &env.ctx.audit,
            &verifier,
            Source::Bank,
            "a.csv",
            csv_file().as_bytes(),
            &|_, _| {},
        )
        .unwrap();
        let mut c = env.t.db.conn().unwrap();
        let page = jiuzhu_storage::audit::search(&mut c, &Default::default(), None, 50).unwrap();
        assert!(
            page.iter().any(|e| e.action == "agency.import"),
            "{}",
            env.t.label
        );
        // No ID number is stored in clear.
        let (a, _) = ids();
        let rows = jiuzhu_storage::agency::records_of(&mut c, &[]).unwrap();
        assert!(rows.is_empty());
        drop(c);
        let dump = format!("{:?}", {
            let mut c = env.t.db.conn().unwrap();
            let keys = vec![jiuzhu_app::sealing::id_key(
                &env.ctx.keys,
                &jiuzhu_domain::ResidentId::parse(&a).unwrap(),
            )];
            jiuzhu_storage::agency::records_of(&mut c, &keys).unwrap()
        });
        assert!(dump.contains("52000") || dump.contains("5200000"));
        assert!(!dump.contains(&a), "the ID number itself is not stored");
    }
}
