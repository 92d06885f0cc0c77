//! Audit events, named in the past tense, and the entry that records one. An entry says who did
//! what to whose data, when, from where and for which purpose. Data events name their subjects
//! and, for searches, the criteria typed (a log investigation must be able to tell why a person
//! appeared in a hit list); they never hold the data shown.
//!
//! Only the engine's gate writes data events. Other code records the events without register
//! data through [`SessionEvent`] and `Engine::record`.

use crate::access::{Actor, CaseRef, Denied, Purpose, Request, Who};
use crate::catalogue::ScreenId;
use crate::date::Timestamp;
use crate::principal::Acr;
use crate::screen::SubjectRef;
use crate::search::Search;
use serde::{Deserialize, Serialize};

/// Events without register data, which code outside the gate may record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionEvent {
    LoginSucceeded {
        acr: Acr,
    },
    LoggedOut,
    /// The user chose the purpose of use (and case reference) for the queries that follow.
    PurposeChosen {
        purpose: Purpose,
        case_ref: Option<CaseRef>,
    },
    /// The user asked for a purpose of use they may not choose.
    PurposeRefused {
        purpose: Purpose,
        reason: Denied,
    },
    /// A sign-in was refused; recorded before anyone is known, by the address it came from.
    LoginRefused {
        reason: LoginRefusal,
    },
    /// Sessions were ended: the user's own others, or all of a blocked user's by the
    /// registry (`user` names whose).
    SessionsEnded {
        user: String,
        count: u32,
    },
}

/// Why a sign-in was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginRefusal {
    /// The provider answered with an error (it refused, or failed).
    ProviderError,
    /// The `state` is unknown, used already or stale.
    UnknownState,
    /// The sign-in was started in another browser (the binding cookie does not match).
    OtherBrowser,
    /// The answer names another issuer than the one the user was sent to.
    IssuerMismatch,
    /// The code exchange or the ID token was refused (signature, issuer, audience, expiry,
    /// nonce, algorithm, key).
    TokenRefused,
    /// The provider did not authenticate the user afresh though asked to.
    NotFresh,
    /// The token does not make a user of an organisation.
    NoOrganisation,
    /// The token's subject or organisation is not an id of the shape the registry keeps.
    MalformedIdentity,
    /// The user cancelled at the provider (`access_denied`).
    Cancelled,
}

