//! `WorkingDayCalendar`: statutory deadlines (e.g. 57号 Art. 15: investigation within 3
//! working days) counted on the State Council holiday calendar with its make-up working days
//! (调休). Years with no imported notice fall back to Monday–Friday and every result that
//! touches them is marked provisional, so a deadline shown to a caseworker never pretends to
//! a certainty it does not have.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// What the State Council notice says of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A day off (statutory holiday, a weekday made a day off, or a weekend inside the block).
    Holiday,
    /// A Saturday or Sunday made a working day (调休上班).
    Workday,
}

impl DayKind {
    /// The stored name (`holiday` / `workday`).
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
}

/// One row of the holiday data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarDay {
    /// The date.
    pub date: NaiveDate,
    /// Holiday or make-up working day.
    pub kind: DayKind,
    /// The festival, as in the notice (春节, 国庆节、中秋节, …).
    pub name: String,
}

/// A date computed on the calendar, and whether it rests on a Monday–Friday guess for a year
/// with no holiday data (待定, provisional).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The date.
    pub date: NaiveDate,
    /// True when a year without imported holiday data was involved.
    pub provisional: bool,
}

/// A count of working days, with the same provisional flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WorkingDayCount {
    /// The number of working days.
    pub days: u32,
    /// True when a year without imported holiday data was involved.
    pub provisional: bool,
}

/// Why holiday data was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The CSV could not be read.
    #[error("节假日文件第 {line} 行无法读取：{reason}")]
    Csv {
        /// Line number (1-based, header is line 1).
        line: u64,
        /// What went wrong.
        reason: String,
    },
    /// A `workday` row that is not a Saturday or Sunday: the notice only moves weekends.
    #[error("节假日文件第 {line} 行：调休上班日 {date} 不是周六或周日")]
    WorkdayNotWeekend {
        /// Line number.
        line: u64,
        /// The date.
        date: NaiveDate,
    },
    /// The same date twice.
    #[error("节假日文件第 {line} 行：日期 {date} 重复")]
    Duplicate {
        /// Line number.
        line: u64,
        /// The date.
        date: NaiveDate,
    },
}

/// A year counts as covered by a notice when its rows name at least this many festivals.
/// Every annual notice declares 元旦, 春节, 清明节, 劳动节, 端午节 and 中秋/国庆 blocks; a
/// stray row a notice adds to the previous year (e.g. 2022-12-31 from the 2023 notice) does
/// not make that year covered.
const FESTIVALS_FOR_A_COVERED_YEAR: usize = 5;

/// The working-day calendar.
#[derive(Debug, Clone, Default)]
pub struct WorkingDayCalendar {
    days: HashMap<NaiveDate, DayKind>,
    covered_years: BTreeSet<i32>,
}

impl WorkingDayCalendar {
    /// Builds a calendar from holiday rows; the years covered are derived from them.
    pub fn new(rows: impl IntoIterator<Item = CalendarDay>) -> Self {
        let mut days = HashMap::new();
        let mut names: HashMap<i32, BTreeSet<String>> = HashMap::new();
        for row in rows {
            days.insert(row.date, row.kind);
            if row.kind == DayKind::Holiday {
                names
                    .entry(row.date.year())
                    .or_default()
                    .insert(row.name.clone());
            }
        }
        let covered_years = names
            .into_iter()
            .filter(|(_, n)| n.len() >= FESTIVALS_FOR_A_COVERED_YEAR)
            .map(|(y, _)| y)
            .collect();
        WorkingDayCalendar {
            days,
            covered_years,
        }
    }

