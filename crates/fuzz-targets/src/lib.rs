//! Issue 15 item 9: the fuzz targets. Each function takes arbitrary bytes, feeds them to one
//! parser of outside input — ID numbers, region codes, money, roster and agency files, policy
//! files, the eval JSON — and asserts what must hold for any input: no panic, and where a value
//! is accepted, that it reads back the same. `fuzz/fuzz_targets/*.rs` hands them to libFuzzer
//! (`cargo fuzz run <target>`, docs/security.md); `tests/smoke.rs` runs each over its seeds and
//! a few thousand random inputs in the ordinary test suite.

use std::sync::OnceLock;

use jiuzhu_domain::{Money, RegionCode, ResidentId};

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// 身份证号: an accepted number is stored in a form that is accepted again as the same.
pub fn resident_id(data: &[u8]) {
    if let Ok(id) = ResidentId::parse(&text(data)) {
        let again = ResidentId::parse(id.as_str()).expect("a stored ID number parses again");
        assert_eq!(again, id);
        assert_eq!(id.as_str().len(), 18);
    }
}

/// 区划代码: an accepted code reads back the same, and its county lies inside it.
pub fn region_code(data: &[u8]) {
    if let Ok(code) = RegionCode::parse(&text(data)) {
        let again = RegionCode::parse(code.as_str()).expect("a code parses again");
        assert_eq!(again, code);
        assert!(code.as_str().chars().all(|c| c.is_ascii_digit()));
    }
}

/// 金额: an accepted amount prints and parses back to the same fen.
pub fn money(data: &[u8]) {
    let s = text(data);
    if let Ok(m) = Money::parse_yuan(&s) {
        let back = Money::parse_yuan(&m.yuan_string()).expect("a printed amount parses");
        assert_eq!(back, m, "{s:?} → {}", m.yuan_string());
    }
    if let Ok(m) = Money::parse_non_negative_yuan(&s) {
        assert!(m.fen() >= 0);
    }
}

/// 花名册: any bytes as a CSV or an XLSX are read within the limits or refused, never a panic.
pub fn roster_table(data: &[u8]) {
    use jiuzhu_app::tabular::TableLimits;
    use jiuzhu_app::tabular::read_table;
    let limits = TableLimits {
        max_rows: 2_000,
        max_columns: 64,
    };
    let (name, body) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => ("roster.xlsx", rest),
        Some((_, rest)) => ("roster.csv", rest),
        None => ("roster.csv", data),
    };
    if let Ok(t) = read_table(name, body, limits) {
        assert!(t.len() <= limits.max_rows);
        assert!(t.iter().all(|r| r.len() <= limits.max_columns));
    }
}

/// 部门核对数据: any bytes as an agency file (CSV, XLSX or JSON Lines) are read and every row
/// checked, or the file refused.
pub fn agency_file(data: &[u8]) {
    let (name, body) = match data.split_first() {
        Some((b, rest)) if b % 3 == 0 => ("agency.jsonl", rest),
        Some((b, rest)) if b % 3 == 1 => ("agency.xlsx", rest),
        Some((_, rest)) => ("agency.csv", rest),
        None => ("agency.csv", data),
    };
    if let Ok((rows, refused)) =
        jiuzhu_app::verification::import::check_file(jiuzhu_domain::agency::Source::Tax, name, body)
    {
        assert!(refused <= rows);
    }
}

/// 政策文件: any text is loaded as a policy or refused with an error, never a panic.
pub fn policy(data: &[u8]) {
    let _ = jiuzhu_rules::PolicySet::parse("fuzz.toml", &text(data), &|_| true);
}

fn engine() -> &'static jiuzhu_rules::Engine {
    static ENGINE: OnceLock<jiuzhu_rules::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        jiuzhu_rules::Engine::new(
            jiuzhu_app::registry::assessment::load_policy(None).expect("bundled"),
        )
    })
}

/// `jiuzhu eval` input: any JSON is refused or assessed, and an assessment serialises.
pub fn eval_json(data: &[u8]) {
    let Ok(h) = serde_json::from_slice::<jiuzhu_rules::Household>(data) else {
        return;
    };
    let on = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    if let Ok(a) = engine().assess(&h, on, true) {
        let json = serde_json::to_value(&a).expect("an assessment serialises");
        assert!(json.is_object());
    }
}

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// Every target by name (the smoke test and the cargo-fuzz wrappers use the same list).
pub const TARGETS: &[(&str, Target)] = &[
    ("resident_id", resident_id),
    ("region_code", region_code),
    ("money", money),
    ("roster_table", roster_table),
    ("agency_file", agency_file),
    ("policy", policy),
    ("eval_json", eval_json),
];
