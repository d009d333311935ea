//! `ResidentId`: the 18-digit 居民身份证号 (GB 11643-1999), with its ISO 7064 MOD 11-2 check
//! digit, the birth date and sex it encodes, and conversion of old 15-digit numbers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::vocab::Sex;

/// Why an ID number was refused. Each variant says, in Chinese, what the person at the
/// window should check on the card.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    /// Empty input.
    #[error("身份证号不能为空")]
    Empty,
    /// Not 15 or 18 characters.
    #[error("身份证号应为 18 位（或旧版 15 位），实际为 {0} 位")]
    BadLength(usize),
    /// A character other than a digit (or a final X).
    #[error("身份证号只能由数字组成，最后一位可以是 X")]
    BadCharacter,
    /// The first six digits are not a plausible address code.
    #[error("身份证号前 6 位地址码无效")]
    BadRegion,
    /// Digits 7–14 are not a real date, or a date before 1900 or in the future.
    #[error("身份证号中的出生日期无效")]
    BadBirthDate,
    /// The check digit does not match. The right digit is not told (issue 15): a form that
    /// names it helps someone make up a valid number.
    #[error("身份证号校验码错误，请核对号码")]
    BadCheckDigit,
}

impl ResidentIdError {
    /// English wording of the error.
    pub fn en(&self) -> String {
        match self {
            ResidentIdError::Empty => "ID number is empty".into(),
            ResidentIdError::BadLength(n) => {
                format!("ID number must have 18 (or 15) characters, got {n}")
            }
            ResidentIdError::BadCharacter => {
                "ID number must be digits, optionally ending in X".into()
            }
            ResidentIdError::BadRegion => "the address code (first 6 digits) is invalid".into(),
            ResidentIdError::BadBirthDate => {
                "the birth date inside the ID number is invalid".into()
            }
            ResidentIdError::BadCheckDigit => "the check digit is wrong".into(),
        }
    }
}

/// A valid 18-digit resident ID number (upper-case X).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The ISO 7064 MOD 11-2 check character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

impl ResidentId {
    /// Parses an 18-digit number (or converts a 15-digit one, born 19xx), checking the
    /// characters, address code, birth date (not after `today`) and check digit.
    pub fn parse_on(input: &str, today: NaiveDate) -> Result<Self, ResidentIdError> {
        let s = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(ResidentIdError::Empty);
        }
        let n = s.chars().count();
        let bytes = s.as_bytes();
        let id = match n {
            18 => {
                if !bytes[..17].iter().all(u8::is_ascii_digit)
                    || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
                {
                    return Err(ResidentIdError::BadCharacter);
                }
                s
            }
            15 => {
                if !bytes.iter().all(u8::is_ascii_digit) {
                    return Err(ResidentIdError::BadCharacter);
                }
                // Old numbers omit the century (always 19) and the check digit.
                let mut first17 = String::with_capacity(18);
                first17.push_str(&s[..6]);
                first17.push_str("19");
                first17.push_str(&s[6..]);
                let c = check_char(first17.as_bytes());
                first17.push(c);
                first17
            }
            _ => return Err(ResidentIdError::BadLength(n)),
        };
        let province: u32 = id[..2].parse().map_err(|_| ResidentIdError::BadRegion)?;
        if !(11..=91).contains(&province) || &id[2..6] == "0000" {
            return Err(ResidentIdError::BadRegion);
        }
        let birth = birth_date_of(&id).ok_or(ResidentIdError::BadBirthDate)?;
        if birth.year_ce().1 < 1900 || birth > today {
            return Err(ResidentIdError::BadBirthDate);
        }
        let expected = check_char(&id.as_bytes()[..17]);
        let found = id.as_bytes()[17] as char;
        if expected != found {
            return Err(ResidentIdError::BadCheckDigit);
        }
        Ok(ResidentId(id))
    }

    /// Parses against today's date in China.
    pub fn parse(input: &str) -> Result<Self, ResidentIdError> {
        Self::parse_on(input, crate::time::today())
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date encoded in digits 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        birth_date_of(&self.0).expect("validated on parse")
    }

    /// The sex encoded in digit 17: odd is male, even is female.
    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The 6-digit address code of the place the number was issued.
    pub fn address_code(&self) -> &str {
        &self.0[..6]
    }

    /// The masked form shown by default: `410502********1234`.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }

    /// Builds a valid number from an address code, birth date and a 3-digit sequence
    /// (odd for men): used by the synthetic-data generator and tests.
    pub fn build(address6: &str, birth: NaiveDate, sequence: u16) -> ResidentId {
        let mut s = format!("{address6}{}{:03}", birth.format("%Y%m%d"), sequence % 1000);
        let c = check_char(s.as_bytes());
        s.push(c);
        ResidentId(s)
    }
}

