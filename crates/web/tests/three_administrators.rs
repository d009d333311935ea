//! S22 / 等保 三员 (issue 15 F4): the system administrator asks for accounts but never chooses
//! or sees a password, a second person (the security administrator) approves them, and every
//! one-time secret travels in a password letter (密码函) that only the named supervisor opens,
//! once. On SQLite and PostgreSQL.

mod common;

use common::*;
use jiuzhu_domain::Role;

/// The text between `id="{id}">` and the next `<` in a page.
fn field(body: &str, id: &str) -> String {
    let start = body
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no #{id} in {body}"))
        + id.len()
        + 6;
    body[start..].split('<').next().unwrap().to_owned()
}

fn user_id(app: &App, username: &str) -> String {
    let mut c = app.state.ctx.db.conn().unwrap();
    jiuzhu_storage::accounts::user_by_name(&mut c, username)
        .unwrap()
        .unwrap()
        .id
}

/// Signs in through the accounts service with a password (and code), as the login page does.
fn sign_in(
    app: &App,
    username: &str,
    password: &str,
    totp: &str,
) -> Result<jiuzhu_app::security::accounts::Session, jiuzhu_app::AppError> {
    app.state.accounts.login(
        &jiuzhu_app::security::accounts::Credentials {
            username: username.into(),
            password: password.into(),
            totp: totp.into(),
        },
        "127.0.0.1",
    )
}

fn use_session(app: &App, s: &jiuzhu_app::security::accounts::Session) {
    *app.session.lock().unwrap() = Some((s.token.clone(), s.csrf.clone()));
}

const NEW: [(&str, &str); 4] = [
    ("username", "new.person"),
    ("display_name", "新同事"),
    ("role", "township_caseworker"),
    ("region_code", "410502001000"),
];

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    NEW.iter().copied().chain(extra.iter().copied()).collect()
}

