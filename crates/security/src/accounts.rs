//! Staff accounts and sign-in (等保 2.0 身份鉴别 and 访问控制): argon2id passwords under the
//! password rules, lockout after repeated failures kept in the database (so a restart does not
//! reset it), one message for every refusal (no account enumeration), a fresh random session
//! token at every sign-in stored only as its SM3 digest, idle and absolute session timeouts,
//! TOTP required for the three administrators and optional for everyone else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDateTime};
use jiuzhu_crypto::Keys;
use jiuzhu_domain::{Permission, RegionCode, Role, Scope, password};
use jiuzhu_storage::models::{SessionRow, UserRow};
use jiuzhu_storage::{Db, DbConnection, accounts as store, ids};
use serde::{Deserialize, Serialize};

use super::passwords::LetterSecret;
use super::{passwords, totp};
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::audit::{Audit, Event, Outcome};

/// An account in use.
pub const APPROVAL_APPROVED: &str = "approved";
/// An account a system administrator asked for, waiting for the security administrator.
pub const APPROVAL_PENDING: &str = "pending";
/// An account the security administrator refused (kept, disabled, for the record).
pub const APPROVAL_REJECTED: &str = "rejected";
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Errors;
use jiuzhu_kernel::regions::RegionCache;

/// Sign-in and session limits. Defaults follow common 等保 practice; deployments may tighten.
#[derive(Debug, Clone, Copy)]
pub struct SecurityPolicy {
    /// Consecutive failures that lock an account.
    pub max_failures: i32,
    /// How long a lock lasts.
    pub lockout: Duration,
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute_timeout: Duration,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        SecurityPolicy {
            max_failures: 5,
            lockout: Duration::minutes(15),
            idle_timeout: Duration::minutes(30),
            absolute_timeout: Duration::hours(8),
        }
    }
}

impl SecurityPolicy {
    /// The one message of every refused sign-in, whatever the cause (no account enumeration),
    /// stating the lockout rule in force.
    pub fn refusal(&self) -> String {
        format!(
            "用户名、密码或动态口令不正确，或账户已锁定（连续失败 {} 次锁定 {} 分钟）",
            self.max_failures,
            self.lockout.num_minutes()
        )
    }
}

/// A new account.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewUser {
    /// Login name: 3–32 letters, digits, `.`, `_` or `-`.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role code or Chinese label.
    pub role: String,
    /// 12-digit region code (the level must fit the role).
    pub region_code: String,
    /// Initial password: only the platform (command line, demo, tests) may set one; an
    /// administrator leaves it empty and the password goes out in a sealed letter.
    pub password: String,
    /// The login name of the supervisor who receives the account's password letters (密码函)
    /// and hands them over: a business user whose region contains the account's. Required
    /// when an administrator asks for the account.
    pub supervisor: String,
}

/// An account as shown to administrators.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    /// Id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Role in Chinese.
    pub role_label: String,
    /// Region code.
    pub region_code: String,
    /// Region path.
    pub region_path: String,
    /// Second factor enrolled.
    pub totp_enabled: bool,
    /// Locked until (after failures), if now locked.
    pub locked_until: Option<String>,
    /// Disabled.
    pub disabled: bool,
    /// Must set a new password at next sign-in.
    pub must_change_password: bool,
    /// Last sign-in.
    pub last_login_at: Option<String>,
    /// `approved`, `pending` (waiting for the security administrator) or `rejected`.
    pub approval: String,
    /// Whether the account is waiting for the security administrator.
    pub pending: bool,
    /// The supervisor who receives its password letters (login name), if any.
    pub supervisor: Option<String>,
    /// Version (optimistic locking).
    pub version: i32,
}

/// A created account with its one-time secrets (shown once, never stored in clear).
#[derive(Debug, Clone, Serialize)]
pub struct CreatedUser {
    /// The account.
    pub user: UserView,
    /// The initial password when it was generated.
    pub initial_password: Option<String>,
    /// The TOTP secret (base32) for the administrators.
    pub totp_secret: Option<String>,
}

/// What a user types to sign in.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Credentials {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
    /// TOTP code (when enrolled).
    pub totp: String,
}

