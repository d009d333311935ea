//! S2: `jiuzhu eval` and `jiuzhu simulate` as an operator runs them: every golden case gives the
//! engine's answer, batches write one line a household (errors included, never dropped), the
//! published JSON Schemas are current, and a reform is simulated over a demo registry.

mod common;

use common::jiuzhu;
use jiuzhu_rules::testing::{GoldenCase, golden_cases};
use std::io::Write;
use std::process::Stdio;

fn workspace() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn engine() -> jiuzhu_rules::Engine {
    jiuzhu_rules::Engine::new(jiuzhu_app::registry::assessment::load_policy(None).unwrap())
}

#[test]
fn eval_prints_the_engines_answer_for_every_golden_case() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine();
    for (
        i,
        GoldenCase {
            name,
            date,
            household,
            error,
        },
    ) in golden_cases().into_iter().enumerate()
    {
        let file = dir.path().join(format!("h{i}.json"));
        std::fs::write(&file, household.to_string()).unwrap();
        let out = jiuzhu(dir.path())
            .args(["eval", "--date", &date])
            .arg(&file)
            .output()
            .unwrap();
        match error {
            Some(field) => {
                assert!(!out.status.success(), "{name}");
                let err = String::from_utf8_lossy(&out.stderr);
                assert!(err.contains(&field), "{name}: {err}");
            }
            None => {
                assert!(
                    out.status.success(),
                    "{name}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                let h: jiuzhu_rules::Household = serde_json::from_value(household).unwrap();
                let want = engine.assess(&h, date.parse().unwrap(), true).unwrap();
                assert_eq!(got, serde_json::to_value(&want).unwrap(), "{name}");
            }
        }
    }
}

#[test]
fn a_batch_writes_one_line_per_household_and_keeps_going_past_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine();
    let date = "2025-08-01";
    let cases: Vec<_> = golden_cases()
        .into_iter()
        .filter(|c| c.error.is_none())
        .collect();
    let mut input = String::new();
    for (k, c) in cases.iter().enumerate() {
        input.push_str(&c.household.to_string());
        input.push('\n');
        if k == 3 {
            input.push_str("{\"region\": \"4105\"}\n");
        }
    }
    let mut child = jiuzhu(dir.path())
        .args(["eval", "--batch", "--date", date, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        !out.status.success(),
        "a bad line makes the exit status fail"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), cases.len() + 1);
    assert_eq!(lines[4]["line"], 5);
    assert!(lines[4]["error"].as_str().unwrap().contains("area"));
    let mut k = 0;
    for (i, line) in lines.iter().enumerate() {
        if i == 4 {
            continue;
        }
        let h: jiuzhu_rules::Household =
            serde_json::from_value(cases[k].household.clone()).unwrap();
        let want = engine.assess(&h, date.parse().unwrap(), false).unwrap();
        assert_eq!(
            line,
            &serde_json::to_value(&want).unwrap(),
            "{}",
            cases[k].name
        );
        k += 1;
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 行有误"));
}

#[test]
fn the_published_json_schemas_are_current() {
    let dir = tempfile::tempdir().unwrap();
    for (kind, file) in [
        ("input", "eval-input"),
        ("request", "eval-request"),
        ("output", "eval-output"),
    ] {
        let out = jiuzhu(dir.path())
            .args(["eval", "--schema", kind])
            .output()
            .unwrap();
        assert!(out.status.success());
        let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let path = workspace().join(format!("docs/schema/{file}.schema.json"));
        let published: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
                .unwrap_or_default();
        assert_eq!(
            got,
            published,
            "{} is stale: run `jiuzhu eval --schema {kind} > {}`",
            path.display(),
            path.display()
        );
    }
}

#[test]
fn a_bad_policy_file_is_refused_with_its_name_key_and_clause() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("bad.toml");
    let text = jiuzhu_app::registry::assessment::bundled_policy_text().replacen(
        "value = \"1.3\"",
        "value = \"一点三\"",
        1,
    );
    std::fs::write(&policy, text).unwrap();
    let h = dir.path().join("h.json");
    std::fs::write(
        &h,
        r#"{"region":"4105","area":"urban","members":[{"id":"a","birth_date":"1950-01-01"}]}"#,
    )
    .unwrap();
    let out = jiuzhu(dir.path())
        .arg("eval")
        .arg("--policy")
        .arg(&policy)
        .arg(&h)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml")
            && err.contains("tekun.basic_multiple")
            && err.contains("河南省特困人员救助供养办法"),
        "{err}"
    );
}

#[test]
fn simulate_reports_per_county_who_gains_when_the_standard_rises() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    let out = jiuzhu(dir.path())
        .args(["demo", "--households", "400", "--no-serve", "--database"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reform = dir.path().join("reform.toml");
    let text = jiuzhu_app::registry::assessment::bundled_policy_text()
        .replace(
            "urban = \"730.00\"\nrural = \"540.00\"",
            "urban = \"800.00\"\nrural = \"600.00\"",
        )
        .replace("version = \"anyang-2026.1\"", "version = \"reform\"");
    assert!(text.contains("800.00"));
    std::fs::write(&reform, text).unwrap();
    let run = |reform: &std::path::Path| {
        let out = jiuzhu(dir.path())
            .args([
                "simulate",
                "--date",
                "2026-11-01",
                "--json",
                "--key-file",
                "jiuzhu-data/demo.key",
                "--database-url",
            ])
            .arg(&db)
            .arg("--reform")
            .arg(reform)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let v = run(&reform);
    let t = &v["total"];
    assert_eq!(t["households"], 400, "{v}");
    // One row per county-level division, the 高新区 (410571) included.
    assert_eq!(
        v["rows"].as_array().unwrap().len(),
        10,
        "one row per county"
    );
    assert!(t["eligible_after"].as_u64() >= t["eligible_before"].as_u64());
    assert!(
        t["cost_after_fen"].as_i64() > t["cost_before_fen"].as_i64(),
        "{v}"
    );
    assert!(t["gain"].as_u64().unwrap() > 0 && t["lose"] == 0, "{v}");
    // 滑县 keeps its own 720/530 standard, so nobody there gains.
    let hua = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["county"] == "410526")
        .unwrap();
    assert_eq!(hua["gain"], 0, "{hua}");
    // The same policy as reform changes nothing.
    let same = dir.path().join("same.toml");
    std::fs::write(
        &same,
        jiuzhu_app::registry::assessment::bundled_policy_text(),
    )
    .unwrap();
    let v = run(&same);
    let t = &v["total"];
    assert_eq!(t["gain"], 0);
    assert_eq!(t["lose"], 0);
    assert_eq!(t["cost_after_fen"], t["cost_before_fen"]);
    // The table form names the counties.
    let out = jiuzhu(dir.path())
        .args([
            "simulate",
            "--date",
            "2026-11-01",
            "--key-file",
            "jiuzhu-data/demo.key",
            "--database-url",
        ])
        .arg(&db)
        .arg("--reform")
        .arg(&reform)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("文峰区") && table.contains("合计"),
        "{table}"
    );
}
