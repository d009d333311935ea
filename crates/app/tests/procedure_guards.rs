//! S4, S5, S21 (issue 16 item 5): the procedure guards on both backends — the public notice
//! runs its full 7 days before a decision and ends (57号 Art. 19, 43号 Art. 14), and the
//! opinion and the decision of 低保/特困 rest on a 核对 report no older than 90 days with every
//! adult member's consent (57号 Art. 16); 临时救助 needs neither.

mod common;

use chrono::{Days, NaiveDate};
use common::*;
use jiuzhu_app::Actor;
use jiuzhu_app::AppError;
use jiuzhu_app::cases;
use jiuzhu_app::cases::Application;
use jiuzhu_app::cases::CaseView;
use jiuzhu_app::cases::Move;
use jiuzhu_app::sealing::seal_field;
use jiuzhu_domain::Role;
use jiuzhu_domain::calendar::WorkingDayCalendar;
use jiuzhu_domain::time::today;

fn ago(days: u64) -> NaiveDate {
    today() - Days::new(days)
}

/// A move on a day, with the back-dated step's reason.
fn on(action: &str, version: i32, day: NaiveDate) -> Move {
    let mut m = Move::new(action, version);
    m.on = day.to_string();
    if day < today() {
        m.note = PAPER.into();
    }
    m
}

/// Walks a case filed on `walked` (a paper file) to a notice posted on `posted`, its 核对 done
/// before the opinion.
fn to_notice(
    env: &Env,
    household_id: &str,
    go: &dyn Fn(&Actor, Move) -> Result<CaseView, AppError>,
    walked: NaiveDate,
    posted: NaiveDate,
) {
    let desk = as_role(env, Role::TownshipCaseworker, "desk");
    go(&desk, on("accept", 1, walked)).unwrap();
    go(&desk, on("start_investigation", 2, walked)).unwrap();
    verified(env, household_id);
    let mut op = on("record_opinion", 3, walked);
    op.investigators = "甲、乙".into();
    go(&desk, op).unwrap();
    go(&desk, on("publish_notice", 4, posted)).unwrap();
}

