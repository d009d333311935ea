//! Cross-matching the caseload against agency data (S7, G3), on SQLite and PostgreSQL: every
//! planted finding becomes one review task with its evidence and nothing else does; a re-run
//! raises nothing twice; both backends find the same (equal digests).

mod common;

use common::*;
use jiuzhu_app::verification::cross_match;
use jiuzhu_app::verification::import;
use jiuzhu_domain::Money;
use jiuzhu_domain::agency::Source;

/// Registers three households (six people) and returns their ID numbers.
fn register(env: &Env) -> Vec<String> {
    let mut ids = Vec::new();
    for seq in 1..=3 {
        let h = household(seq);
        jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &h).unwrap();
        ids.extend(h.members.iter().map(|m| m.id_number.clone()));
    }
    ids
}

fn load(env: &Env, source: Source, name: &str, csv: String) {
    let r = import(
        &env.t.db,
        &env.ctx.keys,
        &env.ctx.audit,
        &env.city(),
        source,
        name,
        csv.as_bytes(),
        &|_, _| {},
    )
    .unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
}

#[test]
fn every_planted_finding_is_raised_once_and_nothing_else() {
    let mut digests = Vec::new();
    for env in envs() {
        let p = register(&env);
        let stranger = id("410522", 1970, 1, 1, 99);
        load(
            &env,
            Source::Hukou,
            "h.csv",
            format!(
                "id_number,kind,as_of\n{},death,2026-09-30\n{stranger},death,2026-09-30\n{},moved_out,2026-09-30\n",
                p[0], p[1]
            ),
        );
        load(
            &env,
            Source::Vehicle,
            "v.csv",
            format!(
                "id_number,kind,as_of,reference\n{},car,2026-10-01,豫E1\n",
                p[2]
            ),
        );
        load(
            &env,
            Source::RealEstate,
            "r.csv",
            format!(
                "id_number,kind,as_of,reference\n{a},home,2020-01-01,D1\n{a},home,2026-05-01,D2\n{b},home,2019-01-01,D3\n{c},other_property,2026-01-01,S1\n",
                a = p[3],
                b = p[4],
                c = p[5]
            ),
        );
        load(
            &env,
            Source::Business,
            "b.csv",
            format!("id_number,kind,as_of\n{stranger},company,2026-01-01\n"),
        );
        load(
            &env,
            Source::Tax,
            "t.csv",
            format!(
                "id_number,kind,amount,period_start,period_end,as_of\n{},taxed_income,3000.01,2026-01-01,2026-06-30,2026-07-15\n{},taxed_income,3000.00,2026-01-01,2026-06-30,2026-07-15\n",
                p[1], p[2]
            ),
        );
        load(
            &env,
            Source::SocialInsurance,
            "s.csv",
            format!("id_number,kind,as_of\n{},public_payroll,2026-10-01\n", p[4]),
        );
        let who = env.city();
        let r = cross_match(&env.t.db, &env.ctx.audit, &who, Money::from_yuan(3000)).unwrap();
        let want: Vec<(&str, usize)> = vec![
            ("business", 0),
            ("death", 1),
            ("elsewhere", 1),
            ("income", 1),
            ("public_payroll", 1),
            ("real_estate", 2),
            ("vehicle", 1),
        ];
        let got: Vec<(&str, usize)> = [
            "business",
            "death",
            "elsewhere",
            "income",
            "public_payroll",
            "real_estate",
            "vehicle",
        ]
        .iter()
        .map(|k| (*k, r.findings.get(*k).copied().unwrap_or(0)))
        .collect();
        assert_eq!(got, want, "{}: {:?}", env.t.label, r.findings);
        assert_eq!(r.tasks_new, 7);
        let again = cross_match(&env.t.db, &env.ctx.audit, &who, Money::from_yuan(3000)).unwrap();
        assert_eq!(again.tasks_new, 0, "a re-run raises nothing twice");
        assert_eq!(again.digest, r.digest);
        let mut c = env.t.db.conn().unwrap();
        let open = jiuzhu_storage::review::open_tasks(&mut c, &["410502".to_owned()], 100).unwrap();
        assert_eq!(open.len(), 7);
        let death = open.iter().find(|t| t.kind == "death").unwrap();
        assert_eq!(death.source, "hukou");
        assert_eq!(death.as_of.to_string(), "2026-09-30");
        let house = open.iter().find(|t| {
            t.kind == "real_estate"
                && t.source == "real_estate"
                && t.as_of.to_string() == "2026-05-01"
        });
        assert!(house.is_some(), "the newest home is the evidence");
        digests.push(r.digest);
    }
    digests.dedup();
    assert_eq!(digests.len(), 1, "SQLite and PostgreSQL find the same");
}

#[test]
fn only_the_verification_officer_runs_the_match() {
    for env in envs() {
        let mut who = env.scope("410502");
        who.role = Some(jiuzhu_domain::Role::CountyCivilAffairs);
        let e = cross_match(&env.t.db, &env.ctx.audit, &who, Money::from_yuan(3000)).unwrap_err();
        assert!(matches!(e, jiuzhu_app::AppError::Forbidden(_)));
    }
}
