//! The e-service's applications: an organisation's application for a data permit and a
//! municipality's order of the blanket permit, their one state machine, the form's rules, the
//! service-level clock of the registry's work queue and the decision that becomes the permit
//! the gate enforces.
//!
//! Invariants: an application moves only by an [`ApplicationAction`] that [`authorize_action`]
//! allows for the party taking it and the state it is in (no other transitions exist); only a
//! form that [`ApplicationForm::check`] accepts is submitted; a grant's permit is made from the
//! application and the registry's decision by [`Decision::permit`], never typed in again.

pub mod progress;
mod texts;
use texts as t;

use crate::access::{Denied, Permit, PermitState, Purpose, PurposeGrant};
use crate::catalogue::{DataGroup, ScreenId, Variant};
use crate::date::{Date, Timestamp};
use crate::ids::BusinessId;
use crate::lang::Text;
use crate::principal::{OrgId, UserId};
use crate::registry::{OrgKind, Organisation};
use crate::screen::SubjectKind;
use crate::search::SearchKind;
use crate::validation::{Field, FieldError, ValidationError, short_text};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The version of the permit terms in force; an application records the version it accepted.
pub const TERMS_VERSION: &str = "2026-1";

/// The permit terms in force ([`TERMS_VERSION`]), as the applicant accepts them and the permit
/// states them (DOMAIN.md §6).
pub fn terms() -> [Text; 5] {
    [
        t::TERM_NO_ONWARD_DISCLOSURE,
        t::TERM_OWN_REGISTER_ONLY_BY_LAW,
        t::TERM_PURPOSE_ONLY,
        t::TERM_SECURITY,
        t::TERM_ACCOUNT_ON_REQUEST,
    ]
}

/// The registry's number for an application (`H-00007`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ApplicationId(pub u64);

impl fmt::Display for ApplicationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "H-{:05}", self.0)
    }
}

/// What is applied for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicationKind {
    /// A data permit of one's own (purposes, data and protection described by the applicant).
    DataPermit,
    /// A municipality joins the ready blanket permit for municipalities.
    MunicipalOrder,
    /// An organisation with a data permit in force applies to change it (purposes, data,
    /// searches); its responsible user applies, and the grant replaces the permit.
    PermitChange,
}

impl ApplicationKind {
    pub const ALL: [ApplicationKind; 3] = [
        ApplicationKind::DataPermit,
        ApplicationKind::MunicipalOrder,
        ApplicationKind::PermitChange,
    ];

    /// What an organisation without a permit in force may start.
    pub const NEW: [ApplicationKind; 2] =
        [ApplicationKind::DataPermit, ApplicationKind::MunicipalOrder];

    /// Describes purposes, data and searches of its own (not the blanket permit's).
    pub fn own_scope(self) -> bool {
        self != ApplicationKind::MunicipalOrder
    }

    /// The registry's handling-time target, in days of the registry's own time.
    pub fn target_days(self) -> i64 {
        match self {
            ApplicationKind::DataPermit | ApplicationKind::PermitChange => 42,
            ApplicationKind::MunicipalOrder => 14,
        }
    }

    pub fn text(self) -> Text {
        match self {
            ApplicationKind::DataPermit => t::APPLICATION_KIND_DATA_PERMIT,
            ApplicationKind::MunicipalOrder => t::APPLICATION_KIND_MUNICIPAL_ORDER,
            ApplicationKind::PermitChange => t::APPLICATION_KIND_PERMIT_CHANGE,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            ApplicationKind::DataPermit => "data-permit",
            ApplicationKind::MunicipalOrder => "municipal-order",
            ApplicationKind::PermitChange => "permit-change",
        }
    }
}

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicationState {
    /// Being written; saved as it is typed, seen by nobody but the applicant.
    Draft,
    /// With the registry, in its work queue.
    Submitted,
    /// The registry asked the applicant for more; the clock waits for the applicant.
    SupplementRequested,
    /// The registry and the applicant negotiate the content.
    InNegotiation,
    /// The registry evaluates the applicant's technical system.
    TechnicalEvaluation,
    /// Decided: the permit exists and the gate enforces it.
    Granted,
    Rejected,
}

impl ApplicationState {
    pub const ALL: [ApplicationState; 7] = [
        ApplicationState::Draft,
        ApplicationState::Submitted,
        ApplicationState::SupplementRequested,
        ApplicationState::InNegotiation,
        ApplicationState::TechnicalEvaluation,
        ApplicationState::Granted,
        ApplicationState::Rejected,
    ];

