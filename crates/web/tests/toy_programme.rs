//! S1, S20, S21 (issue 16 acceptance): adding a programme is additive. This file is the whole
//! of a new programme — a spec with its own workflow row, a decision field, its record and a
//! monthly payment — submitted like the real ones; it is filed at the one window from the
//! household's apply form, moved through the API, decided on the case page with the field its
//! spec declares, and enrolled, with no change to the case engine, the case pages or the
//! `cases` table. On SQLite and PostgreSQL.

mod common;

use common::*;
use jiuzhu_domain::case::{Action, CaseKind, Stage};
use jiuzhu_domain::{Money, Role};
use jiuzhu_programmes::workflow::Move;
use jiuzhu_programmes::{
    AMOUNT, Answers, Decision, Field, Input, Payment, ProgrammeSpec, Proposal, Refusal, Shown,
};
use serde_json::json;

const KIND: CaseKind = CaseKind::new(
    "toy_stipend",
    "社区参与补贴（测试项目）",
    "community participation stipend (test)",
);

const MONTHS: Field = Field {
    name: "months",
    zh: "补贴期限",
    hint: "1–24 个月",
    en: "Months granted",
    actions: &[Action::Approve],
    input: Input::Whole {
        min: 1,
        max: 24,
        default: None,
        unit: "个月",
    },
    required: true,
};

fn decide(p: &Proposal<'_>, a: &Answers) -> Result<Decision, Refusal> {
    Ok(Decision {
        record: (p.action == Action::Approve)
            .then(|| json!({ "months": a.whole(MONTHS.name).unwrap_or(0) })),
        ..Decision::default()
    })
}

fn describe(v: &serde_json::Value) -> Vec<Shown> {
    vec![Shown {
        label: "补贴期限",
        value: format!("{} 个月", v["months"]),
    }]
}

const TOY: ProgrammeSpec = ProgrammeSpec {
    kind: KIND,
    order: 90,
    catalogue: &["S1"],
    // Its own row: decided straight after the opinion.
    moves: &[Move {
        from: &[Stage::Opinion],
        action: Action::Approve,
        to: Stage::Approved,
    }],
    limits: |p| jiuzhu_programmes::limits_with(p, 30, 45),
    standing_list: false,
    assessed_as: None,
    hardship: None,
    where_it_happens: false,
    needs_verification: false,
    investigation_record: false,
    payment: Payment::Monthly,
    cap: |_| (Money::from_yuan(300), "测试项目每月上限"),
    fields: &[AMOUNT, MONTHS],
    decide,
    describe,
    record_version: 1,
};

inventory::submit!(TOY);

#[tokio::test]
async fn a_programme_added_as_a_spec_is_filed_decided_and_enrolled_through_the_engine() {
    for app in spawn_apps() {
        let h = app
            .json("POST", "/api/v1/households", household_json(31))
            .await;
        assert_eq!(h.status, 201, "{}", h.body);
        let id = h.json()["household"]["id"].as_str().unwrap().to_owned();

        // The one window lists it among the programmes, from the specs.
        app.login_as(Role::TownshipCaseworker, "410502001");
        let form = app.get(&format!("/households/{id}/apply")).await;
        assert!(
            form.body.contains("name=\"toy_stipend\" value=\"1\""),
            "{}",
            form.body
        );
        assert!(form.body.contains("社区参与补贴（测试项目）"));
        let r = app
            .form(
                &format!("/households/{id}/apply"),
                &[
                    ("toy_stipend", "1"),
                    ("channel", "窗口"),
                    ("summary", "愿意参加社区服务"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let case = r.location();
        let api = format!("/api/v1{case}/moves");

        // The shared moves through the API.
        for (v, body) in [
            (1, json!({"action": "accept"})),
            (2, json!({"action": "start_investigation"})),
            (
                3,
                json!({"action": "record_opinion", "note": "属实", "investigators": "王五、赵六"}),
            ),
        ] {
            let mut body = body;
            body["version"] = json!(v);
            let r = app.json("POST", &api, body).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        // Its own row: no notice, approved from the opinion — and a field of another
        // programme is refused by name.
        app.login_as(Role::TownshipApprover, "410502001");
        let page = app.get(&case).await;
        assert!(page.body.contains("name=\"months\""), "{}", page.body);
        assert!(!page.body.contains("name=\"review_months\""));
        assert!(!page.body.contains("value=\"publish_notice\""));
        let r = app
            .json(
                "POST",
                &api,
                json!({"action": "approve", "version": 4, "amount": "200", "review_months": "12"}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("review_months"), "{}", r.body);
        // Every field error at once, and its cap from its spec; then decided on the page with
        // its field.
        let approve = |amount: &'static str, months: &'static str| {
            let (app, case) = (&app, case.clone());
            async move {
                app.form(
                    &case,
                    &[
                        ("version", "4"),
                        ("action", "approve"),
                        ("amount", amount),
                        ("months", months),
                    ],
                )
                .await
            }
        };
        let r = approve("301", "0").await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("补贴期限应为 1–24 个月"), "{}", r.body);
        let r = approve("301", "6").await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("测试项目每月上限"), "{}", r.body);
        let r = approve("200", "6").await;
        assert_eq!(r.status, 303, "{}", r.body);
        let page = app.get(&case).await;
        assert!(page.body.contains("补贴期限：6 个月"), "{}", page.body);
        assert!(page.body.contains("200.00 元/月"), "{}", page.body);

        // Enrolled: a monthly payment from the month after the decision.
        let r = app
            .json("POST", &api, json!({"action": "enrol", "version": 5}))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["stage"], "enrolled");
        assert_eq!(r.json()["decision"][0]["value"], "6 个月");
        // On the household's payee page, where the county's payroll sees its enrolments.
        app.login_as(Role::CountyCivilAffairs, "410502");
        let account = app.get(&format!("/households/{id}/account")).await;
        assert!(
            account
                .body
                .contains("社区参与补贴（测试项目）</td><td>200.00"),
            "{}",
            account.body
        );
    }
}
