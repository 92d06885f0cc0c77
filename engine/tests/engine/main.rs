//! The engine's integration tests, one binary: the gate on a real register and audit trail,
//! every screen and search, the protection-order rule as a property, changes to the registry's
//! records, the e-service's applications from first draft to a colleague's first query, and the synthetic register's determinism, integrity and indexes.

mod alerts;
mod changes;
mod cluster;
mod contact;
mod eservice;
mod fixture;
mod gate;
mod place_changes;
mod protection;
mod register;
mod registry;
mod screens;
mod seal;
mod search;
mod standing;
mod trail;
