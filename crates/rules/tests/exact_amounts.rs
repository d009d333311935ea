//! S4: 实际差额 — the 低保 amount of 100,000 random households per policy, compared to the fen
//! with a reference written here in plain integer fen, independently of the engine's helpers:
//! counted income = counted incomes − employment costs (share × wages + fixed, at most the
//! wages, summed exactly and rounded half up once) − extra spending; eligible when income <
//! standard × members and assets are within the limits; 差额 = standard × members − income;
//! 分档 = the first tier whose share of standard × members the income is below, paying its
//! share of standard × members rounded half up once; 低保边缘 when not eligible, assets
//! within, and income < 1.5 × standard × members.
//!
//! Two policies: the shipped one, and the same file with awkward figures (standards with odd
//! fen, a 17.5 % employment share, a fixed deduction of 287.65, tiers at thirds paying odd
//! percentages) so that every rounding is exercised.

mod common;

use chrono::NaiveDate;
use jiuzhu_domain::Money;
use jiuzhu_rules::input::{
    Area, Assets, Household, Income, IncomeKind, Member, Presence, Relation, Yuan,
};
use jiuzhu_rules::{Engine, Outcome};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const HOUSEHOLDS: usize = 100_000;
const MICRO: i128 = 1_000_000;

/// The figures the reference uses, written out from the policy text (not read from the engine).
#[derive(Clone, Copy)]
struct Figures {
    /// (urban, rural) standard in fen, per region key.
    city: (i64, i64),
    hua: (i64, i64),
    linzhou_fixed_fen: i64,
    city_share_ppm: i64,
    /// (below ppm, pay ppm) for 林州市.
    tiers: [(i64, i64); 3],
}

const SHIPPED: Figures = Figures {
    city: (73_000, 54_000),
    hua: (72_000, 53_000),
    linzhou_fixed_fen: 30_000,
    city_share_ppm: 200_000,
    tiers: [(300_000, 900_000), (600_000, 600_000), (1_000_000, 300_000)],
};

const AWKWARD: Figures = Figures {
    city: (73_337, 54_113),
    hua: (71_999, 52_951),
    linzhou_fixed_fen: 28_765,
    city_share_ppm: 175_000,
    tiers: [(333_333, 876_500), (666_667, 611_100), (1_000_000, 333_300)],
};

fn awkward_policy() -> String {
    let text = common::anyang_text();
    let replace = |t: String, from: &str, to: &str| {
        assert!(t.contains(from), "the shipped policy no longer has {from}");
        t.replacen(from, to, 1)
    };
    let mut t = text.to_owned();
    t = replace(
        t,
        "from = \"2025-07-01\"\nurban = \"730.00\"\nrural = \"540.00\"",
        "from = \"2025-07-01\"\nurban = \"733.37\"\nrural = \"541.13\"",
    );
    t = replace(
        t,
        "urban = \"720.00\"\nrural = \"530.00\"",
        "urban = \"719.99\"\nrural = \"529.51\"",
    );
    t = replace(
        t,
        "{ below = \"0.3\", pay = \"90%\" },\n  { below = \"0.6\", pay = \"60%\" },\n  { below = \"1\", pay = \"30%\" },",
        "{ below = \"0.333333\", pay = \"87.65%\" },\n  { below = \"0.666667\", pay = \"61.11%\" },\n  { below = \"1\", pay = \"33.33%\" },",
    );
    t = replace(
        t,
        "[[dibao.employment_cost.share]]\nregion = \"4105\"\nfrom = \"2021-09-13\"\nvalue = \"20%\"",
        "[[dibao.employment_cost.share]]\nregion = \"4105\"\nfrom = \"2021-09-13\"\nvalue = \"17.5%\"",
    );
    replace(t, "value = \"300.00\"", "value = \"287.65\"")
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    City,
    Hua,
    Linzhou,
}

impl Place {
    fn region(self) -> &'static str {
        match self {
            Place::City => "410502001",
            Place::Hua => "410526",
            Place::Linzhou => "410581",
        }
    }
}

