//! S22 / 等保 三员: `jiuzhu user add|reset|disable|code` — the platform operator's bootstrap of
//! the first administrators and emergency account care (the web's 用户管理 is where accounts are
//! asked for, approved and reset day to day).

use clap::Subcommand;
use jiuzhu_app::security::accounts::NewUser;

use crate::setup::{DbArgs, Result, accounts_of, city, open};

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Create an account as the platform's operator (the bootstrap of the first administrators;
    /// prints a generated password and, for administrators, the TOTP secret). Accounts made
    /// in the web by a system administrator instead wait for the security administrator and
    /// reach the person in a password letter.
    Add {
        /// Login name.
        username: String,
        /// Name shown.
        #[arg(long)]
        name: String,
        /// Role: a code (township_caseworker …) or its Chinese name (乡镇经办人 …).
        #[arg(long)]
        role: String,
        /// 12-digit region code (village, township, county or 410500000000 for the city).
        #[arg(long)]
        region: String,
        /// The supervisor who will receive the account's later password letters (login name).
        #[arg(long, default_value = "")]
        supervisor: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Give an account a new temporary password (printed; must be changed at next sign-in),
    /// or with --supervisor seal it into a password letter for that supervisor instead.
    Reset {
        /// Login name.
        username: String,
        /// Send the password in a letter to this supervisor rather than printing it.
        #[arg(long, default_value = "")]
        supervisor: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Disable an account and end its sessions.
    Disable {
        /// Login name.
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the current TOTP code of a secret (for the demo's administrator accounts).
    Code {
        /// The base32 secret.
        secret: String,
    },
}

pub(crate) fn user_command(command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Add {
            username,
            name,
            role,
            region,
            supervisor,
            db,
        } => {
            let (_, registry) = open(&db.database_url, &db.key_file, 1)?;
            let created = accounts_of(&registry).create_user(
                &city(&registry)?,
                &NewUser {
                    username,
                    display_name: name,
                    role,
                    region_code: region,
                    password: String::new(),
                    supervisor,
                },
            )?;
            println!(
                "已创建 {}（{}，{}）",
                created.user.username, created.user.role_label, created.user.region_path
            );
            if let Some(p) = created.initial_password {
                println!("初始密码（首次登录须修改）：{p}");
            }
            if let Some(t) = created.totp_secret {
                println!("动态口令密钥（在验证器应用中添加）：{t}");
            }
            Ok(())
        }
        UserCommand::Reset {
            username,
            supervisor,
            db,
        } => {
            let (_, registry) = open(&db.database_url, &db.key_file, 1)?;
            let (accounts, who) = (accounts_of(&registry), city(&registry)?);
            let u = accounts.user_by_name(&who, &username)?;
            match accounts.reset_password(&who, &u.id, &supervisor)? {
                Some(p) => println!("已重置 {username}；临时密码（登录后须修改）：{p}"),
                None => println!("已重置 {username}；密码函已交转交人 {supervisor}"),
            }
            Ok(())
        }
        UserCommand::Disable { username, db } => {
            let (_, registry) = open(&db.database_url, &db.key_file, 1)?;
            let (accounts, who) = (accounts_of(&registry), city(&registry)?);
            let u = accounts.user_by_name(&who, &username)?;
            accounts.set_disabled(&who, &u.id, true)?;
            println!("已停用 {username}，其会话已全部结束");
            Ok(())
        }
        UserCommand::Code { secret } => {
            println!("{}", jiuzhu_app::security::accounts::totp_code_now(&secret));
            Ok(())
        }
    }
}
