//! Case pages (S20, S21): the application form on the household file (several programmes at
//! once), the case board of the user's region with the statutory clock and overdue cases
//! flagged, and the case page with its history and the moves the user may make.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiuzhu_app::cases;
use jiuzhu_app::cases::Application;
use jiuzhu_app::cases::CaseView;
use jiuzhu_app::cases::Move;
use serde::Deserialize;

use super::{error_page, redirect_or_again, render};
use crate::error::blocking;
use crate::{AppState, PageCtx, Who};

/// The application form.
#[derive(Template)]
#[template(path = "cases/apply.html")]
pub struct ApplyPage {
    l: PageCtx,
    id: String,
    /// What the rules propose: (programme, outcome, department).
    proposals: Vec<(String, String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    channels: Vec<&'static str>,
    severities: Vec<(&'static str, &'static str)>,
    form: ApplyForm,
    error: String,
}

/// The form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    channel: String,
    summary: String,
    region_code: String,
    filed_on: String,
    severity: String,
    disaster: String,
    requested_amount: String,
    /// The programmes ticked: one checkbox per spec, named by its kind's code (and whatever
    /// else the form posts, ignored).
    #[serde(flatten)]
    ticked: std::collections::BTreeMap<String, String>,
}

impl ApplyForm {
    fn checked(&self, code: &str) -> bool {
        self.ticked.get(code).is_some_and(|v| !v.is_empty())
    }

    fn tick(&mut self, code: &str) {
        self.ticked.insert(code.to_owned(), "1".to_owned());
    }
}

/// 临时救助 severities as (code, Chinese), for the application and intake forms.
pub fn severities() -> Vec<(&'static str, &'static str)> {
    jiuzhu_domain::person::HardshipSeverity::ALL
        .iter()
        .map(|s| (s.code(), s.zh()))
        .collect()
}

fn apply_page(l: PageCtx, id: String, form: ApplyForm, error: String) -> ApplyPage {
    ApplyPage {
        l,
        id,
        proposals: Vec::new(),
        kinds: jiuzhu_programmes::kinds()
            .map(|k| (k.code(), k.zh()))
            .collect(),
        channels: cases::CHANNELS.to_vec(),
        severities: severities(),
        form,
        error,
    }
}

/// GET /households/{id}/apply
pub async fn apply_form(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
) -> Response {
    let id2 = id.clone();
    // The one window: the rules' needs assessment proposes the programmes (S2); the
    // caseworker decides what is filed.
    let assessed = blocking(move || {
        cases::may_apply(&s.ctx, &who, &id2)?;
        jiuzhu_app::registry::assessment::assess_household(
            &s.ctx,
            &s.engine,
            &who,
            &id2,
            jiuzhu_domain::time::today(),
        )
    })
    .await;
    let a = match assessed {
        Ok(a) => a,
        Err(e) => return error_page(l.clone(), e),
    };
    let mut form = ApplyForm {
        channel: "窗口".into(),
        ..Default::default()
    };
    let mut proposals = Vec::new();
    // What the rules propose: eligible or nearly, less what an exclusive programme that pays
    // these people more supersedes.
    for r in a.assessment.proposed() {
        // Pre-ticked: the programmes filed as a whole household (临时救助 needs the hardship
        // told first).
        if let Some(spec) = jiuzhu_programmes::specs()
            .iter()
            .find(|s| s.assessed_as == Some(r.programme) && s.hardship.is_none())
        {
            form.tick(spec.kind.code());
        }
        proposals.push((
            r.name.clone(),
            r.outcome.zh().to_owned(),
            r.department.zh().to_owned(),
        ));
    }
    let mut page = apply_page(l, id, form, String::new());
    page.proposals = proposals;
    render(StatusCode::OK, page)
}

