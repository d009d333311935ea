//! S4 / G3 four eyes at the command line (issue 15 item 5): `jiuzhu payroll check` and `approve`
//! are taken by a person who proves it is them — their password (and TOTP) or their API token —
//! and a typed `--user` name alone is refused; the same person cannot check and approve.

use std::sync::Arc;

mod common;

use common::jiuzhu;
use jiuzhu_app::regions::RegionCache;
use jiuzhu_app::security::accounts::{Accounts, Credentials, NewUser};

const PASSWORD: &str = "Payroll-pass-2026";

fn run(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut c = jiuzhu(dir);
    c.args(["payroll"]).args(args);
    c.args(["--month", "2027-01", "--county", "410502"]);
    c.env_remove("JIUZHU_PASSWORD")
        .env_remove("JIUZHU_TOTP")
        .env_remove("JIUZHU_TOKEN");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.stdin(std::process::Stdio::null()).output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn check_and_approve_need_the_persons_own_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let out = jiuzhu(dir.path()).args(["migrate"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data = dir.path().join("jiuzhu-data");
    let keys = Arc::new(
        jiuzhu_crypto::KeyProvider::keys(&jiuzhu_crypto::KeyFileProvider(data.join("jiuzhu.key")))
            .unwrap(),
    );
    let db = jiuzhu_storage::Db::open(data.join("jiuzhu.sqlite3").to_str().unwrap(), 1).unwrap();
    let regions = Arc::new(RegionCache::load(&mut db.conn().unwrap()).unwrap());
    let registry = jiuzhu_app::open(db.clone(), regions.clone(), keys.clone());
    let accounts = Accounts::new(db, keys, regions.clone());
    let platform = jiuzhu_app::Actor::system(regions.scope(&"4105".parse().unwrap()));
    for name in ["wang.checker", "zhao.approver"] {
        accounts
            .create_user_keeping_password(
                &platform,
                &NewUser {
                    username: name.into(),
                    display_name: name.into(),
                    role: "county_civil_affairs".into(),
                    region_code: "410502000000".into(),
                    password: PASSWORD.into(),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    drop(registry);

    // The operator's scheduled draft runs as the platform.
    let (ok, out) = run(dir.path(), &["run"], &[]);
    assert!(ok, "{out}");
    // Check without a person, with only a typed name, or with a wrong password: refused.
    let (ok, out) = run(dir.path(), &["check"], &[]);
    assert!(!ok && out.contains("须由本人办理"), "{out}");
    let (ok, out) = run(dir.path(), &["check", "--user", "wang.checker"], &[]);
    assert!(!ok, "no password given (and no terminal to ask on): {out}");
    let (ok, out) = run(
        dir.path(),
        &["check", "--user", "wang.checker"],
        &[("JIUZHU_PASSWORD", "Wrong-pass-2026")],
    );
    assert!(!ok && out.contains("用户名、密码或动态口令不正确"), "{out}");
    // With their own password.
    let (ok, out) = run(
        dir.path(),
        &["check", "--user", "wang.checker"],
        &[("JIUZHU_PASSWORD", PASSWORD)],
    );
    assert!(ok && out.contains("已复核"), "{out}");
    // The checker may not approve too, whoever's name is typed with their credentials.
    let (ok, out) = run(
        dir.path(),
        &["approve", "--user", "wang.checker"],
        &[("JIUZHU_PASSWORD", PASSWORD)],
    );
    assert!(!ok && out.contains("须由不同的人进行"), "{out}");
    // The approver with an API token of theirs (a token of someone else is refused).
    let token = |user: &str| {
        accounts
            .login(
                &Credentials {
                    username: user.into(),
                    password: PASSWORD.into(),
                    totp: String::new(),
                },
                "127.0.0.1",
            )
            .unwrap()
            .token
    };
    let wang = token("wang.checker");
    let (ok, out) = run(
        dir.path(),
        &["approve", "--user", "zhao.approver"],
        &[("JIUZHU_TOKEN", &wang)],
    );
    assert!(!ok && out.contains("不是 --user zhao.approver"), "{out}");
    let zhao = token("zhao.approver");
    let (ok, out) = run(
        dir.path(),
        &["approve", "--user", "zhao.approver"],
        &[("JIUZHU_TOKEN", &zhao)],
    );
    assert!(ok && out.contains("已审批"), "{out}");
}
