//! S22: Attacks on sign-in and sessions, each refused: wrong passwords lock the account (and the
//! lock survives a restart), unknown names get the same answer, forged or cross-site posts,
//! missing CSRF tokens, oversized bodies, too many attempts from one address; plus session
//! timeouts, the administrators' second factor, forced password change and security headers.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, header};
use common::*;
use jiuzhu_domain::Role;

fn login_json(user: &str, password: &str, totp: &str, ip: [u8; 4]) -> Request<Body> {
    let mut r = Request::post("/api/v1/session")
        .header("content-type", "application/json")
        .body(Body::from(
            serde_json::json!({"username": user, "password": password, "totp": totp}).to_string(),
        ))
        .unwrap();
    r.extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((ip, 4000))));
    r
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_even_across_a_restart() {
    for app in spawn_apps() {
        let (user, _) = app.user(Role::TownshipCaseworker, "410502001");
        for i in 0..5 {
            let r = app
                .send_raw(login_json(&user, "Wrong-pass-2026", "", [10, 0, 0, i]))
                .await;
            assert_eq!(r.status, 403, "{}", r.body);
        }
        // The right password is now refused, with the same message as a wrong one.
        let locked = app
            .send_raw(login_json(&user, PASSWORD, "", [10, 0, 1, 1]))
            .await;
        assert_eq!(locked.status, 403);
        let unknown = app
            .send_raw(login_json("nobody-here", PASSWORD, "", [10, 0, 1, 2]))
            .await;
        assert_eq!(unknown.status, 403);
        assert_eq!(
            locked.json()["error"]["message"],
            unknown.json()["error"]["message"],
            "no account enumeration"
        );
        // A restart: a new server over the same database still refuses.
        let restarted = jiuzhu_web::router(jiuzhu_web::AppState::new(
            app.state.ctx.clone(),
            app.state.calendar().as_ref().clone(),
        ));
        let r =
            tower::ServiceExt::oneshot(restarted, login_json(&user, PASSWORD, "", [10, 0, 1, 3]))
                .await
                .unwrap();
        assert_eq!(
            r.status(),
            403,
            "{}: the lock survived the restart",
            app.t.label
        );
        // The security administrator unlocks it; then the password works.
        let admin = app.login_as(Role::SecurityAdmin, "4105");
        let id = app
            .state
            .accounts
            .user_by_name(&admin.actor, &user)
            .unwrap()
            .id;
        app.state.accounts.unlock(&admin.actor, &id).unwrap();
        let ok = app
            .send_raw(login_json(&user, PASSWORD, "", [10, 0, 1, 4]))
            .await;
        assert_eq!(ok.status, 201, "{}", ok.body);
        // Every attempt is in the audit log.
        let mut conn = app.state.ctx.db.conn().unwrap();
        let failed = jiuzhu_storage::audit::search(
            &mut conn,
            &jiuzhu_storage::audit::AuditFilter {
                username: Some(user.clone()),
                action: Some("login".into()),
                outcome: Some("failed".into()),
                ..Default::default()
            },
            None,
            100,
        )
        .unwrap();
        assert_eq!(failed.len(), 5);
        // The unknown name's attempt is recorded as nobody's, not as the platform's.
        let unknown = jiuzhu_storage::audit::search(
            &mut conn,
            &jiuzhu_storage::audit::AuditFilter {
                username: Some("nobody-here".into()),
                ..Default::default()
            },
            None,
            10,
        )
        .unwrap();
        assert_eq!(unknown.len(), 1);
        assert_eq!(
            (unknown[0].role.as_str(), unknown[0].outcome.as_str()),
            ("anonymous", "failed")
        );
    }
}

