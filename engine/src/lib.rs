//! The engine: the only code that opens redb. Register data leaves it only through the gate
//! in [`Engine`] (authorize → audit → read → redact); sessions and the audit trail are its other
//! stores. Every public data method takes an [`domain::Actor`].

pub mod audit;
pub mod bench;
pub mod clock;
mod error;
mod gate;
pub mod population;
mod screens;
pub mod sessions;
mod store;
#[cfg(feature = "test-support")]
pub mod testing;

pub use audit::{AuditLog, AuditRecord, VerifyReport};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::EngineError;
pub use gate::{Engine, register_schema};
pub use sessions::{LoginFlow, Session, SessionStore, TerminalProfile};
pub use store::REGISTER_SCHEMA;
