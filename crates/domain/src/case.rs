//! The life of an assistance application (S20, S21, S5, S14): the stages a case passes through
//! from the one window to enrolment, which actions move it on for each programme, and the
//! statutory clocks in working days — 57号 Art. 15–22 and 民发〔2022〕83号 §4 for 低保, 43号
//! Art. 10–19 for 特困, 临时救助 per 国发〔2014〕47号 and the Anyang opinions §14.
//!
//! Which action moves a case from which stage is each programme's workflow table, in the
//! `jiuzhu-programmes` crate, as is the list of programmes; this module keeps the vocabulary
//! and the clocks.

use chrono::NaiveDate;

use crate::calendar::WorkingDayCalendar;
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};

/// What is applied for: a programme's stored code and its names. Each programme's spec (crate
/// `jiuzhu-programmes`) declares its own kind, and the list of kinds is the list of specs — so a
/// new programme adds a spec and no variant here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseKind {
    code: &'static str,
    zh: &'static str,
    en: &'static str,
}

impl CaseKind {
    /// A kind with its stored code and Chinese and English names.
    pub const fn new(code: &'static str, zh: &'static str, en: &'static str) -> Self {
        CaseKind { code, zh, en }
    }

    /// The stored code.
    pub const fn code(self) -> &'static str {
        self.code
    }

    /// The Chinese name.
    pub const fn zh(self) -> &'static str {
        self.zh
    }

    /// The English name.
    pub const fn en(self) -> &'static str {
        self.en
    }

    /// Whether `s` names this kind: its code, its Chinese name or its English name.
    pub fn is_named(self, s: &str) -> bool {
        let s = s.trim();
        s == self.code || s == self.zh || s.eq_ignore_ascii_case(self.en)
    }
}

impl std::fmt::Display for CaseKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.zh)
    }
}

impl Serialize for CaseKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code)
    }
}

vocabulary! {
    /// Where a case stands.
    Stage {
        /// Filed (window, hotline, online, village discovery, referral); not yet accepted.
        Applied = ("applied", "已申请", "applied"),
        /// Accepted at the window (受理).
        Accepted = ("accepted", "已受理", "accepted"),
        /// Waiting for materials listed once (一次性告知); the clock stops.
        MaterialsMissing = ("materials_missing", "待补材料", "materials missing"),
        /// Economic-status check and home investigation (核对、入户调查).
        Investigating = ("investigating", "调查核对中", "investigating"),
        /// The township's opinion is recorded.
        Opinion = ("opinion", "已提出审核意见", "opinion recorded"),
        /// Public notice in the village or community (公示, 7 days); the clock stops.
        Notice = ("notice", "公示中", "public notice"),
        /// An objection was raised during the notice.
        Disputed = ("disputed", "公示有异议", "disputed"),
        /// A 民主评议 is being held.
        DemocraticReview = ("democratic_review", "民主评议", "democratic review"),
        /// 急难型: a small amount paid first; the papers are to be completed.
        AdvancePaid = ("advance_paid", "已先行救助，待补手续", "advance paid, papers pending"),
        /// Approved (批准).
        Approved = ("approved", "已批准", "approved"),
        /// Enrolled: benefits from the next month (final).
        Enrolled = ("enrolled", "已纳入保障", "enrolled"),
        /// Refused with reasons (final).
        Refused = ("refused", "不予批准", "refused"),
        /// Not accepted, with reasons (final).
        NotAccepted = ("not_accepted", "不予受理", "not accepted"),
        /// Handed to the department in charge (final here; the transfer is tracked).
        Transferred = ("transferred", "已转办", "transferred"),
        /// Withdrawn by the applicant (final).
        Withdrawn = ("withdrawn", "已撤回", "withdrawn"),
    }
}

