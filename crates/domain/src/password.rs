//! The password rules (等保 2.0 身份鉴别: 口令复杂度): long enough, mixing character classes,
//! not the user name. Only the rules live here; hashing (argon2id) is the application's job.

/// Shortest password accepted.
pub const MIN_LEN: usize = 12;
/// Longest password accepted (argon2 takes any length; this bounds the work per attempt).
pub const MAX_LEN: usize = 128;

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`MIN_LEN`] characters.
    #[error("密码至少 12 位")]
    TooShort,
    /// More than [`MAX_LEN`] characters.
    #[error("密码不能超过 128 位")]
    TooLong,
    /// Fewer than three of: upper case, lower case, digits, symbols.
    #[error("密码须包含大写字母、小写字母、数字、符号中的至少三类")]
    TooSimple,
    /// Contains the user name.
    #[error("密码不能包含用户名")]
    ContainsUsername,
}

impl PasswordError {
    /// The message in English.
    pub fn en(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "at least 12 characters",
            PasswordError::TooLong => "at most 128 characters",
            PasswordError::TooSimple => {
                "use at least three of: upper case, lower case, digits, symbols"
            }
            PasswordError::ContainsUsername => "must not contain the user name",
        }
    }
}

/// Checks a new password against the rules.
pub fn check_strength(password: &str, username: &str) -> Result<(), PasswordError> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(PasswordError::TooShort);
    }
    if len > MAX_LEN {
        return Err(PasswordError::TooLong);
    }
    let classes = [
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|b| **b).count() < 3 {
        return Err(PasswordError::TooSimple);
    }
    let user = username.trim().to_lowercase();
    if user.chars().count() >= 3 && password.to_lowercase().contains(&user) {
        return Err(PasswordError::ContainsUsername);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_refuses_its_password() {
        assert_eq!(
            check_strength("Ab1!", "zhang"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            check_strength(&"Ab1!".repeat(33), "zhang"),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            check_strength("abcdefghijkl1", "zhang"),
            Err(PasswordError::TooSimple)
        );
        assert_eq!(
            check_strength("Zhang-2026-spring", "zhang"),
            Err(PasswordError::ContainsUsername)
        );
        assert_eq!(check_strength("Spring-2026-rain", "zhang"), Ok(()));
        // Exactly 12 characters with three classes is enough.
        assert_eq!(check_strength("abcdefgh12!!", "li"), Ok(()));
        assert_eq!(
            check_strength("abcdefgh12!", "li"),
            Err(PasswordError::TooShort)
        );
    }
}
