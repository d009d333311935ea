//! The registry's people: a person's file, the reveal of full personal data with a reason,
//! and edits — each audited, sensitive values sealed and masked in the log.

use jiuzhu_domain::Permission;
use jiuzhu_storage::models::*;
use jiuzhu_storage::{households, persons};
use serde::Serialize;
use utoipa::ToSchema;

use super::sealing::*;
use super::service::*;
use super::views::*;
use crate::AppError;
use crate::error::Errors;
use crate::security::Actor;
use crate::security::audit::Event;
use jiuzhu_crypto::Keys;
use jiuzhu_domain::{RegionCode, Scope};

impl Registry {
    /// A person's file, for someone allowed to read it (audited, as is a miss).
    pub fn person(
        &self,
        who: &Actor,
        id: &str,
    ) -> Result<(PersonView, PersonRow, Option<String>), AppError> {
        who.require(Permission::ViewRegistry)?;
        match self.load_person(&who.scope, id) {
            Ok(found) => {
                self.audit.record_view(
                    &self.db,
                    who,
                    Event::new("person.view", "person", id, &found.1.residence_region_code),
                )?;
                Ok(found)
            }
            Err(AppError::NotFound) => {
                self.audit_miss(who, "person.view", "person", id)?;
                Err(AppError::NotFound)
            }
            Err(e) => Err(e),
        }
    }

    /// Reveals a person's full name, ID number, phone, bank account and illness: needs the
    /// permission and a reason, and is audited with the reason (S22, PIPL art. 28: sensitive
    /// personal information only when necessary).
    pub fn reveal_person(
        &self,
        who: &Actor,
        id: &str,
        reason: &str,
    ) -> Result<RevealedPerson, AppError> {
        who.require(Permission::RevealPersonal)?;
        let (_, row, _) = match self.load_person(&who.scope, id) {
            Err(AppError::NotFound) => {
                self.audit_miss(who, "person.reveal", "person", id)?;
                return Err(AppError::NotFound);
            }
            other => other?,
        };
        let reason = reason.trim();
        if reason.chars().count() < 2 || reason.chars().count() > 200 {
            return Err(AppError::Invalid(vec![crate::FieldError::new(
                "reason",
                "请填写查看完整信息的理由（2–200 字）",
                "give a reason (2–200 characters)",
            )]));
        }
        let clear = |column: &str, v: &Option<String>| -> Result<String, AppError> {
            v.as_deref()
                .map(|s| open(&self.keys, column, s))
                .transpose()
                .map(Option::unwrap_or_default)
        };
        let revealed = RevealedPerson {
            name: row.name.clone(),
            id_number: open(&self.keys, "id_number", &row.id_number)?,
            phone: clear("phone", &row.phone)?,
            bank_name: row.bank_name.clone().unwrap_or_default(),
            bank_account: clear("bank_account", &row.bank_account)?,
            serious_illness: clear("serious_illness", &row.serious_illness)?,
        };
        self.audit.record_alone(
            &self.db,
            who,
            Event::new("person.reveal", "person", id, &row.residence_region_code).reason(reason),
        )?;
        Ok(revealed)
    }

