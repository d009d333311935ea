//! S20, S21: Applications and cases (issue 5), on SQLite and PostgreSQL: an application for several
//! programmes files one case each; a 低保 case goes from the window to enrolment with the
//! checks of each step (reasons, two investigators, review cycle); moves the table forbids and
//! roles without the permission are refused; two people deciding at once — exactly one wins and
//! the other is told who; a 急难 advance is paid first with the papers completed later; nothing
//! refused is lost from the list.

mod common;

use common::*;
use jiuzhu_app::Actor;
use jiuzhu_app::AppError;
use jiuzhu_app::cases;
use jiuzhu_app::cases::Application;
use jiuzhu_app::cases::Move;
use jiuzhu_app::payroll::reserve;
use jiuzhu_domain::Role;
use jiuzhu_domain::calendar::WorkingDayCalendar;

fn mv(action: &str, version: i32) -> Move {
    Move {
        action: action.into(),
        version,
        ..Default::default()
    }
}

/// A new 特困 case from acceptance to its public notice (version 5 after): accepted,
/// investigated by two, the opinion recorded, the notice published.
/// Walks a case filed on [`walk_day`] to its notice, posted that day (a paper file entered a
/// week on), with the household's 核对 done before the opinion.
fn to_notice(
    env: &Env,
    household_id: &str,
    go: &dyn Fn(&Actor, Move) -> Result<cases::CaseView, AppError>,
    desk: &Actor,
) {
    go(desk, on_walk_day(mv("accept", 1))).unwrap();
    go(desk, on_walk_day(mv("start_investigation", 2))).unwrap();
    verified(env, household_id);
    let mut op = on_walk_day(mv("record_opinion", 3));
    op.note = "无劳动能力、无收入、无法定赡养人".into();
    op.investigators = "甲,乙".into();
    go(desk, op).unwrap();
    go(desk, on_walk_day(mv("publish_notice", 4))).unwrap();
}

