//! The review queue (S7, G3): the tasks cross-matching raised, for a caseworker to confirm or
//! dismiss with a note. Nothing changes a benefit here — the decision is recorded and audited,
//! and the case goes on through the review procedure (PIPL art. 24: no automated decision).

use jiuzhu_kernel::Context;

use jiuzhu_domain::agency::Source;
use jiuzhu_domain::{Money, Permission};
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::FieldError;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::masking::mask_name;
use jiuzhu_kernel::transition::Transition;
use jiuzhu_kernel::transition::stale;
use jiuzhu_kernel::transition::transition;
use jiuzhu_storage::review;
use serde::Serialize;

/// One open task as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewItem {
    /// County of the task.
    pub county: String,
    /// Task ID.
    pub id: String,
    /// Kind code (death, vehicle, business, real_estate, public_payroll, income).
    pub kind: String,
    /// What was found, in Chinese.
    pub finding: String,
    /// The person, masked.
    pub person_masked: String,
    /// The household.
    pub household_id: String,
    /// Evidence: source, in Chinese.
    pub source: String,
    /// Evidence: as of.
    pub as_of: String,
    /// Evidence: amount in yuan, if any.
    pub amount: String,
    /// When the task was raised.
    pub created_at: String,
}

/// The label of a task kind (a cross-matching hit or a discovery lead).
pub fn finding_label(kind: &str) -> String {
    super::crossmatch::TASK_KINDS
        .iter()
        .chain(super::discovery::LEAD_KINDS.iter())
        .find(|(k, _)| *k == kind)
        .map(|(_, zh)| (*zh).to_owned())
        .unwrap_or_else(|| kind.to_owned())
}

/// Open tasks of households in the actor's region, oldest first (at most 200): the
/// cross-matching hits, or with `leads` the active-discovery leads; audited.
pub fn queue(ctx: &Context, who: &Actor, leads: bool) -> Result<Vec<ReviewItem>, AppError> {
    who.require(Permission::ViewRegistry)?;
    let items = {
        let mut conn = ctx.db.conn()?;
        review::queue(&mut conn, &who.scope, leads, 200)?
    };
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new("review.queue", "review_task", "", &who.region.to_string())
            .detail(serde_json::json!({"shown": items.len(), "leads": leads})),
    )?;
    Ok(items
        .into_iter()
        .map(|q| ReviewItem {
            county: q.task.county_code,
            id: q.task.id,
            finding: finding_label(&q.task.kind),
            kind: q.task.kind,
            person_masked: mask_name(&q.person_name),
            household_id: q.task.household_id,
            source: Source::parse(&q.task.source)
                .map(|s| s.zh().to_owned())
                .unwrap_or(q.task.source),
            as_of: q.task.as_of.to_string(),
            amount: q
                .task
                .amount_fen
                .map(|f| Money::from_fen(f).yuan_string())
                .unwrap_or_default(),
            created_at: q.task.created_at.format("%Y-%m-%d %H:%M").to_string(),
        })
        .collect())
}

/// Closes a task: `confirmed` (属实, the case goes to review) or `dismissed` (不属实), with a
/// note of 2–200 characters; one decision only — the second is told the task is closed.
pub fn close(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    decision: &str,
    note: &str,
) -> Result<(), AppError> {
    who.require(Permission::DecideReviews)?;
    let mut errors = Vec::new();
    if !matches!(decision, "confirmed" | "dismissed") {
        errors.push(FieldError::new(
            "decision",
            "请选择“属实”或“不属实”",
            "choose confirmed or dismissed",
        ));
    }
    let note = note.trim();
    if !(2..=200).contains(&note.chars().count()) {
        errors.push(FieldError::new(
            "note",
            "请填写 2–200 字的核实情况",
            "a note of 2–200 characters is required",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut conn = ctx.db.conn()?;
    let (task, region) = review::get(&mut conn, &who.scope, county, id)?;
    let t = Transition {
        event: Event::new("review.close", "review_task", id, &region).detail(serde_json::json!({
            "kind": task.kind,
            "old": "open",
            "new": decision,
            "note": note,
        })),
        stale: stale("该复核任务已由他人处理"),
    };
    transition(ctx, &mut conn, who, t, |c| {
        match review::close(
            c,
            county,
            id,
            decision,
            note,
            &who.username,
            jiuzhu_domain::time::now(),
        ) {
            Ok(()) => Ok(Some(())),
            Err(jiuzhu_storage::StorageError::StaleVersion) => Ok(None),
            Err(other) => Err(other.into()),
        }
    })
}
