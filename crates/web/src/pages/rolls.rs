//! S7 (issue 17 item 1): the go-live rolls pages for county civil affairs — upload the old
//! system's rolls with its totals → the reconciliation and every row's problems → import
//! (only when clean and matching) or import the valid households as the file has them. The
//! preview is kept server-side under a token and taken on import, so a double submit cannot
//! import twice.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::AppError;
use jiuzhu_app::caseload::rolls::{self, Expected, RollsOutcome, RollsPreview, RowError};
use std::collections::HashMap;

use super::{error_page, render, xlsx};
use crate::error::blocking;
use crate::{AppState, PageCtx, WebError, Who};

/// The upload form.
#[derive(Template)]
#[template(path = "rolls/form.html")]
pub struct FormPage {
    l: PageCtx,
    error: String,
    expected: String,
    done: Option<RollsOutcome>,
}

fn form_page(l: &PageCtx, status: StatusCode, error: String, expected: String) -> Response {
    render(
        status,
        FormPage {
            l: l.clone(),
            error,
            expected,
            done: None,
        },
    )
}

/// GET /rolls
pub async fn form(l: PageCtx, Query(q): Query<HashMap<String, String>>) -> Response {
    let n = |k: &str| q.get(k).and_then(|v| v.parse().ok());
    let done = match (n("registered"), n("enrolled"), n("unchanged"), n("skipped")) {
        (Some(registered), Some(enrolled), Some(unchanged), Some(skipped)) => Some(RollsOutcome {
            registered,
            enrolled,
            unchanged,
            skipped,
        }),
        _ => None,
    };
    render(
        StatusCode::OK,
        FormPage {
            l: l.clone(),
            error: String::new(),
            expected: String::new(),
            done,
        },
    )
}

/// GET /rolls/template.xlsx
pub async fn template(l: PageCtx) -> Response {
    match rolls::columns::template_xlsx() {
        Ok(b) => xlsx("jiuzhu-rolls-template.xlsx", b),
        Err(e) => error_page(l.clone(), WebError(e)),
    }
}

/// The old system's totals as typed or pasted from a spreadsheet: one line per county and
/// programme, `county programme households people yuan`, split by spaces, tabs or commas. The
/// programme may be its code or its (short) name.
fn parse_expected(text: &str) -> Result<Vec<Expected>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let parts: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c == ',' || c == '，')
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            continue;
        }
        let bad = || {
            format!(
                "原系统合计第 {} 行应为：县代码 项目 户数 人数 月金额",
                i + 1
            )
        };
        let [county, programme, households, people, monthly] = parts[..] else {
            return Err(bad());
        };
        let programme = rolls::columns::monthly_specs()
            .find(|s| {
                s.kind.code() == programme
                    || s.kind.zh() == programme
                    || s.kind.zh().starts_with(programme)
                    || (programme.chars().count() >= 2 && {
                        let mut name = s.kind.zh().chars();
                        programme.chars().all(|c| name.any(|n| n == c))
                    })
            })
            .map(|s| s.kind.code().to_owned())
            .ok_or_else(bad)?;
        out.push(Expected {
            county: county.into(),
            programme,
            households: households.parse().map_err(|_| bad())?,
            people: people.parse().map_err(|_| bad())?,
            monthly: monthly.into(),
        });
    }
    Ok(out)
}

/// POST /rolls (multipart: `file`, `expected`)
pub async fn upload(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    mut mp: Multipart,
) -> Response {
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut expected = String::new();
    loop {
        match mp.next_field().await {
            Ok(Some(f)) if f.name() == Some("file") => {
                let name = f.file_name().unwrap_or("upload").to_owned();
                match f.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(_) => {
                        let m = l.t("文件上传中断，请重试", "Upload failed").into();
                        return form_page(&l, StatusCode::BAD_REQUEST, m, expected);
                    }
                }
            }
            Ok(Some(f)) if f.name() == Some("expected") => {
                expected = f.text().await.unwrap_or_default();
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => {
                let m = l
                    .t(
                        "上传内容无法读取（文件过大或格式错误）",
                        "Unreadable upload",
                    )
                    .into();
                return form_page(&l, StatusCode::BAD_REQUEST, m, expected);
            }
        }
    }
    let totals = match parse_expected(&expected) {
        Ok(t) => t,
        Err(m) => return form_page(&l, StatusCode::UNPROCESSABLE_ENTITY, m, expected),
    };
    let Some((name, bytes)) = file.filter(|f| !f.1.is_empty()) else {
        let m = l.t("请选择要上传的文件", "Choose a file").into();
        return form_page(&l, StatusCode::UNPROCESSABLE_ENTITY, m, expected);
    };
    let st = s.clone();
    let kept = blocking(move || {
        let p = rolls::preview(&st.ctx, &who, &name, &bytes, &totals)?;
        st.rolls.keep(&who.username, p)
    })
    .await;
    match kept {
        Ok(token) => Redirect::to(&format!("/rolls/{token}")).into_response(),
        Err(WebError(AppError::BadFile(m) | AppError::Conflict(m))) => {
            form_page(&l, StatusCode::BAD_REQUEST, m, expected)
        }
        Err(e) => error_page(l.clone(), e),
    }
}

/// The preview page.
#[derive(Template)]
#[template(path = "rolls/preview.html")]
pub struct PreviewPage {
    l: PageCtx,
    token: String,
    p: std::sync::Arc<RollsPreview>,
    errors: Vec<RowError>,
    to_write: usize,
    clean: bool,
    reconciles: bool,
}

/// GET /rolls/{token}
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(token): Path<String>,
) -> Response {
    match s.rolls.get(&who.username, &token) {
        Some(p) => render(
            StatusCode::OK,
            PreviewPage {
                l: l.clone(),
                token,
                errors: p.all_errors(),
                to_write: p.to_write(),
                clean: p.is_clean(),
                reconciles: p.reconciles(),
                p,
            },
        ),
        None => error_page(l.clone(), WebError(AppError::NotFound)),
    }
}

/// POST /rolls/{token} (`mode` = `all` or `valid`)
pub async fn commit(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(token): Path<String>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let only_valid = form.get("mode").map(String::as_str) == Some("valid");
    let Some(p) = s.rolls.take(&who.username, &token) else {
        return error_page(
            l.clone(),
            WebError(AppError::Conflict(
                "该预览已导入或已过期，请重新上传".into(),
            )),
        );
    };
    let st = s.clone();
    match blocking(move || rolls::commit(&st.ctx, &who, &p, only_valid)).await {
        Ok(o) => Redirect::to(&format!(
            "/rolls?registered={}&enrolled={}&unchanged={}&skipped={}",
            o.registered, o.enrolled, o.unchanged, o.skipped
        ))
        .into_response(),
        Err(e) => error_page(l.clone(), e),
    }
}

#[cfg(test)]
mod tests {
    //! S7 (issue 17): the old system's totals may be typed or pasted from a spreadsheet.
    use super::*;

    #[test]
    fn totals_are_read_from_typed_or_pasted_lines_and_refused_by_line() {
        let t = parse_expected("410502 低保 2 4 1267.38\n\n410502\t特困\t1\t1\t1030\n").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].programme.as_str(), t[0].people), ("dibao", 4));
        assert_eq!(
            (t[1].programme.as_str(), t[1].monthly.as_str()),
            ("tekun", "1030")
        );
        let e = parse_expected("410502 低保 2 4\n").unwrap_err();
        assert!(e.contains("第 1 行"), "{e}");
        assert!(parse_expected("410502 医疗 1 1 1").is_err());
    }
}
