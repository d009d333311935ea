//! Shared by the rules' integration tests: the shipped Anyang policy with the bundled regions.

#![allow(dead_code)]

use jiuzhu_domain::RegionCode;
use jiuzhu_rules::{Engine, PolicySet};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Every region code of the bundled divisions.
pub fn known_regions() -> &'static HashSet<String> {
    static R: OnceLock<HashSet<String>> = OnceLock::new();
    R.get_or_init(|| {
        include_str!("../../../../data/regions/anyang-regions.csv")
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next())
            .filter_map(|c| RegionCode::parse(c).ok())
            .map(|c| c.as_str().to_owned())
            .collect()
    })
}

/// Whether a region exists.
pub fn known(r: &RegionCode) -> bool {
    known_regions().contains(r.as_str())
}

/// Parses a policy text as `name`.
pub fn parse(name: &str, text: &str) -> Result<PolicySet, jiuzhu_rules::PolicyError> {
    PolicySet::parse(name, text, &known)
}

/// The shipped policy's files (`policy/anyang/*.toml`), named as the application names them,
/// the header (`policy.toml`) first.
pub fn anyang_files() -> Vec<(String, String)> {
    let dir = format!("{}/../../policy/anyang", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_owned();
            (
                format!("policy/anyang/{name}"),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort_by_key(|(n, _)| (!n.ends_with("/policy.toml"), n.clone()));
    files
}

/// The shipped policy as one text: its files one after the other, the header first.
pub fn anyang_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        anyang_files()
            .into_iter()
            .map(|(_, text)| text)
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// An engine on the shipped policy.
pub fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        Engine::new(parse("policy/anyang", anyang_text()).expect("the shipped policy loads"))
    })
}
