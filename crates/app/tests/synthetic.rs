//! S22: The synthetic agency data (issue 6 acceptance), on SQLite and PostgreSQL: a demo city's
//! files import without a refused row, in every format the importer reads; cross-matching
//! finds each planted discrepancy and nothing else; importing the files again changes nothing.

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use common::*;
use jiuzhu_app::verification::cross_match;
use jiuzhu_app::verification::discovery::{DiscoveryConfig, discover};
use jiuzhu_demo::agency::{self as synthetic, PLANTED_KINDS, SyntheticConfig};
use jiuzhu_demo::{DemoConfig, generate};
use jiuzhu_domain::Money;

fn config() -> SyntheticConfig {
    SyntheticConfig {
        seed: 7,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        plant_per_mille: 250,
        income_above: Money::from_yuan(1095),
        medical_above: Money::from_yuan(8760),
    }
}

#[test]
fn each_planted_discrepancy_is_found_and_nothing_else() {
    let mut digests = Vec::new();
    for env in envs() {
        let demo = DemoConfig {
            households: 400,
            ..Default::default()
        };
        generate(&env.ctx, &demo, &|_| {}).unwrap();
        let data = synthetic::generate(&env.ctx, &config(), &|_| {}).unwrap();
        let names: Vec<&str> = data.files.iter().map(|f| f.name.as_str()).collect();
        for ext in [".csv", ".xlsx", ".jsonl"] {
            assert!(names.iter().any(|n| n.ends_with(ext)), "{ext} in {names:?}");
        }
        let kinds: BTreeSet<&str> = data.planted.iter().map(|p| p.kind.as_str()).collect();
        assert_eq!(
            kinds.len(),
            PLANTED_KINDS.len(),
            "every kind planted: {kinds:?}"
        );

        let who = env.city();
        let reports = synthetic::import_all(&env.ctx, &who, &data).unwrap();
        for r in &reports {
            assert!(r.errors.is_empty(), "{}: {:?}", env.t.label, &r.errors[..1]);
            assert!(!r.already_imported);
        }
        let stored: usize = reports.iter().map(|r| r.imported + r.duplicate).sum();
        assert_eq!(stored, data.records);

        let r = cross_match(&env.t.db, &env.ctx.audit, &who, config().income_above).unwrap();
        let mut c = env.t.db.conn().unwrap();
        let counties: Vec<String> = env
            .ctx
            .regions
            .children(&"4105".parse().unwrap())
            .iter()
            .map(|c| c.short().to_owned())
            .collect();
        let found: BTreeSet<(String, String)> =
            jiuzhu_storage::review::open_tasks(&mut c, &counties, 100_000)
                .unwrap()
                .into_iter()
                .map(|t| (t.person_id, t.kind))
                .collect();
        let want: BTreeSet<(String, String)> = data
            .planted
            .iter()
            .filter(|p| p.kind != "undeclared_deposit" && p.kind != "lead_medical")
            .map(|p| (p.person_id.clone(), p.kind.clone()))
            .collect();
        assert!(want.len() >= 40, "a meaningful sample: {}", want.len());
        assert_eq!(
            found, want,
            "{}: found exactly what was planted",
            env.t.label
        );
        assert_eq!(r.tasks_new, want.len());

        // Active discovery finds the planted medical costs (among its other leads, which come
        // from the registry's disability data).
        let cfg = DiscoveryConfig {
            as_of: config().as_of,
            medical_above: config().medical_above,
        };
        discover(&env.t.db, &env.ctx.audit, &who, &cfg).unwrap();
        let medical: BTreeSet<String> =
            jiuzhu_storage::review::open_tasks(&mut c, &counties, 100_000)
                .unwrap()
                .into_iter()
                .filter(|t| t.kind == "lead_medical")
                .map(|t| t.person_id)
                .collect();
        let planted_medical: BTreeSet<String> = data
            .planted
            .iter()
            .filter(|p| p.kind == "lead_medical")
            .map(|p| p.person_id.clone())
            .collect();
        assert!(!planted_medical.is_empty());
        assert_eq!(medical, planted_medical);

        // The same files again: nothing changes.
        let again = synthetic::import_all(&env.ctx, &who, &data).unwrap();
        assert!(again.iter().all(|r| r.already_imported && r.imported == 0));
        digests.push(r.digest);
    }
    digests.dedup();
    assert_eq!(digests.len(), 1, "SQLite and PostgreSQL find the same");
}

#[test]
fn the_same_seed_gives_the_same_files() {
    let env = envs().into_iter().next().unwrap();
    generate(
        &env.ctx,
        &DemoConfig {
            households: 60,
            ..Default::default()
        },
        &|_| {},
    )
    .unwrap();
    let a = synthetic::generate(&env.ctx, &config(), &|_| {}).unwrap();
    let b = synthetic::generate(&env.ctx, &config(), &|_| {}).unwrap();
    assert_eq!(a.planted, b.planted);
    let bytes = |d: &synthetic::SyntheticAgencyData| -> Vec<Vec<u8>> {
        d.files
            .iter()
            .filter(|f| !f.name.ends_with(".xlsx")) // the XLSX carries a creation time
            .map(|f| f.bytes.clone())
            .collect()
    };
    assert_eq!(bytes(&a), bytes(&b));
}
