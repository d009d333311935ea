//! S22: The audit log on SQLite and PostgreSQL: every write, view, reveal and denial is recorded in
//! a hash chain per county; editing, deleting or reordering any entry behind the application's
//! back — or cutting off the last one — is found with the entry named; and a failed audit
//! write fails the action with nothing written.

mod common;

use common::*;
use diesel::prelude::*;
use jiuzhu_app::AppError;
use jiuzhu_app::registry::ListQuery;
use jiuzhu_storage::schema::{audit_heads, audit_log};

fn actions(env: &Env) -> Vec<(String, i64, String)> {
    let mut c = env.ctx.db.conn().unwrap();
    audit_log::table
        .select((audit_log::county_code, audit_log::id, audit_log::action))
        .order((audit_log::county_code, audit_log::id))
        .load(&mut c)
        .unwrap()
}

fn verify(env: &Env) -> jiuzhu_app::audit::verify::VerifyReport {
    let mut c = env.ctx.db.conn().unwrap();
    env.ctx.audit.verify(&mut c).unwrap()
}

/// A county chain with four entries: create, view, update, reveal.
fn busy_chain(env: &Env) -> String {
    let who = env.city();
    let v = jiuzhu_app::registry::create_household(&env.ctx, &who, &household(1)).unwrap();
    let id = v.household.id.clone();
    jiuzhu_app::registry::household(&env.ctx, &who, &id).unwrap();
    jiuzhu_app::registry::update_household(
        &env.ctx,
        &who,
        &id,
        &jiuzhu_app::registry::HouseholdEdit {
            region_code: v.household.region_code.clone(),
            address: "新地址 1 号".into(),
            version: v.version,
        },
    )
    .unwrap();
    jiuzhu_app::registry::reveal_person(&env.ctx, &who, &v.members[0].person.id, "核对银行账户")
        .unwrap();
    id
}

