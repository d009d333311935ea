//! Household pages: the list with search, filters, pagination and export; registration; the
//! household file with members, history and economic records; edits and membership changes.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::registry::*;
use jiuzhu_app::{AppError, FieldError};
use jiuzhu_domain::RegionLevel;
use jiuzhu_domain::person::{EconomicCategory, SupporterRelation};

use super::forms::{FieldErrs, Opt, PersonForm, field, person_from_pairs};
use super::{error_page, redirect_or_fields, render, xlsx};
use crate::error::blocking;
use crate::{AppState, PageCtx, WebError, Who};
use jiuzhu_app::Actor;

/// The household list page.
#[derive(Template)]
#[template(path = "households/list.html")]
pub struct ListPage {
    l: PageCtx,
    q: String,
    region_options: Vec<Opt>,
    status_options: Vec<Opt>,
    page: HouseholdPage,
    next_url: Option<String>,
    export_url: String,
    first_url: String,
    errors: FieldErrs,
}

fn query_string(q: &ListQuery, cursor: Option<&str>) -> String {
    let mut parts = vec![];
    let mut push = |k: &str, v: &str| {
        if !v.is_empty() {
            parts.push(format!("{k}={}", urlencode(v)));
        }
    };
    push("q", q.q.as_deref().unwrap_or(""));
    push("region", q.region.as_deref().unwrap_or(""));
    push("status", q.status.as_deref().unwrap_or(""));
    push("limit", &q.limit.map(|n| n.to_string()).unwrap_or_default());
    push("cursor", cursor.unwrap_or(""));
    parts.join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn region_options(
    state: &AppState,
    scope: &jiuzhu_domain::Scope,
    current: &str,
    l: &PageCtx,
) -> Vec<Opt> {
    let regions = &state.ctx.regions;
    let mut v = vec![Opt {
        value: String::new(),
        label: l.t("全部辖区", "All regions").into(),
        selected: current.is_empty(),
    }];
    for level in [RegionLevel::County, RegionLevel::Township] {
        for r in regions.of_level(level) {
            if scope.contains(&r.code) {
                let indent = if level == RegionLevel::Township {
                    "　"
                } else {
                    ""
                };
                v.push(Opt {
                    value: r.code.short().to_owned(),
                    label: format!("{indent}{}", regions.path(&r.code)),
                    selected: current == r.code.short() || current == r.code.as_str(),
                });
            }
        }
    }
    v.sort_by(|a, b| a.value.cmp(&b.value));
    v
}

/// GET /households
pub async fn list(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Query(q): Query<ListQuery>,
) -> Response {
    let st = s.clone();
    let (qq, sc) = (q.clone(), who.clone());
    let (page, errors) = match blocking(move || jiuzhu_app::registry::list(&st.ctx, &sc, &qq)).await
    {
        Ok(p) => (p, vec![]),
        Err(WebError(AppError::Invalid(e))) => (
            HouseholdPage {
                items: vec![],
                next_cursor: None,
                total: 0,
                total_capped_at: COUNT_CAP,
            },
            e,
        ),
        Err(e) => return error_page(l.clone(), e),
    };
    let next_url = page
        .next_cursor
        .as_deref()
        .map(|c| format!("/households?{}", query_string(&q, Some(c))));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        ListPage {
            region_options: region_options(&s, &who.scope, q.region.as_deref().unwrap_or(""), &l),
            status_options: [
                ("", l.t("全部状态", "Any status")),
                ("active", l.t("在册", "Active")),
                ("closed", l.t("已注销", "Closed")),
            ]
            .iter()
            .map(|(v, label)| Opt {
                value: (*v).into(),
                label: (*label).into(),
                selected: q.status.as_deref().unwrap_or("") == *v,
            })
            .collect(),
            q: q.q.clone().unwrap_or_default(),
            export_url: format!("/households/export.xlsx?{}", query_string(&q, None)),
            first_url: format!("/households?{}", query_string(&q, None)),
            next_url,
            page,
            errors: FieldErrs::new(&errors, "", &l),
            l: l.clone(),
        },
    )
}

/// GET /households/export.xlsx
pub async fn export(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Query(q): Query<ListQuery>,
) -> Response {
    match blocking(move || jiuzhu_app::registry::roster::households_xlsx(&s.ctx, &who, &q)).await {
        Ok(bytes) => xlsx("households.xlsx", bytes),
        Err(e) => error_page(l.clone(), e),
    }
}

/// The registration form.
#[derive(Template)]
#[template(path = "households/new.html")]
pub struct NewPage {
    l: PageCtx,
    region_code: String,
    address: String,
    e: FieldErrs,
    pf: PersonForm,
}

