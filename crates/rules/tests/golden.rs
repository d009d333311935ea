//! S2, S3: Golden cases: readable YAML in `tests/golden/*.yaml`, each a household, a date, the
//! expected outcome and amounts per programme, and the explanation steps that must appear.
//! Every case runs against the shipped policy (`policy/anyang/`); all failures are reported at once.

mod common;

use jiuzhu_domain::Money;
use jiuzhu_rules::output::{Approval, CareTier, Mode};
use jiuzhu_rules::{Assessment, Household, Outcome, Programme};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    date: chrono::NaiveDate,
    household: Household,
    #[serde(default)]
    per_capita: Option<String>,
    #[serde(default)]
    standard: Option<String>,
    #[serde(default)]
    expect: BTreeMap<Programme, Expect>,
    #[serde(default)]
    steps: Vec<String>,
    /// The programmes listed as not assessed for want of data, exactly (when given).
    #[serde(default)]
    not_assessed: Option<Vec<Programme>>,
    /// For invalid input: the field the error must name.
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    outcome: Outcome,
    #[serde(default)]
    monthly: Option<String>,
    #[serde(default)]
    one_off: Option<String>,
    #[serde(default)]
    mode: Option<Mode>,
    #[serde(default)]
    review_months: Option<u32>,
    #[serde(default)]
    gradual_exit_months_left: Option<u32>,
    #[serde(default)]
    approval: Option<Approval>,
    #[serde(default)]
    advance_possible: Option<bool>,
    #[serde(default)]
    members: Option<BTreeMap<String, String>>,
    #[serde(default)]
    care_tiers: Option<BTreeMap<String, CareTier>>,
    /// The exclusive programme proposed instead (`overlap.exclusive`).
    #[serde(default)]
    superseded_by: Option<Programme>,
    /// Text every listed phrase of which the reasons (in Chinese) must contain.
    #[serde(default)]
    reason: Vec<String>,
}

fn fen(yuan: &str) -> i64 {
    Money::parse_yuan(yuan)
        .unwrap_or_else(|e| panic!("bad amount {yuan} in a case: {e}"))
        .fen()
}