/// POST /households/{id}/apply
pub async fn apply(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path(id): Path<String>,
    Form(f): Form<ApplyForm>,
) -> Response {
    let app = Application {
        household_id: id.clone(),
        kinds: jiuzhu_programmes::kinds()
            .filter(|k| f.checked(k.code()))
            .map(|k| k.code().to_owned())
            .collect(),
        channel: f.channel.clone(),
        summary: f.summary.clone(),
        region_code: f.region_code.clone(),
        filed_on: f.filed_on.clone(),
        severity: f.severity.clone(),
        disaster: !f.disaster.is_empty(),
        requested_amount: f.requested_amount.clone(),
    };
    let result = blocking(move || cases::file(&s.ctx, &who, &app)).await;
    redirect_or_again(
        l,
        result,
        // One case opens; several go to the list.
        |v| match v.as_slice() {
            [one] => format!("/cases/{}/{}", one.county, one.id),
            _ => "/cases".to_owned(),
        },
        |l, status, message| std::future::ready(render(status, apply_page(l, id, f, message))),
    )
    .await
}

/// The board.
#[derive(Template)]
#[template(path = "cases/list.html")]
pub struct ListPage {
    l: PageCtx,
    items: Vec<CaseView>,
    board: Vec<cases::BoardRow>,
    all: bool,
}

/// Which cases.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    show: String,
}

/// GET /cases
pub async fn list(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Query(q): Query<ListQuery>,
) -> Response {
    let all = q.show == "all";
    let cal = s.calendar();
    let regions = s.ctx.regions.clone();
    match blocking(move || cases::list(&s.ctx, &cal, &who, !all)).await {
        Ok(mut items) => {
            // Overdue first, then by due date.
            items.sort_by(|a, b| (!a.overdue, &a.due_on).cmp(&(!b.overdue, &b.due_on)));
            let board = cases::board(&regions, &items);
            render(
                StatusCode::OK,
                ListPage {
                    l,
                    items,
                    board,
                    all,
                },
            )
        }
        Err(e) => error_page(l.clone(), e),
    }
}

/// One case.
#[derive(Template)]
#[template(path = "cases/show.html")]
pub struct ShowPage {
    l: PageCtx,
    c: CaseView,
    receivables: Vec<jiuzhu_app::payroll::recovery::ReceivableView>,
    causes: Vec<(&'static str, &'static str)>,
    departments: Vec<(&'static str, &'static str)>,
    today: String,
    error: String,
}

