//! 等保 三员 (issue 15 F4): the security administrator's second approval of the accounts a
//! system administrator asks for, and the one-time password letters (密码函) that carry an
//! account's first or reset password — or an administrator's new TOTP secret — to the person.
//!
//! No administrator ever sees another person's secret: it is generated at approval or reset,
//! sealed (SM4-GCM) into a letter addressed to the account's supervisor — a business user whose
//! region contains the account's, never an administrator — who opens it once, prints it and
//! hands it over; opening erases the sealed copy. The first sign-in with it must set a new
//! password, so a supervisor who kept a copy holds nothing the person still uses.

use jiuzhu_domain::{Permission, RegionCode, Role};
use jiuzhu_storage::models::{PasswordLetterRow, UserRow};
use jiuzhu_storage::{DbConnection, accounts as store, ids};
use serde::Serialize;

use super::accounts::{
    APPROVAL_APPROVED, APPROVAL_PENDING, APPROVAL_REJECTED, Accounts, UserView, generate_password,
};
use super::passwords::{self, LetterSecret};
use super::totp;
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::FieldError;
use jiuzhu_kernel::audit::Event;

/// The purpose of the sealed column (the cipher binds it to the ciphertext).
const SEALED_FIELD: &str = "password_letters.sealed";

/// A letter as listed to its supervisor.
#[derive(Debug, Clone, Serialize)]
pub struct LetterView {
    /// Id.
    pub id: String,
    /// The account's login name.
    pub username: String,
    /// The account's name.
    pub display_name: String,
    /// The account's role in Chinese.
    pub role_label: String,
    /// Why it was written, in Chinese.
    pub purpose_label: &'static str,
    /// Written.
    pub created_at: String,
    /// Opened (then it holds nothing any more), or voided by a newer letter.
    pub opened_at: Option<String>,
    /// Whether it can still be opened.
    pub sealed: bool,
}

/// An opened letter: what the supervisor prints and hands over.
#[derive(Debug, Clone, Serialize)]
pub struct OpenedLetter {
    /// The letter's id (its number on the printout).
    pub id: String,
    /// The account's login name.
    pub username: String,
    /// The account's name.
    pub display_name: String,
    /// The account's role in Chinese.
    pub role_label: String,
    /// The account's region path.
    pub region_path: String,
    /// Why it was written, in Chinese.
    pub purpose_label: &'static str,
    /// The one-time password, if the letter carries one.
    pub password: Option<String>,
    /// The TOTP secret, if the letter carries one.
    pub totp_secret: Option<String>,
    /// The supervisor's name.
    pub supervisor: String,
    /// Written.
    pub created_at: String,
    /// Opened.
    pub opened_at: String,
}

fn purpose_label(purpose: &str) -> &'static str {
    match purpose {
        "create" => "新账户初始密码",
        "reset" => "重置后的临时密码",
        "totp" => "重置后的动态口令密钥",
        _ => "密码函",
    }
}

