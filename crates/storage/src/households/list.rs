//! The household list (S18 search at the window): one page of a scope's households in
//! (region, id) order with keyset pagination, filtered by region, status and a member's name —
//! a narrow name search looks the households up directly, a broad one walks the list order —
//! and a capped count. Costs milliseconds whatever the size of the city.

use diesel::prelude::*;
use jiuzhu_domain::Scope;

use crate::models::HouseholdRow;
use crate::schema::{households, memberships, persons};
use crate::{DbConnection, StorageError};

/// Filters of the household list. The region filter is applied by narrowing the `Scope`.
#[derive(Debug, Clone, Default)]
pub struct HouseholdFilter {
    /// Name of any current member, matched as a prefix (`张` finds 张三 and 张三丰).
    pub name: Option<String>,
    /// Exactly this household (found through an ID number).
    pub household_id: Option<String>,
    /// `active` / `closed`.
    pub status: Option<String>,
    /// At least this many members.
    pub min_members: Option<i32>,
}

/// Where a page of the list starts: after this (region, id) in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Region code of the last row shown.
    pub region_code: String,
    /// ID of the last row shown.
    pub id: String,
}

impl Cursor {
    /// The opaque form used in URLs (`region.id`).
    pub fn encode(&self) -> String {
        format!("{}.{}", self.region_code, self.id)
    }

    /// Parses the URL form; `None` for anything malformed.
    pub fn decode(s: &str) -> Option<Cursor> {
        let (r, i) = s.split_once('.')?;
        let ok = r.len() == 12
            && r.bytes().all(|b| b.is_ascii_digit())
            && !i.is_empty()
            && i.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then(|| Cursor {
            region_code: r.to_owned(),
            id: i.to_owned(),
        })
    }
}

