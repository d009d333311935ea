//! `RegionCode`: the 12-digit statistical division code (统计用区划代码) that places every
//! household, user and record in the city ⊃ county ⊃ township ⊃ village tree.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The level of a division in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 省级 (e.g. 41 河南省).
    Province,
    /// 地级 (e.g. 4105 安阳市).
    City,
    /// 县级 (e.g. 410502 文峰区).
    County,
    /// 乡级: 街道 / 镇 / 乡 (e.g. 410502001).
    Township,
    /// 村级: 村委会 / 居委会 (e.g. 410502001001).
    Village,
}

impl RegionLevel {
    /// How many significant digits a code of this level has (2/4/6/9/12).
    pub const fn significant_digits(self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::City => 4,
            RegionLevel::County => 6,
            RegionLevel::Township => 9,
            RegionLevel::Village => 12,
        }
    }

    /// The stored name of the level (`city`, `county`, …), as in the regions CSV.
    pub const fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::Township => "township",
            RegionLevel::Village => "village",
        }
    }

    /// Parses the stored name of a level.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "province" => RegionLevel::Province,
            "city" => RegionLevel::City,
            "county" => RegionLevel::County,
            "township" => RegionLevel::Township,
            "village" => RegionLevel::Village,
            _ => return None,
        })
    }

    /// The Chinese name of the level.
    pub const fn zh(self) -> &'static str {
        match self {
            RegionLevel::Province => "省",
            RegionLevel::City => "市",
            RegionLevel::County => "县（区）",
            RegionLevel::Township => "乡镇（街道）",
            RegionLevel::Village => "村（社区）",
        }
    }
}

/// Why a region code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    /// Empty input.
    #[error("区划代码不能为空")]
    Empty,
    /// A character other than 0–9.
    #[error("区划代码只能包含数字")]
    NotDigits,
    /// Not 2, 4, 6, 9 or 12 digits.
    #[error("区划代码应为 2、4、6、9 或 12 位数字，实际为 {0} 位")]
    BadLength(usize),
    /// All zero, or zeros in the middle followed by digits (e.g. 410500001000).
    #[error("区划代码的层级不连续（上级部分为零而下级部分非零）")]
    Gap,
}

impl RegionCodeError {
    /// English wording of the error.
    pub fn en(&self) -> String {
        match self {
            RegionCodeError::Empty => "region code is empty".into(),
            RegionCodeError::NotDigits => "region code must contain digits only".into(),
            RegionCodeError::BadLength(n) => {
                format!("region code must have 2, 4, 6, 9 or 12 digits, got {n}")
            }
            RegionCodeError::Gap => "region code has a zero level above a non-zero level".into(),
        }
    }
}

/// A statistical division code, always held in its full 12-digit form
/// (`4105` → `410500000000`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

/// Digit boundaries of the levels: province 0..2, city 2..4, county 4..6, township 6..9,
/// village 9..12.
const BOUNDS: [(RegionLevel, usize, usize); 5] = [
    (RegionLevel::Province, 0, 2),
    (RegionLevel::City, 2, 4),
    (RegionLevel::County, 4, 6),
    (RegionLevel::Township, 6, 9),
    (RegionLevel::Village, 9, 12),
];

impl RegionCode {
    /// Parses a code of 2, 4, 6, 9 or 12 digits (the short forms are padded with zeros on the
    /// right, as the NBS does).
    pub fn parse(input: &str) -> Result<Self, RegionCodeError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(RegionCodeError::Empty);
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RegionCodeError::NotDigits);
        }
        if ![2, 4, 6, 9, 12].contains(&s.len()) {
            return Err(RegionCodeError::BadLength(s.len()));
        }
        let mut full = String::with_capacity(12);
        full.push_str(s);
        while full.len() < 12 {
            full.push('0');
        }
        // A level may be zero only if every finer level is zero too.
        let mut seen_zero = false;
        for (_, from, to) in BOUNDS {
            let part = &full[from..to];
            let zero = part.bytes().all(|b| b == b'0');
            if zero {
                seen_zero = true;
            } else if seen_zero {
                return Err(RegionCodeError::Gap);
            }
        }
        if full[0..2].bytes().all(|b| b == b'0') {
            return Err(RegionCodeError::Gap);
        }
        Ok(RegionCode(full))
    }

    /// The full 12-digit code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level: the finest non-zero part.
    pub fn level(&self) -> RegionLevel {
        let mut level = RegionLevel::Province;
        for (l, from, to) in BOUNDS {
            if self.0[from..to].bytes().any(|b| b != b'0') {
                level = l;
            }
        }
        level
    }

    /// The significant digits only (`410502`, `410502001`), as written in the NBS CSV.
    pub fn short(&self) -> &str {
        &self.0[..self.level().significant_digits()]
    }

    /// The parent division, or `None` for a province.
    pub fn parent(&self) -> Option<RegionCode> {
        let digits = match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::City => 2,
            RegionLevel::County => 4,
            RegionLevel::Township => 6,
            RegionLevel::Village => 9,
        };
        RegionCode::parse(&self.0[..digits]).ok()
    }

    /// The 6-digit county code this region lies in (the distribution key of per-county
    /// tables), or `None` for a city or province.
    pub fn county_code(&self) -> Option<&str> {
        (self.level() >= RegionLevel::County).then(|| &self.0[..6])
    }

    /// The township this region lies in (the region itself at township level or above): who
    /// decides a case filed in a village, whose reserve fund pays its advance.
    pub fn township(&self) -> RegionCode {
        let mut r = self.clone();
        while r.level() > RegionLevel::Township {
            match r.parent() {
                Some(p) => r = p,
                None => break,
            }
        }
        r
    }

    /// Whether `other` is this region or lies inside it.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.short())
    }

    /// The inclusive range of full codes inside this region, for index range scans
    /// (`code BETWEEN low AND high`), which both SQLite and PostgreSQL serve from a B-tree.
    pub fn subtree_range(&self) -> (String, String) {
        let short = self.short();
        let mut low = short.to_owned();
        let mut high = short.to_owned();
        while low.len() < 12 {
            low.push('0');
            high.push('9');
        }
        (low, high)
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&value)
    }
}

