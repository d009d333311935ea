//! jiuzhu rules: policy parameters as dated, cited data (`policy/*.toml`) and the programme
//! rules that read them — 低保 with 渐退期 and 单人户, 特困, 低保边缘 and 刚性支出困难, the two
//! disability subsidies, 临时救助 amounts and approval levels, 价格临时补贴, and the needs
//! assessment across all of them (S2) — each result exact to the fen and explained step by
//! step with its policy citation. Pure: no I/O, no storage.
//!
//! Start at [`Engine`]: load a [`PolicySet`], then [`Engine::assess`] a [`Household`].

pub mod diff;
pub mod engine;
pub mod explain;
pub mod facts;
pub mod input;
mod labels;
pub mod output;
pub mod params;
pub mod programme;
pub mod programmes;
pub mod ratio;
pub mod support;
#[cfg(feature = "testing")]
pub mod testing;

pub use engine::{Batch, Checked, Engine, EvalError};
pub use explain::{Explanation, Step};
pub use input::Household;
pub use output::{Assessment, Outcome, Programme, ProgrammeResult};
pub use params::{PolicyError, PolicySet};
pub use ratio::Ratio;

/// JSON Schema of one household, the input of `jiuzhu eval` (`docs/schema/eval-input.schema.json`).
pub fn input_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Household)).unwrap_or_default()
}

/// JSON Schema of the API request body (`docs/schema/eval-request.schema.json`).
pub fn request_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(EvalRequest)).unwrap_or_default()
}

/// JSON Schema of the output (`docs/schema/eval-output.schema.json`).
pub fn output_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Assessment)).unwrap_or_default()
}

/// The body of `POST /api/v1/eval`: a household, and optionally the date (default today) and
/// whether to explain (default true).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
pub struct EvalRequest {
    /// Assessment date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<chrono::NaiveDate>,
    /// Include explanations (default true for one household, false in batches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<bool>,
    /// The household.
    pub household: Household,
}
