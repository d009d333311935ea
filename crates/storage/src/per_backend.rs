//! The named escape hatch for what the two backends spell differently and diesel's builder
//! does not unify (vaultwarden's pattern): one macro per difference, so a query that needs it
//! says so by name instead of matching on the connection itself.

/// Inserts rows, skipping those whose key exists already — SQLite's `INSERT OR IGNORE`,
/// PostgreSQL's `ON CONFLICT DO NOTHING` — and evaluates to diesel's count of rows inserted.
macro_rules! insert_or_ignore {
    ($conn:expr, $table:expr, $values:expr) => {
        match $conn {
            $crate::DbConnection::Sqlite(c) => diesel::insert_or_ignore_into($table)
                .values($values)
                .execute(c),
            $crate::DbConnection::Postgresql(c) => diesel::insert_into($table)
                .values($values)
                .on_conflict_do_nothing()
                .execute(c),
        }
    };
}

pub(crate) use insert_or_ignore;