    /// The registry has the next move: its clock runs.
    pub fn with_registry(self) -> bool {
        matches!(
            self,
            ApplicationState::Submitted
                | ApplicationState::InNegotiation
                | ApplicationState::TechnicalEvaluation
        )
    }

    /// The applicant may edit the form (a draft, or while answering a supplement request).
    pub fn applicant_edits(self) -> bool {
        matches!(
            self,
            ApplicationState::Draft | ApplicationState::SupplementRequested
        )
    }

    /// Decided, one way or the other.
    pub fn decided(self) -> bool {
        matches!(self, ApplicationState::Granted | ApplicationState::Rejected)
    }

    pub fn from_slug(s: &str) -> Option<ApplicationState> {
        ApplicationState::ALL.into_iter().find(|x| x.slug() == s)
    }

    pub fn slug(self) -> &'static str {
        match self {
            ApplicationState::Draft => "draft",
            ApplicationState::Submitted => "submitted",
            ApplicationState::SupplementRequested => "supplement-requested",
            ApplicationState::InNegotiation => "in-negotiation",
            ApplicationState::TechnicalEvaluation => "technical-evaluation",
            ApplicationState::Granted => "granted",
            ApplicationState::Rejected => "rejected",
        }
    }

    pub fn text(self) -> Text {
        match self {
            ApplicationState::Draft => t::APPLICATION_STATE_DRAFT,
            ApplicationState::Submitted => t::APPLICATION_STATE_SUBMITTED,
            ApplicationState::SupplementRequested => t::APPLICATION_STATE_SUPPLEMENT_REQUESTED,
            ApplicationState::InNegotiation => t::APPLICATION_STATE_IN_NEGOTIATION,
            ApplicationState::TechnicalEvaluation => t::APPLICATION_STATE_TECHNICAL_EVALUATION,
            ApplicationState::Granted => t::APPLICATION_STATE_GRANTED,
            ApplicationState::Rejected => t::APPLICATION_STATE_REJECTED,
        }
    }
}

/// Who takes a step: the applicant organisation or the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Party {
    Applicant,
    Registry,
}

/// A step in an application's handling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicationAction {
    /// The applicant sends the draft.
    Submit,
    /// The registry asks for more (with a message the applicant reads).
    RequestSupplement,
    /// The applicant answers a supplement request; the application is back with the registry.
    Supplement,
    /// The registry opens a negotiation on the content.
    Negotiate,
    /// The registry evaluates the applicant's technical system.
    Evaluate,
    /// The registry grants: the permit comes into force.
    Grant,
    /// The registry rejects (with a reason the applicant reads).
    Reject,
}

impl ApplicationAction {
    pub const ALL: [ApplicationAction; 7] = [
        ApplicationAction::Submit,
        ApplicationAction::RequestSupplement,
        ApplicationAction::Supplement,
        ApplicationAction::Negotiate,
        ApplicationAction::Evaluate,
        ApplicationAction::Grant,
        ApplicationAction::Reject,
    ];

    /// A decision: it cannot be taken back, so the page asks once more before it.
    pub fn decides(self) -> bool {
        matches!(self, ApplicationAction::Grant | ApplicationAction::Reject)
    }

    /// The party whose step this is.
    pub fn party(self) -> Party {
        match self {
            ApplicationAction::Submit | ApplicationAction::Supplement => Party::Applicant,
            _ => Party::Registry,
        }
    }

    /// The state this step leads to from `from`; `None` where it does not apply. These are
    /// the only transitions there are.
    pub fn apply(self, from: ApplicationState) -> Option<ApplicationState> {
        use ApplicationAction as A;
        use ApplicationState as S;
        match (self, from) {
            (A::Submit, S::Draft) => Some(S::Submitted),
            (A::RequestSupplement, S::Submitted | S::InNegotiation | S::TechnicalEvaluation) => {
                Some(S::SupplementRequested)
            }
            (A::Supplement, S::SupplementRequested) => Some(S::Submitted),
            (A::Negotiate, S::Submitted) => Some(S::InNegotiation),
            (A::Evaluate, S::Submitted | S::InNegotiation) => Some(S::TechnicalEvaluation),
            (A::Grant, S::Submitted | S::InNegotiation | S::TechnicalEvaluation) => {
                Some(S::Granted)
            }
            (
                A::Reject,
                S::Submitted | S::SupplementRequested | S::InNegotiation | S::TechnicalEvaluation,
            ) => Some(S::Rejected),
            _ => None,
        }
    }

    /// The step needs a message: what to supplement, why rejected, the supplement itself.
    pub fn needs_message(self) -> bool {
        matches!(
            self,
            ApplicationAction::RequestSupplement
                | ApplicationAction::Reject
                | ApplicationAction::Supplement
        )
    }

