//! Issue 15 F1, F8: what must be unique is unique in the database, on SQLite and PostgreSQL —
//! sixteen filings at once for one household and programme make one open case; a second
//! running enrolment of one household in one programme is refused by the database; twelve
//! people converting one hotline request at once file one case, and every one of them is
//! answered with it.

mod common;

use std::sync::Barrier;

use common::*;
use jiuzhu_app::Actor;
use jiuzhu_app::AppError;
use jiuzhu_app::cases;
use jiuzhu_app::cases::Application;
use jiuzhu_app::cases::intake;
use jiuzhu_app::cases::intake::Handling;
use jiuzhu_app::cases::intake::HotlineRequest;
use jiuzhu_domain::Role;
use jiuzhu_domain::case::Stage;
use jiuzhu_storage::StorageError;
use jiuzhu_storage::models::EnrolmentRow;

fn desk(env: &Env) -> Actor {
    let mut who = env.scope("410502001");
    who.role = Some(Role::TownshipCaseworker);
    who.username = "desk".into();
    who
}

/// Runs `f` on `n` threads released at the same moment.
fn at_once<T: Send>(n: usize, f: impl Fn() -> T + Sync) -> Vec<T> {
    let gate = Barrier::new(n);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|_| {
                s.spawn(|| {
                    gate.wait();
                    f()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn sixteen_filings_at_once_make_one_open_case() {
    for env in envs() {
        let who = desk(&env);
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(51))
                .unwrap();
        let hid = v.household.id.clone();
        let results = at_once(16, || {
            cases::file(
                &env.ctx,
                &who,
                &Application {
                    household_id: hid.clone(),
                    kinds: vec!["dibao".into()],
                    channel: "窗口".into(),
                    summary: "家庭困难，申请低保".into(),
                    ..Default::default()
                },
            )
        });
        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{}: {results:?}", env.t.label);
        for r in results.iter().filter_map(|r| r.as_ref().err()) {
            match r {
                AppError::Invalid(f) => {
                    assert_eq!(f[0].field, "kinds");
                    assert!(
                        f[0].message.contains("已有办理中的最低生活保障申请"),
                        "{f:?}"
                    );
                }
                other => panic!("{}: {other:?}", env.t.label),
            }
        }
        let cal = jiuzhu_domain::calendar::WorkingDayCalendar::bundled();
        let open: Vec<_> = cases::list(&env.ctx, &cal, &who, true)
            .unwrap()
            .into_iter()
            .filter(|c| c.household_id == hid)
            .collect();
        assert_eq!(open.len(), 1, "{}", env.t.label);
    }
}

#[test]
fn the_database_refuses_a_second_running_enrolment() {
    for env in envs() {
        let now = jiuzhu_domain::time::now();
        let row = |id: &str, programme: &str| EnrolmentRow {
            county_code: "410502".into(),
            id: id.into(),
            case_id: format!("case-{id}"),
            household_id: "h-1".into(),
            region_code: "410502001".into(),
            programme: programme.into(),
            monthly_fen: 60_000,
            start_month: "2026-12".into(),
            end_month: None,
            status: "active".into(),
            note: String::new(),
            created_at: now,
            updated_at: now,
            people: 1,
            review_due: None,
        };
        let mut conn = env.ctx.db.conn().unwrap();
        jiuzhu_storage::payroll::insert_enrolment(&mut conn, &row("e1", "dibao")).unwrap();
        let second = jiuzhu_storage::payroll::insert_enrolment(&mut conn, &row("e2", "dibao"));
        assert!(
            matches!(&second, Err(StorageError::Exists(m)) if m.contains("不能重复纳入")),
            "{}: {second:?}",
            env.t.label
        );
        // Another programme, or the same one after the first ended, is fine.
        jiuzhu_storage::payroll::insert_enrolment(&mut conn, &row("e3", "tekun")).unwrap();
        let mut ended = row("e4", "dibao");
        ended.status = "ended".into();
        jiuzhu_storage::payroll::insert_enrolment(&mut conn, &ended).unwrap();
    }
}

#[test]
fn twelve_people_converting_one_request_file_one_case() {
    for env in envs() {
        let who = desk(&env);
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(52))
                .unwrap();
        let hid = v.household.id.clone();
        let req = intake::receive(
            &env.ctx,
            &who,
            &HotlineRequest {
                ticket: "12345-2026-0099".into(),
                caller: "王小明".into(),
                phone: "13912345678".into(),
                place: "410502001001".into(),
                need: "母亲瘫痪在床，家中无收入".into(),
            },
        )
        .unwrap();
        let handling = Handling {
            household_id: hid.clone(),
            kinds: vec!["dibao".into()],
            ..Default::default()
        };
        let results = at_once(12, || {
            intake::handle(&env.ctx, &who, "410502", &req, &handling)
        });
        let ids: Vec<String> = results
            .iter()
            .map(|r| {
                r.as_ref()
                    .unwrap_or_else(|e| panic!("{}: {e:?}", env.t.label))
                    .clone()
                    .expect("converted")
            })
            .collect();
        assert!(
            ids.iter().all(|i| i == &ids[0]),
            "{}: every caller is answered with the one case: {ids:?}",
            env.t.label
        );
        let cal = jiuzhu_domain::calendar::WorkingDayCalendar::bundled();
        let mine: Vec<_> = cases::list(&env.ctx, &cal, &who, false)
            .unwrap()
            .into_iter()
            .filter(|c| c.household_id == hid)
            .collect();
        assert_eq!(mine.len(), 1, "{}", env.t.label);
        // Closing it now with a note is another handling: refused.
        let close = Handling {
            note: "重复处理".into(),
            ..Default::default()
        };
        assert!(matches!(
            intake::handle(&env.ctx, &who, "410502", &req, &close),
            Err(AppError::Conflict(_))
        ));
    }
}

/// The partial index's list of final stages is `Stage::is_final`'s.
#[test]
fn the_open_case_index_lists_exactly_the_final_stages() {
    for sql in [
        include_str!(
            "../../storage/migrations/sqlite/2026-12-04-000013_one_open_case_one_running_enrolment/up.sql"
        ),
        include_str!(
            "../../storage/migrations/postgres/2026-12-04-000013_one_open_case_one_running_enrolment/up.sql"
        ),
    ] {
        let list = sql
            .split("stage NOT IN (")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .unwrap();
        let mut listed: Vec<&str> = list
            .split(',')
            .map(|s| s.trim().trim_matches('\''))
            .collect();
        listed.sort_unstable();
        let mut finals: Vec<&str> = Stage::ALL
            .iter()
            .filter(|s| s.is_final())
            .map(|s| s.code())
            .collect();
        finals.sort_unstable();
        assert_eq!(listed, finals);
    }
}