/// A signed-in session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The token (only in the cookie or the API client; the database holds its digest).
    pub token: String,
    /// The CSRF token of the session.
    pub csrf: String,
    /// Who is signed in.
    pub actor: Actor,
    /// The user must set a new password before anything else.
    pub must_change_password: bool,
}

/// The accounts service.
#[derive(Clone)]
pub struct Accounts {
    /// The database.
    pub db: Db,
    pub(super) keys: Arc<Keys>,
    /// The division tree.
    pub regions: Arc<RegionCache>,
    /// The audit service (sign-ins and account changes are audited).
    pub audit: Audit,
    /// Limits.
    pub policy: SecurityPolicy,
    scopes: Arc<Mutex<HashMap<String, Scope>>>,
}

fn fmt_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

impl Accounts {
    /// The service over the database, keys and division tree.
    pub fn new(db: Db, keys: Arc<Keys>, regions: Arc<RegionCache>) -> Self {
        Accounts {
            audit: Audit::new(keys.clone()),
            db,
            keys,
            regions,
            policy: SecurityPolicy::default(),
            scopes: Arc::default(),
        }
    }

    /// The scope of a region, built once per region (building the city's walks every region).
    pub fn scope_of(&self, region: &RegionCode) -> Scope {
        let mut map = self.scopes.lock().expect("scope cache lock");
        map.entry(region.to_string())
            .or_insert_with(|| self.regions.scope(region))
            .clone()
    }

    fn actor_of(&self, u: &UserRow, ip: &str) -> Option<Actor> {
        let region = RegionCode::parse(&u.region_code).ok()?;
        Some(Actor::user(
            u.id.clone(),
            u.username.clone(),
            u.display_name.clone(),
            Role::parse(&u.role)?,
            region.clone(),
            self.scope_of(&region),
            ip.to_owned(),
        ))
    }

    /// An account as shown; the supervisor's login name is read on the caller's connection
    /// (never a second one from the pool: the command line runs with a pool of one).
    fn view(&self, conn: &mut DbConnection, u: &UserRow) -> UserView {
        let now = jiuzhu_domain::time::now();
        UserView {
            id: u.id.clone(),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.clone(),
            role_label: Role::parse(&u.role).map(Role::zh).unwrap_or("?").to_owned(),
            region_code: u.region_code.clone(),
            region_path: RegionCode::parse(&u.region_code)
                .map(|r| self.regions.path(&r))
                .unwrap_or_default(),
            totp_enabled: u.totp_enabled,
            locked_until: u.locked_until.filter(|t| *t > now).map(fmt_time),
            disabled: u.disabled,
            must_change_password: u.must_change_password,
            last_login_at: u.last_login_at.map(fmt_time),
            approval: u.approval.clone(),
            pending: u.approval == APPROVAL_PENDING,
            supervisor: u
                .supervisor_id
                .as_ref()
                .and_then(|id| store::user_by_id(conn, id).ok().flatten())
                .map(|s| s.username),
            version: u.version,
        }
    }

    pub(super) fn seal_totp(&self, secret: &str) -> String {
        self.keys.cipher.encrypt("users.totp_secret", secret)
    }

    pub(super) fn open_totp(&self, stored: &str) -> Option<String> {
        self.keys.cipher.decrypt("users.totp_secret", stored).ok()
    }

    /// Creates an account (等保 三员, issue 15 F4).
    ///
    /// Asked for by a system administrator, the account waits for the security administrator's
    /// approval ([`Accounts::approve_user`]) and cannot sign in until then; no administrator
    /// chooses or sees its password, which goes out sealed in a letter to the named supervisor.
    /// Made by the platform (command line bootstrap, demo), it is usable at once: a password
    /// is generated when none is given and returned once. Administrators' accounts carry a TOTP
    /// secret (they cannot sign in without it). The first sign-in asks for a new password.
    pub fn create_user(&self, who: &Actor, input: &NewUser) -> Result<CreatedUser, AppError> {
        self.create(who, input, true)
    }

    /// Creates an account that keeps the password given, with no forced change at first
    /// sign-in: for the demo's accounts and for tests, whose passwords are published anyway.
    pub fn create_user_keeping_password(
        &self,
        who: &Actor,
        input: &NewUser,
    ) -> Result<CreatedUser, AppError> {
        self.create(who, input, false)
    }