    /// A person without audit (internal: edits, after writes).
    pub(super) fn load_person(
        &self,
        scope: &Scope,
        id: &str,
    ) -> Result<(PersonView, PersonRow, Option<String>), AppError> {
        let mut conn = self.conn()?;
        for county in scope.counties() {
            match persons::get(&mut conn, scope, county, id) {
                Ok(p) => {
                    let hh = households::current_household_of(&mut conn, scope, county, id)?
                        .map(|h| h.id);
                    return Ok((
                        PersonView::from_row(
                            &self.keys,
                            &p,
                            &self.regions,
                            jiuzhu_domain::time::today(),
                        ),
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
        &self,
        who: &Actor,
        id: &str,
        edit: &PersonEdit,
    ) -> Result<PersonView, AppError> {
        let scope = &who.scope;
        who.require(Permission::EditRegistry)?;
        let (_, current, _) = self.load_person(scope, id)?;
        let mut input = edit.person.clone();
        input.id_number = open(&self.keys, "id_number", &current.id_number)?;
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
                        Some(v) => open(&self.keys, column, v)?,
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
        let home =
            RegionCode::parse(&current.residence_region_code).map_err(|_| AppError::NotFound)?;
        let mut errs = Errors::default();
        let parsed = input.parse(&mut errs, "", &home, jiuzhu_domain::time::today());
        errs.finish(())?;
        let p = parsed.expect("checked");
        if !scope.contains(&p.residence_region)
            || p.residence_region.county_code() != Some(current.county_code.as_str())
        {
            return Err(AppError::Invalid(vec![crate::FieldError::new(
                "residence_region_code",
                "居住地须在本辖区、本县内",
                "residence must stay inside your area and county",
            )]));
        }
        let mut row = person_row(
            &self.keys,
            &current.county_code,
            &current.id,
            &p,
            current.created_at,
        );
        row.version = edit.version;
        let changes = person_changes(&self.keys, &current, &row);
        let mut conn = self.conn()?;
        let saved =
            jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<PersonRow, AppError> {
                let saved = persons::update(c, scope, &row)?;
                self.audit.record(
                    c,
                    who,
                    Event::new("person.update", "person", id, &saved.residence_region_code)
                        .detail(changes),
                )?;
                Ok(saved)
            })?;
        Ok(PersonView::from_row(
            &self.keys,
            &saved,
            &self.regions,
            jiuzhu_domain::time::today(),
        ))
    }
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

/// What an edit changed, old → new, for the audit log: sensitive values masked, illness only
/// noted as changed.
fn person_changes(keys: &Keys, old: &PersonRow, new: &PersonRow) -> serde_json::Value {
    let mut changes = serde_json::Map::new();
    let mut plain = |field: &str, a: String, b: String| {
        if a != b {
            changes.insert(field.to_owned(), serde_json::json!([a, b]));
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    plain("name", old.name.clone(), new.name.clone());
    plain(
        "hukou_region_code",
        old.hukou_region_code.clone(),
        new.hukou_region_code.clone(),
    );
    plain("hukou_type", old.hukou_type.clone(), new.hukou_type.clone());
    plain(
        "residence_region_code",
        old.residence_region_code.clone(),
        new.residence_region_code.clone(),
    );
    plain(
        "residence_permit",
        old.residence_permit.to_string(),
        new.residence_permit.to_string(),
    );
    plain(
        "disability_category",
        opt(&old.disability_category),
        opt(&new.disability_category),
    );
    plain(
        "disability_grade",
        old.disability_grade
            .map(|g| g.to_string())
            .unwrap_or_default(),
        new.disability_grade
            .map(|g| g.to_string())
            .unwrap_or_default(),
    );
    plain(
        "labour_capacity",
        old.labour_capacity.clone(),
        new.labour_capacity.clone(),
    );
    plain(
        "adl_lost",
        old.adl_lost.to_string(),
        new.adl_lost.to_string(),
    );
    plain(
        "employment_status",
        old.employment_status.clone(),
        new.employment_status.clone(),
    );
    plain(
        "school_stage",
        opt(&old.school_stage),
        opt(&new.school_stage),
    );
    plain(
        "special_status",
        opt(&old.special_status),
        opt(&new.special_status),
    );
    plain(
        "death_date",
        old.death_date.map(|d| d.to_string()).unwrap_or_default(),
        new.death_date.map(|d| d.to_string()).unwrap_or_default(),
    );
    plain("bank_name", opt(&old.bank_name), opt(&new.bank_name));
    let masked = |column: &str, v: &Option<String>| {
        v.as_deref()
            .map(|s| {
                open(keys, column, s)
                    .map(|c| mask_tail(&c, 4))
                    .unwrap_or_default()
            })
            .unwrap_or_default()
    };
    plain(
        "phone",
        masked("phone", &old.phone),
        masked("phone", &new.phone),
    );
    plain(
        "bank_account",
        masked("bank_account", &old.bank_account),
        masked("bank_account", &new.bank_account),
    );
    let illness = |v: &Option<String>| {
        v.as_deref()
            .map(|s| open(keys, "serious_illness", s).unwrap_or_default())
            .unwrap_or_default()
    };
    if illness(&old.serious_illness) != illness(&new.serious_illness) {
        changes.insert("serious_illness".into(), serde_json::json!("changed"));
    }
    serde_json::Value::Object(changes)
}
