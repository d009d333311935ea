//! Rows of sign-in and the audit: users, password letters, sessions, declared near relatives, the audit log and its chain heads.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::*;

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserRow {
    /// Id.
    pub id: String,
    /// Login name (unique).
    pub username: String,
    /// Name shown in pages and the audit log.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// 12-digit region the user works in.
    pub region_code: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Sealed TOTP secret.
    pub totp_secret: Option<String>,
    /// Whether the TOTP secret has been confirmed and is required at login.
    pub totp_enabled: bool,
    /// Consecutive failed logins.
    pub failed_logins: i32,
    /// Locked until (after too many failures).
    pub locked_until: Option<NaiveDateTime>,
    /// Disabled by an administrator.
    pub disabled: bool,
    /// The next login must set a new password (after creation or a reset).
    pub must_change_password: bool,
    /// When the password was last set.
    pub password_changed_at: NaiveDateTime,
    /// Last successful login.
    pub last_login_at: Option<NaiveDateTime>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Updated.
    pub updated_at: NaiveDateTime,
    /// Optimistic-locking version.
    pub version: i32,
    /// `approved`, `pending` (asked for by a system administrator, waiting for the security
    /// administrator) or `rejected`; only approved accounts sign in.
    pub approval: String,
    /// The administrator who asked for the account (none: the platform).
    pub requested_by: Option<String>,
    /// Who receives the account's password letters (密码函) to hand them over.
    pub supervisor_id: Option<String>,
}

/// A one-time password letter (密码函): sealed until the supervisor opens it, once.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = password_letters)]
pub struct PasswordLetterRow {
    /// Id.
    pub id: String,
    /// The account the letter is for.
    pub user_id: String,
    /// The supervisor who may open it.
    pub supervisor_id: String,
    /// `create` or `reset`.
    pub purpose: String,
    /// SM4-GCM sealed JSON of the password (and TOTP secret); none once opened.
    pub sealed: Option<String>,
    /// Written.
    pub created_at: NaiveDateTime,
    /// Opened by the supervisor.
    pub opened_at: Option<NaiveDateTime>,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    /// SM3 of the token.
    pub token_hash: String,
    /// The user.
    pub user_id: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// Client address at login.
    pub ip: String,
    /// Signed in at.
    pub created_at: NaiveDateTime,
    /// Last request at (updated at most once a minute).
    pub last_seen_at: NaiveDateTime,
}

/// A near relative declared by a staff member (近亲属备案).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = near_relatives)]
pub struct NearRelativeRow {
    /// Id.
    pub id: String,
    /// The staff member.
    pub user_id: String,
    /// The relative's name.
    pub relative_name: String,
    /// Relation (配偶, 父母, 子女 …).
    pub relation: String,
    /// Blind index of the relative's ID number.
    pub id_key: String,
    /// Sealed ID number.
    pub id_number: String,
    /// Filed at.
    pub filed_at: NaiveDateTime,
    /// Withdrawn at (the filing stays on record).
    pub withdrawn_at: Option<NaiveDateTime>,
}

/// One entry of an audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    /// The chain (county code, or 410500 for the city).
    pub county_code: String,
    /// Position in the chain, from 1.
    pub id: i64,
    /// When.
    pub at: NaiveDateTime,
    /// The acting user (none for anonymous attempts).
    pub user_id: Option<String>,
    /// The acting user's login name (as typed, for failed logins).
    pub username: String,
    /// The acting user's role code.
    pub role: String,
    /// Client address.
    pub ip: String,
    /// What was done (`household.view`, `person.update`, `login` …).
    pub action: String,
    /// `ok`, `denied` or `failed`.
    pub outcome: String,
    /// Kind of object (`household`, `person`, `user` …).
    pub object_kind: String,
    /// Object id.
    pub object_id: String,
    /// Region of the object (or of the user).
    pub region_code: String,
    /// Reason given (for reveals and exports).
    pub reason: String,
    /// JSON detail.
    pub detail: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// Keyed SM3 hash of this entry and `prev_hash`.
    pub hash: String,
}

impl AuditRow {
    /// The bytes the chain hash covers: every field but `hash`, unambiguously separated.
    pub fn canonical(&self) -> Vec<u8> {
        let fields: [&str; 15] = [
            &self.county_code,
            &self.id.to_string(),
            &self.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
            self.user_id.as_deref().unwrap_or(""),
            &self.username,
            &self.role,
            &self.ip,
            &self.action,
            &self.outcome,
            &self.object_kind,
            &self.object_id,
            &self.region_code,
            &self.reason,
            &self.detail,
            &self.prev_hash,
        ];
        let mut out = Vec::new();
        for f in fields {
            // Length-prefixed, so no choice of field values can collide with another.
            out.extend_from_slice(&(f.len() as u64).to_be_bytes());
            out.extend_from_slice(f.as_bytes());
        }
        out
    }
}

/// The head of an audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_heads)]
pub struct AuditHeadRow {
    /// The chain.
    pub chain: String,
    /// Last position.
    pub seq: i64,
    /// Hash of the last entry.
    pub hash: String,
    /// Keyed seal of (chain, seq, hash).
    pub seal: String,
}