vocabulary! {
    /// What a caseworker does to a case.
    Action {
        /// 受理.
        Accept = ("accept", "受理", "accept"),
        /// 不予受理 (with reasons).
        RefuseToAccept = ("refuse_to_accept", "不予受理", "refuse to accept"),
        /// 一次性告知 the missing materials.
        RequestMaterials = ("request_materials", "一次性告知补正材料", "request materials"),
        /// The materials arrived.
        MaterialsReceived = ("materials_received", "材料已补齐", "materials received"),
        /// Start the check and the home investigation.
        StartInvestigation = ("start_investigation", "开始调查核对", "start investigation"),
        /// Record the township's opinion (with the rules' explanation).
        RecordOpinion = ("record_opinion", "提出审核意见", "record opinion"),
        /// Post the notice.
        PublishNotice = ("publish_notice", "张榜公示", "publish notice"),
        /// Record an objection to the notice.
        RecordObjection = ("record_objection", "登记异议", "record objection"),
        /// Investigate again after an objection.
        Reinvestigate = ("reinvestigate", "重新调查", "investigate again"),
        /// Hold a 民主评议 after an objection.
        HoldDemocraticReview = ("hold_democratic_review", "组织民主评议", "hold democratic review"),
        /// 批准.
        Approve = ("approve", "批准", "approve"),
        /// 不予批准 (with reasons).
        Refuse = ("refuse", "不予批准", "refuse"),
        /// Enrol from the next month.
        Enrol = ("enrol", "纳入保障", "enrol"),
        /// 转办 to the department in charge.
        Transfer = ("transfer", "转办", "transfer"),
        /// The applicant withdraws.
        Withdraw = ("withdraw", "撤回申请", "withdraw"),
        /// 急难型: pay a small amount first.
        PayAdvance = ("pay_advance", "小额先行救助", "pay advance"),
        /// 急难型: the papers are complete.
        CompletePapers = ("complete_papers", "补齐手续", "complete papers"),
    }
}

impl Stage {
    /// Whether nothing can follow.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Stage::Enrolled
                | Stage::Refused
                | Stage::NotAccepted
                | Stage::Transferred
                | Stage::Withdrawn
        )
    }

    /// Whether the statutory clock runs in this stage: it stops while materials are missing
    /// and during the public notice (the 7 days are calendar days of their own), and once the
    /// case is decided.
    pub fn clock_runs(self) -> bool {
        !matches!(
            self,
            Stage::Applied | Stage::MaterialsMissing | Stage::Notice | Stage::Approved
        ) && !self.is_final()
    }
}

/// The statutory limit on a case, in working days from acceptance with the clock stopped while
/// materials are missing and during the notice. Each programme reads its limits from the policy
/// in force (`jiuzhu_programmes::limits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// The normal limit.
    pub total: u32,
    /// The limit in special cases (extended with a recorded reason).
    pub extended: u32,
    /// From acceptance to the start of the investigation.
    pub start_investigation: u32,
    /// A refusal's written notice after the decision.
    pub refusal_notice: u32,
    /// Calendar days of the public notice.
    pub notice_days: u32,
    /// Days a household's 核对 report supports an opinion or a decision.
    pub verification_valid_days: u32,
}

/// One entry of a case's history: the stage it entered and on which day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entered {
    /// The stage.
    pub stage: Stage,
    /// The day.
    pub on: NaiveDate,
}

/// Working days the clock has run by the end of `today`: the working days spent in stages
/// where it runs (a stage's own first day is not counted, like a deadline's start day).
/// `provisional` when a year without imported holiday data was involved.
pub fn elapsed(cal: &WorkingDayCalendar, history: &[Entered], today: NaiveDate) -> (u32, bool) {
    let mut days = 0;
    let mut provisional = false;
    for (i, e) in history.iter().enumerate() {
        if !e.stage.clock_runs() {
            continue;
        }
        let until = history.get(i + 1).map(|n| n.on).unwrap_or(today).min(today);
        let n = cal.working_days_between(e.on, until);
        days += n.days;
        provisional |= n.provisional;
    }
    (days, provisional)
}

/// The day a case is (or was) due if nothing stops the clock again: the day the running clock
/// reaches `total` working days — in the past when it already has, otherwise `total` less those
/// elapsed after today.
pub fn due(
    cal: &WorkingDayCalendar,
    history: &[Entered],
    total: u32,
    today: NaiveDate,
) -> crate::calendar::Deadline {
    let (spent, provisional) = elapsed(cal, history, today);
    if spent < total {
        let mut d = cal.add_working_days(today, total - spent);
        d.provisional |= provisional;
        return d;
    }
    // Walk the running stages day by day to the day the limit was reached.
    let mut count = 0;
    for (i, e) in history.iter().enumerate() {
        if !e.stage.clock_runs() {
            continue;
        }
        let until = history.get(i + 1).map(|n| n.on).unwrap_or(today).min(today);
        let mut day = e.on;
        while day < until {
            day = day.succ_opt().expect("date in range");
            if cal.is_working_day(day) {
                count += 1;
                if count == total {
                    return crate::calendar::Deadline {
                        date: day,
                        provisional,
                    };
                }
            }
        }
    }
    crate::calendar::Deadline {
        date: today,
        provisional,
    }
}

/// The most instalments one approval of temporary assistance is paid in.
pub const MAX_INSTALMENTS: u32 = 12;

