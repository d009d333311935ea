//! `Ratio`: an exact multiple or share in parts per million (1.3 × the 低保 standard, a 20 %
//! employment-cost share, a 3.5 % CPI rise). Money times a ratio rounds once, half up, to the
//! fen; comparisons against a multiple of an amount are exact (no rounding at the boundary).

use jiuzhu_domain::Money;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

const ONE: i64 = 1_000_000;

/// An exact decimal ratio in parts per million.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Ratio(i64);

impl Ratio {
    /// 1 ×.
    pub const ONE: Ratio = Ratio(ONE);
    /// 0.
    pub const ZERO: Ratio = Ratio(0);

    /// From parts per million.
    pub const fn from_ppm(ppm: i64) -> Self {
        Ratio(ppm)
    }

    /// Parts per million.
    pub const fn ppm(self) -> i64 {
        self.0
    }

    /// Parses `1.5`, `0.035`, `130%` or `3.5%` exactly (at most six decimals of the ratio).
    pub fn parse(input: &str) -> Option<Self> {
        let s = input.trim();
        let (s, scale) = match s.strip_suffix('%') {
            Some(p) => (p.trim(), 10_000i64),
            None => (s, ONE),
        };
        let (neg, s) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s),
        };
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let digits = if scale == ONE { 6 } else { 4 };
        if frac.len() > digits {
            return None;
        }
        let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut f: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
        for _ in frac.len()..digits {
            f *= 10;
        }
        let v = int.checked_mul(scale)?.checked_add(f)?;
        Some(Ratio(if neg { -v } else { v }))
    }

    /// `amount × self`, rounded half up to the fen (the only rounding of a product).
    pub fn of(self, amount: Money) -> Money {
        round_micro_fen(self.exact(amount))
    }

    /// `amount × self` exactly, in millionths of a fen: sum several of these and round the
    /// total once with [`round_micro_fen`] (a household's employment-cost deductions).
    pub fn exact(self, amount: Money) -> i128 {
        i128::from(amount.fen()) * i128::from(self.0)
    }

    /// Compares `lhs` with `self × base` exactly, without rounding the product.
    pub fn compare(self, lhs: Money, base: Money) -> Ordering {
        let l = i128::from(lhs.fen()) * i128::from(ONE);
        let r = i128::from(base.fen()) * i128::from(self.0);
        l.cmp(&r)
    }

    /// Whether `lhs < self × base`, exactly.
    pub fn is_below(self, lhs: Money, base: Money) -> bool {
        self.compare(lhs, base) == Ordering::Less
    }

    /// As a percentage with up to four decimals, e.g. `3.5%`.
    pub fn percent_string(self) -> String {
        let s = trim_decimal(self.0, 10_000);
        format!("{s}%")
    }
}

/// Millionths of a fen, rounded half up (away from zero) to the fen: the one rounding of a
/// sum of exact products. Saturates at the range of [`Money`].
pub fn round_micro_fen(p: i128) -> Money {
    let one = i128::from(ONE);
    let half = one / 2;
    let fen = if p >= 0 {
        (p + half) / one
    } else {
        -((-p + half) / one)
    };
    Money::from_fen(fen.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

/// One fen in millionths of a fen (the unit of [`Ratio::exact`]).
pub const MICRO_PER_FEN: i128 = ONE as i128;

fn trim_decimal(v: i64, unit: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let u = unit as u64;
    let int = a / u;
    let frac = a % u;
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let width = unit.ilog10() as usize;
    let f = format!("{frac:0width$}");
    format!("{sign}{int}.{}", f.trim_end_matches('0'))
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&trim_decimal(self.0, ONE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ratios_parse_as_multiples_or_percentages() {
        assert_eq!(Ratio::parse("1.5"), Some(Ratio(1_500_000)));
        assert_eq!(Ratio::parse("130%"), Some(Ratio(1_300_000)));
        assert_eq!(Ratio::parse("3.5%"), Some(Ratio(35_000)));
        assert_eq!(Ratio::parse("0.035"), Some(Ratio(35_000)));
        assert_eq!(Ratio::parse(".2"), Some(Ratio(200_000)));
        assert_eq!(Ratio::parse("abc"), None);
        assert_eq!(Ratio::parse("1.0000001"), None);
        assert_eq!(Ratio::parse(""), None);
    }

    #[test]
    fn products_round_half_up_to_the_fen() {
        // 675.35 × 1.5 = 1013.025 → 1013.03
        assert_eq!(
            Ratio::parse("1.5")
                .unwrap()
                .of(Money::from_fen(67_535))
                .fen(),
            101_303
        );
        // 1/3 of 1 fen rounds to 0, 1/2 rounds up.
        assert_eq!(
            Ratio::parse("0.333333")
                .unwrap()
                .of(Money::from_fen(1))
                .fen(),
            0
        );
        assert_eq!(Ratio::parse("0.5").unwrap().of(Money::from_fen(1)).fen(), 1);
    }

    #[test]
    fn comparisons_at_the_boundary_are_exact() {
        let r = Ratio::parse("1.5").unwrap();
        let standard = Money::from_fen(67_535);
        // 1.5 × 675.35 = 1013.025: 1013.02 is below, 1013.03 is not.
        assert!(r.is_below(Money::from_fen(101_302), standard));
        assert!(!r.is_below(Money::from_fen(101_303), standard));
    }

    #[test]
    fn display_trims_zeros() {
        assert_eq!(Ratio::parse("1.30").unwrap().to_string(), "1.3");
        assert_eq!(Ratio::parse("3.5%").unwrap().percent_string(), "3.5%");
        assert_eq!(Ratio::ONE.to_string(), "1");
    }

    proptest! {
        #[test]
        fn a_product_is_within_half_a_fen(fen in 0i64..10_000_000_000, ppm in 0i64..10_000_000) {
            let r = Ratio(ppm);
            let got = i128::from(r.of(Money::from_fen(fen)).fen()) * i128::from(ONE);
            let exact = i128::from(fen) * i128::from(ppm);
            prop_assert!((got - exact).abs() <= i128::from(ONE / 2));
        }
    }
}
