//! `Money`: an exact amount in fen (分, 1/100 yuan) as `i64`. No float ever touches money;
//! arithmetic is checked and every rounding is explicit.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in fen. May be negative (a recovery, a correction).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

/// Why an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Empty input.
    #[error("金额不能为空")]
    Empty,
    /// Not a decimal number of yuan.
    #[error("金额格式错误，应为元，如 1234.50")]
    Format,
    /// More than two decimal places (below 1 fen).
    #[error("金额最多保留两位小数（到分）")]
    TooPrecise,
    /// Out of the representable range.
    #[error("金额超出范围")]
    Overflow,
    /// Negative where only non-negative amounts make sense.
    #[error("金额不能为负数")]
    Negative,
}

impl MoneyError {
    /// English wording of the error.
    pub fn en(&self) -> &'static str {
        match self {
            MoneyError::Empty => "amount is empty",
            MoneyError::Format => "amount must be in yuan, e.g. 1234.50",
            MoneyError::TooPrecise => "amount may have at most two decimals (fen)",
            MoneyError::Overflow => "amount out of range",
            MoneyError::Negative => "amount must not be negative",
        }
    }
}

/// No single payment line is larger than this (1,000,000.00 yuan): a sanity bound on stored
/// amounts, not a policy figure — an enrolment above it is held as corrupt instead of paid, so
/// a wrong amount can neither be paid nor overflow a county's totals (issue 15 F2). The
/// policy's own caps (`decision.*_cap`) are far lower.
pub const MAX_PAYMENT_FEN: i64 = 100_000_000;

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// From fen.
    pub const fn from_fen(fen: i64) -> Self {
        Money(fen)
    }

    /// From whole yuan.
    pub const fn from_yuan(yuan: i64) -> Self {
        Money(yuan * 100)
    }

    /// The amount in fen.
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Parses a yuan amount such as `1234`, `1234.5`, `-12.05` or `1,234.50` exactly.
    pub fn parse_yuan(input: &str) -> Result<Self, MoneyError> {
        let s: String = input
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '，')
            .collect();
        let s = s.trim_start_matches('¥').trim_start_matches('￥');
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (neg, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() && frac.is_empty() {
            return Err(MoneyError::Format);
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MoneyError::Format);
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        let yuan: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| MoneyError::Overflow)?
        };
        let mut fen_part: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| MoneyError::Format)?
        };
        if frac.len() == 1 {
            fen_part *= 10;
        }
        let total = yuan
            .checked_mul(100)
            .and_then(|v| v.checked_add(fen_part))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money(if neg { -total } else { total }))
    }

    /// Like [`Money::parse_yuan`] but refuses negative amounts.
    pub fn parse_non_negative_yuan(input: &str) -> Result<Self, MoneyError> {
        let m = Self::parse_yuan(input)?;
        if m.0 < 0 {
            Err(MoneyError::Negative)
        } else {
            Ok(m)
        }
    }

    /// Checked addition.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Checked subtraction.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Checked multiplication by a whole number (e.g. members × per-head amount).
    pub fn checked_mul(self, n: i64) -> Option<Money> {
        self.0.checked_mul(n).map(Money)
    }

    /// Divides by `n` rounding toward zero (truncating to the fen), as per-capita income is
    /// computed; the remainder is returned so that nothing is silently lost.
    pub fn div_floor_fen(self, n: i64) -> Option<(Money, i64)> {
        if n == 0 {
            return None;
        }
        Some((Money(self.0.div_euclid(n)), self.0.rem_euclid(n)))
    }

    /// The yuan amount with two decimals, e.g. `1234.50`.
    pub fn yuan_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "¥{}", self.yuan_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn yuan_strings_parse_exactly_to_fen() {
        assert_eq!(Money::parse_yuan("1234.5").unwrap().fen(), 123_450);
        assert_eq!(Money::parse_yuan("1,234.56").unwrap().fen(), 123_456);
        assert_eq!(Money::parse_yuan("¥0.07").unwrap().fen(), 7);
        assert_eq!(Money::parse_yuan("-12.05").unwrap().fen(), -1205);
        assert_eq!(Money::parse_yuan(".5").unwrap().fen(), 50);
        assert_eq!(Money::parse_yuan("600").unwrap(), Money::from_yuan(600));
    }

    #[test]
    fn malformed_amounts_are_refused_with_the_reason() {
        assert_eq!(Money::parse_yuan(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse_yuan("12元"), Err(MoneyError::Format));
        assert_eq!(Money::parse_yuan("1.2.3"), Err(MoneyError::Format));
        assert_eq!(Money::parse_yuan("."), Err(MoneyError::Format));
        assert_eq!(Money::parse_yuan("1.234"), Err(MoneyError::TooPrecise));
        assert_eq!(
            Money::parse_yuan("99999999999999999999"),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Money::parse_non_negative_yuan("-1"),
            Err(MoneyError::Negative)
        );
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(
            Money::from_fen(i64::MAX).checked_add(Money::from_fen(1)),
            None
        );
        assert_eq!(
            Money::from_fen(5).checked_sub(Money::from_fen(7)),
            Some(Money::from_fen(-2))
        );
        assert_eq!(Money::from_fen(i64::MAX).checked_mul(2), None);
        assert_eq!(
            Money::from_fen(1000).div_floor_fen(3),
            Some((Money::from_fen(333), 1))
        );
        assert_eq!(Money::from_fen(1).div_floor_fen(0), None);
    }

    #[test]
    fn display_is_in_yuan_with_two_decimals() {
        assert_eq!(Money::from_fen(123_405).to_string(), "¥1234.05");
        assert_eq!(Money::from_fen(-5).yuan_string(), "-0.05");
    }

    proptest! {
        #[test]
        fn yuan_string_round_trips(fen in -1_000_000_000_000i64..1_000_000_000_000) {
            let m = Money::from_fen(fen);
            prop_assert_eq!(Money::parse_yuan(&m.yuan_string()).unwrap(), m);
        }

        #[test]
        fn division_loses_nothing(fen in 0i64..1_000_000_000, n in 1i64..20) {
            let (q, r) = Money::from_fen(fen).div_floor_fen(n).unwrap();
            prop_assert_eq!(q.fen() * n + r, fen);
        }
    }
}
