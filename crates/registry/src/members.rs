//! Membership changes (S7: changes reported by households): a person joins a household (birth,
//! marriage, moving in) or leaves it (death, moving out), in one transaction, audited.

use jiuzhu_domain::Permission;
use jiuzhu_kernel::Context;
use jiuzhu_storage::models::*;
use jiuzhu_storage::{households, ids, persons};

use super::sealing::*;
use super::service::*;
use super::views::*;
use jiuzhu_domain::RegionCode;
use jiuzhu_domain::person::Relation;
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Errors;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::sealing::*;

/// Adds a new person to a household (birth, marriage, moving in).
pub fn add_member(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
    add: &AddMember,
) -> Result<HouseholdView, AppError> {
    let scope = &who.scope;
    who.require(Permission::EditRegistry)?;
    let today = jiuzhu_domain::time::today();
    let mut conn = ctx.conn()?;
    let h = households::find(&mut conn, scope, household_id)?;
    let home = RegionCode::parse(&h.region_code).map_err(|_| AppError::NotFound)?;
    let mut errs = Errors::default();
    let parsed = add.person.parse(&mut errs, "person.", &home, today);
    let joined_on = parse_day("joined_on", &add.joined_on, today);
    if let Err(AppError::Invalid(e)) = &joined_on {
        errs.0.extend(e.clone());
    }
    if let Some(p) = &parsed {
        if p.relation == Relation::Head {
            errs.push(
                "person.relation",
                "家庭已有户主；如需变更户主，请先编辑原户主",
                "the household already has a head",
            );
        }
        if let Some(msg) = crate::id_taken(
            ctx,
            &mut conn,
            who,
            &p.id,
            "该身份证号已登记，请在原家庭中办理迁出",
        )? {
            errs.push(
                "person.id_number",
                msg,
                "ID number cannot be registered here",
            );
        }
    }
    errs.finish(())?;
    let p = parsed.expect("checked");
    let now = jiuzhu_domain::time::now();
    let pid = ids::new_id();
    let row = person_row(&ctx.keys, &h.county_code, &pid, &p, now);
    let ident = PersonIdentityRow {
        id_key: id_key(&ctx.keys, &p.id),
        person_id: pid.clone(),
        county_code: h.county_code.clone(),
        registered_at: now,
    };
    let m = MembershipRow {
        county_code: h.county_code.clone(),
        id: ids::new_id(),
        household_id: h.id.clone(),
        person_id: pid,
        relation: p.relation.code().to_owned(),
        joined_on: joined_on?,
        left_on: None,
        join_reason: if add.reason.trim().is_empty() {
            "迁入".into()
        } else {
            add.reason.trim().to_owned()
        },
        leave_reason: None,
        created_at: now,
    };
    jiuzhu_storage::in_transaction(&mut conn, |conn| -> Result<(), AppError> {
        persons::insert(conn, scope, &row, &ident)?;
        households::add_membership(conn, scope, &m, add.version)?;
        ctx.audit.record(
            conn,
            who,
            Event::new(
                "household.add_member",
                "household",
                household_id,
                &h.region_code,
            )
            .detail(serde_json::json!({"person_id": m.person_id,
                    "id_number": p.id.masked(), "relation": m.relation,
                    "joined_on": m.joined_on.to_string(), "reason": m.join_reason})),
        )
    })?;
    drop(conn);
    crate::load_household(ctx, scope, household_id)
}

/// Ends a member's membership (the person stays registered; history is kept).
pub fn remove_member(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
    person_id: &str,
    rm: &RemoveMember,
) -> Result<HouseholdView, AppError> {
    let scope = &who.scope;
    who.require(Permission::EditRegistry)?;
    let today = jiuzhu_domain::time::today();
    let mut conn = ctx.conn()?;
    let h = households::find(&mut conn, scope, household_id)?;
    let left_on = parse_day("left_on", &rm.left_on, today)?;
    if rm.reason.trim().is_empty() {
        return Err(AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
            "reason",
            "请填写减员原因",
            "a reason is required",
        )]));
    }
    if left_on > today {
        return Err(AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
            "left_on",
            "减员日期不能晚于今天",
            "date is in the future",
        )]));
    }
    let current = households::members(&mut conn, scope, &h.county_code, &h.id, None)?;
    let Some((membership, _)) = current.iter().find(|(_, p)| p.id == person_id) else {
        return Err(AppError::NotFound);
    };
    if left_on < membership.joined_on {
        return Err(AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
            "left_on",
            format!("减员日期不能早于该成员的加入日期 {}", membership.joined_on),
            "leaving date is before the joining date",
        )]));
    }
    if h.head_person_id.as_deref() == Some(person_id) && h.member_count > 1 {
        return Err(AppError::Conflict("户主不能直接减员，请先变更户主".into()));
    }
    let end = households::MembershipEnd {
        person_id: person_id.to_owned(),
        left_on,
        reason: rm.reason.trim().to_owned(),
    };
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        households::end_membership(c, scope, &h.county_code, &h.id, &end, rm.version)?;
        ctx.audit.record(
            c,
            who,
            Event::new(
                "household.remove_member",
                "household",
                household_id,
                &h.region_code,
            )
            .detail(serde_json::json!({"person_id": person_id,
                    "left_on": left_on.to_string(), "reason": end.reason})),
        )
    })?;
    drop(conn);
    crate::load_household(ctx, scope, household_id)
}
