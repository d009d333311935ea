//! What every command starts from: where the database and the key file are, and the
//! application context opened over them.

use std::path::PathBuf;
use std::sync::Arc;

use jiuzhu_app::Actor;
use jiuzhu_app::Context;
use jiuzhu_app::regions::RegionCache;
use jiuzhu_app::security::accounts::Accounts;
use jiuzhu_crypto::{KeyFileProvider, KeyProvider};
use jiuzhu_storage::Db;

/// The default database: a SQLite file created on first run.
pub(crate) const DEFAULT_DB: &str = "jiuzhu-data/jiuzhu.sqlite3";
#[cfg(feature = "demo")]
pub(crate) const DEMO_DB: &str = "jiuzhu-data/demo.sqlite3";
pub(crate) const DEFAULT_KEY_FILE: &str = "jiuzhu-data/jiuzhu.key";
#[cfg(feature = "demo")]
pub(crate) const DEMO_KEY_FILE: &str = "jiuzhu-data/demo.key";

#[derive(clap::Args, Clone)]
pub(crate) struct DbArgs {
    /// SQLite file path or postgres://… URL.
    #[arg(long, env = "JIUZHU_DATABASE_URL", default_value = DEFAULT_DB)]
    pub(crate) database_url: String,
    /// The key file (SM4 field key and HMAC-SM3 index key), created with mode 0600 on first run.
    #[arg(long, env = "JIUZHU_KEY_FILE", default_value = DEFAULT_KEY_FILE)]
    pub(crate) key_file: PathBuf,
}

/// What a command returns.
pub(crate) type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

pub(crate) fn open(url: &str, key_file: &std::path::Path, pool: u32) -> Result<(Db, Context)> {
    let keys = Arc::new(KeyFileProvider(key_file.to_owned()).keys()?);
    let db = Db::open(url, pool)?;
    let regions = {
        let mut conn = db.conn()?;
        Arc::new(RegionCache::load(&mut conn)?)
    };
    Ok((db.clone(), jiuzhu_app::open(db, regions, keys)))
}

pub(crate) fn city(registry: &Context) -> Result<Actor> {
    Ok(Actor::system(registry.regions.scope(&"4105".parse()?)))
}

pub(crate) fn accounts_of(registry: &Context) -> Accounts {
    Accounts::new(
        registry.db.clone(),
        registry.keys.clone(),
        registry.regions.clone(),
    )
}
