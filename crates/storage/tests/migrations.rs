//! Both migration directories must produce exactly the tables, columns, types, nullability and
//! primary keys of `schema.rs`, and obey DESIGN.md's scale-ready rules: per-county tables key
//! on (county_code, id) and every foreign or unique key among them includes county_code;
//! reference tables never point into per-county tables; nothing uses sequences or triggers.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use jiuzhu_storage::schema_rules::{
    AGENCY_TABLES, GLOBAL_INDEX_TABLES, PER_COUNTY_TABLES, REFERENCE_TABLES, SECURITY_TABLES,
};
use jiuzhu_storage::testing::{TestDb, all_backends};
use jiuzhu_storage::{Backend, DbConnection};

#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    ty: String,
    nullable: bool,
}

#[derive(Debug, Default)]
struct Table {
    pk: Vec<String>,
    columns: BTreeMap<String, Column>,
}

/// Parses `schema.rs` (`table! { name (pk, …) { col -> Type, } }`).
fn schema_rs() -> BTreeMap<String, Table> {
    let src = include_str!("../src/schema.rs");
    let mut tables = BTreeMap::new();
    let mut current: Option<(String, Table)> = None;
    for line in src.lines().map(str::trim) {
        // A table header: `name (pk, …) {`.
        if let Some((name, rest)) = line.split_once(" (")
            && rest.ends_with(") {")
            && !name.contains(' ')
        {
            let pk = rest
                .trim_end_matches(") {")
                .split(',')
                .map(|s| s.trim().to_owned())
                .collect();
            current = Some((
                name.to_owned(),
                Table {
                    pk,
                    columns: BTreeMap::new(),
                },
            ));
        } else if let Some((col, ty)) = line.split_once(" -> ")
            && let Some((_, t)) = current.as_mut()
        {
            let ty = ty.trim_end_matches(',');
            let (nullable, inner) = match ty.strip_prefix("Nullable<") {
                Some(i) => (true, i.trim_end_matches('>')),
                None => (false, ty),
            };
            t.columns.insert(
                col.to_owned(),
                Column {
                    ty: inner.to_owned(),
                    nullable,
                },
            );
        } else if line == "}"
            && let Some((name, t)) = current.take()
        {
            // The column block's `}` ends the table; the macro's outer `}` finds none open.
            tables.insert(name, t);
        }
    }
    tables
}

fn diesel_type(backend: Backend, declared: &str) -> String {
    let d = declared.to_ascii_lowercase();
    let t = match (backend, d.as_str()) {
        (_, "text") => "Text",
        (_, "integer") => "Integer",
        (_, "bigint") => "BigInt",
        (_, "boolean") => "Bool",
        (_, "date") => "Date",
        (_, "timestamp") | (_, "timestamp without time zone") => "Timestamp",
        _ => return format!("unknown({declared})"),
    };
    t.to_owned()
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    r#type: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
    #[diesel(sql_type = Nullable<Text>)]
    column_default: Option<String>,
}

/// A foreign key: (from table, referenced table, from columns).
#[derive(QueryableByName, Debug)]
struct ForeignKey {
    #[diesel(sql_type = Text)]
    to_table: String,
    #[diesel(sql_type = Text)]
    from_columns: String,
}

