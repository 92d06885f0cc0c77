//! The server functions: thin, one delegation each to the engine through [`crate::cx::Cx`].
//! All take JSON over POST; the server checks `Origin`/`Sec-Fetch-Site` on every `/api` call.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FieldError;
use domain::{ScreenData, ScreenId, SubjectRef};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The signed-in user as the header shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub name: String,
    pub organisation: String,
}

/// Every server function's endpoint, for the server's permission matrix test.
pub const ENDPOINTS: &[&str] = &["/api/whoami", "/api/search_person", "/api/load_screen"];

#[server(prefix = "/api", endpoint = "whoami", input = Json)]
pub async fn whoami() -> Result<UserInfo, AppError> {
    let cx = crate::cx::Cx::current()?;
    let p = cx.actor.principal().ok_or(AppError::Unauthenticated)?;
    Ok(UserInfo {
        name: p.name.clone(),
        organisation: p.organisation_name.clone(),
    })
}

/// Finds a person by identity code; returns the reference to open their screens.
#[server(prefix = "/api", endpoint = "search_person", input = Json)]
pub async fn search_person(hetu: String) -> Result<SubjectRef, AppError> {
    let cx = crate::cx::Cx::current()?;
    let hetu = domain::Hetu::parse_as_of(&hetu, cx.today()).map_err(|e| {
        AppError::Invalid(vec![FieldError {
            field: "hetu".into(),
            error: e.into(),
        }])
        .with_status()
    })?;
    cx.engine
        .search_person(&cx.actor, hetu)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// One screen of one subject, after authorisation, audit and redaction.
#[server(prefix = "/api", endpoint = "load_screen", input = Json)]
pub async fn load_screen(subject: SubjectRef, screen: ScreenId) -> Result<ScreenData, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .load_screen(&cx.actor, screen, subject)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}
