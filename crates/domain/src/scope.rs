//! `Scope`: the region subtree a request may see. Every storage function that lists or loads
//! personal data takes one, so an unscoped query does not compile (DESIGN: data protection).
//! The security issue adds the user's permissions beside the region.

use crate::region::{RegionCode, RegionLevel};

/// The region subtree a request is confined to, with the county codes it spans (the
/// distribution key every per-county query must carry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    root: RegionCode,
    counties: Vec<String>,
}

impl Scope {
    /// A scope rooted at `root`. `counties` are the county codes inside it; for a county or a
    /// finer region they are derived from the code and the argument is ignored.
    pub fn new(root: RegionCode, counties: Vec<String>) -> Self {
        let counties = match root.county_code() {
            Some(c) => vec![c.to_owned()],
            None => counties
                .into_iter()
                .filter(|c| c.starts_with(root.short()))
                .collect(),
        };
        Scope { root, counties }
    }

    /// The root region.
    pub fn root(&self) -> &RegionCode {
        &self.root
    }

    /// The county codes inside the scope.
    pub fn counties(&self) -> &[String] {
        &self.counties
    }

    /// Whether a region lies inside the scope.
    pub fn contains(&self, region: &RegionCode) -> bool {
        self.root.contains(region)
    }

    /// Whether a county code lies inside the scope.
    pub fn has_county(&self, county: &str) -> bool {
        self.counties.iter().any(|c| c == county)
    }

    /// Narrows the scope to a region inside it (a filter chosen by the user); `None` when the
    /// region lies outside.
    pub fn narrow(&self, region: &RegionCode) -> Option<Scope> {
        if !self.contains(region) {
            return None;
        }
        Some(Scope::new(region.clone(), self.counties.clone()))
    }

    /// Whether the scope is a single county or finer.
    pub fn is_within_one_county(&self) -> bool {
        self.root.level() >= RegionLevel::County
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn a_township_scope_sees_its_villages_only() {
        let s = Scope::new(code("410502001"), vec![]);
        assert_eq!(s.counties(), ["410502"]);
        assert!(s.contains(&code("410502001001")));
        assert!(!s.contains(&code("410502002001")));
        assert!(s.is_within_one_county());
    }

    #[test]
    fn a_city_scope_keeps_only_counties_inside_it() {
        let s = Scope::new(
            code("4105"),
            vec!["410502".into(), "410581".into(), "410102".into()],
        );
        assert_eq!(s.counties(), ["410502", "410581"]);
        assert!(!s.is_within_one_county());
    }

    #[test]
    fn narrowing_outside_the_scope_is_refused() {
        let s = Scope::new(code("410502"), vec![]);
        assert!(s.narrow(&code("410503001")).is_none());
        let n = s.narrow(&code("410502001")).unwrap();
        assert_eq!(n.root(), &code("410502001"));
    }
}
