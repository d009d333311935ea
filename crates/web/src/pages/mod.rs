//! The caseworkers' pages: server-rendered HTML that works without JavaScript. Forms post
//! back; a refused form is shown again with every entered value and each field's message, so
//! nothing typed is lost.

mod admin;
mod assessment;
mod auth;
mod calendar;
mod cases;
mod due;
mod forms;
mod funds;
mod households;
mod import;
mod intake;
mod payroll;
mod persons;
mod recovery;
mod reserve;
mod respond;
mod reviews;
mod roll;
mod rolls;
mod site;
mod verification;

use crate::access::Need::{self, Perm, Public, SignedIn};
use crate::routes::Routes;
use jiuzhu_domain::Permission::*;

pub use forms::{FieldErrs, Opt, PersonForm};
pub use respond::{ErrorPage, error_page, render, xlsx};
pub(crate) use respond::{message_of, redirect_or_again, redirect_or_fields};

/// The page routes.
pub fn routes() -> Routes {
    Routes::new("")
        .get("/", SignedIn, auth::home)
        .get("/login", Public, auth::login_form)
        .post("/login", Public, auth::login)
        .post("/logout", SignedIn, auth::logout)
        .get("/account", SignedIn, auth::account)
        .get("/account/password", SignedIn, auth::password_form)
        .post("/account/password", SignedIn, auth::change_password)
        .post("/account/totp", SignedIn, auth::totp_begin)
        .post("/account/letters/{id}/open", SignedIn, auth::open_letter)
        .post("/account/totp/confirm", SignedIn, auth::totp_confirm)
        .get(
            "/account/relatives",
            Perm(FileNearRelatives),
            auth::relatives,
        )
        .post(
            "/account/relatives",
            Perm(FileNearRelatives),
            auth::file_relative,
        )
        .post(
            "/account/relatives/{id}/withdraw",
            Perm(FileNearRelatives),
            auth::withdraw_relative,
        )
        .get(
            "/admin/users",
            Need::Any(&[ManageUsers, ManageSecurity]),
            admin::users,
        )
        .post("/admin/users", Perm(ManageUsers), admin::create_user)
        .post(
            "/admin/users/{id}/reset",
            Perm(ManageUsers),
            admin::user_action,
        )
        .post(
            "/admin/users/{id}/disable",
            Perm(ManageUsers),
            admin::user_action,
        )
        .post(
            "/admin/users/{id}/enable",
            Perm(ManageUsers),
            admin::user_action,
        )
        .post(
            "/admin/users/{id}/unlock",
            Perm(ManageSecurity),
            admin::user_action,
        )
        .post(
            "/admin/users/{id}/reset-totp",
            Perm(ManageSecurity),
            admin::user_action,
        )
        .post(
            "/admin/users/{id}/approve",
            Perm(ManageSecurity),
            admin::user_action,
        )
        .post(
            "/admin/users/{id}/reject",
            Perm(ManageSecurity),
            admin::user_action,
        )
        .get("/audit", Perm(ViewAudit), admin::audit)
        .get("/audit/verify", Perm(ViewAudit), admin::verify)
        .get("/audit/export.xlsx", Perm(ExportAudit), admin::export)
        .get(
            "/persons/{id}/reveal",
            Perm(RevealPersonal),
            persons::reveal_form,
        )
        .post(
            "/persons/{id}/reveal",
            Perm(RevealPersonal),
            persons::reveal,
        )
        .get("/healthz", Public, || async { "ok" })
        .get("/static/app.css", Public, site::css)
        .get("/lang/{code}", Public, site::set_lang)
        .get("/households", Perm(ViewRegistry), households::list)
        .post("/households", Perm(EditRegistry), households::create)
        .get("/households/new", Perm(EditRegistry), households::new_form)
        .get(
            "/households/export.xlsx",
            Perm(ExportRegistry),
            households::export,
        )
        .get("/households/{id}", Perm(ViewRegistry), households::show)
        .get(
            "/households/{id}/assessment",
            Perm(ViewRegistry),
            assessment::household,
        )
        .get("/policy", SignedIn, assessment::policy)
        .get(
            "/households/{id}/verification",
            Perm(VerifyHouseholds),
            verification::household,
        )
        .post(
            "/households/{id}/verification",
            Perm(VerifyHouseholds),
            verification::run,
        )
        .post(
            "/households/{id}/consents",
            Perm(VerifyHouseholds),
            verification::consent,
        )
        .get(
            "/households/{id}/verification/{report}",
            Perm(VerifyHouseholds),
            verification::show,
        )
        .get(
            "/agency-import",
            Perm(ImportAgencyData),
            verification::import_form,
        )
        .post(
            "/agency-import",
            Perm(ImportAgencyData),
            verification::import_upload,
        )
        .get("/cases", Perm(ViewRegistry), cases::list)
        .get("/cases/notice", Perm(ViewRegistry), cases::notice)
        .get("/roll/{village}", Perm(ViewRegistry), roll::show)
        .get("/funds", Perm(ViewFunds), funds::show)
        .post("/funds/budget", Perm(RunPayroll), funds::set_budget)
        .get("/receivables", Perm(ViewRegistry), recovery::list)
        .get(
            "/receivables/{county}/{id}",
            Perm(ViewRegistry),
            recovery::show,
        )
        .post(
            "/receivables/{county}/{id}",
            Need::Any(&[RunPayroll, DecideCases]),
            recovery::act,
        )
        .post(
            "/cases/{county}/{id}/receivables",
            Perm(DecideCases),
            recovery::record,
        )
        .get("/reserve", Perm(ViewRegistry), reserve::list)
        .post("/reserve", Perm(RunPayroll), reserve::credit)
        .get("/reserve/{township}", Perm(ViewRegistry), reserve::ledger)
        .get("/payroll", Perm(RunPayroll), payroll::list)
        .post("/payroll", Perm(RunPayroll), payroll::generate)
        .get("/payroll/{county}/{id}", Perm(RunPayroll), payroll::show)
        .post("/payroll/{county}/{id}", Perm(RunPayroll), payroll::act)
        .get(
            "/payroll/{county}/{id}/bank",
            Perm(RunPayroll),
            payroll::bank_file,
        )
        .post(
            "/payroll/{county}/{id}/return",
            Perm(RunPayroll),
            payroll::upload_return,
        )
        .post(
            "/payroll/{county}/{id}/lines/{line}",
            Perm(RunPayroll),
            payroll::hold,
        )
        .get(
            "/households/{id}/account",
            Perm(RunPayroll),
            payroll::account,
        )
        .post(
            "/households/{id}/account",
            Perm(RunPayroll),
            payroll::set_account,
        )
        .post(
            "/households/{id}/enrolments/{enrolment}/stop",
            Perm(DecideCases),
            payroll::stop,
        )
        .post(
            "/households/{id}/enrolments/{enrolment}/suspend",
            Perm(DecideCases),
            payroll::suspend,
        )
        .get("/intake", Perm(FileApplications), intake::queue)
        .post(
            "/intake/discoveries",
            Perm(FileApplications),
            intake::report,
        )
        .post(
            "/intake/{county}/{id}",
            Perm(FileApplications),
            intake::handle,
        )
        .get("/apply-online", Public, intake::online_form)
        .post("/apply-online", Public, intake::apply_online)
        .get("/transfers", Perm(AnswerTransfers), cases::transfers)
        .post(
            "/transfers/{county}/{id}",
            Perm(AnswerTransfers),
            cases::answer,
        )
        .get(
            "/cases/{county}/{id}/letter",
            Perm(ViewRegistry),
            cases::letter,
        )
        .get(
            "/cases/{county}/{id}/replay",
            Perm(ViewRegistry),
            cases::replay,
        )
        .get("/cases/{county}/{id}/form", Perm(ViewRegistry), cases::form)
        .get(
            "/cases/{county}/{id}/investigation",
            Perm(ViewRegistry),
            cases::investigation,
        )
        .get("/cases/export.csv", Perm(ViewRegistry), cases::export)
        .get("/cases/{county}/{id}", Perm(ViewRegistry), cases::show)
        .post(
            "/cases/{county}/{id}",
            Need::Any(&[HandleCases, DecideCases]),
            cases::act,
        )
        .get(
            "/households/{id}/apply",
            Perm(FileApplications),
            cases::apply_form,
        )
        .post(
            "/households/{id}/apply",
            Perm(FileApplications),
            cases::apply,
        )
        .get("/reviews", Perm(ViewRegistry), reviews::list)
        .post(
            "/reviews/{county}/{id}",
            Perm(DecideReviews),
            reviews::close,
        )
        .get(
            "/households/{id}/edit",
            Perm(EditRegistry),
            households::edit_form,
        )
        .post(
            "/households/{id}/edit",
            Perm(EditRegistry),
            households::edit,
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
            "/households/{id}/records",
            Perm(EditRegistry),
            households::add_record,
        )
        .post(
            "/households/{id}/supporters",
            Perm(EditRegistry),
            households::add_supporter,
        )
        .post(
            "/households/{id}/supporters/{sid}/remove",
            Perm(EditRegistry),
            households::remove_supporter,
        )
        .get("/persons/{id}", Perm(ViewRegistry), persons::show)
        .get("/persons/{id}/edit", Perm(EditRegistry), persons::edit_form)
        .post("/persons/{id}/edit", Perm(EditRegistry), persons::edit)
        .get("/caseload/due", Perm(DecideReviews), due::page)
        .get("/rolls", Perm(RunPayroll), rolls::form)
        .post("/rolls", Perm(RunPayroll), rolls::upload)
        .get("/rolls/template.xlsx", Perm(RunPayroll), rolls::template)
        .get("/rolls/{token}", Perm(RunPayroll), rolls::show)
        .post("/rolls/{token}", Perm(RunPayroll), rolls::commit)
        .get("/import", Perm(ImportRoster), import::form)
        .post("/import", Perm(ImportRoster), import::upload)
        .get(
            "/import/template.xlsx",
            Perm(ImportRoster),
            import::template,
        )
        .get("/import/{token}", Perm(ImportRoster), import::show)
        .post("/import/{token}", Perm(ImportRoster), import::commit)
        .get(
            "/import/{token}/errors.xlsx",
            Perm(ImportRoster),
            import::errors,
        )
        .get("/calendar", SignedIn, calendar::page)
        .post("/calendar", Perm(ManageCalendar), calendar::import)
}
