//! Issue 15 item 5: who acts at the command line. A payroll step that one person must not take
//! alone (check, approve) is taken by a person who proves it is them — an API token of theirs
//! (`JIUZHU_TOKEN`, from `POST /api/v1/session`), or their password and, when enrolled, TOTP
//! code (`JIUZHU_PASSWORD`, `JIUZHU_TOTP`, else asked at the terminal without echo) — and then
//! acts with their own role and region, exactly as in the browser. A typed `--user` name alone
//! proves nothing, so it is never taken on trust. Without `--user`, steps that allow it (the
//! draft, the bank files, the reconciliation: the operator's scheduled jobs) run as the
//! platform.

use jiuzhu_app::Actor;
use jiuzhu_app::Context;
use jiuzhu_app::security::accounts::{Accounts, Credentials, Session};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The signed-in person, or the platform.
pub enum Acting {
    /// The platform itself (a scheduled job).
    Platform(Actor),
    /// A person with a session of their own (ended when done).
    Person(Accounts, Session),
}

impl Acting {
    /// The actor every service call is made for.
    pub fn actor(&self) -> &Actor {
        match self {
            Acting::Platform(a) => a,
            Acting::Person(_, s) => &s.actor,
        }
    }

    /// Ends the person's session (the token given in `JIUZHU_TOKEN` is left alone).
    pub fn finish(self) {
        if let Acting::Person(accounts, s) = self
            && std::env::var("JIUZHU_TOKEN").is_err()
        {
            let _ = accounts.logout(&s);
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Signs `user` in with their own credentials; `None` with `platform` allowed acts as the
/// platform, otherwise a person is required.
pub fn acting(
    registry: &Context,
    platform: Actor,
    user: Option<&str>,
    platform_allowed: bool,
    step: &str,
) -> Result<Acting> {
    let accounts = Accounts::new(
        registry.db.clone(),
        registry.keys.clone(),
        registry.regions.clone(),
    );
    let Some(user) = user else {
        if platform_allowed && env("JIUZHU_TOKEN").is_none() {
            return Ok(Acting::Platform(platform));
        }
        if let Some(token) = env("JIUZHU_TOKEN") {
            let s = accounts
                .session(&token, "cli")?
                .ok_or("JIUZHU_TOKEN 无效或已过期，请重新登录获取")?;
            return Ok(Acting::Person(accounts, s));
        }
        return Err(format!(
            "「{step}」须由本人办理：请用 --user 用户名，并提供本人密码（JIUZHU_PASSWORD 或终端输入）或本人的 API 令牌（JIUZHU_TOKEN）"
        )
        .into());
    };
    if let Some(token) = env("JIUZHU_TOKEN") {
        let s = accounts
            .session(&token, "cli")?
            .ok_or("JIUZHU_TOKEN 无效或已过期，请重新登录获取")?;
        if s.actor.username != user {
            return Err(
                format!("JIUZHU_TOKEN 属于 {}，不是 --user {user}", s.actor.username).into(),
            );
        }
        return Ok(Acting::Person(accounts, s));
    }
    let password = match env("JIUZHU_PASSWORD") {
        Some(p) => p,
        None => rpassword::prompt_password(format!("{user} 的密码："))?,
    };
    let totp = env("JIUZHU_TOTP").unwrap_or_default();
    let session = accounts.login(
        &Credentials {
            username: user.to_owned(),
            password,
            totp,
        },
        "cli",
    )?;
    if session.must_change_password {
        let _ = accounts.logout(&session);
        return Err("请先在网页上修改初始密码，再在命令行办理".into());
    }
    Ok(Acting::Person(accounts, session))
}
