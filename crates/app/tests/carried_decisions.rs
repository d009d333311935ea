//! S4, S5, S21 (issue 16 item 2): the decisions the old code kept in per-programme columns of
//! `cases` (the 低保 review cycle; the 特困 care tier, mode and sealed caregiver) are carried by
//! the migration into `case_decisions`, sealed when the application opens the database, and
//! shown as before. The database is brought back to the old shape and filled as the old code
//! filled it, then migrated; on SQLite and PostgreSQL.

mod common;

use common::*;
use diesel::RunQueryDsl;
use jiuzhu_app::cases;
use jiuzhu_app::cases::Application;
use jiuzhu_app::sealing::seal_field;
use jiuzhu_domain::Role;
use jiuzhu_domain::calendar::WorkingDayCalendar;

fn filed(env: &Env, seq: u16, kind: &str) -> cases::CaseView {
    let v = jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410502"), &household(seq))
        .unwrap();
    let mut desk = env.scope("410502001");
    desk.role = Some(Role::TownshipCaseworker);
    cases::file(
        &env.ctx,
        &desk,
        &Application {
            household_id: v.household.id.clone(),
            kinds: vec![kind.into()],
            channel: "窗口".into(),
            summary: "家庭困难".into(),
            ..Default::default()
        },
    )
    .unwrap()
    .remove(0)
}

fn exec(env: &Env, sql: &str) {
    let mut c = env.t.db.conn().unwrap();
    diesel::sql_query(sql).execute(&mut *c).unwrap();
}

#[test]
fn decisions_in_the_old_columns_are_carried_sealed_and_shown_as_before() {
    let cal = WorkingDayCalendar::bundled();
    for env in envs() {
        let dibao = filed(&env, 71, "dibao");
        let tekun = filed(&env, 72, "tekun");
        // Back to the shape the old code left: the per-programme columns on `cases` (the later
        // migrations reverted first, newest first).
        let mut reverted = Vec::new();
        while reverted.last().map(String::as_str) != Some("20261205000017") {
            reverted.push(env.t.db.revert_last_migration().unwrap());
            assert!(reverted.len() < 5, "{}: {reverted:?}", env.t.label);
        }
        assert_eq!(
            reverted,
            ["20261206000018", "20261205000017"],
            "{}",
            env.t.label
        );
        // Filled as the old code filled them at the approval (the caregiver sealed as
        // `cases.caregiver`).
        let sealed = seal_field(&env.ctx.keys, "cases.caregiver", "李照料");
        exec(
            &env,
            &format!(
                "UPDATE cases SET stage = 'approved', amount_fen = 60600, decided_on = '2026-11-20', \
                 review_months = 12 WHERE id = '{}'",
                dibao.id
            ),
        );
        exec(
            &env,
            &format!(
                "UPDATE cases SET stage = 'approved', amount_fen = 94900, decided_on = '2026-11-20', \
                 care_tier = '全失能', care_mode = '分散供养', caregiver = '{sealed}' WHERE id = '{}'",
                tekun.id
            ),
        );
        assert_eq!(
            env.t.db.migrate().unwrap(),
            reverted.len(),
            "{}",
            env.t.label
        );
        // Carried, not yet sealed: plain JSON with the old ciphertext beside it.
        let mut c = env.t.db.conn().unwrap();
        let carried = jiuzhu_storage::cases::carried_decisions(&mut c, 10).unwrap();
        drop(c);
        assert_eq!(carried.len(), 2, "{}", env.t.label);
        assert!(carried.iter().all(|d| d.action == "approve"));
        let t = carried.iter().find(|d| d.case_id == tekun.id).unwrap();
        assert!(t.payload.contains("全失能"));
        assert_eq!(t.legacy_caregiver.as_deref(), Some(sealed.as_str()));

        // Opening the database seals them.
        let registry = jiuzhu_app::open(env.t.db.clone(), env.ctx.regions.clone(), test_keys());
        let mut c = env.t.db.conn().unwrap();
        assert!(
            jiuzhu_storage::cases::carried_decisions(&mut c, 10)
                .unwrap()
                .is_empty()
        );
        let kept = jiuzhu_storage::cases::decisions(&mut c, &tekun.county, &tekun.id).unwrap();
        drop(c);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].record_version, 1);
        assert_eq!(kept[0].legacy_caregiver, None);
        assert!(
            !kept[0].payload.contains("全失能") && !kept[0].payload.contains("李照料"),
            "sealed: {}",
            kept[0].payload
        );

        // Shown as before.
        let who = env.scope("410502001");
        let lines = |id: &str| -> Vec<(String, String)> {
            cases::get(&registry, &cal, &who, "410502", id)
                .unwrap()
                .decision
                .into_iter()
                .map(|d| (d.label, d.value))
                .collect()
        };
        assert_eq!(
            lines(&dibao.id),
            [("复核周期".to_owned(), "每 12 个月".to_owned())]
        );
        assert_eq!(
            lines(&tekun.id),
            [
                ("护理等级".to_owned(), "全失能".to_owned()),
                ("供养方式".to_owned(), "分散供养".to_owned()),
                ("照料服务人".to_owned(), "李照料".to_owned()),
            ]
        );
        // A second start finds nothing to carry.
        assert_eq!(cases::seal_carried_decisions(&registry).unwrap(), 0);
    }
}