    pub fn slug(self) -> &'static str {
        match self {
            ApplicationAction::Submit => "submit",
            ApplicationAction::RequestSupplement => "request-supplement",
            ApplicationAction::Supplement => "supplement",
            ApplicationAction::Negotiate => "negotiate",
            ApplicationAction::Evaluate => "evaluate",
            ApplicationAction::Grant => "grant",
            ApplicationAction::Reject => "reject",
        }
    }

    /// The button's label.
    pub fn text(self) -> Text {
        match self {
            ApplicationAction::Submit => t::APPLICATION_ACTION_SUBMIT,
            ApplicationAction::RequestSupplement => t::APPLICATION_ACTION_REQUEST_SUPPLEMENT,
            ApplicationAction::Supplement => t::APPLICATION_ACTION_SUPPLEMENT,
            ApplicationAction::Negotiate => t::APPLICATION_ACTION_NEGOTIATE,
            ApplicationAction::Evaluate => t::APPLICATION_ACTION_EVALUATE,
            ApplicationAction::Grant => t::APPLICATION_ACTION_GRANT,
            ApplicationAction::Reject => t::APPLICATION_ACTION_REJECT,
        }
    }
}

/// Decides one step: the party must be the step's own, and the step must apply in the
/// application's state. The answer is the state it leads to.
pub fn authorize_action(
    party: Party,
    action: ApplicationAction,
    from: ApplicationState,
) -> Result<ApplicationState, Denied> {
    if action.party() != party {
        return Err(match action.party() {
            Party::Registry => Denied::RegistryStaffOnly,
            Party::Applicant => Denied::NotApplicant,
        });
    }
    action.apply(from).ok_or(Denied::NotFromThisState)
}

/// Decides one step as it is taken: [`authorize_action`], and the registry's steps (they decide
/// access) only after a two-factor sign-in. The page offers steps by [`actions_open`], which
/// leaves the sign-in level out: acting is what asks for the step-up.
pub fn authorize_step(
    party: Party,
    action: ApplicationAction,
    from: ApplicationState,
    principal: &crate::Principal,
) -> Result<ApplicationState, Denied> {
    let to = authorize_action(party, action, from)?;
    if party == Party::Registry {
        principal.may_act_as(crate::principal::Role::RegistryStaff)?;
    }
    Ok(to)
}

/// The steps `party` may take from `state`: the page offers only these.
pub fn actions_open(party: Party, state: ApplicationState) -> Vec<ApplicationAction> {
    ApplicationAction::ALL
        .into_iter()
        .filter(|a| authorize_action(party, *a, state).is_ok())
        .collect()
}

/// A contact person of the applicant organisation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// The organisation as the applicant describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationDetails {
    pub name: String,
    /// As typed; checked as a Y-tunnus on submission.
    pub business_id: String,
    pub kind: Option<OrgKind>,
    pub address: String,
    pub contacts: Vec<Contact>,
}

/// A purpose of use applied for, its legal basis and why the data is needed for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeRequest {
    pub purpose: Purpose,
    pub legal_basis: String,
    pub justification: String,
}

/// A data group applied for and why it is needed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupNeed {
    pub group: DataGroup,
    pub why: String,
}

/// The account of how the data is used and protected (661/2009 §44): structured answers and
/// free text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectionAccount {
    /// Who uses the data (which units, how many people, in which duties).
    pub users: String,
    /// Where it is used (premises, networks, devices).
    pub location: String,
    /// How access is controlled (personal accounts, two-factor sign-in, monitoring).
    pub access_control: String,
    /// How long anything taken from the register is kept, and how it is destroyed.
    pub retention: String,
    /// The applicant confirms that nothing is disclosed onwards.
    pub no_onward_disclosure: bool,
    /// The organisation requires its users to sign in with a second factor (the gate then
    /// refuses their queries after a password-only sign-in).
    #[serde(default)]
    pub two_factor: bool,
    /// Anything else.
    pub other: String,
}

/// An application form as the applicant fills it in; saved as a draft exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub organisation: OrganisationDetails,
    pub purposes: Vec<PurposeRequest>,
    pub needs: Vec<GroupNeed>,
    pub searches: Vec<SearchKind>,
    pub protection: ProtectionAccount,
    /// The terms version the applicant accepted, if they did.
    pub terms_accepted: Option<String>,
    /// A municipal order names its responsible user (the provider's subject id of a person of
    /// the municipality who has signed in once).
    pub nominee: Option<String>,
}

