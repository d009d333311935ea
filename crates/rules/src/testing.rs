//! Test support (feature `testing`): the golden cases of `tests/golden/*.yaml` as raw JSON, for
//! the CLI and API tests that check `jiuzhu eval` and `POST /api/v1/eval` against the engine.

/// One golden case, untyped.
#[derive(Debug, Clone)]
pub struct GoldenCase {
    /// Its name (unique).
    pub name: String,
    /// Assessment date, YYYY-MM-DD.
    pub date: String,
    /// The household JSON.
    pub household: serde_json::Value,
    /// For invalid input: the field the error must name.
    pub error: Option<String>,
}

/// Every golden case, files in name order.
pub fn golden_cases() -> Vec<GoldenCase> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let v: serde_json::Value =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for c in v["cases"].as_array().into_iter().flatten() {
            out.push(GoldenCase {
                name: c["name"].as_str().unwrap_or_default().to_owned(),
                date: c["date"].as_str().unwrap_or_default().to_owned(),
                household: c["household"].clone(),
                error: c["error"].as_str().map(str::to_owned),
            });
        }
    }
    out
}
