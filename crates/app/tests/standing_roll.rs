//! S21, 57号 Art. 24 (issue 16 item 5), on SQLite and PostgreSQL: after approval, a village's
//! standing list (长期公示) shows each household receiving 低保 or 特困 — head masked, size,
//! programme, monthly amount — and nothing else: not 临时救助, not a stopped enrolment, not
//! another village; another county's village is not found; printing it is audited.

mod common;

use common::*;
use jiuzhu_app::AppError;
use jiuzhu_storage::models::EnrolmentRow;

fn enrol(
    env: &Env,
    household: &str,
    village: &str,
    id: &str,
    programme: &str,
    fen: i64,
    status: &str,
) {
    let now = jiuzhu_domain::time::now();
    let mut c = env.ctx.db.conn().unwrap();
    jiuzhu_storage::payroll::insert_enrolment(
        &mut c,
        &EnrolmentRow {
            county_code: "410502".into(),
            id: id.into(),
            case_id: format!("case-{id}"),
            household_id: household.into(),
            region_code: village.into(),
            programme: programme.into(),
            monthly_fen: fen,
            start_month: "2026-10".into(),
            end_month: (status == "ended").then(|| "2026-11".into()),
            status: status.into(),
            note: String::new(),
            created_at: now,
            updated_at: now,
            people: 1,
            review_due: None,
        },
    )
    .unwrap();
}

#[test]
fn the_village_list_shows_its_running_dibao_and_tekun_households_masked() {
    for env in envs() {
        let who = env.scope("410502");
        let a = jiuzhu_app::registry::create_household(&env.ctx, &who, &household(81)).unwrap();
        let b = jiuzhu_app::registry::create_household(&env.ctx, &who, &household(82)).unwrap();
        let c = jiuzhu_app::registry::create_household(&env.ctx, &who, &household(83)).unwrap();
        let mut elsewhere = household(84);
        elsewhere.region_code = "410502001002".into();
        let d = jiuzhu_app::registry::create_household(&env.ctx, &who, &elsewhere).unwrap();
        let v = "410502001001";
        enrol(&env, &a.household.id, v, "e1", "dibao", 73_000, "active");
        enrol(&env, &b.household.id, v, "e2", "tekun", 94_900, "active");
        enrol(
            &env,
            &b.household.id,
            v,
            "e3",
            "temporary_spending",
            300_000,
            "active",
        );
        enrol(&env, &c.household.id, v, "e4", "dibao", 50_000, "ended");
        enrol(
            &env,
            &d.household.id,
            "410502001002",
            "e5",
            "dibao",
            60_000,
            "active",
        );

        let roll = jiuzhu_app::cases::standing_roll::standing_roll(&env.ctx, &who, v).unwrap();
        assert_eq!(roll.lines.len(), 2, "{}: {:?}", env.t.label, roll.lines);
        assert_eq!(roll.households, 2);
        assert_eq!(roll.monthly_total, "1679.00");
        let programmes: Vec<&str> = roll.lines.iter().map(|l| l.programme.as_str()).collect();
        assert!(programmes.contains(&"最低生活保障") && programmes.contains(&"特困人员救助供养"));
        assert!(
            roll.lines.iter().all(|l| l.head_masked.contains('*')),
            "{:?}",
            roll.lines
        );
        assert!(roll.lines.iter().all(|l| l.members == 2));
        assert!(roll.place.contains('/') || !roll.place.is_empty());

        // Outside the viewer's region, or not a village: not found.
        let other = env.scope("410526");
        assert!(matches!(
            jiuzhu_app::cases::standing_roll::standing_roll(&env.ctx, &other, v),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            jiuzhu_app::cases::standing_roll::standing_roll(&env.ctx, &who, "410502001"),
            Err(AppError::NotFound)
        ));

        // Printed: audited.
        assert_eq!(audited(&env, "roll.print").len(), 1);
    }
}