impl From<RegionCode> for String {
    fn from(value: RegionCode) -> Self {
        value.0
    }
}

impl std::str::FromStr for RegionCode {
    type Err = RegionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn short_forms_are_padded_to_twelve_digits() {
        assert_eq!(code("4105").as_str(), "410500000000");
        assert_eq!(code("410502").as_str(), "410502000000");
        assert_eq!(code("410502001").as_str(), "410502001000");
        assert_eq!(code("410502001001").as_str(), "410502001001");
    }

    #[test]
    fn the_level_is_the_finest_non_zero_part() {
        assert_eq!(code("41").level(), RegionLevel::Province);
        assert_eq!(code("4105").level(), RegionLevel::City);
        assert_eq!(code("410502").level(), RegionLevel::County);
        assert_eq!(code("410502001").level(), RegionLevel::Township);
        assert_eq!(code("410502001001").level(), RegionLevel::Village);
        assert_eq!(code("410502001000").level(), RegionLevel::Township);
    }

    #[test]
    fn parents_walk_up_the_tree() {
        let v = code("410502001001");
        assert_eq!(v.parent().unwrap(), code("410502001"));
        assert_eq!(code("410502001").parent().unwrap(), code("410502"));
        assert_eq!(code("410502").parent().unwrap(), code("4105"));
        assert_eq!(code("4105").parent().unwrap(), code("41"));
        assert_eq!(code("41").parent(), None);
    }

    #[test]
    fn a_village_lies_in_its_township_and_a_township_or_above_is_its_own() {
        // S21: the township decides a case filed in one of its villages.
        assert_eq!(code("410502001001").township(), code("410502001"));
        assert_eq!(code("410502001").township(), code("410502001"));
        assert_eq!(code("410502").township(), code("410502"));
        assert_eq!(code("4105").township(), code("4105"));
    }

    #[test]
    fn inside_checks_follow_the_prefix() {
        let county = code("410502");
        assert!(county.contains(&code("410502001001")));
        assert!(county.contains(&county));
        assert!(!county.contains(&code("410503001001")));
        assert!(!code("410502001001").contains(&county));
        assert!(code("4105").contains(&code("410581100200")));
    }

    #[test]
    fn county_code_is_the_first_six_digits_below_city_level() {
        assert_eq!(code("410502001001").county_code(), Some("410502"));
        assert_eq!(code("410502").county_code(), Some("410502"));
        assert_eq!(code("4105").county_code(), None);
    }

    #[test]
    fn subtree_range_brackets_every_descendant() {
        let (lo, hi) = code("410502001").subtree_range();
        assert_eq!(lo, "410502001000");
        assert_eq!(hi, "410502001999");
    }

    #[test]
    fn bad_codes_are_refused_with_the_reason() {
        assert_eq!(RegionCode::parse(""), Err(RegionCodeError::Empty));
        assert_eq!(RegionCode::parse("41a5"), Err(RegionCodeError::NotDigits));
        assert_eq!(
            RegionCode::parse("41050"),
            Err(RegionCodeError::BadLength(5))
        );
        assert_eq!(RegionCode::parse("410500001000"), Err(RegionCodeError::Gap));
        assert_eq!(RegionCode::parse("000000000000"), Err(RegionCodeError::Gap));
        assert!(RegionCodeError::BadLength(5).to_string().contains("5 位"));
    }

    proptest! {
        #[test]
        fn every_code_is_inside_its_parent(s in "41[0-9]{2}[0-9]{2}[0-9]{3}[0-9]{3}") {
            if let Ok(c) = RegionCode::parse(&s) {
                if let Some(p) = c.parent() {
                    prop_assert!(p.contains(&c));
                    prop_assert!(p.level() < c.level());
                    let (lo, hi) = p.subtree_range();
                    prop_assert!(lo.as_str() <= c.as_str() && c.as_str() <= hi.as_str());
                }
                prop_assert_eq!(RegionCode::parse(c.short()).unwrap(), c.clone());
            }
        }

        #[test]
        fn parse_never_panics(s in ".{0,20}") {
            let _ = RegionCode::parse(&s);
        }
    }
}
