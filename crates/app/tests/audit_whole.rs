//! 等保 安全审计 c) (issue 15 F7), on SQLite and PostgreSQL: the audit log is checked as a whole,
//! not only chain by chain — a county's chain deleted together with its head, every row and head
//! deleted, the registry of chains edited or deleted, and a log rolled back behind a witness file
//! are each named, never reported "intact".

mod common;

use common::*;
use diesel::prelude::*;
use jiuzhu_storage::audit::ChainKeys;
use jiuzhu_storage::schema::{audit_heads, audit_log, audit_registry};

fn verify(env: &Env) -> jiuzhu_app::audit::verify::VerifyReport {
    let mut c = env.ctx.db.conn().unwrap();
    env.ctx.audit.verify(&mut c).unwrap()
}

/// Entries in two county chains: 文峰区 (410502) and 滑县 (410526).
fn two_chains(env: &Env) {
    let who = env.city();
    let v = jiuzhu_app::registry::create_household(&env.ctx, &who, &household(1)).unwrap();
    jiuzhu_app::registry::household(&env.ctx, &who, &v.household.id).unwrap();
    let mut other = household(2);
    other.region_code = "410526102201".into();
    jiuzhu_app::registry::create_household(&env.ctx, &who, &other).unwrap();
}

fn problems(r: &jiuzhu_app::audit::verify::VerifyReport) -> String {
    r.breaks
        .iter()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_intact_log_verifies_and_lists_its_chains_in_the_sealed_registry() {
    for env in envs() {
        two_chains(&env);
        let r = verify(&env);
        assert!(r.is_intact(), "{}: {}", env.t.label, problems(&r));
        let chains: Vec<&str> = r.heads.iter().map(|h| h.chain.as_str()).collect();
        assert_eq!(chains, ["410502", "410526"]);
        let mut c = env.ctx.db.conn().unwrap();
        let (list, seal): (String, String) = audit_registry::table
            .select((audit_registry::chains, audit_registry::seal))
            .first(&mut c)
            .unwrap();
        assert_eq!(list, "410502,410526");
        assert_eq!(seal, env.ctx.audit.registry_seal(&list));
    }
}

#[test]
fn a_county_chain_deleted_with_its_head_is_named() {
    for env in envs() {
        two_chains(&env);
        let mut c = env.ctx.db.conn().unwrap();
        diesel::delete(audit_log::table.filter(audit_log::county_code.eq("410526")))
            .execute(&mut c)
            .unwrap();
        diesel::delete(audit_heads::table.filter(audit_heads::chain.eq("410526")))
            .execute(&mut c)
            .unwrap();
        let r = verify(&env);
        assert!(!r.is_intact(), "{}", env.t.label);
        assert_eq!(r.breaks.len(), 1, "{}", problems(&r));
        assert_eq!(r.breaks[0].chain, "410526");
        assert!(
            r.breaks[0].problem.contains("整条审计链"),
            "{}",
            problems(&r)
        );
    }
}

#[test]
fn every_row_and_head_deleted_is_named_and_so_is_the_registry_going_with_them() {
    for env in envs() {
        two_chains(&env);
        // An account exists (its creation was audited, in its county's chain).
        let accounts = jiuzhu_app::security::accounts::Accounts::new(
            env.ctx.db.clone(),
            env.ctx.keys.clone(),
            env.ctx.regions.clone(),
        );
        accounts
            .create_user(
                &env.city(),
                &jiuzhu_app::security::accounts::NewUser {
                    username: "wang.wu".into(),
                    display_name: "王五".into(),
                    role: "township_caseworker".into(),
                    region_code: "410502001000".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let mut c = env.ctx.db.conn().unwrap();
        diesel::delete(audit_log::table).execute(&mut c).unwrap();
        diesel::delete(audit_heads::table).execute(&mut c).unwrap();
        let r = verify(&env);
        let named: Vec<&str> = r.breaks.iter().map(|b| b.chain.as_str()).collect();
        assert_eq!(named, ["410502", "410526"], "{}", problems(&r));
        // The registry deleted too: the accounts still tell that a log existed.
        diesel::delete(audit_registry::table)
            .execute(&mut c)
            .unwrap();
        let r = verify(&env);
        assert_eq!(r.breaks.len(), 1, "{}", problems(&r));
        assert!(r.breaks[0].problem.contains("整体删除"), "{}", problems(&r));
    }
}

#[test]
fn a_registry_edited_without_the_key_or_deleted_alone_is_named() {
    for env in envs() {
        two_chains(&env);
        let mut c = env.ctx.db.conn().unwrap();
        diesel::update(audit_registry::table)
            .set(audit_registry::chains.eq("410502"))
            .execute(&mut c)
            .unwrap();
        let r = verify(&env);
        let p = problems(&r);
        assert!(
            p.contains("清单封印无效") && p.contains("不在登记清单"),
            "{p}"
        );
        diesel::delete(audit_registry::table)
            .execute(&mut c)
            .unwrap();
        let r = verify(&env);
        assert!(problems(&r).contains("登记清单缺失"), "{}", problems(&r));
    }
}

#[test]
fn a_registry_left_unsealed_by_the_upgrade_is_sealed_once_and_said_so() {
    for env in envs() {
        two_chains(&env);
        let mut c = env.ctx.db.conn().unwrap();
        diesel::update(audit_registry::table)
            .set(audit_registry::seal.eq(""))
            .execute(&mut c)
            .unwrap();
        let r = verify(&env);
        assert!(r.is_intact(), "{}", problems(&r));
        assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
        assert!(r.notes[0].contains("2 条链"));
        assert!(verify(&env).notes.is_empty(), "sealed once");
    }
}

#[test]
fn a_log_rolled_back_by_someone_holding_the_key_is_named_by_the_witness() {
    for env in envs() {
        two_chains(&env);
        let witness = verify(&env).heads;
        let mut c = env.ctx.db.conn().unwrap();
        // Cut the last entry of 文峰区 and reseal its head properly, as only a key holder can:
        // the chain alone then verifies.
        let last = witness.iter().find(|h| h.chain == "410502").unwrap().seq;
        diesel::delete(
            audit_log::table
                .filter(audit_log::county_code.eq("410502"))
                .filter(audit_log::id.eq(last)),
        )
        .execute(&mut c)
        .unwrap();
        let (seq, hash): (i64, String) = audit_log::table
            .filter(audit_log::county_code.eq("410502"))
            .order(audit_log::id.desc())
            .select((audit_log::id, audit_log::hash))
            .first(&mut c)
            .unwrap();
        let seal = env.ctx.audit.head_seal("410502", seq, &hash);
        diesel::update(audit_heads::table.filter(audit_heads::chain.eq("410502")))
            .set((
                audit_heads::seq.eq(seq),
                audit_heads::hash.eq(&hash),
                audit_heads::seal.eq(seal),
            ))
            .execute(&mut c)
            .unwrap();
        assert!(verify(&env).is_intact());
        let breaks = env.ctx.audit.check_witness(&mut c, &witness).unwrap();
        assert_eq!(breaks.len(), 1, "{breaks:?}");
        assert_eq!((breaks[0].chain.as_str(), breaks[0].seq), ("410502", last));
        // An untouched log agrees with its own witness.
        let fresh = verify(&env).heads;
        assert!(
            env.ctx
                .audit
                .check_witness(&mut c, &fresh)
                .unwrap()
                .is_empty()
        );
    }
}
