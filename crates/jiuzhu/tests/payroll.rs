//! S4: Kill-and-restart (issue 7), on SQLite and PostgreSQL: `jiuzhu payroll run` is killed at
//! moments spread over its run time, again and again, then allowed to finish; the month ends
//! with exactly one line per enrolment and the same total as an uninterrupted run of another
//! month — no duplicate, no missing line.

mod common;

use std::process::Stdio;
use std::sync::Arc;
use std::time::Instant;

use common::jiuzhu;
use jiuzhu_app::Context;
use jiuzhu_app::regions::RegionCache;
use jiuzhu_domain::{Month, RegionCode};
use jiuzhu_storage::testing::all_backends;

/// Enrolments spread over the townships of 滑县 (410526).
const ENROLMENTS: u64 = 40_000;

fn seed(registry: &Context) -> i64 {
    let county = RegionCode::parse("410526").unwrap();
    let towns: Vec<RegionCode> = registry.regions.children(&county).to_vec();
    let start = Month::parse("2026-01").unwrap();
    let mut enrolments = Vec::new();
    let mut accounts = Vec::new();
    let mut fen = 0;
    for n in 0..ENROLMENTS {
        let town = &towns[(n as usize) % towns.len()];
        let (e, a) = jiuzhu_demo::payroll::synthetic(
            registry,
            "410526",
            town.as_str(),
            &format!("hh-{n:06}"),
            n,
            start,
        );
        fen += e.monthly_fen;
        enrolments.push(e);
        accounts.push(a);
    }
    let mut conn = registry.db.conn().unwrap();
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), jiuzhu_storage::StorageError> {
        jiuzhu_storage::payroll::insert_enrolments(c, &enrolments)?;
        jiuzhu_storage::payroll::insert_accounts(c, &accounts)
    })
    .unwrap();
    fen
}

/// (lines, fen, line ids without the month) of the county's run for `month`.
fn state(registry: &Context, month: &str) -> (usize, i64, Vec<String>) {
    let mut conn = registry.db.conn().unwrap();
    let Some(run) = jiuzhu_storage::payroll::run_of_month(&mut conn, "410526", month).unwrap()
    else {
        return (0, 0, vec![]);
    };
    let lines =
        jiuzhu_storage::payroll::lines(&mut conn, "410526", &run.id, None, 0, i64::MAX).unwrap();
    let fen = lines.iter().map(|l| l.amount_fen).sum();
    let mut ids: Vec<String> = lines
        .iter()
        .map(|l| l.id.trim_end_matches(&format!(":{month}")).to_owned())
        .collect();
    ids.sort();
    (lines.len(), fen, ids)
}

#[test]
fn a_payroll_run_killed_again_and_again_pays_every_enrolment_exactly_once() {
    for t in all_backends() {
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("test.key");
        let url = t.url();
        let args = |month: &str| -> Vec<String> {
            [
                "payroll",
                "run",
                "--month",
                month,
                "--county",
                "410526",
                "--database-url",
                &url,
                "--key-file",
            ]
            .iter()
            .map(|s| s.to_string())
            .chain([key_file.display().to_string()])
            .collect()
        };
        // The command line creates the key file; the test seals with the same keys.
        let out = jiuzhu(dir.path())
            .args(["migrate", "--database-url", &url, "--key-file"])
            .arg(&key_file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let keys = Arc::new(
            jiuzhu_crypto::KeyProvider::keys(&jiuzhu_crypto::KeyFileProvider(key_file.clone()))
                .unwrap(),
        );
        let regions = Arc::new(RegionCache::load(&mut t.db.conn().unwrap()).unwrap());
        let registry = jiuzhu_app::open(t.db.clone(), regions, keys);
        let fen = seed(&registry);

        // An uninterrupted run of one month, timed.
        let started = Instant::now();
        let out = jiuzhu(dir.path()).args(args("2026-11")).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let took = started.elapsed();
        let whole = state(&registry, "2026-11");
        assert_eq!(
            (whole.0, whole.1),
            (ENROLMENTS as usize, fen),
            "{}",
            t.label
        );

        // Another month, killed at moments spread over that time, then finished.
        let mut partial = 0;
        for k in 1..=8u32 {
            let mut child = jiuzhu(dir.path())
                .args(args("2026-12"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(took * k / 9);
            let _ = child.kill();
            let _ = child.wait();
            let (lines, _, ids) = state(&registry, "2026-12");
            let mut unique = ids.clone();
            unique.dedup();
            assert_eq!(
                unique.len(),
                ids.len(),
                "{}: a duplicate after kill {k}",
                t.label
            );
            if lines > 0 && lines < ENROLMENTS as usize {
                partial += 1;
            }
        }
        assert!(
            partial > 0,
            "{}: no kill landed mid-run (run took {took:?})",
            t.label
        );
        let out = jiuzhu(dir.path()).args(args("2026-12")).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let done = state(&registry, "2026-12");
        assert_eq!(
            done.0, whole.0,
            "{}: no missing line, no duplicate",
            t.label
        );
        assert_eq!(done.1, whole.1, "{}: the same total", t.label);
        assert_eq!(done.2, whole.2, "{}: the same lines", t.label);
        eprintln!(
            "{}: run {took:?}, {partial} of 8 kills landed mid-run",
            t.label
        );
    }
}
