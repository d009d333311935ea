//! The reconciliation table of a rolls file (上线对账): per county and programme, the households,
//! people and monthly total the file carries, beside the totals the user typed in from the old
//! system, so a go-live is signed off on matching figures.

use std::collections::BTreeMap;

use jiuzhu_domain::Money;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The old system's totals for one county and programme, as typed in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct Expected {
    /// County code.
    pub county: String,
    /// Programme code (`dibao`, `tekun`).
    pub programme: String,
    /// Households.
    pub households: i64,
    /// People covered.
    pub people: i64,
    /// Monthly total, yuan.
    pub monthly: String,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Line {
    /// County code.
    pub county: String,
    /// County name.
    pub county_name: String,
    /// Programme code.
    pub programme: String,
    /// Programme, in Chinese.
    pub programme_zh: String,
    /// Households in the file (without errors).
    pub households: i64,
    /// People covered.
    pub people: i64,
    /// Monthly total, fen.
    pub monthly_fen: i64,
    /// Monthly total, yuan.
    pub monthly: String,
    /// The old system's figures, when typed in.
    pub expected: Option<Expected>,
    /// Whether the figures match (true when none were typed).
    pub matches: bool,
}

/// Sums households into lines, keyed by (county, programme), and compares each with what was
/// typed. A typed line with no household in the file is shown with zero totals.
pub fn table(
    households: impl Iterator<Item = (String, String, i64, i64)>,
    expected: &[Expected],
    county_name: impl Fn(&str) -> String,
) -> Vec<Line> {
    let mut sums: BTreeMap<(String, String), (i64, i64, i64)> = BTreeMap::new();
    for (county, programme, people, fen) in households {
        let s = sums.entry((county, programme)).or_default();
        s.0 += 1;
        s.1 += people;
        s.2 += fen;
    }
    for e in expected {
        sums.entry((e.county.clone(), e.programme.clone()))
            .or_default();
    }
    sums.into_iter()
        .map(|((county, programme), (households, people, fen))| {
            let expected = expected
                .iter()
                .find(|e| e.county == county && e.programme == programme)
                .cloned();
            let matches = expected.as_ref().is_none_or(|e| {
                e.households == households
                    && e.people == people
                    && Money::parse_non_negative_yuan(&e.monthly).map(|m| m.fen()) == Ok(fen)
            });
            Line {
                county_name: county_name(&county),
                programme_zh: jiuzhu_programmes::kind(&programme)
                    .map(|k| k.zh().to_owned())
                    .unwrap_or_else(|| programme.clone()),
                county,
                programme,
                households,
                people,
                monthly_fen: fen,
                monthly: Money::from_fen(fen).yuan_string(),
                expected,
                matches,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! S7 (issue 17): the go-live figures are compared to the fen with the old system's.
    use super::*;

    fn typed(households: i64, people: i64, monthly: &str) -> Expected {
        Expected {
            county: "410502".into(),
            programme: "dibao".into(),
            households,
            people,
            monthly: monthly.into(),
        }
    }

    #[test]
    fn lines_sum_per_county_and_programme_and_compare_to_the_fen() {
        let rows = vec![
            ("410502".to_owned(), "dibao".to_owned(), 3, 123_456),
            ("410502".to_owned(), "dibao".to_owned(), 1, 50_001),
            ("410502".to_owned(), "tekun".to_owned(), 1, 98_000),
        ];
        let t = table(rows.clone().into_iter(), &[typed(2, 4, "1734.57")], |c| {
            c.to_owned()
        });
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].households, t[0].people, t[0].monthly_fen),
            (2, 4, 173_457)
        );
        assert!(t[0].matches, "{t:?}");
        assert!(t[1].matches, "nothing typed for 特困");
        let off_by_a_fen = table(rows.into_iter(), &[typed(2, 4, "1734.56")], |c| {
            c.to_owned()
        });
        assert!(!off_by_a_fen[0].matches);
    }

    #[test]
    fn a_typed_line_missing_from_the_file_does_not_match() {
        let t = table(std::iter::empty(), &[typed(5, 9, "100.00")], |c| {
            c.to_owned()
        });
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].households, 0);
        assert!(!t[0].matches);
    }
}
