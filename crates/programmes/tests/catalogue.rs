//! S1–S22, G1–G3 (issue 16 item 6): the catalogue index `docs/catalogue.md` has one row per
//! policy item; every path it names exists; and every item that is built, even partly, is cited
//! by a test — in a test file's first line, a test module's, or a golden case file's header —
//! so a policy item can be found from its ID.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The items of the Anyang opinions as REQUIREMENTS.md numbers them.
fn ids() -> Vec<String> {
    (1..=22)
        .map(|n| format!("S{n}"))
        .chain((1..=3).map(|n| format!("G{n}")))
        .collect()
}

/// Whether `text` cites `id` as a whole word (S1 is not S10, but "S1–S3" cites S1).
fn cites(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + id.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// The first lines that say what a test serves: each test file's first line, each in-source
/// test module's first `//!` line, each golden file's first two lines.
fn test_headers() -> Vec<(PathBuf, String)> {
    let mut out = vec![];
    let crates = root().join("crates");
    for krate in std::fs::read_dir(&crates).unwrap().flatten() {
        let tests = krate.path().join("tests");
        for f in std::fs::read_dir(&tests).into_iter().flatten().flatten() {
            let p = f.path();
            if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p, text.lines().next().unwrap_or("").to_owned()));
            }
        }
        walk_src(&krate.path().join("src"), &mut out);
    }
    let golden = crates.join("rules/tests/golden");
    for f in std::fs::read_dir(golden).unwrap().flatten() {
        let text = std::fs::read_to_string(f.path()).unwrap();
        out.push((f.path(), text.lines().take(2).collect::<Vec<_>>().join(" ")));
    }
    out
}

fn walk_src(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for f in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = f.path();
        if p.is_dir() {
            walk_src(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            if let Some(i) = text.find("mod tests {") {
                let header = text[i..]
                    .lines()
                    .nth(1)
                    .filter(|l| l.trim_start().starts_with("//!"))
                    .unwrap_or("");
                out.push((p.clone(), header.to_owned()));
            }
        }
    }
}

#[test]
fn every_policy_item_has_a_row_and_every_built_item_a_test_that_cites_it() {
    let index = std::fs::read_to_string(root().join("docs/catalogue.md")).unwrap();
    let headers = test_headers();
    let mut problems = vec![];
    for id in ids() {
        let rows: Vec<&str> = index
            .lines()
            .filter(|l| l.starts_with(&format!("| {id} |")))
            .collect();
        let [row] = rows[..] else {
            problems.push(format!("{id}: {} rows in docs/catalogue.md", rows.len()));
            continue;
        };
        let status = row.split('|').nth(3).unwrap_or("").trim();
        // Every path the row names exists.
        for path in row.split('`').skip(1).step_by(2) {
            let path = path.split_whitespace().next().unwrap_or("");
            if path.contains('/') && !root().join(path).exists() {
                problems.push(format!("{id}: {path} does not exist"));
            }
        }
        if status.starts_with("planned") {
            continue;
        }
        let cited: Vec<&PathBuf> = headers
            .iter()
            .filter(|(_, h)| cites(h, &id))
            .map(|(p, _)| p)
            .collect();
        if cited.is_empty() {
            problems.push(format!("{id} is {status} but no test cites it"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn citing_reads_whole_ids() {
    assert!(cites("//! S1: the catalogue", "S1"));
    assert!(cites("S2, S3: golden", "S3"));
    assert!(!cites("//! S10: housing", "S1"));
    assert!(!cites("GS4", "S4"));
}