fn fields(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(f) => f.into_iter().map(|f| f.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[test]
fn a_dibao_case_goes_from_the_window_to_enrolment() {
    let cal = WorkingDayCalendar::bundled();
    for env in envs() {
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let boss = as_role(&env, Role::TownshipApprover, "boss");
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(1))
                .unwrap();
        let hid = v.household.id.clone();
        let bad = cases::file(
            &env.ctx,
            &desk,
            &Application {
                household_id: hid.clone(),
                kinds: vec!["彩票".into()],
                channel: "微信".into(),
                summary: "".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(fields(bad), ["kinds", "channel", "summary"]);
        let filed = cases::file(
            &env.ctx,
            &desk,
            &Application {
                household_id: hid.clone(),
                kinds: vec!["最低生活保障".into(), "temporary_spending".into()],
                channel: "窗口".into(),
                summary: "户主失业，配偶患病".into(),
                severity: "一般".into(),
                filed_on: walk_day(),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(filed.len(), 2, "one case per programme");
        let again = cases::file(
            &env.ctx,
            &desk,
            &Application {
                household_id: hid.clone(),
                kinds: vec!["dibao".into()],
                channel: "窗口".into(),
                summary: "再次申请".into(),
                ..Default::default()
            },
        );
        assert_eq!(
            fields(again.unwrap_err()),
            ["kinds"],
            "one open case per programme"
        );
        let c = filed.iter().find(|c| c.kind == "dibao").unwrap().clone();
        let (county, id) = (c.county.clone(), c.id.clone());
        let act =
            |who: &Actor, m: Move| cases::act(&env.ctx, &cal, &engine(), who, &county, &id, &m);

        // Forbidden moves name the stage and the action; roles keep to their steps.
        let e = act(&boss, mv("approve", 1)).unwrap_err();
        assert!(
            matches!(&e, AppError::Conflict(m) if m.contains("在“已申请”阶段不能“批准”")),
            "{e:?}"
        );
        assert!(matches!(
            act(&boss, mv("accept", 1)),
            Err(AppError::Forbidden(_))
        ));
        // Entered as a paper file a week on: each step dated, with the reason.
        let c = act(&desk, on_walk_day(mv("accept", 1))).unwrap();
        assert_eq!((c.stage.as_str(), c.version), ("accepted", 2));
        assert!(c.due_on.is_some(), "the clock runs from acceptance");
        let c = act(&desk, on_walk_day(mv("start_investigation", 2))).unwrap();
        // 57号 Art. 16: two investigators; the findings are the opinion's note.
        let mut opinion = on_walk_day(mv("record_opinion", 3));
        opinion.note = "入户调查属实，家庭人均收入低于标准".into();
        opinion.investigators = "王五".into();
        assert_eq!(
            fields(act(&desk, opinion.clone()).unwrap_err()),
            ["investigators"]
        );
        opinion.investigators = "王五、赵六".into();
        // Issue 16 item 5: no opinion without the household's 核对 report.
        let e = act(&desk, opinion.clone()).unwrap_err();
        assert!(
            matches!(&e, AppError::Conflict(m) if m.contains("尚无家庭经济状况核对报告")),
            "{e:?}"
        );
        verified(&env, &hid);
        let c2 = act(&desk, opinion).unwrap();
        assert_eq!(c2.version, c.version + 1);
        let c = act(&desk, on_walk_day(mv("publish_notice", 4))).unwrap();
        assert_eq!(c.stage, "notice");
        assert!(c.due_on.is_none(), "the clock stops during the notice");
        let stored = cases::get(&env.ctx, &cal, &desk, &county, &id).unwrap();
        assert!(stored.due_on.is_none(), "and so it is stored: {stored:?}");
        let mut approve = mv("approve", 5);
        approve.set("amount", "606.00");
        assert_eq!(
            fields(act(&boss, approve.clone()).unwrap_err()),
            ["review_months"]
        );
        approve.set("review_months", "12");
        let c = act(&boss, approve).unwrap();
        assert_eq!(
            (c.stage.as_str(), c.amount.as_deref()),
            ("approved", Some("606.00"))
        );
        let c = act(&boss, mv("enrol", 6)).unwrap();
        assert_eq!(c.stage, "enrolled");
        assert_eq!(c.events.len(), 7);
        assert!(c.events[3].note.contains("调查人：王五、赵六"));
        assert!(c.actions.is_empty(), "nothing follows enrolment");
        // S7: the enrolment covers the household and is reviewed one cycle (12 months, as
        // approved) after the decision.
        let mut conn = env.t.db.conn().unwrap();
        let e = jiuzhu_storage::payroll::enrolments_of(&mut conn, &county, &c.household_id)
            .unwrap()
            .remove(0);
        drop(conn);
        let decided =
            chrono::NaiveDate::parse_from_str(c.decided_on.as_deref().unwrap(), "%Y-%m-%d")
                .unwrap();
        let due = decided.checked_add_months(chrono::Months::new(12)).unwrap();
        assert_eq!(e.review_due, Some(due.to_string()));
        assert_eq!(e.people, 2, "both members of household(1)");

        // The other case is refused at the window, with reasons, and stays on the list.
        let t = filed
            .iter()
            .find(|c| c.kind == "temporary_spending")
            .unwrap();
        let e = cases::act(
            &env.ctx,
            &cal,
            &engine(),
            &desk,
            &t.county,
            &t.id,
            &mv("refuse_to_accept", 1),
        )
        .unwrap_err();
        assert_eq!(fields(e), ["note"]);
        let mut no = mv("refuse_to_accept", 1);
        no.note = "已纳入低保，支出已由医疗救助解决".into();
        cases::act(&env.ctx, &cal, &engine(), &desk, &t.county, &t.id, &no).unwrap();
        let all = cases::list(&env.ctx, &cal, &desk, false).unwrap();
        assert_eq!(all.len(), 2);
        assert!(
            all.iter()
                .any(|c| c.stage == "not_accepted" && c.reasons.contains("医疗救助"))
        );
        assert!(cases::list(&env.ctx, &cal, &desk, true).unwrap().is_empty());

        // Another township's caseworker does not see it.
        let mut other = env.scope("410502002");
        other.role = Some(Role::TownshipCaseworker);
        assert!(matches!(
            cases::get(&env.ctx, &cal, &other, &county, &id),
            Err(AppError::NotFound)
        ));
    }
}

#[test]
fn of_two_people_deciding_at_once_exactly_one_wins() {
    let cal = WorkingDayCalendar::bundled();
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(2))
                .unwrap();
        let a = as_role(&env, Role::TownshipCaseworker, "caseworker-a");
        let b = as_role(&env, Role::TownshipCaseworker, "caseworker-b");
        let c = cases::file(
            &env.ctx,
            &a,
            &Application {
                household_id: v.household.id.clone(),
                kinds: vec!["dibao".into()],
                channel: "12345热线".into(),
                summary: "来电反映生活困难".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .remove(0);
        // At the same moment, both seeing version 1: one accepts, one refuses to accept.
        let (reg, county, id, cal) = (&env.ctx, c.county.as_str(), c.id.as_str(), &cal);
        let eng = &engine();
        let mut no = mv("refuse_to_accept", 1);
        no.note = "不属于本乡镇".into();
        let (a, b, no) = (&a, &b, &no);
        let results = std::thread::scope(|s| {
            let one = s.spawn(move || cases::act(reg, cal, eng, a, county, id, &mv("accept", 1)));
            let two = s.spawn(move || cases::act(reg, cal, eng, b, county, id, no));
            [one.join().unwrap(), two.join().unwrap()]
        });
        let wins = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "{}: {results:?}", env.t.label);
        let lost = results.iter().find_map(|r| r.as_ref().err()).unwrap();
        assert!(
            matches!(lost, AppError::Conflict(m) if m.contains("caseworker-") && m.contains("请刷新")),
            "{lost:?}"
        );
        let now = cases::get(&env.ctx, cal, &env.scope("410502"), &c.county, &c.id).unwrap();
        assert_eq!(now.version, 2);
        assert_eq!(now.events.len(), 2, "one move recorded, not two");
        // A stale version later is told who moved it.
        let e = cases::act(
            &env.ctx,
            cal,
            eng,
            &env.scope("410502"),
            &c.county,
            &c.id,
            &mv("withdraw", 1),
        )
        .unwrap_err();
        assert!(matches!(e, AppError::Conflict(m) if m.contains("caseworker-")));
    }
}

#[test]
fn an_emergency_advance_is_paid_first_and_the_papers_follow() {
    let cal = WorkingDayCalendar::bundled();
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(3))
                .unwrap();
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let boss = as_role(&env, Role::TownshipApprover, "boss");
        // Only 急难型 may be handled where the hardship happened.
        let mut app = Application {
            household_id: v.household.id.clone(),
            kinds: vec!["dibao".into()],
            channel: "窗口".into(),
            summary: "火灾，住房受损".into(),
            region_code: "410502001002".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(cases::file(&env.ctx, &desk, &app).unwrap_err()),
            ["region_code"]
        );
        app.kinds = vec!["temporary_emergency".into()];
        app.severity = "较重".into();
        let c = cases::file(&env.ctx, &desk, &app).unwrap().remove(0);
        assert_eq!(c.region_code, "410502001002");
        let mut pay = mv("pay_advance", 1);
        assert_eq!(
            fields(
                cases::act(&env.ctx, &cal, &engine(), &desk, &c.county, &c.id, &pay).unwrap_err()
            ),
            ["amount"]
        );
        pay.set("amount", "1500");
        assert_eq!(
            fields(
                cases::act(&env.ctx, &cal, &engine(), &desk, &c.county, &c.id, &pay).unwrap_err()
            ),
            ["amount"],
            "小额先行 up to the policy's advance limit"
        );
        pay.set("amount", "1000");
        // S14: the advance comes from the township's reserve fund: none yet, then too little.
        let e = cases::act(&env.ctx, &cal, &engine(), &desk, &c.county, &c.id, &pay).unwrap_err();
        assert!(
            matches!(&e, AppError::Conflict(m) if m.contains("尚未拨付临时救助备用金")),
            "{e:?}"
        );
        let mut county = as_role(&env, Role::CountyCivilAffairs, "county");
        county.scope = env.scope("410502").scope;
        county.region = jiuzhu_domain::RegionCode::parse("410502").unwrap();
        reserve::credit(
            &env.ctx,
            &county,
            "410502001",
            "allocation",
            "800",
            "安民〔2026〕1号",
        )
        .unwrap();
        let e = cases::act(&env.ctx, &cal, &engine(), &desk, &c.county, &c.id, &pay).unwrap_err();
        assert!(
            matches!(&e, AppError::Conflict(m) if m.contains("余额 800.00 元")),
            "{e:?}"
        );
        assert_eq!(
            cases::get(&env.ctx, &cal, &desk, &c.county, &c.id)
                .unwrap()
                .stage,
            "applied",
            "nothing half-written"
        );
        reserve::credit(&env.ctx, &county, "410502001", "补充", "1200", "补充备用金").unwrap();
        let c = cases::act(&env.ctx, &cal, &engine(), &desk, &c.county, &c.id, &pay).unwrap();
        assert_eq!(c.stage, "advance_paid");
        let (fund, ledger) = reserve::ledger(&env.ctx, &desk, "410502001").unwrap();
        assert_eq!(fund.balance, "1000.00", "800 + 1200 − 1000");
        assert_eq!(
            ledger.iter().map(|e| e.amount.as_str()).collect::<Vec<_>>(),
            ["-1000.00", "+1200.00", "+800.00"]
        );
        assert_eq!(ledger[0].case_id.as_deref(), Some(c.id.as_str()));
        assert_eq!(ledger[0].balance_after, "1000.00");
        assert_eq!(
            fields(reserve::credit(&env.ctx, &county, "410502001", "借款", "-5", "").unwrap_err()),
            ["kind", "amount", "note"]
        );
        assert!(matches!(
            reserve::credit(&env.ctx, &desk, "410502001", "allocation", "5", "拨付款项"),
            Err(AppError::Forbidden(_))
        ));
        assert!(c.due_on.is_some(), "open until the papers are complete");
        assert!(
            c.actions.is_empty(),
            "completing the papers is the approver's: {:?}",
            c.actions
        );
        let c = cases::act(
            &env.ctx,
            &cal,
            &engine(),
            &boss,
            &c.county,
            &c.id,
            &mv("complete_papers", 2),
        )
        .unwrap();
        assert_eq!(
            (c.stage.as_str(), c.amount.as_deref()),
            ("approved", Some("1000.00"))
        );
        assert!(c.due_on.is_none());
    }
}

#[test]
fn a_tekun_case_is_approved_with_its_care_tier_and_caregiver() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(4))
                .unwrap();
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let boss = as_role(&env, Role::TownshipApprover, "boss");
        let c = cases::file(
            &env.ctx,
            &desk,
            &Application {
                household_id: v.household.id.clone(),
                kinds: vec!["tekun".into()],
                channel: "村（社区）主动发现".into(),
                summary: "独居老人，无子女".into(),
                filed_on: walk_day(),
                ..Default::default()
            },
        )
        .unwrap()
        .remove(0);
        let go = |who: &Actor, m: Move| cases::act(&env.ctx, &cal, &eng, who, &c.county, &c.id, &m);
        to_notice(&env, &v.household.id, &go, &desk);
        let mut ok = mv("approve", 5);
        ok.set("amount", "949");
        // The registered facts say 不符合 (two adults able to work): the decider writes why.
        ok.note = "入户调查：二人实际均无劳动能力，登记待更正".into();
        ok.set("adl_lost", "7");
        ok.set("care_mode", "上门");
        // Every field error at once (issue 16: the spec's decide reports all of them).
        assert_eq!(
            fields(go(&boss, ok.clone()).unwrap_err()),
            ["adl_lost", "care_mode"]
        );
        ok.set("adl_lost", "4");
        assert_eq!(fields(go(&boss, ok.clone()).unwrap_err()), ["care_mode"]);
        ok.set("care_mode", "分散供养");
        assert_eq!(fields(go(&boss, ok.clone()).unwrap_err()), ["caregiver"]);
        ok.set("caregiver", "李照料");
        let c = go(&boss, ok).unwrap();
        // 43号 Art. 20–23: four of six items lost is 全失能.
        let decided: Vec<(&str, &str)> = c
            .decision
            .iter()
            .map(|d| (d.label.as_str(), d.value.as_str()))
            .collect();
        assert_eq!(
            decided,
            [
                ("护理等级", "全失能"),
                ("供养方式", "分散供养"),
                ("照料服务人", "李照料")
            ]
        );
        assert_eq!(go(&boss, mv("enrol", 6)).unwrap().stage, "enrolled");
    }
}

