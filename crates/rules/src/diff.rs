//! Comparing two assessments of the same household: a stored decision re-run under today's
//! rules or a reform (S6), listing what changed per programme.

use crate::output::{Assessment, Programme};
use serde::{Deserialize, Serialize};

/// One difference between an old and a new assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Change {
    /// Programme, or none for the household facts.
    pub programme: Option<Programme>,
    /// What changed: `outcome`, `monthly_fen`, `one_off_fen`, `members`, `per_capita_income_fen`, `standard_fen`.
    pub field: String,
    /// Old value.
    pub old: String,
    /// New value.
    pub new: String,
}

/// Every difference, in the order of the old assessment's programmes, then programmes only the
/// new one has.
pub fn diff(old: &Assessment, new: &Assessment) -> Vec<Change> {
    let mut out = Vec::new();
    let mut fact = |field: &str, a: i64, b: i64| {
        if a != b {
            out.push(Change {
                programme: None,
                field: field.to_owned(),
                old: a.to_string(),
                new: b.to_string(),
            });
        }
    };
    fact("standard_fen", old.standard_fen, new.standard_fen);
    fact(
        "per_capita_income_fen",
        old.per_capita_income_fen,
        new.per_capita_income_fen,
    );
    fact("counted_members", old.counted_members, new.counted_members);
    for o in &old.results {
        let Some(n) = new.result(o.programme) else {
            out.push(Change {
                programme: Some(o.programme),
                field: "outcome".into(),
                old: o.outcome.zh().into(),
                new: "（无）".into(),
            });
            continue;
        };
        let mut field = |f: &str, a: String, b: String| {
            if a != b {
                out.push(Change {
                    programme: Some(o.programme),
                    field: f.to_owned(),
                    old: a,
                    new: b,
                });
            }
        };
        field("outcome", o.outcome.zh().into(), n.outcome.zh().into());
        field(
            "monthly_fen",
            o.monthly_fen.to_string(),
            n.monthly_fen.to_string(),
        );
        field(
            "one_off_fen",
            format!("{:?}", o.one_off_fen),
            format!("{:?}", n.one_off_fen),
        );
        let members = |r: &crate::output::ProgrammeResult| {
            r.members
                .iter()
                .map(|m| format!("{}:{}", m.member, m.monthly_fen))
                .collect::<Vec<_>>()
                .join(",")
        };
        field("members", members(o), members(n));
    }
    for n in &new.results {
        if old.result(n.programme).is_none() {
            out.push(Change {
                programme: Some(n.programme),
                field: "outcome".into(),
                old: "（无）".into(),
                new: n.outcome.zh().into(),
            });
        }
    }
    out
}
