//! The monthly payroll's rules (S4: 按月发放; S21: from the month after approval; G3): the
//! stages of a county's run for one month and who may move it, what a payment line may be,
//! and the month an enrolment starts and stops being paid.
//!
//! A run goes 草稿 → 已复核 → 已审批 → 已导出 → 已对账. It is approved by somebody other than
//! who drafted it and who checked it (four eyes); lines are held or released only before
//! approval; a bank file can be exported again (the same lines) until the return file is in.

use serde::{Deserialize, Serialize};

use crate::Month;
use crate::vocab::vocabulary;

vocabulary! {
    /// Where a run stands.
    RunStatus {
        /// Lines generated; may be regenerated, lines held or released.
        Draft = ("draft", "草稿", "draft"),
        /// Checked by a second person.
        Checked = ("checked", "已复核", "checked"),
        /// Approved by a third person: the money may go.
        Approved = ("approved", "已审批", "approved"),
        /// The bank files are out.
        Exported = ("exported", "已导出", "exported"),
        /// Every exported line is paid or failed.
        Reconciled = ("reconciled", "已对账", "reconciled"),
    }
}

vocabulary! {
    /// What happens to a run.
    RunAction {
        /// Generate (or complete) the lines of a draft.
        Generate = ("generate", "生成发放名单", "generate"),
        /// Check the draft.
        Check = ("check", "复核", "check"),
        /// Approve the checked run.
        Approve = ("approve", "审批", "approve"),
        /// Write the bank files.
        Export = ("export", "导出银行文件", "export"),
        /// Read the bank's return file.
        Reconcile = ("reconcile", "导入回盘对账", "reconcile"),
        /// Hold a line or release it.
        HoldLine = ("hold_line", "暂缓/恢复发放", "hold or release a line"),
    }
}

vocabulary! {
    /// Where one payment line stands.
    LineStatus {
        /// To be paid.
        Pending = ("pending", "待发放", "pending"),
        /// Held with a reason (no account, enrolment suspended, held by hand).
        Held = ("held", "暂缓发放", "held"),
        /// In a bank file.
        Exported = ("exported", "已报送银行", "exported"),
        /// The bank paid it.
        Paid = ("paid", "已发放", "paid"),
        /// The bank returned it (closed account, name mismatch); paid in a later run once fixed.
        Failed = ("failed", "发放失败", "failed"),
    }
}

/// Why a run action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunRefusal {
    /// Not in this stage.
    #[error("发放批次“{status}”时不能“{action}”", status = .0.zh(), action = .1.zh())]
    WrongStage(RunStatus, RunAction),
    /// The same person again.
    #[error("生成、复核、审批须由不同的人进行（四眼原则）")]
    SamePerson,
}

/// The people who moved a run so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatures {
    /// Who generated the draft.
    pub drafted_by: String,
    /// Who checked it.
    pub checked_by: Option<String>,
}

/// The status an action leads to, or why not. `who` is the person acting.
pub fn next(
    status: RunStatus,
    action: RunAction,
    who: &str,
    signed: &Signatures,
) -> Result<RunStatus, RunRefusal> {
    use RunAction as A;
    use RunStatus as S;
    let to = match (status, action) {
        (S::Draft, A::Generate | A::HoldLine) => S::Draft,
        (S::Checked, A::HoldLine) => S::Checked,
        (S::Draft, A::Check) => {
            if who == signed.drafted_by {
                return Err(RunRefusal::SamePerson);
            }
            S::Checked
        }
        (S::Checked, A::Approve) => {
            if who == signed.drafted_by || signed.checked_by.as_deref() == Some(who) {
                return Err(RunRefusal::SamePerson);
            }
            S::Approved
        }
        (S::Approved | S::Exported, A::Export) => S::Exported,
        (S::Exported, A::Reconcile) => S::Exported,
        _ => return Err(RunRefusal::WrongStage(status, action)),
    };
    Ok(to)
}

/// S21: a 低保 or 特困 enrolment is paid from the month after the decision.
pub fn first_paid_month(decided: chrono::NaiveDate) -> Month {
    Month::of(decided).next()
}

/// S21: after a death the benefit stops from the next month, and nothing already paid for the
/// month of death is recovered: the last month paid is the month of death.
pub fn last_paid_month_after_death(died: chrono::NaiveDate) -> Month {
    Month::of(died)
}

/// Whether an enrolment running `start..=end` is paid in `month`.
pub fn pays_in(start: Month, end: Option<Month>, month: Month) -> bool {
    start <= month && end.is_none_or(|e| month <= e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use RunAction as A;
    use RunStatus as S;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn a_run_moves_only_as_the_table_says() {
        let signed = Signatures {
            drafted_by: "a".into(),
            checked_by: Some("b".into()),
        };
        let allowed = [
            (S::Draft, A::Generate, S::Draft),
            (S::Draft, A::HoldLine, S::Draft),
            (S::Checked, A::HoldLine, S::Checked),
            (S::Draft, A::Check, S::Checked),
            (S::Checked, A::Approve, S::Approved),
            (S::Approved, A::Export, S::Exported),
            (S::Exported, A::Export, S::Exported),
            (S::Exported, A::Reconcile, S::Exported),
        ];
        for from in S::ALL {
            for action in A::ALL {
                let want = allowed
                    .iter()
                    .find(|(f, a, _)| f == from && a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(
                    next(*from, *action, "c", &signed).ok(),
                    want,
                    "{from:?} {action:?}"
                );
            }
        }
        let e = next(S::Reconciled, A::HoldLine, "c", &signed).unwrap_err();
        assert_eq!(e.to_string(), "发放批次“已对账”时不能“暂缓/恢复发放”");
    }

    #[test]
    fn the_checker_is_not_who_drafted_and_the_approver_neither() {
        assert_eq!(
            next(
                S::Draft,
                A::Check,
                "a",
                &Signatures {
                    drafted_by: "a".into(),
                    checked_by: None
                }
            ),
            Err(RunRefusal::SamePerson)
        );
        let signed = Signatures {
            drafted_by: "a".into(),
            checked_by: Some("b".into()),
        };
        for who in ["a", "b"] {
            assert_eq!(
                next(S::Checked, A::Approve, who, &signed),
                Err(RunRefusal::SamePerson)
            );
        }
        assert_eq!(next(S::Checked, A::Approve, "c", &signed), Ok(S::Approved));
    }

    #[test]
    fn paid_from_the_month_after_approval_until_the_month_of_death() {
        let d = |y, mo, day| chrono::NaiveDate::from_ymd_opt(y, mo, day).unwrap();
        assert_eq!(first_paid_month(d(2026, 11, 30)), m("2026-12"));
        assert_eq!(first_paid_month(d(2026, 12, 1)), m("2027-01"));
        let last = last_paid_month_after_death(d(2027, 3, 2));
        assert_eq!(last, m("2027-03"));
        assert!(pays_in(m("2026-12"), Some(last), m("2027-03")));
        assert!(!pays_in(m("2026-12"), Some(last), m("2027-04")));
        assert!(!pays_in(m("2026-12"), None, m("2026-11")));
        assert!(pays_in(m("2026-12"), None, m("2030-01")));
    }
}