#[test]
fn a_case_past_its_limit_is_overdue_on_the_board() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(6))
                .unwrap();
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let long_ago = (jiuzhu_domain::time::today() - chrono::Days::new(60)).to_string();
        let mut app = Application {
            household_id: v.household.id.clone(),
            kinds: vec!["dibao".into()],
            channel: "窗口".into(),
            summary: "纸质申请补录".into(),
            filed_on: "2999-01-01".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(cases::file(&env.ctx, &desk, &app).unwrap_err()),
            ["filed_on"]
        );
        app.filed_on = long_ago.clone();
        let c = cases::file(&env.ctx, &desk, &app).unwrap().remove(0);
        let mut accept = mv("accept", 1);
        accept.on = long_ago.clone();
        // Issue 15: a back-dated step needs its reason and is flagged in the history.
        assert_eq!(
            fields(cases::act(&env.ctx, &cal, &eng, &desk, &c.county, &c.id, &accept).unwrap_err()),
            ["note"]
        );
        accept.note = "纸质申请当日已受理，系统补录".into();
        let c = cases::act(&env.ctx, &cal, &eng, &desk, &c.county, &c.id, &accept).unwrap();
        let today = jiuzhu_domain::time::today().to_string();
        assert!(
            c.events.last().is_some_and(
                |e| e.note.starts_with(&format!("【补录，{today} 录入】")) && e.on == long_ago
            ),
            "{:?}",
            c.events
        );
        // 60 calendar days are more than 20 working days (Anyang: the township decides).
        assert!(c.overdue, "{c:?}");
        assert!(c.elapsed_days > 20);
        let list = cases::list(&env.ctx, &cal, &desk, true).unwrap();
        let board = cases::board(&env.ctx.regions, &list);
        assert_eq!(board.len(), 1);
        assert_eq!(
            (board[0].township.as_str(), board[0].open, board[0].overdue),
            ("410502001000", 1, 1)
        );
        // Missing materials stop the clock: the case is no longer flagged while it waits.
        let mut wait = mv("request_materials", 2);
        wait.note = "请补交户口簿复印件以外的：医院诊断证明".into();
        let c = cases::act(&env.ctx, &cal, &eng, &desk, &c.county, &c.id, &wait).unwrap();
        assert!(!c.overdue && c.due_on.is_none());
    }
}

