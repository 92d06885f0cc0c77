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

/// Which rules refuse a server function: the router's denial matrix walks each door with the
/// refusals that door must give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Door {
    /// Who is signed in and what is open to them: any session, refusing nothing.
    Info,
    /// Queries of the register (and what they are for): refused by the query policy.
    Query,
    /// Changes and views of the registry's records of permits and rights: refused by the
    /// change policy.
    Registry,
    /// The e-service: an application is its applicant's and, once submitted, registry
    /// staff's; to anyone else it does not exist.
    EService,
    /// Contact, notices and fees: a question is its asker's and the registry's; notices are
    /// published by the registry; the invoice basis is a responsible user's (own organisation)
    /// and the registry's.
    Contact,
    /// The user's own sessions: any signed-in user, and only their own.
    Session,
    /// The audit trail: registry staff with two factors, and a responsible user for their
    /// own organisation's queries.
    Trail,
}

/// One server function's endpoint and the door it stands behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub path: &'static str,
    pub door: Door,
}

/// Every server function's endpoint: the one table of their names (each `#[server]` names its
/// own, and a router test checks the two agree). The server serves only these; its
/// permission matrix and fuzz tests walk them.
pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        path: "/api/session_info",
        door: Door::Info,
    },
    Endpoint {
        path: "/api/choose_purpose",
        door: Door::Query,
    },
    Endpoint {
        path: "/api/search",
        door: Door::Query,
    },
    Endpoint {
        path: "/api/load_screen",
        door: Door::Query,
    },
    Endpoint {
        path: "/api/reveal_screen",
        door: Door::Query,
    },
    Endpoint {
        path: "/api/management",
        door: Door::Registry,
    },
    Endpoint {
        path: "/api/change_right",
        door: Door::Registry,
    },
    Endpoint {
        path: "/api/change_permit",
        door: Door::Registry,
    },
    Endpoint {
        path: "/api/propose_right",
        door: Door::Registry,
    },
    Endpoint {
        path: "/api/applications",
        door: Door::EService,
    },
    Endpoint {
        path: "/api/start_application",
        door: Door::EService,
    },
    Endpoint {
        path: "/api/application",
        door: Door::EService,
    },
    Endpoint {
        path: "/api/save_draft",
        door: Door::EService,
    },
    Endpoint {
        path: "/api/application_step",
        door: Door::EService,
    },
    Endpoint {
        path: "/api/application_message",
        door: Door::EService,
    },
    Endpoint {
        path: "/api/work_queue",
        door: Door::EService,
    },
    Endpoint {
        path: "/api/library",
        door: Door::EService,
    },
    Endpoint {
        path: "/api/usage",
        door: Door::Registry,
    },
    Endpoint {
        path: "/api/propose_change",
        door: Door::Registry,
    },
    Endpoint {
        path: "/api/start_attestation",
        door: Door::Registry,
    },
    Endpoint {
        path: "/api/confirm_attestation",
        door: Door::Registry,
    },
    Endpoint {
        path: "/api/contact",
        door: Door::Contact,
    },
    Endpoint {
        path: "/api/ask_question",
        door: Door::Contact,
    },
    Endpoint {
        path: "/api/question",
        door: Door::Contact,
    },
    Endpoint {
        path: "/api/reply_question",
        door: Door::Contact,
    },
    Endpoint {
        path: "/api/publish_notice",
        door: Door::Contact,
    },
    Endpoint {
        path: "/api/withdraw_notice",
        door: Door::Contact,
    },
    Endpoint {
        path: "/api/subscribe_notices",
        door: Door::Contact,
    },
    Endpoint {
        path: "/api/confirm_subscription",
        door: Door::Contact,
    },
    Endpoint {
        path: "/api/notices",
        door: Door::Contact,
    },
    Endpoint {
        path: "/api/fees",
        door: Door::Contact,
    },
    Endpoint {
        path: "/api/trail",
        door: Door::Trail,
    },
    Endpoint {
        path: "/api/alerts",
        door: Door::Trail,
    },
    Endpoint {
        path: "/api/handle_alert",
        door: Door::Trail,
    },
    Endpoint {
        path: "/api/my_sessions",
        door: Door::Session,
    },
    Endpoint {
        path: "/api/end_sessions",
        door: Door::Session,
    },
    Endpoint {
        path: "/api/session_left",
        door: Door::Session,
    },
    Endpoint {
        path: "/api/keep_session",
        door: Door::Session,
    },
];

/// Whether `path` is a server function's endpoint.
pub fn is_endpoint(path: &str) -> bool {
    ENDPOINTS.iter().any(|e| e.path == path)
}

/// The endpoints behind one door.
pub fn behind(door: Door) -> impl Iterator<Item = &'static str> {
    ENDPOINTS
        .iter()
        .filter(move |e| e.door == door)
        .map(|e| e.path)
}

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
        organisation: allowed.organisation_name.clone().unwrap_or(organisation),
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