/// A generated household in the reference's own terms.
struct Case {
    place: Place,
    urban: bool,
    /// (co-resident, employed) per member.
    members: Vec<(bool, bool)>,
    /// (member index or household, kind, fen).
    incomes: Vec<(Option<usize>, IncomeKind, i64)>,
    extra_spending: i64,
    financial: i64,
    vehicles: u32,
    homes: u32,
}

fn generate(rng: &mut ChaCha8Rng) -> Case {
    let place = [Place::City, Place::City, Place::Hua, Place::Linzhou][rng.random_range(0..4)];
    let n = rng.random_range(1..=6usize);
    let mut members: Vec<(bool, bool)> = (0..n)
        .map(|_| (rng.random_ratio(19, 20), rng.random_ratio(2, 5)))
        .collect();
    members[0].0 = true;
    let kinds = [
        IncomeKind::Wage,
        IncomeKind::Wage,
        IncomeKind::Business,
        IncomeKind::Property,
        IncomeKind::Transfer,
        IncomeKind::Other,
        IncomeKind::BasicPension,
        IncomeKind::ExemptReward,
    ];
    let incomes = (0..rng.random_range(0..5))
        .map(|_| {
            let who = if rng.random_ratio(1, 6) {
                None
            } else {
                Some(rng.random_range(0..n))
            };
            let fen = match rng.random_range(0..3) {
                0 => rng.random_range(0..20_000),
                1 => rng.random_range(0..120_000),
                _ => rng.random_range(0..500_000),
            };
            (who, kinds[rng.random_range(0..kinds.len())], fen)
        })
        .collect();
    Case {
        place,
        urban: rng.random_bool(0.5),
        members,
        incomes,
        extra_spending: if rng.random_ratio(1, 5) {
            rng.random_range(0..50_000)
        } else {
            0
        },
        financial: rng.random_range(0..8_000_000),
        vehicles: u32::from(rng.random_ratio(1, 10)),
        homes: rng.random_range(0..3),
    }
}

fn to_household(c: &Case, i: usize) -> Household {
    let birth =
        |k: usize| NaiveDate::from_ymd_opt(1960 + (k as i32 * 7 + i as i32) % 45, 3, 1).unwrap();
    Household {
        id: Some(format!("h{i}")),
        region: c.place.region().to_owned(),
        area: if c.urban { Area::Urban } else { Area::Rural },
        members: c
            .members
            .iter()
            .enumerate()
            .map(|(k, (present, employed))| Member {
                relation: Some(if k == 0 {
                    Relation::Head
                } else {
                    Relation::Other
                }),
                presence: if *present {
                    Presence::CoResident
                } else {
                    Presence::Imprisoned
                },
                employed: *employed,
                ..Member::new(format!("m{k}"), birth(k))
            })
            .collect(),
        incomes: c
            .incomes
            .iter()
            .map(|(who, kind, fen)| Income {
                member: who.map(|k| format!("m{k}")),
                kind: *kind,
                monthly: Yuan(Money::from_fen(*fen)),
            })
            .collect(),
        assets: Assets {
            financial: Yuan(Money::from_fen(c.financial)),
            vehicles: c.vehicles,
            homes: c.homes,
            other_real_estate: 0,
        },
        extra_spending_monthly: Yuan(Money::from_fen(c.extra_spending)),
        rigid_spending_12m: Yuan::default(),
        housing_need: Some(false),
        current_dibao: None,
        hardship: None,
        price_index: None,
    }
}

