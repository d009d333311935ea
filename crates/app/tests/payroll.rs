//! S4, S14, G3: The monthly payroll (issue 7), on SQLite and PostgreSQL: the 纳入保障 move enrols from the
//! next month; a county's run has one line per enrolment and month however often it is
//! generated; three different people draft, check and approve; the bank file carries the
//! account and the reference; the return file pays or fails each line and the run reconciles
//! (paid + failed + held = total); a failed line is paid by a later run once the account is
//! fixed; a death stops payments from the next month; staged instalments are paid as they fall
//! due; lines without an account are held.

mod common;

use common::*;
use jiuzhu_app::Actor;
use jiuzhu_app::AppError;
use jiuzhu_app::cases;
use jiuzhu_app::cases::Application;
use jiuzhu_app::cases::Move;
use jiuzhu_app::payroll::accounts::{AccountInput, set_account};
use jiuzhu_app::payroll::bank;
use jiuzhu_app::payroll::enrolments;
use jiuzhu_app::payroll::run;
use jiuzhu_domain::Role;
use jiuzhu_domain::calendar::WorkingDayCalendar;
use jiuzhu_domain::payroll::RunAction;

fn person_as(env: &Env, role: Role, region: &str, name: &str) -> Actor {
    let mut who = env.scope(region);
    who.role = Some(role);
    who.username = name.into();
    who
}

fn mv(action: &str, version: i32) -> Move {
    Move {
        action: action.into(),
        version,
        ..Default::default()
    }
}

/// Files and walks a case of `kind` to enrolment; returns the household.
fn enrolled(env: &Env, seq: u16, kind: &str, amount: &str, instalments: &str) -> String {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    let desk = person_as(env, Role::TownshipCaseworker, "410502001", "desk");
    let county = person_as(env, Role::CountyCivilAffairs, "410502", "county");
    let v = jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(seq))
        .unwrap();
    let c = cases::file(
        &env.ctx,
        &desk,
        &Application {
            household_id: v.household.id.clone(),
            kinds: vec![kind.into()],
            channel: "窗口".into(),
            summary: "家庭困难".into(),
            severity: if kind.starts_with("temporary") {
                "一般"
            } else {
                ""
            }
            .into(),
            filed_on: walk_day(),
            ..Default::default()
        },
    )
    .unwrap()
    .remove(0);
    let go =
        |who: &Actor, m: Move| cases::act(&env.ctx, &cal, &eng, who, &c.county, &c.id, &m).unwrap();
    // A paper file entered a week on (the notice has run by today), 核对 done.
    go(&desk, on_walk_day(mv("accept", 1)));
    go(&desk, on_walk_day(mv("start_investigation", 2)));
    verified(env, &v.household.id);
    let mut op = on_walk_day(mv("record_opinion", 3));
    op.note = "入户调查属实".into();
    op.investigators = "甲、乙".into();
    let mut v = go(&desk, op).version;
    if kind == "dibao" {
        v = go(&desk, on_walk_day(mv("publish_notice", v))).version;
    }
    let mut ok = mv("approve", v);
    ok.set("amount", amount);
    ok.note = "按入户调查核定的金额批准".into();
    // Each programme's own approval fields (its spec refuses another's).
    match kind {
        "dibao" => ok.set("review_months", "12"),
        "tekun" => {
            ok.set("adl_lost", "0");
            ok.set("care_mode", "集中供养");
        }
        _ => ok.set("instalments", instalments),
    }
    let v = go(&county, ok).version;
    go(&county, mv("enrol", v));
    v.to_string();
    c.household_id
}

fn account(env: &Env, household: &str, number: &str) {
    set_account(
        &env.ctx,
        &person_as(env, Role::CountyCivilAffairs, "410502", "county"),
        household,
        &AccountInput {
            bank: "安阳农商银行".into(),
            account: number.into(),
            holder: "张三".into(),
        },
    )
    .unwrap();
}

