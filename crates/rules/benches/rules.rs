//! Rules benchmark: 低保 for N synthetic households (default 1,000,000) on one core without
//! explanations, the full needs assessment without explanations, one household with its full
//! explanation, and JSON Lines end to end (parse, assess, write).
//!
//! ```text
//! cargo bench -p jiuzhu-rules --bench rules                       # 1,000,000 households
//! JIUZHU_BENCH_HOUSEHOLDS=2000 cargo test --workspace --all-targets   # smoke run (CI)
//! ```
//! Results go to stdout as Markdown rows for docs/benchmarks.md.

use chrono::NaiveDate;
use jiuzhu_domain::{Money, RegionCode};
use jiuzhu_rules::input::{
    Area, Assets, Disability, DisabilityKind, Household, Income, IncomeKind, Member, Yuan,
};
use jiuzhu_rules::{Batch, Checked, Engine, PolicySet};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::Instant;

const REGIONS: [&str; 9] = [
    "410502", "410503", "410505", "410506", "410522", "410523", "410526", "410527", "410581",
];

fn synthetic(n: usize, seed: u64) -> Vec<Household> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let kinds = [
        IncomeKind::Wage,
        IncomeKind::Business,
        IncomeKind::Transfer,
        IncomeKind::BasicPension,
    ];
    (0..n)
        .map(|i| {
            let size = rng.random_range(1..=5usize);
            let members: Vec<Member> = (0..size)
                .map(|k| {
                    // Drawn in this order (birth, disability, illness, work): the same data as before.
                    let born = NaiveDate::from_ymd_opt(
                        rng.random_range(1935..2024),
                        rng.random_range(1..=12),
                        rng.random_range(1..=28),
                    )
                    .unwrap();
                    Member {
                        disability: rng.random_bool(0.08).then(|| Disability {
                            category: DisabilityKind::Physical,
                            grade: rng.random_range(1..=4),
                        }),
                        serious_illness: rng.random_bool(0.05),
                        employed: rng.random_bool(0.3),
                        ..Member::new(format!("p{k}"), born)
                    }
                })
                .collect();
            let incomes = (0..rng.random_range(0..=3usize))
                .map(|_| Income {
                    member: Some(format!("p{}", rng.random_range(0..size))),
                    kind: kinds[rng.random_range(0..kinds.len())],
                    monthly: Yuan(Money::from_fen(rng.random_range(0..300_000))),
                })
                .collect();
            Household {
                id: Some(format!("h{i}")),
                region: REGIONS[i % REGIONS.len()].to_owned(),
                area: if rng.random_bool(0.5) {
                    Area::Urban
                } else {
                    Area::Rural
                },
                members,
                incomes,
                assets: Assets {
                    financial: Yuan(Money::from_fen(rng.random_range(0..3_000_000))),
                    vehicles: u32::from(rng.random_bool(0.05)),
                    homes: 1,
                    other_real_estate: 0,
                },
                extra_spending_monthly: Yuan::default(),
                rigid_spending_12m: Yuan::default(),
                housing_need: Some(false),
                current_dibao: None,
                hardship: None,
                price_index: None,
            }
        })
        .collect()
}

fn known(_: &RegionCode) -> bool {
    true
}