/// The longest a free-text answer may be.
pub const ANSWER_MAX: u16 = 2000;
/// The most contact persons a form holds.
pub const CONTACTS_MAX: usize = 5;

fn too_long(field: Field, max: u16) -> FieldError {
    FieldError::new(field, ValidationError::TooLong { field, max })
}

/// A free-text answer on submission: `min..=max` characters, no control characters but line
/// breaks and tabs.
fn answer(input: &str, field: Field, min: u16, max: u16, errors: &mut Vec<FieldError>) {
    match short_text(input, field, min, max, |c| {
        !c.is_control() || c == '\n' || c == '\t'
    }) {
        Ok(Some(_)) => {}
        Ok(None) => errors.push(FieldError::new(field, ValidationError::Required(field))),
        Err(e) => errors.push(e),
    }
}

/// An e-mail address in the shape `local@domain.tld`, without spaces.
pub fn is_email(input: &str) -> bool {
    let s = input.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !s.chars().any(char::is_whitespace)
        && !domain.contains('@')
        && domain
            .split_once('.')
            .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && !b.ends_with('.'))
        && s.chars().count() <= 254
}

impl ApplicationForm {
    /// The limits a draft must keep to be saved at all (so a draft cannot grow without end);
    /// nothing is required of a draft.
    pub fn fits(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |s: &str, field: Field, max: u16| {
            if s.chars().count() > usize::from(max) {
                errors.push(too_long(field, max));
            }
        };
        let o = &self.organisation;
        text(&o.name, Field::OrgName, 200);
        text(&o.business_id, Field::BusinessId, 20);
        text(&o.address, Field::Address, 300);
        for c in &o.contacts {
            text(&c.name, Field::ContactName, 200);
            text(&c.email, Field::Email, 254);
            text(&c.phone, Field::Phone, 40);
        }
        for p in &self.purposes {
            text(&p.legal_basis, Field::LegalBasis, 300);
            text(&p.justification, Field::Justification, ANSWER_MAX);
        }
        for n in &self.needs {
            text(&n.why, Field::NeedWhy, ANSWER_MAX);
        }
        let a = &self.protection;
        text(&a.users, Field::Users, ANSWER_MAX);
        text(&a.location, Field::Location, ANSWER_MAX);
        text(&a.access_control, Field::AccessControl, ANSWER_MAX);
        text(&a.retention, Field::Retention, ANSWER_MAX);
        text(&a.other, Field::Justification, ANSWER_MAX);
        if let Some(t) = &self.terms_accepted {
            text(t, Field::Terms, 20);
        }
        if let Some(n) = &self.nominee {
            text(n, Field::Nominee, 64);
        }
        if o.contacts.len() > CONTACTS_MAX {
            errors.push(too_long(Field::ContactName, CONTACTS_MAX as u16));
        }
        if !unique(self.purposes.iter().map(|p| p.purpose)) {
            errors.push(FieldError::new(
                Field::Purposes,
                ValidationError::Choose(Field::Purposes),
            ));
        }
        if !unique(self.needs.iter().map(|n| n.group)) {
            errors.push(FieldError::new(
                Field::DataGroups,
                ValidationError::Choose(Field::DataGroups),
            ));
        }
        if !unique(self.searches.iter().copied()) {
            errors.push(FieldError::new(
                Field::Searches,
                ValidationError::Choose(Field::Searches),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Everything a submitted application of `kind` must hold, each broken rule with its
    /// field (the page shows them all at once).
    pub fn check(&self, kind: ApplicationKind) -> Result<(), Vec<FieldError>> {
        let mut errors = match self.fits() {
            Ok(()) => Vec::new(),
            Err(e) => e,
        };
        let o = &self.organisation;
        answer(&o.name, Field::OrgName, 2, 200, &mut errors);
        if o.business_id.trim().is_empty() {
            errors.push(FieldError::new(
                Field::BusinessId,
                ValidationError::Required(Field::BusinessId),
            ));
        } else if let Err(e) = o.business_id.trim().parse::<BusinessId>() {
            errors.push(FieldError::new(Field::BusinessId, e));
        }
        match (o.kind, kind) {
            (None | Some(OrgKind::Registry), _) => errors.push(FieldError::new(
                Field::OrgKind,
                ValidationError::Choose(Field::OrgKind),
            )),
            (Some(k), ApplicationKind::MunicipalOrder) if k != OrgKind::Municipality => errors
                .push(FieldError::new(
                    Field::OrgKind,
                    ValidationError::Choose(Field::OrgKind),
                )),
            _ => {}
        }
        answer(&o.address, Field::Address, 5, 300, &mut errors);
        if o.contacts.is_empty() {
            errors.push(FieldError::new(
                Field::ContactName,
                ValidationError::Required(Field::ContactName),
            ));
        }
        for c in &o.contacts {
            answer(&c.name, Field::ContactName, 2, 200, &mut errors);
            if !is_email(&c.email) {
                errors.push(FieldError::new(Field::Email, ValidationError::Email));
            }
        }
        if kind.own_scope() {
            if self.purposes.is_empty() {
                errors.push(FieldError::new(
                    Field::Purposes,
                    ValidationError::Choose(Field::Purposes),
                ));
            }
            for p in &self.purposes {
                answer(&p.legal_basis, Field::LegalBasis, 3, 300, &mut errors);
                answer(
                    &p.justification,
                    Field::Justification,
                    20,
                    ANSWER_MAX,
                    &mut errors,
                );
            }
            if self.needs.is_empty() {
                errors.push(FieldError::new(
                    Field::DataGroups,
                    ValidationError::Choose(Field::DataGroups),
                ));
            }
            for n in &self.needs {
                answer(&n.why, Field::NeedWhy, 10, ANSWER_MAX, &mut errors);
            }
            if self.searches.is_empty() {
                errors.push(FieldError::new(
                    Field::Searches,
                    ValidationError::Choose(Field::Searches),
                ));
            }
        } else if self.nominee.as_deref().is_none_or(|n| n.trim().is_empty()) {
            errors.push(FieldError::new(
                Field::Nominee,
                ValidationError::Choose(Field::Nominee),
            ));
        }
        let a = &self.protection;
        answer(&a.users, Field::Users, 10, ANSWER_MAX, &mut errors);
        answer(&a.location, Field::Location, 10, ANSWER_MAX, &mut errors);
        answer(
            &a.access_control,
            Field::AccessControl,
            10,
            ANSWER_MAX,
            &mut errors,
        );
        answer(&a.retention, Field::Retention, 10, ANSWER_MAX, &mut errors);
        if !a.no_onward_disclosure {
            errors.push(FieldError::new(
                Field::NoOnwardDisclosure,
                ValidationError::Choose(Field::NoOnwardDisclosure),
            ));
        }
        if self.terms_accepted.as_deref() != Some(TERMS_VERSION) {
            errors.push(FieldError::new(
                Field::Terms,
                ValidationError::Choose(Field::Terms),
            ));
        }
        errors.dedup();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The organisation record a grant makes, if the form names a valid one.
    pub fn organisation_record(&self, id: &OrgId) -> Option<Organisation> {
        let o = &self.organisation;
        Some(Organisation {
            id: id.clone(),
            business_id: o.business_id.trim().parse().ok()?,
            name: o.name.trim().to_owned(),
            kind: o.kind.filter(|k| *k != OrgKind::Registry)?,
        })
    }
}

fn unique<T: PartialEq>(items: impl Iterator<Item = T>) -> bool {
    let items: Vec<T> = items.collect();
    items
        .iter()
        .enumerate()
        .all(|(i, a)| !items[..i].contains(a))
}

/// A message on an application's thread (requests for supplements, answers, negotiation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub at: Timestamp,
    pub by_name: String,
    pub party: Party,
    pub text: String,
}

/// The longest message.
pub const MESSAGE_MAX: u16 = 4000;
/// The most messages one application's thread holds.
pub const MESSAGES_MAX: usize = 200;

/// A message as typed: 2..=[`MESSAGE_MAX`] characters; `None` when blank.
pub fn parse_message(input: &str) -> Result<Option<String>, FieldError> {
    short_text(input, Field::Message, 2, MESSAGE_MAX, |c| {
        !c.is_control() || c == '\n' || c == '\t'
    })
}

/// One step in an application's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationEvent {
    pub at: Timestamp,
    pub by_name: String,
    pub party: Party,
    pub action: ApplicationAction,
    pub from: ApplicationState,
    pub to: ApplicationState,
}

/// An application, its thread and its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: ApplicationId,
    pub kind: ApplicationKind,
    /// The applicant organisation, as the identity provider names it.
    pub organisation: OrgId,
    /// Who started it (the provider's subject) and their name.
    pub applicant: UserId,
    pub applicant_name: String,
    pub created: Timestamp,
    pub state: ApplicationState,
    pub form: ApplicationForm,
    pub events: Vec<ApplicationEvent>,
    pub messages: Vec<Message>,
    /// Documents the applicant attached (a description of the technical system, say).
    pub attachments: Vec<crate::library::Attachment>,
    /// The permit the grant made.
    pub permit_number: Option<String>,
}

impl Application {
    /// The registry's handling clock, from the first submission.
    pub fn clock(&self, now: Timestamp) -> Option<ServiceClock> {
        service_clock(self.kind, &self.events, now)
    }
}

/// Time spent on an application: the registry's own (what the target is about) and the time
/// it waited for the applicant, shown apart and not counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceClock {
    pub registry_seconds: i64,
    pub applicant_seconds: i64,
    pub target_days: i64,
    /// Still running (not decided).
    pub running: bool,
}

const DAY: i64 = 86_400;

impl ServiceClock {
    pub fn registry_days(&self) -> i64 {
        self.registry_seconds / DAY
    }

