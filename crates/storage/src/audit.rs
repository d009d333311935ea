//! The audit log: one append-only chain per county (and one for the city). Each entry's hash
//! covers its fields and the previous entry's hash; the chain's head row holds the last
//! position, sealed, so that truncating a chain is noticed too. Appending runs inside the
//! caller's transaction: if the audit write fails, the audited action is rolled back with it.
//!
//! The hash functions are passed in (the application holds the keys); storage only orders.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::models::{AuditHeadRow, AuditRow};
use crate::schema::{audit_heads, audit_log, audit_registry};
use crate::{DbConnection, StorageError};

/// The `prev_hash` of a chain's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How entries are hashed and heads sealed.
pub trait ChainKeys {
    /// Hash of an entry's canonical bytes.
    fn entry_hash(&self, canonical: &[u8]) -> String;
    /// Seal of a chain head.
    fn head_seal(&self, chain: &str, seq: i64, hash: &str) -> String;
    /// Seal of the set of chains (sorted names, comma-separated).
    fn registry_seal(&self, chains: &str) -> String;
}

/// The set of chains as recorded, with its seal (empty: recorded by the migration, not yet
/// sealed). `None` when no chain was ever created — or the row was deleted.
pub fn registry(conn: &mut DbConnection) -> Result<Option<(String, String)>, StorageError> {
    Ok(audit_registry::table
        .find(1)
        .select((audit_registry::chains, audit_registry::seal))
        .first(conn)
        .optional()?)
}