    /// Parses the `date,kind,name` CSV of `data/calendar/cn-holidays.csv`.
    pub fn parse_csv(reader: impl std::io::Read) -> Result<Vec<CalendarDay>, CalendarError> {
        let mut rdr = csv::Reader::from_reader(reader);
        let mut out: Vec<CalendarDay> = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, rec) in rdr.records().enumerate() {
            let line = i as u64 + 2;
            let err = |reason: &str| CalendarError::Csv {
                line,
                reason: reason.to_owned(),
            };
            let rec = rec.map_err(|e| err(&e.to_string()))?;
            let date = NaiveDate::parse_from_str(rec.get(0).unwrap_or("").trim(), "%Y-%m-%d")
                .map_err(|_| err("日期应为 YYYY-MM-DD"))?;
            let kind = match rec.get(1).map(str::trim) {
                Some("holiday") => DayKind::Holiday,
                Some("workday") => DayKind::Workday,
                _ => return Err(err("类型应为 holiday 或 workday")),
            };
            if kind == DayKind::Workday && !is_weekend(date) {
                return Err(CalendarError::WorkdayNotWeekend { line, date });
            }
            if !seen.insert(date) {
                return Err(CalendarError::Duplicate { line, date });
            }
            out.push(CalendarDay {
                date,
                kind,
                name: rec.get(2).unwrap_or("").trim().to_owned(),
            });
        }
        Ok(out)
    }

    /// The calendar shipped with jiuzhu (2021–2026).
    pub fn bundled() -> Self {
        let rows = Self::parse_csv(BUNDLED_CSV.as_bytes()).expect("bundled holiday data is valid");
        Self::new(rows)
    }

    /// Years with holiday data.
    pub fn covered_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.covered_years.iter().copied()
    }

    /// Whether deadlines in this year are provisional.
    pub fn is_provisional_year(&self, year: i32) -> bool {
        !self.covered_years.contains(&year)
    }

    /// A working day is Monday–Friday not listed as a holiday, or a listed make-up workday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !is_weekend(date),
        }
    }

    /// The date `n` working days after `start` (the start day itself is not counted: a case
    /// accepted on Friday with 3 working days is due on Wednesday). With `n = 0`, `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Deadline {
        let mut date = start;
        let mut provisional = false;
        let mut left = n;
        while left > 0 {
            date = date.succ_opt().expect("date in range");
            provisional |= self.is_provisional_year(date.year());
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        Deadline { date, provisional }
    }

    /// Working days in the half-open span (`from`, `to`]: how many have elapsed since `from`
    /// by the end of `to`. Zero when `to <= from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> WorkingDayCount {
        let mut days = 0;
        let mut provisional = false;
        let mut date = from;
        while date < to {
            date = date.succ_opt().expect("date in range");
            provisional |= self.is_provisional_year(date.year());
            if self.is_working_day(date) {
                days += 1;
            }
        }
        WorkingDayCount { days, provisional }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The holiday data shipped in `data/calendar/cn-holidays.csv`.
