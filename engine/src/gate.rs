//! The gate: the one way into the register and the registry's records. Register data leaves
//! the engine only through [`Engine::execute`]: every operation (a screen, a search) runs the
//! same pipeline in one read snapshot: read the organisation's permit, `authorize`, read
//! through a [`GrantedTxn`] (a capability only this module makes), redact for the grant, append
//! the audit entry and wait until it is durable, and only then return. A denial is audited and
//! reads nothing. If the entry cannot be written, the request fails with `Unavailable` and the
//! data read is dropped unreturned.
//!
//! The entry is written after the read so that it records what was actually disclosed (the
//! hits of a search, whether location data was withheld, a subject that does not exist);
//! nothing leaves the engine before the entry is durable, so the order does not weaken the
//! guarantee.
//!
//! The registry's own records (permits, rights, applications, questions, notices, documents,
//! reports) are changed and read through the second door, [`command`]: `Engine::act` and
//! `Engine::look`, with the caller's standing read in the same transaction ([`standing`]).
//! Only this module holds the register's database and makes a [`Seal`], the one thing the
//! audit trail is appended with.

pub(crate) mod command;
pub(crate) mod feed;
mod follow;
mod read;
mod records;
pub(crate) mod standing;

pub use feed::FEED_TASK;
pub(crate) use read::Sealed;
pub use read::{GrantedTxn, Operation};

use crate::audit::AuditLog;
use crate::clock::Clock;
use crate::error::EngineError;
use crate::links::Links;
use crate::store;
#[cfg(any(test, feature = "test-support"))]
use crate::store::{PERMITS, RIGHTS};
#[cfg(any(test, feature = "test-support"))]
use domain::Permit;
#[cfg(any(test, feature = "test-support"))]
use domain::access::PersonalRight;
use domain::audit::{AuditActor, AuditEntry, AuditEvent, SessionEvent};
use domain::{Actor, Date, Purpose, Timestamp};
use redb::{Database, ReadTransaction, ReadableDatabase};
use std::path::Path;
use std::sync::Arc;

/// The right to append to the audit trail ([`AuditLog::append`]). Made only in the gate, so
/// that every entry is written by the pipeline that decides what it records: a read's, a
/// command's or a query's, or an event without data. Its field is private to the gate's
/// module, so no other module (a service in this crate no more than code outside it) can
/// make one:
///
/// ```compile_fail,E0423
/// async fn forge(log: &engine::AuditLog, entry: domain::audit::AuditEntry) {
///     let _ = log.append(entry, engine::Seal(())).await;
/// }
/// ```
///
/// Handed one, the same call compiles (so the refusal above is the seal's, not a typo's):
///
/// ```
/// async fn relay(log: &engine::AuditLog, entry: domain::audit::AuditEntry, seal: engine::Seal) {
///     let _ = log.append(entry, seal).await;
/// }
/// ```
pub struct Seal(());

#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    register: Database,
    audit: AuditLog,
    clock: Arc<dyn Clock>,
    links: Links,
    /// Whose turn it is to write the register. redb has one writer at a time and its
    /// `begin_write` blocks the thread; a request holds its write transaction across the
    /// audit append (an await), so a second writer blocking a runtime worker meanwhile could
    /// stall every worker (found by the fuzz test: two concurrent changes hung the service).
    /// Requests wait for their turn here, asynchronously, instead.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Query rates per user and organisation, and the identity-code sweep watch.
    watch: crate::watch::Watch,
    /// The sign-in sessions, once the server has attached them: a block ends the blocked
    /// user's sessions as part of the change.
    sessions: std::sync::OnceLock<crate::sessions::SessionStore>,
    /// The cluster mode's journal (none: the embedded default).
    journal: Option<Arc<dyn crate::journal::Journal>>,
    /// What this node has applied of the journal's change stream.
    followed: tokio::sync::watch::Sender<feed::Followed>,
    /// The record stream position this node has applied.
    records_followed: tokio::sync::watch::Sender<u64>,
}

