//! S20, S22: The registry's use cases on SQLite and PostgreSQL: registration, validation, national
//! uniqueness of ID numbers, scope, search and pagination, optimistic locking and membership
//! history.

mod common;

use std::collections::HashSet;

use chrono::NaiveDate;
use common::*;
use common::{household, person};
use jiuzhu_app::AppError;
use jiuzhu_app::registry::*;

fn fields(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(v) => v.into_iter().map(|f| f.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn count(env: &Env) -> i64 {
    jiuzhu_app::registry::list(&env.ctx, &env.city(), &ListQuery::default())
        .unwrap()
        .total
}

#[test]
fn a_registered_household_reads_back_masked_with_its_members() {
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
        assert_eq!(v.household.member_count, 2, "{}", env.t.label);
        assert_eq!(v.household.head_name_masked, "张*");
        assert_eq!(
            v.household.region_path,
            "文峰区 / 东大街街道 / 楼东社区居委会"
        );
        assert_eq!(v.members[0].relation, "户主");
        let head_id = household(1).members[0].id_number.clone();
        assert_eq!(
            v.members[0].person.id_number_masked,
            format!("410502********{}", &head_id[14..])
        );
        assert_eq!(v.members[0].person.sex, "男");
        assert_eq!(v.members[1].person.sex, "女");
        let again =
            jiuzhu_app::registry::household(&env.ctx, &env.city(), &v.household.id).unwrap();
        assert_eq!(again.members.len(), 2);
    }
}

#[test]
fn invalid_fields_are_named_and_nothing_is_written() {
    for env in envs() {
        let mut h = household(1);
        h.region_code = "4105020010".into();
        h.members[0].id_number = "410502198001011230".into();
        h.members[1].disability_category = "肢体".into();
        h.members[1].phone = "12345".into();
        let f =
            fields(jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &h).unwrap_err());
        assert!(f.contains(&"region_code".to_string()), "{f:?}");
        assert!(f.contains(&"members[0].id_number".to_string()), "{f:?}");
        assert!(
            f.contains(&"members[1].disability_grade".to_string()),
            "{f:?}"
        );
        assert!(f.contains(&"members[1].phone".to_string()), "{f:?}");
        assert_eq!(count(&env), 0, "{}: nothing may be written", env.t.label);
    }
}

#[test]
fn error_messages_are_in_chinese_and_english() {
    let env = envs().remove(0);
    let mut h = household(1);
    h.members[0].id_number = "410502198001011230".into();
    match jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &h).unwrap_err() {
        AppError::Invalid(v) => {
            let e = v
                .iter()
                .find(|e| e.field == "members[0].id_number")
                .unwrap();
            assert!(e.message.contains("校验码"), "{}", e.message);
            assert!(e.message_en.contains("check digit"), "{}", e.message_en);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_household_needs_exactly_one_head() {
    for env in envs() {
        let mut h = household(1);
        h.members[1].relation = "户主".into();
        assert!(
            fields(jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &h).unwrap_err())
                .contains(&"members".to_string())
        );
        h.members.clear();
        assert!(
            fields(jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &h).unwrap_err())
                .contains(&"members".to_string())
        );
    }
}

#[test]
fn an_id_number_is_registered_once_in_the_whole_country() {
    for env in envs() {
        jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
        let mut h = household(2);
        h.members[1].id_number = household(1).members[1].id_number.clone();
        let f =
            fields(jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &h).unwrap_err());
        assert_eq!(f, vec!["members[1].id_number"], "{}", env.t.label);
        // Even a user of another county cannot register it again.
        let mut elsewhere = household(3);
        elsewhere.region_code = "410581100200".into();
        elsewhere.members[0].id_number = household(1).members[0].id_number.clone();
        assert!(
            jiuzhu_app::registry::create_household(&env.ctx, &env.scope("410581"), &elsewhere)
                .is_err()
        );
        assert_eq!(count(&env), 1);
    }
}

#[test]
fn a_member_listed_twice_in_one_household_is_refused() {
    for env in envs() {
        let mut h = household(1);
        h.members[1].id_number = h.members[0].id_number.clone();
        let f =
            fields(jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &h).unwrap_err());
        assert!(f.contains(&"members[1].id_number".to_string()));
    }
}

