//! Audit events, named in the past tense, and the entry that records one. An entry says who did
//! what to whose data, when, from where and for which purpose; it never holds register data
//! beyond the subject's reference.

use crate::access::{Actor, Denied, Purpose, Who};
use crate::catalogue::ScreenId;
use crate::date::Timestamp;
use crate::principal::Acr;
use crate::screen::SubjectRef;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditEvent {
    LoginSucceeded {
        acr: Acr,
    },
    LoggedOut,
    /// An identity-code search; `found` is the subject it led to.
    SearchRun {
        found: Option<SubjectRef>,
    },
    ScreenViewed {
        screen: ScreenId,
        subject: SubjectRef,
        /// The subject has a protection order and its location data was withheld.
        location_withheld: bool,
    },
    /// A permitted screen was asked for a subject that does not exist.
    ScreenNotFound {
        screen: ScreenId,
        subject: SubjectRef,
    },
    AccessDenied {
        what: String,
        subject: Option<SubjectRef>,
        reason: Denied,
    },
}

impl AuditEvent {
    /// The register subject the event is about, for the per-subject index.
    pub fn subject(&self) -> Option<SubjectRef> {
        match self {
            AuditEvent::SearchRun { found } => *found,
            AuditEvent::ScreenViewed { subject, .. }
            | AuditEvent::ScreenNotFound { subject, .. } => Some(*subject),
            AuditEvent::AccessDenied { subject, .. } => *subject,
            AuditEvent::LoginSucceeded { .. } | AuditEvent::LoggedOut => None,
        }
    }
}

/// The acting party as recorded: stable ids and names at the time of the event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditActor {
    /// The user's subject id, or `system:<task>`.
    pub user: String,
    pub name: String,
    pub organisation: String,
    pub request_id: String,
    pub source: String,
}

impl From<&Actor> for AuditActor {
    fn from(actor: &Actor) -> AuditActor {
        match &actor.who {
            Who::User(p) => AuditActor {
                user: p.subject.clone(),
                name: p.name.clone(),
                organisation: p.organisation.0.clone(),
                request_id: actor.request_id.clone(),
                source: actor.source.clone(),
            },
            Who::System { task } => AuditActor {
                user: format!("system:{task}"),
                name: task.clone(),
                organisation: "kysely".into(),
                request_id: actor.request_id.clone(),
                source: actor.source.clone(),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: AuditActor,
    pub purpose: Option<Purpose>,
    pub event: AuditEvent,
}
