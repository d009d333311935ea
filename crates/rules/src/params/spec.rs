//! What a parameter is (its key and kind), where a value came from (file, line, citation),
//! and why a policy file was refused.

use chrono::NaiveDate;
use serde::Serialize;

/// One parameter of the catalogue: its key in the TOML files and how it is read.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Dotted key, e.g. `dibao.standard`.
    pub key: &'static str,
    /// What it is, in Chinese.
    pub zh: &'static str,
    /// What it is, in English.
    pub en: &'static str,
    /// The kind of value (for error messages).
    pub kind: &'static str,
    /// Whether urban and rural values differ (`urban = …`, `rural = …`).
    pub by_area: bool,
    /// Checks a value and shows it as people read it.
    pub show: fn(&toml::Value) -> Result<String, String>,
}

/// Where a resolved value came from: shown in every explanation that uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Origin {
    /// Parameter key.
    pub key: String,
    /// The value as shown to people.
    pub value: String,
    /// The region whose entry applied (short code).
    pub region: String,
    /// Effective from.
    pub from: NaiveDate,
    /// Effective until (inclusive), if the entry ends.
    pub until: Option<NaiveDate>,
    /// Citation: document and article.
    pub source: String,
    /// 示例值: not a confirmed local figure (POLICY-FACTS [U]).
    pub illustrative: bool,
}

/// A policy file that cannot be used: names the file, key, entry and clause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {}{problem}", location(.key, .entry, .clause))]
pub struct PolicyError {
    /// File name.
    pub file: String,
    /// Parameter key, when the problem is in one.
    pub key: Option<String>,
    /// 1-based entry number within the key.
    pub entry: Option<usize>,
    /// The entry's citation, when it has one.
    pub clause: Option<String>,
    /// What is wrong, in Chinese.
    pub problem: String,
}

fn location(key: &Option<String>, entry: &Option<usize>, clause: &Option<String>) -> String {
    let mut s = String::new();
    if let Some(k) = key {
        s.push_str("参数 ");
        s.push_str(k);
        if let Some(n) = entry {
            s.push_str(&format!(" 第 {n} 条"));
        }
        if let Some(c) = clause {
            s.push_str(&format!("（{c}）"));
        }
        s.push('：');
    }
    s
}

impl PolicyError {
    pub(crate) fn file(file: &str, problem: impl Into<String>) -> Self {
        PolicyError {
            file: file.to_owned(),
            key: None,
            entry: None,
            clause: None,
            problem: problem.into(),
        }
    }
    pub(crate) fn key(file: &str, key: &str, problem: impl Into<String>) -> Self {
        PolicyError {
            key: Some(key.to_owned()),
            ..Self::file(file, problem)
        }
    }
}
