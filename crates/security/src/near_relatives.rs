//! 近亲属备案 (POLICY-FACTS §1.2; 民政部 低保审核确认办法 art. 7): staff who handle assistance
//! declare their near relatives, and any household containing one is flagged, so its
//! application is handled separately (intake routes it) and the decision is on record.

use jiuzhu_domain::{Permission, ResidentId};
use jiuzhu_kernel::Context;
use jiuzhu_storage::accounts as store;
use jiuzhu_storage::models::NearRelativeRow;
use serde::{Deserialize, Serialize};

use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Errors;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::masking::mask_id_number;
use jiuzhu_kernel::masking::mask_name;
use jiuzhu_kernel::sealing::id_key;
use jiuzhu_kernel::sealing::open_field;
use jiuzhu_kernel::sealing::seal_field;

/// Near relatives under 民法典 art. 1045.
pub const RELATIONS: &[&str] = &[
    "配偶",
    "父母",
    "子女",
    "兄弟姐妹",
    "祖父母",
    "外祖父母",
    "孙子女",
    "外孙子女",
];

/// A filing as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NearRelativeInput {
    /// The relative's name.
    pub name: String,
    /// The relative's ID number.
    pub id_number: String,
    /// Relation (配偶, 父母 …).
    pub relation: String,
}

/// A filing as shown to its owner.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NearRelativeView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Masked ID number.
    pub id_number_masked: String,
    /// Relation.
    pub relation: String,
    /// Filed at.
    pub filed_at: String,
    /// Withdrawn at (empty while in force).
    pub withdrawn_at: String,
}

/// A household member who is a staff member's near relative (shown to deciders).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StaffRelation {
    /// Staff member's name.
    pub staff_name: String,
    /// Staff member's role.
    pub staff_role: String,
    /// Staff member's region path.
    pub staff_region: String,
    /// The relative's masked name.
    pub relative_name_masked: String,
    /// Relation.
    pub relation: String,
}

/// Files one of the actor's near relatives.
pub fn file_near_relative(
    ctx: &Context,
    who: &Actor,
    input: &NearRelativeInput,
) -> Result<NearRelativeView, AppError> {
    who.require(Permission::FileNearRelatives)?;
    let user_id = who.user_id.clone().ok_or(AppError::NotFound)?;
    let mut errs = Errors::default();
    let name = input.name.trim();
    if name.is_empty() {
        errs.push("name", "姓名必须填写", "name is required");
    }
    let id = match ResidentId::parse_on(input.id_number.trim(), jiuzhu_domain::time::today()) {
        Ok(id) => Some(id),
        Err(e) => {
            errs.push("id_number", e.to_string(), e.en());
            None
        }
    };
    let relation = input.relation.trim();
    if !RELATIONS.contains(&relation) {
        errs.push(
            "relation",
            format!("应为以下之一：{}", RELATIONS.join("、")),
            "not a near relation",
        );
    }
    errs.finish(())?;
    let id = id.expect("checked");
    let row = NearRelativeRow {
        id: jiuzhu_storage::ids::new_id(),
        user_id,
        relative_name: name.to_owned(),
        relation: relation.to_owned(),
        id_key: id_key(&ctx.keys, &id),
        id_number: seal_field(&ctx.keys, "near_relatives.id_number", id.as_str()),
        filed_at: jiuzhu_domain::time::now(),
        withdrawn_at: None,
    };
    let mut conn = ctx.db.conn()?;
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        store::insert_near_relative(c, &row)?;
        ctx.filings.invalidate();
        ctx.audit.record(
            c,
            who,
            Event::new(
                "near_relative.file",
                "near_relative",
                &row.id,
                &who.region.to_string(),
            )
            .detail(serde_json::json!({"relation": relation, "id_number": id.masked()})),
        )
    })?;
    Ok(crate::near_relatives::near_relative_view(ctx, &row))
}

fn near_relative_view(ctx: &Context, r: &NearRelativeRow) -> NearRelativeView {
    NearRelativeView {
        id: r.id.clone(),
        name: r.relative_name.clone(),
        id_number_masked: open_field(&ctx.keys, "near_relatives.id_number", &r.id_number)
            .map(|s| mask_id_number(&s))
            .unwrap_or_else(|_| jiuzhu_kernel::masking::TAMPERED.into()),
        relation: r.relation.clone(),
        filed_at: r.filed_at.format("%Y-%m-%d").to_string(),
        withdrawn_at: r
            .withdrawn_at
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    }
}

/// The actor's own filings, withdrawn ones included.
pub fn my_near_relatives(ctx: &Context, who: &Actor) -> Result<Vec<NearRelativeView>, AppError> {
    let user_id = who.user_id.as_deref().ok_or(AppError::NotFound)?;
    let mut conn = ctx.db.conn()?;
    Ok(store::near_relatives_of(&mut conn, user_id)?
        .iter()
        .map(|r| crate::near_relatives::near_relative_view(ctx, r))
        .collect())
}

/// Withdraws one of the actor's filings (kept on record with the date).
pub fn withdraw_near_relative(ctx: &Context, who: &Actor, id: &str) -> Result<(), AppError> {
    let user_id = who.user_id.as_deref().ok_or(AppError::NotFound)?;
    let mut conn = ctx.db.conn()?;
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        store::withdraw_near_relative(c, user_id, id, jiuzhu_domain::time::now())?;
        ctx.filings.invalidate();
        ctx.audit.record(
            c,
            who,
            Event::new(
                "near_relative.withdraw",
                "near_relative",
                id,
                &who.region.to_string(),
            ),
        )
    })
}

/// Staff relations of these persons (their sealed ID numbers opened and keyed here): how
/// an application is flagged when it is filed.
pub fn staff_relations_of(
    ctx: &Context,
    conn: &mut jiuzhu_storage::DbConnection,
    persons: &[&jiuzhu_storage::models::PersonRow],
) -> Result<Vec<StaffRelation>, AppError> {
    let keys = persons
        .iter()
        .map(|p| -> Result<(String, String), AppError> {
            let id = open_field(&ctx.keys, "persons.id_number", &p.id_number)?;
            let id = ResidentId::parse(&id)
                .map_err(|e| AppError::Conflict(format!("身份证号无效：{e}")))?;
            Ok((id_key(&ctx.keys, &id), p.name.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    crate::near_relatives::staff_relations(ctx, conn, &keys)
}

/// Staff relations of people with these ID numbers (for flagging a household).
pub fn staff_relations(
    ctx: &Context,
    conn: &mut jiuzhu_storage::DbConnection,
    ids: &[(String, String)],
) -> Result<Vec<StaffRelation>, AppError> {
    let filed = ctx.filings.get(conn)?;
    let keys: Vec<String> = ids
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| filed.contains(k))
        .collect();
    if keys.is_empty() {
        return Ok(vec![]);
    }
    let found = store::near_relatives_matching(conn, &keys)?;
    Ok(found
        .into_iter()
        .map(|(r, u)| StaffRelation {
            staff_name: u.display_name,
            staff_role: jiuzhu_domain::Role::parse(&u.role)
                .map(jiuzhu_domain::Role::zh)
                .unwrap_or("?")
                .to_owned(),
            staff_region: jiuzhu_domain::RegionCode::parse(&u.region_code)
                .map(|c| ctx.regions.path(&c))
                .unwrap_or_default(),
            relative_name_masked: ids
                .iter()
                .find(|(k, _)| *k == r.id_key)
                .map(|(_, n)| mask_name(n))
                .unwrap_or_default(),
            relation: r.relation,
        })
        .collect())
}
