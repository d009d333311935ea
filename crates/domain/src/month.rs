//! `Month`: a calendar month (2026-11), the unit of benefit payment (按月发放), and the
//! China-time clock.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    month: u32,
}

/// Why a month was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("月份格式错误，应为 YYYY-MM，如 2026-11")]
pub struct MonthError;

impl Month {
    /// A month from year and month number (1–12).
    pub fn new(year: i32, month: u32) -> Result<Self, MonthError> {
        if (1..=12).contains(&month) && (1900..=9999).contains(&year) {
            Ok(Month { year, month })
        } else {
            Err(MonthError)
        }
    }

    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Result<Self, MonthError> {
        let (y, m) = s.trim().split_once('-').ok_or(MonthError)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(MonthError);
        }
        Month::new(
            y.parse().map_err(|_| MonthError)?,
            m.parse().map_err(|_| MonthError)?,
        )
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month number 1–12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }

    /// The last day.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("valid month")
    }

    /// The following month (payment starts the month after approval, 57号 Art. 21).
    pub fn next(self) -> Self {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Months from `self` to `later` (0 for the same month, negative when `later` is earlier).
    pub fn months_to(self, later: Month) -> i64 {
        (i64::from(later.year) - i64::from(self.year)) * 12 + i64::from(later.month)
            - i64::from(self.month)
    }

    /// The previous month.
    pub fn prev(self) -> Self {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Month {
    type Error = MonthError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Month::parse(&value)
    }
}

impl From<Month> for String {
    fn from(value: Month) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_step_across_years() {
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(m.next().to_string(), "2027-01");
        assert_eq!(Month::parse("2027-01").unwrap().prev(), m);
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(Month::parse("2024-02").unwrap().last_day().day(), 29);
        assert_eq!(
            Month::of(NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()).to_string(),
            "2026-03"
        );
    }

    #[test]
    fn months_between_count_across_years() {
        let m = |s: &str| Month::parse(s).unwrap();
        assert_eq!(m("2026-11").months_to(m("2026-11")), 0);
        assert_eq!(m("2026-11").months_to(m("2027-02")), 3);
        assert_eq!(m("2027-02").months_to(m("2026-11")), -3);
        assert_eq!(m("2024-01").months_to(m("2025-12")), 23);
    }

    #[test]
    fn malformed_months_are_refused() {
        for bad in ["2026-13", "2026-00", "26-01", "2026/01", "2026-1", ""] {
            assert_eq!(Month::parse(bad), Err(MonthError), "{bad}");
        }
    }
}