/// What a search led to, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchResult {
    NotFound,
    Found(SubjectRef),
    /// The subjects listed in the hit list.
    Several(Vec<SubjectRef>),
    /// More hits than a list shows; none was listed.
    TooMany,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditEvent {
    LoginSucceeded {
        acr: Acr,
    },
    LoggedOut,
    PurposeChosen {
        purpose: Purpose,
        case_ref: Option<CaseRef>,
    },
    PurposeRefused {
        purpose: Purpose,
        reason: Denied,
    },
    /// A search with its criteria and what it disclosed.
    SearchRun {
        criteria: Search,
        result: SearchResult,
    },
    ScreenViewed {
        screen: ScreenId,
        subject: SubjectRef,
        /// The other persons the screen showed (residents, relatives, owners, guardians), so
        /// that each one's own trail shows who saw them.
        shown: Vec<SubjectRef>,
        /// Protected data was withheld, or protected persons left out of a list.
        withheld: bool,
        /// The subject is a person under a protection order (for the alert rules; entries
        /// made before it was recorded read `false`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        protected: bool,
    },
    /// Protected data the permit withholds was revealed on one screen with a typed reason
    /// (break glass); registry staff are notified.
    ProtectedRevealed {
        screen: ScreenId,
        subject: SubjectRef,
        shown: Vec<SubjectRef>,
        reason: crate::registry::Reason,
    },
    /// A permitted screen was asked for a subject that does not exist; `None` for a link that
    /// opened to no subject (guessed or tampered with).
    ScreenNotFound {
        screen: ScreenId,
        subject: Option<SubjectRef>,
    },
    /// A request failed inside the service; nothing was disclosed. A search keeps its
    /// criteria.
    QueryFailed {
        request: Request,
        criteria: Option<Search>,
    },
    /// A refused request; a search keeps what was typed, so a sweep shows in the trail.
    AccessDenied {
        request: Request,
        reason: Denied,
        criteria: Option<Search>,
    },
    /// A permit or a personal right changed state (the registry's records, no register data).
    RecordChanged {
        change: crate::registry::Change,
        /// `None`: a new record (a first proposal).
        from: Option<crate::registry::RecordState>,
        to: crate::registry::RecordState,
        reason: Option<crate::registry::Reason>,
    },
    /// A change to a permit or a right was refused.
    ChangeRefused {
        change: crate::registry::Change,
        reason: Denied,
    },
    /// An application was started (a draft exists).
    ApplicationStarted {
        application: crate::eservice::ApplicationId,
        kind: crate::eservice::ApplicationKind,
    },
    /// An application moved a step; a grant names the permit it made.
    ApplicationStep {
        application: crate::eservice::ApplicationId,
        action: crate::eservice::ApplicationAction,
        from: crate::eservice::ApplicationState,
        to: crate::eservice::ApplicationState,
        permit: Option<String>,
    },
    /// A message was added to an application's thread.
    ApplicationMessage {
        application: crate::eservice::ApplicationId,
    },
    /// A responsible user (or registry staff) read an organisation's query statistics.
    UsageViewed {
        organisation: crate::principal::OrgId,
    },
    /// A document (or a new version of one) was added to the library.
    DocumentUploaded {
        document: u64,
        version: u32,
        sha256: String,
    },
    /// The applicant attached a document to their application.
    ApplicationAttachment {
        application: crate::eservice::ApplicationId,
        number: u32,
        sha256: String,
    },
    /// An upload was refused (not registry staff; an application already decided).
    FileRefused {
        application: Option<crate::eservice::ApplicationId>,
        reason: Denied,
    },
    /// A step, a message or a new application was refused.
    ApplicationRefused {
        application: Option<crate::eservice::ApplicationId>,
        action: Option<crate::eservice::ApplicationAction>,
        reason: Denied,
    },
    /// A question was sent to the registry's experts.
    QuestionAsked {
        question: crate::contact::QuestionId,
        topic: crate::contact::Topic,
    },
    /// A message on a question's thread (or its closing), and the state it left.
    QuestionMessage {
        question: crate::contact::QuestionId,
        state: crate::contact::QuestionState,
    },
    /// Registry staff published a service notice; `mails` messages were queued for
    /// subscribers.
    NoticePublished {
        notice: u64,
        mails: u32,
    },
    NoticeWithdrawn {
        notice: u64,
    },
    /// The user subscribed to service notices by e-mail (a confirmation link went to the
    /// address), or ended the subscription.
    NoticeSubscription {
        subscribed: bool,
    },
    /// The user followed the confirmation link: notices are mailed to the address from now.
    SubscriptionConfirmed,
    /// An organisation's invoice basis was read (registry staff: `None`, every organisation).
    FeesViewed {
        month: crate::fees::Month,
        organisation: Option<crate::principal::OrgId>,
    },
    /// A responsible user started an attestation round: the `rights` not confirmed by
    /// `deadline` end on that day.
    AttestationStarted {
        organisation: crate::principal::OrgId,
        deadline: crate::date::Date,
        rights: u32,
    },
    /// A responsible user confirmed that a colleague still needs their right.
    AttestationConfirmed {
        organisation: crate::principal::OrgId,
        user: String,
    },
    /// A refused contact, notice, fee, attestation, management or work-queue request.
    ServiceRefused {
        reason: Denied,
    },
    /// A record asked for by its number that the asker may not see, or that does not exist
    /// (answered alike: "not found"): someone else's application, question or file is a probe
    /// worth seeing in the trail.
    RecordNotFound {
        record: RecordRef,
    },
    /// A file was handed out (a library document or an application's attachment).
    FileDownloaded {
        file: RecordRef,
        sha256: String,
    },
    LoginRefused {
        reason: LoginRefusal,
    },
    SessionsEnded {
        user: String,
        count: u32,
    },
    /// The user's (or their organisation's) queries came faster than the limit and were
    /// refused for a while (recorded once a minute at most, not per refused request).
    QueriesThrottled {
        scope: ThrottleScope,
    },
    /// The user's identity-code searches look like a sweep (many codes, many not found, many
    /// of one birth date): their searches are slowed, or all their queries blocked for a
    /// while. For the responsible user and the registry to look into.
    SweepSuspected {
        level: SweepLevel,
        /// Identity-code searches in the window, how many found nobody, and the most of them
        /// that shared one birth date.
        searches: u32,
        not_found: u32,
        same_birth_date: u32,
    },
    /// Somebody read the audit trail (a log investigation, an organisation's own log): whose
    /// log (the subject searched for, so that the person's own log shows who read it), which
    /// organisation's, which user's, and how many rows were shown or exported.
    TrailRead {
        subject: Option<SubjectRef>,
        organisation: Option<crate::principal::OrgId>,
        user: Option<String>,
        rows: u32,
        exported: bool,
    },
    /// Somebody read the alerts raised on the trail: one organisation's (a responsible user,
    /// or staff naming it) or every organisation's (`None`, registry staff), how many shown.
    AlertsRead {
        organisation: Option<crate::principal::OrgId>,
        rows: u32,
    },
    /// An alert was marked handled with a note (the note is the registry's record).
    AlertHandled {
        entry: u64,
        rule: crate::alert_rule::Rule,
        organisation: crate::principal::OrgId,
    },
    /// A batch of register changes from the population information system: the stream's
    /// changes `first..=last` applied, set aside (dead letters) or found already applied.
    RegisterChangesApplied {
        first: u64,
        last: u64,
        applied: u32,
        dead: u32,
        skipped: u32,
    },
}