fn main() {
    let n: usize = std::env::var("JIUZHU_BENCH_HOUSEHOLDS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    // The shipped policy folder, one file per programme.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policy/anyang");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("policy folder")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("policy file");
            (p.display().to_string(), text)
        })
        .collect();
    files.sort();
    let engine =
        Engine::new(PolicySet::parse_files("policy/anyang", &files, &known).expect("policy loads"));
    let date = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let t = Instant::now();
    let households = synthetic(n, 2021);
    eprintln!(
        "generated {n} households in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // 0. Checking every household once (ids, references, ranges), before any run.
    let t = Instant::now();
    let checked: Vec<Checked> = households
        .iter()
        .map(|h| Checked::new(h).expect("valid household"))
        .collect();
    let s = t.elapsed().as_secs_f64();
    println!(
        "| checking input once (ids, references, ranges) | {n} households | {s:.3} s | {:.2} M households/s | |",
        n as f64 / s / 1e6
    );

    // 1. 低保 only, no explanations, one core.
    let mut best = f64::MAX;
    let mut eligible = 0usize;
    let mut total = 0i64;
    for _ in 0..3 {
        let mut batch = Batch::new(&engine, date);
        let t = Instant::now();
        eligible = 0;
        total = 0;
        for h in &checked {
            let a = batch.dibao(black_box(*h)).expect("valid household");
            if a.outcome == jiuzhu_rules::Outcome::Eligible {
                eligible += 1;
                total += a.monthly.fen();
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "| 低保, no explanation, 1 core | {n} households | {:.3} s | {:.2} M households/s | {eligible} eligible, {} yuan/month |",
        best,
        n as f64 / best / 1e6,
        Money::from_fen(total).yuan_string()
    );

    if std::env::var("JIUZHU_BENCH_ONLY").is_ok_and(|v| v == "dibao") {
        return;
    }

    // 2. Every programme, no explanations.
    let mut batch = Batch::new(&engine, date);
    let t = Instant::now();
    for h in &checked {
        black_box(batch.assess(black_box(*h)).expect("valid household"));
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "| needs assessment (all programmes), no explanation, 1 core | {n} households | {s:.3} s | {:.2} M households/s | |",
        n as f64 / s / 1e6
    );

    // 3. One household with its full explanation.
    let rich = households
        .iter()
        .find(|h| h.members.len() == 5 && !h.incomes.is_empty())
        .unwrap_or(&households[0])
        .clone();
    let runs = 20_000.min(n * 10);
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(engine.assess(black_box(&rich), date, true).unwrap());
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let steps = engine
        .assess(&rich, date, true)
        .unwrap()
        .results
        .iter()
        .filter_map(|r| r.explanation.as_ref())
        .map(|e| e.steps.len())
        .sum::<usize>();
    println!(
        "| one household, full explanation ({steps} steps) | {runs} runs | median {:.1} µs | p99 {:.1} µs | |",
        times[runs / 2],
        times[runs * 99 / 100]
    );

    // 4. JSON Lines end to end, 低保 only (what OpenFisca's reference figure measures):
    //    parse, check, 低保, write the outcome and amount.
    let lines: Vec<String> = households
        .iter()
        .take(n.min(200_000))
        .map(|h| serde_json::to_string(h).unwrap())
        .collect();
    let mut batch = Batch::new(&engine, date);
    let t = Instant::now();
    let mut out = Vec::with_capacity(1 << 20);
    for l in &lines {
        let h: Household = serde_json::from_str(l).unwrap();
        let a = batch.dibao(Checked::new(&h).unwrap()).unwrap();
        serde_json::to_writer(&mut out, &(h.id.as_deref(), a.outcome, a.monthly.fen())).unwrap();
        out.push(b'\n');
        if out.len() > 1 << 20 {
            black_box(&out);
            out.clear();
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "| JSON Lines end to end, 低保 only (parse, check, assess, write) | {} households | {s:.3} s | {:.3} M households/s | |",
        lines.len(),
        lines.len() as f64 / s / 1e6
    );

    // 5. JSON Lines end to end: parse, assess every programme, write the full result.
    let mut batch = Batch::new(&engine, date);
    let t = Instant::now();
    let mut out = Vec::with_capacity(1 << 20);
    for l in &lines {
        let h: Household = serde_json::from_str(l).unwrap();
        let a = batch.assess(Checked::new(&h).unwrap()).unwrap();
        serde_json::to_writer(&mut out, &a).unwrap();
        out.push(b'\n');
        if out.len() > 1 << 20 {
            black_box(&out);
            out.clear();
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "| JSON Lines end to end, every programme (parse, assess, write) | {} households | {s:.3} s | {:.3} M households/s | |",
        lines.len(),
        lines.len() as f64 / s / 1e6
    );
}