#[tokio::test]
async fn a_new_account_needs_a_second_approval_and_its_password_reaches_only_the_supervisor() {
    for app in spawn_apps() {
        let (boss, _) = app.user(Role::TownshipApprover, "410502001");
        let (other_county, _) = app.user(Role::CountyCivilAffairs, "410526");
        let (security, _) = app.user(Role::SecurityAdmin, "4105");
        let sysadmin = app.login_as(Role::SystemAdmin, "4105");

        // The administrator cannot choose the password, and must name a supervisor who is a
        // business user above or beside the account.
        let r = app
            .form(
                "/admin/users",
                &with(&[("password", "Chosen-by-admin-2026"), ("supervisor", &boss)]),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("data-field=\"password\""), "{}", r.body);
        assert!(r.body.contains("管理员不能为他人设定密码"));
        let r = app.form("/admin/users", &with(&[])).await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("data-field=\"supervisor\""));
        let r = app
            .form("/admin/users", &with(&[("supervisor", &security)]))
            .await;
        assert_eq!(r.status, 422, "an administrator is never a supervisor");
        assert!(r.body.contains("三员"), "{}", r.body);
        let r = app
            .form("/admin/users", &with(&[("supervisor", &other_county)]))
            .await;
        assert_eq!(r.status, 422, "滑县 does not contain 文峰区's township");
        assert!(r.body.contains("辖区须包含"), "{}", r.body);
        let r = app
            .form("/admin/users", &with(&[("supervisor", "nobody.here")]))
            .await;
        assert_eq!(r.status, 422);

        let r = app
            .form("/admin/users", &with(&[("supervisor", &boss)]))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert!(r.body.contains("待安全管理员批准"), "{}", r.body);
        let asked_page = r.body;
        let id = user_id(&app, "new.person");

        // Waiting: nobody can sign in as it, whatever they type, and the refusal is audited.
        assert!(sign_in(&app, "new.person", "Anything-2026-x", "").is_err());
        // The system administrator cannot approve its own request.
        let r = app.form(&format!("/admin/users/{id}/approve"), &[]).await;
        assert_eq!(r.status, 403);

        // The security administrator approves; the answer carries no secret.
        app.login_as(Role::SecurityAdmin, "4105");
        let page = app.get("/admin/users").await;
        assert!(page.body.contains(&format!("/admin/users/{id}/approve")));
        let r = app.form(&format!("/admin/users/{id}/approve"), &[]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("密码函已交转交人"), "{}", r.body);
        let approved_page = r.body;
        let r = app.form(&format!("/admin/users/{id}/approve"), &[]).await;
        assert_eq!(r.status, 409, "approving twice");

        // The supervisor opens the letter once and prints it.
        let boss_session = app.login_as(Role::TownshipApprover, "410502001");
        let account = app.get("/account").await;
        assert!(account.body.contains("待转交的密码函"), "{}", account.body);
        let letter_id = {
            let mut c = app.state.ctx.db.conn().unwrap();
            jiuzhu_storage::accounts::letters_of_supervisor(
                &mut c,
                boss_session.actor.user_id.as_deref().unwrap(),
            )
            .unwrap()[0]
                .id
                .clone()
        };
        assert!(
            account
                .body
                .contains(&format!("/account/letters/{letter_id}/open"))
        );
        // Nobody else can open it: not the administrators, not another business user.
        app.login_as(Role::SystemAdmin, "4105");
        let r = app
            .form(&format!("/account/letters/{letter_id}/open"), &[])
            .await;
        assert_eq!(r.status, 409, "{}", r.body);
        app.login_as(Role::CountyCivilAffairs, "410502");
        let r = app
            .form(&format!("/account/letters/{letter_id}/open"), &[])
            .await;
        assert_eq!(r.status, 409);
        use_session(&app, &boss_session);
        let r = app
            .form(&format!("/account/letters/{letter_id}/open"), &[])
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.headers["cache-control"], "no-store");
        let password = field(&r.body, "letter-password");
        assert!(password.len() >= 12, "{password}");
        assert!(
            !r.body.contains("letter-totp"),
            "a caseworker has no TOTP secret"
        );
        let r = app
            .form(&format!("/account/letters/{letter_id}/open"), &[])
            .await;
        assert_eq!(r.status, 409, "a letter opens once");
        let stored = {
            let mut c = app.state.ctx.db.conn().unwrap();
            jiuzhu_storage::accounts::letters_of_supervisor(
                &mut c,
                boss_session.actor.user_id.as_deref().unwrap(),
            )
            .unwrap()
        };
        assert!(stored[0].sealed.is_none() && stored[0].opened_at.is_some());
        // No administrator's page ever carried it.
        assert!(!asked_page.contains(&password) && !approved_page.contains(&password));
        let audit = app.state.ctx.audit.clone();

        // The person signs in with it and must change it first.
        let s = sign_in(&app, "new.person", &password, "").expect("the letter's password");
        assert!(s.must_change_password);

        // A reset by the system administrator shows nothing and writes a new letter; the
        // old password stops working.
        use_session(&app, &sysadmin);
        let r = app.form(&format!("/admin/users/{id}/reset"), &[]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(!r.body.contains("临时密码 "), "{}", r.body);
        assert!(sign_in(&app, "new.person", &password, "").is_err());
        use_session(&app, &boss_session);
        let letters = app.state.accounts.letters(&boss_session.actor).unwrap();
        let fresh = letters.iter().find(|l| l.sealed).expect("a new letter");
        assert_eq!(fresh.purpose_label, "重置后的临时密码");
        let r = app
            .form(&format!("/account/letters/{}/open", fresh.id), &[])
            .await;
        let second = field(&r.body, "letter-password");
        assert_ne!(second, password);
        assert!(sign_in(&app, "new.person", &second, "").is_ok());

        // Every step is in the audit log, none with a secret in it.
        let mut c = app.state.ctx.db.conn().unwrap();
        let page = audit
            .search(
                &mut c,
                &app.state.ctx.regions,
                &jiuzhu_app::audit::AuditQuery::default(),
            )
            .unwrap();
        let actions: Vec<String> = page.items.iter().map(|e| e.action.clone()).collect();
        for a in [
            "user.request",
            "user.approve",
            "user.letter_open",
            "user.reset_password",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
        let all = serde_json::to_string(
            &page
                .items
                .iter()
                .map(|e| e.detail.clone())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(!all.contains(&password) && !all.contains(&second));
    }
}

#[tokio::test]
async fn the_security_administrator_may_reject_and_a_rejected_account_never_signs_in() {
    for app in spawn_apps() {
        let (boss, _) = app.user(Role::TownshipApprover, "410502001");
        app.login_as(Role::SystemAdmin, "4105");
        let r = app
            .form("/admin/users", &with(&[("supervisor", &boss)]))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = user_id(&app, "new.person");
        let r = app.form(&format!("/admin/users/{id}/reset"), &[]).await;
        assert_eq!(
            r.status, 409,
            "nothing to reset before approval: {}",
            r.body
        );
        app.login_as(Role::SecurityAdmin, "4105");
        let r = app.form(&format!("/admin/users/{id}/reject"), &[]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = app.form(&format!("/admin/users/{id}/approve"), &[]).await;
        assert_eq!(r.status, 409, "a rejected request cannot be approved later");
        let boss_session = app.login_as(Role::TownshipApprover, "410502001");
        assert!(
            app.state
                .accounts
                .letters(&boss_session.actor)
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn a_reset_never_shows_a_password_and_needs_a_supervisor_when_none_is_on_file() {
    for app in spawn_apps() {
        // Made by the platform (as the command line does), with no supervisor on file.
        let (victim, _) = app.user(Role::TownshipCaseworker, "410502001");
        let (boss, _) = app.user(Role::TownshipApprover, "410502001");
        let id = user_id(&app, &victim);
        let me = app.login_as(Role::SystemAdmin, "4105");
        let r = app.form(&format!("/admin/users/{id}/reset"), &[]).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("转交人"), "{}", r.body);
        assert!(
            sign_in(&app, &victim, PASSWORD, "").is_ok(),
            "nothing changed"
        );
        let r = app
            .form(
                &format!("/admin/users/{id}/reset"),
                &[("supervisor", &boss)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(
            sign_in(&app, &victim, PASSWORD, "").is_err(),
            "the old password ended"
        );
        // Nor may the administrator reset its own account here.
        let mine = me.actor.user_id.clone().unwrap();
        let r = app.form(&format!("/admin/users/{mine}/reset"), &[]).await;
        assert_eq!(r.status, 409);
    }
}

#[tokio::test]
async fn an_administrators_new_second_factor_goes_to_the_supervisor_not_to_the_security_administrator()
 {
    for app in spawn_apps() {
        let (auditor, old_secret) = app.user(Role::AuditAdmin, "4105");
        let (inspector, _) = app.user(Role::CityInspector, "4105");
        let id = user_id(&app, &auditor);
        app.login_as(Role::SecurityAdmin, "4105");
        let r = app
            .form(
                &format!("/admin/users/{id}/reset-totp"),
                &[("supervisor", &inspector)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("密码函已交转交人"), "{}", r.body);
        let s = app.login_as(Role::CityInspector, "4105");
        let letter = app.state.accounts.letters(&s.actor).unwrap().remove(0);
        assert_eq!(letter.purpose_label, "重置后的动态口令密钥");
        let r = app
            .form(&format!("/account/letters/{}/open", letter.id), &[])
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let secret = field(&r.body, "letter-totp");
        assert_ne!(Some(secret.clone()), old_secret);
        let code = jiuzhu_app::security::accounts::totp_code_now(&secret);
        assert!(sign_in(&app, &auditor, PASSWORD, &code).is_ok());
    }
}
