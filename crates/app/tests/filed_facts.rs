//! S5, S21: the facts the registry gives the rules, on SQLite and PostgreSQL — legal
//! supporters outside the household recorded per member (43号 Art. 8), nothing answered from
//! an invented default (住房救助 "未评估：无数据"), and the decision keeping the facts it was
//! computed from, sealed, so it can be replayed later unchanged by later registry edits.

mod common;

use common::*;
use jiuzhu_app::Actor;
use jiuzhu_app::AppError;
use jiuzhu_app::cases;
use jiuzhu_app::cases::Application;
use jiuzhu_app::cases::Move;
use jiuzhu_app::registry::EconomicRecordInput;
use jiuzhu_app::registry::HouseholdInput;
use jiuzhu_app::registry::SupporterInput;
use jiuzhu_app::registry::assessment::assess_household;
use jiuzhu_domain::Role;
use jiuzhu_domain::calendar::WorkingDayCalendar;
use jiuzhu_rules::{Engine, Outcome, Programme};

fn fields(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(f) => f.into_iter().map(|f| f.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn mv(action: &str, version: i32) -> Move {
    Move {
        action: action.into(),
        version,
        ..Default::default()
    }
}

/// A widow of 76 living alone, unable to work, with no income.
fn widow(seq: u16) -> HouseholdInput {
    let mut p = person("王秀兰", &id("410502", 1950, 5, 6, seq * 2), "户主");
    p.labour_capacity = "无劳动能力".into();
    HouseholdInput {
        region_code: "410502001001".into(),
        address: format!("文明大道{seq}号"),
        members: vec![p],
    }
}

/// S5: 43号 Art. 8 — a son living elsewhere with a good income is a legal supporter able to
/// support, so his mother alone at home is not 特困; removing him (recorded in error) makes
/// her eligible again; a son who is himself on 低保 and severely disabled cannot support.
#[test]
fn an_outside_supporter_recorded_on_the_file_reaches_the_tekun_rule() {
    let eng = engine();
    for env in envs() {
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let v = jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &widow(31))
            .unwrap();
        let hid = v.household.id.clone();
        let mother = v.members[0].person.id.clone();
        let today = jiuzhu_domain::time::today();
        let tekun = |who: &Actor| {
            let a = assess_household(&env.ctx, &eng, who, &hid, today).unwrap();
            let r = a.assessment.result(Programme::Tekun).unwrap().clone();
            let reasons: Vec<String> = r.reasons.iter().map(|x| x.zh.clone()).collect();
            (r.outcome, reasons.join("；"))
        };
        assert_eq!(tekun(&desk).0, Outcome::Eligible, "{}", tekun(&desk).1);

        // Bad input names every field, and nothing is written.
        let bad = SupporterInput {
            person_id: mother.clone(),
            name: "".into(),
            relation: "邻居".into(),
            birth_date: "1975-13-01".into(),
            income_monthly: "-5".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(jiuzhu_app::registry::add_supporter(&env.ctx, &desk, &hid, &bad).unwrap_err()),
            ["name", "relation", "birth_date", "income_monthly"]
        );
        let stranger = SupporterInput {
            person_id: "not-a-member".into(),
            name: "王大山".into(),
            relation: "子女".into(),
            birth_date: "1975-02-03".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(
                jiuzhu_app::registry::add_supporter(&env.ctx, &desk, &hid, &stranger).unwrap_err()
            ),
            ["person_id"]
        );
        assert!(
            jiuzhu_app::registry::household(&env.ctx, &desk, &hid)
                .unwrap()
                .supporters
                .is_empty()
        );

        // An employed son elsewhere: able to support.
        let son = SupporterInput {
            person_id: mother.clone(),
            name: "王大山".into(),
            relation: "子女".into(),
            birth_date: "1975-02-03".into(),
            income_monthly: "6000".into(),
            ..Default::default()
        };
        let v = jiuzhu_app::registry::add_supporter(&env.ctx, &desk, &hid, &son).unwrap();
        assert_eq!(v.supporters.len(), 1);
        assert_eq!(v.supporters[0].name_masked, "王*山");
        assert_eq!(v.supporters[0].relation, "子女");
        assert_eq!(v.supporters[0].income_monthly, "6000.00");
        let (outcome, why) = tekun(&desk);
        assert_eq!(outcome, Outcome::NotEligible, "{why}");
        assert!(why.contains("户外子女1"), "the reason names him: {why}");

        // Another township cannot add or remove supporters here.
        let mut other = env.scope("410502002");
        other.role = Some(Role::TownshipCaseworker);
        assert!(matches!(
            jiuzhu_app::registry::add_supporter(&env.ctx, &other, &hid, &son),
            Err(AppError::NotFound)
        ));
        let sid = v.supporters[0].id.clone();
        assert!(matches!(
            jiuzhu_app::registry::remove_supporter(&env.ctx, &other, &hid, &sid),
            Err(AppError::NotFound)
        ));

        // Recorded in error: removed, and she is eligible again.
        let v = jiuzhu_app::registry::remove_supporter(&env.ctx, &desk, &hid, &sid).unwrap();
        assert!(v.supporters.is_empty());
        assert_eq!(tekun(&desk).0, Outcome::Eligible);

        // 43号 Art. 8(2)(3): a son on 低保 with a grade-1 disability cannot support.
        let unable = SupporterInput {
            dibao: true,
            severe_disability: true,
            income_monthly: "0".into(),
            ..son
        };
        jiuzhu_app::registry::add_supporter(&env.ctx, &desk, &hid, &unable).unwrap();
        let (outcome, why) = tekun(&desk);
        assert_eq!(outcome, Outcome::Eligible, "{why}");
    }
}

/// Item 3 of issue 14: the registry records no housing situation, so 住房救助 is listed as
/// not assessed — never answered "不符合" from a default.
#[test]
fn facts_the_registry_does_not_hold_are_listed_as_not_assessed() {
    let eng = engine();
    for env in envs() {
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let v = jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &widow(32))
            .unwrap();
        let a = assess_household(
            &env.ctx,
            &eng,
            &desk,
            &v.household.id,
            jiuzhu_domain::time::today(),
        )
        .unwrap()
        .assessment;
        assert!(a.result(Programme::Housing).is_none());
        let housing = a
            .not_assessed
            .iter()
            .find(|n| n.programme == Programme::Housing)
            .expect("住房救助 listed as not assessed");
        assert!(housing.zh.starts_with("未评估：无数据"), "{}", housing.zh);
        assert!(
            a.not_assessed
                .iter()
                .any(|n| n.programme == Programme::Temporary),
            "no hardship reported outside a 临时救助 case"
        );
    }
}

