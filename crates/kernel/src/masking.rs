//! PIPL minimum disclosure: how names, ID numbers, phones and accounts are shown masked in
//! lists, notices and audit details (张*三, 410502********1234, ****5678).

use jiuzhu_domain::ResidentId;

/// Shown in place of a field whose stored ciphertext failed authentication.
pub const TAMPERED: &str = "（数据校验失败）";

/// Masks a name for lists and notices: 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// Masks an ID number: 410502********1234.
pub fn mask_id_number(id: &str) -> String {
    ResidentId::parse(id)
        .map(|i| i.masked())
        .unwrap_or_else(|_| "******".into())
}

/// The last four characters behind four asterisks, whatever the length (a phone or an account
/// number in a list: ****5678); empty stays empty.
pub fn mask_last_four(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let tail: Vec<char> = s.chars().rev().take(4).collect();
    format!("****{}", tail.iter().rev().collect::<String>())
}

/// Masks all but the last `keep` characters: 13812345678 → *******5678.
pub fn mask_tail(s: &str, keep: usize) -> String {
    let n = s.chars().count();
    if n <= keep {
        return "*".repeat(n);
    }
    format!(
        "{}{}",
        "*".repeat(n - keep),
        s.chars().skip(n - keep).collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    //! S22 (PIPL minimum disclosure): what a list shows of a name, a phone, an account, an ID.
    use super::*;

    #[test]
    fn names_and_numbers_are_masked() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张三丰"), "张*丰");
        assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_tail("13812345678", 4), "*******5678");
        assert_eq!(mask_last_four("6228480000000000411"), "****0411");
        assert_eq!(mask_last_four("123"), "****123");
        assert_eq!(mask_last_four(""), "");
        assert_eq!(mask_id_number("11010519491231002X"), "110105********002X");
    }
}