fn birth_date_of(id: &str) -> Option<NaiveDate> {
    let y = id.get(6..10)?.parse().ok()?;
    let m = id.get(10..12)?.parse().ok()?;
    let d = id.get(12..14)?.parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

impl fmt::Debug for ResidentId {
    // Debug output shows only the masked form, so an ID never lands in a log by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ResidentId {
    type Error = ResidentIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ResidentId::parse(&value)
    }
}

impl From<ResidentId> for String {
    fn from(value: ResidentId) -> Self {
        value.0
    }
}

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    // A published GB 11643 example: 11010519491231002X.
    #[test]
    fn a_valid_number_parses_with_birth_date_and_sex() {
        let id = ResidentId::parse_on("11010519491231002x", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(format!("{id:?}"), "ResidentId(110105********002X)");
    }

    #[test]
    fn a_wrong_check_digit_is_refused_without_telling_the_right_one() {
        let err = ResidentId::parse_on("110105194912310021", today()).unwrap_err();
        assert_eq!(err, ResidentIdError::BadCheckDigit);
        assert!(!err.to_string().contains('X'), "{err}");
        assert!(!err.en().contains('X'), "{}", err.en());
    }

    #[test]
    fn old_fifteen_digit_numbers_are_converted() {
        let id = ResidentId::parse_on("410502800101123", today()).unwrap();
        assert_eq!(&id.as_str()[..17], "41050219800101123");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()
        );
        assert_eq!(id.sex(), Sex::Male);
    }

    #[test]
    fn each_kind_of_mistake_has_its_own_error() {
        let t = today();
        assert_eq!(ResidentId::parse_on(" ", t), Err(ResidentIdError::Empty));
        assert_eq!(
            ResidentId::parse_on("4105021980", t),
            Err(ResidentIdError::BadLength(10))
        );
        assert_eq!(
            ResidentId::parse_on("41050219800101123Y", t),
            Err(ResidentIdError::BadCharacter)
        );
        assert_eq!(
            ResidentId::parse_on("4105021980010X1234", t),
            Err(ResidentIdError::BadCharacter)
        );
        assert_eq!(
            ResidentId::parse_on("000000198001011234", t),
            Err(ResidentIdError::BadRegion)
        );
        assert_eq!(
            ResidentId::parse_on("410000198001011234", t),
            Err(ResidentIdError::BadRegion)
        );
        assert_eq!(
            ResidentId::parse_on("410502198002301234", t),
            Err(ResidentIdError::BadBirthDate)
        );
        let future = ResidentId::build("410502", NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), 11);
        assert_eq!(
            ResidentId::parse_on(future.as_str(), t),
            Err(ResidentIdError::BadBirthDate)
        );
        assert_eq!(
            ResidentId::parse_on("41050218990101123X", t),
            Err(ResidentIdError::BadBirthDate)
        );
    }

    proptest! {
        #[test]
        fn built_numbers_round_trip(days in 0i64..45_000, seq in 0u16..1000) {
            let birth = NaiveDate::from_ymd_opt(1905, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assume!(birth <= today());
            let id = ResidentId::build("410502", birth, seq);
            let parsed = ResidentId::parse_on(id.as_str(), today()).unwrap();
            prop_assert_eq!(parsed.birth_date(), birth);
            prop_assert_eq!(parsed.sex() == Sex::Male, seq % 2 == 1);
        }

        #[test]
        fn changing_any_one_digit_is_caught(days in 0i64..40_000, seq in 0u16..1000, pos in 0usize..17, delta in 1u8..10) {
            let birth = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assume!(birth <= today());
            let id = ResidentId::build("410502", birth, seq);
            let mut bytes = id.as_str().as_bytes().to_vec();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(ResidentId::parse_on(&changed, today()).is_err());
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = ResidentId::parse_on(&s, today());
        }
    }
}
