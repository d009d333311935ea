//! Hand-written SQL for the set-based work diesel's builder does not express on both backends
//! (`INSERT … SELECT … ON CONFLICT`, grouped sums cast to BIGINT): one statement text with text
//! parameters written `?`, numbered `$1, $2, …` for PostgreSQL.

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::{DbConnection, StorageError};

/// `?` placeholders numbered for PostgreSQL.
fn numbered(sql: &str) -> String {
    let mut n = 0;
    sql.chars()
        .map(|c| {
            if c == '?' {
                n += 1;
                format!("${n}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Runs a statement; returns the rows it touched.
pub(crate) fn execute(
    conn: &mut DbConnection,
    sql: &str,
    binds: &[&str],
) -> Result<usize, StorageError> {
    Ok(match conn {
        DbConnection::Sqlite(c) => {
            let mut q = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
            for b in binds {
                q = q.bind::<Text, _>(b.to_string());
            }
            q.execute(c)?
        }
        DbConnection::Postgresql(c) => {
            let mut q = diesel::sql_query(numbered(sql)).into_boxed::<diesel::pg::Pg>();
            for b in binds {
                q = q.bind::<Text, _>(b.to_string());
            }
            q.execute(c)?
        }
    })
}

/// Runs a query and reads its rows by column name.
pub(crate) fn load<T>(
    conn: &mut DbConnection,
    sql: &str,
    binds: &[&str],
) -> Result<Vec<T>, StorageError>
where
    T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    Ok(match conn {
        DbConnection::Sqlite(c) => {
            let mut q = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
            for b in binds {
                q = q.bind::<Text, _>(b.to_string());
            }
            q.load::<T>(c)?
        }
        DbConnection::Postgresql(c) => {
            let mut q = diesel::sql_query(numbered(sql)).into_boxed::<diesel::pg::Pg>();
            for b in binds {
                q = q.bind::<Text, _>(b.to_string());
            }
            q.load::<T>(c)?
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_in_order() {
        assert_eq!(
            super::numbered("a = ? AND b IN (?, ?)"),
            "a = $1 AND b IN ($2, $3)"
        );
    }
}