/// GET /households/new
pub async fn new_form(l: PageCtx) -> Response {
    let head = PersonInput {
        relation: "head".into(),
        labour_capacity: String::new(),
        ..Default::default()
    };
    render(
        StatusCode::OK,
        NewPage {
            l: l.clone(),
            region_code: String::new(),
            address: String::new(),
            e: FieldErrs::default(),
            pf: PersonForm::new(head, &[], "", &l, false, true),
        },
    )
}

/// POST /households: registers the household with its head; members are added on its page.
pub async fn create(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let mut head = person_from_pairs(&pairs);
    head.relation = "head".into();
    let input = HouseholdInput {
        region_code: field(&pairs, "region_code"),
        address: field(&pairs, "address"),
        members: vec![head.clone()],
    };
    let inp = input.clone();
    match blocking(move || jiuzhu_app::registry::create_household(&s.ctx, &who, &inp)).await {
        Ok(v) => Redirect::to(&format!("/households/{}", v.household.id)).into_response(),
        Err(WebError(AppError::Invalid(errors))) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            NewPage {
                l: l.clone(),
                region_code: input.region_code,
                address: input.address,
                e: FieldErrs::new(&errors, "", &l),
                pf: PersonForm::new(head, &errors, "members[0].", &l, false, true),
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// The household file.
#[derive(Template)]
#[template(path = "households/show.html")]
pub struct ShowPage {
    l: PageCtx,
    v: HouseholdView,
    add: PersonForm,
    add_joined_on: String,
    add_reason: String,
    add_errors: FieldErrs,
    leave_errors: FieldErrs,
    record: EconomicRecordInput,
    record_errors: FieldErrs,
    supporter: SupporterInput,
    supporter_errors: FieldErrs,
    /// (code, Chinese) of the relations a supporter may have to the member.
    supporter_relations: Vec<(&'static str, &'static str)>,
    categories: Vec<Opt>,
    member_options: Vec<Opt>,
    today: String,
}

/// Which form on the household page failed, to show its errors beside it.
enum Failed {
    None,
    Add(Box<AddMember>, Vec<FieldError>),
    Leave(Vec<FieldError>),
    Record(EconomicRecordInput, Vec<FieldError>),
    Supporter(Box<SupporterInput>, Vec<FieldError>),
}

fn show_page(l: &PageCtx, v: HouseholdView, failed: Failed) -> ShowPage {
    let (add_input, add_errors, add_joined_on, add_reason) = match &failed {
        Failed::Add(a, e) => (
            a.person.clone(),
            e.clone(),
            a.joined_on.clone(),
            a.reason.clone(),
        ),
        _ => (
            PersonInput {
                relation: "child".into(),
                ..Default::default()
            },
            vec![],
            String::new(),
            String::new(),
        ),
    };
    let (record, record_errors) = match &failed {
        Failed::Record(r, e) => (r.clone(), e.clone()),
        _ => (EconomicRecordInput::default(), vec![]),
    };
    let (supporter, supporter_errors) = match &failed {
        Failed::Supporter(r, e) => ((**r).clone(), e.clone()),
        _ => (SupporterInput::default(), vec![]),
    };
    let leave_errors = match &failed {
        Failed::Leave(e) => e.clone(),
        _ => vec![],
    };
    let categories = super::forms::options(
        EconomicCategory::ALL,
        &record.category,
        EconomicCategory::code,
        EconomicCategory::zh,
        EconomicCategory::en,
        l,
        false,
    );
    let mut member_options = vec![Opt {
        value: String::new(),
        label: l.t("全家", "Whole household").into(),
        selected: record.person_id.is_empty(),
    }];
    member_options.extend(v.members.iter().map(|m| Opt {
        value: m.person.id.clone(),
        label: format!("{}（{}）", m.person.name_masked, m.relation),
        selected: record.person_id == m.person.id,
    }));
    ShowPage {
        add: PersonForm::new(add_input, &add_errors, "person.", l, true, true),
        add_errors: FieldErrs::new(&add_errors, "", l),
        add_joined_on,
        add_reason,
        leave_errors: FieldErrs::new(&leave_errors, "", l),
        record,
        record_errors: FieldErrs::new(&record_errors, "", l),
        supporter,
        supporter_errors: FieldErrs::new(&supporter_errors, "", l),
        supporter_relations: SupporterRelation::ALL
            .iter()
            .map(|r| (r.code(), r.zh()))
            .collect(),
        categories,
        member_options,
        today: jiuzhu_domain::time::today().to_string(),
        v,
        l: l.clone(),
    }
}

async fn reshow(s: AppState, who: Actor, l: PageCtx, id: String, failed: Failed) -> Response {
    match blocking(move || jiuzhu_app::registry::household(&s.ctx, &who, &id)).await {
        Ok(v) => render(StatusCode::UNPROCESSABLE_ENTITY, show_page(&l, v, failed)),
        Err(e) => error_page(l.clone(), e),
    }
}

/// GET /households/{id}
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
) -> Response {
    match blocking(move || jiuzhu_app::registry::household(&s.ctx, &who, &id)).await {
        Ok(v) => render(StatusCode::OK, show_page(&l, v, Failed::None)),
        Err(e) => error_page(l.clone(), e),
    }
}

/// POST /households/{id}/members
pub async fn add_member(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let add = AddMember {
        person: person_from_pairs(&pairs),
        joined_on: field(&pairs, "joined_on"),
        reason: field(&pairs, "reason"),
        version: field(&pairs, "version").parse().unwrap_or(-1),
    };
    let (st, sc, hid, a) = (s.clone(), who.clone(), id.clone(), add.clone());
    let result = blocking(move || jiuzhu_app::registry::add_member(&st.ctx, &sc, &hid, &a)).await;
    let to = format!("/households/{id}#members");
    redirect_or_fields(
        l,
        result,
        |_| to,
        |l, e| reshow(s, who, l, id, Failed::Add(Box::new(add), e)),
    )
    .await
}

/// POST /households/{id}/members/{person_id}/leave
pub async fn remove_member(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((id, person_id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let rm = RemoveMember {
        left_on: field(&pairs, "left_on"),
        reason: field(&pairs, "reason"),
        version: field(&pairs, "version").parse().unwrap_or(-1),
    };
    let (st, sc, hid) = (s.clone(), who.clone(), id.clone());
    let result =
        blocking(move || jiuzhu_app::registry::remove_member(&st.ctx, &sc, &hid, &person_id, &rm))
            .await;
    let to = format!("/households/{id}#members");
    redirect_or_fields(
        l,
        result,
        |_| to,
        |l, e| reshow(s, who, l, id, Failed::Leave(e)),
    )
    .await
}

/// POST /households/{id}/records
pub async fn add_record(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
    Form(input): Form<EconomicRecordInput>,
) -> Response {
    let (st, sc, hid, inp) = (s.clone(), who.clone(), id.clone(), input.clone());
    let result =
        blocking(move || jiuzhu_app::registry::add_economic_record(&st.ctx, &sc, &hid, &inp)).await;
    let to = format!("/households/{id}#records");
    redirect_or_fields(
        l,
        result,
        |_| to,
        |l, e| reshow(s, who, l, id, Failed::Record(input, e)),
    )
    .await
}

/// POST /households/{id}/supporters — records a legal supporter outside the household.
pub async fn add_supporter(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
    Form(input): Form<SupporterInput>,
) -> Response {
    let (st, sc, hid, inp) = (s.clone(), who.clone(), id.clone(), input.clone());
    let result =
        blocking(move || jiuzhu_app::registry::add_supporter(&st.ctx, &sc, &hid, &inp)).await;
    let to = format!("/households/{id}#supporters");
    redirect_or_fields(
        l,
        result,
        |_| to,
        |l, e| reshow(s, who, l, id, Failed::Supporter(Box::new(input), e)),
    )
    .await
}

/// POST /households/{id}/supporters/{sid}/remove
pub async fn remove_supporter(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((id, sid)): Path<(String, String)>,
) -> Response {
    let hid = id.clone();
    match blocking(move || jiuzhu_app::registry::remove_supporter(&s.ctx, &who, &hid, &sid)).await {
        Ok(_) => Redirect::to(&format!("/households/{id}#supporters")).into_response(),
        Err(e) => error_page(l.clone(), e),
    }
}

/// The household edit form.
#[derive(Template)]
#[template(path = "households/edit.html")]
pub struct EditPage {
    l: PageCtx,
    id: String,
    edit: HouseholdEdit,
    e: FieldErrs,
}

/// GET /households/{id}/edit
pub async fn edit_form(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
) -> Response {
    match blocking(move || jiuzhu_app::registry::household(&s.ctx, &who, &id)).await {
        Ok(v) => render(
            StatusCode::OK,
            EditPage {
                l: l.clone(),
                id: v.household.id.clone(),
                edit: HouseholdEdit {
                    region_code: v.household.region_code.clone(),
                    address: v.household.address.clone(),
                    version: v.version,
                },
                e: FieldErrs::default(),
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// POST /households/{id}/edit
pub async fn edit(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
    Form(edit): Form<HouseholdEdit>,
) -> Response {
    let (hid, ed) = (id.clone(), edit.clone());
    match blocking(move || jiuzhu_app::registry::update_household(&s.ctx, &who, &hid, &ed)).await {
        Ok(_) => Redirect::to(&format!("/households/{id}")).into_response(),
        Err(WebError(AppError::Invalid(errors))) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            EditPage {
                l: l.clone(),
                id,
                edit,
                e: FieldErrs::new(&errors, "", &l),
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}
