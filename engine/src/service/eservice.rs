//! The e-service's applications in the register's database: starting one, saving its draft,
//! its steps through the registry's handling, its message thread, the registry's work queue,
//! and the grant that writes the organisation and its permit (and, for a municipal order, the
//! nominated responsible user's right) in the same transaction as the step.
//!
//! Who sees what: an application is its applicant's (the person who started it, in their own
//! organisation) and, once submitted, registry staff's; to anyone else it does not exist, and
//! they are answered exactly as for a number nobody has. Every step and message is decided and
//! written in one write transaction whose audit entry is durable before the commit; a step
//! the trail cannot record is not taken.

use crate::error::EngineError;
use crate::gate::Engine;
use crate::gate::command::{Command, Query, Records, Verdict};
use crate::gate::standing::{Standing, principal_of as principal};
use crate::service::registry::{Written, candidates, write_record};
use crate::store::Recording;
use crate::store::{
    APPLICATIONS, APPLICATIONS_BY_ORG, KNOWN_USERS, ORGANISATIONS, PERMITS, RIGHTS, open_or_empty,
};
use domain::access::{Denied, RightState};
use domain::audit::{AuditEvent, RecordRef};
use domain::eservice::progress::{ColleagueApplication, status_mail};
use domain::eservice::{
    Application, ApplicationAction, ApplicationEvent, ApplicationForm, ApplicationId,
    ApplicationKind, ApplicationState, ApplicationView, Decision, DecisionForm, MESSAGES_MAX,
    Message, MyApplications, Party, QueueFilter, QueueItem, QueuePage, actions_open,
    authorize_step, parse_message,
};
use domain::principal::Role;
use domain::registry::{Change, Reason, RecordState};
use domain::{Actor, Field, FieldError, Principal, ValidationError};
use redb::{ReadTransaction, ReadableTable};

/// Work-queue lines per page.
pub const QUEUE_PAGE: u32 = 25;

/// The viewer's party on an application, or `None` when it is not theirs to see.
pub(crate) fn party_of(app: &Application, principal: &Principal, staff: bool) -> Option<Party> {
    if app.applicant == principal.subject && app.organisation == principal.organisation {
        Some(Party::Applicant)
    } else if staff && app.state != ApplicationState::Draft {
        Some(Party::Registry)
    } else {
        None
    }
}

fn view(app: Application, party: Party, now: domain::Timestamp) -> ApplicationView {
    ApplicationView {
        actions: actions_open(party, app.state),
        clock: app.clock(now),
        registry: party == Party::Registry,
        application: app,
        candidates: Vec::new(),
    }
}

/// An organisation's applications, oldest first.
fn applications_of(txn: &ReadTransaction, org: &str) -> Result<Vec<Application>, EngineError> {
    let Some(index) = open_or_empty(txn, APPLICATIONS_BY_ORG)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in index.range((org, 0)..=(org, u64::MAX))? {
        let (key, _) = item?;
        if let Some(app) = APPLICATIONS.get(txn, key.value().1)? {
            out.push(app);
        }
    }
    Ok(out)
}

/// What the organisation's person may start: nothing while an application is in progress;
/// without a permit in force a data permit or a municipal order; with one (of its own, not the
/// municipalities' blanket permit) its responsible user a change of it.
fn may_start(
    permit: Option<&domain::Permit>,
    responsible: bool,
    applications: &[Application],
    today: domain::Date,
) -> Vec<ApplicationKind> {
    if !applications.iter().all(|a| a.state.decided()) {
        return Vec::new();
    }
    match permit.filter(|p| p.in_force(today)) {
        None => ApplicationKind::NEW.to_vec(),
        Some(p)
            if responsible
                && p.purposes
                    .iter()
                    .all(|g| g.purpose != domain::Purpose::MunicipalTasks) =>
        {
            vec![ApplicationKind::PermitChange]
        }
        Some(_) => Vec::new(),
    }
}

