//! Kysely's server: typed configuration, OpenID Connect login as a backend-for-frontend
//! confidential client, server-side sessions, the security middleware and the router that
//! serves the Leptos app and its server functions with the engine in context.

#![recursion_limit = "256"]

pub mod assets;
pub mod auth;
pub mod config;
pub mod feed;
pub mod files;
pub use engine::limits;
pub mod mail;
pub mod middleware;
pub mod net;
pub mod oidc;
pub mod routes;
pub mod state;
pub mod trail;
pub mod transparency;

pub use config::Config;
pub use routes::router;
pub use state::AppState;
