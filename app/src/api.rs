//! The server functions: thin, one delegation each to the engine through [`crate::cx::Cx`].
//! All take JSON over POST; the server checks `Origin`/`Sec-Fetch-Site` on every `/api` call.
//! Input is validated again here with the same `domain` rules the browser used.

use crate::error::AppError;
use domain::{Allowed, Purpose, ScreenData, ScreenId, SearchForm, SearchOutcome, SubjectLink};
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
    /// The purpose queries are recorded for: the chosen one, or the permit's only one.
    pub purpose: Option<Purpose>,
    /// The case reference given with it.
    pub case_ref: Option<String>,
}

/// Every server function's endpoint, for the server's permission matrix test.
pub const ENDPOINTS: &[&str] = &[
    "/api/session_info",
    "/api/choose_purpose",
    "/api/search",
    "/api/load_screen",
    "/api/reveal_screen",
    "/api/management",
    "/api/change_right",
    "/api/change_permit",
    "/api/propose_right",
    "/api/applications",
    "/api/start_application",
    "/api/application",
    "/api/save_draft",
    "/api/application_step",
    "/api/application_message",
    "/api/work_queue",
    "/api/library",
    "/api/usage",
    "/api/propose_change",
    "/api/start_attestation",
    "/api/confirm_attestation",
    "/api/contact",
    "/api/ask_question",
    "/api/question",
    "/api/reply_question",
    "/api/publish_notice",
    "/api/withdraw_notice",
    "/api/subscribe_notices",
    "/api/confirm_subscription",
    "/api/notices",
    "/api/fees",
    "/api/my_sessions",
    "/api/end_sessions",
    "/api/session_left",
    "/api/keep_session",
];

#[server(prefix = "/api", endpoint = "session_info", input = Json)]
pub async fn session_info() -> Result<UserSession, AppError> {
    let cx = crate::cx::Cx::current()?;
    user_session(&cx).await
}

/// Sets the purpose of use (and case reference) for the session's queries, after checking that
/// the organisation's permit grants the purpose; remembered for the user's next session and
/// audited. Answers with the session as it now is (menus for the purpose).
#[server(prefix = "/api", endpoint = "choose_purpose", input = Json)]
pub async fn choose_purpose(purpose: Purpose, case_ref: String) -> Result<UserSession, AppError> {
    let mut cx = crate::cx::Cx::current()?;
    let case_ref =
        domain::CaseRef::parse(&case_ref).map_err(|e| AppError::Invalid(vec![e]).with_status())?;
    let chosen = cx
        .actor
        .clone()
        .with_choice(Some(purpose), case_ref.clone());
    let allowed = cx
        .engine
        .allowed(&chosen)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))?;
    if let Some(reason) = allowed.refusal {
        // The attempt is on record like any refused request; if it cannot be, the service
        // is unavailable rather than silent.
        cx.engine
            .record(
                &chosen,
                domain::audit::SessionEvent::PurposeRefused { purpose, reason },
            )
            .await
            .map_err(|e| AppError::from_engine(e, cx.reference()).with_status())?;
        return Err(
            AppError::from_engine(engine::EngineError::Denied(reason), cx.reference())
                .with_status(),
        );
    }
    // Audited before it takes effect: if the trail cannot record, nothing changes.
    cx.engine
        .record(
            &chosen,
            domain::audit::SessionEvent::PurposeChosen {
                purpose,
                case_ref: case_ref.clone(),
            },
        )
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()).with_status())?;
    let (sessions, token) = cx.session()?;
    let stored = tokio::task::spawn_blocking(move || sessions.choose(&token, purpose, case_ref))
        .await
        .map_err(|e| AppError::from_engine(e.into(), cx.reference()).with_status())?
        .map_err(|e| AppError::from_engine(e, cx.reference()).with_status())?;
    if !stored {
        return Err(AppError::Unauthenticated.with_status());
    }
    cx.actor = chosen;
    user_session(&cx).await
}

#[cfg(feature = "ssr")]
async fn user_session(cx: &crate::cx::Cx) -> Result<UserSession, AppError> {
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
        case_ref: cx.actor.case_ref.as_ref().map(|c| c.as_str().to_owned()),
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
pub async fn load_screen(subject: SubjectLink, screen: ScreenId) -> Result<ScreenData, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .open_screen(&cx.actor, screen, &subject)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// One screen with the protected data the permit withholds revealed, for a typed reason (break
/// glass): audited as a reveal, reported to registry staff. Refused where the permit does not
/// allow it.
#[server(prefix = "/api", endpoint = "reveal_screen", input = Json)]
pub async fn reveal_screen(
    subject: SubjectLink,
    screen: ScreenId,
    reason: String,
) -> Result<ScreenData, AppError> {
    let cx = crate::cx::Cx::current()?;
    let reason = domain::registry::Reason::parse(&reason)
        .and_then(|r| {
            r.ok_or_else(|| {
                domain::FieldError::new(
                    domain::Field::Reason,
                    domain::ValidationError::Required(domain::Field::Reason),
                )
            })
        })
        .map_err(|e| AppError::Invalid(vec![e]).with_status())?;
    cx.engine
        .reveal_screen(&cx.actor, screen, &subject, reason)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}
