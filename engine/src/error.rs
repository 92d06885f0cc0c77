//! The engine's error type. It carries internal detail (table names, storage messages) that
//! must never reach a browser: the app's `AppError` conversion logs it and replaces it with a
//! reference id.

use domain::Denied;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("access denied: {0}")]
    Denied(Denied),
    #[error("not found")]
    NotFound,
    /// The audit trail cannot record, so nothing may be returned (fail closed).
    #[error("audit trail unavailable: {0}")]
    Unavailable(String),
    #[error("corrupt record in {table}: {detail}")]
    Corrupt { table: &'static str, detail: String },
    #[error("storage error: {0}")]
    Storage(String),
    /// A read and the catalogue disagree (a column missing or extra): a defect, never data.
    #[error("catalogue mismatch: {0}")]
    Catalogue(String),
    /// A caller's request cannot be carried out as given (e.g. nonsense generator options).
    #[error("{0}")]
    Invalid(String),
    /// What a user typed breaks a form's rules; the fields say which (no internal detail).
    #[error("invalid input in {} fields", .0.len())]
    Rejected(Vec<domain::FieldError>),
    /// Over a query rate: try again after this many seconds.
    #[error("too many queries; retry after {retry_after} s")]
    Throttled { retry_after: u64 },
    /// A file could not be opened because another process holds it (a serving node its
    /// register, audit trail or sessions).
    #[error("the file is open in another process")]
    Held,
}

impl From<redb::DatabaseError> for EngineError {
    fn from(e: redb::DatabaseError) -> Self {
        match e {
            redb::DatabaseError::DatabaseAlreadyOpen => EngineError::Held,
            other => EngineError::Storage(other.to_string()),
        }
    }
}

macro_rules! storage_from {
    ($($t:ty),*) => {$(
        impl From<$t> for EngineError {
            fn from(e: $t) -> Self {
                EngineError::Storage(e.to_string())
            }
        }
    )*};
}

storage_from!(
    redb::Error,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError,
    std::io::Error
);

impl From<tokio::task::JoinError> for EngineError {
    fn from(e: tokio::task::JoinError) -> Self {
        EngineError::Storage(format!("blocking task failed: {e}"))
    }
}
