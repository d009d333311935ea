//! The `jiuzhu` binary as an operator uses it: demo generation, serving, migration, and the
//! holiday and roster imports with their error exits.

use std::process::Stdio;
use std::time::Duration;

mod common;

use common::{add_user, default_db, jiuzhu};

#[test]
fn demo_generates_a_city_without_serving() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    let out = jiuzhu(dir.path())
        .args(["demo", "--households", "300", "--no-serve", "--database"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("已生成 300 户"), "{stdout}");
    assert!(db.exists());
    // One account per role, printed with its region; administrators with their TOTP secret.
    for role in jiuzhu_domain::Role::ALL {
        assert!(
            stdout.contains(role.zh()),
            "{} missing: {stdout}",
            role.zh()
        );
    }
    assert!(stdout.contains("demo.township-caseworker") && stdout.contains("动态口令密钥"));
    // A second run replaces the file with the same city (deterministic seed).
    let again = jiuzhu(dir.path())
        .args(["demo", "--households", "300", "--no-serve", "--database"])
        .arg(&db)
        .output()
        .unwrap();
    let first_line = |s: &str| s.split('，').next().unwrap_or_default().to_owned();
    assert_eq!(
        first_line(&String::from_utf8_lossy(&again.stdout)),
        first_line(&stdout)
    );
}

#[test]
fn serve_answers_on_its_port_and_stops_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.sqlite3");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = jiuzhu(dir.path())
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database-url",
        ])
        .arg(&db)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut ok = false;
    for _ in 0..100 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut resp = String::new();
            s.read_to_string(&mut resp).unwrap();
            ok = resp.starts_with("HTTP/1.1 200") && resp.ends_with("ok");
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(ok, "GET /healthz answered 200 ok");
}

#[test]
fn migrate_creates_the_schema_and_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/m.sqlite3");
    let out = jiuzhu(dir.path())
        .args(["migrate", "--database-url"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.exists(), "the folder and file are created");
    let bad = jiuzhu(dir.path())
        .args([
            "migrate",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("数据库无法连接"));
}

#[test]
fn a_bad_holiday_file_exits_with_the_line_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite3");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,workday,元旦\n",
    )
    .unwrap();
    let out = jiuzhu(dir.path())
        .args(["calendar", "import"])
        .arg(&bad)
        .arg("--database-url")
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("第 3 行"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "date,kind,name\n2027-01-01,holiday,元旦\n").unwrap();
    let out = jiuzhu(dir.path())
        .args(["calendar", "import"])
        .arg(&good)
        .arg("--database-url")
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("已导入 1 行"));
}

#[test]
fn a_roster_with_errors_is_refused_unless_only_valid_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let csv = dir.path().join("roster.csv");
    let header = "户编号,村（社区）代码,家庭住址,姓名,身份证号,与户主关系,户籍性质,劳动能力";
    let id = jiuzhu_domain::ResidentId::build(
        "410502",
        chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
        1,
    );
    std::fs::write(&csv, format!("{header}\n1,410502001001,解放路1号,张三,{id},户主,城镇,有劳动能力\n2,410502001001,解放路2号,李四,123,户主,城镇,有劳动能力\n")).unwrap();
    let out = jiuzhu(dir.path())
        .arg("import")
        .arg(&csv)
        .arg("--database-url")
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("第 3 行 身份证号"));
    let out = jiuzhu(dir.path())
        .arg("import")
        .arg(&csv)
        .arg("--only-valid")
        .arg("--database-url")
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("已导入 1 户、1 人；跳过 1 户"));
}

#[test]
fn accounts_are_bootstrapped_reset_and_disabled_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = jiuzhu(dir.path()).args(args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out, err) = run(&[
        "user",
        "add",
        "sys.admin",
        "--name",
        "系统管理员甲",
        "--role",
        "系统管理员",
        "--region",
        "410500000000",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("初始密码") && out.contains("动态口令密钥"),
        "{out}"
    );
    // A role at the wrong level is refused with the field named.
    let (ok, _, err) = run(&[
        "user",
        "add",
        "wrong.level",
        "--name",
        "某人",
        "--role",
        "乡镇经办人",
        "--region",
        "410502",
    ]);
    assert!(!ok);
    assert!(
        err.contains("输入有误") || err.contains("region_code"),
        "{err}"
    );
    let (ok, out, err) = run(&[
        "user",
        "add",
        "zhang.jb",
        "--name",
        "张经办",
        "--role",
        "township_caseworker",
        "--region",
        "410502001000",
    ]);
    assert!(ok, "{err}");
    assert!(!out.contains("动态口令密钥"), "{out}");
    let (ok, out, err) = run(&["user", "reset", "zhang.jb"]);
    assert!(ok && out.contains("临时密码"), "{out}{err}");
    let (ok, out, err) = run(&["user", "disable", "zhang.jb"]);
    assert!(ok && out.contains("已停用"), "{out}{err}");
    let (ok, _, _) = run(&["user", "disable", "nobody"]);
    assert!(!ok, "an unknown user is an error");
    let (ok, out, _) = run(&["audit", "verify"]);
    assert!(ok && out.contains("审计链完整"), "{out}");
}