    pub fn applicant_days(&self) -> i64 {
        self.applicant_seconds / DAY
    }

    /// The registry has used more than the target.
    pub fn overdue(&self) -> bool {
        self.registry_seconds > self.target_days * DAY
    }

    /// The registry's time left before the target (negative when overdue).
    pub fn seconds_left(&self) -> i64 {
        self.target_days * DAY - self.registry_seconds
    }
}

/// The clock of an application of `kind` with these steps (oldest first), at `now`; `None`
/// before the first submission.
pub fn service_clock(
    kind: ApplicationKind,
    events: &[ApplicationEvent],
    now: Timestamp,
) -> Option<ServiceClock> {
    let first = events
        .iter()
        .position(|e| e.action == ApplicationAction::Submit)?;
    let mut clock = ServiceClock {
        registry_seconds: 0,
        applicant_seconds: 0,
        target_days: kind.target_days(),
        running: true,
    };
    let steps = &events[first..];
    for (i, step) in steps.iter().enumerate() {
        let until = steps.get(i + 1).map_or(now, |next| next.at);
        let seconds = ((until.millis() - step.at.millis()) / 1000).max(0);
        if step.to.with_registry() {
            clock.registry_seconds += seconds;
        } else if step.to == ApplicationState::SupplementRequested {
            clock.applicant_seconds += seconds;
        }
    }
    clock.running = !steps.last().is_some_and(|e| e.to.decided());
    Some(clock)
}

/// One line of the registry's work queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: ApplicationId,
    pub kind: ApplicationKind,
    pub organisation_name: String,
    pub org_kind: Option<OrgKind>,
    pub state: ApplicationState,
    pub submitted: Option<Timestamp>,
    pub clock: Option<ServiceClock>,
}

