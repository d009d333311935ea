//! The registry's use cases. Each runs in one transaction on one county, inside the caller's
//! `Scope`; a failure writes nothing.

use jiuzhu_kernel::Context;

use chrono::NaiveDate;
use jiuzhu_domain::person::Relation;
use jiuzhu_domain::{RegionCode, ResidentId, Scope};
use jiuzhu_storage::bulk::HouseholdBatch;
use jiuzhu_storage::households::{self, Cursor, HouseholdFilter};
use jiuzhu_storage::models::*;
use jiuzhu_storage::{DbConnection, ids, persons};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::input::*;
use super::sealing::*;
use super::views::*;
use jiuzhu_crypto::Keys;
use jiuzhu_domain::Permission;
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Errors;
use jiuzhu_kernel::audit::{Event, Outcome};
use jiuzhu_kernel::sealing::*;

/// Households at most on one list page.
pub const MAX_PAGE: i64 = 200;
/// The list counts matches up to this many.
pub const COUNT_CAP: i64 = 10_000;

/// Query of the household list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, IntoParams)]
#[serde(default)]
pub struct ListQuery {
    /// Name prefix of any current member, or a full ID number.
    pub q: Option<String>,
    /// Region code to narrow to (township or village).
    pub region: Option<String>,
    /// `active` / `closed`.
    pub status: Option<String>,
    /// At least this many members.
    pub min_members: Option<i32>,
    /// Cursor from the previous page.
    pub cursor: Option<String>,
    /// Page size (1–200, default 50).
    pub limit: Option<i64>,
}

/// Editable household fields.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct HouseholdEdit {
    /// Region code.
    pub region_code: String,
    /// Address.
    pub address: String,
    /// The version that was read (optimistic locking).
    pub version: i32,
}

/// A new member joining a household.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AddMember {
    /// The person.
    pub person: PersonInput,
    /// Joined on YYYY-MM-DD (default today).
    pub joined_on: String,
    /// Why (出生, 婚入, 迁入 …).
    pub reason: String,
    /// The household version that was read.
    pub version: i32,
}

/// A member leaving a household.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RemoveMember {
    /// Left on YYYY-MM-DD (default today).
    pub left_on: String,
    /// Why (死亡, 婚出, 迁出, 分户 …).
    pub reason: String,
    /// The household version that was read.
    pub version: i32,
}

/// A person edit: the fields and the version read.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PersonEdit {
    /// The fields (the ID number cannot be changed here).
    pub person: PersonInput,
    /// The version that was read.
    pub version: i32,
}

/// Builds the rows of a new household (one county) from parsed input.
pub fn household_batch(
    keys: &Keys,
    h: &ValidHousehold,
    joined_on: NaiveDate,
    reason: &str,
) -> HouseholdBatch {
    let now = jiuzhu_domain::time::now();
    let county = h
        .region
        .county_code()
        .expect("household regions are township or village")
        .to_owned();
    let household_id = ids::new_id();
    let mut batch = HouseholdBatch::default();
    let mut head: Option<(String, String)> = None;
    for m in &h.members {
        let pid = ids::new_id();
        if m.relation == Relation::Head {
            head = Some((pid.clone(), m.name.clone()));
        }
        batch.identities.push(PersonIdentityRow {
            id_key: id_key(keys, &m.id),
            person_id: pid.clone(),
            county_code: county.clone(),
            registered_at: now,
        });
        batch.persons.push(person_row(keys, &county, &pid, m, now));
        batch.memberships.push(MembershipRow {
            county_code: county.clone(),
            id: ids::new_id(),
            household_id: household_id.clone(),
            person_id: pid,
            relation: m.relation.code().to_owned(),
            joined_on,
            left_on: None,
            join_reason: reason.to_owned(),
            leave_reason: None,
            created_at: now,
        });
    }
    batch.households.push(HouseholdRow {
        county_code: county,
        id: household_id,
        region_code: h.region.to_string(),
        address: h.address.clone(),
        head_person_id: head.as_ref().map(|h| h.0.clone()),
        head_name: head.map(|h| h.1).unwrap_or_default(),
        member_count: h.members.len() as i32,
        status: "active".into(),
        created_at: now,
        updated_at: now,
        version: 1,
    });
    batch
}

pub(super) fn parse_day(field: &str, s: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    if s.trim().is_empty() {
        return Ok(today);
    }
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
            field,
            "应为有效日期 YYYY-MM-DD",
            "expected a date YYYY-MM-DD",
        )])
    })
}

