//! The application context every use case takes: the database, the division tree, the keys,
//! the audit log, the near-relative filings and the rules in force. It was called `Context`
//! while it lived with the household registry (issue 16); each capability crate now takes it
//! as `&Context`, and `jiuzhu_app::open` builds it.

use std::sync::Arc;

use jiuzhu_crypto::Keys;
use jiuzhu_storage::Db;

use crate::AppError;
use crate::audit::Audit;
use crate::filings::FilingCache;
use crate::regions::RegionCache;

/// What every use case reads and writes through.
#[derive(Clone)]
pub struct Context {
    /// The database.
    pub db: Db,
    /// The division tree.
    pub regions: Arc<RegionCache>,
    /// Field encryption and blind-index keys.
    pub keys: Arc<Keys>,
    /// The audit log every read of a file and every write goes to.
    pub audit: Audit,
    /// Filed near relatives, for flagging households.
    pub filings: Arc<FilingCache>,
    /// The rules on the policy in force (filing and enrolment read its exclusive programmes).
    pub rules: Arc<jiuzhu_rules::Engine>,
}

impl Context {
    /// A context over a database, the division tree, the keys and the rules in force; page
    /// views go through the audit log's group-commit writer.
    pub fn new(
        db: Db,
        regions: Arc<RegionCache>,
        keys: Arc<Keys>,
        rules: Arc<jiuzhu_rules::Engine>,
    ) -> Self {
        Context {
            audit: Audit::new(keys.clone()).with_view_queue(db.clone()),
            filings: Arc::default(),
            rules,
            db,
            regions,
            keys,
        }
    }

    /// The same context deciding under another policy's rules (`--policy`).
    pub fn with_rules(mut self, rules: Arc<jiuzhu_rules::Engine>) -> Self {
        self.rules = rules;
        self
    }

    /// A connection from the pool.
    pub fn conn(&self) -> Result<jiuzhu_storage::Conn, AppError> {
        Ok(self.db.conn()?)
    }
}