/// A register write transaction taken in turn (see `Inner::writer`): the turn ends when this
/// is committed or dropped.
struct Writing {
    txn: redb::WriteTransaction,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl std::ops::Deref for Writing {
    type Target = redb::WriteTransaction;
    fn deref(&self) -> &redb::WriteTransaction {
        &self.txn
    }
}

impl Writing {
    fn commit(self) -> Result<(), redb::CommitError> {
        self.txn.commit()
    }
}

/// The schema recorded in the register file at `path` (no server may have it open).
pub fn register_schema(path: &Path) -> Result<Option<String>, EngineError> {
    let db = store::open_checked(path, 16 * 1024 * 1024)?;
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
        Engine::open_with_cache(register, audit, clock, DEFAULT_REGISTER_CACHE)
    }

    /// [`Engine::open`] with redb's page cache for the register set to `cache_bytes` (its
    /// ceiling; memory is taken as pages are read). A cache that holds the whole file saves a
    /// system call and a copy on every page read.
    pub fn open_with_cache(
        register: &Path,
        audit: AuditLog,
        clock: Arc<dyn Clock>,
        cache_bytes: usize,
    ) -> Result<Engine, EngineError> {
        if !register.exists() {
            return Err(EngineError::Invalid(format!(
                "there is no register at {}; create one with `server generate`",
                register.display()
            )));
        }
        let db = crate::store::open_checked(register, cache_bytes)?;
        let found = store::schema(&db.begin_read()?)?;
        if found.as_deref() != Some(store::REGISTER_SCHEMA) {
            return Err(EngineError::Invalid(format!(
                "the register at {} has schema {}, this version reads {}; generate a new one with `server generate` (make run does it when the file is missing)",
                register.display(),
                found.as_deref().unwrap_or("none"),
                store::REGISTER_SCHEMA
            )));
        }
        Engine::new(db, audit, clock)
    }

    /// An engine over an open register; a register without a link key gets one.
    pub fn new(
        register: Database,
        audit: AuditLog,
        clock: Arc<dyn Clock>,
    ) -> Result<Engine, EngineError> {
        let links = Links::load_or_create(&register)?;
        Ok(Engine {
            inner: Arc::new(Inner {
                register,
                audit,
                clock,
                links,
                writer: Arc::new(tokio::sync::Mutex::new(())),
                watch: crate::watch::Watch::new(crate::watch::QueryLimits::default()),
                sessions: std::sync::OnceLock::new(),
                journal: None,
                followed: tokio::sync::watch::Sender::new(feed::Followed::default()),
                records_followed: tokio::sync::watch::Sender::new(0),
            }),
        })
    }

    /// The same engine with other query limits; only before it is shared (at start-up).
    pub fn with_query_limits(
        mut self,
        limits: crate::watch::QueryLimits,
    ) -> Result<Engine, EngineError> {
        let inner = Arc::get_mut(&mut self.inner).ok_or_else(|| {
            EngineError::Invalid("query limits are set before the engine is shared".into())
        })?;
        inner.watch = crate::watch::Watch::new(limits);
        Ok(self)
    }

    /// The same engine in the cluster mode: register changes go through `journal` (its audit
    /// trail is opened on the same journal by [`AuditLog::open_replicated`]); only before it
    /// is shared (at start-up). The server then runs [`Engine::follow_journal`].
    pub fn with_journal(
        mut self,
        journal: Arc<dyn crate::journal::Journal>,
    ) -> Result<Engine, EngineError> {
        let inner = Arc::get_mut(&mut self.inner).ok_or_else(|| {
            EngineError::Invalid("the journal is set before the engine is shared".into())
        })?;
        inner.journal = Some(journal);
        Ok(self)
    }