fn fmt_time(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn supervisor_error(msg: impl Into<String>, en: &str) -> FieldError {
    FieldError::new("supervisor", msg, en)
}

impl Accounts {
    /// The supervisor named for an account in `region`: an approved, active business user
    /// whose region contains the account's, not the account itself.
    pub(super) fn supervisor_for(
        &self,
        name: &str,
        region: &RegionCode,
        account_username: &str,
    ) -> Result<UserRow, FieldError> {
        if name.is_empty() {
            return Err(supervisor_error(
                "请填写转交人（主管）的用户名：密码函由其打开并转交本人",
                "name the supervisor who hands the password letter over",
            ));
        }
        let mut conn = self
            .db
            .conn()
            .map_err(|_| supervisor_error("暂时无法核对转交人，请重试", "try again"))?;
        let s = store::user_by_name(&mut conn, name)
            .ok()
            .flatten()
            .ok_or_else(|| {
                supervisor_error(format!("没有用户名为 {name} 的账户"), "no such user")
            })?;
        let role = Role::parse(&s.role);
        if s.username == account_username {
            return Err(supervisor_error(
                "转交人不能是账户本人",
                "the supervisor cannot be the account itself",
            ));
        }
        if role.is_none_or(Role::is_administrator) {
            return Err(supervisor_error(
                "转交人须为业务人员，三员（系统、安全、审计管理员）不能转交密码",
                "the supervisor must be a business user, not an administrator",
            ));
        }
        if s.disabled || s.approval != APPROVAL_APPROVED {
            return Err(supervisor_error(
                "转交人账户已停用或尚未批准",
                "the supervisor's account is not active",
            ));
        }
        let contains = RegionCode::parse(&s.region_code)
            .map(|r| self.scope_of(&r).contains(region))
            .unwrap_or(false);
        if !contains {
            return Err(supervisor_error(
                "转交人的辖区须包含该账户的辖区（本单位或上级主管）",
                "the supervisor's region must contain the account's",
            ));
        }
        Ok(s)
    }

    /// Who receives a letter for `u`: the supervisor named now, or the one on file.
    pub(super) fn letter_recipient(&self, u: &UserRow, named: &str) -> Result<UserRow, AppError> {
        let region = RegionCode::parse(&u.region_code).map_err(|_| AppError::NotFound)?;
        let name = match named.trim() {
            "" => {
                let mut conn = self.db.conn()?;
                match u.supervisor_id.as_deref() {
                    Some(id) => store::user_by_id(&mut conn, id)?
                        .map(|s| s.username)
                        .unwrap_or_default(),
                    None => String::new(),
                }
            }
            n => n.to_owned(),
        };
        self.supervisor_for(&name, &region, &u.username)
            .map_err(|f| AppError::Invalid(vec![f]))
    }

    /// Seals a letter for the supervisor (voiding the account's earlier unopened ones).
    pub(super) fn write_letter(
        &self,
        c: &mut DbConnection,
        user_id: &str,
        supervisor_id: &str,
        purpose: &str,
        secret: &LetterSecret,
    ) -> Result<(), AppError> {
        let json = serde_json::to_string(secret).expect("letter serialises");
        store::insert_password_letter(
            c,
            &PasswordLetterRow {
                id: ids::new_id(),
                user_id: user_id.to_owned(),
                supervisor_id: supervisor_id.to_owned(),
                purpose: purpose.to_owned(),
                sealed: Some(self.keys.cipher.encrypt(SEALED_FIELD, &json)),
                created_at: jiuzhu_domain::time::now(),
                opened_at: None,
            },
        )?;
        Ok(())
    }

    /// Approves an account a system administrator asked for (安全管理员, the second person):
    /// its password (and an administrator's TOTP secret) is generated now and sealed into a
    /// letter for its supervisor; the account can sign in from now on.
    pub fn approve_user(&self, who: &Actor, id: &str) -> Result<UserView, AppError> {
        who.require(Permission::ManageSecurity)?;
        let mut conn = self.db.conn()?;
        let u = store::user_in(&mut conn, &who.scope, id)?;
        drop(conn);
        if u.approval != APPROVAL_PENDING {
            return Err(AppError::Conflict("该账户不在待批准状态".into()));
        }
        if u.requested_by.is_some() && u.requested_by == who.user_id {
            return Err(AppError::Forbidden(
                "申请建账户的人不能自己批准（须由另一名安全管理员批准）".into(),
            ));
        }
        let supervisor = self.letter_recipient(&u, "")?;
        let needs_totp = Role::parse(&u.role).is_some_and(Role::requires_totp);
        let secret = LetterSecret {
            password: Some(generate_password()),
            totp_secret: needs_totp.then(totp::new_secret),
        };
        let hash = passwords::hash(secret.password.as_deref().expect("generated"));
        let sealed_totp = secret.totp_secret.as_deref().map(|s| self.seal_totp(s));
        self.change_user(who, id, "user.approve", false, |u, c| {
            u.approval = APPROVAL_APPROVED.into();
            u.password_hash = hash;
            u.must_change_password = true;
            u.password_changed_at = jiuzhu_domain::time::now();
            u.totp_enabled = sealed_totp.is_some();
            u.totp_secret = sealed_totp;
            self.write_letter(c, &u.id, &supervisor.id, "create", &secret)?;
            Ok(serde_json::json!({"approval": ["pending", "approved"],
                "letter_to": supervisor.username}))
        })
    }

    /// Refuses an account a system administrator asked for; it stays on file, disabled.
    pub fn reject_user(&self, who: &Actor, id: &str) -> Result<UserView, AppError> {
        who.require(Permission::ManageSecurity)?;
        self.change_user(who, id, "user.reject", false, |u, _| {
            if u.approval != APPROVAL_PENDING {
                return Err(AppError::Conflict("该账户不在待批准状态".into()));
            }
            u.approval = APPROVAL_REJECTED.into();
            u.disabled = true;
            Ok(serde_json::json!({"approval": ["pending", "rejected"]}))
        })
    }

    /// The password letters addressed to the signed-in user, newest first.
    pub fn letters(&self, who: &Actor) -> Result<Vec<LetterView>, AppError> {
        let Some(me) = who.user_id.as_deref() else {
            return Ok(vec![]);
        };
        let mut conn = self.db.conn()?;
        let rows = store::letters_of_supervisor(&mut conn, me)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(u) = store::user_by_id(&mut conn, &r.user_id)? else {
                continue;
            };
            out.push(LetterView {
                id: r.id,
                username: u.username,
                display_name: u.display_name,
                role_label: Role::parse(&u.role).map(Role::zh).unwrap_or("?").into(),
                purpose_label: purpose_label(&r.purpose),
                created_at: fmt_time(r.created_at),
                opened_at: r.opened_at.map(fmt_time),
                sealed: r.sealed.is_some(),
            });
        }
        Ok(out)
    }

    /// Opens a letter addressed to the signed-in user, once: the secret is returned for printing
    /// and erased from the database; the opening is audited (without the secret).
    pub fn open_letter(&self, who: &Actor, id: &str) -> Result<OpenedLetter, AppError> {
        let me = who.user_id.as_deref().ok_or(AppError::NotFound)?;
        let now = jiuzhu_domain::time::now();
        let mut conn = self.db.conn()?;
        let opened = jiuzhu_storage::in_transaction(
            &mut conn,
            |c| -> Result<(PasswordLetterRow, String, UserRow), AppError> {
                let Some((row, sealed)) = store::open_password_letter(c, id, me, now)? else {
                    return Err(AppError::Conflict(
                        "该密码函已打开过或已作废（密码函只能打开一次）；如遗失，请系统管理员重新重置"
                            .into(),
                    ));
                };
                let u = store::user_by_id(c, &row.user_id)?.ok_or(AppError::NotFound)?;
                self.audit.record(
                    c,
                    who,
                    Event::new("user.letter_open", "user", &u.id, &u.region_code)
                        .detail(serde_json::json!({"letter": row.id, "purpose": row.purpose,
                            "username": u.username})),
                )?;
                Ok((row, sealed, u))
            },
        )?;
        let (row, sealed, u) = opened;
        let json = self
            .keys
            .cipher
            .decrypt(SEALED_FIELD, &sealed)
            .map_err(|_| AppError::Conflict("密码函无法解封（密钥不符），请重新重置".into()))?;
        let secret: LetterSecret = serde_json::from_str(&json)
            .map_err(|_| AppError::Conflict("密码函内容损坏，请重新重置".into()))?;
        Ok(OpenedLetter {
            id: row.id,
            region_path: RegionCode::parse(&u.region_code)
                .map(|r| self.regions.path(&r))
                .unwrap_or_default(),
            username: u.username,
            display_name: u.display_name,
            role_label: Role::parse(&u.role).map(Role::zh).unwrap_or("?").into(),
            purpose_label: purpose_label(&row.purpose),
            password: secret.password,
            totp_secret: secret.totp_secret,
            supervisor: who.display_name.clone(),
            created_at: fmt_time(row.created_at),
            opened_at: fmt_time(now),
        })
    }
}
