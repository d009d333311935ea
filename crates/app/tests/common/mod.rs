//! Shared set-up for the app integration tests: a registry over each test backend.
#![allow(dead_code)] // each test binary uses a different part

use std::sync::Arc;

use chrono::NaiveDate;
use jiuzhu_app::Actor;
use jiuzhu_app::Context;
use jiuzhu_app::regions::RegionCache;
use jiuzhu_app::registry::HouseholdInput;
use jiuzhu_app::registry::PersonInput;
use jiuzhu_domain::{RegionCode, ResidentId};
use jiuzhu_storage::testing::{TestDb, all_backends};

/// Fixed test keys (the key file is tested in the crypto crate).
pub fn test_keys() -> Arc<jiuzhu_crypto::Keys> {
    Arc::new(jiuzhu_crypto::Keys::from_bytes([7; 16], [9; 32]))
}

pub struct Env {
    pub t: TestDb,
    pub ctx: Context,
}

impl Env {
    /// The platform acting over a region (services take an `Actor`).
    pub fn scope(&self, code: &str) -> Actor {
        Actor::system(self.ctx.regions.scope(&RegionCode::parse(code).unwrap()))
    }
    pub fn city(&self) -> Actor {
        self.scope("4105")
    }
}

/// The rules on the shipped policy.
pub fn engine() -> jiuzhu_rules::Engine {
    jiuzhu_rules::Engine::new(jiuzhu_app::registry::assessment::load_policy(None).unwrap())
}

/// A user of `role` named `name` in 东大街街道 (410502001).
pub fn as_role(env: &Env, role: jiuzhu_domain::Role, name: &str) -> Actor {
    let mut who = env.scope("410502001");
    who.role = Some(role);
    who.username = name.into();
    who
}

pub fn envs() -> Vec<Env> {
    all_backends()
        .into_iter()
        .map(|t| {
            let regions = {
                let mut c = t.db.conn().unwrap();
                Arc::new(RegionCache::load(&mut c).unwrap())
            };
            let registry = jiuzhu_app::open(t.db.clone(), regions, test_keys());
            Env { t, ctx: registry }
        })
        .collect()
}

/// A valid ID number for a birth date and a sequence (odd = male).
pub fn id(county: &str, y: i32, m: u32, d: u32, seq: u16) -> String {
    ResidentId::build(county, NaiveDate::from_ymd_opt(y, m, d).unwrap(), seq).to_string()
}

pub fn person(name: &str, id_number: &str, relation: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        id_number: id_number.into(),
        relation: relation.into(),
        hukou_type: "城镇".into(),
        labour_capacity: "有劳动能力".into(),
        ..Default::default()
    }
}

/// A two-person household in 文峰区 东大街街道 楼东社区.
pub fn household(seq: u16) -> HouseholdInput {
    HouseholdInput {
        region_code: "410502001001".into(),
        address: format!("解放路{seq}号"),
        members: vec![
            person("张三", &id("410502", 1980, 1, 1, seq * 2 + 1), "户主"),
            person("李四", &id("410502", 1982, 3, 4, seq * 2 + 2), "配偶"),
        ],
    }
}

/// S20, S21: files a 低保 application for a new household (`household(seq)`, registered in
/// 文峰区) as `desk` and walks it to the public notice — accepted, investigated by
/// `investigators`, 核对 done, opinion recorded, posted 7 days ago (the steps back-dated as a
/// paper file). Returns the case at the notice (version 5), ready to be decided today.
pub fn dibao_at_notice(
    env: &Env,
    desk: &Actor,
    seq: u16,
    investigators: &str,
) -> jiuzhu_app::cases::CaseView {
    use jiuzhu_app::cases;
    use jiuzhu_app::cases::Application;
    use jiuzhu_app::cases::Move;
    let cal = jiuzhu_domain::calendar::WorkingDayCalendar::bundled();
    let eng =
        jiuzhu_rules::Engine::new(jiuzhu_app::registry::assessment::load_policy(None).unwrap());
    let v = jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(seq))
        .unwrap();
    let c = cases::file(
        &env.ctx,
        desk,
        &Application {
            household_id: v.household.id.clone(),
            kinds: vec!["dibao".into()],
            channel: "窗口".into(),
            summary: "家庭困难".into(),
            filed_on: walk_day(),
            ..Default::default()
        },
    )
    .unwrap()
    .remove(0);
    let step = |action: &str, version: i32, note: &str, investigators: &str| {
        let m = on_walk_day(Move {
            action: action.into(),
            version,
            note: note.into(),
            investigators: investigators.into(),
            ..Default::default()
        });
        cases::act(&env.ctx, &cal, &eng, desk, &c.county, &c.id, &m).unwrap()
    };
    step("accept", 1, "", "");
    step("start_investigation", 2, "", "");
    verified(env, &v.household.id);
    step("record_opinion", 3, "入户调查属实", investigators);
    step("publish_notice", 4, "", "")
}

/// The note a step entered after the day it happened carries (issue 15: back-dated steps say
/// why).
pub const PAPER: &str = "补录：纸质材料";

/// The day a test's walk files and moves a 低保/特困 case up to its notice, so that the notice
/// has run its 7 days by today and the decision can be taken today (issue 16 item 5).
pub fn walk_day() -> String {
    (jiuzhu_domain::time::today() - chrono::Days::new(7)).to_string()
}

/// A move dated on the walk's day, with the back-dated step's reason when it has no note.
pub fn on_walk_day(mut m: jiuzhu_app::cases::Move) -> jiuzhu_app::cases::Move {
    m.on = walk_day();
    if m.note.is_empty() {
        m.note = PAPER.into();
    }
    m
}

/// S21 (issue 16 item 5): the household's 家庭经济状况核对 done as the procedure requires
/// before an opinion — every member's consent recorded, then the report stored.
pub fn verified(env: &Env, household_id: &str) {
    use jiuzhu_app::verification::report::{household_report, record_consent};
    let who = env.scope("410502");
    let v = jiuzhu_app::registry::household(&env.ctx, &who, household_id).unwrap();
    for m in &v.members {
        record_consent(
            &env.ctx,
            &who,
            household_id,
            &m.person.id,
            &walk_day(),
            "书面",
        )
        .unwrap();
    }
    let eng =
        jiuzhu_rules::Engine::new(jiuzhu_app::registry::assessment::load_policy(None).unwrap());
    household_report(&env.ctx, &eng, &[], &who, household_id).unwrap();
}

/// The audit entries whose action starts with `action`, newest first (one page).
pub fn audited(env: &Env, action: &str) -> Vec<jiuzhu_app::audit::AuditEntryView> {
    let mut c = env.ctx.db.conn().unwrap();
    env.ctx
        .audit
        .search(
            &mut c,
            &env.ctx.regions,
            &jiuzhu_app::audit::AuditQuery {
                action: Some(action.into()),
                ..Default::default()
            },
        )
        .unwrap()
        .items
}
