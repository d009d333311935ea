//! The one shape of a state change that other people may race (issue 16 item 3): cases,
//! payroll runs, receivables and review tasks all change as "write if still the version that
//! was read, carry out what the change does, audit it — in one transaction, or nothing". Of two
//! people acting at once exactly one wins; the other is told why, in words the caller chooses.

use jiuzhu_storage::DbConnection;

use crate::Actor;
use crate::AppError;
use crate::Context;
use crate::audit::Event;

/// What one change is: its audit entry, and what to tell the loser of a race.
pub struct Transition<S> {
    /// The audit entry written with the change.
    pub event: Event,
    /// The refusal when the row moved since it was read (read on the same connection, so it can
    /// say who moved it).
    pub stale: S,
}

/// Runs `change` in a transaction: it returns `None` when its conditional write found the row
/// moved — everything it wrote is then rolled back and `stale` answers — or what it made; the
/// audit entry is written in the same transaction.
pub fn transition<T, S>(
    ctx: &Context,
    conn: &mut DbConnection,
    who: &Actor,
    t: Transition<S>,
    change: impl FnOnce(&mut DbConnection) -> Result<Option<T>, AppError>,
) -> Result<T, AppError>
where
    S: FnOnce(&mut DbConnection) -> AppError,
{
    /// Why the transaction was rolled back.
    enum Abort {
        Lost,
        Failed(AppError),
    }
    impl From<jiuzhu_storage::StorageError> for Abort {
        fn from(e: jiuzhu_storage::StorageError) -> Self {
            Abort::Failed(e.into())
        }
    }
    let Transition { event, stale } = t;
    let done = jiuzhu_storage::in_transaction(conn, |c| -> Result<T, Abort> {
        let made = change(c).map_err(Abort::Failed)?.ok_or(Abort::Lost)?;
        ctx.audit.record(c, who, event).map_err(Abort::Failed)?;
        Ok(made)
    });
    match done {
        Ok(made) => Ok(made),
        Err(Abort::Lost) => Err(stale(conn)),
        Err(Abort::Failed(e)) => Err(e),
    }
}

/// A refusal that says the same whoever moved the row.
pub fn stale(message: &str) -> impl FnOnce(&mut DbConnection) -> AppError + '_ {
    move |_| AppError::Conflict(message.to_owned())
}
