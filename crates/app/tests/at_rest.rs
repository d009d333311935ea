//! S22: Personal data at rest: after every path that writes personal data — registering a
//! household, editing a person (whose old → new goes to the audit log), adding a member,
//! revealing a person, signing in with a second factor and filing a near relative — neither
//! the SQLite file (with its WAL) nor any row of any PostgreSQL table holds an ID number,
//! phone, bank account or illness in plaintext; lookups still find the household by ID number
//! through the blind index.

mod common;

use common::*;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use jiuzhu_app::registry::ListQuery;
use jiuzhu_storage::DbConnection;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[test]
fn no_sensitive_value_is_stored_in_plaintext() {
    for env in envs() {
        let mut h = household(1);
        h.members[0].phone = "13912345678".into();
        h.members[0].bank_name = "中国农业银行".into();
        h.members[0].bank_account = "6228480012345678901".into();
        h.members[1].serious_illness = "尿毒症".into();
        let v = jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &h).unwrap();
        // An edit with a new phone and account: the audit log records the change, masked.
        let head = &v.members[0].person;
        let mut edit = h.members[0].clone();
        edit.phone = "13700001111".into();
        edit.bank_account = "6222020200112233445".into();
        jiuzhu_app::registry::update_person(
            &env.ctx,
            &env.city(),
            &head.id,
            &jiuzhu_app::registry::PersonEdit {
                person: edit,
                version: head.version,
            },
        )
        .unwrap();
        // A member joins with a phone.
        let mut child = person("张小", &id("410502", 2015, 6, 1, 901), "子女");
        child.phone = "13655556666".into();
        jiuzhu_app::registry::add_member(
            &env.ctx,
            &env.city(),
            &v.household.id,
            &jiuzhu_app::registry::AddMember {
                person: child.clone(),
                version: v.version,
                ..Default::default()
            },
        )
        .unwrap();
        jiuzhu_app::registry::reveal_person(&env.ctx, &env.city(), &head.id, "核对账户").unwrap();
        // A staff member signs in and files a near relative.
        let accounts = jiuzhu_app::security::accounts::Accounts::new(
            env.ctx.db.clone(),
            env.ctx.keys.clone(),
            env.ctx.regions.clone(),
        );
        let created = accounts
            .create_user(
                &env.city(),
                &jiuzhu_app::security::accounts::NewUser {
                    username: "zhao.jing".into(),
                    display_name: "赵静".into(),
                    role: "township_caseworker".into(),
                    region_code: "410502001000".into(),
                    password: "Spring-rain-2026".into(),
                    supervisor: String::new(),
                },
            )
            .unwrap();
        let session = accounts
            .login(
                &jiuzhu_app::security::accounts::Credentials {
                    username: created.user.username.clone(),
                    password: "Spring-rain-2026".into(),
                    totp: String::new(),
                },
                "10.1.2.3",
            )
            .unwrap();
        let relative_id = id("410502", 1955, 9, 9, 902);
        jiuzhu_app::security::near_relatives::file_near_relative(
            &env.ctx,
            &session.actor,
            &jiuzhu_app::security::near_relatives::NearRelativeInput {
                name: "赵父".into(),
                id_number: relative_id.clone(),
                relation: "父母".into(),
            },
        )
        .unwrap();
        // A payee account for the monthly payroll.
        jiuzhu_app::payroll::accounts::set_account(
            &env.ctx,
            &env.city(),
            &v.household.id,
            &jiuzhu_app::payroll::accounts::AccountInput {
                bank: "安阳农商银行".into(),
                account: "6217000011112222333".into(),
                holder: "钱收款".into(),
            },
        )
        .unwrap();
        let secrets = [
            "6217000011112222333".into(),
            "钱收款".into(),
            h.members[0].id_number.clone(),
            h.members[1].id_number.clone(),
            child.id_number.clone(),
            relative_id,
            "13912345678".into(),
            "13700001111".into(),
            "13655556666".into(),
            "6228480012345678901".into(),
            "6222020200112233445".into(),
            "尿毒症".into(),
            session.token.clone(),
        ];

        // Still found by its ID number (blind index), and shown masked.
        let found = jiuzhu_app::registry::list(
            &env.ctx,
            &env.city(),
            &ListQuery {
                q: Some(h.members[1].id_number.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(found.total, 1, "{}", env.t.label);

        let mut conn = env.t.db.conn().unwrap();
        match &mut *conn {
            DbConnection::Sqlite(c) => {
                diesel::sql_query("PRAGMA wal_checkpoint(FULL)")
                    .execute(c)
                    .unwrap();
                let dir = env.t.dir.as_ref().unwrap().path();
                let mut bytes = std::fs::read(dir.join("test.sqlite3")).unwrap();
                bytes.extend(std::fs::read(dir.join("test.sqlite3-wal")).unwrap_or_default());
                for s in &secrets {
                    assert!(
                        !contains(&bytes, s.as_bytes()),
                        "sqlite file holds {s} in plaintext"
                    );
                }
                // A value we know is stored in plaintext is found by the same scan.
                assert!(
                    contains(&bytes, "解放路1号".as_bytes()),
                    "the scan can see plaintext"
                );
            }
            DbConnection::Postgresql(c) => {
                let tables: Vec<Name> = diesel::sql_query(
                    "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema()",
                )
                .load(c)
                .unwrap();
                for t in &tables {
                    for s in &secrets {
                        let hits: Count = diesel::sql_query(format!(
                            "SELECT count(*) AS n FROM \"{}\" r WHERE position($1 in r::text) > 0",
                            t.name
                        ))
                        .bind::<Text, _>(s)
                        .get_result(c)
                        .unwrap();
                        assert_eq!(
                            hits.n, 0,
                            "postgres table {} holds {s} in plaintext",
                            t.name
                        );
                    }
                }
                let seen: Count = diesel::sql_query(
                    "SELECT count(*) AS n FROM households r WHERE position($1 in r::text) > 0",
                )
                .bind::<Text, _>("解放路1号")
                .get_result(c)
                .unwrap();
                assert_eq!(seen.n, 1, "the scan can see plaintext");
            }
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
