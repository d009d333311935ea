//! Active discovery (S20), on SQLite and PostgreSQL: a severely disabled member with no income
//! anywhere, large out-of-pocket medical costs and contributions that stopped months ago with
//! nobody working now become leads for the township; a pension, a working member, costs below
//! the limit or assistance already received do not; a re-run raises nothing twice.

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use common::*;
use jiuzhu_app::registry::EconomicRecordInput;
use jiuzhu_app::registry::HouseholdInput;
use jiuzhu_app::verification::discovery::{DiscoveryConfig, discover};
use jiuzhu_app::verification::import;
use jiuzhu_domain::Money;
use jiuzhu_domain::agency::Source;

fn disabled(name: &str, id_number: &str) -> jiuzhu_app::registry::PersonInput {
    let mut p = person(name, id_number, "户主");
    p.disability_category = "肢体".into();
    p.disability_grade = "二级".into();
    p.labour_capacity = "无劳动能力".into();
    p
}

fn one(seq: u16, members: Vec<jiuzhu_app::registry::PersonInput>) -> HouseholdInput {
    HouseholdInput {
        region_code: "410502001001".into(),
        address: format!("南关街{seq}号"),
        members,
    }
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
fn leads_are_raised_for_those_who_look_eligible_and_receive_nothing() {
    for env in envs() {
        let who = env.scope("410502");
        let ids: Vec<String> = (1..=9).map(|i| id("410502", 1970, 1, 1, 100 + i)).collect();
        let mut expect = BTreeSet::new();
        // 1: disabled, no income anywhere → lead. 2: disabled with a pension → none.
        // 3: disabled, but the household received assistance this year → none.
        let mut person_of = Vec::new();
        for (seq, i) in [(1u16, 0usize), (2, 1), (3, 2)] {
            let v = jiuzhu_app::registry::create_household(
                &env.ctx,
                &who,
                &one(seq, vec![disabled("王残", &ids[i])]),
            )
            .unwrap();
            person_of.push((v.household.id.clone(), v.members[0].person.id.clone()));
        }
        expect.insert((person_of[0].1.clone(), "lead_disability".to_owned()));
        jiuzhu_app::registry::add_economic_record(
            &env.ctx,
            &who,
            &person_of[2].0,
            &EconomicRecordInput {
                category: "社会救助款物（不计入）".into(),
                period_start: "2026-06-01".into(),
                period_end: "2026-06-30".into(),
                amount: "500".into(),
                ..Default::default()
            },
        )
        .unwrap();
        // 4: medical costs 10,000 in the year (> 8,760) → lead; 5: 8,760 exactly → none.
        // 6 and 7 in one household: 6's contributions stopped in May, nobody works → lead.
        // 8 and 9: 8's stopped, 9 still contributes → none.
        let pid = |seq: u16, members: Vec<usize>| -> Vec<String> {
            let v = jiuzhu_app::registry::create_household(
                &env.ctx,
                &who,
                &one(
                    seq,
                    members
                        .iter()
                        .enumerate()
                        .map(|(n, i)| person("李", &ids[*i], if n == 0 { "户主" } else { "配偶" }))
                        .collect(),
                ),
            )
            .unwrap();
            v.members.iter().map(|m| m.person.id.clone()).collect()
        };
        let p4 = pid(4, vec![3]);
        pid(5, vec![4]);
        let p6 = pid(6, vec![5, 6]);
        pid(8, vec![7, 8]);
        expect.insert((p4[0].clone(), "lead_medical".to_owned()));
        expect.insert((p6[0].clone(), "lead_no_work".to_owned()));
        load(
            &env,
            Source::SocialInsurance,
            "si.csv",
            format!(
                "id_number,kind,amount,period_start,period_end,as_of\n\
                 {},pension,150.00,2026-01-01,2026-10-31,2026-11-01\n\
                 {},contribution,,2025-11-01,2026-05-31,2026-11-01\n\
                 {},contribution,,2025-11-01,2026-05-31,2026-11-01\n\
                 {},contribution,,2025-11-01,2026-10-31,2026-11-01\n",
                ids[1], ids[5], ids[7], ids[8]
            ),
        );
        load(
            &env,
            Source::MedicalInsurance,
            "med.csv",
            format!(
                "id_number,kind,amount,period_start,period_end,as_of\n\
                 {a},medical_cost,6000.00,2026-02-01,2026-02-28,2026-11-01\n\
                 {a},medical_cost,4000.00,2026-08-01,2026-08-31,2026-11-01\n\
                 {b},medical_cost,8760.00,2026-03-01,2026-03-31,2026-11-01\n",
                a = ids[3],
                b = ids[4]
            ),
        );
        let cfg = DiscoveryConfig {
            as_of: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            medical_above: Money::from_yuan(8760),
        };
        let r = discover(&env.t.db, &env.ctx.audit, &env.city(), &cfg).unwrap();
        let mut c = env.t.db.conn().unwrap();
        let found: BTreeSet<(String, String)> =
            jiuzhu_storage::review::open_tasks(&mut c, &["410502".to_owned()], 100)
                .unwrap()
                .into_iter()
                .map(|t| (t.person_id, t.kind))
                .collect();
        assert_eq!(found, expect, "{}", env.t.label);
        assert_eq!(r.tasks_new, 3);
        let medical = jiuzhu_storage::review::open_tasks(&mut c, &["410502".to_owned()], 100)
            .unwrap()
            .into_iter()
            .find(|t| t.kind == "lead_medical")
            .unwrap();
        assert_eq!(
            medical.amount_fen,
            Some(1_000_000),
            "the year's total is the evidence"
        );
        let again = discover(&env.t.db, &env.ctx.audit, &env.city(), &cfg).unwrap();
        assert_eq!(again.tasks_new, 0);
        // Leads have their own queue; the cross-matching queue does not show them.
        let scope = env.ctx.regions.scope(&"410502".parse().unwrap());
        assert_eq!(
            jiuzhu_storage::review::queue(&mut c, &scope, true, 100)
                .unwrap()
                .len(),
            3
        );
        assert!(
            jiuzhu_storage::review::queue(&mut c, &scope, false, 100)
                .unwrap()
                .is_empty()
        );
        // Only the verification side runs it.
        let e = discover(&env.t.db, &env.ctx.audit, &who_without(&env), &cfg).unwrap_err();
        assert!(matches!(e, jiuzhu_app::AppError::Forbidden(_)));
    }
}

fn who_without(env: &Env) -> jiuzhu_app::Actor {
    let mut who = env.scope("410502");
    who.role = Some(jiuzhu_domain::Role::TownshipCaseworker);
    who
}
