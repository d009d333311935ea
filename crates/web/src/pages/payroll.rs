//! The payroll pages (资金发放, county civil affairs; S4, G3): the runs with a form to generate
//! a month, one run with its totals per programme (always paid + failed + held + outstanding =
//! total), its lines page by page, the check / approve / export buttons, the bank files, the
//! return-file upload and holding or releasing a line; and the household's payee account.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::payroll::LineView;
use jiuzhu_app::payroll::RunView;
use jiuzhu_app::payroll::accounts::{self, AccountInput, AccountView};
use jiuzhu_app::payroll::bank::{self, ReconcileReport};
use jiuzhu_app::payroll::run;
use jiuzhu_domain::payroll::{LineStatus, RunAction};
use serde::Deserialize;

use super::{error_page, message_of, redirect_or_again, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, Who};

/// The list of runs.
#[derive(Template)]
#[template(path = "payroll/list.html")]
pub struct ListPage {
    l: PageCtx,
    runs: Vec<RunView>,
    counties: Vec<(String, String)>,
    month: String,
    error: String,
}

async fn list_page(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    status: StatusCode,
    error: String,
) -> Response {
    let counties: Vec<(String, String)> = who
        .scope
        .counties()
        .iter()
        .filter_map(|c| jiuzhu_domain::RegionCode::parse(c).ok())
        .map(|c| (c.short().to_owned(), s.ctx.regions.name(&c)))
        .collect();
    let month = jiuzhu_domain::Month::of(jiuzhu_domain::time::today()).to_string();
    match blocking(move || run::list(&s.ctx, &who)).await {
        Ok(runs) => render(
            status,
            ListPage {
                l,
                runs,
                counties,
                month,
                error,
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// GET /payroll
pub async fn list(State(s): State<AppState>, Who(who): Who, l: PageCtx) -> Response {
    list_page(s, who, l, StatusCode::OK, String::new()).await
}

/// The generate form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GenerateForm {
    county: String,
    month: String,
}

/// POST /payroll: generates (or completes) the draft of a county and month.
pub async fn generate(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Form(f): Form<GenerateForm>,
) -> Response {
    let (s2, who2) = (s.clone(), who.clone());
    let result =
        blocking(move || run::generate(&s2.ctx, &who2, &f.county, &f.month, &|_, _| {})).await;
    redirect_or_again(
        l,
        result,
        |v| format!("/payroll/{}/{}", v.county, v.id),
        |l, status, message| list_page(s, who, l, status, message),
    )
    .await
}

/// One run.
#[derive(Template)]
#[template(path = "payroll/show.html")]
pub struct ShowPage {
    l: PageCtx,
    r: RunView,
    lines: Vec<LineView>,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    page: i64,
    report: Option<ReconcileReport>,
    error: String,
}

/// Which lines.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinesQuery {
    status: String,
    page: i64,
}

#[allow(clippy::too_many_arguments)]
async fn show_page(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    county: String,
    id: String,
    q: LinesQuery,
    code: StatusCode,
    report: Option<ReconcileReport>,
    error: String,
) -> Response {
    let (status, page) = (q.status.clone(), q.page.max(0));
    let loaded = blocking(move || {
        let r = run::get(&s.ctx, &who, &county, &id)?;
        let lines = run::lines(&s.ctx, &who, &county, &id, Some(&q.status), q.page)?;
        Ok((r, lines))
    })
    .await;
    match loaded {
        Ok((r, lines)) => render(
            code,
            ShowPage {
                l,
                r,
                lines,
                status,
                statuses: LineStatus::ALL.iter().map(|s| (s.code(), s.zh())).collect(),
                page,
                report,
                error,
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// A refused action: "not found" as its own page, anything else in place on the run's page.
async fn refused(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    county: String,
    id: String,
    e: crate::WebError,
) -> Response {
    if e.parts().0 == StatusCode::NOT_FOUND {
        return error_page(l.clone(), e);
    }
    let (code, message) = message_of(&e);
    show_page(
        s,
        who,
        l,
        county,
        id,
        LinesQuery::default(),
        code,
        None,
        message,
    )
    .await
}

/// GET /payroll/{county}/{id}
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
    Query(q): Query<LinesQuery>,
) -> Response {
    show_page(
        s,
        who,
        l,
        county,
        id,
        q,
        StatusCode::OK,
        None,
        String::new(),
    )
    .await
}

/// A run action.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActForm {
    action: String,
    version: String,
}

/// POST /payroll/{county}/{id}: check, approve or export.
pub async fn act(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
    Form(f): Form<ActForm>,
) -> Response {
    let (s2, who2, c2, i2) = (s.clone(), who.clone(), county.clone(), id.clone());
    let result = blocking(move || {
        let action = RunAction::parse(&f.action)
            .filter(|a| matches!(a, RunAction::Check | RunAction::Approve | RunAction::Export))
            .ok_or_else(|| {
                jiuzhu_app::AppError::Invalid(vec![jiuzhu_app::FieldError::new(
                    "action",
                    "请选择复核、审批或导出",
                    "check, approve or export",
                )])
            })?;
        run::act(
            &s2.ctx,
            &who2,
            &c2,
            &i2,
            action,
            f.version.trim().parse().unwrap_or(0),
        )
    })
    .await;
    match result {
        Ok(v) => Redirect::to(&format!("/payroll/{}/{}", v.county, v.id)).into_response(),
        Err(e) => refused(s, who, l, county, id, e).await,
    }
}

/// Which bank file.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BankQuery {
    bank: String,
    format: String,
}

/// GET /payroll/{county}/{id}/bank?bank=…&format=csv|xlsx
pub async fn bank_file(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
    Query(q): Query<BankQuery>,
) -> Response {
    let xlsx = q.format == "xlsx";
    match blocking(move || bank::bank_file(&s.ctx, &who, &county, &id, &q.bank, xlsx)).await {
        Ok((name, bytes)) => {
            let kind = if xlsx {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            } else {
                "text/csv; charset=utf-8"
            };
            // RFC 5987: the bank's name is Chinese.
            let disposition = format!(
                "attachment; filename=\"payroll.{}\"; filename*=UTF-8''{}",
                if xlsx { "xlsx" } else { "csv" },
                url_encode(&name)
            );
            (
                [
                    (header::CONTENT_TYPE, kind.to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => error_page(l.clone(), e),
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// POST /payroll/{county}/{id}/return: the bank's return file.
pub async fn upload_return(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
    mut mp: Multipart,
) -> Response {
    // The run first: another region's (or no) run is "not found", whatever was uploaded.
    let (s0, who0, c0, i0) = (s.clone(), who.clone(), county.clone(), id.clone());
    if let Err(e) = blocking(move || run::get(&s0.ctx, &who0, &c0, &i0)).await {
        return error_page(l.clone(), e);
    }
    let mut file = None::<Vec<u8>>;
    loop {
        match mp.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => {
                file = f.bytes().await.ok().map(|b| b.to_vec())
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => {
                let msg = l
                    .t(
                        "上传内容无法读取（文件过大或格式错误）",
                        "Unreadable upload",
                    )
                    .to_owned();
                return show_page(
                    s,
                    who,
                    l,
                    county,
                    id,
                    LinesQuery::default(),
                    StatusCode::BAD_REQUEST,
                    None,
                    msg,
                )
                .await;
            }
        }
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        let msg = l
            .t("请选择银行回盘文件", "Choose the return file")
            .to_owned();
        return show_page(
            s,
            who,
            l,
            county,
            id,
            LinesQuery::default(),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            msg,
        )
        .await;
    };
    let (s2, who2, c2, i2) = (s.clone(), who.clone(), county.clone(), id.clone());
    match blocking(move || bank::reconcile(&s2.ctx, &who2, &c2, &i2, &bytes)).await {
        Ok(report) => {
            show_page(
                s,
                who,
                l,
                county,
                id,
                LinesQuery::default(),
                StatusCode::OK,
                Some(report),
                String::new(),
            )
            .await
        }
        Err(e) => refused(s, who, l, county, id, e).await,
    }
}

/// Hold or release a line.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HoldForm {
    hold: String,
    reason: String,
}

/// POST /payroll/{county}/{id}/lines/{line}
pub async fn hold(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id, line)): Path<(String, String, String)>,
    Form(f): Form<HoldForm>,
) -> Response {
    let (s2, who2, c2, i2) = (s.clone(), who.clone(), county.clone(), id.clone());
    let hold = f.hold == "1";
    match blocking(move || run::hold_line(&s2.ctx, &who2, &c2, &i2, &line, hold, &f.reason)).await {
        Ok(()) => Redirect::to(&format!("/payroll/{county}/{id}")).into_response(),
        Err(e) => refused(s, who, l, county, id, e).await,
    }
}

/// The payee account form.
#[derive(Template)]
#[template(path = "payroll/account.html")]
pub struct AccountPage {
    l: PageCtx,
    id: String,
    current: Option<AccountView>,
    enrolments: Vec<jiuzhu_app::payroll::enrolments::EnrolmentView>,
    form: AccountInput,
    error: String,
}

/// GET /households/{id}/account
pub async fn account(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
) -> Response {
    account_page(
        s,
        who,
        l,
        id,
        StatusCode::OK,
        AccountInput::default(),
        String::new(),
    )
    .await
}

async fn account_page(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    id: String,
    code: StatusCode,
    form: AccountInput,
    error: String,
) -> Response {
    let id2 = id.clone();
    match blocking(move || {
        who.require(jiuzhu_domain::Permission::RunPayroll)?;
        let current = accounts::account(&s.ctx, &who, &id2)?;
        let enrolments = jiuzhu_app::payroll::enrolments::of_household(&s.ctx, &who, &id2)?;
        Ok((current, enrolments))
    })
    .await
    {
        Ok((current, enrolments)) => render(
            code,
            AccountPage {
                l,
                id,
                current,
                enrolments,
                form,
                error,
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// The stop form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StopForm {
    last_month: String,
    died_on: String,
    reason: String,
}

/// POST /households/{id}/enrolments/{enrolment}/stop
pub async fn stop(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((id, enrolment)): Path<(String, String)>,
    Form(f): Form<StopForm>,
) -> Response {
    let (s2, who2, id2) = (s.clone(), who.clone(), id.clone());
    let result = blocking(move || {
        let died = match f.died_on.trim() {
            "" => None,
            d => Some(
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    jiuzhu_app::AppError::Invalid(vec![jiuzhu_app::FieldError::new(
                        "died_on",
                        "死亡日期应为 YYYY-MM-DD",
                        "died_on is YYYY-MM-DD",
                    )])
                })?,
            ),
        };
        jiuzhu_app::payroll::enrolments::stop(
            &s2.ctx,
            &who2,
            &id2,
            &enrolment,
            &f.last_month,
            died,
            &f.reason,
        )
    })
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/households/{id}/account")).into_response(),
        // A decider without the payroll permission (the township approver) cannot see the
        // payee page the form lives on: the refusal is shown on its own, with its status.
        Err(e)
            if e.parts().0 == StatusCode::NOT_FOUND
                || !who.can(jiuzhu_domain::Permission::RunPayroll) =>
        {
            error_page(l.clone(), e)
        }
        Err(e) => {
            let (code, message) = message_of(&e);
            account_page(s, who, l, id, code, AccountInput::default(), message).await
        }
    }
}

/// POST /households/{id}/account
pub async fn set_account(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<AccountInput>,
) -> Response {
    let (s2, who2, id2, f2) = (s.clone(), who.clone(), id.clone(), f.clone());
    let result = blocking(move || accounts::set_account(&s2.ctx, &who2, &id2, &f2)).await;
    let to = format!("/households/{id}/account");
    redirect_or_again(
        l,
        result,
        |_| to,
        |l, code, message| account_page(s, who, l, id, code, f, message),
    )
    .await
}

/// The suspend / resume form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SuspendForm {
    suspend: String,
    reason: String,
}

/// POST /households/{id}/enrolments/{enrolment}/suspend
pub async fn suspend(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((id, enrolment)): Path<(String, String)>,
    Form(f): Form<SuspendForm>,
) -> Response {
    let (s2, who2, id2) = (s.clone(), who.clone(), id.clone());
    let on = f.suspend == "1";
    match blocking(move || {
        jiuzhu_app::payroll::enrolments::suspend(&s2.ctx, &who2, &id2, &enrolment, on, &f.reason)
    })
    .await
    {
        Ok(()) => Redirect::to(&format!("/households/{id}/account")).into_response(),
        // A decider without the payroll permission (the township approver) cannot see the
        // payee page the form lives on: the refusal is shown on its own, with its status.
        Err(e)
            if e.parts().0 == StatusCode::NOT_FOUND
                || !who.can(jiuzhu_domain::Permission::RunPayroll) =>
        {
            error_page(l.clone(), e)
        }
        Err(e) => {
            let (code, message) = message_of(&e);
            account_page(s, who, l, id, code, AccountInput::default(), message).await
        }
    }
}
