//! CSV cells that a spreadsheet cannot run (issue 15 F9; OWASP "CSV injection"): a value that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading `'`,
//! so Excel or WPS shows it as text instead of evaluating it. Every CSV the platform exports
//! (the applications list, the bank file) writes its cells through [`cell`].

use std::borrow::Cow;

/// The value as a CSV cell no spreadsheet evaluates.
pub fn cell(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formula_starts_are_quoted_and_the_rest_left_alone() {
        for (raw, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("张三", "张三"),
            ("600.00", "600.00"),
            ("", ""),
        ] {
            assert_eq!(cell(raw), written);
        }
    }
}