/// Whether an ID number is registered already, and the message that says so (issue 15
/// F16). A second registration is refused anywhere in the country, but only a registration
/// inside the actor's region is named as such; elsewhere the answer sends the caller to the
/// county bureau without saying where. Every hit is audited, so probing numbers one by one
/// leaves a trail. Call it outside a transaction (the audit entry must stay when the caller
/// then refuses).
pub(crate) fn id_taken(
    ctx: &Context,
    conn: &mut DbConnection,
    who: &Actor,
    id: &jiuzhu_domain::ResidentId,
    own_household_hint: &'static str,
) -> Result<Option<&'static str>, AppError> {
    let Some(ident) = persons::identity(conn, &id_key(&ctx.keys, id))? else {
        return Ok(None);
    };
    let inside = persons::find_by_id_key(conn, &who.scope, &ident.id_key)?.is_some();
    ctx.audit.record(
        conn,
        who,
        Event::new(
            "person.id_exists",
            "person",
            if inside { &ident.person_id } else { "" },
            &who.region.to_string(),
        )
        .outcome(jiuzhu_kernel::audit::Outcome::Denied)
        .detail(
            serde_json::json!({"id_number": jiuzhu_kernel::masking::mask_id_number(id.as_str()),
            "inside_scope": inside}),
        ),
    )?;
    Ok(Some(if inside {
        own_household_hint
    } else {
        "该身份证号无法在此登记，请联系县级民政部门核实"
    }))
}

/// Refuses a duplicate ID number with the field named, before any write.
pub(super) fn check_not_registered(
    ctx: &Context,
    conn: &mut DbConnection,
    who: &Actor,
    h: &ValidHousehold,
    input: &HouseholdInput,
) -> Result<(), AppError> {
    let mut errs = Errors::default();
    for m in &h.members {
        if let Some(msg) = crate::id_taken(
            ctx,
            conn,
            who,
            &m.id,
            "该身份证号已登记，请在原家庭中查找或办理迁移",
        )? {
            let i = input
                .members
                .iter()
                .position(|p| p.id_number.trim().eq_ignore_ascii_case(m.id.as_str()))
                .unwrap_or(0);
            errs.push(
                format!("members[{i}].id_number"),
                msg,
                "ID number cannot be registered here",
            );
        }
    }
    errs.finish(())
}

/// Registers a new household with its members (S20: entered once, reused everywhere).
pub fn create_household(
    ctx: &Context,
    who: &Actor,
    input: &HouseholdInput,
) -> Result<HouseholdView, AppError> {
    let scope = &who.scope;
    who.require(Permission::EditRegistry)?;
    let today = jiuzhu_domain::time::today();
    let h = input.parse(&ctx.regions, today)?;
    if !scope.contains(&h.region) {
        return Err(AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
            "region_code",
            "只能登记本辖区内的家庭",
            "region is outside your area",
        )]));
    }
    let mut conn = ctx.conn()?;
    crate::check_not_registered(ctx, &mut conn, who, &h, input)?;
    let batch = household_batch(&ctx.keys, &h, today, "登记");
    let hh = &batch.households[0];
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        households::create(c, scope, &batch)?;
        ctx.audit.record(
            c,
            who,
            Event::new("household.create", "household", &hh.id, &hh.region_code).detail(
                serde_json::json!({"address": hh.address, "members": batch.persons.len(),
                    "id_numbers": h.members.iter().map(|m| m.id.masked()).collect::<Vec<_>>()}),
            ),
        )
    })?;
    drop(conn);
    crate::load_household(ctx, scope, &hh.id)
}

/// A household's file (members, history, records), for someone allowed to read it: the
/// view is audited, and so is a look for a file outside the actor's region (answered as
/// not found). Deciders also see near-relative flags.
pub fn household(ctx: &Context, who: &Actor, id: &str) -> Result<HouseholdView, AppError> {
    who.require(Permission::ViewRegistry)?;
    let (mut v, current) = match crate::load_household_keyed(ctx, &who.scope, id) {
        Ok(v) => v,
        Err(AppError::NotFound) => {
            crate::audit_miss(ctx, who, "household.view", "household", id)?;
            return Err(AppError::NotFound);
        }
        Err(e) => return Err(e),
    };
    if who.can(Permission::ViewNearRelatives) {
        // Only deciders see the flags, so only they pay for the lookup keys.
        let member_keys: Vec<(String, String)> = current
            .into_iter()
            .filter_map(|(sealed, name)| {
                let id = ResidentId::parse(&open(&ctx.keys, "id_number", &sealed).ok()?).ok()?;
                Some((id_key(&ctx.keys, &id), name))
            })
            .collect();
        v.near_relative_flags =
            jiuzhu_security::near_relatives::staff_relations(ctx, &mut *ctx.conn()?, &member_keys)?;
    }
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new("household.view", "household", id, &v.household.region_code),
    )?;
    Ok(v)
}