#[test]
fn a_county_month_goes_from_draft_to_reconciled_exactly_once() {
    for env in envs() {
        let a = enrolled(&env, 1, "dibao", "600", "");
        let b = enrolled(&env, 2, "dibao", "450.50", "");
        let c = enrolled(&env, 3, "dibao", "300", "");
        account(&env, &a, "6228480000000000011");
        account(&env, &b, "6228480000000000022");
        // c has no account: its line is held.
        let drafter = person_as(&env, Role::CountyCivilAffairs, "410502", "drafter");
        let checker = person_as(&env, Role::CountyCivilAffairs, "410502", "checker");
        let approver = person_as(&env, Role::CountyCivilAffairs, "410502", "approver");
        // Enrolled now, paid from next month: nothing this month.
        let this = jiuzhu_domain::Month::of(jiuzhu_domain::time::today());
        let next = this.next().to_string();
        let none =
            run::generate(&env.ctx, &drafter, "410502", &this.to_string(), &|_, _| {}).unwrap();
        assert_eq!(none.all.lines, 0, "S21: from the month after approval");
        let r = run::generate(&env.ctx, &drafter, "410502", &next, &|_, _| {}).unwrap();
        let again = run::generate(&env.ctx, &drafter, "410502", &next, &|_, _| {}).unwrap();
        assert_eq!(r.id, again.id, "one run per county and month");
        assert_eq!(again.all.lines, 3, "generating again adds nothing");
        assert_eq!(again.all.total, "1350.50");
        assert_eq!(again.all.held, "300.00");
        assert_eq!(again.all.held_lines, 1);
        // Bad input is named.
        let e = run::generate(&env.ctx, &drafter, "410502", "2026-13", &|_, _| {}).unwrap_err();
        assert!(
            matches!(e, AppError::Invalid(ref f) if f[0].field == "month"),
            "{e:?}"
        );
        assert!(
            matches!(
                run::generate(&env.ctx, &drafter, "410522", &next, &|_, _| {}),
                Err(AppError::NotFound)
            ),
            "another county is not found"
        );
        // Four eyes: the drafter may not check, the checker may not approve.
        assert!(matches!(
            run::act(
                &env.ctx,
                &drafter,
                "410502",
                &r.id,
                RunAction::Check,
                again.version
            ),
            Err(AppError::Forbidden(_))
        ));
        let checked = run::act(
            &env.ctx,
            &checker,
            "410502",
            &r.id,
            RunAction::Check,
            again.version,
        )
        .unwrap();
        assert!(matches!(
            run::act(
                &env.ctx,
                &checker,
                "410502",
                &r.id,
                RunAction::Approve,
                checked.version
            ),
            Err(AppError::Forbidden(_))
        ));
        assert!(
            matches!(
                run::act(
                    &env.ctx,
                    &approver,
                    "410502",
                    &r.id,
                    RunAction::Approve,
                    again.version
                ),
                Err(AppError::Conflict(_))
            ),
            "a stale version is refused"
        );
        assert!(
            matches!(
                run::generate(&env.ctx, &drafter, "410502", &next, &|_, _| {}),
                Err(AppError::Conflict(_))
            ),
            "a checked run is not regenerated"
        );
        let approved = run::act(
            &env.ctx,
            &approver,
            "410502",
            &r.id,
            RunAction::Approve,
            checked.version,
        )
        .unwrap();
        assert_eq!(approved.status, "approved");
        assert!(
            matches!(
                bank::bank_file(&env.ctx, &approver, "410502", &r.id, "安阳农商银行", false),
                Err(AppError::Conflict(_))
            ),
            "no bank file before export"
        );
        let exported = run::act(
            &env.ctx,
            &approver,
            "410502",
            &r.id,
            RunAction::Export,
            approved.version,
        )
        .unwrap();
        assert_eq!(exported.banks, ["安阳农商银行"]);
        let (name, csv) =
            bank::bank_file(&env.ctx, &approver, "410502", &r.id, "安阳农商银行", false).unwrap();
        assert!(name.ends_with(".csv"));
        let text = String::from_utf8(csv).unwrap();
        assert!(
            text.contains("6228480000000000011") && text.contains("600.00"),
            "{text}"
        );
        assert_eq!(
            text.lines().count(),
            3,
            "header and the two lines with an account"
        );
        let (_, xlsx) =
            bank::bank_file(&env.ctx, &approver, "410502", &r.id, "安阳农商银行", true).unwrap();
        assert!(xlsx.starts_with(b"PK"));
        // The return file: a pays, b's account was closed; bad rows are named.
        let refs: Vec<String> =
            run::lines(&env.ctx, &approver, "410502", &r.id, Some("exported"), 0)
                .unwrap()
                .into_iter()
                .map(|l| l.id)
                .collect();
        let (ra, rb) = if refs[0].contains(&a)
            || run::lines(&env.ctx, &approver, "410502", &r.id, None, 0)
                .unwrap()
                .iter()
                .any(|l| l.id == refs[0] && l.household_id == a)
        {
            (refs[0].clone(), refs[1].clone())
        } else {
            (refs[1].clone(), refs[0].clone())
        };
        let file = format!(
            "参考号,结果,原因\n{ra},成功,\n{rb},失败,账户已销户\nnope,成功,\n{ra},成功,\nx,未知,\n"
        );
        let rep = bank::reconcile(&env.ctx, &approver, "410502", &r.id, file.as_bytes()).unwrap();
        assert_eq!((rep.paid, rep.failed), (1, 1));
        assert_eq!(
            rep.refused.iter().map(|(row, _)| *row).collect::<Vec<_>>(),
            [4, 5, 6],
            "{:?}",
            rep.refused
        );
        let done = rep.run.unwrap();
        assert_eq!(done.status, "reconciled");
        assert_eq!(
            (
                done.all.paid.as_str(),
                done.all.failed.as_str(),
                done.all.held.as_str()
            ),
            ("600.00", "450.50", "300.00")
        );
        assert_eq!(done.all.outstanding, "0.00");
        assert_eq!(done.all.total, "1350.50", "paid + failed + held = approved");
        assert!(matches!(
            bank::reconcile(&env.ctx, &approver, "410502", &r.id, file.as_bytes()),
            Err(AppError::Conflict(_))
        ));

        // Next month: b's account is fixed, so b's failed line moves into the new run with the
        // new account — still one line for b and that month; c gets an account; a dies.
        account(&env, &b, "6228480000000000099");
        account(&env, &c, "6228480000000000033");
        let stopper = person_as(&env, Role::CountyCivilAffairs, "410502", "county");
        let ea = enrolments::of_household(&env.ctx, &stopper, &a).unwrap();
        let died = jiuzhu_domain::Month::parse(&next)
            .unwrap()
            .next()
            .first_day();
        enrolments::stop(&env.ctx, &stopper, &a, &ea[0].id, "", Some(died), "死亡").unwrap();
        let after = jiuzhu_domain::Month::parse(&next).unwrap().next();
        let r2 =
            run::generate(&env.ctx, &drafter, "410502", &after.to_string(), &|_, _| {}).unwrap();
        let lines = run::lines(&env.ctx, &drafter, "410502", &r2.id, None, 0).unwrap();
        let mut seen: Vec<(String, String, String)> = lines
            .iter()
            .map(|l| (l.household_id.clone(), l.month.clone(), l.status.clone()))
            .collect();
        seen.sort();
        let mut want = vec![
            (a.clone(), after.to_string(), "pending".to_owned()),
            (b.clone(), next.clone(), "pending".to_owned()),
            (b.clone(), after.to_string(), "pending".to_owned()),
            (c.clone(), next.clone(), "pending".to_owned()),
            (c.clone(), after.to_string(), "pending".to_owned()),
        ];
        want.sort();
        assert_eq!(
            seen, want,
            "a paid for the month of death, b's failed line retried"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.household_id == b && l.month == next && l.account_masked == "****0099")
        );
        // And the month after the death, a is no longer paid.
        let later = after.next();
        let r3 =
            run::generate(&env.ctx, &drafter, "410502", &later.to_string(), &|_, _| {}).unwrap();
        let l3 = run::lines(&env.ctx, &drafter, "410502", &r3.id, None, 0).unwrap();
        assert!(
            !l3.iter().any(|l| l.household_id == a),
            "stopped from the month after death"
        );
        // c's line held for want of an account is paid too, now that it has one
        // The first run keeps its lines and totals: the retries are new lines in the new run.
        let first = run::get(&env.ctx, &drafter, "410502", &r.id).unwrap();
        assert_eq!(
            (
                first.all.total.as_str(),
                first.all.failed.as_str(),
                first.all.held.as_str()
            ),
            ("1350.50", "450.50", "300.00")
        );
    }
}