pub const BUNDLED_CSV: &str = include_str!("../../../data/calendar/cn-holidays.csv");

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_bundled_data_covers_2021_to_2026() {
        let cal = WorkingDayCalendar::bundled();
        assert_eq!(
            cal.covered_years().collect::<Vec<_>>(),
            vec![2021, 2022, 2023, 2024, 2025, 2026]
        );
        assert!(cal.is_provisional_year(2027));
    }

    #[test]
    fn an_ordinary_week_skips_the_weekend() {
        let cal = WorkingDayCalendar::bundled();
        // Friday 2026-11-27 + 3 working days = Wednesday 2026-12-02.
        let due = cal.add_working_days(d(2026, 11, 27), 3);
        assert_eq!(
            due,
            Deadline {
                date: d(2026, 12, 2),
                provisional: false
            }
        );
        assert_eq!(
            cal.add_working_days(d(2026, 11, 27), 0).date,
            d(2026, 11, 27)
        );
    }

    #[test]
    fn spring_festival_2026_and_its_make_up_days_are_respected() {
        let cal = WorkingDayCalendar::bundled();
        // 2026 春节: 2026-02-15 (Sun) to 2026-02-23 (Mon) off; 2026-02-14 (Sat) and
        // 2026-02-28 (Sat) are make-up working days.
        assert!(cal.is_working_day(d(2026, 2, 14)));
        assert!(!cal.is_working_day(d(2026, 2, 16)));
        assert!(!cal.is_working_day(d(2026, 2, 23)));
        assert!(cal.is_working_day(d(2026, 2, 28)));
        // Accepted Friday 2026-02-13: day 1 is the make-up Saturday 02-14, then the
        // festival, then 02-24 (Tue) and 02-25 (Wed).
        assert_eq!(cal.add_working_days(d(2026, 2, 13), 3).date, d(2026, 2, 25));
    }

    #[test]
    fn national_day_2025_block_is_skipped() {
        let cal = WorkingDayCalendar::bundled();
        // 2025 国庆节、中秋节: 10-01 to 10-08 off; 09-28 (Sun) and 10-11 (Sat) worked.
        assert!(cal.is_working_day(d(2025, 9, 28)));
        assert!(!cal.is_working_day(d(2025, 10, 8)));
        assert!(cal.is_working_day(d(2025, 10, 11)));
        // From Tuesday 09-30: 10-09 (Thu), 10-10 (Fri), 10-11 (make-up Sat).
        assert_eq!(
            cal.add_working_days(d(2025, 9, 30), 3).date,
            d(2025, 10, 11)
        );
        assert_eq!(
            cal.working_days_between(d(2025, 9, 30), d(2025, 10, 11))
                .days,
            3
        );
    }

    #[test]
    fn deadlines_running_into_a_year_without_data_are_provisional() {
        let cal = WorkingDayCalendar::bundled();
        let due = cal.add_working_days(d(2026, 12, 28), 10);
        assert!(due.provisional);
        // Monday–Friday counting: 12-29, 12-30, 12-31, 2027-01-01 (Fri), then 01-04 … 01-08
        // and 01-11 (Mon) is the tenth.
        assert_eq!(due.date, d(2027, 1, 11));
        assert!(!cal.add_working_days(d(2026, 12, 1), 10).provisional);
        assert!(
            cal.working_days_between(d(2026, 12, 30), d(2027, 1, 4))
                .provisional
        );
    }

    #[test]
    fn counting_between_dates_matches_adding() {
        let cal = WorkingDayCalendar::bundled();
        let start = d(2024, 1, 1);
        for n in 0..300 {
            let due = cal.add_working_days(start, n);
            assert_eq!(cal.working_days_between(start, due.date).days, n);
        }
        assert_eq!(
            cal.working_days_between(d(2024, 5, 5), d(2024, 5, 1)).days,
            0
        );
    }

    #[test]
    fn a_stray_row_from_next_years_notice_does_not_cover_a_year() {
        let rows = vec![CalendarDay {
            date: d(2027, 12, 31),
            kind: DayKind::Holiday,
            name: "元旦".into(),
        }];
        let cal = WorkingDayCalendar::new(rows);
        assert!(cal.is_provisional_year(2027));
        assert!(!cal.is_working_day(d(2027, 12, 31)));
    }

    #[test]
    fn malformed_holiday_files_are_refused_with_the_line() {
        let bad_date = "date,kind,name\n2027-02-30,holiday,春节\n";
        assert!(matches!(
            WorkingDayCalendar::parse_csv(bad_date.as_bytes()),
            Err(CalendarError::Csv { line: 2, .. })
        ));
        let bad_kind = "date,kind,name\n2027-02-10,off,春节\n";
        assert!(matches!(
            WorkingDayCalendar::parse_csv(bad_kind.as_bytes()),
            Err(CalendarError::Csv { line: 2, .. })
        ));
        let weekday_workday = "date,kind,name\n2027-02-10,workday,春节\n";
        assert!(matches!(
            WorkingDayCalendar::parse_csv(weekday_workday.as_bytes()),
            Err(CalendarError::WorkdayNotWeekend { line: 2, .. })
        ));
        let dup = "date,kind,name\n2027-02-10,holiday,春节\n2027-02-10,holiday,春节\n";
        assert!(matches!(
            WorkingDayCalendar::parse_csv(dup.as_bytes()),
            Err(CalendarError::Duplicate { line: 3, .. })
        ));
    }
}