fn check(case: &Case, a: &Assessment, problems: &mut Vec<String>) {
    let mut fail = |what: String| problems.push(format!("「{}」: {what}", case.name));
    if let Some(pc) = &case.per_capita
        && a.per_capita_income_fen != fen(pc)
    {
        fail(format!(
            "per-capita income {} ≠ {pc}",
            Money::from_fen(a.per_capita_income_fen).yuan_string()
        ));
    }
    if let Some(s) = &case.standard
        && a.standard_fen != fen(s)
    {
        fail(format!(
            "standard {} ≠ {s}",
            Money::from_fen(a.standard_fen).yuan_string()
        ));
    }
    if let Some(want) = &case.not_assessed {
        let got: Vec<Programme> = a.not_assessed.iter().map(|n| n.programme).collect();
        if &got != want {
            fail(format!("not assessed {got:?} ≠ {want:?}"));
        }
        for p in want {
            if a.result(*p).is_some() {
                fail(format!("{p:?} is both answered and not assessed"));
            }
        }
    }
    for (programme, e) in &case.expect {
        let Some(r) = a.result(*programme) else {
            fail(format!("{programme:?}: no result"));
            continue;
        };
        let reasons = r
            .reasons
            .iter()
            .map(|x| x.zh.as_str())
            .collect::<Vec<_>>()
            .join("；");
        if e.superseded_by.is_some() && r.superseded_by != e.superseded_by {
            fail(format!(
                "{programme:?}: superseded by {:?} ≠ {:?} ({reasons})",
                r.superseded_by, e.superseded_by
            ));
        }
        for phrase in &e.reason {
            if !reasons.contains(phrase.as_str()) {
                fail(format!(
                    "{programme:?}: reasons lack 「{phrase}」 ({reasons})"
                ));
            }
        }
        if r.outcome != e.outcome {
            fail(format!(
                "{programme:?}: outcome {:?} ≠ {:?} ({reasons})",
                r.outcome, e.outcome
            ));
        }
        if let Some(m) = &e.monthly
            && r.monthly_fen != fen(m)
        {
            fail(format!(
                "{programme:?}: monthly {} ≠ {m} ({reasons})",
                Money::from_fen(r.monthly_fen).yuan_string()
            ));
        }
        if let Some(m) = &e.one_off
            && r.one_off_fen != Some(fen(m))
        {
            fail(format!("{programme:?}: one-off {:?} ≠ {m}", r.one_off_fen));
        }
        if e.mode.is_some() && r.mode != e.mode {
            fail(format!("{programme:?}: mode {:?} ≠ {:?}", r.mode, e.mode));
        }
        if e.review_months.is_some() && r.review_months != e.review_months {
            fail(format!(
                "{programme:?}: review {:?} ≠ {:?}",
                r.review_months, e.review_months
            ));
        }
        if e.gradual_exit_months_left.is_some()
            && r.gradual_exit_months_left != e.gradual_exit_months_left
        {
            fail(format!(
                "{programme:?}: months left {:?} ≠ {:?}",
                r.gradual_exit_months_left, e.gradual_exit_months_left
            ));
        }
        if e.approval.is_some() && r.approval != e.approval {
            fail(format!(
                "{programme:?}: approval {:?} ≠ {:?}",
                r.approval, e.approval
            ));
        }
        if e.advance_possible.is_some() && r.advance_possible != e.advance_possible {
            fail(format!(
                "{programme:?}: advance {:?} ≠ {:?}",
                r.advance_possible, e.advance_possible
            ));
        }
        if let Some(members) = &e.members {
            let got: BTreeMap<String, i64> = r
                .members
                .iter()
                .map(|m| (m.member.clone(), m.monthly_fen))
                .collect();
            let want: BTreeMap<String, i64> =
                members.iter().map(|(k, v)| (k.clone(), fen(v))).collect();
            if got != want {
                fail(format!("{programme:?}: members {got:?} ≠ {want:?}"));
            }
        }
        if let Some(tiers) = &e.care_tiers {
            let got: BTreeMap<String, CareTier> = r
                .members
                .iter()
                .filter_map(|m| m.care_tier.map(|t| (m.member.clone(), t)))
                .collect();
            if &got != tiers {
                fail(format!("{programme:?}: care tiers {got:?} ≠ {tiers:?}"));
            }
        }
    }
    let all_steps: Vec<&str> = a
        .explanation
        .iter()
        .chain(a.results.iter().filter_map(|r| r.explanation.as_ref()))
        .flat_map(|e| e.steps.iter().map(|s| s.rule.as_str()))
        .collect();
    for s in &case.steps {
        if !all_steps.contains(&s.as_str()) {
            fail(format!("explanation lacks step {s} (has {all_steps:?})"));
        }
    }
}

/// Every case of every golden file, with its file name.
fn cases() -> Vec<(String, Case)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let text = std::fs::read_to_string(&path).unwrap();
        let file: File =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.extend(file.cases.into_iter().map(|c| (name.clone(), c)));
    }
    out
}

#[test]
fn every_golden_case_passes() {
    let engine = common::engine();
    let cases = cases();
    assert!(cases.len() >= 80, "only {} golden cases", cases.len());
    let mut problems = Vec::new();
    for (file, case) in &cases {
        let result = engine.assess(&case.household, case.date, true);
        match (&case.error, result) {
            (Some(field), Err(e)) => {
                if !e.to_string().starts_with(field.as_str()) {
                    problems.push(format!(
                        "{file} 「{}」: error {e} does not name {field}",
                        case.name
                    ));
                }
            }
            (Some(field), Ok(_)) => problems.push(format!(
                "{file} 「{}」: expected an error naming {field}",
                case.name
            )),
            (None, Err(e)) => problems.push(format!("{file} 「{}」: {e}", case.name)),
            (None, Ok(a)) => {
                let before = problems.len();
                check(case, &a, &mut problems);
                for p in &mut problems[before..] {
                    p.insert_str(0, &format!("{file} "));
                }
                // The fast path agrees with the explained path on 低保.
                if let Some(r) = a.result(Programme::Dibao) {
                    let fast = engine.dibao(&case.household, case.date).unwrap();
                    if fast.outcome != r.outcome || fast.monthly.fen() != r.monthly_fen {
                        problems.push(format!("{file} 「{}」: batch path differs", case.name));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} golden problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn golden_names_are_unique() {
    let cases = cases();
    let mut names: Vec<_> = cases.iter().map(|(_, c)| c.name.as_str()).collect();
    names.sort();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "two golden cases share a name");
}
