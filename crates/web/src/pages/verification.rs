//! Household verification pages (核对, S21–S22): the consent sheet (record each adult's 核对授权;
//! the check button works only when all have signed), the stored reports, and the printable
//! report with the comparison against the declaration. And the 核对员's import page for agency
//! files, with every refused row listed.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiuzhu_app::AppError;
use jiuzhu_app::verification::ImportReport;
use jiuzhu_app::verification::report::{self, ConsentLine, ReportSummary, VerificationReport};
use jiuzhu_domain::agency::Source;
use serde::Deserialize;

use super::{error_page, redirect_or_again, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, WebError, Who};

/// The consent sheet and the household's reports.
#[derive(Template)]
#[template(path = "verification/household.html")]
pub struct HouseholdPage {
    l: PageCtx,
    id: String,
    members: Vec<ConsentLine>,
    ready: bool,
    reports: Vec<ReportSummary>,
    today: String,
    error: String,
}

async fn household_page(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    id: String,
    status: StatusCode,
    error: String,
) -> Response {
    let id2 = id.clone();
    let loaded = blocking(move || {
        let (members, ready) = report::consent_status(&s.ctx, &who, &id2)?;
        let reports = report::reports(&s.ctx, &who, &id2)?;
        Ok((members, ready, reports))
    })
    .await;
    match loaded {
        Ok((members, ready, reports)) => render(
            status,
            HouseholdPage {
                l,
                id,
                members,
                ready,
                reports,
                today: jiuzhu_domain::time::today().to_string(),
                error,
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// GET /households/{id}/verification
pub async fn household(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
) -> Response {
    household_page(s, who, l, id, StatusCode::OK, String::new()).await
}

/// The consent form (fields default to empty so that the region is checked first and a
/// missing field is named, never a bare extractor error).
#[derive(Debug, Deserialize)]
#[serde(default)]
#[derive(Default)]
pub struct ConsentForm {
    person_id: String,
    signed_on: String,
    method: String,
}

/// POST /households/{id}/consents
pub async fn consent(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<ConsentForm>,
) -> Response {
    let (s2, who2, id2) = (s.clone(), who.clone(), id.clone());
    let result = blocking(move || {
        report::record_consent(&s2.ctx, &who2, &id2, &f.person_id, &f.signed_on, &f.method)
    })
    .await;
    let to = format!("/households/{id}/verification");
    redirect_or_again(
        l,
        result,
        |_| to,
        |l, status, message| household_page(s, who, l, id, status, message),
    )
    .await
}

/// POST /households/{id}/verification: runs the check and shows the stored report.
pub async fn run(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let (s2, who2, id2) = (s.clone(), who.clone(), id.clone());
    let result = blocking(move || {
        report::household_report(&s2.ctx, &s2.engine, &s2.connectors, &who2, &id2)
    })
    .await;
    let household = id.clone();
    redirect_or_again(
        l,
        result,
        |r| format!("/households/{household}/verification/{}", r.id),
        |l, status, message| household_page(s, who, l, id, status, message),
    )
    .await
}

/// The printable report.
#[derive(Template)]
#[template(path = "verification/report.html")]
pub struct ReportPage {
    l: PageCtx,
    r: VerificationReport,
    flagged: usize,
}

/// GET /households/{id}/verification/{report}
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((id, report_id)): Path<(String, String)>,
) -> Response {
    match blocking(move || report::stored_report(&s.ctx, &who, &id, &report_id)).await {
        Ok(r) => {
            let flagged = r.flagged();
            render(StatusCode::OK, ReportPage { l, r, flagged })
        }
        Err(e) => error_page(l.clone(), e),
    }
}

/// The 核对员's import page.
#[derive(Template)]
#[template(path = "verification/import.html")]
pub struct ImportPage {
    l: PageCtx,
    sources: Vec<(&'static str, &'static str)>,
    error: String,
    done: Option<(String, String, ImportReport)>,
}

fn import_page(
    l: PageCtx,
    error: String,
    done: Option<(String, String, ImportReport)>,
) -> ImportPage {
    ImportPage {
        l,
        sources: Source::ALL.iter().map(|s| (s.code(), s.zh())).collect(),
        error,
        done,
    }
}

/// GET /agency-import
pub async fn import_form(l: PageCtx) -> Response {
    render(StatusCode::OK, import_page(l, String::new(), None))
}

/// POST /agency-import (multipart: `source`, `file`)
pub async fn import_upload(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    mut mp: Multipart,
) -> Response {
    let (mut source, mut file) = (String::new(), None::<(String, Vec<u8>)>);
    loop {
        match mp.next_field().await {
            Ok(Some(f)) if f.name() == Some("source") => {
                source = f.text().await.unwrap_or_default();
            }
            Ok(Some(f)) if f.name() == Some("file") => {
                let name = f.file_name().unwrap_or("upload.csv").to_owned();
                match f.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(_) => file = None,
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => {
                let msg = l.t(
                    "上传内容无法读取（文件过大或格式错误）",
                    "Unreadable upload",
                );
                return render(
                    StatusCode::BAD_REQUEST,
                    import_page(l.clone(), msg.into(), None),
                );
            }
        }
    }
    let Some(src) = Source::parse(source.trim()) else {
        let msg = l.t("请选择数据来源", "Choose the data source");
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            import_page(l.clone(), msg.into(), None),
        );
    };
    let Some((name, bytes)) = file.filter(|f| !f.1.is_empty()) else {
        let msg = l.t("请选择要上传的文件", "Choose a file");
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            import_page(l.clone(), msg.into(), None),
        );
    };
    let file_name = name.clone();
    match blocking(move || {
        jiuzhu_app::verification::import(
            &s.ctx.db,
            &s.ctx.keys,
            &s.ctx.audit,
            &who,
            src,
            &name,
            &bytes,
            &|_, _| {},
        )
    })
    .await
    {
        Ok(r) => render(
            StatusCode::OK,
            import_page(l, String::new(), Some((src.zh().to_owned(), file_name, r))),
        ),
        Err(WebError(AppError::BadFile(m))) => {
            render(StatusCode::BAD_REQUEST, import_page(l, m, None))
        }
        Err(e) => error_page(l.clone(), e),
    }
}
