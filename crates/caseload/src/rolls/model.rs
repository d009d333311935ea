//! What a rolls import shows and writes: row errors, each household's plan, the preview with
//! its reconciliation, the outcome — and the checked household ready to write.

use chrono::NaiveDate;
use jiuzhu_domain::Month;
use jiuzhu_programmes::ProgrammeSpec;
use jiuzhu_storage::bulk::HouseholdBatch;
use serde::Serialize;
use utoipa::ToSchema;

use super::reconcile::Line;

pub use jiuzhu_kernel::tabular::RowError;

/// What importing a household will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum Plan {
    /// Register the household and enrol it.
    Register,
    /// The household is registered: enrol it.
    Enrol,
    /// Already on the roll with the same amount: nothing to do.
    Unchanged,
}

impl Plan {
    /// In Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Plan::Register => "登记并纳入",
            Plan::Enrol => "纳入（家庭已登记）",
            Plan::Unchanged => "已在册，不变",
        }
    }
}

/// One household of the file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RollHousehold {
    /// 户编号 in the file.
    pub key: String,
    /// The file's rows of this household.
    pub rows: Vec<usize>,
    /// Head's name, masked.
    pub head_name: String,
    /// County code ("" when the region could not be read).
    pub county: String,
    /// Programme code.
    pub programme: String,
    /// Programme, in Chinese.
    pub programme_name: String,
    /// Monthly amount, fen.
    pub monthly_fen: i64,
    /// Persons covered.
    pub people: i64,
    /// What the import does with it.
    pub plan: Plan,
    /// Problems; empty when it can be imported.
    pub errors: Vec<RowError>,
    /// What is written, once checked.
    #[serde(skip)]
    pub(crate) ready: Option<Ready>,
}

/// A rolls file read and checked, before anything is written.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RollsPreview {
    /// File name.
    pub file_name: String,
    /// Households in file order.
    pub households: Vec<RollHousehold>,
    /// Data rows read.
    pub rows: usize,
    /// Problems not tied to a household (missing columns, rows without 户编号).
    pub file_errors: Vec<RowError>,
    /// Households, people and monthly totals per county and programme, beside the old
    /// system's.
    pub reconciliation: Vec<Line>,
}

impl RollsPreview {
    /// No row has a problem.
    pub fn is_clean(&self) -> bool {
        self.file_errors.is_empty() && self.households.iter().all(|h| h.errors.is_empty())
    }

    /// Every total typed in matches the file.
    pub fn reconciles(&self) -> bool {
        self.reconciliation.iter().all(|l| l.matches)
    }

    /// All row errors in row order (the error report).
    pub fn all_errors(&self) -> Vec<RowError> {
        jiuzhu_kernel::tabular::in_row_order(
            self.file_errors
                .iter()
                .chain(self.households.iter().flat_map(|h| h.errors.iter())),
        )
    }

    /// Households that will be written.
    pub fn to_write(&self) -> usize {
        self.households
            .iter()
            .filter(|h| h.errors.is_empty() && h.plan != Plan::Unchanged)
            .count()
    }
}

/// What an import wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct RollsOutcome {
    /// Households registered.
    pub registered: usize,
    /// Enrolments written.
    pub enrolled: usize,
    /// Households already on the roll, left as they are.
    pub unchanged: usize,
    /// Households skipped for their errors.
    pub skipped: usize,
}

/// A payee account as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Account {
    pub bank: String,
    pub account: String,
    pub holder: String,
}

/// A household checked and ready to write.
#[derive(Debug, Clone)]
pub(crate) struct Ready {
    pub spec: &'static ProgrammeSpec,
    pub region: String,
    pub decided_on: NaiveDate,
    pub start_month: Month,
    pub monthly_fen: i64,
    pub people: i32,
    pub review_due: Option<NaiveDate>,
    pub record: Option<serde_json::Value>,
    pub account: Option<Account>,
    /// The household's rows when it is registered by the import.
    pub new_household: Option<HouseholdBatch>,
    /// The registered household otherwise.
    pub household_id: String,
}
