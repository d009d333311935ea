//! Bulk reads for batch rules (re-assessing a county's caseload under a reform, S6): a page of
//! a county's households, in id order, with their current members and their economic records,
//! in five queries a page, so that time grows with the county and not with round trips.

use crate::models::{
    EconomicRecordRow, EnrolmentRow, HouseholdRow, MembershipRow, PersonRow, SupporterRow,
};
use crate::schema::{economic_records, enrolments, households, memberships, persons};
use crate::{DbConnection, StorageError};
use diesel::prelude::*;

/// One household with what the rules read.
#[derive(Debug, Clone)]
pub struct HouseholdFacts {
    /// The household.
    pub household: HouseholdRow,
    /// Current members (not yet left) with their persons.
    pub members: Vec<(MembershipRow, PersonRow)>,
    /// All economic records.
    pub records: Vec<EconomicRecordRow>,
    /// Enrolments not ended (running or suspended): what the household receives now, for
    /// 渐退期 and for programmes that exclude each other.
    pub enrolments: Vec<EnrolmentRow>,
    /// Legal supporters recorded outside the household (43号 Art. 8).
    pub supporters: Vec<SupporterRow>,
}

/// A household's enrolments that have not ended.
pub fn open_enrolments(
    conn: &mut DbConnection,
    county: &str,
    household_ids: &[&str],
) -> Result<Vec<EnrolmentRow>, StorageError> {
    Ok(enrolments::table
        .filter(enrolments::county_code.eq(county))
        .filter(enrolments::household_id.eq_any(household_ids))
        .filter(enrolments::status.ne("ended"))
        .order((enrolments::household_id, enrolments::created_at))
        .select(EnrolmentRow::as_select())
        .load(conn)?)
}

/// The next page of `county`'s households after `after` (by id), at most `limit`.
pub fn page(
    conn: &mut DbConnection,
    county: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<HouseholdFacts>, StorageError> {
    let mut q = households::table
        .filter(households::county_code.eq(county))
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(households::id.gt(a));
    }
    let rows: Vec<HouseholdRow> = q
        .order(households::id)
        .limit(limit)
        .select(HouseholdRow::as_select())
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = rows.iter().map(|h| h.id.as_str()).collect();
    let members: Vec<(MembershipRow, PersonRow)> = memberships::table
        .inner_join(
            persons::table.on(persons::county_code
                .eq(memberships::county_code)
                .and(persons::id.eq(memberships::person_id))),
        )
        .filter(memberships::county_code.eq(county))
        .filter(memberships::household_id.eq_any(&ids))
        .filter(memberships::left_on.is_null())
        .order((
            memberships::household_id,
            memberships::joined_on,
            memberships::created_at,
        ))
        .select((MembershipRow::as_select(), PersonRow::as_select()))
        .load(conn)?;
    let records: Vec<EconomicRecordRow> = economic_records::table
        .filter(economic_records::county_code.eq(county))
        .filter(economic_records::household_id.eq_any(&ids))
        .select(EconomicRecordRow::as_select())
        .load(conn)?;
    let running = open_enrolments(conn, county, &ids)?;
    let supporters = crate::supporters::for_households(conn, county, &ids)?;
    let mut out: Vec<HouseholdFacts> = rows
        .into_iter()
        .map(|household| HouseholdFacts {
            household,
            members: Vec::new(),
            records: Vec::new(),
            enrolments: Vec::new(),
            supporters: Vec::new(),
        })
        .collect();
    let index: std::collections::HashMap<String, usize> = out
        .iter()
        .enumerate()
        .map(|(i, f)| (f.household.id.clone(), i))
        .collect();
    for e in running {
        if let Some(i) = index.get(&e.household_id) {
            out[*i].enrolments.push(e);
        }
    }
    for s in supporters {
        if let Some(i) = index.get(&s.household_id) {
            out[*i].supporters.push(s);
        }
    }
    for m in members {
        if let Some(i) = index.get(&m.0.household_id) {
            out[*i].members.push(m);
        }
    }
    for r in records {
        if let Some(i) = index.get(&r.household_id) {
            out[*i].records.push(r);
        }
    }
    Ok(out)
}