#[test]
fn staged_instalments_are_paid_as_they_fall_due_and_lines_can_be_held() {
    for env in envs() {
        let h = enrolled(&env, 4, "temporary_spending", "1000", "2");
        account(&env, &h, "6228480000000000044");
        let drafter = person_as(&env, Role::CountyCivilAffairs, "410502", "drafter");
        let this = jiuzhu_domain::Month::of(jiuzhu_domain::time::today());
        let r = run::generate(
            &env.ctx,
            &drafter,
            "410502",
            &this.next().to_string(),
            &|_, _| {},
        )
        .unwrap();
        // Both instalments are due by next month (this month's and next month's).
        assert_eq!(r.all.lines, 2);
        assert_eq!(r.all.total, "1000.00");
        assert_eq!(r.by_programme[0].name, "临时救助（支出型）");
        let line = run::lines(&env.ctx, &drafter, "410502", &r.id, None, 0).unwrap()[0]
            .id
            .clone();
        let e = run::hold_line(&env.ctx, &drafter, "410502", &r.id, &line, true, "").unwrap_err();
        assert!(matches!(e, AppError::Invalid(ref f) if f[0].field == "reason"));
        run::hold_line(
            &env.ctx,
            &drafter,
            "410502",
            &r.id,
            &line,
            true,
            "家属申请暂缓",
        )
        .unwrap();
        let v = run::get(&env.ctx, &drafter, "410502", &r.id).unwrap();
        assert_eq!(v.all.held, "500.00");
        assert!(matches!(
            run::hold_line(&env.ctx, &drafter, "410502", &r.id, &line, true, "再次暂缓"),
            Err(AppError::Conflict(_))
        ));
        run::hold_line(&env.ctx, &drafter, "410502", &r.id, &line, false, "").unwrap();
        assert_eq!(
            run::get(&env.ctx, &drafter, "410502", &r.id)
                .unwrap()
                .all
                .held,
            "0.00"
        );
        // A second enrolment of the same programme is refused.
        let caseworker = person_as(&env, Role::TownshipCaseworker, "410502001", "desk");
        assert!(
            matches!(
                run::generate(&env.ctx, &caseworker, "410502", "2026-12", &|_, _| {}),
                Err(AppError::Forbidden(_))
            ),
            "only the payroll role runs the payroll"
        );
    }
}

