//! The administrators' pages (等保 三员): user management for the 系统管理员 (create, reset,
//! disable) and 安全管理员 (unlock, reset the second factor), and the audit log with filters,
//! export and chain verification for the 审计管理员.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiuzhu_app::AppError;
use jiuzhu_app::security::Actor;
use jiuzhu_app::security::accounts::{NewUser, UserView};
use jiuzhu_app::security::audit::{AuditPage, AuditQuery, Event};
use jiuzhu_domain::Role;

use super::{FieldErrs, error_page, render, xlsx};
use crate::error::blocking;
use crate::{AppState, PageCtx, WebError, Who};

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    l: PageCtx,
    users: Vec<UserView>,
    roles: Vec<(&'static str, &'static str)>,
    input: NewUser,
    e: FieldErrs,
    message: String,
}

async fn users_page(
    s: AppState,
    l: PageCtx,
    who: Actor,
    input: NewUser,
    errors: Vec<jiuzhu_app::FieldError>,
    message: String,
    status: StatusCode,
) -> Response {
    match blocking(move || s.accounts.list_users(&who, None)).await {
        Ok(users) => render(
            status,
            UsersPage {
                e: FieldErrs::new(&errors, "", &l),
                l,
                users,
                roles: Role::ALL.iter().map(|r| (r.code(), r.zh())).collect(),
                input,
                message,
            },
        ),
        Err(e) => error_page(l, e),
    }
}

/// GET /admin/users
pub async fn users(State(s): State<AppState>, l: PageCtx, Who(who): Who) -> Response {
    users_page(
        s,
        l,
        who,
        NewUser::default(),
        vec![],
        String::new(),
        StatusCode::OK,
    )
    .await
}

