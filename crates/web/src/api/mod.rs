//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/v1/openapi.json`.
//! The same services as the pages; errors use the envelope of [`crate::error::ErrorBody`].

mod calendar;
mod cases;
pub mod eval;
mod households;
mod intake;
mod payroll;
mod reviews;
mod security;

use utoipa::OpenApi;

use crate::access::Need::{self, Perm, Public, SignedIn};
use crate::routes::Routes;
use jiuzhu_domain::Permission::*;

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "jiuzhu 救助 API",
        version = "1",
        description = "社会救助信息管理平台接口 / Social-assistance management API"
    ),
    paths(
        households::list,
        households::create,
        households::show,
        households::update,
        households::members_on,
        households::add_member,
        households::remove_member,
        households::add_record,
        households::add_supporter,
        households::remove_supporter,
        households::person,
        households::update_person,
        calendar::deadline,
        calendar::import_holidays,
        calendar::regions,
        security::create,
        security::delete,
        security::me,
        security::reveal,
        security::audit,
        security::verify,
        eval::eval,
        eval::household,
        reviews::list,
        reviews::close,
        reviews::consent,
        reviews::verify,
        reviews::verifications,
        reviews::verification,
        cases::file,
        cases::list,
        cases::show,
        cases::replay,
        cases::act,
        intake::receive,
        intake::report,
        intake::queue,
        intake::handle,
        payroll::generate,
        payroll::list,
        payroll::show,
        payroll::lines,
        payroll::act,
        payroll::reconcile,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail))
)]
pub struct ApiDoc;

async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// The API routes.
pub fn routes() -> Routes {
    Routes::new("/api/v1")
        .get("/openapi.json", Public, openapi)
        .post("/session", Public, security::create)
        .delete("/session", SignedIn, security::delete)
        .get("/me", SignedIn, security::me)
        .post(
            "/persons/{id}/reveal",
            Perm(RevealPersonal),
            security::reveal,
        )
        .get("/audit", Perm(ViewAudit), security::audit)
        .get("/audit/verify", Perm(ViewAudit), security::verify)
        .get("/households", Perm(ViewRegistry), households::list)
        .post("/households", Perm(EditRegistry), households::create)
        .get("/households/{id}", Perm(ViewRegistry), households::show)
        .put("/households/{id}", Perm(EditRegistry), households::update)
        .get(
            "/households/{id}/members",
            Perm(ViewRegistry),
            households::members_on,
        )
        .post(
            "/households/{id}/members",
            Perm(EditRegistry),
            households::add_member,
        )
        .post(
            "/households/{id}/members/{person_id}/leave",
            Perm(EditRegistry),
            households::remove_member,
        )
        .post(
            "/households/{id}/economic-records",
            Perm(EditRegistry),
            households::add_record,
        )
        .post(
            "/households/{id}/supporters",
            Perm(EditRegistry),
            households::add_supporter,
        )
        .delete(
            "/households/{id}/supporters/{sid}",
            Perm(EditRegistry),
            households::remove_supporter,
        )
        .get("/persons/{id}", Perm(ViewRegistry), households::person)
        .put(
            "/persons/{id}",
            Perm(EditRegistry),
            households::update_person,
        )
        .get("/calendar/deadline", SignedIn, calendar::deadline)
        .post(
            "/calendar/holidays",
            Perm(ManageCalendar),
            calendar::import_holidays,
        )
        .get("/regions/{code}/children", SignedIn, calendar::regions)
        .post("/eval", SignedIn, eval::eval)
        .get("/reviews", Perm(ViewRegistry), reviews::list)
        .post(
            "/reviews/{county}/{id}",
            Perm(DecideReviews),
            reviews::close,
        )
        .post(
            "/households/{id}/consents",
            Perm(VerifyHouseholds),
            reviews::consent,
        )
        .get(
            "/households/{id}/verification",
            Perm(VerifyHouseholds),
            reviews::verifications,
        )
        .post(
            "/households/{id}/verification",
            Perm(VerifyHouseholds),
            reviews::verify,
        )
        .get(
            "/households/{id}/verification/{report}",
            Perm(VerifyHouseholds),
            reviews::verification,
        )
        .get(
            "/households/{id}/assessment",
            Perm(ViewRegistry),
            eval::household,
        )
        .get("/cases", Perm(ViewRegistry), cases::list)
        .post("/cases", Perm(FileApplications), cases::file)
        .get("/cases/{county}/{id}", Perm(ViewRegistry), cases::show)
        .get(
            "/cases/{county}/{id}/replay",
            Perm(ViewRegistry),
            cases::replay,
        )
        .post(
            "/cases/{county}/{id}/moves",
            Need::Any(&[HandleCases, DecideCases]),
            cases::act,
        )
        .post("/hotline", Perm(FileApplications), intake::receive)
        .post("/discoveries", Perm(FileApplications), intake::report)
        .get("/payroll", Perm(RunPayroll), payroll::list)
        .post("/payroll", Perm(RunPayroll), payroll::generate)
        .get("/payroll/{county}/{id}", Perm(RunPayroll), payroll::show)
        .get(
            "/payroll/{county}/{id}/lines",
            Perm(RunPayroll),
            payroll::lines,
        )
        .post(
            "/payroll/{county}/{id}/actions",
            Perm(RunPayroll),
            payroll::act,
        )
        .post(
            "/payroll/{county}/{id}/return",
            Perm(RunPayroll),
            payroll::reconcile,
        )
        .get("/intake", Perm(FileApplications), intake::queue)
        .post(
            "/intake/{county}/{id}",
            Perm(FileApplications),
            intake::handle,
        )
}