#[test]
fn temporary_assistance_is_approved_at_the_level_its_amount_needs() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let boss = as_role(&env, Role::TownshipApprover, "boss");
        let mut county = env.scope("410502");
        county.role = Some(Role::CountyCivilAffairs);
        county.username = "county".into();
        let mut ready = Vec::new();
        // S14: the window records how grave the hardship is and the amount asked; the rules
        // compute the amount and who approves it from exactly that.
        for (seq, severity, asked) in [(7, "较重", "5000"), (8, "特别严重", "30000")] {
            let v = jiuzhu_app::registry::create_household(
                &env.ctx,
                &env.scope("410502"),
                &household(seq),
            )
            .unwrap();
            let mut app = Application {
                household_id: v.household.id.clone(),
                kinds: vec!["temporary_spending".into()],
                channel: "窗口".into(),
                summary: "重病住院，自付费用高".into(),
                requested_amount: "五千".into(),
                ..Default::default()
            };
            assert_eq!(
                fields(cases::file(&env.ctx, &desk, &app).unwrap_err()),
                ["severity", "requested_amount"],
                "a 临时救助 application without a severity, or with an amount that is not one"
            );
            app.severity = severity.into();
            app.requested_amount = asked.into();
            let c = cases::file(&env.ctx, &desk, &app).unwrap().remove(0);
            assert_eq!(
                c.hardship.as_deref(),
                Some(format!("{severity}，申请 {asked}.00 元").as_str())
            );
            let go = |m: Move| cases::act(&env.ctx, &cal, &eng, &desk, &c.county, &c.id, &m);
            go(mv("accept", 1)).unwrap();
            go(mv("start_investigation", 2)).unwrap();
            let mut op = mv("record_opinion", 3);
            op.note = "住院自付 4.2 万元".into();
            op.investigators = "甲、乙".into();
            let c = go(op).unwrap();
            ready.push(c);
        }
        let approve = |who: &Actor, c: &cases::CaseView, amount: &str, note: &str| {
            let mut m = mv("approve", 4);
            m.set("amount", amount);
            m.note = note.into();
            cases::act(&env.ctx, &cal, &eng, who, &c.county, &c.id, &m)
        };
        // The policy (示例值): township up to 3,000, county above, 一事一议 above 20,000 —
        // the opinion states the rules' amount and level from the filed facts.
        let rules = |c: &cases::CaseView| {
            let r = c
                .rules
                .clone()
                .expect("the opinion keeps the rules' answer");
            (r.outcome, r.amount, r.approval)
        };
        let (outcome, amount, level) = rules(&ready[0]);
        assert_ne!(outcome, "未评估", "the filed hardship reached the rules");
        assert_eq!(amount, "5000.00");
        assert_eq!(level.as_deref(), Some("县级民政审批"));
        assert_eq!(rules(&ready[1]).1, "30000.00");
        assert_eq!(rules(&ready[1]).2.as_deref(), Some("一事一议"));
        let e = approve(&boss, &ready[0], "5000", "").unwrap_err();
        assert!(
            matches!(&e, AppError::Conflict(m) if m.contains("须报县级民政审批")),
            "{e:?}"
        );
        assert_eq!(
            approve(&county, &ready[0], "5000", "").unwrap().stage,
            "approved"
        );
        assert_eq!(
            fields(approve(&county, &ready[1], "30000", "").unwrap_err()),
            ["note"]
        );
        let c = approve(&county, &ready[1], "30000", "2026-11-20 县协调机制会议议定").unwrap();
        assert_eq!(c.amount.as_deref(), Some("30000.00"));
    }
}

