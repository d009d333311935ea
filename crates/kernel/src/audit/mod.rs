//! The audit log (等保 2.0 安全审计; PIPL art. 51): one entry for every write (old → new),
//! every view of a household's or person's file, every export, every sign-in and every denied
//! attempt. Entries are chained per county with a keyed SM3 hash (HMAC-SM3 under the platform's
//! index key), so an entry edited, deleted or moved behind the application's back breaks the
//! chain at a named place, and nobody without the key can rebuild a chain they edited.
//!
//! [`Audit::record`] runs on the caller's connection, inside the caller's transaction: a failed
//! audit write fails the action.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use jiuzhu_crypto::Keys;
use jiuzhu_storage::audit::{self as store, AuditCursor, AuditFilter, ChainKeys};
use jiuzhu_storage::models::AuditRow;
use jiuzhu_storage::{Db, DbConnection};
use serde::{Deserialize, Serialize};

pub mod changes;
mod mask;
pub mod verify;
pub mod view_queue;

use crate::AppError;
use crate::regions::RegionCache;
use crate::{Actor, chain_of};

/// How an audited attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Ok,
    /// Refused: no permission, outside the region, locked account.
    Denied,
    /// Failed: wrong password, wrong code.
    Failed,
}

impl Outcome {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// One thing to audit.
#[derive(Debug, Clone)]
pub struct Event {
    /// `household.view`, `person.update`, `login` …
    pub action: String,
    /// How it ended.
    pub outcome: Outcome,
    /// `household`, `person`, `user` …
    pub object_kind: String,
    /// The object's id.
    pub object_id: String,
    /// The object's region (decides the chain).
    pub region_code: String,
    /// The reason the user gave (reveals, exports).
    pub reason: String,
    /// What changed or what was seen (personal values masked).
    pub detail: serde_json::Value,
}

impl Event {
    /// A successful action on an object in a region.
    pub fn new(action: &str, kind: &str, id: &str, region: &str) -> Self {
        Event {
            action: action.to_owned(),
            outcome: Outcome::Ok,
            object_kind: kind.to_owned(),
            object_id: id.to_owned(),
            region_code: region.to_owned(),
            reason: String::new(),
            detail: serde_json::Value::Null,
        }
    }

    /// With a detail.
    pub fn detail(mut self, d: serde_json::Value) -> Self {
        self.detail = d;
        self
    }

    /// With a reason.
    pub fn reason(mut self, r: &str) -> Self {
        self.reason = r.to_owned();
        self
    }

    /// With an outcome.
    pub fn outcome(mut self, o: Outcome) -> Self {
        self.outcome = o;
        self
    }
}

/// The audit service.
#[derive(Clone)]
pub struct Audit {
    keys: Arc<Keys>,
    /// Page views go through the group-commit writer when there is one.
    views: Option<Arc<view_queue::ViewQueue>>,
}

impl ChainKeys for Audit {
    fn entry_hash(&self, canonical: &[u8]) -> String {
        self.keys.index.mac("audit.entry", canonical)
    }
    fn head_seal(&self, chain: &str, seq: i64, hash: &str) -> String {
        self.keys.index.mac(
            "audit.head",
            format!("{chain}\u{1f}{seq}\u{1f}{hash}").as_bytes(),
        )
    }
    fn registry_seal(&self, chains: &str) -> String {
        self.keys.index.mac("audit.registry", chains.as_bytes())
    }
}

/// Query of the audit page.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct AuditQuery {
    /// Exact user name.
    pub user: Option<String>,
    /// Action prefix (`household`, `login` …).
    pub action: Option<String>,
    /// Region code: the object lies in this region.
    pub region: Option<String>,
    /// From date (YYYY-MM-DD, inclusive).
    pub from: Option<String>,
    /// To date (YYYY-MM-DD, inclusive).
    pub to: Option<String>,
    /// `ok`, `denied` or `failed`.
    pub outcome: Option<String>,
    /// Cursor from the previous page.
    pub cursor: Option<String>,
}

/// One entry as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntryView {
    /// Chain.
    pub chain: String,
    /// Position.
    pub seq: i64,
    /// When (China time).
    pub at: String,
    /// User name.
    pub username: String,
    /// Role code.
    pub role: String,
    /// Role in Chinese (系统 for the platform itself, 未登录 for refused sign-ins).
    pub role_label: String,
    /// Client address.
    pub ip: String,
    /// Action.
    pub action: String,
    /// Outcome.
    pub outcome: String,
    /// Object kind.
    pub object_kind: String,
    /// Object id.
    pub object_id: String,
    /// Object region code.
    pub region_code: String,
    /// Reason given.
    pub reason: String,
    /// Detail (JSON).
    pub detail: String,
}