#[test]
fn audit_verify_names_the_entry_edited_behind_the_applications_back() {
    use diesel::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.one", "a.two", "a.three"] {
        add_user(dir.path(), name, "乡镇经办人");
    }
    let db = default_db(dir.path());
    let mut conn = db.conn().unwrap();
    diesel::sql_query("UPDATE audit_log SET detail = '{}' WHERE county_code = '410502' AND id = 2")
        .execute(&mut *conn)
        .unwrap();
    drop(conn);
    let out = jiuzhu(dir.path())
        .args(["audit", "verify"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "a broken chain exits non-zero");
    assert!(
        stdout.contains("审计链 410502 第 2 条"),
        "names the entry: {stdout}"
    );
}

#[test]
fn audit_verify_with_a_witness_names_a_deleted_chain_and_a_rollback() {
    // Issue 15 F7: a whole chain deleted with its head, and every row deleted, no longer pass.
    use diesel::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "w.one", "乡镇经办人");
    add_user(dir.path(), "w.two", "乡镇经办人");
    let witness = dir.path().join("witness.json");
    let verify = || {
        let out = jiuzhu(dir.path())
            .args(["audit", "verify", "--witness", witness.to_str().unwrap()])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (ok, out) = verify();
    assert!(ok && out.contains("已更新见证文件"), "{out}");
    assert!(
        std::fs::read_to_string(&witness)
            .unwrap()
            .contains("410502")
    );
    let db = default_db(dir.path());
    let mut conn = db.conn().unwrap();
    diesel::sql_query("DELETE FROM audit_log WHERE county_code = '410502'")
        .execute(&mut *conn)
        .unwrap();
    diesel::sql_query("DELETE FROM audit_heads WHERE chain = '410502'")
        .execute(&mut *conn)
        .unwrap();
    let (ok, out) = verify();
    assert!(!ok, "a deleted chain exits non-zero: {out}");
    assert!(
        out.contains("整条审计链") && out.contains("见证文件记到第 2 条"),
        "{out}"
    );
    // Everything gone, registry included: the accounts and the witness still tell.
    diesel::sql_query("DELETE FROM audit_registry")
        .execute(&mut *conn)
        .unwrap();
    let (ok, out) = verify();
    assert!(!ok && out.contains("整体删除"), "{out}");
}

#[test]
fn a_reset_at_the_command_line_can_go_sealed_to_a_supervisor() {
    // S22 / 等保 三员 (issue 15 F4): with --supervisor the operator does not see the password;
    // it waits in a letter for the supervisor (and the pool of one does not stall).
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "boss.one", "乡镇审批人");
    add_user(dir.path(), "staff.one", "乡镇经办人");
    let started = std::time::Instant::now();
    let out = jiuzhu(dir.path())
        .args(["user", "reset", "staff.one", "--supervisor", "boss.one"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("密码函已交转交人 boss.one"), "{stdout}");
    assert!(!stdout.contains("临时密码"), "{stdout}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let out = jiuzhu(dir.path())
        .args(["user", "reset", "staff.one", "--supervisor", "staff.one"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "nobody hands their own letter over");
}

/// S7 (issue 17): `jiuzhu import rolls` prints the reconciliation beside the old totals, writes
/// nothing on a dry run or a mismatch, and enrols once.
#[test]
fn rolls_are_reconciled_then_taken_over_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let csv = dir.path().join("rolls.csv");
    let header = "户编号,村（社区）代码,家庭住址,姓名,身份证号,与户主关系,户籍性质,劳动能力,保障类别,月保障金额（元）,起始发放月份,审批日期,复核周期";
    let id = jiuzhu_domain::ResidentId::build(
        "410502",
        chrono::NaiveDate::from_ymd_opt(1958, 2, 3).unwrap(),
        7,
    );
    std::fs::write(
        &csv,
        format!("{header}\nA,410502001001,解放路1号,张三,{id},户主,城镇,无劳动能力,低保,655.40,2020-05,2020-04-28,12\n"),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = jiuzhu(dir.path())
            .args(["import", "rolls"])
            .arg(&csv)
            .args(extra)
            .arg("--database-url")
            .arg(&db)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, out) = run(&["--expect", "410502:dibao:1:1:655.40", "--dry-run"]);
    assert!(ok, "{out}");
    assert!(out.contains("655.40") && out.contains("一致"), "{out}");
    assert!(out.contains("未写入任何数据"), "{out}");
    let (ok, out) = run(&["--expect", "410502:dibao:1:1:655.41"]);
    assert!(!ok, "a fen apart is refused: {out}");
    assert!(out.contains("不一致"), "{out}");
    let (ok, out) = run(&["--expect", "410502:dibao:1:1:655.40"]);
    assert!(ok, "{out}");
    assert!(out.contains("纳入保障 1 户"), "{out}");
    let (ok, out) = run(&[]);
    assert!(ok, "{out}");
    assert!(out.contains("已在册未变 1 户"), "{out}");
}