/// POST /admin/users
pub async fn create_user(
    State(s): State<AppState>,
    l: PageCtx,
    Who(who): Who,
    Form(input): Form<NewUser>,
) -> Response {
    let (st, w, i) = (s.clone(), who.clone(), input.clone());
    match blocking(move || st.accounts.create_user(&w, &i)).await {
        Ok(created) => {
            let mut msg = format!("已创建用户 {}", created.user.username);
            if let Some(p) = created.initial_password {
                msg.push_str(&format!("；初始密码 {p}（仅显示一次，首次登录须修改）"));
            }
            if let Some(t) = created.totp_secret {
                msg.push_str(&format!("；动态口令密钥 {t}（仅显示一次）"));
            }
            users_page(
                s,
                l,
                who,
                NewUser::default(),
                vec![],
                msg,
                StatusCode::CREATED,
            )
            .await
        }
        Err(WebError(AppError::Invalid(errors))) => {
            let mut input = input;
            input.password.clear();
            users_page(
                s,
                l,
                who,
                input,
                errors,
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => error_page(l, e),
    }
}

/// POST /admin/users/{id}/reset | disable | enable | unlock | reset-totp (the last path
/// segment names the action; each is its own route with its own permission in the table).
pub async fn user_action(
    State(s): State<AppState>,
    l: PageCtx,
    Who(who): Who,
    Path(id): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let action = uri.path().rsplit('/').next().unwrap_or("").to_owned();
    let (st, w) = (s.clone(), who.clone());
    let done = blocking(move || {
        let a = &st.accounts;
        Ok(match action.as_str() {
            "reset" => match a.reset_password(&w, &id, "")? {
                Some(p) => format!("已重置密码，临时密码 {p}（仅显示一次，登录后须修改）"),
                None => "已重置密码".into(),
            },
            "disable" => format!("已停用 {}", a.set_disabled(&w, &id, true)?.username),
            "enable" => format!("已启用 {}", a.set_disabled(&w, &id, false)?.username),
            "unlock" => format!("已解锁 {}", a.unlock(&w, &id)?.username),
            "reset-totp" => match a.reset_totp(&w, &id)? {
                Some(secret) => format!("已重置动态口令，新密钥 {secret}（仅显示一次）"),
                None => "已重置动态口令（该用户可重新启用）".into(),
            },
            _ => return Err(AppError::NotFound),
        })
    })
    .await;
    match done {
        Ok(msg) => users_page(s, l, who, NewUser::default(), vec![], msg, StatusCode::OK).await,
        Err(e) => error_page(l, e),
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditLogPage {
    l: PageCtx,
    q: AuditQuery,
    page: AuditPage,
    query_string: String,
    verify: String,
    error: String,
}

fn without_cursor(raw: Option<String>) -> String {
    raw.unwrap_or_default()
        .split('&')
        .filter(|kv| !kv.starts_with("cursor=") && !kv.is_empty())
        .collect::<Vec<_>>()
        .join("&")
}

/// GET /audit
pub async fn audit(
    State(s): State<AppState>,
    l: PageCtx,
    Query(q): Query<AuditQuery>,
    RawQuery(raw): RawQuery,
) -> Response {
    let (st, qq) = (s.clone(), q.clone());
    let result = blocking(move || {
        let mut conn = st.registry.db.conn()?;
        st.registry
            .audit
            .search(&mut conn, &st.registry.regions, &qq)
    })
    .await;
    let (page, error, status) = match result {
        Ok(p) => (p, String::new(), StatusCode::OK),
        Err(WebError(AppError::Invalid(e))) => (
            AuditPage {
                items: vec![],
                next_cursor: None,
            },
            e.iter()
                .map(|f| format!("{}：{}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("；"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return error_page(l, e),
    };
    render(
        status,
        AuditLogPage {
            l,
            q,
            page,
            query_string: without_cursor(raw),
            verify: String::new(),
            error,
        },
    )
}

/// GET /audit/verify — checks every chain and shows the result above the log.
pub async fn verify(State(s): State<AppState>, l: PageCtx) -> Response {
    let st = s.clone();
    let result = blocking(move || {
        let mut conn = st.registry.db.conn()?;
        let page =
            st.registry
                .audit
                .search(&mut conn, &st.registry.regions, &AuditQuery::default())?;
        Ok((st.registry.audit.verify(&mut conn)?, page))
    })
    .await;
    match result {
        Ok((report, page)) => {
            let verify = if report.is_intact() {
                format!(
                    "审计链完整：{} 条链，{} 条记录全部校验通过。",
                    report.chains, report.entries
                )
            } else {
                report
                    .breaks
                    .iter()
                    .map(|b| b.to_string())
                    .collect::<Vec<_>>()
                    .join("；")
            };
            let status = if report.is_intact() {
                StatusCode::OK
            } else {
                StatusCode::CONFLICT
            };
            render(
                status,
                AuditLogPage {
                    l,
                    q: AuditQuery::default(),
                    page,
                    query_string: String::new(),
                    verify,
                    error: String::new(),
                },
            )
        }
        Err(e) => error_page(l, e),
    }
}

/// GET /audit/export.xlsx — the export is itself audited.
pub async fn export(
    State(s): State<AppState>,
    l: PageCtx,
    Who(who): Who,
    Query(q): Query<AuditQuery>,
) -> Response {
    let result = blocking(move || {
        let mut conn = s.registry.db.conn()?;
        let bytes = s
            .registry
            .audit
            .export_xlsx(&mut conn, &s.registry.regions, &q)?;
        s.registry.audit.record(
            &mut conn,
            &who,
            Event::new("audit.export", "audit_log", "", &who.region.to_string()).detail(
                serde_json::json!({"user": q.user, "action": q.action, "region": q.region,
                    "from": q.from, "to": q.to, "outcome": q.outcome}),
            ),
        )?;
        Ok(bytes)
    })
    .await;
    match result {
        Ok(bytes) => xlsx("audit-log.xlsx", bytes),
        Err(e) => error_page(l, e),
    }
}