impl From<AuditRow> for AuditEntryView {
    fn from(r: AuditRow) -> Self {
        AuditEntryView {
            chain: r.county_code,
            seq: r.id,
            at: r.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            username: r.username,
            role_label: match jiuzhu_domain::Role::parse(&r.role) {
                Some(role) => role.zh().to_owned(),
                None if r.role == "anonymous" => "未登录".to_owned(),
                None => "系统".to_owned(),
            },
            role: r.role,
            ip: r.ip,
            action: r.action,
            outcome: r.outcome,
            object_kind: r.object_kind,
            object_id: r.object_id,
            region_code: r.region_code,
            reason: r.reason,
            // F5: shown masked like every other view (the stored entry is unchanged).
            detail: mask::masked_detail(&r.detail),
        }
    }
}

/// One page of the audit log.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    /// Entries, newest first.
    pub items: Vec<AuditEntryView>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// Entries per audit page.
pub const AUDIT_PAGE: i64 = 100;
/// Most entries in one export.
pub const AUDIT_EXPORT_MAX: usize = 200_000;

impl Audit {
    /// The audit service over the platform's keys.
    pub fn new(keys: Arc<Keys>) -> Self {
        Audit { keys, views: None }
    }

    /// The same service with page views appended by a group-commit writer thread over `db`.
    pub fn with_view_queue(mut self, db: Db) -> Self {
        let writer = Audit::new(self.keys.clone());
        self.views = Some(Arc::new(view_queue::ViewQueue::start(db, writer)));
        self
    }

    /// Appends an event on the caller's connection (inside the caller's transaction).
    pub fn record(&self, conn: &mut DbConnection, who: &Actor, e: Event) -> Result<(), AppError> {
        let row = self.row(who, e);
        store::append(conn, self, row).map_err(|err| {
            tracing::error!(error = %err, "audit write failed; the action is refused");
            AppError::from(err)
        })?;
        Ok(())
    }

    /// Appends many events at once on the caller's connection (inside the caller's
    /// transaction): one head update per chain instead of one per event — a bulk import's
    /// entries, one per record written.
    pub fn record_many(
        &self,
        conn: &mut DbConnection,
        who: &Actor,
        events: Vec<Event>,
    ) -> Result<(), AppError> {
        if events.is_empty() {
            return Ok(());
        }
        let rows = events.into_iter().map(|e| self.row(who, e)).collect();
        store::append_batch(conn, self, rows).map_err(|err| {
            tracing::error!(error = %err, "audit write failed; the action is refused");
            AppError::from(err)
        })?;
        Ok(())
    }

