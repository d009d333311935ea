//! S21: the statutory limits come from the policy file — 57号 Art. 22 (低保 30 working days, up
//! to 45), 民发〔2022〕83号 §4 (20 when the township decides, as Anyang §21 has it), 43号 Art. 12
//! and 15 (特困 15 + 15), 临时救助 30 up to 45, 3 days to start the investigation and to serve a
//! refusal, a 7-day notice — and a city that does not delegate gets the county's limit.

use chrono::NaiveDate;
use jiuzhu_domain::RegionCode;
use jiuzhu_domain::person::HukouType;
use jiuzhu_programmes::limits;
use jiuzhu_rules::{Engine, PolicySet};

/// The shipped policy as one text (the application's own copy of its files).
fn anyang() -> String {
    jiuzhu_app::registry::assessment::bundled_policy_text()
}

fn params(text: &str) -> std::sync::Arc<jiuzhu_rules::params::Params> {
    let engine = Engine::new(PolicySet::parse("anyang.toml", text, &|_| true).unwrap());
    engine
        .params(
            &RegionCode::parse("410502001001").unwrap(),
            HukouType::Rural,
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        )
        .unwrap()
}

#[test]
fn the_limits_follow_the_texts_through_the_policy_file() {
    let p = params(&anyang());
    let dibao = limits(jiuzhu_programmes::DIBAO, &p);
    assert_eq!(
        (dibao.total, dibao.extended),
        (20, 45),
        "delegated in Anyang"
    );
    assert_eq!(dibao.notice_days, 7);
    assert_eq!(dibao.start_investigation, 3);
    assert_eq!(dibao.refusal_notice, 3);
    assert_eq!(limits(jiuzhu_programmes::TEKUN, &p).total, 30);
    let t = limits(jiuzhu_programmes::TEMPORARY_SPENDING, &p);
    assert_eq!((t.total, t.extended), (30, 45));
    assert_eq!(limits(jiuzhu_programmes::TEMPORARY_EMERGENCY, &p).total, 30);
}

#[test]
fn a_city_that_does_not_delegate_gets_the_county_limit() {
    let marker = "[[procedure.delegated]]\nregion = \"4105\"\nfrom = \"2021-09-13\"\nvalue = true";
    let anyang = anyang();
    assert!(anyang.contains(marker));
    let text = anyang.replace(marker, &marker.replace("value = true", "value = false"));
    assert_eq!(limits(jiuzhu_programmes::DIBAO, &params(&text)).total, 30);
}