/// Records a look for a record that is not in the actor's region (or does not exist).
pub(super) fn audit_miss(
    ctx: &Context,
    who: &Actor,
    action: &str,
    kind: &str,
    id: &str,
) -> Result<(), AppError> {
    ctx.audit.record_alone(
        &ctx.db,
        who,
        Event::new(action, kind, id, &who.region.to_string())
            .outcome(Outcome::Denied)
            .detail(serde_json::json!({"why": "not found in the actor's region"})),
    )
}

/// A household's file without audit (after a write, which is audited itself).
pub(super) fn load_household(
    ctx: &Context,
    scope: &Scope,
    id: &str,
) -> Result<HouseholdView, AppError> {
    Ok(crate::load_household_keyed(ctx, scope, id)?.0)
}

/// A household's file and its current members' (sealed ID number, name).
pub(super) fn load_household_keyed(
    ctx: &Context,
    scope: &Scope,
    id: &str,
) -> Result<(HouseholdView, Vec<(String, String)>), AppError> {
    let today = jiuzhu_domain::time::today();
    let mut conn = ctx.conn()?;
    // Four queries on one snapshot: the household, its membership history (current
    // members are those not yet left), its records and its outside supporters.
    let (h, history, records, supporters) =
        jiuzhu_storage::read_snapshot(&mut conn, |c| -> Result<_, jiuzhu_storage::StorageError> {
            let h = households::find(c, scope, id)?;
            let history = households::membership_history(c, scope, &h)?;
            let records = persons::economic::for_household(c, scope, &h)?;
            let supporters = jiuzhu_storage::supporters::for_household(c, scope, &h)?;
            Ok((h, history, records, supporters))
        })?;
    let mut members: Vec<MemberView> = history
        .iter()
        .filter(|(m, _)| m.left_on.is_none())
        .map(|(m, p)| MemberView::from_rows(&ctx.keys, m, p, &ctx.regions, today))
        .collect();
    members.sort_by_key(|m| m.relation != Relation::Head.zh());
    let current = history
        .iter()
        .filter(|(m, _)| m.left_on.is_none())
        .map(|(_, p)| (p.id_number.clone(), p.name.clone()))
        .collect();
    let history: Vec<MemberView> = history
        .iter()
        .map(|(m, p)| MemberView::from_rows(&ctx.keys, m, p, &ctx.regions, today))
        .collect();
    let economic_records = records
        .iter()
        .map(|r| EconomicRecordView::from_row(r, &history))
        .collect();
    let supporters = supporters
        .iter()
        .map(|r| super::SupporterView::from_row(&ctx.keys, r, &history))
        .collect::<Result<_, _>>()?;
    let view = HouseholdView {
        household: HouseholdSummary::from_row(&h, &ctx.regions),
        version: h.version,
        created_at: h.created_at.format("%Y-%m-%d %H:%M").to_string(),
        members,
        history,
        economic_records,
        supporters,
        near_relative_flags: vec![],
    };
    Ok((view, current))
}

/// Who belonged to a household on a date.
pub fn members_on(
    ctx: &Context,
    who: &Actor,
    id: &str,
    on: NaiveDate,
) -> Result<Vec<MemberView>, AppError> {
    let scope = &who.scope;
    who.require(Permission::ViewRegistry)?;
    let mut conn = ctx.conn()?;
    let h = households::find(&mut conn, scope, id)?;
    let rows = households::members(&mut conn, scope, &h.county_code, &h.id, Some(on))?;
    drop(conn);
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new("household.members_on", "household", id, &h.region_code)
            .detail(serde_json::json!({"on": on.to_string()})),
    )?;
    Ok(rows
        .iter()
        .map(|(m, p)| MemberView::from_rows(&ctx.keys, m, p, &ctx.regions, on))
        .collect())
}

