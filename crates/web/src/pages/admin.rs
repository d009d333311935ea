//! The administrators' pages (等保 三员): user management for the 系统管理员 (create, reset,
//! disable) and 安全管理员 (unlock, reset the second factor), and the audit log with filters,
//! export and chain verification for the 审计管理员.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiuzhu_app::Actor;
use jiuzhu_app::AppError;
use jiuzhu_app::audit::AuditPage;
use jiuzhu_app::audit::AuditQuery;
use jiuzhu_app::audit::Event;
use jiuzhu_app::security::accounts::{NewUser, UserView};
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
            // A person asking never sees a secret (issue 15 F4): the account waits for the
            // security administrator, whose approval seals the password into a letter.
            let msg = format!(
                "已提交新建用户 {}，待安全管理员批准；批准后初始密码装入密码函，由转交人 {} 在「我的账户」中打开、打印并交本人",
                created.user.username,
                created.user.supervisor.as_deref().unwrap_or("")
            );
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

/// The optional field of an account action: a new supervisor for the password letter.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ActionForm {
    supervisor: String,
}

/// POST /admin/users/{id}/reset | disable | enable | unlock | reset-totp | approve | reject
/// (the last path segment names the action; each is its own route with its own permission in
/// the table). No answer ever carries a password or secret (issue 15 F4).
pub async fn user_action(
    State(s): State<AppState>,
    l: PageCtx,
    Who(who): Who,
    Path(id): Path<String>,
    uri: axum::http::Uri,
    Form(f): Form<ActionForm>,
) -> Response {
    let action = uri.path().rsplit('/').next().unwrap_or("").to_owned();
    let (st, w) = (s.clone(), who.clone());
    let done = blocking(move || {
        let a = &st.accounts;
        let letter =
            |u: &str| format!("，密码函已交转交人 {u}（在其「我的账户」中打开一次、打印交本人）");
        Ok(match action.as_str() {
            "reset" => {
                a.reset_password(&w, &id, &f.supervisor)?;
                let u = a.user_by_id(&w, &id)?;
                format!(
                    "已重置 {} 的密码，原有登录已全部结束{}",
                    u.username,
                    letter(u.supervisor.as_deref().unwrap_or(""))
                )
            }
            "disable" => format!("已停用 {}", a.set_disabled(&w, &id, true)?.username),
            "enable" => format!("已启用 {}", a.set_disabled(&w, &id, false)?.username),
            "unlock" => format!("已解锁 {}", a.unlock(&w, &id)?.username),
            "reset-totp" => {
                let sent = a.reset_totp(&w, &id, &f.supervisor)?;
                let u = a.user_by_id(&w, &id)?;
                match (sent, u.totp_enabled) {
                    (_, true) => format!(
                        "已重置 {} 的动态口令{}",
                        u.username,
                        letter(u.supervisor.as_deref().unwrap_or(""))
                    ),
                    _ => format!("已重置 {} 的动态口令（该用户可重新启用）", u.username),
                }
            }
            "approve" => {
                let u = a.approve_user(&w, &id)?;
                format!(
                    "已批准 {}{}",
                    u.username,
                    letter(u.supervisor.as_deref().unwrap_or(""))
                )
            }
            "reject" => format!("已驳回 {} 的建账申请", a.reject_user(&w, &id)?.username),
            _ => return Err(AppError::NotFound),
        })
    })
    .await;
    match done {
        Ok(msg) => users_page(s, l, who, NewUser::default(), vec![], msg, StatusCode::OK).await,
        // A missing or unfit supervisor: said on the list, next to the buttons to try again.
        Err(WebError(AppError::Invalid(errors))) => {
            let msg = errors
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("；");
            users_page(
                s,
                l,
                who,
                NewUser::default(),
                vec![],
                msg,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
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
        let mut conn = st.ctx.db.conn()?;
        st.ctx.audit.search(&mut conn, &st.ctx.regions, &qq)
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
        let mut conn = st.ctx.db.conn()?;
        let page = st
            .ctx
            .audit
            .search(&mut conn, &st.ctx.regions, &AuditQuery::default())?;
        Ok((st.ctx.audit.verify(&mut conn)?, page))
    })
    .await;
    match result {
        Ok((report, page)) => {
            let verify = if report.is_intact() {
                format!(
                    "审计链完整：{} 条链，{} 条记录全部校验通过。{}",
                    report.chains,
                    report.entries,
                    report.notes.join("；")
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
        let mut conn = s.ctx.db.conn()?;
        let bytes = s.ctx.audit.export_xlsx(&mut conn, &s.ctx.regions, &q)?;
        s.ctx.audit.record(
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
