//! The application layer's one error type, and field errors that name what is wrong in
//! Chinese and English.

use jiuzhu_storage::StorageError;
use serde::Serialize;

/// One input field that was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field, as named in the form or JSON (`members[1].id_number`).
    pub field: String,
    /// What is wrong, in Chinese.
    pub message: String,
    /// What is wrong, in English.
    pub message_en: String,
}

impl FieldError {
    /// A field error.
    pub fn new(
        field: impl Into<String>,
        message: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
            message_en: message_en.into(),
        }
    }
}

/// What an application service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input refused; nothing was written.
    #[error("输入有误")]
    Invalid(Vec<FieldError>),
    /// No such record in the caller's scope.
    #[error("记录不存在")]
    NotFound,
    /// A concurrent change or a conflicting state; the message says which.
    #[error("{0}")]
    Conflict(String),
    /// A storage failure.
    #[error("系统错误")]
    Storage(#[source] StorageError),
    /// The user lacks the permission; the message names it.
    #[error("{0}")]
    Forbidden(String),
    /// A file that could not be read at all.
    #[error("{0}")]
    BadFile(String),
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => AppError::NotFound,
            StorageError::StaleVersion => AppError::Conflict(e.to_string()),
            StorageError::AlreadyMember | StorageError::Exists(_) => {
                AppError::Conflict(e.to_string())
            }
            StorageError::DuplicateIdNumber => AppError::Invalid(vec![FieldError::new(
                "id_number",
                e.to_string(),
                "ID number already registered",
            )]),
            StorageError::DuplicateUsername => AppError::Invalid(vec![FieldError::new(
                "username",
                e.to_string(),
                "user name taken",
            )]),
            other => AppError::Storage(other),
        }
    }
}

/// Collects field errors while parsing a form, so every mistake is reported at once.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    /// Records an error.
    pub fn push(&mut self, field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldError::new(field, zh, en));
    }

    /// `Ok(v)` when no error was recorded.
    pub fn finish<T>(self, v: T) -> Result<T, AppError> {
        if self.0.is_empty() {
            Ok(v)
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}
