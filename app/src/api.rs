//! The server functions: thin, one delegation each to the engine through [`crate::cx::Cx`].
//! All take JSON over POST; the server checks `Origin`/`Sec-Fetch-Site` on every `/api` call.
//! Input is validated again here with the same `domain` rules the browser used.

use crate::error::AppError;
use domain::{Allowed, Purpose, ScreenData, ScreenId, SearchForm, SearchOutcome, SubjectRef};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The signed-in user and what their organisation's permit opens to them: the menus and
/// search tabs are made from this, so the client offers only what the server would allow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSession {
    pub name: String,
    pub organisation: String,
    pub allowed: Allowed,
    /// The purpose queries are recorded for, when the permit has exactly one.
    pub purpose: Option<Purpose>,
}

/// Every server function's endpoint, for the server's permission matrix test.
pub const ENDPOINTS: &[&str] = &["/api/session_info", "/api/search", "/api/load_screen"];

#[server(prefix = "/api", endpoint = "session_info", input = Json)]
pub async fn session_info() -> Result<UserSession, AppError> {
    let cx = crate::cx::Cx::current()?;
    let p = cx.actor.principal().ok_or(AppError::Unauthenticated)?;
    let (name, organisation) = (p.name.clone(), p.organisation_name.clone());
    let allowed = cx
        .engine
        .allowed(&cx.actor)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))?;
    Ok(UserSession {
        name,
        organisation,
        purpose: allowed.purpose,
        allowed,
    })
}

/// Runs one search; the form is validated again on the server before the engine sees it.
#[server(prefix = "/api", endpoint = "search", input = Json)]
pub async fn search(form: SearchForm) -> Result<SearchOutcome, AppError> {
    let cx = crate::cx::Cx::current()?;
    let criteria = form
        .validate(cx.today())
        .map_err(|fields| AppError::Invalid(fields).with_status())?;
    cx.engine
        .search(&cx.actor, criteria)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// One screen of one subject, after authorisation, redaction and the audit entry.
#[server(prefix = "/api", endpoint = "load_screen", input = Json)]
pub async fn load_screen(subject: SubjectRef, screen: ScreenId) -> Result<ScreenData, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .load_screen(&cx.actor, screen, subject)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}
