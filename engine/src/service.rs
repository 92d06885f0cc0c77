//! The services behind the gate's second door: each public method is one command
//! (`Engine::act`) or one query (`Engine::look`) of the registry's records, decided from the
//! caller's standing read where it acts. None of them holds the register's database, reads
//! register data or appends to the audit trail itself (see the gate's `Seal`).

pub(crate) mod alerts;
pub(crate) mod contact;
pub(crate) mod eservice;
pub(crate) mod fees;
pub(crate) mod library;
pub(crate) mod registry;
pub(crate) mod trail;
pub(crate) mod usage;
