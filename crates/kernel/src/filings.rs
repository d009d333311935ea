//! 近亲属备案 (POLICY-FACTS §1.2): the set of filed near relatives' lookup keys, kept briefly in
//! the application context so that opening a household file costs no query when none of its
//! members is anyone's relative. The filings themselves are kept by `jiuzhu-security`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiuzhu_storage::DbConnection;
use jiuzhu_storage::accounts as store;

use crate::AppError;

/// How long the set of filed relatives is reused before it is read again. Filings and
/// withdrawals made through this process take effect at once; those made through another
/// process within this many seconds.
const FILINGS_TTL: Duration = Duration::from_secs(5);

/// The lookup keys of all filings in force, kept briefly so that opening a household file does
/// not cost a query when none of its members is anyone's relative (almost always).
#[derive(Default)]
pub struct FilingCache {
    keys: Mutex<Option<(Instant, Arc<HashSet<String>>)>>,
}

impl FilingCache {
    /// The lookup keys of the filings in force (read again after the time to live).
    pub fn get(&self, conn: &mut DbConnection) -> Result<Arc<HashSet<String>>, AppError> {
        let mut slot = self.keys.lock().expect("filing cache lock");
        if let Some((at, keys)) = slot.as_ref()
            && at.elapsed() < FILINGS_TTL
        {
            return Ok(keys.clone());
        }
        let keys: Arc<HashSet<String>> = Arc::new(
            store::active_near_relative_keys(conn)?
                .into_iter()
                .collect(),
        );
        *slot = Some((Instant::now(), keys.clone()));
        Ok(keys)
    }

    /// Forgets the keys, after a filing or a withdrawal.
    pub fn invalidate(&self) {
        *self.keys.lock().expect("filing cache lock") = None;
    }
}