/// A unique index: its columns.
#[derive(QueryableByName, Debug)]
struct UniqueIndex {
    #[diesel(sql_type = Text)]
    columns: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

struct Introspected {
    tables: BTreeMap<String, Table>,
    foreign_keys: BTreeMap<String, Vec<ForeignKey>>,
    unique: BTreeMap<String, Vec<UniqueIndex>>,
    sequences_and_triggers: i64,
}

fn introspect(t: &TestDb) -> Introspected {
    let mut conn = t.db.conn().unwrap();
    let mut out = Introspected {
        tables: BTreeMap::new(),
        foreign_keys: BTreeMap::new(),
        unique: BTreeMap::new(),
        sequences_and_triggers: 0,
    };
    match &mut *conn {
        DbConnection::Sqlite(c) => {
            let names: Vec<Name> = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 AND name <> '__diesel_schema_migrations'",
            )
            .load(c)
            .unwrap();
            for Name { name } in names {
                let cols: Vec<SqliteColumn> = diesel::sql_query(format!(
                    "SELECT name, type, \"notnull\", pk FROM pragma_table_info('{name}')"
                ))
                .load(c)
                .unwrap();
                let mut table = Table::default();
                let mut pk: Vec<(i32, String)> = vec![];
                for col in cols {
                    if col.pk > 0 {
                        pk.push((col.pk, col.name.clone()));
                    }
                    let nullable = col.notnull == 0 && col.pk == 0;
                    table.columns.insert(
                        col.name,
                        Column {
                            ty: diesel_type(Backend::Sqlite, &col.r#type),
                            nullable,
                        },
                    );
                }
                pk.sort();
                table.pk = pk.into_iter().map(|p| p.1).collect();
                let fks: Vec<ForeignKey> = diesel::sql_query(format!(
                    "SELECT \"table\" AS to_table, group_concat(\"from\", ',') AS from_columns \
                     FROM pragma_foreign_key_list('{name}') GROUP BY id"
                ))
                .load(c)
                .unwrap();
                let uniq: Vec<UniqueIndex> = diesel::sql_query(format!(
                    "SELECT (SELECT group_concat(ii.name, ',') FROM pragma_index_info(il.name) ii) AS columns \
                     FROM pragma_index_list('{name}') il WHERE il.\"unique\" = 1"
                ))
                .load(c)
                .unwrap();
                out.foreign_keys.insert(name.clone(), fks);
                out.unique.insert(name.clone(), uniq);
                out.tables.insert(name, table);
            }
            let n: Count =
                diesel::sql_query("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger'")
                    .get_result(c)
                    .unwrap();
            let auto: Count = diesel::sql_query(
                "SELECT count(*) AS n FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'",
            )
            .get_result(c)
            .unwrap();
            out.sequences_and_triggers = n.n + auto.n;
        }
        DbConnection::Postgresql(c) => {
            let names: Vec<Name> = diesel::sql_query(
                "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() \
                 AND table_name <> '__diesel_schema_migrations'",
            )
            .load(c)
            .unwrap();
            for Name { name } in names {
                let cols: Vec<PgColumn> = diesel::sql_query(format!(
                    "SELECT column_name::text, data_type::text, is_nullable::text, column_default::text \
                     FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{name}'"
                ))
                .load(c)
                .unwrap();
                let mut table = Table::default();
                for col in cols {
                    if col
                        .column_default
                        .as_deref()
                        .is_some_and(|d| d.contains("nextval"))
                    {
                        out.sequences_and_triggers += 1;
                    }
                    table.columns.insert(
                        col.column_name,
                        Column {
                            ty: diesel_type(Backend::Postgres, &col.data_type),
                            nullable: col.is_nullable == "YES",
                        },
                    );
                }
                let pk: Vec<Name> = diesel::sql_query(format!(
                    "SELECT a.attname::text AS name FROM pg_index i \
                     JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true \
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum \
                     WHERE i.indrelid = '{name}'::regclass AND i.indisprimary ORDER BY k.ord"
                ))
                .load(c)
                .unwrap();
                table.pk = pk.into_iter().map(|n| n.name).collect();
                let fks: Vec<ForeignKey> = diesel::sql_query(format!(
                    "SELECT confrelid::regclass::text AS to_table, \
                     (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS from_columns \
                     FROM pg_constraint con WHERE con.conrelid = '{name}'::regclass AND con.contype = 'f'"
                ))
                .load(c)
                .unwrap();
                let uniq: Vec<UniqueIndex> = diesel::sql_query(format!(
                    "SELECT (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) \
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns \
                     FROM pg_index i WHERE i.indrelid = '{name}'::regclass AND i.indisunique"
                ))
                .load(c)
                .unwrap();
                out.foreign_keys.insert(name.clone(), fks);
                out.unique.insert(name.clone(), uniq);
                out.tables.insert(name, table);
            }
            let seq: Count = diesel::sql_query(
                "SELECT (SELECT count(*) FROM information_schema.sequences WHERE sequence_schema = current_schema()) + \
                 (SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = current_schema()) + \
                 (SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES') AS n",
            )
            .get_result(c)
            .unwrap();
            out.sequences_and_triggers += seq.n;
        }
    }
    out
}

#[test]
fn both_migration_sets_match_schema_rs() {
    let expected = schema_rs();
    assert!(
        expected.len() >= 7,
        "schema.rs parsed: {:?}",
        expected.keys()
    );
    for t in all_backends() {
        let got = introspect(&t);
        assert_eq!(
            got.tables.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "{}: tables differ from schema.rs",
            t.label
        );
        for (name, exp) in &expected {
            let g = &got.tables[name];
            assert_eq!(g.pk, exp.pk, "{}: primary key of {name}", t.label);
            assert_eq!(g.columns, exp.columns, "{}: columns of {name}", t.label);
        }
    }
}

#[test]
fn every_table_is_classified_once() {
    let tables: BTreeSet<String> = schema_rs().into_keys().collect();
    let mut listed = BTreeSet::new();
    for t in PER_COUNTY_TABLES
        .iter()
        .chain(REFERENCE_TABLES)
        .chain(GLOBAL_INDEX_TABLES)
        .chain(SECURITY_TABLES)
        .chain(AGENCY_TABLES)
    {
        assert!(
            listed.insert((*t).to_owned()),
            "{t} is listed twice in schema_rules"
        );
    }
    assert_eq!(
        listed, tables,
        "schema_rules must list every table of schema.rs exactly once"
    );
}

#[test]
fn the_schema_follows_the_scale_ready_rules() {
    let expected = schema_rs();
    for t in all_backends() {
        let got = introspect(&t);
        assert_eq!(
            got.sequences_and_triggers, 0,
            "{}: sequences, identity columns or triggers found",
            t.label
        );
        for name in PER_COUNTY_TABLES {
            let table = &expected[*name];
            assert_eq!(
                table.pk,
                ["county_code", "id"],
                "{name}: primary key must be (county_code, id)"
            );
            assert_eq!(
                table.columns["county_code"],
                Column {
                    ty: "Text".into(),
                    nullable: false
                },
                "{name}.county_code"
            );
            for fk in &got.foreign_keys[*name] {
                if PER_COUNTY_TABLES.contains(&fk.to_table.as_str()) {
                    assert!(
                        fk.from_columns.split(',').next() == Some("county_code"),
                        "{}: foreign key {name}({}) → {} must lead with county_code",
                        t.label,
                        fk.from_columns,
                        fk.to_table
                    );
                }
            }
            for u in &got.unique[*name] {
                assert!(
                    u.columns.split(',').any(|c| c == "county_code"),
                    "{}: unique key {name}({}) must include county_code",
                    t.label,
                    u.columns
                );
            }
        }
        for name in REFERENCE_TABLES
            .iter()
            .chain(GLOBAL_INDEX_TABLES)
            .chain(SECURITY_TABLES)
            .chain(AGENCY_TABLES)
        {
            if REFERENCE_TABLES.contains(name) {
                assert!(
                    !expected[*name].columns.contains_key("county_code"),
                    "reference table {name} carries county_code"
                );
            }
            for fk in &got.foreign_keys[*name] {
                assert!(
                    !PER_COUNTY_TABLES.contains(&fk.to_table.as_str()),
                    "{}: {name} points into per-county table {}",
                    t.label,
                    fk.to_table
                );
            }
        }
    }
}
