//! The server's shared state, built once at start-up and cloned into handlers.

use crate::config::Config;
use crate::limits::{Rate, RateLimiter};
use crate::oidc::Oidc;
use axum::extract::FromRef;
use engine::{Engine, PENDING_MAX, PendingLogins, SessionStore};
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Sign-in starts per client address: enough for a service desk behind one address.
pub const SIGN_IN_RATE: Rate = Rate {
    per_minute: 30,
    burst: 30,
};
/// Requests without a session per client address (the login routes, redirects, bad cookies).
pub const ANONYMOUS_RATE: Rate = Rate {
    per_minute: 300,
    burst: 120,
};

/// The limits on what a client may do before it has signed in.
pub struct Limits {
    pub sign_in: RateLimiter,
    pub anonymous: RateLimiter,
}

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub engine: Engine,
    pub sessions: SessionStore,
    /// Sign-ins on their way through the provider, in bounded memory.
    pub pending: Arc<PendingLogins>,
    pub limits: Arc<Limits>,
    pub oidc: Arc<Oidc>,
    /// Behind an `Arc`: the middleware clones the state on every request.
    pub leptos: Arc<LeptosOptions>,
}

impl AppState {
    pub fn new(
        config: Config,
        engine: Engine,
        sessions: SessionStore,
        oidc: Oidc,
        leptos: LeptosOptions,
    ) -> AppState {
        let pending = PendingLogins::new(engine.clock().clone(), PENDING_MAX);
        // A block ends the blocked user's sessions as part of the change.
        engine.attach_sessions(sessions.clone());
        AppState {
            config: Arc::new(config),
            pending: Arc::new(pending),
            limits: Arc::new(Limits {
                sign_in: RateLimiter::new(SIGN_IN_RATE),
                anonymous: RateLimiter::new(ANONYMOUS_RATE),
            }),
            engine,
            sessions,
            oidc: Arc::new(oidc),
            leptos: Arc::new(leptos),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        (*state.leptos).clone()
    }
}