#[test]
fn a_transferred_item_is_tracked_until_its_department_answers() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(9))
                .unwrap();
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let c = cases::file(
            &env.ctx,
            &desk,
            &Application {
                household_id: v.household.id.clone(),
                kinds: vec!["temporary_spending".into()],
                channel: "窗口".into(),
                summary: "孩子上大学学费困难".into(),
                severity: "一般".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .remove(0);
        let mut t = mv("transfer", 1);
        t.note = "申请生源地助学贷款和教育救助".into();
        assert_eq!(
            fields(cases::act(&env.ctx, &cal, &eng, &desk, &c.county, &c.id, &t).unwrap_err()),
            ["department"]
        );
        t.department = "县级教育部门".into();
        let c = cases::act(&env.ctx, &cal, &eng, &desk, &c.county, &c.id, &t).unwrap();
        assert_eq!(c.stage, "transferred");
        let dept = |role: Role| {
            let mut who = env.scope("410502");
            who.role = Some(role);
            who.username = role.code().into();
            who
        };
        let edu = dept(Role::CountyEducation);
        let open = cases::transfers(&env.ctx, &edu).unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].matter, "申请生源地助学贷款和教育救助");
        assert!(open[0].answered_on.is_none());
        // Other departments do not see it; the window cannot answer for them.
        assert!(
            cases::transfers(&env.ctx, &dept(Role::CountyHousing))
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            cases::answer_transfer(
                &env.ctx,
                &dept(Role::CountyHousing),
                &open[0].county,
                &open[0].id,
                "已办"
            ),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            cases::transfers(&env.ctx, &desk),
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(
            fields(
                cases::answer_transfer(&env.ctx, &edu, &open[0].county, &open[0].id, "")
                    .unwrap_err()
            ),
            ["answer"]
        );
        cases::answer_transfer(
            &env.ctx,
            &edu,
            &open[0].county,
            &open[0].id,
            "已纳入教育救助，资助 3000 元",
        )
        .unwrap();
        let again =
            cases::answer_transfer(&env.ctx, &edu, &open[0].county, &open[0].id, "再次答复");
        assert!(matches!(again, Err(AppError::Conflict(_))));
        let done = cases::transfers(&env.ctx, &edu).unwrap();
        assert_eq!(done[0].answer, "已纳入教育救助，资助 3000 元");
    }
}

