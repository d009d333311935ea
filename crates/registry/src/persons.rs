//! The registry's people: a person's file, the reveal of full personal data with a reason,
//! and edits — each audited, sensitive values sealed and masked in the log.

use jiuzhu_domain::Permission;
use jiuzhu_kernel::Context;
use jiuzhu_storage::models::*;
use jiuzhu_storage::{households, persons};
use serde::Serialize;
use utoipa::ToSchema;

use super::sealing::*;
use super::service::*;
use super::views::*;
use jiuzhu_crypto::Keys;
use jiuzhu_domain::{RegionCode, Scope};
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Errors;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::masking::*;
use jiuzhu_kernel::sealing::*;

/// A person's file, for someone allowed to read it (audited, as is a miss).
pub fn person(
    ctx: &Context,
    who: &Actor,
    id: &str,
) -> Result<(PersonView, PersonRow, Option<String>), AppError> {
    who.require(Permission::ViewRegistry)?;
    match load_person(ctx, &who.scope, id) {
        Ok(found) => {
            ctx.audit.record_view(
                &ctx.db,
                who,
                Event::new("person.view", "person", id, &found.1.residence_region_code),
            )?;
            Ok(found)
        }
        Err(AppError::NotFound) => {
            crate::audit_miss(ctx, who, "person.view", "person", id)?;
            Err(AppError::NotFound)
        }
        Err(e) => Err(e),
    }
}

/// Reveals a person's full name, ID number, phone, bank account and illness: needs the
/// permission and a reason, and is audited with the reason (S22, PIPL art. 28: sensitive
/// personal information only when necessary).
pub fn reveal_person(
    ctx: &Context,
    who: &Actor,
    id: &str,
    reason: &str,
) -> Result<RevealedPerson, AppError> {
    who.require(Permission::RevealPersonal)?;
    let (_, row, _) = match load_person(ctx, &who.scope, id) {
        Err(AppError::NotFound) => {
            crate::audit_miss(ctx, who, "person.reveal", "person", id)?;
            return Err(AppError::NotFound);
        }
        other => other?,
    };
    let reason = reason.trim();
    if reason.chars().count() < 2 || reason.chars().count() > 200 {
        return Err(AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
            "reason",
            "请填写查看完整信息的理由（2–200 字）",
            "give a reason (2–200 characters)",
        )]));
    }
    let clear = |column: &str, v: &Option<String>| -> Result<String, AppError> {
        v.as_deref()
            .map(|s| open(&ctx.keys, column, s))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    let revealed = RevealedPerson {
        name: row.name.clone(),
        id_number: open(&ctx.keys, "id_number", &row.id_number)?,
        phone: clear("phone", &row.phone)?,
        bank_name: row.bank_name.clone().unwrap_or_default(),
        bank_account: clear("bank_account", &row.bank_account)?,
        serious_illness: clear("serious_illness", &row.serious_illness)?,
    };
    ctx.audit.record_alone(
        &ctx.db,
        who,
        Event::new("person.reveal", "person", id, &row.residence_region_code).reason(reason),
    )?;
    Ok(revealed)
}

