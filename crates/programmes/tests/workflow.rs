//! S20, S21: every programme's workflow, as the table of every allowed move (kind × stage ×
//! action → stage), kept as a reviewed snapshot: the snapshot was first written from the
//! workflow as it stood before the programmes became specs, so the specs are shown to allow
//! exactly the same moves.

use jiuzhu_domain::case::{Action, CaseKind, Stage};

#[test]
fn the_specs_allow_exactly_the_reviewed_moves() {
    let mut out = String::new();
    for k in jiuzhu_programmes::kinds().collect::<Vec<_>>() {
        out.push_str(&format!("{}\n", k.code()));
        for s in Stage::ALL {
            for a in Action::ALL {
                if let Ok(to) = jiuzhu_programmes::next(k, *s, *a) {
                    out.push_str(&format!("  {} --{}--> {}\n", s.code(), a.code(), to.code()));
                }
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn a_forbidden_move_names_programme_stage_and_action() {
    let e = jiuzhu_programmes::next(
        jiuzhu_programmes::TEMPORARY_SPENDING,
        Stage::Opinion,
        Action::PublishNotice,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "临时救助（支出型）在“已提出审核意见”阶段不能“张榜公示”"
    );
}

use Action as A;
use Stage as S;
use jiuzhu_programmes::next;
use jiuzhu_programmes::{DIBAO, TEKUN, TEMPORARY_EMERGENCY};

/// Every (kind, stage, action) the table allows, written out: anything else is forbidden.
fn allowed(kind: CaseKind) -> Vec<(S, A, S)> {
    let noticed = kind == DIBAO || kind == TEKUN;
    let mut v = vec![
        (S::Applied, A::Accept, S::Accepted),
        (S::Applied, A::RefuseToAccept, S::NotAccepted),
        (S::Applied, A::Transfer, S::Transferred),
        (S::Accepted, A::Transfer, S::Transferred),
        (S::Applied, A::Withdraw, S::Withdrawn),
        (S::Accepted, A::Withdraw, S::Withdrawn),
        (S::MaterialsMissing, A::Withdraw, S::Withdrawn),
        (S::Investigating, A::Withdraw, S::Withdrawn),
        (S::Accepted, A::RequestMaterials, S::MaterialsMissing),
        (S::Investigating, A::RequestMaterials, S::MaterialsMissing),
        (S::MaterialsMissing, A::MaterialsReceived, S::Accepted),
        (S::Accepted, A::StartInvestigation, S::Investigating),
        (S::Investigating, A::RecordOpinion, S::Opinion),
        (S::DemocraticReview, A::RecordOpinion, S::Opinion),
        (S::Notice, A::RecordObjection, S::Disputed),
        (S::Disputed, A::Reinvestigate, S::Investigating),
        (S::Disputed, A::HoldDemocraticReview, S::DemocraticReview),
        (S::Opinion, A::Refuse, S::Refused),
        (S::AdvancePaid, A::CompletePapers, S::Approved),
        (S::Approved, A::Enrol, S::Enrolled),
    ];
    if noticed {
        v.extend([
            (S::Opinion, A::PublishNotice, S::Notice),
            (S::Notice, A::Approve, S::Approved),
            (S::Notice, A::Refuse, S::Refused),
        ]);
    } else {
        v.push((S::Opinion, A::Approve, S::Approved));
    }
    if kind == TEMPORARY_EMERGENCY {
        v.extend([
            (S::Applied, A::PayAdvance, S::AdvancePaid),
            (S::Accepted, A::PayAdvance, S::AdvancePaid),
        ]);
    }
    v
}

#[test]
fn every_move_is_allowed_or_forbidden_exactly_as_the_table_says() {
    for kind in jiuzhu_programmes::kinds() {
        let allowed = allowed(kind);
        for from in S::ALL {
            for action in A::ALL {
                let want = allowed
                    .iter()
                    .find(|(f, a, _)| f == from && a == action)
                    .map(|(_, _, to)| *to);
                let got = next(kind, *from, *action).ok();
                assert_eq!(got, want, "{kind:?} {from:?} {action:?}");
            }
        }
    }
}

#[test]
fn final_stages_allow_nothing_and_a_forbidden_move_says_what_was_tried() {
    for s in S::ALL.iter().filter(|s| s.is_final()) {
        for a in A::ALL {
            assert!(next(DIBAO, *s, *a).is_err());
        }
    }
    let e = next(DIBAO, S::Applied, A::Approve).unwrap_err();
    assert_eq!(e.to_string(), "最低生活保障在“已申请”阶段不能“批准”");
    // 急难型 only: a 低保 case cannot be paid in advance.
    assert!(next(DIBAO, S::Accepted, A::PayAdvance).is_err());
}
