//! SQLite files are in WAL mode, and write transactions take the write lock first (as `BEGIN IMMEDIATE`), so a
//! transaction that reads and then writes cannot fail half-way because another connection
//! wrote meanwhile; others wait for it instead (under `busy_timeout`).

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use jiuzhu_storage::{StorageError, write_transaction};

#[test]
fn a_write_transaction_holds_sqlites_write_lock_from_its_start() {
    let t = jiuzhu_storage::testing::sqlite();
    let mut a = t.db.conn().unwrap();
    let mut b = t.db.conn().unwrap();
    // B gives up at once instead of waiting, so holding the lock shows as an error.
    b.batch_execute("PRAGMA busy_timeout = 0").unwrap();
    let seen_by_b = write_transaction(&mut a, |_| -> Result<_, StorageError> {
        // A has only begun: nothing written yet, and still B cannot write.
        Ok(diesel::sql_query("DELETE FROM holidays WHERE 0").execute(&mut *b))
    })
    .unwrap();
    let err = seen_by_b.expect_err("B must not get the write lock while A's transaction runs");
    assert!(err.to_string().contains("locked"), "{err}");
    // Once A is done, B writes.
    diesel::sql_query("DELETE FROM holidays WHERE 0")
        .execute(&mut *b)
        .unwrap();
}

#[test]
fn sqlite_files_are_opened_in_wal_mode() {
    use diesel::sql_types::Text;
    #[derive(diesel::QueryableByName)]
    struct Mode {
        #[diesel(sql_type = Text)]
        journal_mode: String,
    }
    let t = jiuzhu_storage::testing::sqlite();
    let mut c = t.db.conn().unwrap();
    let m: Mode = diesel::sql_query("PRAGMA journal_mode")
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(m.journal_mode, "wal", "readers must not block the writer");
}