#[test]
fn two_advances_at_once_never_overdraw_a_reserve_fund() {
    for env in envs() {
        let county = person_as(&env, Role::CountyCivilAffairs, "410502", "county");
        jiuzhu_app::payroll::reserve::credit(
            &env.ctx,
            &county,
            "410502001",
            "allocation",
            "1000",
            "年初拨付",
        )
        .unwrap();
        let took: Vec<bool> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let db = env.ctx.db.clone();
                    s.spawn(move || {
                        let mut conn = db.conn().unwrap();
                        jiuzhu_storage::in_transaction(&mut conn, |c| {
                            jiuzhu_storage::reserve::change(
                                c,
                                "410502",
                                "410502001000",
                                -80_000,
                                jiuzhu_domain::time::now(),
                            )
                        })
                        .unwrap()
                        .is_some()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            took.iter().filter(|t| **t).count(),
            1,
            "{}: {took:?}",
            env.t.label
        );
        let (fund, _) =
            jiuzhu_app::payroll::reserve::ledger(&env.ctx, &county, "410502001").unwrap();
        assert_eq!(fund.balance, "200.00");
        // And the database itself refuses a negative balance.
        let mut conn = env.ctx.db.conn().unwrap();
        let raw = match &mut *conn {
            jiuzhu_storage::DbConnection::Sqlite(c) => diesel::RunQueryDsl::execute(
                diesel::sql_query("UPDATE reserve_funds SET balance_fen = -1"),
                c,
            ),
            jiuzhu_storage::DbConnection::Postgresql(c) => diesel::RunQueryDsl::execute(
                diesel::sql_query("UPDATE reserve_funds SET balance_fen = -1"),
                c,
            ),
        };
        assert!(raw.is_err(), "{}: the CHECK constraint holds", env.t.label);
    }
}

#[test]
fn an_overpayment_is_offset_repaid_and_written_off_with_a_second_approval() {
    use jiuzhu_app::payroll::recovery::{self, ReceivableInput};
    for env in envs() {
        let h = enrolled(&env, 5, "dibao", "600", "");
        account(&env, &h, "6228480000000000055");
        let county = person_as(&env, Role::CountyCivilAffairs, "410502", "county");
        let boss = person_as(&env, Role::TownshipApprover, "410502001", "boss");
        let desk = person_as(&env, Role::TownshipCaseworker, "410502001", "desk");
        let case = cases::list(&env.ctx, &WorkingDayCalendar::bundled(), &county, false)
            .unwrap()
            .into_iter()
            .find(|c| c.household_id == h)
            .unwrap();
        let bad = recovery::record(
            &env.ctx,
            &boss,
            "410502",
            &case.id,
            &ReceivableInput {
                cause: "借款".into(),
                amount: "0".into(),
                offset_per_month: "-3".into(),
                note: "".into(),
            },
        )
        .unwrap_err();
        assert!(
            matches!(&bad, AppError::Invalid(f) if f.iter().map(|f| f.field.as_str()).collect::<Vec<_>>() == ["cause", "amount", "offset_per_month", "note"]),
            "{bad:?}"
        );
        assert!(
            matches!(
                recovery::record(
                    &env.ctx,
                    &desk,
                    "410502",
                    &case.id,
                    &ReceivableInput::default()
                ),
                Err(AppError::Forbidden(_))
            ),
            "recording what is owed back is a decision"
        );
        let r = recovery::record(
            &env.ctx,
            &boss,
            "410502",
            &case.id,
            &ReceivableInput {
                cause: "骗取救助金".into(),
                amount: "1000".into(),
                offset_per_month: "300".into(),
                note: "隐瞒子女工资收入，多领 1000 元".into(),
            },
        )
        .unwrap();
        assert_eq!(
            (r.outstanding.as_str(), r.status.as_str()),
            ("1000.00", "open")
        );
        // Next month's draft withholds 300 from the 600; generating again withholds nothing more.
        let drafter = person_as(&env, Role::CountyCivilAffairs, "410502", "drafter");
        let next = jiuzhu_domain::Month::of(jiuzhu_domain::time::today())
            .next()
            .to_string();
        run::generate(&env.ctx, &drafter, "410502", &next, &|_, _| {}).unwrap();
        let v = run::generate(&env.ctx, &drafter, "410502", &next, &|_, _| {}).unwrap();
        assert_eq!(v.all.total, "300.00", "600 less the 300 offset");
        let r = recovery::get(&env.ctx, &county, "410502", &r.id).unwrap();
        assert_eq!(
            (r.recovered.as_str(), r.outstanding.as_str()),
            ("300.00", "700.00")
        );
        assert_eq!(r.entries.len(), 1);
        // A repayment; more than is owed is refused.
        let r = recovery::repay(&env.ctx, &county, "410502", &r.id, "500", "本人退回").unwrap();
        assert_eq!(r.outstanding, "200.00");
        let e = recovery::repay(&env.ctx, &county, "410502", &r.id, "300", "多退").unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(f) if f[0].message.contains("200.00")),
            "{e:?}"
        );
        // Write-off: asked for with a reason, approved at county level by someone else.
        assert!(matches!(
            recovery::request_write_off(&env.ctx, &boss, "410502", &r.id, "", r.version),
            Err(AppError::Invalid(_))
        ));
        let r = recovery::request_write_off(
            &env.ctx,
            &boss,
            "410502",
            &r.id,
            "当事人已死亡且无遗产",
            r.version,
        )
        .unwrap();
        assert_eq!(r.status, "write_off_requested");
        let boss2 = person_as(&env, Role::TownshipApprover, "410502001", "boss2");
        assert!(matches!(
            recovery::approve_write_off(&env.ctx, &boss2, "410502", &r.id, r.version),
            Err(AppError::Forbidden(m)) if m.contains("县级")
        ));
        let mut county_boss = county.clone();
        county_boss.username = "boss".into();
        assert!(matches!(
            recovery::approve_write_off(&env.ctx, &county_boss, "410502", &r.id, r.version),
            Err(AppError::Forbidden(m)) if m.contains("申请人以外")
        ));
        let r = recovery::approve_write_off(&env.ctx, &county, "410502", &r.id, r.version).unwrap();
        assert_eq!(
            (
                r.status.as_str(),
                r.written_off.as_str(),
                r.outstanding.as_str()
            ),
            ("written_off", "200.00", "0.00")
        );
        let report = recovery::report(&env.ctx, &county).unwrap();
        let fraud = report.iter().find(|x| x.cause == "骗取救助金").unwrap();
        assert_eq!(
            (
                fraud.count,
                fraud.amount.as_str(),
                fraud.recovered.as_str(),
                fraud.written_off.as_str(),
                fraud.outstanding.as_str()
            ),
            (1, "1000.00", "800.00", "200.00", "0.00")
        );
        assert_eq!(report.last().unwrap().cause, "合计");
        assert_eq!(report.last().unwrap().recovered, "800.00");
    }
}