#[test]
fn the_demo_cases_reach_every_stage() {
    let cal = WorkingDayCalendar::bundled();
    for env in envs() {
        for seq in 40..53 {
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(seq))
                .unwrap();
        }
        let who = env.city();
        // S14: advances need the township's reserve fund, as `jiuzhu demo` allocates.
        reserve::allocate_demo(&env.ctx, &who, "20000").unwrap();
        let n = jiuzhu_demo::cases::seed(&env.ctx, &cal, &engine(), &who).unwrap();
        assert_eq!(n, 13, "{}", env.t.label);
        let all = cases::list(&env.ctx, &cal, &who, false).unwrap();
        let mut stages: Vec<&str> = all.iter().map(|c| c.stage.as_str()).collect();
        stages.sort();
        stages.dedup();
        for want in [
            "applied",
            "accepted",
            "investigating",
            "notice",
            "disputed",
            "approved",
            "enrolled",
            "refused",
            "not_accepted",
            "advance_paid",
        ] {
            assert!(
                stages.contains(&want),
                "{}: {want} missing from {stages:?}",
                env.t.label
            );
        }
    }
}

/// S4, S5: 低保与特困不得同时享受 — filing refuses both at once and either beside a running
/// enrolment or an open application of the other, naming it; enrolment refuses a case whose
/// household has meanwhile been enrolled in the other (a race, or a case filed before).
#[test]
fn programmes_that_exclude_each_other_are_refused_at_filing_and_at_enrolment() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let boss = as_role(&env, Role::TownshipApprover, "boss");
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(7))
                .unwrap();
        let hid = v.household.id.clone();
        let apply = |kinds: &[&str]| {
            cases::file(
                &env.ctx,
                &desk,
                &Application {
                    household_id: hid.clone(),
                    kinds: kinds.iter().map(|k| k.to_string()).collect(),
                    channel: "窗口".into(),
                    summary: "老人独居，无收入".into(),
                    filed_on: walk_day(),
                    ..Default::default()
                },
            )
        };
        let message = |e: AppError| match e {
            AppError::Invalid(f) => f
                .into_iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("\n"),
            other => panic!("expected field errors, got {other:?}"),
        };
        let both = message(apply(&["dibao", "tekun"]).unwrap_err());
        assert!(
            both.starts_with("kinds: 不能同时申请最低生活保障和特困人员救助供养"),
            "{} {both}",
            env.t.label
        );
        assert!(
            cases::list(&env.ctx, &cal, &desk, false)
                .unwrap()
                .is_empty(),
            "nothing filed"
        );

        // 特困 filed and walked to approval.
        let t = apply(&["tekun"]).unwrap().remove(0);
        let go = |who: &Actor, m: Move| cases::act(&env.ctx, &cal, &eng, who, &t.county, &t.id, &m);
        // While it is open, 低保 is refused naming the open application.
        let open = message(apply(&["dibao"]).unwrap_err());
        assert!(
            open.contains("该户已有办理中的特困人员救助供养申请"),
            "{} {open}",
            env.t.label
        );
        to_notice(&env, &hid, &go, &desk);
        let mut ok = mv("approve", 5);
        ok.set("amount", "949");
        ok.note = "入户调查：独居无收入，无赡养人".into();
        ok.set("adl_lost", "0");
        ok.set("care_mode", "集中供养");
        go(&boss, ok).unwrap();

        // Meanwhile a 低保 enrolment appears for the household (an earlier case, or a race).
        let now = jiuzhu_domain::time::now();
        let mut conn = env.ctx.db.conn().unwrap();
        jiuzhu_storage::payroll::insert_enrolment(
            &mut conn,
            &jiuzhu_storage::models::EnrolmentRow {
                county_code: t.county.clone(),
                id: "dibao-earlier".into(),
                case_id: "earlier-case".into(),
                household_id: hid.clone(),
                region_code: "410502001".into(),
                programme: "dibao".into(),
                monthly_fen: 60_600,
                start_month: "2026-03".into(),
                end_month: None,
                status: "active".into(),
                note: String::new(),
                created_at: now,
                updated_at: now,
                people: 1,
                review_due: None,
            },
        )
        .unwrap();
        drop(conn);
        let e = go(&boss, mv("enrol", 6)).unwrap_err();
        assert!(
            matches!(&e, AppError::Conflict(m)
                if m.contains("该户已享受最低生活保障（2026年3月起，每月 606.00 元）")
                    && m.contains("请先办理最低生活保障停保")),
            "{} {e:?}",
            env.t.label
        );
        let c = cases::get(&env.ctx, &cal, &desk, &t.county, &t.id).unwrap();
        assert_eq!(c.stage, "approved", "nothing half-written");
        // And a new 特困 application is refused naming the enrolment.
        let running = message(apply(&["tekun"]).unwrap_err());
        assert!(
            running.contains("该户已享受最低生活保障（2026年3月起，每月 606.00 元）"),
            "{} {running}",
            env.t.label
        );
    }
}

