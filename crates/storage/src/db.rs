//! Connections: one Diesel code base over SQLite (embedded, the default) and PostgreSQL
//! (production), as vaultwarden does. A `Db` is a pool plus the backend it talks to;
//! migrations are embedded per backend and run on start.

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ConnectionManager, CustomizeConnection, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::StorageError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend; queries written once run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL.
    Postgresql(diesel::PgConnection),
    /// SQLite (bundled).
    Sqlite(diesel::SqliteConnection),
}

/// Which database a `Db` talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// A pooled connection.
pub type Conn = PooledConnection<ConnectionManager<DbConnection>>;

/// The database: a connection pool and its backend.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<ConnectionManager<DbConnection>>,
    backend: Backend,
}

/// Sets per-connection options: SQLite pragmas (foreign keys, WAL, busy timeout) and, for
/// PostgreSQL test isolation, the schema to work in.
#[derive(Debug)]
struct Customizer {
    pg_schema: Option<String>,
}

impl CustomizeConnection<DbConnection, r2d2::Error> for Customizer {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        let sql = match conn {
            // busy_timeout first, so that the pragmas after it wait instead of failing. WAL is
            // set once in `Db::open` (it is persistent and needs an exclusive lock).
            DbConnection::Sqlite(_) => "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;".to_owned(),
            DbConnection::Postgresql(_) => match &self.pg_schema {
                Some(schema) => format!("SET search_path TO \"{schema}\""),
                None => return Ok(()),
            },
        };
        conn.batch_execute(&sql).map_err(r2d2::Error::QueryError)
    }
}

/// Creates a new SQLite file readable by its owner only (0600; issue 15 F15): it holds the
/// registry. SQLite gives its `-wal` and `-shm` files the same mode. An existing file, an
/// in-memory database or a `file:` URI is left as it is.
pub(crate) fn create_private(path: &str) -> Result<(), StorageError> {
    if path.is_empty() || path == ":memory:" || path.starts_with("file:") {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StorageError::Open(format!("{path}：{e}"))),
    }
}

impl Db {
    /// Opens a database: `postgres://…` or `postgresql://…` for PostgreSQL, anything else is
    /// a SQLite file path (created if missing; `sqlite://` prefix allowed). Runs pending
    /// migrations.
    pub fn open(url: &str, pool_size: u32) -> Result<Db, StorageError> {
        Self::open_in_schema(url, pool_size, None)
    }

    /// Like [`Db::open`], confining PostgreSQL to `schema` (created if missing): every test
    /// gets its own schema in the shared test database.
    pub fn open_in_schema(
        url: &str,
        pool_size: u32,
        pg_schema: Option<&str>,
    ) -> Result<Db, StorageError> {
        let (backend, target) = if url.starts_with("postgres://")
            || url.starts_with("postgresql://")
        {
            (Backend::Postgres, url.to_owned())
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            if let Some(parent) = std::path::Path::new(path).parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent).map_err(|e| StorageError::Open(e.to_string()))?;
            }
            create_private(path)?;
            (Backend::Sqlite, path.to_owned())
        };
        if backend == Backend::Postgres {
            // One direct connection first: a wrong URL fails now with libpq's reason, instead
            // of after the pool's 30-second retry.
            let mut conn = <DbConnection as diesel::Connection>::establish(&target)
                .map_err(|e| StorageError::Open(e.to_string()))?;
            if let Some(schema) = pg_schema {
                conn.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))?;
            }
        }
        if backend == Backend::Sqlite {
            // WAL once, on a direct connection before the pool opens: readers then never block
            // the writer, and with synchronous = NORMAL a commit needs no fsync (a checkpoint
            // does). The mode is stored in the file; setting it from every pooled connection
            // raced for the exclusive lock it needs.
            let mut conn = <DbConnection as diesel::Connection>::establish(&target)
                .map_err(|e| StorageError::Open(e.to_string()))?;
            conn.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")?;
        }
        let manager = ConnectionManager::<DbConnection>::new(target);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .connection_customizer(Box::new(Customizer {
                pg_schema: pg_schema.map(str::to_owned),
            }))
            .build(manager)
            .map_err(|e| StorageError::Open(e.to_string()))?;
        let db = Db { pool, backend };
        db.migrate()?;
        Ok(db)
    }

    /// Applies pending migrations of this backend.
    pub fn migrate(&self) -> Result<usize, StorageError> {
        let mut conn = self.conn()?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConnection::Postgresql(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        }
        .map_err(|e| StorageError::Migration(e.to_string()))?;
        Ok(applied)
    }

    /// Reverts the newest applied migration and returns its name: a migration's test brings a
    /// database back to the shape the code before it left, fills it as that code did, and
    /// migrates again.
    pub fn revert_last_migration(&self) -> Result<String, StorageError> {
        let mut conn = self.conn()?;
        match &mut *conn {
            DbConnection::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS),
            DbConnection::Postgresql(c) => c.revert_last_migration(POSTGRES_MIGRATIONS),
        }
        .map(|v| v.to_string())
        .map_err(|e| StorageError::Migration(e.to_string()))
    }

    /// Refreshes the query planner's statistics after a bulk load (SQLite `ANALYZE`,
    /// PostgreSQL `ANALYZE`), so that list and search plans fit the data.
    pub fn analyze(&self) -> Result<(), StorageError> {
        let mut conn = self.conn()?;
        conn.batch_execute("ANALYZE")?;
        Ok(())
    }

    /// A connection from the pool.
    pub fn conn(&self) -> Result<Conn, StorageError> {
        self.pool
            .get()
            .map_err(|e| StorageError::Open(e.to_string()))
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }
}
