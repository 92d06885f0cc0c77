//! The engine's integration tests, one binary: the gate on a real register and audit trail,
//! and the synthetic register's determinism, integrity and indexes.

mod gate;
mod register;
