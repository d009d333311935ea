//! Roster import pages: upload → preview with every row's problems → import all (only when
//! clean) or only the valid households. The preview is kept server-side under a token; it is
//! taken on import, so a double submit cannot import twice.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::AppError;
use jiuzhu_app::registry::roster;
use jiuzhu_app::registry::roster::ImportOutcome;
use jiuzhu_app::registry::roster::RosterPreview;

use super::{error_page, render, xlsx};
use crate::error::blocking;
use crate::{AppState, PageCtx, WebError, Who};

/// The upload form.
#[derive(Template)]
#[template(path = "import/form.html")]
pub struct FormPage {
    l: PageCtx,
    error: String,
    done: Option<ImportOutcome>,
}

/// GET /import
pub async fn form(
    l: PageCtx,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let done = match (q.get("households"), q.get("persons"), q.get("skipped")) {
        (Some(h), Some(p), Some(s)) => Some(ImportOutcome {
            households: h.parse().unwrap_or(0),
            persons: p.parse().unwrap_or(0),
            skipped: s.parse().unwrap_or(0),
        }),
        _ => None,
    };
    render(
        StatusCode::OK,
        FormPage {
            l: l.clone(),
            error: String::new(),
            done,
        },
    )
}

/// GET /import/template.xlsx
pub async fn template(l: PageCtx) -> Response {
    match roster::template_xlsx() {
        Ok(b) => xlsx("jiuzhu-roster-template.xlsx", b),
        Err(e) => error_page(l.clone(), WebError(e)),
    }
}

/// POST /import (multipart: `file`)
pub async fn upload(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    mut mp: Multipart,
) -> Response {
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match mp.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => {
                let name = f.file_name().unwrap_or("upload").to_owned();
                match f.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(_) => {
                        return render(
                            StatusCode::BAD_REQUEST,
                            FormPage {
                                l: l.clone(),
                                error: l.t("文件上传中断，请重试", "Upload failed").into(),
                                done: None,
                            },
                        );
                    }
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => {
                return render(
                    StatusCode::BAD_REQUEST,
                    FormPage {
                        l: l.clone(),
                        error: l
                            .t(
                                "上传内容无法读取（文件过大或格式错误）",
                                "Unreadable upload",
                            )
                            .into(),
                        done: None,
                    },
                );
            }
        }
    }
    let Some((name, bytes)) = file.filter(|f| !f.1.is_empty()) else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            FormPage {
                l: l.clone(),
                error: l.t("请选择要上传的文件", "Choose a file").into(),
                done: None,
            },
        );
    };
    let st = s.clone();
    let kept = blocking(move || {
        let p = roster::preview(&st.ctx, &who, &name, &bytes)?;
        st.previews.keep(&who.username, p)
    })
    .await;
    match kept {
        Ok(token) => Redirect::to(&format!("/import/{token}")).into_response(),
        Err(WebError(AppError::BadFile(m) | AppError::Conflict(m))) => render(
            StatusCode::BAD_REQUEST,
            FormPage {
                l: l.clone(),
                error: m,
                done: None,
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// The preview page.
#[derive(Template)]
#[template(path = "import/preview.html")]
pub struct PreviewPage {
    l: PageCtx,
    token: String,
    p: std::sync::Arc<RosterPreview>,
    error_count: usize,
    clean: bool,
}

/// GET /import/{token}
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(token): Path<String>,
) -> Response {
    match s.previews.get(&who.username, &token) {
        Some(p) => {
            let error_count = p.all_errors().len();
            let clean = p.is_clean();
            render(
                StatusCode::OK,
                PreviewPage {
                    l: l.clone(),
                    token,
                    p,
                    error_count,
                    clean,
                },
            )
        }
        None => error_page(l.clone(), WebError(AppError::NotFound)),
    }
}

/// GET /import/{token}/errors.xlsx
pub async fn errors(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(token): Path<String>,
) -> Response {
    match s
        .previews
        .get(&who.username, &token)
        .map(|p| roster::error_report_xlsx(&p))
    {
        Some(Ok(b)) => xlsx("roster-errors.xlsx", b),
        Some(Err(e)) => error_page(l.clone(), WebError(e)),
        None => error_page(l.clone(), WebError(AppError::NotFound)),
    }
}

/// POST /import/{token} (`mode` = `all` or `valid`)
pub async fn commit(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(token): Path<String>,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Response {
    let only_valid = form.get("mode").map(String::as_str) == Some("valid");
    let Some(p) = s.previews.get(&who.username, &token) else {
        return error_page(
            l.clone(),
            WebError(AppError::Conflict(
                l.t(
                    "该文件已导入或预览已过期，请重新上传",
                    "Already imported or expired",
                )
                .into(),
            )),
        );
    };
    if !p.is_clean() && !only_valid {
        return error_page(
            l.clone(),
            WebError(AppError::Conflict(
                l.t(
                    "文件有错误，未导入任何数据",
                    "The file has errors; nothing imported",
                )
                .into(),
            )),
        );
    }
    // Take the preview before writing: a second submit finds nothing to import.
    let Some(p) = s.previews.take(&who.username, &token) else {
        return error_page(
            l.clone(),
            WebError(AppError::Conflict(
                l.t("该文件已导入", "Already imported").into(),
            )),
        );
    };
    match blocking(move || roster::commit(&s.ctx, &who, &p, only_valid)).await {
        Ok(o) => Redirect::to(&format!(
            "/import?households={}&persons={}&skipped={}",
            o.households, o.persons, o.skipped
        ))
        .into_response(),
        Err(e) => error_page(l.clone(), e),
    }
}
