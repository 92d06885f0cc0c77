//! The engine: the only code that opens redb. Register data leaves it only through the gate
//! in [`Engine::execute`] (authorize → read → redact → durable audit entry → return); the
//! registry's records are changed and read through the gate's commands and queries (standing
//! read where it acts → decide → durable audit entry → commit or drop). Sessions and the audit
//! trail are its other stores. Every public data method takes an [`domain::Actor`].

pub mod audit;
pub mod bench;
pub mod clock;
mod error;
mod feed;
mod gate;
pub mod journal;
pub mod limits;
mod links;
mod ops;
pub mod population;
pub mod private;
mod reads;
mod record;
mod service;
pub mod sessions;
mod store;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod watch;

pub use audit::{AuditLog, AuditRecord, VerifyReport};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::EngineError;
pub use gate::{
    DEFAULT_REGISTER_CACHE, Engine, FEED_TASK, GrantedTxn, Operation, Seal, register_schema,
};
pub use links::Links;
pub use ops::{LoadScreen, RunSearch, ScreenAnswer};
pub use service::contact::OPEN_QUESTIONS_MAX;
pub use service::library::FileDownload;
pub use sessions::{
    FLOW_TTL_SECONDS, LoginFlow, PENDING_MAX, Peek, PendingLogins, SESSIONS_PER_USER, Session,
    SessionLimits, SessionStore, TerminalProfile, random_token,
};
pub use store::REGISTER_SCHEMA;
