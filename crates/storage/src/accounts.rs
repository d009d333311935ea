//! Staff accounts, their sessions and their near-relative filings. City-wide tables: a user
//! list is narrowed to the caller's `Scope` by the user's region.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use jiuzhu_domain::Scope;

use crate::models::{NearRelativeRow, PasswordLetterRow, SessionRow, UserRow};
use crate::schema::{near_relatives, password_letters, sessions, users};
use crate::{DbConnection, StorageError};

fn unique_to(e: diesel::result::Error, mapped: StorageError) -> StorageError {
    match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => mapped,
        other => StorageError::Db(other),
    }
}

/// Adds a user; a taken user name is [`StorageError::DuplicateUsername`].
pub fn insert_user(conn: &mut DbConnection, row: &UserRow) -> Result<(), StorageError> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)
        .map_err(|e| unique_to(e, StorageError::DuplicateUsername))?;
    Ok(())
}

/// A user by login name (for login: no scope, the caller is not yet known).
pub fn user_by_name(
    conn: &mut DbConnection,
    username: &str,
) -> Result<Option<UserRow>, StorageError> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// A user by id (for the signed-in session's own account: no scope).
pub fn user_by_id(conn: &mut DbConnection, id: &str) -> Result<Option<UserRow>, StorageError> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

fn user_in_scope(scope: &Scope, u: &UserRow) -> bool {
    jiuzhu_domain::RegionCode::parse(&u.region_code)
        .map(|r| scope.contains(&r))
        .unwrap_or(false)
}

/// A user inside the scope (administration pages).
pub fn user_in(conn: &mut DbConnection, scope: &Scope, id: &str) -> Result<UserRow, StorageError> {
    user_by_id(conn, id)?
        .filter(|u| user_in_scope(scope, u))
        .ok_or(StorageError::NotFound)
}

/// Users whose region lies inside the scope, by user name; a page after `after`.
pub fn list_users(
    conn: &mut DbConnection,
    scope: &Scope,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<UserRow>, StorageError> {
    let (lo, hi) = scope.root().subtree_range();
    let mut q = users::table
        .filter(users::region_code.ge(lo))
        .filter(users::region_code.le(hi))
        .select(UserRow::as_select())
        .order(users::username)
        .limit(limit)
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(users::username.gt(a.to_owned()));
    }
    Ok(q.load(conn)?)
}

/// Saves a changed user if nobody changed it since `row.version` was read; bumps the version.
pub fn update_user(conn: &mut DbConnection, row: &UserRow) -> Result<UserRow, StorageError> {
    let mut next = row.clone();
    next.version = row.version + 1;
    next.updated_at = jiuzhu_domain::time::now();
    let n = diesel::update(
        users::table
            .filter(users::id.eq(&row.id))
            .filter(users::version.eq(row.version)),
    )
    .set(&next)
    .execute(conn)?;
    if n == 0 {
        return Err(StorageError::StaleVersion);
    }
    Ok(next)
}

/// Counts a failed login; at `max` failures the account locks until `lock_until` and the
/// count starts again. Returns whether this failure locked the account. One UPDATE first, so
/// concurrent failures cannot undercount.
pub fn record_failed_login(
    conn: &mut DbConnection,
    user_id: &str,
    max: i32,
    lock_until: NaiveDateTime,
) -> Result<bool, StorageError> {
    crate::write_transaction(conn, |conn| {
        diesel::update(users::table.find(user_id))
            .set(users::failed_logins.eq(users::failed_logins + 1))
            .execute(conn)?;
        let n: i32 = users::table
            .find(user_id)
            .select(users::failed_logins)
            .first(conn)?;
        if n >= max {
            diesel::update(users::table.find(user_id))
                .set((
                    users::failed_logins.eq(0),
                    users::locked_until.eq(Some(lock_until)),
                ))
                .execute(conn)?;
            return Ok(true);
        }
        Ok(false)
    })
}

