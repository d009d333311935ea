//! Test databases: every test gets a fresh SQLite file and, when `JIUZHU_TEST_PG_URL` is set
//! (CI sets it), a fresh PostgreSQL schema that is dropped afterwards. The same test body runs
//! on both, so the integration suite proves the two backends agree.

use diesel::connection::SimpleConnection;

use crate::{Backend, Db, DbConnection};

/// A database for one test; cleans up when dropped.
pub struct TestDb {
    /// The database.
    pub db: Db,
    /// `sqlite` or `postgres`, for assertion messages.
    pub label: &'static str,
    /// The SQLite file's folder (removed on drop).
    pub dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// The backend.
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// A URL another process (the command line) opens this same database with: the SQLite
    /// file, or the PostgreSQL URL confined to this test's schema.
    pub fn url(&self) -> String {
        match (&self.dir, &self.pg) {
            (_, Some((url, schema))) => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}options=-csearch_path%3D{schema}")
            }
            (Some(dir), None) => dir.path().join("test.sqlite3").display().to_string(),
            (None, None) => unreachable!("a test database is SQLite or PostgreSQL"),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((url, schema)) = &self.pg
            && let Ok(mut c) = <DbConnection as diesel::Connection>::establish(url)
        {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
        }
    }
}

/// A fresh migrated SQLite database.
pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.sqlite3");
    let db = Db::open(path.to_str().expect("utf-8 path"), 4).expect("open sqlite");
    TestDb {
        db,
        label: "sqlite",
        dir: Some(dir),
        pg: None,
    }
}

/// A fresh migrated PostgreSQL schema, if `JIUZHU_TEST_PG_URL` is set.
pub fn postgres() -> Option<TestDb> {
    let url = std::env::var("JIUZHU_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let schema = format!("t_{}", crate::ids::new_id());
    let db = Db::open_in_schema(&url, 4, Some(&schema)).expect("open postgres test schema");
    Some(TestDb {
        db,
        label: "postgres",
        dir: None,
        pg: Some((url, schema)),
    })
}

/// Every backend available to this test run: SQLite always, PostgreSQL when configured.
/// In CI (`CI=true`) a missing PostgreSQL URL is an error, so the suite cannot silently skip it.
pub fn all_backends() -> Vec<TestDb> {
    let mut v = vec![sqlite()];
    match postgres() {
        Some(pg) => v.push(pg),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI must set JIUZHU_TEST_PG_URL")
        }
        None => {}
    }
    v
}
