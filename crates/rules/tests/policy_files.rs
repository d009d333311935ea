//! S6: Loading policy files: the shipped file loads, and every kind of mistake is refused with
//! an error naming the file, key, entry and clause.

mod common;

use common::{anyang_files, anyang_text, parse};
use jiuzhu_domain::RegionCode;
use jiuzhu_domain::person::HukouType;
use jiuzhu_rules::params::CATALOGUE;

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

#[test]
fn the_shipped_anyang_policy_loads_and_labels_its_illustrative_values() {
    let set = parse("policy/anyang", anyang_text()).unwrap();
    assert_eq!(set.jurisdiction.short(), "4105");
    assert!(set.has_illustrative());
    let city = RegionCode::parse("4105").unwrap();
    let p = set
        .resolve(&city, HukouType::Urban, date("2025-07-01"))
        .unwrap();
    assert_eq!(p.dibao_standard.fen(), 73_000);
    let o = p.origin(jiuzhu_rules::params::P::dibao_standard);
    assert!(o.illustrative);
    assert_eq!(o.from, date("2025-07-01"));
    // Every catalogue parameter resolves for every county on a recent date, both areas.
    for county in [
        "410502", "410503", "410505", "410506", "410522", "410523", "410526", "410527", "410581",
    ] {
        let r = RegionCode::parse(county).unwrap();
        for area in [HukouType::Urban, HukouType::Rural] {
            let p = set.resolve(&r, area, date("2026-11-29")).unwrap();
            assert_eq!(p.origins().len(), CATALOGUE.len());
        }
    }
}

#[test]
fn a_finer_region_overrides_the_city_from_its_date() {
    let set = parse("policy/anyang", anyang_text()).unwrap();
    let hua_village =
        RegionCode::parse("410526100").unwrap_or_else(|_| RegionCode::parse("410526").unwrap());
    let before = set
        .resolve(&hua_village, HukouType::Rural, date("2025-06-30"))
        .unwrap();
    let after = set
        .resolve(&hua_village, HukouType::Rural, date("2025-07-01"))
        .unwrap();
    assert_eq!(before.dibao_standard.fen(), 51_000);
    assert_eq!(after.dibao_standard.fen(), 53_000);
    assert_eq!(
        after.origin(jiuzhu_rules::params::P::dibao_standard).region,
        "410526"
    );
    let anyang_county = RegionCode::parse("410522").unwrap();
    let p = set
        .resolve(&anyang_county, HukouType::Rural, date("2025-07-01"))
        .unwrap();
    assert_eq!(p.dibao_standard.fen(), 54_000);
}

#[test]
fn a_date_before_the_file_or_a_region_outside_it_is_refused() {
    let set = parse("policy/anyang", anyang_text()).unwrap();
    let city = RegionCode::parse("4105").unwrap();
    let e = set
        .resolve(&city, HukouType::Urban, date("2021-09-12"))
        .unwrap_err();
    assert!(e.to_string().contains("早于本文件的起始日期"), "{e}");
    let zhengzhou = RegionCode::parse("4101").unwrap();
    assert!(
        set.resolve(&zhengzhou, HukouType::Urban, date("2025-01-01"))
            .is_err()
    );
}

/// The shipped file with `find` replaced by `with` (must occur).
fn broken(find: &str, with: &str) -> String {
    let text = anyang_text();
    assert!(text.contains(find), "fixture text not found: {find}");
    text.replacen(find, with, 1)
}

fn error_of(text: &str) -> String {
    parse("policy/test.toml", text).unwrap_err().to_string()
}

#[test]
fn overlapping_dates_name_the_key_entry_and_clause() {
    let e = error_of(&broken("until = \"2023-12-31\"", "until = \"2024-01-01\""));
    assert!(
        e.starts_with("policy/test.toml: 参数 dibao.standard 第 3 条"),
        "{e}"
    );
    assert!(e.contains("日期重叠"), "{e}");
    assert!(e.contains("安办〔2021〕11号 §4"), "{e}");
}

#[test]
fn a_gap_between_dates_is_refused() {
    let e = error_of(&broken("until = \"2023-12-31\"", "until = \"2023-12-30\""));
    assert!(e.contains("参数 dibao.standard"), "{e}");
    assert!(e.contains("日期空档（2023-12-31 至 2023-12-31"), "{e}");
}

#[test]
fn an_entry_without_an_end_followed_by_another_overlaps() {
    let e = error_of(&broken(
        "from = \"2021-09-13\"\nuntil = \"2022-12-31\"",
        "from = \"2021-09-13\"",
    ));
    assert!(e.contains("没有截止日期"), "{e}");
}

#[test]
fn an_unknown_region_is_refused() {
    let e = error_of(&broken("region = \"410526\"", "region = \"410504\""));
    assert!(e.contains("参数 dibao.standard 第 6 条"), "{e}");
    assert!(e.contains("未知行政区划 410504"), "{e}");
}

#[test]
fn a_region_outside_the_jurisdiction_is_refused() {
    let e = error_of(&broken("region = \"410526\"", "region = \"410101\""));
    assert!(
        e.contains("未知行政区划") || e.contains("不在本文件辖区"),
        "{e}"
    );
}

#[test]
fn an_unknown_key_is_refused() {
    let e = error_of(&format!(
        "{}\n[[dibao.standrad]]\nregion = \"4105\"\nfrom = \"2021-09-13\"\nvalue = \"1\"\ncite = \"x\"\n",
        anyang_text()
    ));
    assert!(e.contains("参数 dibao.standrad：未知参数"), "{e}");
}

