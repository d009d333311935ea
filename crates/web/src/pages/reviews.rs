//! The review queue page (S7, G3): tasks raised by cross-matching, each confirmed or
//! dismissed with a note by a caseworker.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::verification::review::{self, ReviewItem};
use serde::Deserialize;

use super::{error_page, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, WebError, Who};

/// The queue.
#[derive(Template)]
#[template(path = "reviews.html")]
pub struct ReviewsPage {
    l: PageCtx,
    items: Vec<ReviewItem>,
    error: String,
}

/// GET /reviews
pub async fn list(State(s): State<AppState>, Who(who): Who, l: PageCtx) -> Response {
    match blocking(move || review::queue(&s.registry, &who)).await {
        Ok(items) => render(
            StatusCode::OK,
            ReviewsPage {
                l,
                items,
                error: String::new(),
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// The close form.
#[derive(Debug, Deserialize)]
pub struct CloseForm {
    decision: String,
    note: String,
}

/// POST /reviews/{county}/{id}
pub async fn close(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
    Form(f): Form<CloseForm>,
) -> Response {
    let (s2, who2) = (s.clone(), who.clone());
    match blocking(move || review::close(&s.registry, &who, &county, &id, &f.decision, &f.note))
        .await
    {
        Ok(()) => Redirect::to("/reviews").into_response(),
        Err(e) => {
            let (status, detail) = e.parts();
            if status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN {
                return error_page(l.clone(), WebError(jiuzhu_app::AppError::NotFound));
            }
            let message = if detail.fields.is_empty() {
                detail.message
            } else {
                detail
                    .fields
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("；")
            };
            match blocking(move || review::queue(&s2.registry, &who2)).await {
                Ok(items) => render(
                    status,
                    ReviewsPage {
                        l,
                        items,
                        error: message,
                    },
                ),
                Err(e) => error_page(l.clone(), e),
            }
        }
    }
}
