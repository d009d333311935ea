//! Personal data at rest: after registering a household, neither the SQLite file (with its
//! WAL) nor any row of any PostgreSQL table holds an ID number, phone, bank account or illness
//! in plaintext; lookups still find the household by ID number through the blind index.

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
        env.registry.create_household(&env.city(), &h).unwrap();
        let secrets = [
            h.members[0].id_number.clone(),
            h.members[1].id_number.clone(),
            "13912345678".into(),
            "6228480012345678901".into(),
            "尿毒症".into(),
        ];

        // Still found by its ID number (blind index), and shown masked.
        let found = env
            .registry
            .list(
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
