//! `spawn_app()`: the whole router over a fresh database per backend, driven in-process.
#![allow(dead_code)] // each test binary uses a different part

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jiuzhu_app::Actor;
use jiuzhu_app::regions::RegionCache;
use jiuzhu_app::security::accounts::{Credentials, NewUser, Session};
use jiuzhu_domain::Role;
use jiuzhu_storage::testing::{TestDb, all_backends};
use tower::ServiceExt;

pub struct App {
    pub router: Router,
    pub state: jiuzhu_web::AppState,
    pub t: TestDb,
    /// The signed-in session's token and CSRF token, sent with every request.
    pub session: std::sync::Mutex<Option<(String, String)>>,
}

/// The password of every test account.
pub const PASSWORD: &str = "Test-pass-2026";

/// The system actor over the whole city.
pub fn system(state: &jiuzhu_web::AppState) -> Actor {
    Actor::system(
        state
            .ctx
            .regions
            .scope(&jiuzhu_domain::RegionCode::parse("4105").unwrap()),
    )
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }
}

pub fn spawn_apps() -> Vec<App> {
    all_backends()
        .into_iter()
        .map(|t| {
            let (regions, calendar) = {
                let mut c = t.db.conn().unwrap();
                (
                    Arc::new(RegionCache::load(&mut c).unwrap()),
                    jiuzhu_app::calendar::load(&mut c).unwrap(),
                )
            };
            let state = jiuzhu_web::AppState::new(
                jiuzhu_app::open(
                    t.db.clone(),
                    regions,
                    Arc::new(jiuzhu_crypto::Keys::from_bytes([7; 16], [9; 32])),
                ),
                calendar,
            );
            let app = App {
                router: jiuzhu_web::router(state.clone()),
                state,
                t,
                session: Default::default(),
            };
            // Most tests act as the civil-affairs bureau of 文峰区 (410502).
            app.login_as(Role::CountyCivilAffairs, "410502");
            app
        })
        .collect()
}

impl App {
    /// Creates (once) an account of the role in the region, ready to sign in.
    pub fn user(&self, role: Role, region: &str) -> (String, Option<String>) {
        let n = Role::ALL.iter().position(|r| *r == role).unwrap();
        let username = format!("t{n}.{region}");
        let region_code = jiuzhu_domain::RegionCode::parse(region)
            .unwrap()
            .to_string();
        let accounts = &self.state.accounts;
        let mut conn = self.state.ctx.db.conn().unwrap();
        if let Some(u) = jiuzhu_storage::accounts::user_by_name(&mut conn, &username).unwrap() {
            let secret = u.totp_secret.as_deref().map(|s| {
                self.state
                    .ctx
                    .keys
                    .cipher
                    .decrypt("users.totp_secret", s)
                    .unwrap()
            });
            return (username, secret);
        }
        let created = accounts
            .create_user_keeping_password(
                &system(&self.state),
                &NewUser {
                    username: username.clone(),
                    display_name: format!("测试{}", role.zh()),
                    role: role.code().into(),
                    region_code,
                    password: PASSWORD.into(),
                    supervisor: String::new(),
                },
            )
            .unwrap();
        (username, created.totp_secret)
    }

    /// Signs in as a (new or existing) account of the role in the region; later requests carry
    /// its session cookie and CSRF token.
    pub fn login_as(&self, role: Role, region: &str) -> Session {
        let (username, secret) = self.user(role, region);
        let session = self
            .state
            .accounts
            .login(
                &Credentials {
                    username,
                    password: PASSWORD.into(),
                    totp: secret
                        .map(|s| jiuzhu_app::security::accounts::totp_code_now(&s))
                        .unwrap_or_default(),
                },
                "127.0.0.1",
            )
            .unwrap();
        *self.session.lock().unwrap() = Some((session.token.clone(), session.csrf.clone()));
        session
    }

    /// Sends the next requests without a session.
    pub fn logout_locally(&self) {
        *self.session.lock().unwrap() = None;
    }
}

impl App {
    pub async fn send(&self, mut req: Request<Body>) -> Reply {
        if let Some((token, csrf)) = self.session.lock().unwrap().clone() {
            let h = req.headers_mut();
            let existing = h
                .get(header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(|v| format!("{v}; "))
                .unwrap_or_default();
            if !existing.contains("jz_session=") {
                h.insert(
                    header::COOKIE,
                    format!("{existing}jz_session={token}").parse().unwrap(),
                );
            }
            if !h.contains_key("x-csrf-token") {
                h.insert("x-csrf-token", csrf.parse().unwrap());
            }
        }
        self.send_raw(req).await
    }

    /// Sends a request exactly as given (no session added).
    pub async fn send_raw(&self, req: Request<Body>) -> Reply {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }
    pub async fn json(&self, method: &str, uri: &str, body: serde_json::Value) -> Reply {
        self.send(
            Request::builder()
                .method(method)
                .uri(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }
    pub async fn form(&self, uri: &str, pairs: &[(&str, &str)]) -> Reply {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
    pub async fn upload(&self, uri: &str, file_name: &str, bytes: &[u8]) -> Reply {
        self.upload_with(uri, &[], file_name, bytes).await
    }
    /// A multipart form with text fields before the file.
    pub async fn upload_with(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: &[u8],
    ) -> Reply {
        let boundary = "jiuzhuBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(uri)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
}

pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn id(county: &str, y: i32, m: u32, d: u32, seq: u16) -> String {
    jiuzhu_domain::ResidentId::build(
        county,
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        seq,
    )
    .to_string()
}

pub fn household_json(seq: u16) -> serde_json::Value {
    serde_json::json!({
        "region_code": "410502001001",
        "address": format!("解放路{seq}号"),
        "members": [
            {"name": "张三", "id_number": id("410502", 1980, 1, 1, seq * 2 + 1), "relation": "户主", "hukou_type": "城镇", "labour_capacity": "有劳动能力"},
            {"name": "李四", "id_number": id("410502", 1982, 3, 4, seq * 2 + 2), "relation": "配偶", "hukou_type": "城镇", "labour_capacity": "无劳动能力",
             "disability_category": "肢体", "disability_grade": "2"}
        ]
    })
}

/// The note a step entered after the day it happened carries (issue 15: back-dated steps say
/// why).
pub const PAPER: &str = "补录：纸质材料";

/// `days` before today, as typed in a form.
pub fn days_ago(days: u64) -> String {
    (jiuzhu_domain::time::today() - chrono::Days::new(days)).to_string()
}

/// The day a walk files and moves a 低保/特困 case up to its notice, so that the notice has run
/// its 7 days by today and the decision can be taken today (issue 16 item 5).
pub fn walk_day() -> String {
    days_ago(7)
}

/// S21 (issue 16 item 5): the household's 家庭经济状况核对 done as the procedure requires before
/// an opinion — every member's consent, then the report (through the services, as the
/// verification pages would).
pub fn verified(app: &App, household_id: &str) {
    use jiuzhu_app::verification::report::{household_report, record_consent};
    let who = system(&app.state);
    let v = jiuzhu_app::registry::household(&app.state.ctx, &who, household_id).unwrap();
    for m in &v.members {
        record_consent(
            &app.state.ctx,
            &who,
            household_id,
            &m.person.id,
            &walk_day(),
            "书面",
        )
        .unwrap();
    }
    household_report(&app.state.ctx, &app.state.engine, &[], &who, household_id).unwrap();
}