#[test]
fn a_missing_parameter_is_refused() {
    let text = anyang_text();
    let start = text.find("[[tekun.basic_multiple]]").unwrap();
    let end = start + text[start..].find("\n\n").unwrap();
    let e = error_of(&format!("{}{}", &text[..start], &text[end..]));
    assert!(e.contains("参数 tekun.basic_multiple：缺少取值"), "{e}");
}

#[test]
fn a_value_missing_from_the_start_date_is_refused() {
    let e = error_of(&broken(
        "[[tekun.elderly_age]]\nregion = \"4105\"\nfrom = \"2021-09-13\"",
        "[[tekun.elderly_age]]\nregion = \"4105\"\nfrom = \"2022-01-01\"",
    ));
    assert!(e.contains("参数 tekun.elderly_age 第 1 条"), "{e}");
    assert!(e.contains("2021-09-13 至 2021-12-31 没有条目"), "{e}");
}

#[test]
fn a_value_of_the_wrong_kind_is_refused() {
    let e = error_of(&broken("value = \"1.3\"", "value = 1.3"));
    assert!(e.contains("参数 tekun.basic_multiple 第 1 条"), "{e}");
    assert!(e.contains("比例"), "{e}");
    let e = error_of(&broken("urban = \"610.00\"", "urban = 610.5"));
    assert!(e.contains("不用浮点数"), "{e}");
}

#[test]
fn urban_and_rural_values_must_come_in_pairs() {
    let e = error_of(&broken(
        "urban = \"610.00\"\nrural = \"420.00\"\n",
        "urban = \"610.00\"\n",
    ));
    assert!(e.contains("需要 value，或 urban 与 rural 两者"), "{e}");
    let e = error_of(&broken("value = 60\n", "urban = 60\nrural = 60\n"));
    assert!(e.contains("此参数城乡相同"), "{e}");
}

#[test]
fn an_entry_without_a_citation_is_refused() {
    let e = error_of(&broken("cite = \"民发〔2021〕43号 第5条\"", "cite = \"\""));
    assert!(
        e.contains("参数 tekun.elderly_age 第 1 条：缺少出处"),
        "{e}"
    );
}

#[test]
fn unknown_fields_and_bad_dates_are_refused() {
    let e = error_of(&broken("\nillustrative = true", "\nillustrativ = true"));
    assert!(e.contains("未知字段 illustrativ"), "{e}");
    let e = error_of(&broken("from = \"2023-01-01\"", "from = \"2023-13-01\""));
    assert!(e.contains("from 应为日期"), "{e}");
}

#[test]
fn a_malformed_file_names_the_toml_error() {
    let e = error_of("[policy\n");
    assert!(e.starts_with("policy/test.toml: TOML 格式错误"), "{e}");
    let e = error_of("[policy]\njurisdiction = \"4105\"\n");
    assert!(
        e.contains("[policy] 缺少 name") || e.contains("valid_from"),
        "{e}"
    );
}

#[test]
fn a_bad_tier_table_is_refused() {
    let e = error_of(&broken(
        "{ below = \"1\", pay = \"30%\" }",
        "{ below = \"0.9\", pay = \"30%\" }",
    ));
    assert!(e.contains("最后一档的 below 应为"), "{e}");
}

#[test]
fn the_policy_is_one_file_per_programme_and_a_parameter_lives_in_one_of_them() {
    let known = |_: &RegionCode| true;
    let files = anyang_files();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for programme in ["dibao", "tekun", "temporary", "procedure", "policy"] {
        assert!(
            names.contains(&format!("policy/anyang/{programme}.toml").as_str()),
            "{names:?}"
        );
    }
    // The folder loads to the same parameters as its files read as one.
    let split = jiuzhu_rules::PolicySet::parse_files("policy/anyang", &files, &known).unwrap();
    let whole = parse("policy/anyang", anyang_text()).unwrap();
    let city = RegionCode::parse("4105").unwrap();
    for day in ["2021-09-13", "2025-07-01", "2026-11-01"] {
        for area in [HukouType::Urban, HukouType::Rural] {
            assert_eq!(
                format!("{:?}", split.resolve(&city, area, date(day)).unwrap()),
                format!("{:?}", whole.resolve(&city, area, date(day)).unwrap()),
            );
        }
    }
    // A parameter written in a second file is refused, naming both files.
    let mut twice = files.clone();
    let dibao = twice
        .iter()
        .find(|(n, _)| n.ends_with("dibao.toml"))
        .unwrap()
        .1
        .clone();
    let standard = &dibao[dibao.find("[[dibao.standard]]").unwrap()..];
    let standard = &standard[..standard.find("\n\n").unwrap()];
    twice
        .iter_mut()
        .find(|(n, _)| n.ends_with("tekun.toml"))
        .unwrap()
        .1
        .push_str(&format!("\n{standard}\n"));
    let e = jiuzhu_rules::PolicySet::parse_files("policy/anyang", &twice, &known)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("policy/anyang/tekun.toml")
            && e.contains("dibao.standard")
            && e.contains("已在 policy/anyang/dibao.toml 中给出"),
        "{e}"
    );
    // The header in two files is refused too.
    let mut two_heads = files.clone();
    let head = files
        .iter()
        .find(|(n, _)| n.ends_with("policy.toml"))
        .unwrap()
        .1
        .clone();
    two_heads.push(("policy/anyang/zz.toml".into(), head));
    let e = jiuzhu_rules::PolicySet::parse_files("policy/anyang", &two_heads, &known)
        .unwrap_err()
        .to_string();
    assert!(e.contains("[policy] 表只能出现在一个文件中"), "{e}");
}