/// What the reference says: (eligible, monthly fen, 低保边缘).
fn reference(c: &Case, f: &Figures) -> (bool, i64, bool) {
    let standard = match (c.place, c.urban) {
        (Place::Hua, true) => f.hua.0,
        (Place::Hua, false) => f.hua.1,
        (_, true) => f.city.0,
        (_, false) => f.city.1,
    };
    let (share_ppm, fixed) = match c.place {
        Place::Linzhou => (0, f.linzhou_fixed_fen),
        _ => (f.city_share_ppm, 0),
    };
    let n = c.members.iter().filter(|m| m.0).count() as i64;
    let counted_member = |who: Option<usize>| who.is_none_or(|k| c.members[k].0);
    let mut gross: i64 = 0;
    for (who, kind, fen) in &c.incomes {
        let counts = !matches!(kind, IncomeKind::BasicPension | IncomeKind::ExemptReward);
        if counts && counted_member(*who) {
            gross += fen;
        }
    }
    // Employment costs per employed, counted member with wages: share × wages + fixed, at most
    // the wages; summed in millionths of a fen, rounded half up once.
    let mut costs: i128 = 0;
    for (k, (present, employed)) in c.members.iter().enumerate() {
        if !present || !employed {
            continue;
        }
        let wages: i64 = c
            .incomes
            .iter()
            .filter(|(who, kind, _)| *who == Some(k) && *kind == IncomeKind::Wage)
            .map(|(_, _, fen)| fen)
            .sum();
        if wages > 0 {
            let d = i128::from(wages) * i128::from(share_ppm) + i128::from(fixed) * MICRO;
            costs += d.min(i128::from(wages) * MICRO);
        }
    }
    let costs = ((costs + MICRO / 2) / MICRO) as i64;
    // 安阳 deducts extra spending caused by disability or illness (deduct_rigid_spending = true).
    let income = (gross - costs - c.extra_spending).max(0);
    let total_standard = standard * n;
    let assets_ok = c.vehicles == 0
        && c.homes <= 1
        && i128::from(c.financial) <= i128::from(standard) * 24 * i128::from(n);
    let eligible = income < total_standard && assets_ok;
    let amount = if !eligible {
        0
    } else if c.place == Place::Linzhou {
        let tier = f
            .tiers
            .iter()
            .find(|(below, _)| {
                i128::from(income) * MICRO < i128::from(*below) * i128::from(total_standard)
            })
            .expect("the last tier is 1 × the standard");
        ((i128::from(tier.1) * i128::from(total_standard) + MICRO / 2) / MICRO) as i64
    } else {
        total_standard - income
    };
    let edge = !eligible && assets_ok && 2 * income < 3 * total_standard;
    (eligible, amount, edge)
}

fn compare(engine: &Engine, figures: &Figures, seed: u64) {
    let date = NaiveDate::from_ymd_opt(2025, 8, 1).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut wrong = Vec::new();
    let (mut eligible, mut tiered, mut odd_fen) = (0, 0, 0);
    for i in 0..HOUSEHOLDS {
        let case = generate(&mut rng);
        let h = to_household(&case, i);
        let (ok, amount, edge) = reference(&case, figures);
        let got = engine.dibao(&h, date).expect("the household is valid");
        let got_ok = got.outcome == Outcome::Eligible;
        if got_ok != ok || got.monthly.fen() != amount || got.edge != edge {
            wrong.push(format!(
                "h{i} {:?}: engine {:?} {} edge {} ≠ reference {ok} {} edge {edge}",
                case.place,
                got.outcome,
                got.monthly.yuan_string(),
                got.edge,
                Money::from_fen(amount).yuan_string()
            ));
        }
        // The explained path gives the same answer (every 50th: it is slower).
        if i % 50 == 0 {
            let a = engine.assess(&h, date, true).unwrap();
            let r = a.result(jiuzhu_rules::Programme::Dibao).unwrap();
            assert_eq!(
                r.monthly_fen,
                got.monthly.fen(),
                "h{i}: explained path differs"
            );
        }
        if ok {
            eligible += 1;
            tiered += usize::from(case.place == Place::Linzhou);
            odd_fen += usize::from(amount % 100 != 0);
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {HOUSEHOLDS} households differ from the reference, e.g.\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generator reaches what it is meant to test.
    assert!(eligible > HOUSEHOLDS / 10, "only {eligible} eligible");
    assert!(tiered > HOUSEHOLDS / 50, "only {tiered} tiered");
    assert!(odd_fen > HOUSEHOLDS / 20, "only {odd_fen} amounts with fen");
}

#[test]
fn dibao_matches_the_integer_reference_on_the_shipped_policy() {
    compare(common::engine(), &SHIPPED, 14);
}

#[test]
fn dibao_matches_the_integer_reference_with_awkward_figures() {
    let policy = common::parse("awkward.toml", &awkward_policy()).expect("the variant loads");
    compare(&Engine::new(policy), &AWKWARD, 1414);
}