impl QueueItem {
    /// Queue order: overdue first, then the least time left, then the oldest number.
    pub fn order(a: &QueueItem, b: &QueueItem) -> std::cmp::Ordering {
        let key = |i: &QueueItem| {
            let running = i.clock.filter(|c| c.running);
            (
                !running.is_some_and(|c| c.overdue()),
                running.is_none(),
                running.map_or(i64::MAX, |c| c.seconds_left()),
                i.id,
            )
        };
        key(a).cmp(&key(b))
    }
}

/// What the work queue shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub state: Option<ApplicationState>,
    pub org_kind: Option<OrgKind>,
    /// From 0.
    pub page: u32,
}

impl QueueFilter {
    pub fn admits(&self, item: &QueueItem) -> bool {
        self.state.is_none_or(|s| s == item.state)
            && self.org_kind.is_none_or(|k| Some(k) == item.org_kind)
            // Drafts are the applicant's own until submitted.
            && item.state != ApplicationState::Draft
    }
}

/// One page of the work queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

/// The screens of the blanket permit for municipalities: the normal and narrow screens,
/// without the residents of buildings and dwellings.
pub fn municipal_screens() -> Vec<ScreenId> {
    ScreenId::ALL
        .iter()
        .copied()
        .filter(|s| {
            let spec = s.spec();
            spec.variant != Variant::Wide
                && !matches!(
                    spec.group,
                    DataGroup::BuildingResidents | DataGroup::DwellingResidents
                )
        })
        .collect()
}

/// The legal basis of the municipalities' blanket permit.
pub const MUNICIPAL_LEGAL_BASIS: &str = "661/2009; kuntalaki 410/2015";

/// What the registry's decision says beyond the application: what of it is granted, and for
/// how long.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionForm {
    /// The data groups granted, of those applied for (a municipal order: ignored, the blanket
    /// permit's).
    pub groups: Vec<DataGroup>,
    /// Last valid day as typed (d.m.yyyy); blank: until further notice.
    pub valid_until: String,
    /// The registry requires a two-factor sign-in of the organisation's users.
    #[serde(default)]
    pub two_factor: bool,
}

