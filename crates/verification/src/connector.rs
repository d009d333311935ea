//! Live query adapters (实时查询): some agencies answer a query for named people instead of
//! delivering files. A [`Connector`] is one agency's adapter; the household check calls each
//! configured connector for the household's members — only after every adult's consent — and
//! stores the answer exactly like a delivered file (same checks, provenance "实时查询", an
//! identical answer stored once). An agency that does not answer is named in the report as
//! unavailable; the check goes on with what is on file.
//!
//! [`FakeConnector`] is the test double (and a stand-in for the demo): canned records per ID
//! number, or an agency that is down.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use jiuzhu_domain::agency::{RecordType, Source};
use jiuzhu_domain::{Money, ResidentId};
use serde::Serialize;

/// One record as an agency answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveRecord {
    /// Whom it is about.
    pub id_number: ResidentId,
    /// What it says (must belong to the connector's source).
    pub kind: RecordType,
    /// Amount (monthly income, a balance or a value), if the kind has one.
    pub amount: Option<Money>,
    /// Period, if any.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// As of.
    pub as_of: NaiveDate,
    /// The agency's reference.
    pub reference: String,
}

/// Why an agency did not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable(pub String);

/// One agency's live query adapter.
pub trait Connector: Send + Sync {
    /// The source it answers for.
    fn source(&self) -> Source;
    /// The delivering agency's name, kept with every record.
    fn agency(&self) -> String;
    /// What the agency holds about these people on `as_of`.
    fn query(
        &self,
        people: &[ResidentId],
        as_of: NaiveDate,
    ) -> Result<Vec<LiveRecord>, Unavailable>;
}

/// The configured connectors (none by default: the file imports are the baseline).
pub type Connectors = Vec<Arc<dyn Connector>>;

/// A live answer written as a JSON Lines file for the importer.
#[derive(Serialize)]
struct Line<'a> {
    id_number: String,
    kind: &'a str,
    amount: String,
    period_start: String,
    period_end: String,
    as_of: String,
    agency: &'a str,
    reference: &'a str,
}

/// The answer as the JSON Lines the importer reads (so live answers pass the same checks).
pub(crate) fn as_jsonl(agency: &str, records: &[LiveRecord]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        let line = Line {
            id_number: r.id_number.to_string(),
            kind: r.kind.code(),
            amount: r.amount.map(|m| m.yuan_string()).unwrap_or_default(),
            period_start: r.period.map(|p| p.0.to_string()).unwrap_or_default(),
            period_end: r.period.map(|p| p.1.to_string()).unwrap_or_default(),
            as_of: r.as_of.to_string(),
            agency,
            reference: &r.reference,
        };
        if serde_json::to_writer(&mut out, &line).is_ok() {
            out.push(b'\n');
        }
    }
    out
}

/// The test double: canned answers per ID number, or down.
#[derive(Debug, Clone)]
pub struct FakeConnector {
    source: Source,
    records: HashMap<String, Vec<LiveRecord>>,
    down: bool,
    calls: Arc<std::sync::atomic::AtomicUsize>,
}

impl FakeConnector {
    /// An agency for `source` holding nothing yet.
    pub fn new(source: Source) -> Self {
        FakeConnector {
            source,
            records: HashMap::new(),
            down: false,
            calls: Arc::default(),
        }
    }

    /// An agency that does not answer.
    pub fn down(source: Source) -> Self {
        FakeConnector {
            down: true,
            ..FakeConnector::new(source)
        }
    }

    /// Adds a record the agency holds.
    pub fn holding(mut self, r: LiveRecord) -> Self {
        self.records
            .entry(r.id_number.to_string())
            .or_default()
            .push(r);
        self
    }

    /// How many queries it has answered (or refused).
    pub fn calls(&self) -> usize {
        self.calls.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Connector for FakeConnector {
    fn source(&self) -> Source {
        self.source
    }

    fn agency(&self) -> String {
        format!("{}（实时查询）", self.source.zh())
    }

    fn query(
        &self,
        people: &[ResidentId],
        _as_of: NaiveDate,
    ) -> Result<Vec<LiveRecord>, Unavailable> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if self.down {
            return Err(Unavailable("接口无响应".into()));
        }
        Ok(people
            .iter()
            .flat_map(|p| {
                self.records
                    .get(&p.to_string())
                    .cloned()
                    .unwrap_or_default()
            })
            .collect())
    }
}