    /// Attaches the sign-in sessions (once, at start-up), so that the changes that end
    /// sessions can end them.
    pub fn attach_sessions(&self, sessions: crate::sessions::SessionStore) {
        // A second attach keeps the first store: there is one per server.
        let _ = self.inner.sessions.set(sessions);
    }

    /// The subject behind a link (tests; the server opens links only inside the gate).
    #[cfg(any(test, feature = "test-support"))]
    pub fn open_link(&self, link: &domain::SubjectLink) -> Option<domain::SubjectRef> {
        self.inner.links.open(link)
    }

    /// The link the browser would hold for a subject (tests).
    #[cfg(any(test, feature = "test-support"))]
    pub fn link_to(&self, subject: domain::SubjectRef) -> Result<domain::SubjectLink, EngineError> {
        self.inner.links.seal(subject)
    }

    /// The key that seals the subject links handed to the browser.
    pub(crate) fn links(&self) -> &Links {
        &self.inner.links
    }

    /// The audit trail, for health checks and verification (it cannot append through this).
    pub fn audit(&self) -> &AuditLog {
        &self.inner.audit
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    fn today(&self) -> Date {
        self.inner.clock.now().date_in_finland()
    }

    /// A read transaction of the registry's records for the engine's own service tasks (the
    /// mail worker): register data is not readable through it (its tables take a
    /// [`crate::store::Snapshot`], which only the gate and operator tools make).
    pub(crate) fn service_read(&self) -> Result<ReadTransaction, EngineError> {
        Ok(self.inner.register.begin_read()?)
    }

    /// A write transaction of the registry's records for the engine's service tasks, taken on
    /// a blocking thread (the mail worker's bookkeeping; nothing a user asked for). Like
    /// [`Engine::service_read`], it cannot touch register data.
    /// Answers the record stream position the transaction's records reflect, for
    /// [`Engine::commit_records_blocking`].
    pub(crate) fn service_write(&self) -> Result<(redb::WriteTransaction, u64), EngineError> {
        let txn = self.inner.register.begin_write()?;
        let at = records::records_position(&txn)?;
        Ok((txn, at))
    }

    fn entry(&self, actor: &Actor, purpose: Option<Purpose>, event: AuditEvent) -> AuditEntry {
        self.entry_at(self.inner.clock.now(), actor, purpose, event)
    }

    fn entry_at(
        &self,
        at: Timestamp,
        actor: &Actor,
        purpose: Option<Purpose>,
        event: AuditEvent,
    ) -> AuditEntry {
        AuditEntry {
            at,
            actor: AuditActor::from(actor),
            purpose,
            case_ref: actor.case_ref.clone(),
            event,
        }
    }

    /// Records an event that carries no register data (sign-in, sign-out). Data events are
    /// written only by [`Engine::execute`].
    pub async fn record(&self, actor: &Actor, event: SessionEvent) -> Result<(), EngineError> {
        let signed_in = matches!(event, SessionEvent::LoginSucceeded { .. });
        let entry = self.entry(actor, actor.purpose, event.into());
        self.inner.audit.append(entry, Seal(())).await?;
        if let (true, Some(principal)) = (signed_in, actor.principal()) {
            self.note_known_user(principal).await?;
        }
        Ok(())
    }

    /// A register write transaction, once it is this request's turn to write (without
    /// blocking a runtime thread while another request holds one).
    async fn write(&self) -> Result<Writing, EngineError> {
        let turn = self.inner.writer.clone().lock_owned().await;
        let txn = self.inner.register.begin_write()?;
        Ok(Writing { txn, _turn: turn })
    }

    /// Remembers who signed in (name and organisation as the provider said), so that a
    /// responsible user can propose them: nobody is proposed by a typed id.
    async fn note_known_user(&self, principal: &domain::Principal) -> Result<(), EngineError> {
        let known = domain::registry::KnownUser {
            subject: principal.subject.clone(),
            name: principal.name.clone(),
            organisation: principal.organisation.clone(),
            last_seen: self.inner.clock.now(),
        };
        self.records_caught_up().await?;
        let txn = self.write().await?;
        let decided_at = records::records_position(&txn)?;
        let recording = store::Recording::new(&txn);
        store::KNOWN_USERS.writer(&recording)?.insert(
            (principal.organisation.as_str(), principal.subject.as_str()),
            &known,
        )?;
        let writes = recording.into_writes();
        self.commit_records(txn, decided_at, writes).await
    }

    /// Holds the write turn until the guard is dropped (tests: a change made while a request
    /// waits for its turn to write).
    #[cfg(any(test, feature = "test-support"))]
    pub async fn hold_writes(&self) -> tokio::sync::OwnedMutexGuard<()> {
        self.inner.writer.clone().lock_owned().await
    }

    /// Puts a personal right in place as given, past the registry's change rules (tests only:
    /// a state that would take many commands to reach, or one the rules would never allow, to
    /// show it is refused). Takes effect on the user's next request.
    #[cfg(any(test, feature = "test-support"))]
    pub fn put_right(&self, right: &PersonalRight) -> Result<(), EngineError> {
        let txn = self.inner.register.begin_write()?;
        RIGHTS
            .raw_writer(&txn)?
            .insert((right.organisation.as_str(), right.user.as_str()), right)?;
        txn.commit()?;
        Ok(())
    }

    /// Puts an organisation's permit in place as given, past the registry's change rules (tests
    /// only, as [`Engine::put_right`]). Takes effect on the next request.
    #[cfg(any(test, feature = "test-support"))]
    pub fn put_permit(&self, permit: &Permit) -> Result<(), EngineError> {
        let txn = self.inner.register.begin_write()?;
        PERMITS
            .raw_writer(&txn)?
            .insert(permit.organisation.as_str(), permit)?;
        txn.commit()?;
        Ok(())
    }

    /// Changes one person's record in place (tests: data the generator does not make, such as
    /// a contact address at the person's own post office). Not for indexed fields.
    #[cfg(any(test, feature = "test-support"))]
    pub fn edit_person(
        &self,
        subject: domain::SubjectRef,
        edit: impl FnOnce(&mut domain::model::Person),
    ) -> Result<(), EngineError> {
        let domain::SubjectRef::Person(id) = subject else {
            return Err(EngineError::NotFound);
        };
        let txn = store::Generating::begin(&self.inner.register)?;
        {
            let mut persons = store::PERSONS.writer(&txn)?;
            let mut person = persons.get(id.0)?.ok_or(EngineError::NotFound)?;
            edit(&mut person);
            persons.insert(id.0, &person)?;
        }
        txn.commit()?;
        Ok(())
    }

    /// An organisation's permit as recorded (tests).
    #[cfg(any(test, feature = "test-support"))]
    pub fn permit_of(&self, org: &str) -> Result<Option<Permit>, EngineError> {
        PERMITS.get(&self.inner.register.begin_read()?, org)
    }

    /// A user's personal right in an organisation as recorded (tests).
    #[cfg(any(test, feature = "test-support"))]
    pub fn right(&self, org: &str, user: &str) -> Result<Option<PersonalRight>, EngineError> {
        RIGHTS.get(&self.inner.register.begin_read()?, (org, user))
    }

    /// Removes a user's right in an organisation (tests).
    #[cfg(any(test, feature = "test-support"))]
    pub fn remove_right(&self, org: &str, user: &str) -> Result<(), EngineError> {
        let txn = self.inner.register.begin_write()?;
        RIGHTS.raw_writer(&txn)?.remove((org, user))?;
        txn.commit()?;
        Ok(())
    }
}

/// redb's page cache for the register unless configured: the hot part of a Finland-scale
/// register (indexes and the most-read records) fits, the rest comes from the OS page cache.
pub const DEFAULT_REGISTER_CACHE: usize = 2_147_483_648; // 2 GiB
