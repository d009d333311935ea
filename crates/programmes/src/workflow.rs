//! S20, S21: the moves every programme shares — the one window's acceptance, materials listed
//! once, the investigation, the township's opinion, objections to a notice, refusal, enrolment,
//! withdrawal and transfer to the department in charge (57号 Art. 15–22, 43号 Art. 10–19,
//! 民发〔2022〕83号 §4, Anyang §14, §21).

use jiuzhu_domain::case::{Action, CaseKind, Stage};

/// One row of a workflow table: from any of these stages, this action leads there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    /// The stages it may start from.
    pub from: &'static [Stage],
    /// The action.
    pub action: Action,
    /// The stage it leads to.
    pub to: Stage,
}

const fn mv(from: &'static [Stage], action: Action, to: Stage) -> Move {
    Move { from, action, to }
}

use Action as A;
use Stage as S;

/// The moves of every programme.
pub const COMMON: &[Move] = &[
    // Anyone may withdraw or be handed elsewhere before a decision.
    mv(
        &[
            S::Applied,
            S::Accepted,
            S::MaterialsMissing,
            S::Investigating,
        ],
        A::Withdraw,
        S::Withdrawn,
    ),
    mv(&[S::Applied, S::Accepted], A::Transfer, S::Transferred),
    mv(&[S::Applied], A::Accept, S::Accepted),
    mv(&[S::Applied], A::RefuseToAccept, S::NotAccepted),
    // 急难型 only reaches it (its spec pays the advance); the papers then count as approval.
    mv(&[S::AdvancePaid], A::CompletePapers, S::Approved),
    // 一次性告知: the materials are listed once; the clock stops until they arrive.
    mv(
        &[S::Accepted, S::Investigating],
        A::RequestMaterials,
        S::MaterialsMissing,
    ),
    mv(&[S::MaterialsMissing], A::MaterialsReceived, S::Accepted),
    mv(&[S::Accepted], A::StartInvestigation, S::Investigating),
    mv(
        &[S::Investigating, S::DemocraticReview],
        A::RecordOpinion,
        S::Opinion,
    ),
    // An objection to a notice (the programmes that post one).
    mv(&[S::Notice], A::RecordObjection, S::Disputed),
    mv(&[S::Disputed], A::Reinvestigate, S::Investigating),
    mv(&[S::Disputed], A::HoldDemocraticReview, S::DemocraticReview),
    // A negative opinion needs no notice.
    mv(&[S::Opinion], A::Refuse, S::Refused),
    // Enrolment hands the approved case to the payroll.
    mv(&[S::Approved], A::Enrol, S::Enrolled),
];

/// The moves of the programmes that post a 7-day notice before the decision (57号 Art. 19,
/// 43号 Art. 14); undisputed, the case is decided without 民主评议 (central opinions §24,
/// Anyang §21).
pub const NOTICED: &[Move] = &[
    mv(&[S::Opinion], A::PublishNotice, S::Notice),
    mv(&[S::Notice], A::Approve, S::Approved),
    mv(&[S::Notice], A::Refuse, S::Refused),
];

/// A move the table does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{kind}在“{from}”阶段不能“{action}”", kind = .kind.zh(), from = .from.zh(), action = .action.zh())]
pub struct ForbiddenMove {
    /// The programme.
    pub kind: CaseKind,
    /// Where the case stands.
    pub from: Stage,
    /// What was tried.
    pub action: Action,
}