/// A person without audit (internal: edits, after writes).
pub(super) fn load_person(
    ctx: &Context,
    scope: &Scope,
    id: &str,
) -> Result<(PersonView, PersonRow, Option<String>), AppError> {
    let mut conn = ctx.conn()?;
    for county in scope.counties() {
        match persons::get(&mut conn, scope, county, id) {
            Ok(p) => {
                let hh =
                    households::current_household_of(&mut conn, scope, county, id)?.map(|h| h.id);
                return Ok((
                    PersonView::from_row(&ctx.keys, &p, &ctx.regions, jiuzhu_domain::time::today()),
                    p,
                    hh,
                ));
            }
            Err(jiuzhu_storage::StorageError::NotFound) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::NotFound)
}

/// Edits a person (everything but the ID number).
pub fn update_person(
    ctx: &Context,
    who: &Actor,
    id: &str,
    edit: &PersonEdit,
) -> Result<PersonView, AppError> {
    let scope = &who.scope;
    who.require(Permission::EditRegistry)?;
    let (_, current, _) = load_person(ctx, scope, id)?;
    let mut input = edit.person.clone();
    input.id_number = open(&ctx.keys, "id_number", &current.id_number)?;
    // Sensitive fields are not sent to the form: empty keeps the stored value, "-" clears.
    for (column, typed, stored) in [
        ("phone", &mut input.phone, &current.phone),
        (
            "bank_account",
            &mut input.bank_account,
            &current.bank_account,
        ),
        (
            "serious_illness",
            &mut input.serious_illness,
            &current.serious_illness,
        ),
    ] {
        match typed.trim() {
            "" => {
                *typed = match stored {
                    Some(v) => open(&ctx.keys, column, v)?,
                    None => String::new(),
                }
            }
            "-" => typed.clear(),
            _ => {}
        }
    }
    // The edit form does not carry the name either (the reveal control): empty keeps it.
    if input.name.trim().is_empty() {
        input.name = current.name.clone();
    }
    if input.relation.trim().is_empty() {
        input.relation = "other".into();
    }
    let home = RegionCode::parse(&current.residence_region_code).map_err(|_| AppError::NotFound)?;
    let mut errs = Errors::default();
    let parsed = input.parse(&mut errs, "", &home, jiuzhu_domain::time::today());
    errs.finish(())?;
    let p = parsed.expect("checked");
    if !scope.contains(&p.residence_region)
        || p.residence_region.county_code() != Some(current.county_code.as_str())
    {
        return Err(AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
            "residence_region_code",
            "居住地须在本辖区、本县内",
            "residence must stay inside your area and county",
        )]));
    }
    let mut row = person_row(
        &ctx.keys,
        &current.county_code,
        &current.id,
        &p,
        current.created_at,
    );
    row.version = edit.version;
    let changes = person_changes(&ctx.keys, &current, &row);
    let mut conn = ctx.conn()?;
    let saved = jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<PersonRow, AppError> {
        let saved = persons::update(c, scope, &row)?;
        ctx.audit.record(
            c,
            who,
            Event::new("person.update", "person", id, &saved.residence_region_code).detail(changes),
        )?;
        Ok(saved)
    })?;
    Ok(PersonView::from_row(
        &ctx.keys,
        &saved,
        &ctx.regions,
        jiuzhu_domain::time::today(),
    ))
}

/// A person's full personal data, shown only after a reason was given (and audited).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevealedPerson {
    /// Full name.
    pub name: String,
    /// Full ID number.
    pub id_number: String,
    /// Phone.
    pub phone: String,
    /// Bank.
    pub bank_name: String,
    /// Bank account.
    pub bank_account: String,
    /// Serious illness.
    pub serious_illness: String,
}

/// What an edit changed, old → new, for the audit log: the person as it may be recorded —
/// phone and account opened only to be masked, the illness only noted as changed, the ID
/// number (which an edit cannot change) and the bookkeeping left out.
fn person_changes(keys: &Keys, old: &PersonRow, new: &PersonRow) -> serde_json::Value {
    let recorded = |r: &PersonRow| {
        let masked = |column: &str, v: &Option<String>| {
            v.as_deref().map(|s| {
                open(keys, column, s)
                    .map(|c| mask_tail(&c, 4))
                    .unwrap_or_default()
            })
        };
        PersonRow {
            phone: masked("phone", &r.phone),
            bank_account: masked("bank_account", &r.bank_account),
            ..r.clone()
        }
    };
    let mut changes = jiuzhu_kernel::audit::changes::changes(
        &recorded(old),
        &recorded(new),
        &[
            "county_code",
            "id",
            "id_number",
            "sex",
            "birth_date",
            "serious_illness",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let illness = |v: &Option<String>| {
        v.as_deref()
            .map(|s| open(keys, "serious_illness", s).unwrap_or_default())
            .unwrap_or_default()
    };
    if illness(&old.serious_illness) != illness(&new.serious_illness) {
        changes["serious_illness"] = serde_json::json!("changed");
    }
    changes
}