    fn create(
        &self,
        who: &Actor,
        input: &NewUser,
        must_change_password: bool,
    ) -> Result<CreatedUser, AppError> {
        who.require(Permission::ManageUsers)?;
        let mut errs = Errors::default();
        let username = input.username.trim();
        if username.len() < 3
            || username.len() > 32
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            errs.push(
                "username",
                "用户名为 3–32 位字母、数字或 . _ -",
                "3–32 letters, digits, . _ or -",
            );
        }
        let display_name = input.display_name.trim();
        if display_name.is_empty() || display_name.chars().count() > 40 {
            errs.push(
                "display_name",
                "姓名必须填写（不超过 40 字）",
                "name is required",
            );
        }
        let role = Role::parse(&input.role);
        if role.is_none() {
            errs.push(
                "role",
                format!("应为以下之一：{}", Role::choices_zh()),
                "unknown role",
            );
        }
        let region = match RegionCode::parse(input.region_code.trim()) {
            Ok(r) if self.regions.get(&r).is_some() => Some(r),
            _ => {
                errs.push("region_code", "区划代码无效", "unknown region code");
                None
            }
        };
        if let (Some(role), Some(region)) = (role, &region) {
            if !role.fits(region) {
                let levels: Vec<&str> = role
                    .levels()
                    .iter()
                    .map(|l| match l {
                        jiuzhu_domain::RegionLevel::Village => "村（社区）",
                        jiuzhu_domain::RegionLevel::Township => "乡镇（街道）",
                        jiuzhu_domain::RegionLevel::County => "县（区）",
                        _ => "市",
                    })
                    .collect();
                errs.push(
                    "region_code",
                    format!("{}须设在{}级", role.zh(), levels.join("或")),
                    "the region's level does not fit the role",
                );
            }
            if !who.scope.contains(region) {
                errs.push("region_code", "只能在本辖区内建用户", "outside your area");
            }
        }
        // Only the platform may choose a password; a person asking for an account never learns
        // it (三员: the system administrator must not be able to sign in as anyone).
        let by_platform = who.is_platform();
        let generated = input.password.is_empty();
        let password = if generated {
            generate_password()
        } else {
            input.password.clone()
        };
        if !by_platform && !generated {
            errs.push(
                "password",
                "管理员不能为他人设定密码：初始密码由系统生成，批准后装入密码函交转交人",
                "administrators cannot set another person's password",
            );
        } else if let Err(e) = password::check_strength(&password, username) {
            errs.push("password", e.to_string(), e.en());
        }
        let supervisor = match (&region, input.supervisor.trim()) {
            (_, "") if by_platform => None,
            (Some(region), name) => match self.supervisor_for(name, region, username) {
                Ok(s) => Some(s),
                Err(f) => {
                    errs.0.push(f);
                    None
                }
            },
            (None, _) => None,
        };
        errs.finish(())?;
        let (role, region) = (role.expect("checked"), region.expect("checked"));
        let now = jiuzhu_domain::time::now();
        let approved = by_platform;
        let secret = (approved && role.requires_totp()).then(totp::new_secret);
        let row = UserRow {
            id: ids::new_id(),
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            role: role.code().to_owned(),
            region_code: region.to_string(),
            password_hash: passwords::hash(&password),
            totp_secret: secret.as_deref().map(|s| self.seal_totp(s)),
            totp_enabled: secret.is_some(),
            failed_logins: 0,
            locked_until: None,
            disabled: false,
            must_change_password,
            password_changed_at: now,
            last_login_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
            approval: if approved {
                APPROVAL_APPROVED
            } else {
                APPROVAL_PENDING
            }
            .into(),
            requested_by: who.user_id.clone(),
            supervisor_id: supervisor.map(|s| s.id),
        };
        let mut conn = self.db.conn()?;
        let action = if approved {
            "user.create"
        } else {
            "user.request"
        };
        jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
            store::insert_user(c, &row)?;
            self.audit.record(
                c,
                who,
                Event::new(action, "user", &row.id, &row.region_code).detail(
                    serde_json::json!({"username": row.username, "role": row.role,
                        "region_code": row.region_code, "approval": row.approval}),
                ),
            )
        })?;
        Ok(CreatedUser {
            user: self.view(&mut conn, &row),
            initial_password: (approved && generated).then_some(password),
            totp_secret: secret,
        })
    }

    /// Accounts inside the administrator's region, by user name.
    pub fn list_users(&self, who: &Actor, after: Option<&str>) -> Result<Vec<UserView>, AppError> {
        if !who.can(Permission::ManageUsers) {
            who.require(Permission::ManageSecurity)?;
        }
        let mut conn = self.db.conn()?;
        let rows = store::list_users(&mut conn, &who.scope, after, 200)?;
        Ok(rows.iter().map(|u| self.view(&mut conn, u)).collect())
    }

    /// One account by user name, inside the administrator's region.
    pub fn user_by_name(&self, who: &Actor, username: &str) -> Result<UserView, AppError> {
        let mut conn = self.db.conn()?;
        let u = store::user_by_name(&mut conn, username)?.ok_or(AppError::NotFound)?;
        let u = store::user_in(&mut conn, &who.scope, &u.id)?;
        Ok(self.view(&mut conn, &u))
    }

    /// One account by id, inside the administrator's region.
    pub fn user_by_id(&self, who: &Actor, id: &str) -> Result<UserView, AppError> {
        if !who.can(Permission::ManageUsers) {
            who.require(Permission::ManageSecurity)?;
        }
        let mut conn = self.db.conn()?;
        let u = store::user_in(&mut conn, &who.scope, id)?;
        Ok(self.view(&mut conn, &u))
    }

    /// Changes an account (administration), audited with what changed; ends its sessions when
    /// it loses access.
    pub(super) fn change_user(
        &self,
        who: &Actor,
        id: &str,
        action: &str,
        end_sessions: bool,
        f: impl FnOnce(&mut UserRow, &mut DbConnection) -> Result<serde_json::Value, AppError>,
    ) -> Result<UserView, AppError> {
        let mut conn = self.db.conn()?;
        let saved = jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<UserRow, AppError> {
            let mut u = store::user_in(c, &who.scope, id)?;
            let detail = f(&mut u, c)?;
            let saved = store::update_user(c, &u)?;
            if end_sessions {
                store::delete_sessions_of(c, id)?;
            }
            self.audit.record(
                c,
                who,
                Event::new(action, "user", id, &u.region_code).detail(detail),
            )?;
            Ok(saved)
        })?;
        Ok(self.view(&mut conn, &saved))
    }

    /// Sets a new random password to be changed at the next sign-in and ends the account's
    /// sessions (issue 15 F4: a reset never shows a password to an administrator). Asked by
    /// a system administrator, the password goes sealed into a letter for the account's
    /// supervisor (`supervisor` names a new one; empty keeps the one on file) and nothing is
    /// returned. Asked by the platform (the command line's operator), it is returned once.
    pub fn reset_password(
        &self,
        who: &Actor,
        id: &str,
        supervisor: &str,
    ) -> Result<Option<String>, AppError> {
        who.require(Permission::ManageUsers)?;
        if who.user_id.as_deref() == Some(id) {
            return Err(AppError::Conflict(
                "不能重置自己的密码，请在「我的账户」中修改".into(),
            ));
        }
        let mut conn = self.db.conn()?;
        let u = store::user_in(&mut conn, &who.scope, id)?;
        drop(conn);
        if u.approval != APPROVAL_APPROVED {
            return Err(AppError::Conflict(
                "该账户尚未获安全管理员批准，批准时将生成密码函".into(),
            ));
        }
        let by_platform = who.is_platform();
        let letter_to = if by_platform && supervisor.trim().is_empty() {
            None
        } else {
            Some(self.letter_recipient(&u, supervisor)?)
        };
        let pw = generate_password();
        let hash = passwords::hash(&pw);
        let secret = LetterSecret {
            password: Some(pw.clone()),
            totp_secret: None,
        };
        let sup_id = letter_to.as_ref().map(|s| s.id.clone());
        self.change_user(who, id, "user.reset_password", true, |u, c| {
            u.password_hash = hash;
            u.must_change_password = true;
            u.password_changed_at = jiuzhu_domain::time::now();
            u.failed_logins = 0;
            u.locked_until = None;
            if let Some(s) = &sup_id {
                u.supervisor_id = Some(s.clone());
                self.write_letter(c, &u.id, s, "reset", &secret)?;
            }
            Ok(serde_json::json!({"must_change_password": true,
                "letter_to": sup_id}))
        })?;
        Ok(letter_to.is_none().then_some(pw))
    }

    /// Disables or re-enables an account; disabling ends its sessions at once.
    pub fn set_disabled(
        &self,
        who: &Actor,
        id: &str,
        disabled: bool,
    ) -> Result<UserView, AppError> {
        who.require(Permission::ManageUsers)?;
        if who.user_id.as_deref() == Some(id) {
            return Err(AppError::Conflict("不能停用自己的账户".into()));
        }
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        self.change_user(who, id, action, disabled, |u, _| {
            let old = u.disabled;
            u.disabled = disabled;
            Ok(serde_json::json!({"disabled": [old, disabled]}))
        })
    }

    /// Lifts a lockout (安全管理员).
    pub fn unlock(&self, who: &Actor, id: &str) -> Result<UserView, AppError> {
        who.require(Permission::ManageSecurity)?;
        self.change_user(who, id, "user.unlock", false, |u, _| {
            u.locked_until = None;
            u.failed_logins = 0;
            Ok(serde_json::json!({"unlocked": true}))
        })
    }

    /// Signs in. Every refusal answers the same [`SecurityPolicy::refusal`] and takes the time of an
    /// argon2 verification, whether the name exists or not; every attempt is audited.
    pub fn login(&self, c: &Credentials, ip: &str) -> Result<Session, AppError> {
        let now = jiuzhu_domain::time::now();
        let mut conn = self.db.conn()?;
        let username = c.username.trim();
        let user = store::user_by_name(&mut conn, username)?;
        let refuse = |who: Actor, region: &str, why: &str, outcome: Outcome| {
            self.audit.record_alone(
                &self.db,
                &who,
                Event::new(
                    "login",
                    "user",
                    who.user_id.as_deref().unwrap_or(""),
                    region,
                )
                .outcome(outcome)
                .detail(serde_json::json!({"why": why})),
            )?;
            Err(AppError::Forbidden(self.policy.refusal()))
        };
        let Some(u) = user else {
            passwords::verify(&c.password, passwords::dummy_hash());
            let city = self.scope_of(&RegionCode::parse("4105").expect("city"));
            let who = Actor::anonymous(city, username, ip);
            return refuse(
                who,
                jiuzhu_kernel::CITY_CHAIN,
                "unknown user",
                Outcome::Failed,
            );
        };
        let Some(who) = self.actor_of(&u, ip) else {
            return Err(AppError::Forbidden(self.policy.refusal()));
        };
        let password_ok = passwords::verify(&c.password, &u.password_hash);
        if u.disabled {
            return refuse(who, &u.region_code, "disabled", Outcome::Denied);
        }
        if u.approval != APPROVAL_APPROVED {
            return refuse(who, &u.region_code, "not approved", Outcome::Denied);
        }
        if u.locked_until.is_some_and(|t| t > now) {
            return refuse(who, &u.region_code, "locked", Outcome::Denied);
        }
        let totp_ok = !u.totp_enabled
            || u.totp_secret
                .as_deref()
                .and_then(|s| self.open_totp(s))
                .is_some_and(|s| totp::check(&s, &c.totp, unix_now()));
        if !password_ok || !totp_ok {
            let locked = store::record_failed_login(
                &mut conn,
                &u.id,
                self.policy.max_failures,
                now + self.policy.lockout,
            )?;
            let why = if !password_ok {
                "wrong password"
            } else {
                "wrong totp"
            };
            if locked {
                self.audit.record_alone(
                    &self.db,
                    &who,
                    Event::new("user.lock", "user", &u.id, &u.region_code)
                        .outcome(Outcome::Denied)
                        .detail(serde_json::json!({"until": fmt_time(now + self.policy.lockout)})),
                )?;
            }
            return refuse(who, &u.region_code, why, Outcome::Failed);
        }
        let session = Session {
            token: jiuzhu_crypto::random_token(32),
            csrf: jiuzhu_crypto::random_token(24),
            actor: who.clone(),
            must_change_password: u.must_change_password,
        };
        jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
            store::record_login(c, &u.id, now)?;
            store::insert_session(
                c,
                &SessionRow {
                    token_hash: token_hash(&session.token),
                    user_id: u.id.clone(),
                    csrf_token: session.csrf.clone(),
                    ip: ip.to_owned(),
                    created_at: now,
                    last_seen_at: now,
                },
            )?;
            self.audit
                .record(c, &who, Event::new("login", "user", &u.id, &u.region_code))
        })?;
        Ok(session)
    }

    /// The session of a token, if still valid; ends it when idle or too old, or when the
    /// account was disabled meanwhile.
    pub fn session(&self, token: &str, ip: &str) -> Result<Option<Session>, AppError> {
        let now = jiuzhu_domain::time::now();
        let hash = token_hash(token);
        let mut conn = self.db.conn()?;
        let Some((s, u)) = store::session(&mut conn, &hash)? else {
            return Ok(None);
        };
        let expired = now - s.last_seen_at > self.policy.idle_timeout
            || now - s.created_at > self.policy.absolute_timeout;
        if expired || u.disabled {
            store::delete_session(&mut conn, &hash)?;
            return Ok(None);
        }
        // At most one write a minute per session: reading pages stays read-only.
        if now - s.last_seen_at > Duration::minutes(1) {
            store::touch_session(&mut conn, &hash, now)?;
        }
        Ok(self.actor_of(&u, ip).map(|actor| Session {
            token: token.to_owned(),
            csrf: s.csrf_token,
            actor,
            must_change_password: u.must_change_password,
        }))
    }

    /// Ends a session.
    pub fn logout(&self, session: &Session) -> Result<(), AppError> {
        let mut conn = self.db.conn()?;
        jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
            store::delete_session(c, &token_hash(&session.token))?;
            let who = &session.actor;
            self.audit.record(
                c,
                who,
                Event::new(
                    "logout",
                    "user",
                    who.user_id.as_deref().unwrap_or(""),
                    &who.region.to_string(),
                ),
            )
        })
    }

    /// Changes one's own password (the current one is asked again). Every other session and
    /// API token of the user ends (issue 15 F11): a password changed because it leaked also
    /// shuts out whoever used it; the session that changed it stays.
    pub fn change_password(
        &self,
        session: &Session,
        current: &str,
        new: &str,
        confirm: &str,
    ) -> Result<(), AppError> {
        let who = &session.actor;
        let id = who.user_id.as_deref().ok_or(AppError::NotFound)?;
        let mut conn = self.db.conn()?;
        let u = store::user_by_id(&mut conn, id)?.ok_or(AppError::NotFound)?;
        let mut errs = Errors::default();
        if !passwords::verify(current, &u.password_hash) {
            errs.push("current", "当前密码不正确", "current password is wrong");
        }
        if let Err(e) = password::check_strength(new, &u.username) {
            errs.push("new", e.to_string(), e.en());
        } else if new == current {
            errs.push(
                "new",
                "新密码不能与当前密码相同",
                "must differ from the current one",
            );
        }
        if new != confirm {
            errs.push(
                "confirm",
                "两次输入的新密码不一致",
                "the two entries differ",
            );
        }
        errs.finish(())?;
        let hash = passwords::hash(new);
        jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
            let mut u = store::user_by_id(c, id)?.ok_or(AppError::NotFound)?;
            u.password_hash = hash;
            u.must_change_password = false;
            u.password_changed_at = jiuzhu_domain::time::now();
            store::update_user(c, &u)?;
            let ended = store::delete_other_sessions(c, id, &token_hash(&session.token))?;
            self.audit.record(
                c,
                who,
                Event::new("user.change_password", "user", id, &u.region_code)
                    .detail(serde_json::json!({"other_sessions_ended": ended})),
            )
        })
    }
}

/// The stored digest of a session token.
pub fn token_hash(token: &str) -> String {
    jiuzhu_crypto::sm3_hex(token.as_bytes())
}

pub(super) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The TOTP code of a secret now (tests and the command line).
pub fn totp_code_now(secret_b32: &str) -> String {
    totp::code_at(secret_b32, unix_now())
}

/// A random password that passes the rules (16 characters, four classes).
pub fn generate_password() -> String {
    let t = jiuzhu_crypto::random_token(12);
    let core: String = t
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(12)
        .collect();
    format!("Jz{core}-7q")
}