#[tokio::test]
async fn too_many_attempts_from_one_address_are_slowed_down() {
    let app = spawn_apps().remove(0);
    let mut statuses = vec![];
    for _ in 0..12 {
        let r = app
            .send_raw(login_json(
                "someone",
                "Wrong-pass-2026",
                "",
                [192, 168, 9, 9],
            ))
            .await;
        statuses.push(r.status.as_u16());
    }
    assert_eq!(&statuses[..10], &[403; 10]);
    assert_eq!(&statuses[10..], &[429, 429], "{statuses:?}");
    // Another address is not affected.
    let r = app
        .send_raw(login_json(
            "someone",
            "Wrong-pass-2026",
            "",
            [192, 168, 9, 10],
        ))
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn forged_and_cross_site_posts_are_refused() {
    let app = spawn_apps().remove(0);
    let (token, csrf) = app.session.lock().unwrap().clone().unwrap();
    let form = |cookie: String, body: String| {
        Request::post("/households")
            .header("content-type", "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap()
    };
    // No CSRF token.
    let r = app
        .send_raw(form(format!("jz_session={token}"), "address=x".into()))
        .await;
    assert_eq!(r.status, 403);
    // A wrong one.
    let r = app
        .send_raw(form(
            format!("jz_session={token}"),
            "csrf=forged&address=x".into(),
        ))
        .await;
    assert_eq!(r.status, 403);
    // The right one: the form reaches validation (422), not the gate.
    let r = app
        .send_raw(form(
            format!("jz_session={token}"),
            format!("csrf={csrf}&address=x"),
        ))
        .await;
    assert_eq!(r.status, 422);
    // Cross-origin, even with the right token.
    let mut req = form(
        format!("jz_session={token}"),
        format!("csrf={csrf}&address=x"),
    );
    req.headers_mut()
        .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
    req.headers_mut()
        .insert(header::HOST, "jiuzhu.local".parse().unwrap());
    assert_eq!(app.send_raw(req).await.status, 403);
    let mut req = form(
        format!("jz_session={token}"),
        format!("csrf={csrf}&address=x"),
    );
    req.headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(app.send_raw(req).await.status, 403);
    // The login form without its own token.
    let r = app
        .send_raw(
            Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("username=a&password=b"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 403);
    // A bearer token needs no CSRF token (no ambient credential to abuse).
    let r = app
        .send_raw(
            Request::post("/api/v1/households")
                .header("content-type", "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 422);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_apps().remove(0);
    let huge = vec![b'a'; jiuzhu_web::MAX_UPLOAD_BYTES + 1024];
    let mut r = Request::post("/api/v1/session")
        .header("content-type", "application/json")
        .body(Body::from(huge.clone()))
        .unwrap();
    r.extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from(([10, 9, 9, 9], 1))));
    assert_eq!(app.send_raw(r).await.status, 413);
    // A form larger than the gate reads for its CSRF field.
    let mut body = b"x=".to_vec();
    body.extend(vec![b'a'; 2 * 1024 * 1024]);
    let (token, _) = app.session.lock().unwrap().clone().unwrap();
    let r = app
        .send_raw(
            Request::post("/households")
                .header("content-type", "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("jz_session={token}"))
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 413);
}

#[tokio::test]
async fn sessions_end_on_logout_idleness_and_age_and_get_a_new_id_at_each_sign_in() {
    for app in spawn_apps() {
        let first = app.login_as(Role::TownshipCaseworker, "410502001");
        let second = app.login_as(Role::TownshipCaseworker, "410502001");
        assert_ne!(
            first.token, second.token,
            "a new session ID at every sign-in"
        );
        assert_eq!(app.get("/api/v1/me").await.status, 200);
        // Idle for 31 minutes: gone.
        {
            let mut c = app.state.ctx.db.conn().unwrap();
            use diesel::prelude::*;
            use jiuzhu_storage::schema::sessions;
            diesel::update(sessions::table)
                .set(
                    sessions::last_seen_at
                        .eq(jiuzhu_domain::time::now() - chrono::Duration::minutes(31)),
                )
                .execute(&mut c)
                .unwrap();
        }
        assert_eq!(app.get("/api/v1/me").await.status, 401, "{}", app.t.label);
        // Nine hours old though recently used: gone.
        app.login_as(Role::TownshipCaseworker, "410502001");
        {
            let mut c = app.state.ctx.db.conn().unwrap();
            use diesel::prelude::*;
            use jiuzhu_storage::schema::sessions;
            diesel::update(sessions::table)
                .set(
                    sessions::created_at
                        .eq(jiuzhu_domain::time::now() - chrono::Duration::hours(9)),
                )
                .execute(&mut c)
                .unwrap();
        }
        assert_eq!(app.get("/api/v1/me").await.status, 401);
        // Logout ends it.
        app.login_as(Role::TownshipCaseworker, "410502001");
        let r = app
            .send(Request::post("/logout").body(Body::empty()).unwrap())
            .await;
        assert_eq!(r.status, 303);
        assert!(
            r.headers[header::SET_COOKIE]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        assert_eq!(app.get("/api/v1/me").await.status, 401);
        assert_eq!(
            app.get("/households").await.location(),
            "/login?next=/households"
        );
    }
}

#[tokio::test]
async fn administrators_need_their_second_factor() {
    let app = spawn_apps().remove(0);
    let (user, secret) = app.user(Role::AuditAdmin, "4105");
    let secret = secret.expect("administrators get a TOTP secret");
    let r = app
        .send_raw(login_json(&user, PASSWORD, "", [10, 1, 0, 1]))
        .await;
    assert_eq!(r.status, 403, "no code");
    let r = app
        .send_raw(login_json(&user, PASSWORD, "000000", [10, 1, 0, 2]))
        .await;
    assert_eq!(r.status, 403, "wrong code");
    let code = jiuzhu_app::security::accounts::totp_code_now(&secret);
    let r = app
        .send_raw(login_json(&user, PASSWORD, &code, [10, 1, 0, 3]))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["user"]["role"], "audit_admin");
}

#[tokio::test]
async fn a_new_account_must_change_its_password_first_and_weak_ones_are_refused() {
    let app = spawn_apps().remove(0);
    // The platform (the command line's bootstrap) makes the account; a person asking for one
    // never sees its password (three_administrators.rs).
    let platform = system(&app.state);
    let weak = app.state.accounts.create_user(
        &platform,
        &jiuzhu_app::security::accounts::NewUser {
            username: "wang.wu".into(),
            display_name: "王五".into(),
            role: "乡镇经办人".into(),
            region_code: "410502001000".into(),
            password: "password".into(),
            supervisor: String::new(),
        },
    );
    match weak {
        Err(jiuzhu_app::AppError::Invalid(f)) => assert_eq!(f[0].field, "password"),
        other => panic!("{other:?}"),
    }
    let created = app
        .state
        .accounts
        .create_user(
            &platform,
            &jiuzhu_app::security::accounts::NewUser {
                username: "wang.wu".into(),
                display_name: "王五".into(),
                role: "乡镇经办人".into(),
                region_code: "410502001000".into(),
                password: String::new(),
                supervisor: String::new(),
            },
        )
        .unwrap();
    let pw = created.initial_password.unwrap();
    let s = app
        .state
        .accounts
        .login(
            &jiuzhu_app::security::accounts::Credentials {
                username: "wang.wu".into(),
                password: pw.clone(),
                totp: String::new(),
            },
            "127.0.0.1",
        )
        .unwrap();
    assert!(s.must_change_password);
    *app.session.lock().unwrap() = Some((s.token, s.csrf));
    assert_eq!(app.get("/households").await.location(), "/account/password");
    let r = app
        .form(
            "/account/password",
            &[
                ("current", &pw),
                ("new", "Spring-rain-2026"),
                ("confirm", "Spring-rain-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.get("/households").await.status, 200);

    // Issue 15 F11: a second sign-in (an API client) ends when the password changes in the
    // browser; the browser that changed it stays signed in.
    let sign_in = |password: &str| {
        app.state
            .accounts
            .login(
                &jiuzhu_app::security::accounts::Credentials {
                    username: "wang.wu".into(),
                    password: password.into(),
                    totp: String::new(),
                },
                "127.0.0.1",
            )
            .unwrap()
    };
    let other = sign_in("Spring-rain-2026");
    let browser = sign_in("Spring-rain-2026");
    let bearer = |token: &str| {
        Request::get("/api/v1/households")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(app.send(bearer(&other.token)).await.status, 200);
    *app.session.lock().unwrap() = Some((browser.token.clone(), browser.csrf.clone()));
    let r = app
        .form(
            "/account/password",
            &[
                ("current", "Spring-rain-2026"),
                ("new", "Autumn-wind-2026"),
                ("confirm", "Autumn-wind-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.send(bearer(&other.token)).await.status, 401);
    assert_eq!(
        app.get("/households").await.status,
        200,
        "this browser stays"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_apps().remove(0);
    for uri in [
        "/households",
        "/login",
        "/api/v1/households",
        "/static/app.css",
    ] {
        let r = app.get(uri).await;
        let csp = r.headers["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(r.headers["x-frame-options"], "DENY");
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
    }
    assert_eq!(
        app.get("/households").await.headers["cache-control"],
        "no-store"
    );
}
