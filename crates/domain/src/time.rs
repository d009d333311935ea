//! The clock in China time (Asia/Shanghai, UTC+8 with no daylight saving since 1991): every
//! date the system records or counts from is a calendar date there.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, Utc};

fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// Today's date in China.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&china()).date_naive()
}

/// The current local time in China, to the second.
pub fn now() -> NaiveDateTime {
    let t = Utc::now().with_timezone(&china()).naive_local();
    t.with_nanosecond_zero()
}

trait TruncateNanos {
    fn with_nanosecond_zero(self) -> Self;
}

impl TruncateNanos for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}

/// Age in whole years on `on` (a birthday counts from the day itself).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_turns_on_the_birthday() {
        let b = NaiveDate::from_ymd_opt(1966, 12, 1).unwrap();
        assert_eq!(
            age_on(b, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
            59
        );
        assert_eq!(age_on(b, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), 60);
        let leap = NaiveDate::from_ymd_opt(2008, 2, 29).unwrap();
        assert_eq!(
            age_on(leap, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()),
            17
        );
        assert_eq!(
            age_on(leap, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            18
        );
    }
}
