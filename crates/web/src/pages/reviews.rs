//! The review queue page (S7, G3): tasks raised by cross-matching, each confirmed or
//! dismissed with a note by a caseworker.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::verification::review::{self, ReviewItem};
use serde::Deserialize;

use super::{error_page, message_of, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, WebError, Who};

/// The queue.
#[derive(Template)]
#[template(path = "reviews.html")]
pub struct ReviewsPage {
    l: PageCtx,
    items: Vec<ReviewItem>,
    leads: bool,
    error: String,
}

/// Which queue: `?show=leads` for the active-discovery leads.
#[derive(Debug, Default, Deserialize)]
pub struct Show {
    #[serde(default)]
    show: String,
}

/// GET /reviews
pub async fn list(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Query(q): Query<Show>,
) -> Response {
    let leads = q.show == "leads";
    match blocking(move || review::queue(&s.ctx, &who, leads)).await {
        Ok(items) => render(
            StatusCode::OK,
            ReviewsPage {
                l,
                items,
                leads,
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
    /// `leads` when the form is on the leads queue (to return to it).
    #[serde(default)]
    show: String,
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
    let leads = f.show == "leads";
    match blocking(move || review::close(&s.ctx, &who, &county, &id, &f.decision, &f.note)).await {
        Ok(()) => Redirect::to(if leads {
            "/reviews?show=leads"
        } else {
            "/reviews"
        })
        .into_response(),
        Err(e) => {
            let (status, message) = message_of(&e);
            if status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN {
                return error_page(l.clone(), WebError(jiuzhu_app::AppError::NotFound));
            }
            match blocking(move || review::queue(&s2.ctx, &who2, leads)).await {
                Ok(items) => render(
                    status,
                    ReviewsPage {
                        l,
                        items,
                        leads,
                        error: message,
                    },
                ),
                Err(e) => error_page(l.clone(), e),
            }
        }
    }
}
