//! S22: `jiuzhu import SOURCE FILE` as an operator runs it: good rows in, bad rows listed and
//! written beside the file (exit 1), the same file again changes nothing, an unknown source
//! names the choices; `jiuzhu import ROSTER` still imports rosters.

mod common;

use common::jiuzhu;

fn id(y: i32, seq: u16) -> String {
    jiuzhu_domain::ResidentId::build(
        "410502",
        chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap(),
        seq,
    )
    .to_string()
}

#[test]
fn an_agency_file_is_imported_once_with_its_bad_rows_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite3");
    let file = dir.path().join("deaths.csv");
    std::fs::write(
        &file,
        format!(
            "身份证号,记录类型,数据日期\n{},死亡,2026-09-01\n{},出生,2026-09-01\n",
            id(1940, 1),
            id(1941, 2)
        ),
    )
    .unwrap();
    let run = || {
        jiuzhu(dir.path())
            .args(["import", "户籍"])
            .arg(&file)
            .arg("--database-url")
            .arg(&db)
            .output()
            .unwrap()
    };
    let out = run();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "a bad row makes the exit status fail"
    );
    assert!(
        stdout.contains("新增 1 条") && stdout.contains("有误 1 行"),
        "{stdout}"
    );
    assert!(stdout.contains("第 3 行 kind"), "{stdout}");
    let report = std::fs::read_to_string(dir.path().join("deaths.errors.csv")).unwrap();
    assert!(report.contains("deaths.csv,3,kind,"), "{report}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("其余行已导入"));
    let again = run();
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("已导入过"));
    let out = jiuzhu(dir.path())
        .args(["import", "weather"])
        .arg(&file)
        .arg("--database-url")
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("未知数据来源") && err.contains("internet_finance（互联网金融资产）"),
        "{err}"
    );
    // Cross-matching takes its income limit from the policy unless one is given.
    let out = jiuzhu(dir.path())
        .args(["crossmatch", "--database-url"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("超过每月 1095.00 元"),
        "the 低保边缘 ceiling, 730 × 1.5: {stdout}"
    );
    let out = jiuzhu(dir.path())
        .args(["crossmatch", "--income-above", "2000", "--database-url"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("超过每月 2000.00 元"));
}

#[test]
fn the_demo_brings_agency_data_and_agency_data_writes_importable_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    let out = jiuzhu(dir.path())
        .args(["demo", "--households", "300", "--no-serve", "--database"])
        .arg(&db)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("已导入部门核对数据")
            && stdout.contains("主动发现线索")
            && stdout.contains("已登记演示救助申请"),
        "{stdout}"
    );
    // Discovery on its own: a bad date is named; a re-run raises nothing new.
    let discover = |extra: &[&str]| {
        jiuzhu(dir.path())
            .arg("discover")
            .args(extra)
            .arg("--database-url")
            .arg(&db)
            .args(["--key-file", "jiuzhu-data/demo.key"])
            .output()
            .unwrap()
    };
    let bad = discover(&["--as-of", "2026-02-30"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--as-of"));
    let again = discover(&["--as-of", "2026-11-01"]);
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.status.success() && text.contains("新增线索 0 条"),
        "{text}"
    );
    let files = dir.path().join("agency");
    let out = jiuzhu(dir.path())
        .args(["agency-data", "--per-mille", "200", "--out"])
        .arg(&files)
        .arg("--database-url")
        .arg(&db)
        .args(["--key-file", "jiuzhu-data/demo.key"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let planted = std::fs::read_to_string(files.join("planted.csv")).unwrap();
    assert!(
        planted.starts_with("county,household_id,person_id,kind"),
        "{planted}"
    );
    // A new seed's files import cleanly into the same database.
    let mut imported = 0;
    for entry in std::fs::read_dir(&files).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name == "planted.csv" {
            continue;
        }
        let source = name.split('-').next().unwrap().to_owned();
        let out = jiuzhu(dir.path())
            .args(["import", &source])
            .arg(&path)
            .arg("--database-url")
            .arg(&db)
            .args(["--key-file", "jiuzhu-data/demo.key"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {text}");
        assert!(
            text.contains("有误 0 行") || text.contains("已导入过"),
            "{text}"
        );
        imported += 1;
    }
    assert!(imported >= 5, "{imported} files");
}