/// The event code of a case carried from the old system at go-live (issue 17): it enters
/// 已纳入保障 directly, its decision taken before the platform.
pub const CARRIED: &str = "carry";

/// 一次审批、分阶段救助 (S14): an approved amount paid in `n` monthly instalments from `first`,
/// equal in fen with the remainder in the first, so they always add up to the amount.
pub fn instalments(total_fen: i64, n: u32, first: crate::Month) -> Vec<(crate::Month, i64)> {
    let n = n.clamp(1, MAX_INSTALMENTS);
    let each = total_fen / i64::from(n);
    let rest = total_fen - each * i64::from(n);
    let mut month = first;
    (0..n)
        .map(|i| {
            let m = month;
            month = month.next();
            (m, if i == 0 { each + rest } else { each })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stage as S;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn staged_instalments_add_up_to_the_approved_amount_month_by_month() {
        let dec = crate::Month::new(2026, 12).unwrap();
        let plan = instalments(100_000, 3, dec);
        assert_eq!(
            plan.iter().map(|(m, _)| m.to_string()).collect::<Vec<_>>(),
            ["2026-12", "2027-01", "2027-02"],
            "across the turn of the year"
        );
        assert_eq!(
            plan.iter().map(|(_, f)| *f).collect::<Vec<_>>(),
            [33_334, 33_333, 33_333],
            "the remainder goes in the first"
        );
        assert_eq!(instalments(5_000, 1, dec), [(dec, 5_000)]);
        assert_eq!(instalments(7, 0, dec).len(), 1, "no fewer than one");
        assert_eq!(instalments(7, 99, dec).len(), MAX_INSTALMENTS as usize);
        for n in 1..=MAX_INSTALMENTS {
            for total in [1, 99, 100_001, 1_234_567] {
                let sum: i64 = instalments(total, n, dec).iter().map(|(_, f)| f).sum();
                assert_eq!(sum, total, "{total} in {n}");
            }
        }
    }

    #[test]
    fn the_clock_stops_for_missing_materials_and_the_notice_across_spring_festival() {
        let cal = WorkingDayCalendar::bundled();
        // Accepted Fri 2026-02-13; 2026 Spring Festival: 15–23 Feb off, Sat 14 and Sat 28 Feb
        // worked (make-up days).
        let h = [
            Entered {
                stage: S::Accepted,
                on: d(2026, 2, 13),
            },
            Entered {
                stage: S::Investigating,
                on: d(2026, 2, 14),
            },
        ];
        // 14 Feb (Sat, make-up) is counted; 15–23 Feb are not; 24–27 are; 28 (Sat) is.
        assert_eq!(elapsed(&cal, &h, d(2026, 2, 28)).0, 6);
        // Materials missing from 25 Feb to 3 Mar: those days do not count.
        let h2 = [
            h[0],
            h[1],
            Entered {
                stage: S::MaterialsMissing,
                on: d(2026, 2, 25),
            },
            Entered {
                stage: S::Accepted,
                on: d(2026, 3, 3),
            },
        ];
        // 14, 24, 25 (then stopped) = 3; from 3 Mar: 4, 5 = 2.
        assert_eq!(elapsed(&cal, &h2, d(2026, 3, 5)).0, 5);
        // Due: 20 − 5 = 15 more working days after 5 Mar.
        assert_eq!(due(&cal, &h2, 20, d(2026, 3, 5)).date, d(2026, 3, 26));
        // Past the limit, the due date is the day it was reached: the 5th working day.
        assert_eq!(due(&cal, &h2, 5, d(2026, 3, 20)).date, d(2026, 3, 5));
        assert_eq!(due(&cal, &h2, 3, d(2026, 3, 20)).date, d(2026, 2, 25));
    }

    #[test]
    fn the_notice_days_stop_the_clock_across_national_day() {
        let cal = WorkingDayCalendar::bundled();
        // 2025: 1–8 Oct off, Sun 28 Sep and Sat 11 Oct worked.
        let h = [
            Entered {
                stage: S::Investigating,
                on: d(2025, 9, 26),
            },
            Entered {
                stage: S::Notice,
                on: d(2025, 9, 29),
            },
            Entered {
                stage: S::Opinion,
                on: d(2025, 10, 9),
            },
        ];
        // 28 Sep (Sun, make-up) and 29 Sep = 2 before the notice; after it: 10, 11 (Sat,
        // make-up), 13 Oct = 3.
        assert_eq!(elapsed(&cal, &h, d(2025, 10, 13)).0, 5);
    }
}
