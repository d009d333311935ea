//! Issue 15 item 9, the short fuzz run of the test suite: each target over its seeds, then over
//! mutations of them and random bytes (a fixed seed, so a failure repeats). The long runs are
//! `cargo fuzz run <target>` (docs/security.md).

use jiuzhu_fuzz_targets::TARGETS;
use rand::{Rng, SeedableRng};

/// Inputs per target, besides the seeds.
const RUNS: usize = 3_000;

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let household = br#"{"region": "410502001", "area": "urban", "members": [{"id": "p1", "birth_date": "1980-05-01", "employed": true}, {"id": "p2", "birth_date": "1982-03-01"}, {"id": "p3", "birth_date": "2012-06-01", "student": true}], "incomes": [{"member": "p1", "kind": "wage", "monthly": "1200.00"}]}"#;
    let roster_header = jiuzhu_app::registry::roster::COLUMNS
        .iter()
        .map(|c| c.0)
        .collect::<Vec<_>>()
        .join(",");
    let mut csv = vec![1u8];
    csv.extend_from_slice(roster_header.as_bytes());
    csv.extend_from_slice(
        "\n1,410502001001,解放路1号,张三,11010519491231002X,户主,城镇\n".as_bytes(),
    );
    let mut xlsx = vec![0u8];
    xlsx.extend(jiuzhu_app::registry::roster::template_xlsx().expect("template"));
    match target {
        "resident_id" => vec![b"11010519491231002X".to_vec(), b"110105194912310021".to_vec()],
        "region_code" => vec![b"410502001001".to_vec(), b"4105".to_vec(), b"410526".to_vec()],
        "money" => vec![b"123.45".to_vec(), b"-0.01".to_vec(), b"92233720368547758.07".to_vec()],
        "roster_table" => vec![csv, xlsx],
        "agency_file" => vec![
            [&[2u8][..], "身份证号,类型,金额,起,止,截至,单位\n11010519491231002X,纳税收入,1200.00,2026-01-01,2026-06-30,2026-07-01,税务局\n".as_bytes()].concat(),
            [&[0u8][..], br#"{"id_number": "11010519491231002X", "kind": "taxed_income", "amount": "10"}"#].concat(),
        ],
        "policy" => vec![jiuzhu_app::registry::assessment::bundled_policy_text().into_bytes()],
        "eval_json" => vec![household.to_vec()],
        _ => vec![],
    }
}

fn mutate(rng: &mut rand_chacha::ChaCha8Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..rng.random_range(1..8) {
        match rng.random_range(0..4) {
            0 if !v.is_empty() => {
                let i = rng.random_range(0..v.len());
                v[i] = rng.random();
            }
            1 if !v.is_empty() => {
                let i = rng.random_range(0..v.len());
                v.truncate(i);
            }
            2 => {
                let i = rng.random_range(0..=v.len());
                let b: u8 = rng.random();
                v.insert(i, b);
            }
            _ if !v.is_empty() => {
                let i = rng.random_range(0..v.len());
                let j = rng.random_range(i..v.len());
                let chunk = v[i..=j].to_vec();
                v.splice(i..i, chunk);
            }
            _ => v.push(rng.random()),
        }
    }
    v
}

#[test]
fn every_target_survives_its_seeds_their_mutations_and_random_bytes() {
    for (name, target) in TARGETS {
        let seeds = seeds(name);
        assert!(!seeds.is_empty(), "{name} has seeds");
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(15);
        for s in &seeds {
            target(s);
        }
        // The policy loader and the eval are slower: fewer runs, still thousands of inputs in all.
        let runs = if matches!(*name, "policy" | "roster_table" | "agency_file") {
            RUNS / 10
        } else {
            RUNS
        };
        for i in 0..runs {
            let input = if i % 4 == 0 {
                let n = rng.random_range(0..64);
                (0..n).map(|_| rng.random()).collect()
            } else {
                let s = &seeds[i % seeds.len()];
                mutate(&mut rng, s)
            };
            let caught = std::panic::catch_unwind(|| target(&input));
            assert!(
                caught.is_ok(),
                "{name} panicked on {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}