/// The registry's decision on a data permit, complete: everything the gate reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub number: String,
    pub screens: Vec<ScreenId>,
    pub searches: Vec<SearchKind>,
    pub purposes: Vec<PurposeGrant>,
    pub conditions: Vec<String>,
    pub fees: crate::fees::Fees,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
    /// A two-factor sign-in is required: the registry decided so, or the organisation asked
    /// for it (neither can drop what the other chose).
    #[serde(default)]
    pub two_factor_required: bool,
}

impl Decision {
    /// The decision on `application` as `form` narrows it, made on `today` under `number`.
    /// Refused with the field at fault when it would grant nothing or end before it starts.
    pub fn make(
        application: &Application,
        form: &DecisionForm,
        number: String,
        today: Date,
    ) -> Result<Decision, Vec<FieldError>> {
        let valid_until = match form.valid_until.trim() {
            "" => None,
            typed => Some(
                Date::parse_input(typed)
                    .map_err(|e| vec![FieldError::new(Field::ValidUntil, e)])?,
            ),
        };
        if valid_until.is_some_and(|d| d < today) {
            return Err(vec![FieldError::new(
                Field::ValidUntil,
                ValidationError::Choose(Field::ValidUntil),
            )]);
        }
        let conditions = terms().iter().map(|t| t.fi.to_owned()).collect();
        let (screens, searches, purposes) = match application.kind {
            ApplicationKind::MunicipalOrder => (
                municipal_screens(),
                SearchKind::ALL.to_vec(),
                vec![PurposeGrant::all(
                    Purpose::MunicipalTasks,
                    MUNICIPAL_LEGAL_BASIS,
                )],
            ),
            ApplicationKind::DataPermit | ApplicationKind::PermitChange => {
                let applied: Vec<DataGroup> =
                    application.form.needs.iter().map(|n| n.group).collect();
                let granted: Vec<DataGroup> = form
                    .groups
                    .iter()
                    .copied()
                    .filter(|g| applied.contains(g))
                    .collect();
                let screens: Vec<ScreenId> = ScreenId::ALL
                    .iter()
                    .copied()
                    .filter(|s| granted.contains(&s.spec().group))
                    .collect();
                let purposes = application
                    .form
                    .purposes
                    .iter()
                    .map(|p| PurposeGrant::all(p.purpose, p.legal_basis.trim()))
                    .collect();
                (screens, application.form.searches.clone(), purposes)
            }
        };
        if screens.is_empty() {
            return Err(vec![FieldError::new(
                Field::DataGroups,
                ValidationError::Choose(Field::DataGroups),
            )]);
        }
        let fees = match application.kind {
            ApplicationKind::MunicipalOrder => crate::fees::Fees::Statutory,
            // An application without a kind cannot be submitted; were it ever decided, it
            // would be charged rather than free.
            ApplicationKind::DataPermit | ApplicationKind::PermitChange => {
                crate::fees::Fees::for_kind(
                    application
                        .form
                        .organisation
                        .kind
                        .unwrap_or(crate::registry::OrgKind::Company),
                )
            }
        };
        Ok(Decision {
            number,
            screens,
            searches,
            purposes,
            conditions,
            fees,
            valid_from: today,
            valid_until,
            two_factor_required: form.two_factor || application.form.protection.two_factor,
        })
    }

    /// The permit the gate enforces from now on.
    pub fn permit(&self, organisation: &OrgId) -> Permit {
        Permit {
            number: self.number.clone(),
            organisation: organisation.clone(),
            screens: self.screens.clone(),
            searches: self.searches.clone(),
            purposes: self.purposes.clone(),
            // Protected data and break glass are granted by a separate, closer look.
            protected_data: false,
            two_factor_required: self.two_factor_required,
            break_glass: false,
            conditions: self.conditions.clone(),
            fees: self.fees,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            state: PermitState::Active,
        }
    }
}