/// Issue 15 F9: a reason typed as a formula leaves the export as text, not as a formula.
#[test]
fn the_applications_export_never_carries_a_formula() {
    let cal = WorkingDayCalendar::bundled();
    for env in envs() {
        let desk = as_role(&env, Role::TownshipCaseworker, "desk");
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(71))
                .unwrap();
        let c = cases::file(
            &env.ctx,
            &desk,
            &Application {
                household_id: v.household.id.clone(),
                kinds: vec!["dibao".into()],
                channel: "窗口".into(),
                summary: "家庭困难".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .remove(0);
        let mut no = mv("refuse_to_accept", 1);
        no.note = "=HYPERLINK(\"http://evil.example\",\"点击\")".into();
        cases::act(&env.ctx, &cal, &engine(), &desk, &c.county, &c.id, &no).unwrap();
        let csv =
            String::from_utf8(cases::applications_csv(&env.ctx, &cal, &desk).unwrap()).unwrap();
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        assert!(
            !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
            "{csv}"
        );
    }
}

/// Issue 15 F10: whoever investigated a case (or recorded its opinion) may not decide it, even
/// with a role that may do both; a colleague decides, and the case page offers the
/// investigator no decision.
#[test]
fn the_investigator_may_not_decide_the_same_case() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let mut alone = as_role(&env, Role::CountyCivilAffairs, "county.li");
        alone.scope = env.scope("410502").scope;
        alone.region = jiuzhu_domain::RegionCode::parse("410502").unwrap();
        let mut colleague = alone.clone();
        colleague.username = "county.zhao".into();
        let at_notice = dibao_at_notice(&env, &alone, 72, "李、王");
        let go = |who: &Actor, m: Move| {
            cases::act(
                &env.ctx,
                &cal,
                &eng,
                who,
                &at_notice.county,
                &at_notice.id,
                &m,
            )
        };
        assert!(
            !at_notice
                .actions
                .iter()
                .any(|(a, _)| a == "approve" || a == "refuse"),
            "{:?}",
            at_notice.actions
        );
        let mut ok = mv("approve", 5);
        ok.set("amount", "500");
        ok.set("review_months", "12");
        let e = go(&alone, ok.clone()).unwrap_err();
        assert!(
            matches!(&e, AppError::Forbidden(m) if m.contains("经办与审批须由不同人员承担")),
            "{e:?}"
        );
        assert_eq!(go(&colleague, ok).unwrap().stage, "approved");
    }
}

