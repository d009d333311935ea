//! Person pages: the file of one person and its edit form.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::AppError;
use jiuzhu_app::registry::{PersonEdit, PersonView};

use super::forms::{PersonForm, field, person_from_pairs, person_input_of};
use super::{error_page, render};
use crate::error::blocking;
use crate::{AppState, Lang, RequestScope, WebError};

/// The person page.
#[derive(Template)]
#[template(path = "persons/show.html")]
pub struct ShowPage {
    l: Lang,
    p: PersonView,
    household_id: String,
}

/// GET /persons/{id}
pub async fn show(
    State(s): State<AppState>,
    RequestScope(scope): RequestScope,
    l: Lang,
    Path(id): Path<String>,
) -> Response {
    match blocking(move || s.registry.person(&scope, &id)).await {
        Ok((p, _, hh)) => render(
            StatusCode::OK,
            ShowPage {
                l,
                p,
                household_id: hh.unwrap_or_default(),
            },
        ),
        Err(e) => error_page(l, e),
    }
}

/// The person edit form.
#[derive(Template)]
#[template(path = "persons/edit.html")]
pub struct EditPage {
    l: Lang,
    id: String,
    name: String,
    id_number_masked: String,
    version: i32,
    pf: PersonForm,
}

/// GET /persons/{id}/edit
pub async fn edit_form(
    State(s): State<AppState>,
    RequestScope(scope): RequestScope,
    l: Lang,
    Path(id): Path<String>,
) -> Response {
    let keys = s.registry.keys.clone();
    let found = blocking(move || {
        let (v, row, _) = s.registry.person(&scope, &id)?;
        Ok((v, person_input_of(&keys, &row)?))
    })
    .await;
    match found {
        Ok((v, input)) => render(
            StatusCode::OK,
            EditPage {
                l,
                id: v.id.clone(),
                name: v.name.clone(),
                id_number_masked: v.id_number_masked.clone(),
                version: v.version,
                pf: PersonForm::new(input, &[], "", l, false, false),
            },
        ),
        Err(e) => error_page(l, e),
    }
}

/// POST /persons/{id}/edit
pub async fn edit(
    State(s): State<AppState>,
    RequestScope(scope): RequestScope,
    l: Lang,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let edit = PersonEdit {
        person: person_from_pairs(&pairs),
        version: field(&pairs, "version").parse().unwrap_or(-1),
    };
    let (st, sc, pid, ed) = (s.clone(), scope.clone(), id.clone(), edit.clone());
    match blocking(move || st.registry.update_person(&sc, &pid, &ed)).await {
        Ok(_) => Redirect::to(&format!("/persons/{id}")).into_response(),
        Err(WebError(AppError::Invalid(errors))) => {
            let name = edit.person.name.clone();
            let masked = blocking(move || {
                s.registry
                    .person(&scope, &id)
                    .map(|p| (p.0.id_number_masked, p.0.id))
            })
            .await;
            match masked {
                Ok((m, pid)) => render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    EditPage {
                        l,
                        id: pid,
                        name,
                        id_number_masked: m,
                        version: edit.version,
                        pf: PersonForm::new(edit.person, &errors, "", l, false, false),
                    },
                ),
                Err(e) => error_page(l, e),
            }
        }
        Err(e) => error_page(l, e),
    }
}