/// The case page, with a status and a message (shared with the forms that post from it).
pub(crate) async fn show_page(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    county: String,
    id: String,
    status: StatusCode,
    error: String,
) -> Response {
    let cal = s.calendar();
    match blocking(move || {
        let c = cases::get(&s.ctx, &cal, &who, &county, &id)?;
        let r = jiuzhu_app::payroll::recovery::list(&s.ctx, &who, Some(&id))?;
        Ok((c, r))
    })
    .await
    {
        Ok((c, receivables)) => render(
            status,
            ShowPage {
                l,
                c,
                receivables,
                causes: jiuzhu_app::payroll::recovery::CAUSES.to_vec(),
                departments: cases::DEPARTMENTS.to_vec(),
                today: jiuzhu_domain::time::today().to_string(),
                error,
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// GET /cases/{county}/{id}
pub async fn show(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
) -> Response {
    show_page(s, who, l, county, id, StatusCode::OK, String::new()).await
}

/// POST /cases/{county}/{id}: the move form — the fields every programme's form has, and the
/// programme's own decision fields by the names its spec gives them (everything defaults to
/// empty so that the region is checked first).
pub async fn act(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
    Form(mut f): Form<std::collections::BTreeMap<String, String>>,
) -> Response {
    let mut take = |k: &str| f.remove(k).unwrap_or_default();
    let mut m = Move {
        action: take("action"),
        version: take("version").trim().parse().unwrap_or(0),
        on: take("on"),
        note: take("note"),
        investigators: take("investigators"),
        department: take("department"),
        fields: Default::default(),
    };
    f.remove("csrf");
    for (k, v) in f {
        m.set(&k, &v);
    }
    let (s2, who2, c2, i2) = (s.clone(), who.clone(), county.clone(), id.clone());
    let cal = s.calendar();
    let result = blocking(move || cases::act(&s2.ctx, &cal, &s2.engine, &who2, &c2, &i2, &m)).await;
    redirect_or_again(
        l,
        result,
        |c| format!("/cases/{}/{}", c.county, c.id),
        |l, status, message| show_page(s, who, l, county, id, status, message),
    )
    .await
}

/// The replay of a case's stored rules answer.
#[derive(Template)]
#[template(path = "cases/replay.html")]
pub struct ReplayPage {
    l: PageCtx,
    county: String,
    id: String,
    r: cases::Replay,
}

/// GET /cases/{county}/{id}/replay
pub async fn replay(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
) -> Response {
    let (c2, i2) = (county.clone(), id.clone());
    match blocking(move || cases::replay(&s.ctx, &s.engine, &who, &c2, &i2)).await {
        Ok(r) => render(StatusCode::OK, ReplayPage { l, county, id, r }),
        Err(e) => error_page(l.clone(), e),
    }
}

/// A printed letter.
#[derive(Template)]
#[template(path = "cases/letter.html")]
pub struct LetterPage {
    l: PageCtx,
    d: cases::Letter,
}

/// GET /cases/{county}/{id}/letter
pub async fn letter(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
) -> Response {
    let cal = s.calendar();
    match blocking(move || cases::letter(&s.ctx, &cal, &who, &county, &id)).await {
        Ok(d) => render(StatusCode::OK, LetterPage { l, d }),
        Err(e) => error_page(l.clone(), e),
    }
}

/// The printed notice list.
#[derive(Template)]
#[template(path = "cases/notice.html")]
pub struct NoticePage {
    l: PageCtx,
    items: Vec<cases::NoticeLine>,
}

/// GET /cases/notice
pub async fn notice(State(s): State<AppState>, Who(who): Who, l: PageCtx) -> Response {
    match blocking(move || cases::notice_list(&s.ctx, &who)).await {
        Ok(items) => render(StatusCode::OK, NoticePage { l, items }),
        Err(e) => error_page(l.clone(), e),
    }
}

/// The transfers page of a department.
#[derive(Template)]
#[template(path = "cases/transfers.html")]
pub struct TransfersPage {
    l: PageCtx,
    items: Vec<cases::TransferView>,
    error: String,
}

async fn transfers_page(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    status: StatusCode,
    error: String,
) -> Response {
    match blocking(move || cases::transfers(&s.ctx, &who)).await {
        Ok(items) => render(status, TransfersPage { l, items, error }),
        Err(e) => error_page(l.clone(), e),
    }
}

/// GET /transfers
pub async fn transfers(State(s): State<AppState>, Who(who): Who, l: PageCtx) -> Response {
    transfers_page(s, who, l, StatusCode::OK, String::new()).await
}

/// The answer form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    answer: String,
}

/// POST /transfers/{county}/{id}
pub async fn answer(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
    Form(f): Form<AnswerForm>,
) -> Response {
    let (s2, who2) = (s.clone(), who.clone());
    let result =
        blocking(move || cases::answer_transfer(&s2.ctx, &who2, &county, &id, &f.answer)).await;
    redirect_or_again(
        l,
        result,
        |()| "/transfers".to_owned(),
        |l, status, message| transfers_page(s, who, l, status, message),
    )
    .await
}

/// A printed application form (救助申请书).
#[derive(Template)]
#[template(path = "cases/form.html")]
pub struct FormPage {
    l: PageCtx,
    d: cases::CaseDocument,
}

/// A printed home-investigation record (入户调查记录).
#[derive(Template)]
#[template(path = "cases/investigation.html")]
pub struct InvestigationPage {
    l: PageCtx,
    d: cases::CaseDocument,
}

/// GET /cases/{county}/{id}/form
pub async fn form(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
) -> Response {
    let cal = s.calendar();
    match blocking(move || cases::document(&s.ctx, &cal, &who, &county, &id, "application")).await {
        Ok(d) => render(StatusCode::OK, FormPage { l, d }),
        Err(e) => error_page(l.clone(), e),
    }
}

/// GET /cases/{county}/{id}/investigation
pub async fn investigation(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
) -> Response {
    let cal = s.calendar();
    match blocking(move || cases::document(&s.ctx, &cal, &who, &county, &id, "investigation")).await
    {
        Ok(d) => render(StatusCode::OK, InvestigationPage { l, d }),
        Err(e) => error_page(l.clone(), e),
    }
}

/// GET /cases/export.csv: every application of the user's region and where it stands.
pub async fn export(State(s): State<AppState>, Who(who): Who, l: PageCtx) -> Response {
    let cal = s.calendar();
    match blocking(move || cases::applications_csv(&s.ctx, &cal, &who)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"applications.csv\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_page(l.clone(), e),
    }
}
