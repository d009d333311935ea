//! S20 one registration per person, PIPL minimal disclosure (issue 15 F16), on SQLite and
//! PostgreSQL: a second registration of an ID number is refused anywhere in the country, but
//! only a registration inside the user's own region is named as such; and every look that hits
//! a registered number is audited with the number masked.

mod common;

use common::*;
use jiuzhu_app::Actor;
use jiuzhu_app::AppError;
use jiuzhu_domain::Role;

fn caseworker(env: &Env, township: &str) -> Actor {
    let mut who = env.scope(township);
    who.role = Some(Role::TownshipCaseworker);
    who.username = format!("desk.{township}");
    who
}

fn refusal(r: Result<impl std::fmt::Debug, AppError>) -> (String, String) {
    match r {
        Err(AppError::Invalid(f)) => (f[0].field.clone(), f[0].message.clone()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_number_registered_elsewhere_is_refused_without_saying_where_and_the_look_is_audited() {
    for env in envs() {
        // Registered in 滑县.
        let mut elsewhere = household(1);
        elsewhere.region_code = "410526102201".into();
        jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410526"), &elsewhere).unwrap();
        // A 文峰区 caseworker types the same number.
        let desk = caseworker(&env, "410502001");
        let mut again = household(1);
        again.address = "另一地址 9 号".into();
        let (field, message) = refusal(jiuzhu_app::registry::create_household(
            &env.ctx, &desk, &again,
        ));
        assert_eq!(field, "members[0].id_number", "{}", env.t.label);
        assert!(message.contains("无法在此登记"), "{message}");
        assert!(!message.contains("已登记"), "{message}");

        // Registered inside the caseworker's own township: named, to be found and moved.
        let mine = household(7);
        jiuzhu_app::registry::create_household(&env.ctx, &desk, &mine).unwrap();
        let (_, message) = refusal(jiuzhu_app::registry::create_household(
            &env.ctx,
            &desk,
            &household(7),
        ));
        assert!(message.contains("已登记"), "{message}");

        // Both looks are in the audit log, by whom, with the number masked.
        let items = audited(&env, "person.id_exists");
        // (The action filter matches `_` literally: it used to drop it and find nothing.)
        assert!(items.len() >= 3, "{}", items.len());
        assert!(items.iter().all(|e| e.username == "desk.410502001"));
        assert!(items.iter().all(|e| e.outcome == "denied"));
        let outside: Vec<_> = items
            .iter()
            .filter(|e| e.detail.contains("\"inside_scope\":false"))
            .collect();
        assert!(!outside.is_empty());
        assert!(
            outside.iter().all(|e| e.object_id.is_empty()),
            "no person id leaks"
        );
        let full = &household(1).members[0].id_number;
        assert!(items.iter().all(|e| !e.detail.contains(full.as_str())));
    }
}
