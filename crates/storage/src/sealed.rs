//! Every column that holds an SM4-sealed value, with its table's key, and the set-based work key
//! rotation does over them: count values per key version, read a batch of values not yet on the
//! current version, and replace one value only if it is still the one read (a concurrent edit
//! wins; the next pass picks the row up again). Table and column names come from this list only,
//! never from input.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};

use crate::{DbConnection, StorageError, raw_sql};

/// A sealed column: the ciphertext is bound to `table.column`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealedColumn {
    /// The table.
    pub table: &'static str,
    /// The column.
    pub column: &'static str,
    /// Whether the table is keyed by (county_code, id) rather than id alone.
    pub per_county: bool,
}

impl SealedColumn {
    /// The field name the cipher binds values to.
    pub fn field(&self) -> String {
        format!("{}.{}", self.table, self.column)
    }
}

const fn county(table: &'static str, column: &'static str) -> SealedColumn {
    SealedColumn {
        table,
        column,
        per_county: true,
    }
}

const fn city(table: &'static str, column: &'static str) -> SealedColumn {
    SealedColumn {
        table,
        column,
        per_county: false,
    }
}

/// Every sealed column (the at-rest test checks none holds plaintext).
pub const SEALED_COLUMNS: &[SealedColumn] = &[
    county("persons", "id_number"),
    county("persons", "phone"),
    county("persons", "bank_account"),
    county("persons", "serious_illness"),
    county("supporters", "name"),
    county("verification_reports", "body"),
    county("cases", "summary"),
    county("cases", "hardship"),
    county("cases", "rules_input"),
    county("cases", "rules_opinion"),
    county("case_decisions", "payload"),
    county("case_events", "note"),
    county("case_transfers", "matter"),
    county("case_transfers", "answer"),
    county("hotline_requests", "caller"),
    county("hotline_requests", "phone"),
    county("hotline_requests", "need"),
    county("payee_accounts", "account"),
    county("payee_accounts", "holder"),
    city("users", "totp_secret"),
    city("near_relatives", "id_number"),
    city("password_letters", "sealed"),
];

/// One sealed value with its row's key.
#[derive(Debug, Clone, QueryableByName)]
pub struct SealedValue {
    /// The county (empty for city-wide tables).
    #[diesel(sql_type = Text)]
    pub county_code: String,
    /// The row's id.
    #[diesel(sql_type = Text)]
    pub id: String,
    /// The stored ciphertext.
    #[diesel(sql_type = Text)]
    pub value: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn county_expr(c: &SealedColumn) -> &'static str {
    if c.per_county { "county_code" } else { "''" }
}

/// Values of the column sealed with the version of `prefix` (`v1:` …).
pub fn count_with_prefix(
    conn: &mut DbConnection,
    c: &SealedColumn,
    prefix: &str,
) -> Result<i64, StorageError> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {} WHERE {} LIKE ?",
        c.table, c.column
    );
    let rows: Vec<Count> = raw_sql::load(conn, &sql, &[&format!("{prefix}%")])?;
    Ok(rows.first().map(|r| r.n).unwrap_or(0))
}

/// Up to `limit` values of the column not sealed with `current_prefix`, after (county, id).
pub fn stale_values(
    conn: &mut DbConnection,
    c: &SealedColumn,
    current_prefix: &str,
    after: (&str, &str),
    limit: i64,
) -> Result<Vec<SealedValue>, StorageError> {
    let county = county_expr(c);
    // PostgreSQL refuses a constant in ORDER BY: city-wide tables order by id alone.
    let order = if c.per_county {
        "county_code, id"
    } else {
        "id"
    };
    let sql = format!(
        "SELECT {county} AS county_code, id, {col} AS value FROM {table} \
         WHERE {col} IS NOT NULL AND {col} <> '' AND {col} NOT LIKE ? \
         AND ({county} > ? OR ({county} = ? AND id > ?)) \
         ORDER BY {order} LIMIT {limit}",
        col = c.column,
        table = c.table,
    );
    raw_sql::load(
        conn,
        &sql,
        &[&format!("{current_prefix}%"), after.0, after.0, after.1],
    )
}

/// Replaces one value if it is still `old`; whether it was replaced.
pub fn replace_value(
    conn: &mut DbConnection,
    c: &SealedColumn,
    row: &SealedValue,
    new: &str,
) -> Result<bool, StorageError> {
    let sql = format!(
        "UPDATE {table} SET {col} = ? WHERE {county} = ? AND id = ? AND {col} = ?",
        table = c.table,
        col = c.column,
        county = county_expr(c),
    );
    Ok(raw_sql::execute(conn, &sql, &[new, &row.county_code, &row.id, &row.value])? == 1)
}
