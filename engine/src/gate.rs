//! The gate: the one way register data leaves the engine. For every request, in one read
//! snapshot: read the subject's flags and the organisation's permit, `authorize`, append the
//! audit entry and wait until it is durable, read, redact. A denial is audited too. If the audit
//! entry cannot be written, the request fails with `Unavailable` and returns nothing.

use crate::audit::AuditLog;
use crate::clock::Clock;
use crate::error::EngineError;
use crate::screens;
use crate::store::{self, PERMITS};
use domain::access::{Request, SubjectFlags};
use domain::audit::{AuditActor, AuditEntry, AuditEvent};
use domain::screen::PersonId;
use domain::{Actor, Hetu, ScreenData, ScreenId, SubjectRef, authorize};
use redb::{Database, ReadableDatabase};
use std::path::Path;
use std::sync::Arc;

#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    register: Database,
    audit: AuditLog,
    clock: Arc<dyn Clock>,
}

/// The schema recorded in the register file at `path` (no server may have it open).
pub fn register_schema(path: &Path) -> Result<Option<String>, EngineError> {
    let db = Database::open(path)?;
    let txn = db.begin_read()?;
    store::schema(&txn)
}

impl Engine {
    /// Opens a register made by this version's generator next to an open audit trail. A
    /// missing file or one with another schema is refused with a message saying what to do.
    pub fn open(
        register: &Path,
        audit: AuditLog,
        clock: Arc<dyn Clock>,
    ) -> Result<Engine, EngineError> {
        if !register.exists() {
            return Err(EngineError::Invalid(format!(
                "there is no register at {}; create one with `server generate`",
                register.display()
            )));
        }
        let db = Database::open(register)?;
        let found = store::schema(&db.begin_read()?)?;
        if found.as_deref() != Some(store::REGISTER_SCHEMA) {
            return Err(EngineError::Invalid(format!(
                "the register at {} has schema {}, this version reads {}; generate a new one with `server generate` (make run does it when the file is missing)",
                register.display(),
                found.as_deref().unwrap_or("none"),
                store::REGISTER_SCHEMA
            )));
        }
        Ok(Engine::new(db, audit, clock))
    }

    pub fn new(register: Database, audit: AuditLog, clock: Arc<dyn Clock>) -> Engine {
        Engine {
            inner: Arc::new(Inner {
                register,
                audit,
                clock,
            }),
        }
    }

    pub fn audit(&self) -> &AuditLog {
        &self.inner.audit
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    fn entry(
        &self,
        actor: &Actor,
        purpose: Option<domain::Purpose>,
        event: AuditEvent,
    ) -> AuditEntry {
        AuditEntry {
            at: self.inner.clock.now(),
            actor: AuditActor::from(actor),
            purpose,
            event,
        }
    }

    /// Records an event that touches no register data (login, logout).
    pub async fn record(&self, actor: &Actor, event: AuditEvent) -> Result<(), EngineError> {
        let entry = self.entry(actor, actor.purpose, event);
        self.inner.audit.append(entry).await.map(|_| ())
    }

    /// Finds a person by identity code. Returns only the reference to the person's screens.
    pub async fn search_person(
        &self,
        actor: &Actor,
        hetu: Hetu,
    ) -> Result<SubjectRef, EngineError> {
        let engine = self.clone();
        let actor = actor.clone();
        tokio::task::spawn_blocking(move || engine.search_person_blocking(&actor, hetu)).await?
    }

    fn search_person_blocking(&self, actor: &Actor, hetu: Hetu) -> Result<SubjectRef, EngineError> {
        let txn = self.inner.register.begin_read()?;
        let permit = match actor.organisation() {
            Some(org) => PERMITS.get(&txn, org.0.as_str())?,
            None => None,
        };
        let today = self.inner.clock.now().date_in_finland();
        let request = Request::SearchPerson;
        let grant = match authorize(
            actor,
            permit.as_ref(),
            request,
            SubjectFlags::default(),
            today,
        ) {
            Ok(grant) => grant,
            Err(reason) => {
                let event = AuditEvent::AccessDenied {
                    what: "search.person".into(),
                    subject: None,
                    reason,
                };
                self.inner
                    .audit
                    .append_blocking(self.entry(actor, actor.purpose, event))?;
                return Err(EngineError::Denied(reason));
            }
        };
        let found = store::person_id_by_hetu(&txn, &hetu.to_string())?
            .map(|id| SubjectRef::Person(PersonId(id)));
        let event = AuditEvent::SearchRun { found };
        self.inner
            .audit
            .append_blocking(self.entry(actor, Some(grant.purpose()), event))?;
        found.ok_or(EngineError::NotFound)
    }

    /// Opens one screen of one subject.
    pub async fn load_screen(
        &self,
        actor: &Actor,
        screen: ScreenId,
        subject: SubjectRef,
    ) -> Result<ScreenData, EngineError> {
        let engine = self.clone();
        let actor = actor.clone();
        tokio::task::spawn_blocking(move || engine.load_screen_blocking(&actor, screen, subject))
            .await?
    }

    fn load_screen_blocking(
        &self,
        actor: &Actor,
        screen: ScreenId,
        subject: SubjectRef,
    ) -> Result<ScreenData, EngineError> {
        let txn = self.inner.register.begin_read()?;
        let permit = match actor.organisation() {
            Some(org) => PERMITS.get(&txn, org.0.as_str())?,
            None => None,
        };
        let today = self.inner.clock.now().date_in_finland();
        let flags = if screen.spec().subject == subject.kind() {
            screens::subject_flags(&txn, subject, today)?
        } else {
            None
        };
        let request = Request::Screen { screen, subject };
        let grant = match authorize(
            actor,
            permit.as_ref(),
            request,
            flags.unwrap_or_default(),
            today,
        ) {
            Ok(grant) => grant,
            Err(reason) => {
                let event = AuditEvent::AccessDenied {
                    what: screen.spec().slug.into(),
                    subject: Some(subject),
                    reason,
                };
                self.inner
                    .audit
                    .append_blocking(self.entry(actor, actor.purpose, event))?;
                return Err(EngineError::Denied(reason));
            }
        };
        if flags.is_none() {
            let event = AuditEvent::ScreenNotFound { screen, subject };
            self.inner
                .audit
                .append_blocking(self.entry(actor, Some(grant.purpose()), event))?;
            return Err(EngineError::NotFound);
        }
        let event = AuditEvent::ScreenViewed {
            screen,
            subject,
            location_withheld: grant.withhold_subject_location(),
        };
        self.inner
            .audit
            .append_blocking(self.entry(actor, Some(grant.purpose()), event))?;
        let data = screens::read(&txn, &grant, today)?;
        Ok(screens::redact(data, &grant))
    }
}
