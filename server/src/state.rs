//! The server's shared state, built once at start-up and cloned into handlers.

use crate::config::Config;
use crate::oidc::Oidc;
use axum::extract::FromRef;
use engine::{Engine, SessionStore};
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub engine: Engine,
    pub sessions: SessionStore,
    pub oidc: Arc<Oidc>,
    /// Behind an `Arc`: the middleware clones the state on every request.
    pub leptos: Arc<LeptosOptions>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        (*state.leptos).clone()
    }
}
