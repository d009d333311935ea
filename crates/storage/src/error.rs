//! The storage layer's one error type.

/// What went wrong below the application services.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database could not be opened or a connection had.
    #[error("数据库无法连接：{0}")]
    Open(String),
    /// A migration failed.
    #[error("数据库迁移失败：{0}")]
    Migration(String),
    /// No such record inside the caller's scope (records outside it are reported the same
    /// way, so their existence is not disclosed).
    #[error("记录不存在")]
    NotFound,
    /// The record changed since it was read (optimistic locking).
    #[error("记录已被他人修改，请刷新后重试")]
    StaleVersion,
    /// The ID number is already registered (nationally unique).
    #[error("该身份证号已登记")]
    DuplicateIdNumber,
    /// The person is already a current member of a household.
    #[error("该人员已是其他家庭的现有成员")]
    AlreadyMember,
    /// The user name is taken.
    #[error("用户名已存在")]
    DuplicateUsername,
    /// A row that must be unique already exists (a unique index refused it); the message
    /// says what, in Chinese.
    #[error("{0}")]
    Exists(&'static str),
    /// Any other database error.
    #[error("数据库错误：{0}")]
    Db(#[from] diesel::result::Error),
}

impl StorageError {
    /// Turns a unique-index refusal into [`StorageError::Exists`] with `what`; other errors
    /// pass through.
    pub fn unique_as(self, what: &'static str) -> StorageError {
        match self {
            StorageError::Db(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => StorageError::Exists(what),
            other => other,
        }
    }
}

/// Maps a unique violation on the national ID index to [`StorageError::DuplicateIdNumber`].
pub fn map_unique_identity(e: StorageError) -> StorageError {
    match e {
        StorageError::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => StorageError::DuplicateIdNumber,
        other => other,
    }
}
