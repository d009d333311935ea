//! Person pages: the file of one person and its edit form.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::AppError;
use jiuzhu_app::registry::PersonEdit;
use jiuzhu_app::registry::PersonView;

use super::forms::{PersonForm, field, person_from_pairs, person_input_of};
use super::{error_page, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, WebError, Who};

/// The person page.
#[derive(Template)]
#[template(path = "persons/show.html")]
pub struct ShowPage {
    l: PageCtx,
    p: PersonView,
    household_id: String,
}

/// GET /persons/{id}
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
) -> Response {
    match blocking(move || jiuzhu_app::registry::person(&s.ctx, &who, &id)).await {
        Ok((p, _, hh)) => render(
            StatusCode::OK,
            ShowPage {
                l: l.clone(),
                p,
                household_id: hh.unwrap_or_default(),
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// The person edit form.
#[derive(Template)]
#[template(path = "persons/edit.html")]
pub struct EditPage {
    l: PageCtx,
    id: String,
    name: String,
    id_number_masked: String,
    version: i32,
    pf: PersonForm,
}

/// GET /persons/{id}/edit
pub async fn edit_form(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let found = blocking(move || {
        let (v, row, _) = jiuzhu_app::registry::person(&s.ctx, &who, &id)?;
        Ok((v, person_input_of(&row)))
    })
    .await;
    match found {
        Ok((v, input)) => render(
            StatusCode::OK,
            EditPage {
                l: l.clone(),
                id: v.id.clone(),
                name: v.name_masked.clone(),
                id_number_masked: v.id_number_masked.clone(),
                version: v.version,
                pf: PersonForm::new(input, &[], "", &l, false, false),
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// POST /persons/{id}/edit
pub async fn edit(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let edit = PersonEdit {
        person: person_from_pairs(&pairs),
        version: field(&pairs, "version").parse().unwrap_or(-1),
    };
    let (st, sc, pid, ed) = (s.clone(), who.clone(), id.clone(), edit.clone());
    match blocking(move || jiuzhu_app::registry::update_person(&st.ctx, &sc, &pid, &ed)).await {
        Ok(_) => Redirect::to(&format!("/persons/{id}")).into_response(),
        Err(WebError(AppError::Invalid(errors))) => {
            let name = edit.person.name.clone();
            let masked = blocking(move || {
                jiuzhu_app::registry::person(&s.ctx, &who, &id)
                    .map(|p| (p.0.id_number_masked, p.0.id))
            })
            .await;
            match masked {
                Ok((m, pid)) => render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    EditPage {
                        l: l.clone(),
                        id: pid,
                        name,
                        id_number_masked: m,
                        version: edit.version,
                        pf: PersonForm::new(edit.person, &errors, "", &l, false, false),
                    },
                ),
                Err(e) => error_page(l.clone(), e),
            }
        }
        Err(e) => error_page(l.clone(), e),
    }
}

/// The reveal page: asks for a reason, then shows the full values (audited).
#[derive(Template)]
#[template(path = "persons/reveal.html")]
pub struct RevealPage {
    l: PageCtx,
    id: String,
    reason: String,
    error: String,
    revealed: Option<jiuzhu_app::registry::RevealedPerson>,
}

/// GET /persons/{id}/reveal
pub async fn reveal_form(l: PageCtx, Path(id): Path<String>) -> Response {
    render(
        StatusCode::OK,
        RevealPage {
            l,
            id,
            reason: String::new(),
            error: String::new(),
            revealed: None,
        },
    )
}

/// The reason given.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RevealForm {
    reason: String,
}

/// POST /persons/{id}/reveal
pub async fn reveal(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<RevealForm>,
) -> Response {
    let (pid, reason) = (id.clone(), f.reason.clone());
    match blocking(move || jiuzhu_app::registry::reveal_person(&s.ctx, &who, &pid, &reason)).await {
        Ok(r) => render(
            StatusCode::OK,
            RevealPage {
                l,
                id,
                reason: f.reason,
                error: String::new(),
                revealed: Some(r),
            },
        ),
        Err(WebError(AppError::Invalid(e))) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            RevealPage {
                l,
                id,
                reason: f.reason,
                error: e.first().map(|e| e.message.clone()).unwrap_or_default(),
                revealed: None,
            },
        ),
        Err(e) => error_page(l, e),
    }
}
