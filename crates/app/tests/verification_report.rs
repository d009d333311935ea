//! S22: The household check with live connectors (the test double), on SQLite and PostgreSQL: no
//! connector is called before every adult has consented; an agency's answer is stored like a
//! delivered file (once, with its provenance) and counted; an agency that does not answer is
//! named; the agencies' data feeds the rules (undeclared taxed income turns 低保 down).

mod common;

use std::sync::Arc;

use chrono::NaiveDate;
use common::*;
use jiuzhu_app::verification::connector::{Connector, FakeConnector, LiveRecord};
use jiuzhu_app::verification::report::{household_report, record_consent};
use jiuzhu_domain::agency::{RecordType, Source};
use jiuzhu_domain::{Money, ResidentId};

#[test]
fn connectors_are_asked_only_with_consent_and_their_answers_feed_the_rules() {
    for env in envs() {
        let who = env.scope("410502");
        let input = household(5);
        let v = jiuzhu_app::registry::create_household(&env.ctx, &who, &input).unwrap();
        let hid = v.household.id.clone();
        let head = ResidentId::parse(&input.members[0].id_number).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let tax = Arc::new(FakeConnector::new(Source::Tax).holding(LiveRecord {
            id_number: head.clone(),
            kind: RecordType::TaxedIncome,
            amount: Some(Money::from_yuan(5000)),
            period: Some((
                NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
            )),
            as_of,
            reference: "T-1".into(),
        }));
        let bank = Arc::new(FakeConnector::down(Source::Bank));
        let connectors: Vec<Arc<dyn Connector>> = vec![tax.clone(), bank.clone()];
        let e = household_report(&env.ctx, &engine(), &connectors, &who, &hid).unwrap_err();
        assert!(matches!(e, jiuzhu_app::AppError::Conflict(_)));
        assert_eq!(
            tax.calls() + bank.calls(),
            0,
            "nothing queried without consent"
        );

        for m in &v.members {
            record_consent(&env.ctx, &who, &hid, &m.person.id, "2026-11-01", "书面").unwrap();
        }
        let r = household_report(&env.ctx, &engine(), &connectors, &who, &hid).unwrap();
        assert_eq!((tax.calls(), bank.calls()), (1, 1));
        assert_eq!(r.unavailable, ["银行：接口无响应"]);
        assert_eq!(r.taxed_income_monthly_fen, 500_000);
        let found = &r.members[0].findings[0];
        assert_eq!(found.agency, "纳税（实时查询）");
        assert_eq!(found.reference, "T-1");
        let income = r
            .differences
            .iter()
            .find(|d| d.item == "工资经营收入（月）")
            .unwrap();
        assert!(income.flagged);
        assert_eq!(
            (income.declared.as_str(), income.verified.as_str()),
            ("0.00", "5000.00")
        );
        // Declared: no income, eligible; with the agencies' data: 5,000 a month, not eligible.
        assert_eq!(r.dibao_declared.as_ref().unwrap().outcome, "符合");
        assert_eq!(r.dibao_verified.as_ref().unwrap().outcome, "不符合");

        // The same answer again is stored once.
        let count = || {
            let mut c = env.t.db.conn().unwrap();
            jiuzhu_storage::agency::count(&mut c, "tax").unwrap()
        };
        let before = count();
        household_report(&env.ctx, &engine(), &connectors, &who, &hid).unwrap();
        assert_eq!(count(), before);
        let stored = jiuzhu_app::verification::report::reports(&env.ctx, &who, &hid).unwrap();
        assert_eq!(stored.len(), 2);
    }
}
