//! The demo city's accounts (synthetic data only): one per role, all with [`DEMO_PASSWORD`] and
//! no forced change, printed by `jiuzhu demo`. Not used by a real deployment.

use jiuzhu_domain::{RegionCode, Role};
use jiuzhu_storage::accounts as store;

use jiuzhu_app::Actor;
use jiuzhu_app::AppError;
use jiuzhu_app::security::accounts::{Accounts, NewUser};

/// The password of every demo account (synthetic data only).
pub const DEMO_PASSWORD: &str = "Demo-2026-jiuzhu";

/// A demo account as printed by `jiuzhu demo`.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// Login name.
    pub username: String,
    /// Role in Chinese.
    pub role: &'static str,
    /// Region path.
    pub region: String,
    /// TOTP secret (administrators).
    pub totp_secret: Option<String>,
}

/// One account per role for the demo city (文峰区, its first township and village), all with
/// [`DEMO_PASSWORD`] and no forced change; existing ones are left as they are.
pub fn seed_demo_users(accounts: &Accounts) -> Result<Vec<DemoAccount>, AppError> {
    let system = Actor::system(accounts.scope_of(&RegionCode::parse("4105").expect("city")));
    let mut out = vec![];
    for role in Role::ALL {
        let region = match role.levels()[0] {
            jiuzhu_domain::RegionLevel::Village => "410502001001",
            jiuzhu_domain::RegionLevel::Township => "410502001",
            jiuzhu_domain::RegionLevel::County => "410502",
            _ => "4105",
        };
        let username = format!("demo.{}", role.code().replace('_', "-"));
        let mut conn = accounts.db.conn()?;
        if store::user_by_name(&mut conn, &username)?.is_some() {
            continue;
        }
        drop(conn);
        let code = RegionCode::parse(region).expect("demo region");
        let created = accounts.create_user_keeping_password(
            &system,
            &NewUser {
                username: username.clone(),
                display_name: format!("演示{}", role.zh()),
                role: role.code().into(),
                region_code: code.to_string(),
                password: DEMO_PASSWORD.into(),
                supervisor: String::new(),
            },
        )?;
        out.push(DemoAccount {
            username,
            role: role.zh(),
            region: accounts.regions.path(&code),
            totp_secret: created.totp_secret,
        });
    }
    Ok(out)
}