#[test]
fn a_caseworker_sees_only_households_of_their_region() {
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
        let id = v.household.id;
        // Same township: visible. Other township, other county: not found (not "forbidden").
        assert!(jiuzhu_app::registry::household(&env.ctx, &env.scope("410502001"), &id).is_ok());
        assert!(matches!(
            jiuzhu_app::registry::household(&env.ctx, &env.scope("410502002"), &id),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            jiuzhu_app::registry::household(&env.ctx, &env.scope("410581"), &id),
            Err(AppError::NotFound)
        ));
        assert_eq!(
            jiuzhu_app::registry::list(&env.ctx, &env.scope("410502002"), &ListQuery::default())
                .unwrap()
                .total,
            0
        );
        assert_eq!(
            jiuzhu_app::registry::list(&env.ctx, &env.scope("410502001"), &ListQuery::default())
                .unwrap()
                .total,
            1
        );
        // Nor may one register a household outside one's region.
        let f = fields(
            jiuzhu_app::registry::create_household(
                &env.ctx,
                &env.scope("410502002"),
                &household(2),
            )
            .unwrap_err(),
        );
        assert_eq!(f, vec!["region_code"]);
        // Nor narrow a list to a region outside it.
        let q = ListQuery {
            region: Some("410581".into()),
            ..Default::default()
        };
        assert!(matches!(
            jiuzhu_app::registry::list(&env.ctx, &env.scope("410502"), &q),
            Err(AppError::Invalid(_))
        ));
    }
}