/// Records the set of chains, sealed.
pub fn set_registry(
    conn: &mut DbConnection,
    keys: &dyn ChainKeys,
    chains: &[String],
) -> Result<(), StorageError> {
    let list = chains.join(",");
    let seal = keys.registry_seal(&list);
    let n = diesel::update(audit_registry::table.find(1))
        .set((
            audit_registry::chains.eq(&list),
            audit_registry::seal.eq(&seal),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(audit_registry::table)
            .values((
                audit_registry::id.eq(1),
                audit_registry::chains.eq(&list),
                audit_registry::seal.eq(&seal),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether any staff account exists (every account's creation is audited, so a database with
/// accounts and no audit chain has lost its log).
pub fn accounts_exist(conn: &mut DbConnection) -> Result<bool, StorageError> {
    use crate::schema::users;
    Ok(users::table
        .select(users::id)
        .first::<String>(conn)
        .optional()?
        .is_some())
}

/// Splits a recorded chain list.
pub fn registry_chains(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Appends `entry` (its `county_code` names the chain; `id`, `prev_hash` and `hash` are
/// filled in) and returns it as stored. The head row is updated first: on PostgreSQL that
/// locks the chain until the transaction ends, so concurrent appends queue instead of
/// colliding; SQLite has one writer anyway.
pub fn append(
    conn: &mut DbConnection,
    keys: &dyn ChainKeys,
    mut entry: AuditRow,
) -> Result<AuditRow, StorageError> {
    crate::write_transaction(conn, |conn| {
        let chain = entry.county_code.clone();
        let bump = |conn: &mut DbConnection| {
            diesel::update(audit_heads::table.find(&chain))
                .set(audit_heads::seq.eq(audit_heads::seq + 1))
                .returning((audit_heads::seq, audit_heads::hash))
                .get_result::<(i64, String)>(conn)
                .optional()
        };
        let (seq, prev_hash) = match bump(conn)? {
            Some(head) => head,
            None => {
                create_head(conn, keys, &chain)?;
                bump(conn)?.ok_or(StorageError::NotFound)?
            }
        };
        entry.id = seq;
        entry.prev_hash = prev_hash;
        entry.hash = keys.entry_hash(&entry.canonical());
        diesel::insert_into(audit_log::table)
            .values(&entry)
            .execute(conn)?;
        diesel::update(audit_heads::table.find(&chain))
            .set((
                audit_heads::hash.eq(&entry.hash),
                audit_heads::seal.eq(keys.head_seal(&chain, entry.id, &entry.hash)),
            ))
            .execute(conn)?;
        Ok(entry)
    })
}

/// Appends many entries in one transaction — the group commit of page views: per chain, the
/// head is bumped once for all its entries, the entries are hashed in order in memory, all rows
/// go in with multi-row inserts, and each head is sealed once. Entries keep the order given
/// within their chain. All or nothing.
pub fn append_batch(
    conn: &mut DbConnection,
    keys: &dyn ChainKeys,
    mut entries: Vec<AuditRow>,
) -> Result<Vec<AuditRow>, StorageError> {
    crate::write_transaction(conn, |conn| {
        let mut chains: Vec<String> = entries.iter().map(|e| e.county_code.clone()).collect();
        chains.sort();
        chains.dedup();
        for chain in &chains {
            let n = entries.iter().filter(|e| &e.county_code == chain).count() as i64;
            let bump = |conn: &mut DbConnection| {
                diesel::update(audit_heads::table.find(chain))
                    .set(audit_heads::seq.eq(audit_heads::seq + n))
                    .returning((audit_heads::seq, audit_heads::hash))
                    .get_result::<(i64, String)>(conn)
                    .optional()
            };
            // The head's hash is still that of its old last entry: the first new one links to it.
            let (last, mut prev_hash) = match bump(conn)? {
                Some(head) => head,
                None => {
                    create_head(conn, keys, chain)?;
                    bump(conn)?.ok_or(StorageError::NotFound)?
                }
            };
            let mut seq = last - n;
            for e in entries.iter_mut().filter(|e| &e.county_code == chain) {
                seq += 1;
                e.id = seq;
                e.prev_hash = prev_hash;
                e.hash = keys.entry_hash(&e.canonical());
                prev_hash = e.hash.clone();
            }
            diesel::update(audit_heads::table.find(chain))
                .set((
                    audit_heads::hash.eq(&prev_hash),
                    audit_heads::seal.eq(keys.head_seal(chain, last, &prev_hash)),
                ))
                .execute(conn)?;
        }
        // 16 columns a row: 1,000 rows stay far below both backends' parameter limits.
        for chunk in entries.chunks(1_000) {
            match conn {
                DbConnection::Sqlite(c) => {
                    diesel::insert_into(audit_log::table)
                        .values(chunk)
                        .execute(c)?;
                }
                DbConnection::Postgresql(c) => {
                    diesel::insert_into(audit_log::table)
                        .values(chunk)
                        .execute(c)?;
                }
            }
        }
        Ok(entries)
    })
}

/// Creates an empty chain's head; a head created meanwhile by another writer is kept.
fn create_head(
    conn: &mut DbConnection,
    keys: &dyn ChainKeys,
    chain: &str,
) -> Result<(), StorageError> {
    let row = AuditHeadRow {
        chain: chain.to_owned(),
        seq: 0,
        hash: GENESIS.to_owned(),
        seal: keys.head_seal(chain, 0, GENESIS),
    };
    let created = match conn {
        DbConnection::Sqlite(c) => diesel::insert_into(audit_heads::table)
            .values(&row)
            .on_conflict_do_nothing()
            .execute(c)?,
        DbConnection::Postgresql(c) => diesel::insert_into(audit_heads::table)
            .values(&row)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    if created == 1 {
        // The new chain joins the sealed set, in the same transaction (issue 15 F7). An
        // unsealed list (left by the migration) is taken as it is: verification names it.
        let mut chains = registry(conn)?
            .map(|(list, _)| registry_chains(&list))
            .unwrap_or_default();
        if !chains.iter().any(|c| c == chain) {
            chains.push(chain.to_owned());
            chains.sort();
        }
        set_registry(conn, keys, &chains)?;
    }
    Ok(())
}

/// Every chain's head.
pub fn heads(conn: &mut DbConnection) -> Result<Vec<AuditHeadRow>, StorageError> {
    Ok(audit_heads::table
        .order(audit_heads::chain)
        .select(AuditHeadRow::as_select())
        .load(conn)?)
}

/// The chains that have entries (a chain whose head row was deleted still shows up here).
pub fn chains(conn: &mut DbConnection) -> Result<Vec<String>, StorageError> {
    Ok(audit_log::table
        .select(audit_log::county_code)
        .distinct()
        .order(audit_log::county_code)
        .load(conn)?)
}

/// Entries of one chain in order, `limit` after position `after` (verification walks a chain
/// in chunks so memory stays flat however long it is).
pub fn chain_entries(
    conn: &mut DbConnection,
    chain: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, StorageError> {
    Ok(audit_log::table
        .filter(audit_log::county_code.eq(chain))
        .filter(audit_log::id.gt(after))
        .order(audit_log::id)
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?)
}

/// A filter of the audit page.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Exact user name.
    pub username: Option<String>,
    /// Action prefix (`household.` matches every household action).
    pub action: Option<String>,
    /// Chains to search (the counties of the chosen region; all when empty).
    pub chains: Vec<String>,
    /// Region subtree `(low, high)` of the object.
    pub region_range: Option<(String, String)>,
    /// From (inclusive).
    pub from: Option<NaiveDateTime>,
    /// Until (exclusive).
    pub until: Option<NaiveDateTime>,
    /// Only this outcome.
    pub outcome: Option<String>,
}

/// Position of the last entry of a page: newest first by time, then chain and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCursor {
    /// Time.
    pub at: NaiveDateTime,
    /// Chain.
    pub chain: String,
    /// Position.
    pub id: i64,
}

/// One page of matching entries, newest first, after `cursor`.
pub fn search(
    conn: &mut DbConnection,
    f: &AuditFilter,
    cursor: Option<&AuditCursor>,
    limit: i64,
) -> Result<Vec<AuditRow>, StorageError> {
    let mut q = audit_log::table
        .select(AuditRow::as_select())
        .order((
            audit_log::at.desc(),
            audit_log::county_code.desc(),
            audit_log::id.desc(),
        ))
        .limit(limit)
        .into_boxed();
    if let Some(u) = &f.username {
        q = q.filter(audit_log::username.eq(u.clone()));
    }
    if let Some(a) = &f.action {
        // A prefix match; `_` and `%` in the typed action (user.reset_password) are literal.
        let escaped = a
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        q = q.filter(audit_log::action.like(format!("{escaped}%")).escape('\\'));
    }
    if !f.chains.is_empty() {
        q = q.filter(audit_log::county_code.eq_any(f.chains.clone()));
    }
    if let Some((lo, hi)) = &f.region_range {
        q = q
            .filter(audit_log::region_code.ge(lo.clone()))
            .filter(audit_log::region_code.le(hi.clone()));
    }
    if let Some(t) = f.from {
        q = q.filter(audit_log::at.ge(t));
    }
    if let Some(t) = f.until {
        q = q.filter(audit_log::at.lt(t));
    }
    if let Some(o) = &f.outcome {
        q = q.filter(audit_log::outcome.eq(o.clone()));
    }
    if let Some(c) = cursor {
        q = q.filter(
            audit_log::at.lt(c.at).or(audit_log::at.eq(c.at).and(
                audit_log::county_code
                    .lt(c.chain.clone())
                    .or(audit_log::county_code
                        .eq(c.chain.clone())
                        .and(audit_log::id.lt(c.id))),
            )),
        );
    }
    Ok(q.load(conn)?)
}
