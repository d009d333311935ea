//! S22 security services (等保 2.0 level 3, PIPL): accounts and sign-in ([`accounts`]) with
//! the second factor and password letters, key rotation ([`key_rotation`]) and near-relative
//! filings ([`near_relatives`]). Who acts (`Actor`) and the audit log live in `jiuzhu-kernel`.

pub mod accounts;
pub mod key_rotation;
pub mod near_relatives;
mod password_letters;
mod passwords;
mod second_factor;
mod totp;

pub use password_letters::{LetterView, OpenedLetter};