    /// The row of an event, before the chain fills in its position and hashes.
    fn row(&self, who: &Actor, e: Event) -> AuditRow {
        let now = jiuzhu_domain::time::now();
        // Microseconds: what both databases store, so the hash verifies after a round trip.
        let at = now
            .with_nanosecond(now.nanosecond() / 1_000 * 1_000)
            .unwrap_or(now);
        AuditRow {
            county_code: chain_of(&e.region_code),
            id: 0,
            at,
            user_id: who.user_id.clone(),
            username: who.username.clone(),
            role: who.role_code().to_owned(),
            ip: who.ip.clone(),
            action: e.action,
            outcome: e.outcome.code().to_owned(),
            object_kind: e.object_kind,
            object_id: e.object_id,
            region_code: e.region_code,
            reason: e.reason,
            detail: if e.detail.is_null() {
                String::new()
            } else {
                e.detail.to_string()
            },
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    /// Appends the record of a file viewed and returns once it is committed: through the
    /// group-commit writer when there is one (never from inside a write transaction, whose lock
    /// the writer would wait for), else on a connection of its own. Call it holding no
    /// connection, so that waiting requests do not empty the pool. Writes use [`Audit::record`].
    pub fn record_view(&self, db: &Db, who: &Actor, e: Event) -> Result<(), AppError> {
        let row = self.row(who, e);
        match &self.views {
            Some(queue) if !jiuzhu_storage::in_write_transaction() => queue.record(row),
            _ => {
                store::append(&mut *db.conn()?, self, row).map_err(|err| {
                    tracing::error!(error = %err, "audit write failed; the view is refused");
                    AppError::from(err)
                })?;
                Ok(())
            }
        }
    }

    /// Appends an event in its own transaction (sign-ins, denials: no other write to join).
    pub fn record_alone(&self, db: &Db, who: &Actor, e: Event) -> Result<(), AppError> {
        let mut conn = db.conn()?;
        self.record(&mut conn, who, e)
    }

    fn filter(&self, regions: &RegionCache, q: &AuditQuery) -> Result<AuditFilter, AppError> {
        let mut errs = crate::Errors::default();
        let mut f = AuditFilter {
            username: q
                .user
                .clone()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            action: q
                .action
                .clone()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            outcome: q.outcome.clone().filter(|s| !s.is_empty()),
            ..Default::default()
        };
        if let Some(r) = q.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            match jiuzhu_domain::RegionCode::parse(r) {
                Ok(code) if regions.get(&code).is_some() => {
                    if let Some(c) = code.county_code() {
                        f.chains = vec![c.to_owned()];
                    }
                    f.region_range = Some(code.subtree_range());
                }
                _ => errs.push("region", "区划代码无效", "unknown region code"),
            }
        }
        let day = |errs: &mut crate::Errors, field: &str, s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .and_then(|s| match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                    Ok(d) => Some(d),
                    Err(_) => {
                        errs.push(field, "应为日期 YYYY-MM-DD", "expected YYYY-MM-DD");
                        None
                    }
                })
        };
        f.from = day(&mut errs, "from", &q.from).map(|d| d.and_hms_opt(0, 0, 0).expect("midnight"));
        f.until = day(&mut errs, "to", &q.to)
            .and_then(|d| d.succ_opt())
            .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight"));
        if let Some(o) = &f.outcome
            && !["ok", "denied", "failed"].contains(&o.as_str())
        {
            errs.push(
                "outcome",
                "应为 ok、denied 或 failed",
                "expected ok, denied or failed",
            );
        }
        errs.finish(f)
    }

    /// One page of the audit log matching the query, newest first.
    pub fn search(
        &self,
        conn: &mut DbConnection,
        regions: &RegionCache,
        q: &AuditQuery,
    ) -> Result<AuditPage, AppError> {
        let f = self.filter(regions, q)?;
        let cursor = match q.cursor.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(c) => Some(decode_cursor(c).ok_or_else(|| {
                AppError::Invalid(vec![crate::FieldError::new(
                    "cursor",
                    "分页参数无效，请从第一页开始",
                    "invalid cursor",
                )])
            })?),
        };
        let mut rows = store::search(conn, &f, cursor.as_ref(), AUDIT_PAGE + 1)?;
        let next_cursor = if rows.len() as i64 > AUDIT_PAGE {
            rows.truncate(AUDIT_PAGE as usize);
            rows.last()
                .map(|r| encode_cursor(r.at, &r.county_code, r.id))
        } else {
            None
        };
        Ok(AuditPage {
            items: rows.into_iter().map(AuditEntryView::from).collect(),
            next_cursor,
        })
    }

    /// Every entry matching the query (up to [`AUDIT_EXPORT_MAX`]) as XLSX.
    pub fn export_xlsx(
        &self,
        conn: &mut DbConnection,
        regions: &RegionCache,
        q: &AuditQuery,
    ) -> Result<Vec<u8>, AppError> {
        let f = self.filter(regions, q)?;
        let mut rows: Vec<Vec<String>> = vec![];
        let mut cursor: Option<AuditCursor> = None;
        loop {
            let page = store::search(conn, &f, cursor.as_ref(), 5_000)?;
            let Some(last) = page.last() else { break };
            cursor = Some(AuditCursor {
                at: last.at,
                chain: last.county_code.clone(),
                id: last.id,
            });
            rows.extend(page.into_iter().map(|r| {
                let v = AuditEntryView::from(r);
                vec![
                    v.at,
                    v.username,
                    v.role_label,
                    v.ip,
                    v.action,
                    v.outcome,
                    v.object_kind,
                    v.object_id,
                    v.region_code,
                    v.reason,
                    v.detail,
                    v.chain,
                    v.seq.to_string(),
                ]
            }));
            if rows.len() >= AUDIT_EXPORT_MAX {
                rows.truncate(AUDIT_EXPORT_MAX);
                break;
            }
        }
        crate::export::table_xlsx(
            "审计日志",
            &[
                "时间",
                "用户",
                "角色",
                "地址",
                "操作",
                "结果",
                "对象类型",
                "对象",
                "区划",
                "理由",
                "详情",
                "审计链",
                "序号",
            ],
            rows.into_iter(),
        )
    }
}

fn encode_cursor(at: NaiveDateTime, chain: &str, id: i64) -> String {
    format!("{}.{chain}.{id}", at.and_utc().timestamp_micros())
}

fn decode_cursor(s: &str) -> Option<AuditCursor> {
    let mut parts = s.splitn(3, '.');
    let micros: i64 = parts.next()?.parse().ok()?;
    let chain = parts.next()?.to_owned();
    let id: i64 = parts.next()?.parse().ok()?;
    let at = chrono::DateTime::from_timestamp_micros(micros)?.naive_utc();
    Some(AuditCursor { at, chain, id })
}
