//! The request context of a server function: the engine and the acting user. The server's
//! middleware puts a [`RequestIdentity`] into the request; without one the call is refused
//! as unauthenticated before anything else happens.

use crate::error::AppError;
use domain::{Actor, CaseRef, Date, Principal, Purpose};
use engine::{Engine, SessionStore};
use leptos::prelude::use_context;

/// Who made the request, as established by the server's session middleware.
#[derive(Clone, Debug)]
pub struct RequestIdentity {
    pub principal: Principal,
    pub request_id: String,
    pub source: String,
    /// The session's purpose of use and case reference, as chosen (or remembered).
    pub purpose: Option<Purpose>,
    pub case_ref: Option<CaseRef>,
    /// The session cookie's token, for the server functions that change the session.
    pub session_token: String,
}

/// The origin users reach the service at, for links in outgoing mail.
#[derive(Clone, Debug)]
pub struct PublicUrl(pub String);

/// Whether outgoing mail leaves by SMTP (otherwise it waits in the outbox staff see).
#[derive(Clone, Copy, Debug)]
pub struct MailStatus {
    pub smtp: bool,
}

/// The request id of every request, signed in or not.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

pub struct Cx {
    pub engine: Engine,
    pub actor: Actor,
    session_token: String,
}

impl Cx {
    /// The current request's engine and actor, or `Unauthenticated` (401).
    pub fn current() -> Result<Cx, AppError> {
        let parts = use_context::<http::request::Parts>();
        let reference = parts
            .as_ref()
            .and_then(|p| p.extensions.get::<RequestId>())
            .map_or_else(|| "-".to_owned(), |r| r.0.clone());
        let identity = parts
            .as_ref()
            .and_then(|p| p.extensions.get::<RequestIdentity>())
            .cloned()
            .ok_or_else(|| AppError::Unauthenticated.with_status())?;
        let engine = use_context::<Engine>().ok_or_else(|| {
            tracing::error!(%reference, "engine missing from the server-function context");
            AppError::Internal {
                reference: reference.clone(),
            }
            .with_status()
        })?;
        let actor = Actor::user(identity.principal, identity.request_id, identity.source)
            .with_choice(identity.purpose, identity.case_ref);
        Ok(Cx {
            engine,
            actor,
            session_token: identity.session_token,
        })
    }

    /// The signed-in user's provider subject (the key their sessions and right are kept by).
    pub fn subject(&self) -> Result<String, AppError> {
        self.actor
            .principal()
            .map(|p| p.subject.to_string())
            .ok_or_else(|| AppError::Unauthenticated.with_status())
    }

    /// The session store and this request's session token.
    pub fn session(&self) -> Result<(SessionStore, String), AppError> {
        let store = use_context::<SessionStore>().ok_or_else(|| {
            tracing::error!(reference = %self.reference(), "session store missing from the context");
            AppError::Internal {
                reference: self.reference().to_owned(),
            }
            .with_status()
        })?;
        Ok((store, self.session_token.clone()))
    }

    /// The reference quoted to the user for this request.
    pub fn reference(&self) -> &str {
        &self.actor.request_id
    }

    /// Today in Finland by the engine's clock.
    pub fn today(&self) -> Date {
        self.engine.clock().now().date_in_finland()
    }
}
