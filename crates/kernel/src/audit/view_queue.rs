//! Group commit of page-view records. Every household or person file viewed must be on the
//! audit chain before the page is shown; done one by one, that is a write transaction per page
//! view, which capped the household page below its budget on both backends. Instead, views go
//! to one writer thread per process, which appends whatever views are waiting in one
//! transaction ([`jiuzhu_storage::audit::append_batch`]) and then answers each: a page is still
//! shown only once its record is committed, and a failed write still fails the view.

use std::sync::mpsc;

use crate::AppError;
use jiuzhu_storage::audit::ChainKeys;
use jiuzhu_storage::models::AuditRow;
use jiuzhu_storage::{Conn, Db, StorageError, audit as store};

/// Most views appended in one transaction.
const MAX_BATCH: usize = 512;

struct Job {
    row: AuditRow,
    reply: mpsc::SyncSender<Result<(), String>>,
}

/// The queue in front of the writer thread. The thread ends when the last handle is dropped.
pub struct ViewQueue {
    jobs: mpsc::Sender<Job>,
}

impl ViewQueue {
    /// Starts the writer over the database; `keys` hash and seal the chain (the audit log
    /// without a queue of its own, or the thread would keep its own channel open).
    pub fn start(db: Db, keys: impl ChainKeys + Send + 'static) -> ViewQueue {
        let (jobs, rx) = mpsc::channel::<Job>();
        // The writer keeps the connection it takes at its first batch. Requests release theirs
        // before they wait for their record (see `Audit::record_view`), so waiting requests can
        // never hold every connection the writer needs.
        std::thread::Builder::new()
            .name("audit-views".into())
            .spawn(move || writer(db, None, &keys, rx))
            .expect("the audit writer thread starts");
        ViewQueue { jobs }
    }

    /// Appends one record and waits until it is committed (or the batch failed).
    pub fn record(&self, row: AuditRow) -> Result<(), AppError> {
        let (reply, answer) = mpsc::sync_channel(1);
        let stopped = || AppError::Storage(StorageError::Open("审计写入线程已停止".into()));
        self.jobs.send(Job { row, reply }).map_err(|_| stopped())?;
        match answer.recv() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(AppError::Storage(StorageError::Open(e))),
            Err(_) => Err(stopped()),
        }
    }
}

fn writer(db: Db, mut conn: Option<Conn>, keys: &dyn ChainKeys, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let rows = jobs.iter().map(|j| j.row.clone()).collect();
        if conn.is_none() {
            conn = db.conn().ok();
        }
        let result = match conn.as_mut() {
            Some(c) => store::append_batch(c, keys, rows).map(|_| ()),
            None => Err(StorageError::Open(
                "no connection for the audit writer".into(),
            )),
        };
        if result.is_err() {
            // A broken connection is replaced before the next batch.
            conn = None;
        }
        let result = result.map_err(|e| {
                tracing::error!(error = %e, views = jobs.len(), "audit write failed; the views are refused");
                e.to_string()
            });
        for j in jobs {
            let _ = j.reply.send(result.clone());
        }
    }
}