/// Clears the failure count after a successful login.
pub fn record_login(
    conn: &mut DbConnection,
    user_id: &str,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::update(users::table.find(user_id))
        .set((
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::last_login_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stores a new session.
pub fn insert_session(conn: &mut DbConnection, row: &SessionRow) -> Result<(), StorageError> {
    diesel::insert_into(sessions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A session with its user.
pub fn session(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<(SessionRow, UserRow)>, StorageError> {
    Ok(sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()?)
}

/// Marks a session as used now.
pub fn touch_session(
    conn: &mut DbConnection,
    token_hash: &str,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    crate::write_transaction(conn, |conn| {
        diesel::update(sessions::table.find(token_hash))
            .set(sessions::last_seen_at.eq(at))
            .execute(conn)?;
        Ok(())
    })
}

/// Ends a session.
pub fn delete_session(conn: &mut DbConnection, token_hash: &str) -> Result<(), StorageError> {
    diesel::delete(sessions::table.find(token_hash)).execute(conn)?;
    Ok(())
}

/// Ends every session (and API token) of a user but the one given (a password change: the
/// browser that changed it stays signed in, every other sign-in ends).
pub fn delete_other_sessions(
    conn: &mut DbConnection,
    user_id: &str,
    keep_token_hash: &str,
) -> Result<usize, StorageError> {
    Ok(diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::token_hash.ne(keep_token_hash)),
    )
    .execute(conn)?)
}

/// Ends every session of a user (disable, password reset).
pub fn delete_sessions_of(conn: &mut DbConnection, user_id: &str) -> Result<usize, StorageError> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?)
}

/// Writes a password letter (密码函). Earlier unopened letters of the same account are voided
/// first: only the newest password works, so only its letter may be opened.
pub fn insert_password_letter(
    conn: &mut DbConnection,
    row: &PasswordLetterRow,
) -> Result<(), StorageError> {
    diesel::update(
        password_letters::table
            .filter(password_letters::user_id.eq(&row.user_id))
            .filter(password_letters::sealed.is_not_null()),
    )
    .set(password_letters::sealed.eq(None::<String>))
    .execute(conn)?;
    diesel::insert_into(password_letters::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The letters a supervisor holds, newest first (opened ones included, for the record).
pub fn letters_of_supervisor(
    conn: &mut DbConnection,
    supervisor_id: &str,
) -> Result<Vec<PasswordLetterRow>, StorageError> {
    Ok(password_letters::table
        .filter(password_letters::supervisor_id.eq(supervisor_id))
        .order(password_letters::created_at.desc())
        .limit(50)
        .select(PasswordLetterRow::as_select())
        .load(conn)?)
}

/// Takes the sealed secret out of a letter of this supervisor, once: the row keeps only when it
/// was opened. `None` when there is no such letter or it was opened (or voided) before.
pub fn open_password_letter(
    conn: &mut DbConnection,
    id: &str,
    supervisor_id: &str,
    at: NaiveDateTime,
) -> Result<Option<(PasswordLetterRow, String)>, StorageError> {
    let row: Option<PasswordLetterRow> = password_letters::table
        .find(id)
        .filter(password_letters::supervisor_id.eq(supervisor_id))
        .select(PasswordLetterRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let Some(sealed) = row.sealed.clone() else {
        return Ok(None);
    };
    // Guarded on the sealed text still being there: of two concurrent opens, one wins.
    let n = diesel::update(
        password_letters::table
            .find(id)
            .filter(password_letters::sealed.eq(&sealed)),
    )
    .set((
        password_letters::sealed.eq(None::<String>),
        password_letters::opened_at.eq(Some(at)),
    ))
    .execute(conn)?;
    Ok((n == 1).then_some((row, sealed)))
}

/// Files a near relative.
pub fn insert_near_relative(
    conn: &mut DbConnection,
    row: &NearRelativeRow,
) -> Result<(), StorageError> {
    diesel::insert_into(near_relatives::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A user's filings, withdrawn ones included (the record is kept).
pub fn near_relatives_of(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Vec<NearRelativeRow>, StorageError> {
    Ok(near_relatives::table
        .filter(near_relatives::user_id.eq(user_id))
        .order(near_relatives::filed_at)
        .select(NearRelativeRow::as_select())
        .load(conn)?)
}

/// Withdraws one of the user's own filings.
pub fn withdraw_near_relative(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    let n = diesel::update(
        near_relatives::table
            .filter(near_relatives::id.eq(id))
            .filter(near_relatives::user_id.eq(user_id))
            .filter(near_relatives::withdrawn_at.is_null()),
    )
    .set(near_relatives::withdrawn_at.eq(Some(at)))
    .execute(conn)?;
    if n == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Active filings whose relative has one of these ID lookup keys, with the staff member who
/// filed each (an application from such a household is handled separately).
pub fn near_relatives_matching(
    conn: &mut DbConnection,
    id_keys: &[String],
) -> Result<Vec<(NearRelativeRow, UserRow)>, StorageError> {
    if id_keys.is_empty() {
        return Ok(vec![]);
    }
    Ok(near_relatives::table
        .inner_join(users::table)
        .filter(near_relatives::id_key.eq_any(id_keys))
        .filter(near_relatives::withdrawn_at.is_null())
        .select((NearRelativeRow::as_select(), UserRow::as_select()))
        .load(conn)?)
}

/// The lookup keys of every filing in force (a small table: staff × relatives), for matching
/// households in memory before asking for details.
pub fn active_near_relative_keys(conn: &mut DbConnection) -> Result<Vec<String>, StorageError> {
    Ok(near_relatives::table
        .filter(near_relatives::withdrawn_at.is_null())
        .select(near_relatives::id_key)
        .load(conn)?)
}
