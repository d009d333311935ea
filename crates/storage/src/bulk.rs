//! Multi-row inserts, dispatched to the concrete backend connection: the batch path used by
//! reference-data loading, roster and rolls imports and the demo generator. Chunks keep each statement
//! under SQLite's and PostgreSQL's bound-parameter limits.

use diesel::prelude::*;

use crate::models::*;
use crate::schema::*;
use crate::{DbConnection, StorageError};

/// At most this many bound parameters per statement (SQLite allows 32,766, PostgreSQL 65,535).
const MAX_PARAMS: usize = 30_000;

macro_rules! batch_insert {
    ($fn_name:ident, $row:ty, $table:path, $columns:expr) => {
        /// Inserts rows in chunks on the current transaction.
        pub fn $fn_name(conn: &mut DbConnection, rows: &[$row]) -> Result<(), StorageError> {
            let per_chunk = (MAX_PARAMS / $columns).max(1);
            for chunk in rows.chunks(per_chunk) {
                match conn {
                    DbConnection::Sqlite(c) => {
                        diesel::insert_into($table).values(chunk).execute(c)?;
                    }
                    DbConnection::Postgresql(c) => {
                        diesel::insert_into($table).values(chunk).execute(c)?;
                    }
                }
            }
            Ok(())
        }
    };
}

batch_insert!(insert_regions, RegionRow, regions::table, 4);
batch_insert!(insert_holidays, HolidayRow, holidays::table, 3);
batch_insert!(
    insert_identities,
    PersonIdentityRow,
    person_identity::table,
    4
);
batch_insert!(insert_households, HouseholdRow, households::table, 11);
batch_insert!(insert_persons, PersonRow, persons::table, 25);
batch_insert!(insert_memberships, MembershipRow, memberships::table, 10);
batch_insert!(
    insert_economic_records,
    EconomicRecordRow,
    economic_records::table,
    12
);
batch_insert!(insert_supporters, SupporterRow, supporters::table, 15);
batch_insert!(insert_cases, CaseRow, cases::table, 22);
batch_insert!(insert_case_events, CaseEventRow, case_events::table, 11);
batch_insert!(
    insert_case_decisions,
    CaseDecisionRow,
    case_decisions::table,
    11
);

/// A batch of new households with everything that belongs to them, all in one county.
#[derive(Debug, Default, Clone)]
pub struct HouseholdBatch {
    /// National index entries for the persons.
    pub identities: Vec<PersonIdentityRow>,
    /// Persons.
    pub persons: Vec<PersonRow>,
    /// Households.
    pub households: Vec<HouseholdRow>,
    /// Memberships.
    pub memberships: Vec<MembershipRow>,
    /// Income, asset and expense records.
    pub economic_records: Vec<EconomicRecordRow>,
    /// Legal supporters outside the households.
    pub supporters: Vec<SupporterRow>,
}

impl HouseholdBatch {
    /// Writes the batch in one transaction: all or nothing. A duplicate ID number fails the
    /// whole batch with [`StorageError::DuplicateIdNumber`].
    pub fn insert(&self, conn: &mut DbConnection) -> Result<(), StorageError> {
        crate::write_transaction(conn, |conn| {
            insert_identities(conn, &self.identities).map_err(crate::error::map_unique_identity)?;
            insert_persons(conn, &self.persons)?;
            insert_households(conn, &self.households)?;
            insert_memberships(conn, &self.memberships)?;
            insert_economic_records(conn, &self.economic_records)?;
            insert_supporters(conn, &self.supporters)?;
            Ok(())
        })
    }
}