fn conflict(r: Result<CaseView, AppError>) -> String {
    match r {
        Err(AppError::Conflict(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A case of `kind` for a new household, filed `days` ago.
fn filed(env: &Env, seq: u16, kind: &str, days: u64) -> (String, CaseView) {
    let v = jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(seq))
        .unwrap();
    let desk = as_role(env, Role::TownshipCaseworker, "desk");
    let c = cases::file(
        &env.ctx,
        &desk,
        &Application {
            household_id: v.household.id.clone(),
            kinds: vec![kind.into()],
            channel: "窗口".into(),
            summary: "家庭困难".into(),
            filed_on: ago(days).to_string(),
            severity: if kind.starts_with("temporary") {
                "一般".into()
            } else {
                String::new()
            },
            ..Default::default()
        },
    )
    .unwrap()
    .remove(0);
    (v.household.id, c)
}

#[test]
fn the_notice_runs_its_full_period_before_a_decision_and_then_ends() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let boss = as_role(&env, Role::TownshipApprover, "boss");
        // Posted 3 days ago: the period runs to the 7th day (today + 3).
        let (hid, c) = filed(&env, 81, "dibao", 10);
        let go = |who: &Actor, m: Move| cases::act(&env.ctx, &cal, &eng, who, &c.county, &c.id, &m);
        to_notice(&env, &hid, &go, ago(10), ago(3));
        let mut approve = Move::new("approve", 5)
            .with("amount", "500")
            .with("review_months", "12");
        approve.note = "按入户调查核定".into();
        let m = conflict(go(&boss, approve.clone()));
        assert_eq!(
            m,
            format!(
                "公示期 7 天（{} 至 {}）尚未届满，{} 起方可审核确认",
                ago(3),
                today() + Days::new(3),
                today() + Days::new(4)
            ),
            "{}",
            env.t.label
        );
        let mut refuse = Move::new("refuse", 5);
        refuse.note = "收入超标".into();
        assert!(conflict(go(&boss, refuse)).contains("尚未届满"));
        // Within the period an objection is taken.
        let mut objection = Move::new("record_objection", 5);
        objection.note = "邻居反映有车".into();
        assert_eq!(go(&desk, objection).unwrap().stage, "disputed");

        // Posted 8 days ago: the period ended yesterday — no more objections, and the decision.
        let (hid, c) = filed(&env, 82, "dibao", 12);
        let go = |who: &Actor, m: Move| cases::act(&env.ctx, &cal, &eng, who, &c.county, &c.id, &m);
        to_notice(&env, &hid, &go, ago(12), ago(8));
        let mut late = Move::new("record_objection", 5);
        late.note = "邻居反映有车".into();
        assert_eq!(
            conflict(go(&desk, late)),
            format!(
                "公示期已于 {} 届满，不再登记公示异议；如有新情况，请按复核或信访程序处理",
                ago(2)
            )
        );
        assert_eq!(go(&boss, approve).unwrap().stage, "approved");
    }
}

#[test]
fn the_opinion_and_the_decision_need_a_recent_report_with_every_adults_consent() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let (hid, c) = filed(&env, 83, "tekun", 0);
        let go = |m: Move| cases::act(&env.ctx, &cal, &eng, &desk, &c.county, &c.id, &m);
        go(Move::new("accept", 1)).unwrap();
        go(Move::new("start_investigation", 2)).unwrap();
        let mut op = Move::new("record_opinion", 3);
        op.note = "属实".into();
        op.investigators = "甲、乙".into();
        assert!(conflict(go(op.clone())).contains("尚无家庭经济状况核对报告"));

        // A report on file, but only the head consented (the spouse joined since): refused,
        // naming who must still sign.
        let who = env.scope("410502");
        let v = jiuzhu_app::registry::household(&env.ctx, &who, &hid).unwrap();
        let head = &v.members[0].person.id;
        jiuzhu_app::verification::report::record_consent(
            &env.ctx,
            &who,
            &hid,
            head,
            &today().to_string(),
            "书面",
        )
        .unwrap();
        let report = |checked_on: NaiveDate| {
            let mut conn = env.t.db.conn().unwrap();
            jiuzhu_storage::agency::insert_report(
                &mut conn,
                &jiuzhu_storage::models::VerificationReportRow {
                    county_code: "410502".into(),
                    id: uuid::Uuid::now_v7().to_string(),
                    household_id: hid.clone(),
                    checked_on,
                    checked_by: "核对员".into(),
                    created_at: jiuzhu_domain::time::now(),
                    differences: 0,
                    body: seal_field(&env.ctx.keys, "verification_reports.body", "{}"),
                },
            )
            .unwrap();
        };
        report(today());
        assert_eq!(
            conflict(go(op.clone())),
            "缺少核对授权：李* 尚未签署（成员变动后须补签），请补齐后再办理",
            "{}",
            env.t.label
        );
        // Everyone consented, but the only report is 100 days old.
        let (hid2, c2) = filed(&env, 84, "dibao", 0);
        let go2 = |m: Move| cases::act(&env.ctx, &cal, &eng, &desk, &c2.county, &c2.id, &m);
        go2(Move::new("accept", 1)).unwrap();
        go2(Move::new("start_investigation", 2)).unwrap();
        let v2 = jiuzhu_app::registry::household(&env.ctx, &who, &hid2).unwrap();
        for m in &v2.members {
            jiuzhu_app::verification::report::record_consent(
                &env.ctx,
                &who,
                &hid2,
                &m.person.id,
                &today().to_string(),
                "书面",
            )
            .unwrap();
        }
        {
            let mut conn = env.t.db.conn().unwrap();
            jiuzhu_storage::agency::insert_report(
                &mut conn,
                &jiuzhu_storage::models::VerificationReportRow {
                    county_code: "410502".into(),
                    id: uuid::Uuid::now_v7().to_string(),
                    household_id: hid2.clone(),
                    checked_on: ago(100),
                    checked_by: "核对员".into(),
                    created_at: jiuzhu_domain::time::now(),
                    differences: 0,
                    body: seal_field(&env.ctx.keys, "verification_reports.body", "{}"),
                },
            )
            .unwrap();
        }
        assert_eq!(
            conflict(go2(op.clone())),
            format!(
                "该户最近一次核对报告为 {}，已超过 90 天，请重新核对后再办理",
                ago(100)
            )
        );
        // A new check makes it current.
        verified(&env, &hid2);
        assert_eq!(go2(op.clone()).unwrap().stage, "opinion");

        // 临时救助 is decided on the investigation without a 核对 report.
        let (_, t) = filed(&env, 85, "temporary_spending", 0);
        let go3 = |m: Move| cases::act(&env.ctx, &cal, &eng, &desk, &t.county, &t.id, &m);
        go3(Move::new("accept", 1)).unwrap();
        go3(Move::new("start_investigation", 2)).unwrap();
        assert_eq!(go3(op).unwrap().stage, "opinion");
    }
}

/// Issue 16 item 5: nobody carries a case alone, the county included — whoever paid a 急难
/// advance does not complete its papers (which approve it); a colleague does.
#[test]
fn whoever_paid_an_advance_does_not_approve_it() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let mut county = as_role(&env, Role::CountyCivilAffairs, "county");
        county.scope = env.scope("410502").scope;
        county.region = jiuzhu_domain::RegionCode::parse("410502").unwrap();
        jiuzhu_app::payroll::reserve::credit(
            &env.ctx,
            &county,
            "410502001",
            "allocation",
            "5000",
            "年初拨付",
        )
        .unwrap();
        let (_, c) = filed(&env, 86, "temporary_emergency", 0);
        let go = |who: &Actor, m: Move| cases::act(&env.ctx, &cal, &eng, who, &c.county, &c.id, &m);
        let pay = Move::new("pay_advance", 1).with("amount", "800");
        assert_eq!(go(&county, pay).unwrap().stage, "advance_paid");
        let seen = cases::get(&env.ctx, &cal, &county, &c.county, &c.id).unwrap();
        assert!(
            !seen.actions.iter().any(|(a, _)| a == "complete_papers"),
            "not offered: {:?}",
            seen.actions
        );
        let e = go(&county, Move::new("complete_papers", 2)).unwrap_err();
        assert!(
            matches!(&e, AppError::Forbidden(m) if m.contains("发放先行救助，不能再审批本案")),
            "{e:?}"
        );
        let boss = as_role(&env, Role::TownshipApprover, "boss");
        assert_eq!(
            go(&boss, Move::new("complete_papers", 2)).unwrap().stage,
            "approved"
        );
    }
}