#[test]
fn writes_views_and_reveals_are_chained_per_county_and_verify() {
    for env in envs() {
        busy_chain(&env);
        let a = actions(&env);
        let county: Vec<_> = a.iter().filter(|(c, _, _)| c == "410502").collect();
        assert_eq!(
            county
                .iter()
                .map(|(_, n, a)| (*n, a.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (1, "household.create"),
                (2, "household.view"),
                (3, "household.update"),
                (4, "person.reveal")
            ],
            "{}",
            env.t.label
        );
        let r = verify(&env);
        assert!(r.is_intact(), "{:?}", r.breaks);
        assert_eq!(r.entries, 4);
        // The update records old → new; the reveal records its reason.
        let mut c = env.ctx.db.conn().unwrap();
        let (detail, reason): (String, String) = audit_log::table
            .filter(audit_log::action.eq("household.update"))
            .select((audit_log::detail, audit_log::reason))
            .first(&mut c)
            .unwrap();
        assert!(detail.contains("新地址 1 号"), "{detail}");
        assert!(reason.is_empty());
        let reason: String = audit_log::table
            .filter(audit_log::action.eq("person.reveal"))
            .select(audit_log::reason)
            .first(&mut c)
            .unwrap();
        assert_eq!(reason, "核对银行账户");
    }
}

#[test]
fn an_edited_entry_is_named() {
    for env in envs() {
        busy_chain(&env);
        let mut c = env.ctx.db.conn().unwrap();
        diesel::update(audit_log::table.filter(audit_log::id.eq(2)))
            .set(audit_log::username.eq("someone-else"))
            .execute(&mut c)
            .unwrap();
        let r = verify(&env);
        assert_eq!(r.breaks.len(), 1, "{}", env.t.label);
        assert_eq!((r.breaks[0].chain.as_str(), r.breaks[0].seq), ("410502", 2));
        assert!(r.breaks[0].problem.contains("修改"), "{}", r.breaks[0]);
    }
}

#[test]
fn a_deleted_entry_is_named() {
    for env in envs() {
        busy_chain(&env);
        let mut c = env.ctx.db.conn().unwrap();
        diesel::delete(audit_log::table.filter(audit_log::id.eq(3)))
            .execute(&mut c)
            .unwrap();
        let r = verify(&env);
        assert_eq!(
            (r.breaks[0].chain.as_str(), r.breaks[0].seq),
            ("410502", 3),
            "{}",
            env.t.label
        );
    }
}

#[test]
fn reordered_entries_are_named() {
    for env in envs() {
        busy_chain(&env);
        let mut c = env.ctx.db.conn().unwrap();
        // Swap positions 2 and 3 (via a free number, as the key is unique).
        for (from, to) in [(2, 100), (3, 2), (100, 3)] {
            diesel::update(audit_log::table.filter(audit_log::id.eq(from)))
                .set(audit_log::id.eq(to))
                .execute(&mut c)
                .unwrap();
        }
        let r = verify(&env);
        assert_eq!(
            (r.breaks[0].chain.as_str(), r.breaks[0].seq),
            ("410502", 2),
            "{}",
            env.t.label
        );
    }
}

#[test]
fn a_cut_off_tail_and_a_forged_head_are_noticed() {
    for env in envs() {
        busy_chain(&env);
        let mut c = env.ctx.db.conn().unwrap();
        diesel::delete(audit_log::table.filter(audit_log::id.eq(4)))
            .execute(&mut c)
            .unwrap();
        let r = verify(&env);
        assert_eq!(
            (r.breaks[0].chain.as_str(), r.breaks[0].seq),
            ("410502", 4),
            "{}",
            env.t.label
        );
        // Moving the head back to entry 3 without the key breaks its seal.
        let hash3: String = audit_log::table
            .filter(audit_log::id.eq(3))
            .select(audit_log::hash)
            .first(&mut c)
            .unwrap();
        diesel::update(audit_heads::table.filter(audit_heads::chain.eq("410502")))
            .set((audit_heads::seq.eq(3), audit_heads::hash.eq(hash3)))
            .execute(&mut c)
            .unwrap();
        let r = verify(&env);
        assert!(r.breaks[0].problem.contains("封印"), "{}", r.breaks[0]);
    }
}

#[test]
fn a_failed_audit_write_fails_the_action_and_writes_nothing() {
    for env in envs() {
        let who = env.city();
        let mut c = env.ctx.db.conn().unwrap();
        diesel::sql_query("DROP TABLE audit_log")
            .execute(&mut c)
            .unwrap();
        drop(c);
        let r = jiuzhu_app::registry::create_household(&env.ctx, &who, &household(7));
        assert!(
            matches!(r, Err(AppError::Storage(_))),
            "{}: {r:?}",
            env.t.label
        );
        let page = jiuzhu_app::registry::list(&env.ctx, &who, &ListQuery::default());
        // The list itself is not audited, so it still answers: nothing was written.
        assert_eq!(page.unwrap().total, 0);
    }
}

#[test]
fn roles_without_the_permission_are_refused_by_the_services_too() {
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(2)).unwrap();
        let mut inspector = env.city();
        inspector.role = Some(jiuzhu_domain::Role::CityInspector);
        assert!(jiuzhu_app::registry::household(&env.ctx, &inspector, &v.household.id).is_ok());
        let r = jiuzhu_app::registry::reveal_person(
            &env.ctx,
            &inspector,
            &v.members[0].person.id,
            "想看看",
        );
        assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
        let mut admin = env.city();
        admin.role = Some(jiuzhu_domain::Role::SystemAdmin);
        assert!(matches!(
            jiuzhu_app::registry::household(&env.ctx, &admin, &v.household.id),
            Err(AppError::Forbidden(_))
        ));
        // A reveal without a reason is refused.
        let r = jiuzhu_app::registry::reveal_person(
            &env.ctx,
            &env.city(),
            &v.members[0].person.id,
            " ",
        );
        assert!(matches!(r, Err(AppError::Invalid(_))));
    }
}

#[test]
fn views_from_many_threads_are_group_committed_into_an_intact_chain() {
    for env in envs() {
        let who = env.city();
        let a = jiuzhu_app::registry::create_household(&env.ctx, &who, &household(3)).unwrap();
        let mut b_input = household(4);
        b_input.region_code = "410502002001".into();
        let b = jiuzhu_app::registry::create_household(&env.ctx, &who, &b_input).unwrap();
        let ids = [a.household.id.clone(), b.household.id.clone()];
        std::thread::scope(|s| {
            for t in 0..8 {
                let (registry, who, ids) = (&env.ctx, &who, &ids);
                s.spawn(move || {
                    for i in 0..25 {
                        jiuzhu_app::registry::household(registry, who, &ids[(t + i) % 2]).unwrap();
                    }
                });
            }
        });
        let views = actions(&env)
            .iter()
            .filter(|(_, _, a)| a == "household.view")
            .count();
        assert_eq!(views, 200, "{}: every view recorded", env.t.label);
        let r = verify(&env);
        assert!(r.is_intact(), "{}: {:?}", env.t.label, r.breaks);
        assert_eq!(r.entries, 202);
    }
}

#[test]
fn a_view_whose_record_cannot_be_written_is_refused() {
    for env in envs() {
        let who = env.city();
        let v = jiuzhu_app::registry::create_household(&env.ctx, &who, &household(5)).unwrap();
        let mut c = env.ctx.db.conn().unwrap();
        diesel::sql_query("DROP TABLE audit_log")
            .execute(&mut c)
            .unwrap();
        drop(c);
        let r = jiuzhu_app::registry::household(&env.ctx, &who, &v.household.id);
        assert!(
            matches!(r, Err(AppError::Storage(_))),
            "{}: {r:?}",
            env.t.label
        );
    }
}