/// The upper bound of a prefix range: every string starting with `prefix` sorts below
/// `prefix` + U+10FFFF (the highest code point) bytewise. SQLite compares BINARY and the
/// PostgreSQL column is `COLLATE "C"`, so both serve the range from their B-tree.
fn prefix_upper(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// A name search matching at most this many persons is "narrow": their households are looked
/// up directly. A broader one (a bare surname across a city) walks the list order instead and
/// stops after one page. Either way a search costs milliseconds, not a scan of the city.
const NARROW_NAME_MATCHES: usize = 2_000;

/// IDs per `IN (…)` list, well under both backends' bound-parameter limits.
const IN_CHUNK: usize = 5_000;

/// Memberships joined to their persons. A person is joined within the membership's own county:
/// per-county rows never meet rows of another county.
macro_rules! members_with_persons {
    () => {
        memberships::table.inner_join(
            persons::table.on(persons::county_code
                .eq(memberships::county_code)
                .and(persons::id.eq(memberships::person_id))),
        )
    };
}

/// Applies the scope and the non-name filters to a boxed query whose FROM includes
/// `households` (the plain table or a join).
macro_rules! household_filters {
    ($q:expr, $scope:expr, $filter:expr) => {{
        let (low, high) = $scope.root().subtree_range();
        let mut q = $q
            .filter(households::county_code.eq_any($scope.counties().to_vec()))
            .filter(households::region_code.between(low, high));
        if let Some(id) = &$filter.household_id {
            q = q.filter(households::id.eq(id.clone()));
        }
        if let Some(status) = &$filter.status {
            q = q.filter(households::status.eq(status.clone()));
        }
        if let Some(n) = $filter.min_members {
            q = q.filter(households::member_count.ge(n));
        }
        q
    }};
}

/// Continues after a cursor: region >= r AND (region > r OR id > i); the first conjunct lets
/// the index seek.
macro_rules! after_cursor {
    ($q:expr, $after:expr) => {{
        match $after {
            Some(c) => $q
                .filter(households::region_code.ge(c.region_code.clone()))
                .filter(
                    households::region_code
                        .gt(c.region_code.clone())
                        .or(households::region_code
                            .eq(c.region_code.clone())
                            .and(households::id.gt(c.id.clone()))),
                ),
            None => $q,
        }
    }};
}

/// Household keys read per step of a broad name search's walk.
const BROAD_WALK_CHUNK: i64 = 1_000;

/// Which of these households (region, id, county) have a current member whose name starts
/// with `name`.
fn households_with_member_named(
    conn: &mut DbConnection,
    keys: &[(String, String, String)],
    name: &str,
) -> Result<std::collections::HashSet<String>, StorageError> {
    let mut by_county: std::collections::BTreeMap<&str, Vec<String>> =
        std::collections::BTreeMap::new();
    for (_, id, county) in keys {
        by_county
            .entry(county.as_str())
            .or_default()
            .push(id.clone());
    }
    let mut out = std::collections::HashSet::new();
    for (county, ids) in by_county {
        let found: Vec<String> = members_with_persons!()
            .filter(memberships::county_code.eq(county))
            .filter(memberships::household_id.eq_any(ids))
            .filter(memberships::left_on.is_null())
            .filter(persons::name.ge(name.to_owned()))
            .filter(persons::name.lt(prefix_upper(name)))
            .select(memberships::household_id)
            .load(conn)?;
        out.extend(found);
    }
    Ok(out)
}

/// Loads full rows for (region, id, county) keys, keeping the keys' order.
fn rows_in_list_order(
    conn: &mut DbConnection,
    keys: &[(String, String, String)],
) -> Result<Vec<HouseholdRow>, StorageError> {
    let mut by_county: std::collections::BTreeMap<&str, Vec<String>> =
        std::collections::BTreeMap::new();
    for (_, id, county) in keys {
        by_county
            .entry(county.as_str())
            .or_default()
            .push(id.clone());
    }
    let mut rows: Vec<HouseholdRow> = vec![];
    for (county, ids) in by_county {
        rows.extend(
            households::table
                .filter(households::county_code.eq(county))
                .filter(households::id.eq_any(ids))
                .select(HouseholdRow::as_select())
                .load(conn)?,
        );
    }
    rows.sort_by(|a, b| (&a.region_code, &a.id).cmp(&(&b.region_code, &b.id)));
    Ok(rows)
}

/// The name a filter searches for, if any.
fn name_searched(filter: &HouseholdFilter) -> Option<&str> {
    filter
        .name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

type Boxed = households::BoxedQuery<'static, crate::db::MultiBackend>;

/// Households of the scope matching the filter's other conditions.
fn scoped(scope: &Scope, filter: &HouseholdFilter) -> Boxed {
    household_filters!(
        households::table.into_boxed::<crate::db::MultiBackend>(),
        scope,
        filter
    )
}

/// The same, restricted to the given households of one county.
fn scoped_in(scope: &Scope, filter: &HouseholdFilter, county: &str, ids: &[String]) -> Boxed {
    let q = households::table
        .filter(households::county_code.eq(county.to_owned()))
        .filter(households::id.eq_any(ids.to_vec()))
        .into_boxed::<crate::db::MultiBackend>();
    household_filters!(q, scope, filter)
}

/// (county, person id) of persons in the scope's counties whose name starts with `name`, at
/// most `cap`.
fn persons_named(
    conn: &mut DbConnection,
    scope: &Scope,
    name: &str,
    cap: usize,
) -> Result<Vec<(String, String)>, StorageError> {
    Ok(persons::table
        .filter(persons::county_code.eq_any(scope.counties().to_vec()))
        .filter(persons::name.ge(name.to_owned()))
        .filter(persons::name.lt(prefix_upper(name)))
        .select((persons::county_code, persons::id))
        .limit(cap as i64)
        .load(conn)?)
}

/// The current households of persons, per county, each household once.
fn current_households_of(
    conn: &mut DbConnection,
    persons_found: &[(String, String)],
) -> Result<std::collections::BTreeMap<String, Vec<String>>, StorageError> {
    let mut by_county: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    for (county, pid) in persons_found {
        by_county
            .entry(county.clone())
            .or_default()
            .push(pid.clone());
    }
    let mut out = std::collections::BTreeMap::new();
    for (county, pids) in by_county {
        let mut hids: Vec<String> = vec![];
        for chunk in pids.chunks(IN_CHUNK) {
            hids.extend(
                memberships::table
                    .filter(memberships::county_code.eq(&county))
                    .filter(memberships::left_on.is_null())
                    .filter(memberships::person_id.eq_any(chunk))
                    .select(memberships::household_id)
                    .load::<String>(conn)?,
            );
        }
        hids.sort();
        hids.dedup();
        out.insert(county, hids);
    }
    Ok(out)
}

/// One page of households in the scope, ordered by (region, id), with keyset pagination so
/// that the cost of a page does not grow with the database. Returns `limit + 1` rows at most
/// so the caller can tell whether a next page exists.
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &HouseholdFilter,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<HouseholdRow>, StorageError> {
    list_with(
        conn,
        scope,
        filter,
        after,
        limit,
        NARROW_NAME_MATCHES,
        BROAD_WALK_CHUNK,
    )
}

/// [`list`] with the narrow/broad threshold and the walk's chunk as parameters, so tests can
/// force each path and a walk over several chunks.
fn list_with(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &HouseholdFilter,
    after: Option<&Cursor>,
    limit: i64,
    narrow_limit: usize,
    walk_chunk: i64,
) -> Result<Vec<HouseholdRow>, StorageError> {
    let Some(name) = name_searched(filter) else {
        let q = scoped(scope, filter);
        let q = after_cursor!(q, after);
        return Ok(q
            .order((households::region_code, households::id))
            .limit(limit + 1)
            .select(HouseholdRow::as_select())
            .load(conn)?);
    };
    let found = persons_named(conn, scope, name, narrow_limit + 1)?;
    if found.len() > narrow_limit {
        // Broad: walk household keys in list order, a chunk at a time from the covering
        // index, keeping those with a matching current member, until a page is full. The walk
        // is explicit so that neither planner can turn it into a sort of every match.
        let mut keys: Vec<(String, String, String)> = vec![];
        let mut position = after.cloned();
        'walk: loop {
            let q = scoped(scope, filter);
            let q = after_cursor!(q, position.as_ref());
            let chunk: Vec<(String, String, String)> = q
                .select((
                    households::region_code,
                    households::id,
                    households::county_code,
                ))
                .order((households::region_code, households::id))
                .limit(walk_chunk)
                .load(conn)?;
            let matching = households_with_member_named(conn, &chunk, name)?;
            for k in &chunk {
                if matching.contains(&k.1) {
                    keys.push(k.clone());
                    if keys.len() as i64 > limit {
                        break 'walk;
                    }
                }
            }
            match chunk.last() {
                Some(last) if chunk.len() as i64 == walk_chunk => {
                    position = Some(Cursor {
                        region_code: last.0.clone(),
                        id: last.1.clone(),
                    });
                }
                _ => break,
            }
        }
        return rows_in_list_order(conn, &keys);
    }
    // Narrow: fetch the matching households county by county, then merge in list order.
    let mut rows: Vec<HouseholdRow> = vec![];
    for (county, hids) in current_households_of(conn, &found)? {
        for chunk in hids.chunks(IN_CHUNK) {
            let q = scoped_in(scope, filter, &county, chunk);
            let q = after_cursor!(q, after);
            rows.extend(
                q.order((households::region_code, households::id))
                    .limit(limit + 1)
                    .select(HouseholdRow::as_select())
                    .load(conn)?,
            );
        }
    }
    rows.sort_by(|a, b| (&a.region_code, &a.id).cmp(&(&b.region_code, &b.id)));
    rows.truncate((limit + 1) as usize);
    Ok(rows)
}

/// Counts households in the scope matching the filter, up to `cap` (an exact count of a
/// whole city on every page view would cost more than it tells; lists show "10000+"). Reads
/// IDs only, from the covering index `households_region`; a name search counts from the
/// matching persons.
pub fn count_capped(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &HouseholdFilter,
    cap: i64,
) -> Result<i64, StorageError> {
    let Some(name) = name_searched(filter) else {
        let q = scoped(scope, filter);
        let ids: Vec<String> = q.select(households::id).limit(cap).load(conn)?;
        return Ok(ids.len() as i64);
    };
    let found = persons_named(conn, scope, name, cap as usize)?;
    if found.len() as i64 >= cap {
        return Ok(cap);
    }
    let mut total = 0i64;
    for (county, hids) in current_households_of(conn, &found)? {
        for chunk in hids.chunks(IN_CHUNK) {
            let q = scoped_in(scope, filter, &county, chunk);
            total += q.select(households::id).load::<String>(conn)?.len() as i64;
        }
    }
    Ok(total.min(cap))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::HouseholdBatch;
    use crate::households::*;
    use crate::models::PersonIdentityRow;

    fn person(county: &str, id: &str, name: &str) -> PersonRow {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        PersonRow {
            county_code: county.into(),
            id: id.into(),
            name: name.into(),
            id_number: format!("n-{id}"),
            sex: "male".into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
            hukou_region_code: "410502001001".into(),
            hukou_type: "urban".into(),
            residence_region_code: "410502001001".into(),
            residence_permit: false,
            disability_category: None,
            disability_grade: None,
            serious_illness: None,
            labour_capacity: "full".into(),
            adl_lost: 0,
            employment_status: "none".into(),
            school_stage: None,
            special_status: None,
            death_date: None,
            phone: None,
            bank_name: None,
            bank_account: None,
            created_at: t,
            updated_at: t,
            version: 1,
        }
    }

    /// Households in two counties and several villages; names 张一…, 张二…, 李…; one departed
    /// member named 张 (must not match), one household with two 张 members (listed once), one
    /// closed household.
    fn seed(conn: &mut DbConnection) {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let villages = [
            "410502001001",
            "410502001002",
            "410502002001",
            "410581100200",
            "410581100201",
        ];
        // The regions the households point to, parents first.
        let mut regions: Vec<crate::models::RegionRow> = vec![];
        for v in villages {
            let mut code = Some(jiuzhu_domain::RegionCode::parse(v).unwrap());
            let mut chain = vec![];
            while let Some(c) = code.filter(|c| c.level() >= jiuzhu_domain::RegionLevel::City) {
                code = c.parent();
                chain.push(c);
            }
            for c in chain.into_iter().rev() {
                let parent = c
                    .parent()
                    .filter(|p| p.level() >= jiuzhu_domain::RegionLevel::City)
                    .map(|p| p.to_string());
                if !regions.iter().any(|r| r.code == c.as_str()) {
                    regions.push(crate::models::RegionRow {
                        code: c.to_string(),
                        name: c.to_string(),
                        level: c.level().as_str().into(),
                        parent_code: parent,
                    });
                }
            }
        }
        crate::regions::insert_missing(conn, &regions).unwrap();
        for (i, village) in villages.iter().cycle().take(25).enumerate() {
            let county = &village[..6];
            let mut b = HouseholdBatch::default();
            let hid = format!("h{i:03}");
            let names: Vec<String> = match i % 5 {
                0 => vec![format!("张一{i}"), format!("张二{i}")],
                1 => vec![format!("李{i}"), format!("张三{i}")],
                2 => vec![format!("李{i}")],
                3 => vec![format!("王{i}"), format!("张四{i}")],
                _ => vec![format!("张五{i}")],
            };
            for (j, n) in names.iter().enumerate() {
                let pid = format!("p{i:03}{j}");
                b.identities.push(PersonIdentityRow {
                    id_key: format!("k{pid}"),
                    person_id: pid.clone(),
                    county_code: county.into(),
                    registered_at: t,
                });
                b.persons.push(person(county, &pid, n));
                b.memberships.push(MembershipRow {
                    county_code: county.into(),
                    id: format!("m{pid}"),
                    household_id: hid.clone(),
                    person_id: pid,
                    relation: if j == 0 {
                        "head".into()
                    } else {
                        "spouse".into()
                    },
                    joined_on: d,
                    // The member of every third household of kind 1 has left.
                    left_on: (i % 5 == 1 && j == 1 && i % 3 == 0).then_some(d),
                    join_reason: "t".into(),
                    leave_reason: None,
                    created_at: t,
                });
            }
            b.households.push(HouseholdRow {
                county_code: county.into(),
                id: hid,
                region_code: (*village).into(),
                address: "a".into(),
                head_person_id: None,
                head_name: names[0].clone(),
                member_count: names.len() as i32,
                status: if i == 24 {
                    "closed".into()
                } else {
                    "active".into()
                },
                created_at: t,
                updated_at: t,
                version: 1,
            });
            b.insert(conn).unwrap();
        }
    }

    fn all_pages(
        conn: &mut DbConnection,
        scope: &Scope,
        filter: &HouseholdFilter,
        narrow_limit: usize,
        walk_chunk: i64,
    ) -> Vec<String> {
        let mut out = vec![];
        let mut after: Option<Cursor> = None;
        loop {
            let mut page = list_with(
                conn,
                scope,
                filter,
                after.as_ref(),
                3,
                narrow_limit,
                walk_chunk,
            )
            .unwrap();
            let more = page.len() > 3;
            page.truncate(3);
            out.extend(page.iter().map(|h| h.id.clone()));
            if !more {
                return out;
            }
            let last = page.last().unwrap();
            after = Some(Cursor {
                region_code: last.region_code.clone(),
                id: last.id.clone(),
            });
        }
    }

    #[test]
    fn narrow_and_broad_name_searches_give_the_same_pages() {
        for t in crate::testing::all_backends() {
            let mut conn = t.db.conn().unwrap();
            seed(&mut conn);
            let city = Scope::new(
                jiuzhu_domain::RegionCode::parse("4105").unwrap(),
                vec!["410502".into(), "410581".into()],
            );
            let county = Scope::new(jiuzhu_domain::RegionCode::parse("410502").unwrap(), vec![]);
            for (scope, name, status) in [
                (&city, "张", None),
                (&city, "张二", None),
                (&county, "张", None),
                (&city, "张", Some("active")),
                (&city, "李", None),
                (&city, "赵", None),
            ] {
                let filter = HouseholdFilter {
                    name: Some(name.into()),
                    status: status.map(str::to_owned),
                    ..Default::default()
                };
                let narrow = all_pages(&mut conn, scope, &filter, 1_000_000, 1_000);
                let broad = all_pages(&mut conn, scope, &filter, 0, 1_000);
                let walked = all_pages(&mut conn, scope, &filter, 0, 2);
                assert_eq!(narrow, broad, "{}: {name} in {:?}", t.label, scope.root());
                assert_eq!(narrow, walked, "{}: {name} walked in chunks of 2", t.label);
                let count = count_capped(&mut conn, scope, &filter, 1000).unwrap();
                assert_eq!(count as usize, narrow.len(), "{}: count of {name}", t.label);
            }
            // Every household but the two of kind 2 (李 only) has a current 张 member, minus
            // the kind-1 households whose 张 member left (i = 6, 21).
            let filter = HouseholdFilter {
                name: Some("张".into()),
                ..Default::default()
            };
            let found = all_pages(&mut conn, &city, &filter, 0, 2);
            assert_eq!(found.len(), 25 - 5 - 2, "{}: {found:?}", t.label);
            assert!(
                !found.contains(&"h006".to_string()) && !found.contains(&"h021".to_string()),
                "departed members do not match"
            );
            assert_eq!(
                found.iter().collect::<std::collections::HashSet<_>>().len(),
                found.len(),
                "each household once"
            );
            assert_eq!(
                count_capped(&mut conn, &city, &filter, 5).unwrap(),
                5,
                "the count stops at the cap"
            );
        }
    }

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = Cursor {
            region_code: "410502001001".into(),
            id: "abc123".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("410502001001.'; drop"), None);
        assert_eq!(Cursor::decode("4105.abc"), None);
        assert!(prefix_upper("张").as_str() > "张三丰");
        assert!(prefix_upper("张").as_str() < "彰");
    }
}