#[test]
fn an_approver_named_as_an_investigator_may_not_decide() {
    // S21, 57号 Art. 16 (issue 16 item 5): whoever visited the household — named in the
    // opinion, even if a colleague typed it — does not approve the case.
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let mut desk = as_role(&env, Role::CountyCivilAffairs, "county.desk");
        desk.scope = env.scope("410502").scope;
        desk.region = jiuzhu_domain::RegionCode::parse("410502").unwrap();
        let mut visited = desk.clone();
        visited.username = "county.zhao".into();
        visited.display_name = "赵审批".into();
        let mut other = desk.clone();
        other.username = "county.qian".into();
        other.display_name = "钱主任".into();
        let c = dibao_at_notice(&env, &desk, 73, "赵审批、孙");
        let go = |who: &Actor, m: Move| cases::act(&env.ctx, &cal, &eng, who, &c.county, &c.id, &m);
        // Not offered on the case page, and refused if sent.
        let seen = cases::get(&env.ctx, &cal, &visited, &c.county, &c.id).unwrap();
        assert!(
            !seen.actions.iter().any(|(a, _)| a == "approve"),
            "{:?}",
            seen.actions
        );
        let mut ok = mv("approve", 5);
        ok.set("amount", "500");
        ok.set("review_months", "12");
        let e = go(&visited, ok.clone()).unwrap_err();
        assert!(
            matches!(&e, AppError::Forbidden(m) if m.contains("入户调查人")),
            "{}: {e:?}",
            env.t.label
        );
        assert_eq!(go(&other, ok).unwrap().stage, "approved");
    }
}
