//! S21, S17 (issue 16 item 3): the one shape of a raced state change — a change that finds its
//! row moved leaves nothing behind (what it wrote is rolled back, no audit entry) and the loser
//! is told why; a change that wins is written with its audit entry. On SQLite and PostgreSQL.

mod common;

use chrono::NaiveDate;
use common::*;
use jiuzhu_app::AppError;
use jiuzhu_app::audit::Event;
use jiuzhu_app::transition::Transition;
use jiuzhu_app::transition::stale;
use jiuzhu_app::transition::transition;
use jiuzhu_storage::models::HolidayRow;

fn day(n: u32) -> HolidayRow {
    HolidayRow {
        date: NaiveDate::from_ymd_opt(2031, 1, n).unwrap(),
        kind: "holiday".into(),
        name: "测试".into(),
    }
}

fn holidays_in_2031(env: &Env) -> usize {
    let mut c = env.t.db.conn().unwrap();
    jiuzhu_storage::calendar::all(&mut c)
        .unwrap()
        .into_iter()
        .filter(|h| h.date.format("%Y").to_string() == "2031")
        .count()
}

#[test]
fn a_lost_race_leaves_nothing_and_a_won_one_is_audited() {
    for env in envs() {
        let who = env.city();
        let mut conn = env.t.db.conn().unwrap();
        // The change writes, then finds its row moved: all of it is undone.
        let lost = transition(
            &env.ctx,
            &mut conn,
            &who,
            Transition {
                event: Event::new("test.lost", "calendar", "2031", "4105"),
                stale: stale("已被他人处理"),
            },
            |c| {
                jiuzhu_storage::calendar::upsert(c, &[day(1)])?;
                Ok(None::<()>)
            },
        );
        assert!(
            matches!(&lost, Err(AppError::Conflict(m)) if m == "已被他人处理"),
            "{lost:?}"
        );
        drop(conn);
        assert_eq!(holidays_in_2031(&env), 0, "{}", env.t.label);
        assert!(audited(&env, "test.lost").is_empty());

        // A change that fails is undone too, with its own error.
        let mut conn = env.t.db.conn().unwrap();
        let failed = transition(
            &env.ctx,
            &mut conn,
            &who,
            Transition {
                event: Event::new("test.failed", "calendar", "2031", "4105"),
                stale: stale("已被他人处理"),
            },
            |c| {
                jiuzhu_storage::calendar::upsert(c, &[day(2)])?;
                Err::<Option<()>, _>(AppError::Conflict("别的原因".into()))
            },
        );
        assert!(matches!(&failed, Err(AppError::Conflict(m)) if m == "别的原因"));
        assert_eq!(holidays_in_2031(&env), 0);

        // The winner's write and its audit entry stand together.
        let won = transition(
            &env.ctx,
            &mut conn,
            &who,
            Transition {
                event: Event::new("test.won", "calendar", "2031", "4105"),
                stale: stale("已被他人处理"),
            },
            |c| Ok(Some(jiuzhu_storage::calendar::upsert(c, &[day(3)])?)),
        )
        .unwrap();
        drop(conn);
        assert_eq!(won, 1);
        assert_eq!(holidays_in_2031(&env), 1);
        assert_eq!(audited(&env, "test.won").len(), 1);
    }
}