/// One page of the household list.
pub fn list(ctx: &Context, who: &Actor, q: &ListQuery) -> Result<HouseholdPage, AppError> {
    who.require(Permission::ViewRegistry)?;
    let scope = &who.scope;
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let scope = match q.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => scope.clone(),
        Some(r) => {
            let code = RegionCode::parse(r).map_err(|e| {
                AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
                    "region",
                    e.to_string(),
                    e.en(),
                )])
            })?;
            scope.narrow(&code).ok_or_else(|| {
                AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
                    "region",
                    "所选区划不在您的辖区内",
                    "region outside your area",
                )])
            })?
        }
    };
    let mut filter = HouseholdFilter {
        status: q.status.clone().filter(|s| !s.is_empty()),
        min_members: q.min_members,
        ..Default::default()
    };
    let mut conn = ctx.conn()?;
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let looks_like_id = (text.len() == 18 || text.len() == 15)
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || c == 'x' || c == 'X');
        if looks_like_id {
            let id = ResidentId::parse(text).map_err(|e| {
                AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
                    "q",
                    e.to_string(),
                    e.en(),
                )])
            })?;
            let person = persons::find_by_id_key(&mut conn, &scope, &id_key(&ctx.keys, &id))?;
            let hh = match person {
                Some(p) => {
                    households::current_household_of(&mut conn, &scope, &p.county_code, &p.id)?
                }
                None => None,
            };
            // No match in scope: a filter that matches nothing.
            filter.household_id = Some(hh.map(|h| h.id).unwrap_or_else(|| "-".into()));
        } else {
            filter.name = Some(text.to_owned());
        }
    }
    let cursor = match q.cursor.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => Some(Cursor::decode(c).ok_or_else(|| {
            AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
                "cursor",
                "分页参数无效，请从第一页开始",
                "invalid cursor",
            )])
        })?),
    };
    let mut rows = households::list(&mut conn, &scope, &filter, cursor.as_ref(), limit)?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| {
            Cursor {
                region_code: r.region_code.clone(),
                id: r.id.clone(),
            }
            .encode()
        })
    } else {
        None
    };
    let total = households::count_capped(&mut conn, &scope, &filter, COUNT_CAP)?;
    Ok(HouseholdPage {
        items: rows
            .iter()
            .map(|r| HouseholdSummary::from_row(r, &ctx.regions))
            .collect(),
        next_cursor,
        total,
        total_capped_at: COUNT_CAP,
    })
}

/// Changes a household's address or region.
pub fn update_household(
    ctx: &Context,
    who: &Actor,
    id: &str,
    edit: &HouseholdEdit,
) -> Result<HouseholdView, AppError> {
    let scope = &who.scope;
    who.require(Permission::EditRegistry)?;
    let mut conn = ctx.conn()?;
    // Found first: a household outside the region is "not found", whatever the input.
    let mut h = households::find(&mut conn, scope, id)?;
    let mut errs = Errors::default();
    let region = parse_household_region(&mut errs, "region_code", &edit.region_code, &ctx.regions);
    let address = edit.address.trim();
    if address.is_empty() {
        errs.push("address", "家庭住址必须填写", "address is required");
    }
    errs.finish(())?;
    let region = region.expect("checked");
    if region.county_code() != Some(h.county_code.as_str()) {
        return Err(AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
            "region_code",
            "跨县迁移须在迁入县重新登记（原县注销），不能直接修改",
            "moving county means closing here and registering there",
        )]));
    }
    if !scope.contains(&region) {
        return Err(AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
            "region_code",
            "只能改到本辖区内",
            "region outside your area",
        )]));
    }
    let old = (h.region_code.clone(), h.address.clone());
    h.region_code = region.to_string();
    h.address = address.to_owned();
    h.version = edit.version;
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        households::update(c, scope, &h)?;
        ctx.audit.record(
            c,
            who,
            Event::new("household.update", "household", id, &h.region_code)
                .detail(serde_json::json!({"region_code": [old.0, h.region_code],
                    "address": [old.1, h.address]})),
        )
    })?;
    drop(conn);
    crate::load_household(ctx, scope, id)
}

/// Records an income, asset or expense item for a household.
pub fn add_economic_record(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
    input: &EconomicRecordInput,
) -> Result<HouseholdView, AppError> {
    let scope = &who.scope;
    who.require(Permission::EditRegistry)?;
    let mut conn = ctx.conn()?;
    let h = households::find(&mut conn, scope, household_id)?;
    let r = input.parse()?;
    if let Some(pid) = &r.person_id {
        let members = households::members(&mut conn, scope, &h.county_code, &h.id, None)?;
        if !members.iter().any(|(_, p)| &p.id == pid) {
            return Err(AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
                "person_id",
                "该人员不是本家庭现有成员",
                "not a current member",
            )]));
        }
    }
    let row = EconomicRecordRow {
        county_code: h.county_code.clone(),
        id: ids::new_id(),
        household_id: h.id.clone(),
        person_id: r.person_id,
        kind: r.category.kind().code().to_owned(),
        category: r.category.code().to_owned(),
        source: r.source,
        period_start: r.period.0,
        period_end: r.period.1,
        amount_fen: r.amount.fen(),
        note: r.note,
        recorded_at: jiuzhu_domain::time::now(),
    };
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        persons::economic::insert(c, scope, &row)?;
        ctx.audit.record(
            c,
            who,
            Event::new(
                "household.add_record",
                "household",
                household_id,
                &h.region_code,
            )
            .detail(
                serde_json::json!({"record_id": row.id, "category": row.category,
                    "amount_fen": row.amount_fen, "person_id": row.person_id,
                    "period": [row.period_start.to_string(), row.period_end.to_string()]}),
            ),
        )
    })?;
    drop(conn);
    crate::load_household(ctx, scope, household_id)
}
