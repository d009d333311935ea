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

use axum::Router;
use axum::routing::{delete, get, post};
use utoipa::OpenApi;

use crate::AppState;

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
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/session", post(security::create).delete(security::delete))
        .route("/me", get(security::me))
        .route("/persons/{id}/reveal", post(security::reveal))
        .route("/audit", get(security::audit))
        .route("/audit/verify", get(security::verify))
        .route(
            "/households",
            get(households::list).post(households::create),
        )
        .route(
            "/households/{id}",
            get(households::show).put(households::update),
        )
        .route(
            "/households/{id}/members",
            get(households::members_on).post(households::add_member),
        )
        .route(
            "/households/{id}/members/{person_id}/leave",
            post(households::remove_member),
        )
        .route(
            "/households/{id}/economic-records",
            post(households::add_record),
        )
        .route(
            "/households/{id}/supporters",
            post(households::add_supporter),
        )
        .route(
            "/households/{id}/supporters/{sid}",
            delete(households::remove_supporter),
        )
        .route(
            "/persons/{id}",
            get(households::person).put(households::update_person),
        )
        .route("/calendar/deadline", get(calendar::deadline))
        .route("/calendar/holidays", post(calendar::import_holidays))
        .route("/regions/{code}/children", get(calendar::regions))
        .route("/eval", post(eval::eval))
        .route("/reviews", get(reviews::list))
        .route("/reviews/{county}/{id}", post(reviews::close))
        .route("/households/{id}/consents", post(reviews::consent))
        .route(
            "/households/{id}/verification",
            get(reviews::verifications).post(reviews::verify),
        )
        .route(
            "/households/{id}/verification/{report}",
            get(reviews::verification),
        )
        .route("/households/{id}/assessment", get(eval::household))
        .route("/cases", get(cases::list).post(cases::file))
        .route("/cases/{county}/{id}", get(cases::show))
        .route("/cases/{county}/{id}/replay", get(cases::replay))
        .route("/cases/{county}/{id}/moves", post(cases::act))
        .route("/hotline", post(intake::receive))
        .route("/discoveries", post(intake::report))
        .route("/payroll", get(payroll::list).post(payroll::generate))
        .route("/payroll/{county}/{id}", get(payroll::show))
        .route("/payroll/{county}/{id}/lines", get(payroll::lines))
        .route("/payroll/{county}/{id}/actions", post(payroll::act))
        .route("/payroll/{county}/{id}/return", post(payroll::reconcile))
        .route("/intake", get(intake::queue))
        .route("/intake/{county}/{id}", post(intake::handle))
}