#[test]
fn search_finds_by_name_prefix_and_by_id_number() {
    for env in envs() {
        let a =
            jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
        let mut other = household(2);
        other.members[0].name = "王五".into();
        other.members[1].name = "赵六".into();
        jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &other).unwrap();
        let by_name = jiuzhu_app::registry::list(
            &env.ctx,
            &env.city(),
            &ListQuery {
                q: Some("李".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            by_name
                .items
                .iter()
                .map(|h| h.id.clone())
                .collect::<Vec<_>>(),
            vec![a.household.id.clone()],
            "{}",
            env.t.label
        );
        let by_id = jiuzhu_app::registry::list(
            &env.ctx,
            &env.city(),
            &ListQuery {
                q: Some(household(1).members[1].id_number.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(by_id.items.len(), 1);
        assert_eq!(by_id.items[0].id, a.household.id);
        // An ID number registered outside the scope finds nothing.
        let hidden = jiuzhu_app::registry::list(
            &env.ctx,
            &env.scope("410502002"),
            &ListQuery {
                q: Some(household(1).members[1].id_number.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(hidden.items.is_empty());
        // A wildcard is taken literally.
        let wild = jiuzhu_app::registry::list(
            &env.ctx,
            &env.city(),
            &ListQuery {
                q: Some("%".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            wild.total, 0,
            "'%' is an ordinary character, not a wildcard"
        );
        let full = jiuzhu_app::registry::list(
            &env.ctx,
            &env.city(),
            &ListQuery {
                q: Some("李四".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(full.total, 1, "a full name matches itself");
        let longer = jiuzhu_app::registry::list(
            &env.ctx,
            &env.city(),
            &ListQuery {
                q: Some("李四五".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            longer.total, 0,
            "a longer name is not a prefix of a shorter one"
        );
    }
}

#[test]
fn pages_cover_every_household_once_in_region_order() {
    for env in envs() {
        let mut ids = HashSet::new();
        for i in 0..23u16 {
            let mut h = household(i + 1);
            if i % 2 == 0 {
                h.region_code = "410502001002".into();
            }
            ids.insert(
                jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &h)
                    .unwrap()
                    .household
                    .id,
            );
        }
        let mut seen = vec![];
        let mut q = ListQuery {
            limit: Some(5),
            ..Default::default()
        };
        loop {
            let page = jiuzhu_app::registry::list(&env.ctx, &env.city(), &q).unwrap();
            assert_eq!(page.total, 23);
            assert!(page.items.len() <= 5);
            seen.extend(
                page.items
                    .iter()
                    .map(|h| (h.region_code.clone(), h.id.clone())),
            );
            match page.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(seen.len(), 23, "{}", env.t.label);
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted, "list order is (region, id)");
        assert_eq!(
            seen.iter().map(|s| s.1.clone()).collect::<HashSet<_>>(),
            ids
        );
        let bad = ListQuery {
            cursor: Some("nonsense".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(jiuzhu_app::registry::list(&env.ctx, &env.city(), &bad).unwrap_err()),
            vec!["cursor"]
        );
    }
}

#[test]
fn a_stale_edit_is_refused_and_the_fresh_one_wins() {
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
        let edit = HouseholdEdit {
            region_code: "410502001002".into(),
            address: "新地址1号".into(),
            version: v.version,
        };
        let saved =
            jiuzhu_app::registry::update_household(&env.ctx, &env.city(), &v.household.id, &edit)
                .unwrap();
        assert_eq!(saved.household.address, "新地址1号");
        let stale = HouseholdEdit {
            address: "另一个地址".into(),
            ..edit
        };
        assert!(matches!(
            jiuzhu_app::registry::update_household(&env.ctx, &env.city(), &v.household.id, &stale),
            Err(AppError::Conflict(_))
        ));
        assert_eq!(
            jiuzhu_app::registry::household(&env.ctx, &env.city(), &v.household.id)
                .unwrap()
                .household
                .address,
            "新地址1号"
        );
    }
}

#[test]
fn moving_a_household_to_another_county_is_refused() {
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
        let edit = HouseholdEdit {
            region_code: "410581100200".into(),
            address: "x".into(),
            version: v.version,
        };
        assert_eq!(
            fields(
                jiuzhu_app::registry::update_household(
                    &env.ctx,
                    &env.city(),
                    &v.household.id,
                    &edit
                )
                .unwrap_err()
            ),
            vec!["region_code"]
        );
    }
}

#[test]
fn membership_history_answers_who_was_in_the_household_on_a_date() {
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
        let hid = v.household.id.clone();
        let child = AddMember {
            person: person("张小明", &id("410502", 2020, 6, 1, 11), "子女"),
            joined_on: "2020-06-01".into(),
            reason: "出生".into(),
            version: v.version,
        };
        let v = jiuzhu_app::registry::add_member(&env.ctx, &env.city(), &hid, &child).unwrap();
        assert_eq!(v.household.member_count, 3, "{}", env.t.label);
        let spouse_id = v
            .members
            .iter()
            .find(|m| m.relation == "配偶")
            .unwrap()
            .person
            .id
            .clone();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = jiuzhu_domain::time::today();
        // Head and spouse joined on registration (today); the child in 2020.
        let on_2024 =
            jiuzhu_app::registry::members_on(&env.ctx, &env.city(), &hid, d(2024, 1, 1)).unwrap();
        assert_eq!(
            on_2024
                .iter()
                .map(|m| m.relation.as_str())
                .collect::<Vec<_>>(),
            vec!["子女"],
            "{}",
            env.t.label
        );
        // Leaving before joining, or in the future, is refused.
        let early = RemoveMember {
            left_on: "2025-03-01".into(),
            reason: "离婚迁出".into(),
            version: v.version,
        };
        assert_eq!(
            fields(
                jiuzhu_app::registry::remove_member(
                    &env.ctx,
                    &env.city(),
                    &hid,
                    &spouse_id,
                    &early
                )
                .unwrap_err()
            ),
            vec!["left_on"]
        );
        let future = RemoveMember {
            left_on: (today + chrono::Duration::days(1)).to_string(),
            ..early.clone()
        };
        assert_eq!(
            fields(
                jiuzhu_app::registry::remove_member(
                    &env.ctx,
                    &env.city(),
                    &hid,
                    &spouse_id,
                    &future
                )
                .unwrap_err()
            ),
            vec!["left_on"]
        );
        let rm = RemoveMember {
            left_on: today.to_string(),
            ..early
        };
        let v = jiuzhu_app::registry::remove_member(&env.ctx, &env.city(), &hid, &spouse_id, &rm)
            .unwrap();
        assert_eq!(v.household.member_count, 2);
        assert_eq!(v.history.len(), 3, "history keeps everyone");
        assert_eq!(
            v.history
                .iter()
                .find(|m| m.person.id == spouse_id)
                .unwrap()
                .leave_reason,
            "离婚迁出"
        );
        let now = jiuzhu_app::registry::members_on(&env.ctx, &env.city(), &hid, today).unwrap();
        assert_eq!(
            now.len(),
            2,
            "left_on is exclusive: the spouse is no longer a member that day"
        );
        assert!(now.iter().all(|m| m.person.id != spouse_id));
        // A stale version is refused; the head cannot be removed while others remain.
        assert!(matches!(
            jiuzhu_app::registry::add_member(&env.ctx, &env.city(), &hid, &child),
            Err(AppError::Invalid(_)) | Err(AppError::Conflict(_))
        ));
        let head_id = v
            .members
            .iter()
            .find(|m| m.relation == "户主")
            .unwrap()
            .person
            .id
            .clone();
        let rm_head = RemoveMember {
            left_on: String::new(),
            reason: "迁出".into(),
            version: v.version,
        };
        assert!(matches!(
            jiuzhu_app::registry::remove_member(&env.ctx, &env.city(), &hid, &head_id, &rm_head),
            Err(AppError::Conflict(_))
        ));
        let no_reason = RemoveMember {
            left_on: String::new(),
            reason: " ".into(),
            version: v.version,
        };
        assert_eq!(
            fields(
                jiuzhu_app::registry::remove_member(
                    &env.ctx,
                    &env.city(),
                    &hid,
                    &head_id,
                    &no_reason
                )
                .unwrap_err()
            ),
            vec!["reason"]
        );
    }
}

#[test]
fn a_second_head_cannot_be_added() {
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
        let add = AddMember {
            person: person("王二", &id("410502", 1990, 1, 1, 21), "户主"),
            version: v.version,
            ..Default::default()
        };
        assert_eq!(
            fields(
                jiuzhu_app::registry::add_member(&env.ctx, &env.city(), &v.household.id, &add)
                    .unwrap_err()
            ),
            vec!["person.relation"]
        );
    }
}

#[test]
fn a_person_edit_keeps_the_id_number_and_checks_the_version() {
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
        let pid = v.members[0].person.id.clone();
        let (_, row, hh) = jiuzhu_app::registry::person(&env.ctx, &env.city(), &pid).unwrap();
        assert_eq!(hh.as_deref(), Some(v.household.id.as_str()));
        let mut input = person("张三丰", "110105194912310021", "户主");
        input.disability_category = "视力".into();
        input.disability_grade = "一级".into();
        let saved = jiuzhu_app::registry::update_person(
            &env.ctx,
            &env.city(),
            &pid,
            &PersonEdit {
                person: input.clone(),
                version: row.version,
            },
        )
        .unwrap();
        assert_eq!(saved.name_masked, "张*丰");
        assert_eq!(saved.disability, "视力 1级");
        let original = household(1).members[0].id_number.clone();
        assert_eq!(
            saved.id_number_masked,
            format!("410502********{}", &original[14..]),
            "the ID number is not changed by an edit"
        );
        let h = jiuzhu_app::registry::household(&env.ctx, &env.city(), &v.household.id).unwrap();
        assert_eq!(
            h.household.head_name_masked, "张*丰",
            "the list's head name follows the edit"
        );
        assert!(matches!(
            jiuzhu_app::registry::update_person(
                &env.ctx,
                &env.city(),
                &pid,
                &PersonEdit {
                    person: input,
                    version: row.version
                }
            ),
            Err(AppError::Conflict(_))
        ));
        assert!(matches!(
            jiuzhu_app::registry::person(&env.ctx, &env.scope("410581"), &pid),
            Err(AppError::NotFound)
        ));
    }
}

#[test]
fn economic_records_are_kept_in_fen_and_validated() {
    for env in envs() {
        let v =
            jiuzhu_app::registry::create_household(&env.ctx, &env.city(), &household(1)).unwrap();
        let pid = v.members[0].person.id.clone();
        let rec = EconomicRecordInput {
            person_id: pid,
            category: "工资性收入".into(),
            period_start: "2026-01-01".into(),
            period_end: "2026-06-30".into(),
            amount: "7,200.50".into(),
            ..Default::default()
        };
        let v =
            jiuzhu_app::registry::add_economic_record(&env.ctx, &env.city(), &v.household.id, &rec)
                .unwrap();
        assert_eq!(v.economic_records[0].amount_fen, 720_050);
        assert_eq!(v.economic_records[0].kind, "收入");
        let bad = EconomicRecordInput {
            amount: "12.345".into(),
            period_end: "2025-01-01".into(),
            ..rec.clone()
        };
        let f = fields(
            jiuzhu_app::registry::add_economic_record(&env.ctx, &env.city(), &v.household.id, &bad)
                .unwrap_err(),
        );
        assert!(
            f.contains(&"amount".to_string()) && f.contains(&"period_end".to_string()),
            "{f:?}"
        );
        let stranger = EconomicRecordInput {
            person_id: "nobody".into(),
            ..rec
        };
        assert_eq!(
            fields(
                jiuzhu_app::registry::add_economic_record(
                    &env.ctx,
                    &env.city(),
                    &v.household.id,
                    &stranger
                )
                .unwrap_err()
            ),
            vec!["person_id"]
        );
    }
}
