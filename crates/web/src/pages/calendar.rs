//! The working-day calendar page: which years have holiday data, a deadline calculator, and
//! the import of a new year's State Council notice.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::render;
use crate::error::blocking;
use crate::{AppState, PageCtx, WebError};

/// The calendar page.
#[derive(Template)]
#[template(path = "calendar.html")]
pub struct CalendarPage {
    l: PageCtx,
    years: Vec<i32>,
    from: String,
    days: String,
    result: Option<(String, bool)>,
    error: String,
    message: String,
}

/// Query of the deadline calculator.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CalcQuery {
    from: String,
    days: String,
}

/// GET /calendar
pub async fn page(State(s): State<AppState>, l: PageCtx, Query(q): Query<CalcQuery>) -> Response {
    let cal = s.calendar();
    let mut error = String::new();
    let result = if q.from.is_empty() {
        None
    } else {
        match (
            chrono::NaiveDate::parse_from_str(q.from.trim(), "%Y-%m-%d"),
            q.days.trim().parse::<u32>(),
        ) {
            (Ok(from), Ok(days)) if days <= 400 => {
                let d = cal.add_working_days(from, days);
                Some((d.date.to_string(), d.provisional))
            }
            (Err(_), _) => {
                error = l
                    .t("起始日期应为 YYYY-MM-DD", "Start date must be YYYY-MM-DD")
                    .into();
                None
            }
            _ => {
                error = l
                    .t(
                        "工作日数应为 0–400 的整数",
                        "Days must be a whole number 0–400",
                    )
                    .into();
                None
            }
        }
    };
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        CalendarPage {
            l: l.clone(),
            years: cal.covered_years().collect(),
            from: q.from,
            days: q.days,
            result,
            error,
            message: String::new(),
        },
    )
}

/// POST /calendar (multipart: `file`, a CSV `date,kind,name`)
pub async fn import(State(s): State<AppState>, l: PageCtx, mut mp: Multipart) -> Response {
    let mut bytes = None;
    while let Ok(Some(f)) = mp.next_field().await {
        if f.name() == Some("file") {
            bytes = f.bytes().await.ok().map(|b| b.to_vec());
        }
    }
    let page = |s: &AppState, error: String, message: String, status| {
        render(
            status,
            CalendarPage {
                l: l.clone(),
                years: s.calendar().covered_years().collect(),
                from: String::new(),
                days: String::new(),
                result: None,
                error,
                message,
            },
        )
    };
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return page(
            &s,
            l.t("请选择节假日 CSV 文件", "Choose a holiday CSV file")
                .into(),
            String::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let st = s.clone();
    match blocking(move || {
        let mut conn = st.ctx.db.conn()?;
        jiuzhu_app::calendar::import_csv(&mut conn, &bytes)
    })
    .await
    {
        Ok((n, cal)) => {
            s.set_calendar(cal);
            page(
                &s,
                String::new(),
                format!("{} {n} {}", l.t("已导入", "Imported"), l.t("行", "rows")),
                StatusCode::OK,
            )
        }
        Err(WebError(e)) => page(&s, e.to_string(), String::new(), StatusCode::BAD_REQUEST),
    }
}