/// One of the registry's own records (or files) by its number, as a request named it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordRef {
    Application(crate::eservice::ApplicationId),
    /// An application's attachment by its number.
    Attachment {
        application: crate::eservice::ApplicationId,
        number: u32,
    },
    Question(crate::contact::QuestionId),
    Notice(u64),
    /// A library document, and a version of it when one was asked for.
    Document {
        id: u64,
        version: Option<u32>,
    },
    /// An alert of the trail, by the entry that raised it.
    Alert(u64),
}

/// Whose query rate ran over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThrottleScope {
    User,
    Organisation,
    /// The user's reads of reports (usage statistics, fees).
    Reports,
}

/// What the sweep watch did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SweepLevel {
    /// Each identity-code search waits before it runs.
    Slowed,
    /// Every query of the user is refused for a while.
    Blocked,
}

impl From<SessionEvent> for AuditEvent {
    fn from(e: SessionEvent) -> AuditEvent {
        match e {
            SessionEvent::LoginSucceeded { acr } => AuditEvent::LoginSucceeded { acr },
            SessionEvent::LoggedOut => AuditEvent::LoggedOut,
            SessionEvent::PurposeChosen { purpose, case_ref } => {
                AuditEvent::PurposeChosen { purpose, case_ref }
            }
            SessionEvent::PurposeRefused { purpose, reason } => {
                AuditEvent::PurposeRefused { purpose, reason }
            }
            SessionEvent::LoginRefused { reason } => AuditEvent::LoginRefused { reason },
            SessionEvent::SessionsEnded { user, count } => {
                AuditEvent::SessionsEnded { user, count }
            }
        }
    }
}

impl AuditEvent {
    /// Every register subject the event is about.
    pub fn subjects(&self) -> Vec<SubjectRef> {
        match self {
            AuditEvent::SearchRun { result, .. } => match result {
                SearchResult::Found(s) => vec![*s],
                SearchResult::Several(hits) => hits.clone(),
                SearchResult::NotFound | SearchResult::TooMany => Vec::new(),
            },
            AuditEvent::ScreenViewed { subject, shown, .. }
            | AuditEvent::ProtectedRevealed { subject, shown, .. } => std::iter::once(*subject)
                .chain(shown.iter().copied())
                .collect(),
            AuditEvent::ScreenNotFound { subject, .. } | AuditEvent::TrailRead { subject, .. } => {
                subject.iter().copied().collect()
            }
            AuditEvent::QueryFailed { request, .. } | AuditEvent::AccessDenied { request, .. } => {
                request.subject().into_iter().collect()
            }
            AuditEvent::LoginSucceeded { .. }
            | AuditEvent::LoggedOut
            | AuditEvent::PurposeChosen { .. }
            | AuditEvent::PurposeRefused { .. }
            | AuditEvent::RecordChanged { .. }
            | AuditEvent::ChangeRefused { .. }
            | AuditEvent::ApplicationStarted { .. }
            | AuditEvent::ApplicationStep { .. }
            | AuditEvent::ApplicationMessage { .. }
            | AuditEvent::ApplicationRefused { .. }
            | AuditEvent::UsageViewed { .. }
            | AuditEvent::DocumentUploaded { .. }
            | AuditEvent::ApplicationAttachment { .. }
            | AuditEvent::FileRefused { .. }
            | AuditEvent::QuestionAsked { .. }
            | AuditEvent::QuestionMessage { .. }
            | AuditEvent::NoticePublished { .. }
            | AuditEvent::NoticeWithdrawn { .. }
            | AuditEvent::NoticeSubscription { .. }
            | AuditEvent::SubscriptionConfirmed
            | AuditEvent::FeesViewed { .. }
            | AuditEvent::AttestationStarted { .. }
            | AuditEvent::AttestationConfirmed { .. }
            | AuditEvent::ServiceRefused { .. }
            | AuditEvent::RecordNotFound { .. }
            | AuditEvent::FileDownloaded { .. }
            | AuditEvent::LoginRefused { .. }
            | AuditEvent::SessionsEnded { .. }
            | AuditEvent::QueriesThrottled { .. }
            | AuditEvent::SweepSuspected { .. }
            | AuditEvent::AlertsRead { .. }
            | AuditEvent::AlertHandled { .. }
            | AuditEvent::RegisterChangesApplied { .. } => Vec::new(),
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
                user: p.subject.to_string(),
                name: p.name.clone(),
                organisation: p.organisation.as_str().to_owned(),
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
    /// The case reference given with the purpose (absent from entries made without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<CaseRef>,
    pub event: AuditEvent,
}

impl AuditEvent {
    /// The billable data units this event disclosed: one per screen of one subject shown
    /// (revealed protected data included). Searches, refusals and misses disclose no unit.
    pub fn units(&self) -> u32 {
        match self {
            AuditEvent::ScreenViewed { .. } | AuditEvent::ProtectedRevealed { .. } => 1,
            _ => 0,
        }
    }
}