/// Everyone of `org` who has signed in.
fn known_users_of(
    txn: &ReadTransaction,
    org: &str,
) -> Result<Vec<domain::registry::KnownUser>, EngineError> {
    let Some(table) = open_or_empty(txn, KNOWN_USERS.definition())? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in table.range((org, "")..)? {
        let (key, bytes) = item?;
        if key.value().0 != org {
            break;
        }
        out.push(KNOWN_USERS.decode(bytes.value())?);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// An application with its viewer's part in it, if the viewer may see it at all.
fn seen_by(
    app: Option<Application>,
    principal: &Principal,
    staff: bool,
) -> Option<(Application, Party)> {
    app.and_then(|a| party_of(&a, principal, staff).map(|p| (a, p)))
}

fn required(field: Field) -> EngineError {
    EngineError::Rejected(vec![FieldError::new(
        field,
        ValidationError::Required(field),
    )])
}

impl Engine {
    /// The viewer's applications, what they may start, whom they may nominate.
    pub async fn my_applications(&self, actor: &Actor) -> Result<MyApplications, EngineError> {
        self.look(actor, Mine).await
    }

    /// Starts an application of `kind` for the actor's organisation: a draft only they see.
    pub async fn start_application(
        &self,
        actor: &Actor,
        kind: ApplicationKind,
    ) -> Result<ApplicationId, EngineError> {
        self.act(actor, Start { kind }).await
    }

    /// One application as its viewer may see it; anyone else is answered as for a number
    /// nobody has.
    pub async fn application(
        &self,
        actor: &Actor,
        id: ApplicationId,
    ) -> Result<ApplicationView, EngineError> {
        self.look(actor, One { id }).await
    }

    /// Saves the applicant's draft exactly as typed (within the form's size limits), while
    /// the form is theirs to edit. Not a step: a saved draft is not audited (refusals are).
    pub async fn save_draft(
        &self,
        actor: &Actor,
        id: ApplicationId,
        form: ApplicationForm,
    ) -> Result<(), EngineError> {
        principal(actor)?;
        form.fits().map_err(EngineError::Rejected)?;
        self.act(actor, SaveDraft { id, form }).await
    }

    /// Takes one step on an application: the applicant submits or supplements, the registry
    /// asks for more, negotiates, evaluates, grants (with its decision) or rejects. A message
    /// goes on the thread with the step. Answers the application's new state.
    pub async fn application_step(
        &self,
        actor: &Actor,
        id: ApplicationId,
        action: ApplicationAction,
        message: &str,
        decision: Option<DecisionForm>,
    ) -> Result<ApplicationState, EngineError> {
        principal(actor)?;
        let message = parse_message(message).map_err(|e| EngineError::Rejected(vec![e]))?;
        if action.needs_message() && message.is_none() {
            return Err(required(Field::Message));
        }
        self.act(
            actor,
            Step {
                id,
                action,
                message,
                decision,
            },
        )
        .await
    }

    /// Adds a message to an application's thread (negotiation, questions), once submitted.
    pub async fn application_message(
        &self,
        actor: &Actor,
        id: ApplicationId,
        text: &str,
    ) -> Result<(), EngineError> {
        principal(actor)?;
        let Some(text) = parse_message(text).map_err(|e| EngineError::Rejected(vec![e]))? else {
            return Err(required(Field::Message));
        };
        self.act(actor, Say { id, text }).await
    }

    /// The registry's work queue: submitted applications, overdue first, filtered and one
    /// page at a time. Registry staff only.
    pub async fn work_queue(
        &self,
        actor: &Actor,
        filter: QueueFilter,
    ) -> Result<QueuePage, EngineError> {
        self.look(actor, Queue { filter }).await
    }
}

/// The viewer's own applications page.
struct Mine;

impl Query for Mine {
    type Output = MyApplications;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<MyApplications>, EngineError> {
        let txn = records.txn;
        let (principal, now, today) = (who.principal(), who.now(), who.today());
        let org = principal.organisation.as_str();
        let staff = who.is_staff();
        let all = applications_of(txn, org)?;
        let in_force = who.permit().is_some_and(|p| p.in_force(today));
        let mut out = MyApplications {
            registry: staff,
            ..MyApplications::default()
        };
        if !staff {
            out.may_start = may_start(who.permit(), who.is_responsible(), &all, today);
        }
        let granted_mine = all
            .iter()
            .any(|a| a.state == ApplicationState::Granted && a.applicant == principal.subject);
        if granted_mine {
            let rights = crate::store::org_rights(txn, org)?;
            out.responsible = rights
                .into_iter()
                .filter(|r| r.has_role(Role::ResponsibleUser))
                .collect();
            if in_force
                && !out
                    .responsible
                    .iter()
                    .any(|r| r.state == RightState::Active)
            {
                out.nominate = candidates(txn, &principal.organisation)?;
            }
        }
        out.colleague = all
            .iter()
            .rev()
            .find(|a| {
                a.applicant != principal.subject
                    && a.state != ApplicationState::Draft
                    && !a.state.decided()
            })
            .filter(|_| !staff)
            .map(|a| ColleagueApplication {
                id: a.id,
                kind: a.kind,
                state: a.state,
                applicant_name: a.applicant_name.clone(),
            });
        out.applications = all
            .into_iter()
            .filter(|a| a.applicant == principal.subject)
            .rev()
            .map(|a| view(a, Party::Applicant, now))
            .collect();
        Ok(Verdict::quiet(out))
    }
}

/// A new application (a draft).
struct Start {
    kind: ApplicationKind,
}

impl Command for Start {
    type Output = ApplicationId;

    fn apply(
        self,
        txn: &Recording<'_>,
        who: &Standing,
    ) -> Result<Verdict<ApplicationId>, EngineError> {
        let (principal, now, today, kind) = (who.principal(), who.now(), who.today(), self.kind);
        let org = principal.organisation.as_str();
        let mut index = txn.open_table(APPLICATIONS_BY_ORG)?;
        let mut applications = APPLICATIONS.writer(txn)?;
        let mut existing = Vec::new();
        for item in index.range((org, 0)..=(org, u64::MAX))? {
            let (key, _) = item?;
            if let Some(app) = applications.get(key.value().1)? {
                existing.push(app);
            }
        }
        if !may_start(who.permit(), who.is_responsible(), &existing, today).contains(&kind) {
            return Ok(Verdict::refused(
                AuditEvent::ApplicationRefused {
                    application: None,
                    action: None,
                    reason: Denied::AlreadyApplied,
                },
                Denied::AlreadyApplied,
            ));
        }
        // A change starts from what the organisation holds (`change_start`).
        let form = match kind {
            ApplicationKind::PermitChange => {
                let granted = existing
                    .iter()
                    .rev()
                    .find(|a| a.state == ApplicationState::Granted && a.kind.own_scope())
                    .map(|a| &a.form);
                domain::eservice::change_start(granted, who.permit(), who.organisation())
            }
            _ => ApplicationForm {
                organisation: domain::eservice::OrganisationDetails {
                    name: principal.organisation_name.clone(),
                    ..Default::default()
                },
                ..Default::default()
            },
        };
        let id = ApplicationId(applications.last_key()?.map_or(1, |k| k + 1));
        let app = Application {
            id,
            kind,
            organisation: principal.organisation.clone(),
            applicant: principal.subject.clone(),
            applicant_name: principal.name.clone(),
            created: now,
            state: ApplicationState::Draft,
            form,
            events: Vec::new(),
            messages: Vec::new(),
            attachments: Vec::new(),
            permit_number: None,
        };
        applications.insert(id.0, &app)?;
        index.insert((org, id.0), ())?;
        Ok(Verdict::done(
            AuditEvent::ApplicationStarted {
                application: id,
                kind,
            },
            id,
        ))
    }
}

/// One application as its viewer sees it.
struct One {
    id: ApplicationId,
}

impl Query for One {
    type Output = ApplicationView;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<ApplicationView>, EngineError> {
        let (txn, id, principal) = (records.txn, self.id, who.principal());
        let Some((app, party)) = seen_by(APPLICATIONS.get(txn, id.0)?, principal, who.is_staff())
        else {
            return Ok(Verdict::not_found(RecordRef::Application(id)));
        };
        let order = app.kind == ApplicationKind::MunicipalOrder
            && party == Party::Applicant
            && app.state.applicant_edits();
        let mut out = view(app, party, who.now());
        if order {
            out.candidates = known_users_of(txn, principal.organisation.as_str())?;
        }
        Ok(Verdict::quiet(out))
    }
}

/// The applicant's draft saved as typed.
struct SaveDraft {
    id: ApplicationId,
    form: ApplicationForm,
}

impl Command for SaveDraft {
    type Output = ();

    fn apply(self, txn: &Recording<'_>, who: &Standing) -> Result<Verdict<()>, EngineError> {
        let id = self.id;
        let mut applications = APPLICATIONS.writer(txn)?;
        // Someone else's application, or none: a probe, on record.
        let Some(mut app) = applications
            .get(id.0)?
            .filter(|app| party_of(app, who.principal(), false) == Some(Party::Applicant))
        else {
            return Ok(Verdict::not_found(RecordRef::Application(id)));
        };
        if !app.state.applicant_edits() {
            return Ok(Verdict::refused(
                AuditEvent::ApplicationRefused {
                    application: Some(id),
                    action: None,
                    reason: Denied::NotFromThisState,
                },
                Denied::NotFromThisState,
            ));
        }
        app.form = self.form;
        applications.insert(id.0, &app)?;
        Ok(Verdict::quiet(()))
    }
}

/// One step of an application's handling, with its message.
struct Step {
    id: ApplicationId,
    action: ApplicationAction,
    message: Option<String>,
    decision: Option<DecisionForm>,
}

impl Command for Step {
    type Output = ApplicationState;

    fn apply(
        self,
        txn: &Recording<'_>,
        who: &Standing,
    ) -> Result<Verdict<ApplicationState>, EngineError> {
        let Step {
            id,
            action,
            message,
            decision,
        } = self;
        let (principal, now, today) = (who.principal(), who.now(), who.today());
        let refused = |reason| {
            Verdict::refused(
                AuditEvent::ApplicationRefused {
                    application: Some(id),
                    action: Some(action),
                    reason,
                },
                reason,
            )
        };
        let mut applications = APPLICATIONS.writer(txn)?;
        let Some((mut app, party)) = seen_by(applications.get(id.0)?, principal, who.is_staff())
        else {
            return Ok(Verdict::not_found(RecordRef::Application(id)));
        };
        let from = app.state;
        let to = match authorize_step(party, action, from, principal) {
            Ok(to) => to,
            Err(reason) => return Ok(refused(reason)),
        };
        if matches!(
            action,
            ApplicationAction::Submit | ApplicationAction::Supplement
        ) {
            app.form.check(app.kind).map_err(EngineError::Rejected)?;
        }
        if message.is_some() && app.messages.len() >= MESSAGES_MAX {
            return Err(EngineError::Rejected(vec![FieldError::new(
                Field::Message,
                ValidationError::TooLong {
                    field: Field::Message,
                    max: MESSAGES_MAX as u16,
                },
            )]));
        }
        let mut permit = None;
        if action == ApplicationAction::Grant {
            let number = format!("DVV/{}/{}", 500 + id.0, today.year());
            let form = decision.unwrap_or(DecisionForm {
                groups: app.form.needs.iter().map(|n| n.group).collect(),
                valid_until: String::new(),
                two_factor: false,
            });
            let decision = Decision::make(&app, &form, number.clone(), today)
                .map_err(EngineError::Rejected)?;
            if let Err(reason) = grant(txn, &app, &decision, who)? {
                return Ok(refused(reason));
            }
            permit = Some(number);
        }
        if let Some(text) = message {
            app.messages.push(Message {
                at: now,
                by_name: principal.name.clone(),
                party,
                text,
            });
        }
        app.events.push(ApplicationEvent {
            at: now,
            by_name: principal.name.clone(),
            party,
            action,
            from,
            to,
        });
        app.state = to;
        if permit.is_some() {
            app.permit_number = permit.clone();
        }
        applications.insert(id.0, &app)?;
        notify_applicant(txn, &app, action, now)?;
        Ok(Verdict::done(
            AuditEvent::ApplicationStep {
                application: id,
                action,
                from,
                to,
                permit,
            },
            to,
        ))
    }
}

/// Tells the applicant of a step, in the step's transaction: the status mail goes to each
/// contact address of the form once (the outbox sends it; an address that does not parse was
/// never submitted and is skipped).
fn notify_applicant(
    txn: &Recording<'_>,
    app: &Application,
    action: ApplicationAction,
    now: domain::Timestamp,
) -> Result<(), EngineError> {
    let mut addresses: Vec<String> = app
        .form
        .organisation
        .contacts
        .iter()
        .filter_map(|c| domain::contact::parse_email(&c.email).ok())
        .collect();
    addresses.sort();
    addresses.dedup();
    let name = match app.form.organisation.name.trim() {
        "" => app.organisation.as_str(),
        typed => typed,
    };
    let (subject, body) = status_mail(app.id, name, action, app.state);
    let first = crate::store::OUTBOX
        .writer(txn)?
        .last_key()?
        .map_or(1, |k| k + 1);
    for (id, to) in (first..).zip(addresses) {
        let mail = domain::contact::Mail {
            id,
            to,
            subject: subject.clone(),
            body: body.clone(),
            created: now,
            state: domain::contact::MailState::Waiting,
        };
        super::contact::store_mail(txn, None, &mail)?;
    }
    Ok(())
}

/// Writes what a grant makes, in the step's transaction: the organisation as the form
/// describes it, the permit as the decision says, and for a municipal order its nominated
/// responsible user's right, each through the registry's one writer of permits and rights with
/// its line in the history. Refused when a permit is already in force.
fn grant(
    txn: &Recording<'_>,
    app: &Application,
    decision: &Decision,
    who: &Standing,
) -> Result<Result<(), Denied>, EngineError> {
    let org = app.organisation.as_str();
    let old = PERMITS.writer(txn)?.get(org)?;
    let permit = match domain::eservice::granted_permit(
        app.kind,
        decision.permit(&app.organisation),
        old.as_ref(),
        who.today(),
    ) {
        Ok(permit) => permit,
        Err(denied) => return Ok(Err(denied)),
    };
    let Some(organisation) = app.form.organisation_record(&app.organisation) else {
        return Err(EngineError::Rejected(vec![FieldError::new(
            Field::BusinessId,
            ValidationError::Required(Field::BusinessId),
        )]));
    };
    ORGANISATIONS.writer(txn)?.insert(org, &organisation)?;
    // Every grant leaves a line in the permit's history: which permit it replaced (if any) and
    // in which state the old record was.
    let action = match app.kind {
        ApplicationKind::PermitChange => domain::registry::PermitAction::Change,
        ApplicationKind::DataPermit | ApplicationKind::MunicipalOrder => {
            domain::registry::PermitAction::Grant
        }
    };
    let numbers = match &old {
        Some(old) => format!("{} → {}", old.number, permit.number),
        None => permit.number.clone(),
    };
    let reason = Reason::parse(&numbers).ok().flatten();
    let states = (
        old.as_ref().map(|p| RecordState::Permit(p.state)),
        RecordState::Permit(permit.state),
    );
    write_record(
        txn,
        who,
        Change::Permit {
            organisation: app.organisation.clone(),
            action,
        },
        states,
        reason.clone(),
        Some(Written::Permit(permit)),
    )?;
    if app.kind == ApplicationKind::MunicipalOrder {
        let nominee = app.form.nominee.as_deref().unwrap_or_default();
        let Some(known) = KNOWN_USERS.writer(txn)?.get((org, nominee))? else {
            return Err(EngineError::Rejected(vec![FieldError::new(
                Field::Nominee,
                ValidationError::Choose(Field::Nominee),
            )]));
        };
        let existing = RIGHTS.writer(txn)?.get((org, known.subject.as_str()))?;
        let right = domain::registry::nominated_right(&known, existing.as_ref());
        let states = (
            existing.map(|r| RecordState::Right(r.state)),
            RecordState::Right(right.state),
        );
        write_record(
            txn,
            who,
            Change::Propose {
                organisation: app.organisation.clone(),
                user: known.subject.clone(),
                roles: right.roles.clone(),
            },
            states,
            reason,
            Some(Written::Right(right)),
        )?;
    }
    Ok(Ok(()))
}

/// A message on an application's thread.
struct Say {
    id: ApplicationId,
    text: String,
}

impl Command for Say {
    type Output = ();

    fn apply(self, txn: &Recording<'_>, who: &Standing) -> Result<Verdict<()>, EngineError> {
        let (id, principal) = (self.id, who.principal());
        let mut applications = APPLICATIONS.writer(txn)?;
        let Some((mut app, party)) = seen_by(applications.get(id.0)?, principal, who.is_staff())
        else {
            return Ok(Verdict::not_found(RecordRef::Application(id)));
        };
        if app.state == ApplicationState::Draft || app.messages.len() >= MESSAGES_MAX {
            return Ok(Verdict::refused(
                AuditEvent::ApplicationRefused {
                    application: Some(id),
                    action: None,
                    reason: Denied::NotFromThisState,
                },
                Denied::NotFromThisState,
            ));
        }
        app.messages.push(Message {
            at: who.now(),
            by_name: principal.name.clone(),
            party,
            text: self.text,
        });
        applications.insert(id.0, &app)?;
        Ok(Verdict::done(
            AuditEvent::ApplicationMessage { application: id },
            (),
        ))
    }
}

/// The registry's work queue, one page.
struct Queue {
    filter: QueueFilter,
}

impl Query for Queue {
    type Output = QueuePage;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<QueuePage>, EngineError> {
        let filter = self.filter;
        if !who.is_staff() {
            return Ok(Verdict::service_refused(Denied::RegistryStaffOnly));
        }
        let Some(table) = open_or_empty(records.txn, APPLICATIONS.definition())? else {
            return Ok(Verdict::quiet(QueuePage::default()));
        };
        let mut items = Vec::new();
        for item in table.iter()? {
            let (_, bytes) = item?;
            let app = APPLICATIONS.decode(bytes.value())?;
            let item = QueueItem {
                id: app.id,
                kind: app.kind,
                organisation_name: app.form.organisation.name.clone(),
                org_kind: app.form.organisation.kind,
                state: app.state,
                submitted: app
                    .events
                    .iter()
                    .find(|e| e.action == ApplicationAction::Submit)
                    .map(|e| e.at),
                clock: app.clock(who.now()),
            };
            if filter.admits(&item) {
                items.push(item);
            }
        }
        items.sort_by(QueueItem::order);
        let total = u32::try_from(items.len()).unwrap_or(u32::MAX);
        let start = usize::try_from(filter.page.saturating_mul(QUEUE_PAGE)).unwrap_or(usize::MAX);
        Ok(Verdict::quiet(QueuePage {
            items: items
                .into_iter()
                .skip(start)
                .take(QUEUE_PAGE as usize)
                .collect(),
            total,
            page: filter.page,
            per_page: QUEUE_PAGE,
        }))
    }
}