#[test]
fn the_fund_view_compares_budgets_with_payments_and_lists_anomalies() {
    use jiuzhu_app::payroll::funds;
    for env in envs() {
        let a = enrolled(&env, 6, "dibao", "600", "");
        // Decided far above what the rules computed at the decision.
        let b = enrolled(&env, 7, "dibao", "9000", "");
        // Two households paid into one account.
        account(&env, &a, "6228480000000000066");
        account(&env, &b, "6228480000000000066");
        let county = person_as(&env, Role::CountyCivilAffairs, "410502", "county");
        let e = funds::set_budget(&env.ctx, &county, "410502", "1999", "彩票", "x").unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(f) if f.iter().map(|f| f.field.as_str()).collect::<Vec<_>>() == ["year", "programme", "amount"]),
            "{e:?}"
        );
        let next = jiuzhu_domain::Month::of(jiuzhu_domain::time::today()).next();
        let year = next.year();
        funds::set_budget(
            &env.ctx,
            &county,
            "410502",
            &year.to_string(),
            "dibao",
            "5000",
        )
        .unwrap();
        // The month is drafted, checked, approved; then a's enrolment is stopped before it.
        let r = run::generate(&env.ctx, &county, "410502", &next.to_string(), &|_, _| {}).unwrap();
        let checker = person_as(&env, Role::CountyCivilAffairs, "410502", "checker");
        let approver = person_as(&env, Role::CountyCivilAffairs, "410502", "approver");
        let r = run::act(
            &env.ctx,
            &checker,
            "410502",
            &r.id,
            RunAction::Check,
            r.version,
        )
        .unwrap();
        run::act(
            &env.ctx,
            &approver,
            "410502",
            &r.id,
            RunAction::Approve,
            r.version,
        )
        .unwrap();
        let ea = enrolments::of_household(&env.ctx, &county, &a).unwrap();
        let before = jiuzhu_domain::Month::of(jiuzhu_domain::time::today());
        enrolments::stop(
            &env.ctx,
            &county,
            &a,
            &ea[0].id,
            &before.to_string(),
            None,
            "迁出本县",
        )
        .unwrap();
        // The civil registry reports b's head dead this month: paid for this month, not after.
        let today = jiuzhu_domain::time::today();
        jiuzhu_app::verification::import(
            &env.ctx.db,
            &env.ctx.keys,
            &env.ctx.audit,
            &env.city(),
            jiuzhu_domain::agency::Source::Hukou,
            "deaths.csv",
            format!(
                "身份证号,记录类型,数据日期,编号\n{},death,{today},D-1\n",
                id("410502", 1980, 1, 1, 7 * 2 + 1)
            )
            .as_bytes(),
            &|_, _| {},
        )
        .unwrap();
        let v = funds::view(&env.ctx, &county, year).unwrap();
        let line = &v.counties[0].lines[0];
        assert_eq!(
            (
                line.programme.as_str(),
                line.budget.as_str(),
                line.approved.as_str(),
                line.paid.as_str()
            ),
            ("最低生活保障", "5000.00", "9600.00", "0.00")
        );
        assert!(line.over, "approved above the budget");
        let kinds: Vec<&str> = v.anomalies.iter().map(|a| a.kind.as_str()).collect();
        assert!(kinds.contains(&"停保后仍有发放"), "{kinds:?}");
        let dead: Vec<&funds::Anomaly> = v
            .anomalies
            .iter()
            .filter(|x| x.kind == "成员死亡后仍有发放")
            .collect();
        assert_eq!(dead.len(), 1, "{kinds:?}");
        assert_eq!(
            (dead[0].household_id.as_str(), dead[0].month.as_str()),
            (b.as_str(), next.to_string().as_str())
        );
        assert!(
            dead[0].detail.contains(&today.to_string()),
            "{}",
            dead[0].detail
        );
        assert_eq!(
            kinds
                .iter()
                .filter(|k| **k == "一个账户领取多户救助金")
                .count(),
            2,
            "{kinds:?}"
        );
        assert!(
            v.anomalies
                .iter()
                .any(|x| x.kind == "金额高于规则核算结果" && x.household_id == b),
            "{kinds:?}"
        );
        assert!(!kinds.contains(&"发放明细无对应保障记录"));
        // A line nobody generated.
        let mut conn = env.ctx.db.conn().unwrap();
        let sql = format!(
            "INSERT INTO payment_lines (county_code, id, run_id, month, pay_key, programme, household_id, region_code, source_id, amount_fen, bank, account, holder, status, reason, offset_fen) \
             VALUES ('410502', 'x:1', '{}', '{next}', 'dibao', 'dibao', 'ghost', '410502001001000', 'nothing', 100, '', '', '', 'pending', '', 0)",
            r.id
        );
        match &mut *conn {
            jiuzhu_storage::DbConnection::Sqlite(c) => {
                diesel::RunQueryDsl::execute(diesel::sql_query(sql), c).unwrap()
            }
            jiuzhu_storage::DbConnection::Postgresql(c) => {
                diesel::RunQueryDsl::execute(diesel::sql_query(sql), c).unwrap()
            }
        };
        drop(conn);
        let v = funds::view(&env.ctx, &county, year).unwrap();
        assert!(
            v.anomalies
                .iter()
                .any(|x| x.kind == "发放明细无对应保障记录" && x.household_id == "ghost")
        );
        // A township caseworker has no fund view.
        let desk = person_as(&env, Role::TownshipCaseworker, "410502001", "desk");
        assert!(matches!(
            funds::view(&env.ctx, &desk, year),
            Err(AppError::Forbidden(_))
        ));
    }
}