/// The permit a grant of an application of `kind` makes, given the permit the decision
/// describes and the organisation's permit record as it stands (`old`, in any state). A grant
/// never weakens what stands: a new permit is refused while one is in force or suspended (the
/// registry resumes or ends a suspended one first), a change keeps the permit's state (a
/// suspension stays), and the protected-data right, break glass and a two-factor requirement
/// (the registry's or the organisation's own) carry over from the old record whatever its
/// state. What changed is told in the permit's history (the engine writes the line).
pub fn granted_permit(
    kind: ApplicationKind,
    decided: Permit,
    old: Option<&Permit>,
    today: Date,
) -> Result<Permit, Denied> {
    let standing = old.map(|p| p.standing(today));
    match (kind, standing) {
        (ApplicationKind::PermitChange, None | Some(Err(_))) => {
            // A suspended permit may be changed (and stays suspended); an ended, expired or
            // future one has nothing to change.
            if !matches!(standing, Some(Err(Denied::PermitSuspended))) {
                return Err(Denied::NoPermit);
            }
        }
        (ApplicationKind::PermitChange, Some(Ok(()))) => {}
        (_, Some(Ok(()))) => return Err(Denied::AlreadyApplied),
        (_, Some(Err(Denied::PermitSuspended))) => return Err(Denied::PermitSuspended),
        (_, None | Some(Err(_))) => {}
    }
    let Some(old) = old else {
        return Ok(decided);
    };
    let state = match kind {
        ApplicationKind::PermitChange => old.state,
        ApplicationKind::DataPermit | ApplicationKind::MunicipalOrder => decided.state,
    };
    Ok(Permit {
        protected_data: decided.protected_data || old.protected_data,
        break_glass: decided.break_glass || old.break_glass,
        two_factor_required: decided.two_factor_required || old.two_factor_required,
        state,
        ..decided
    })
}

/// The data groups a form may apply for, in catalogue order, each with its subject kind.
pub fn groups_on_offer() -> Vec<(DataGroup, SubjectKind)> {
    DataGroup::ALL
        .iter()
        .map(|g| (*g, g.spec().subject))
        .filter(|(g, _)| ScreenId::ALL.iter().any(|s| s.spec().group == *g))
        .collect()
}

/// Where a change application starts: what the organisation holds now, so the applicant
/// changes it rather than writing it again. The last granted form of its own (purposes with
/// their legal basis and justification, data with why, searches, the account of protection)
/// when there is one; otherwise (a permit not applied for here) the permit's purposes, data
/// groups and searches, the words to be written. The terms are accepted anew, and the
/// organisation is described as the registry knows it.
pub fn change_start(
    granted: Option<&ApplicationForm>,
    permit: Option<&Permit>,
    known: Option<&Organisation>,
) -> ApplicationForm {
    let mut form = match (granted, permit) {
        (Some(f), _) => f.clone(),
        (None, Some(p)) => {
            let mut needs: Vec<GroupNeed> = Vec::new();
            for screen in &p.screens {
                let group = screen.spec().group;
                if !needs.iter().any(|n| n.group == group) {
                    needs.push(GroupNeed {
                        group,
                        why: String::new(),
                    });
                }
            }
            ApplicationForm {
                purposes: p
                    .purpose_list()
                    .into_iter()
                    .map(|purpose| PurposeRequest {
                        purpose,
                        legal_basis: String::new(),
                        justification: String::new(),
                    })
                    .collect(),
                needs,
                searches: p.searches.clone(),
                ..ApplicationForm::default()
            }
        }
        (None, None) => ApplicationForm::default(),
    };
    form.terms_accepted = None;
    form.nominee = None;
    if let Some(o) = known {
        form.organisation.name = o.name.clone();
        form.organisation.business_id = o.business_id.to_string();
        form.organisation.kind = Some(o.kind);
    }
    form
}

/// An application as its viewer sees it: the steps open to them and the clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub application: Application,
    pub actions: Vec<ApplicationAction>,
    pub clock: Option<ServiceClock>,
    /// The viewer is the registry (sees the queue's view and decides).
    pub registry: bool,
    /// For the applicant of a municipal order: the people of the municipality who have
    /// signed in, whom the order can name as its responsible user.
    pub candidates: Vec<crate::registry::KnownUser>,
}

/// The e-service's front page for its viewer: their applications, what they may start, and
/// whom they may nominate as their organisation's first responsible user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplications {
    pub applications: Vec<ApplicationView>,
    /// The kinds the viewer may start now (none while an application is in progress or a
    /// permit is in force).
    pub may_start: Vec<ApplicationKind>,
    /// After a grant, the people the applicant may nominate as the responsible user.
    pub nominate: Vec<crate::registry::KnownUser>,
    /// After a grant, the organisation's responsible-user rights and their states (a
    /// nomination awaiting the registry shows here).
    pub responsible: Vec<crate::access::PersonalRight>,
    /// The viewer is registry staff (the work queue is theirs).
    pub registry: bool,
    /// The organisation's newest undecided application that a colleague sent (drafts are
    /// their writer's alone).
    pub colleague: Option<progress::ColleagueApplication>,
}

#[cfg(test)]
mod tests;