/// S21: the decision keeps the facts it was computed from, sealed; replaying it gives the
/// same answer even after the household's records change, while a fresh assessment differs.
#[test]
fn a_stored_decision_replays_to_the_same_answer() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let boss = as_role(&env, Role::TownshipApprover, "boss");
        let v = jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &widow(33))
            .unwrap();
        let hid = v.household.id.clone();
        let c = cases::file(
            &env.ctx,
            &desk,
            &Application {
                household_id: hid.clone(),
                kinds: vec!["dibao".into()],
                channel: "窗口".into(),
                summary: "独居老人，无收入".into(),
                filed_on: walk_day(),
                ..Default::default()
            },
        )
        .unwrap()
        .remove(0);
        let (county, cid) = (c.county.clone(), c.id.clone());
        let go = |who: &Actor, m: Move| cases::act(&env.ctx, &cal, &eng, who, &county, &cid, &m);
        // Nothing to replay before the opinion.
        assert!(matches!(
            cases::replay(&env.ctx, &eng, &desk, &county, &cid),
            Err(AppError::Conflict(m)) if m.contains("尚无规则核算记录")
        ));
        go(&desk, on_walk_day(mv("accept", 1))).unwrap();
        go(&desk, on_walk_day(mv("start_investigation", 2))).unwrap();
        verified(&env, &hid);
        let mut op = on_walk_day(mv("record_opinion", 3));
        op.note = "独居，无收入".into();
        op.investigators = "甲、乙".into();
        go(&desk, op).unwrap();
        go(&desk, on_walk_day(mv("publish_notice", 4))).unwrap();
        let mut ok = mv("approve", 5);
        ok.set("amount", "600");
        ok.set("review_months", "12");
        let decided = go(&boss, ok).unwrap();
        assert!(decided.replayable);
        let kept = decided.rules.clone().unwrap();
        assert_eq!(kept.outcome, "符合");

        // The facts are sealed: the stored column carries no readable personal data.
        let row = {
            let mut conn = env.ctx.db.conn().unwrap();
            jiuzhu_storage::cases::find(&mut conn, &desk.scope, &county, &cid).unwrap()
        };
        assert!(!row.rules_input.is_empty());
        assert!(
            !row.rules_input.contains("1950-05-06") && !row.rules_input.contains("410502"),
            "sealed, not plain JSON"
        );

        // A wage recorded afterwards changes a fresh assessment, not the replay.
        let today = jiuzhu_domain::time::today();
        let wage = EconomicRecordInput {
            person_id: v.members[0].person.id.clone(),
            category: "工资性收入".into(),
            period_start: (today - chrono::Days::new(90)).to_string(),
            period_end: today.to_string(),
            amount: "30000".into(),
            ..Default::default()
        };
        jiuzhu_app::registry::add_economic_record(&env.ctx, &desk, &hid, &wage).unwrap();
        let fresh = assess_household(&env.ctx, &eng, &desk, &hid, today)
            .unwrap()
            .assessment;
        assert_eq!(
            fresh.result(Programme::Dibao).unwrap().outcome,
            Outcome::NotEligible
        );
        let r = cases::replay(&env.ctx, &eng, &desk, &county, &cid).unwrap();
        assert!(r.same, "{:?}", r.differences);
        assert_eq!(r.replayed, kept);
        assert_eq!(r.stored, kept);

        // Under a policy with a higher standard, the replay shows the difference.
        let text = jiuzhu_app::registry::assessment::bundled_policy_text()
            .replace("version = \"", "version = \"raised-");
        let raised = raise_standards(&text);
        let reform =
            Engine::new(jiuzhu_rules::PolicySet::parse("raised.toml", &raised, &|_| true).unwrap());
        let r = cases::replay(&env.ctx, &reform, &desk, &county, &cid).unwrap();
        assert!(!r.same);
        assert!(
            r.differences.iter().any(|d| d.starts_with("标准")),
            "{:?}",
            r.differences
        );

        // Another township cannot replay it.
        let mut other = env.scope("410502002");
        other.role = Some(Role::TownshipCaseworker);
        assert!(matches!(
            cases::replay(&env.ctx, &eng, &other, &county, &cid),
            Err(AppError::NotFound)
        ));
    }
}

/// The bundled policy with every 低保 standard 100 yuan higher (a reform to replay under).
fn raise_standards(text: &str) -> String {
    let mut out = String::new();
    let mut in_standard = false;
    for line in text.lines() {
        if line.starts_with("[[") {
            in_standard = line.starts_with("[[dibao.standard");
        }
        let raised = ["urban = \"", "rural = \""].iter().find_map(|key| {
            let amount = line.strip_prefix(key)?.strip_suffix('"')?;
            let fen = jiuzhu_domain::Money::parse_yuan(amount).ok()?.fen() + 10_000;
            Some(format!(
                "{key}{}\"",
                jiuzhu_domain::Money::from_fen(fen).yuan_string()
            ))
        });
        match raised {
            Some(l) if in_standard => out.push_str(&l),
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}