/// Issue 15 F2: an approval above the policy's cap (i64::MAX fen included) is refused naming
/// the amount; above the rules' answer it needs the decider's reason; a corrupt stored amount
/// is held at 0 with the reason instead of paid, and the county's run still generates.
#[test]
fn amounts_are_bounded_and_a_corrupt_one_is_held_not_paid() {
    let cal = WorkingDayCalendar::bundled();
    let eng = engine();
    for env in envs() {
        let desk = person_as(&env, Role::TownshipCaseworker, "410502001", "desk");
        let county = person_as(&env, Role::CountyCivilAffairs, "410502", "county");
        let c = dibao_at_notice(&env, &desk, 62, "甲、乙");
        let proposed = c.rules.clone().unwrap().amount;
        let go = |who: &Actor, m: Move| cases::act(&env.ctx, &cal, &eng, who, &c.county, &c.id, &m);
        let approve = |amount: &str, note: &str| {
            let mut m = mv("approve", 5);
            m.set("amount", amount);
            m.note = note.into();
            m.set("review_months", "12");
            go(&county, m)
        };
        let field_and_message = |r: Result<cases::CaseView, AppError>| match r {
            Err(AppError::Invalid(f)) => (f[0].field.clone(), f[0].message.clone()),
            other => panic!("{}: {other:?}", env.t.label),
        };
        let (field, message) = field_and_message(approve("92233720368547758.07", "理由充分"));
        assert_eq!(field, "amount");
        assert!(
            message.contains("超过每户每月批准金额上限 10000.00 元"),
            "{message}"
        );
        let (field, message) = field_and_message(approve("5000", ""));
        assert_eq!(field, "note", "above the rules' {proposed}: {message}");
        assert!(
            message.contains(&format!("规则核算金额 {proposed} 元")),
            "{message}"
        );
        let ok = approve("5000", "入户调查核实：配偶重病，另有大额医疗支出").unwrap();
        assert_eq!(ok.amount.as_deref(), Some("5000.00"));
        go(&county, mv("enrol", 6)).unwrap();
        account(&env, &c.household_id, "6228480000000000062");

        // A corrupt amount stored by other means (an old import, a hand edit).
        let next = jiuzhu_domain::Month::of(jiuzhu_domain::time::today()).next();
        let now = jiuzhu_domain::time::now();
        let mut conn = env.ctx.db.conn().unwrap();
        jiuzhu_storage::payroll::insert_enrolment(
            &mut conn,
            &jiuzhu_storage::models::EnrolmentRow {
                county_code: "410502".into(),
                id: "corrupt".into(),
                case_id: "corrupt-case".into(),
                household_id: "corrupt-household".into(),
                region_code: "410502001001".into(),
                programme: "dibao".into(),
                monthly_fen: i64::MAX,
                start_month: next.to_string(),
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
        let drafter = person_as(&env, Role::CountyCivilAffairs, "410502", "drafter");
        let r = run::generate(&env.ctx, &drafter, "410502", &next.to_string(), &|_, _| {}).unwrap();
        assert_eq!(r.all.lines, 2, "{}: {:?}", env.t.label, r.all);
        assert_eq!(r.all.total, "5000.00", "the corrupt line counts 0");
        assert_eq!(r.all.held_lines, 1);
    }
}

#[test]
fn lines_committed_before_a_crash_carry_their_audit_entry() {
    // S4 / 等保 安全审计 (issue 15 F14): the payroll is written township by township, each in its
    // own transaction; the process dies after the first one — its lines are audited.
    for env in envs() {
        let a = enrolled(&env, 1, "dibao", "600", "");
        let b = enrolled(&env, 2, "dibao", "450.50", "");
        account(&env, &a, "6228480000000000011");
        account(&env, &b, "6228480000000000022");
        let drafter = person_as(&env, Role::CountyCivilAffairs, "410502", "drafter");
        let next = jiuzhu_domain::Month::of(jiuzhu_domain::time::today())
            .next()
            .to_string();
        let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run::generate(&env.ctx, &drafter, "410502", &next, &|done, _| {
                if done == 1 {
                    panic!("the server dies after the first township's batch");
                }
            })
        }));
        assert!(crashed.is_err());
        let mut c = env.ctx.db.conn().unwrap();
        let batches = audited(&env, "payroll.batch");
        assert_eq!(batches.len(), 1, "{}", env.t.label);
        let detail: serde_json::Value = serde_json::from_str(&batches[0].detail).unwrap();
        assert_eq!(
            detail["added"], 2,
            "both households live in the first township"
        );
        assert_eq!(batches[0].username, "drafter");
        // Started again, it adds nothing and audits no empty batch.
        let r = run::generate(&env.ctx, &drafter, "410502", &next, &|_, _| {}).unwrap();
        assert_eq!(r.all.lines, 2);
        assert_eq!(audited(&env, "payroll.batch").len(), 1);
        assert!(env.ctx.audit.verify(&mut c).unwrap().is_intact());
    }
}
