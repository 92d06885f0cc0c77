//! The gate's second door: every change of the registry's records (rights, permits,
//! applications, questions, notices, subscriptions, documents) is a [`Command`] run by
//! [`Engine::act`], and every read of them (the management page, applications, questions,
//! usage and fees reports, files) a [`Query`] run by [`Engine::look`]. Both work out the
//! caller's [`Standing`] inside the transaction that acts or reads, let the service decide from
//! it, and make the audit entry durable before anything is committed or returned: a change the
//! trail cannot record is not made, a refusal leaves nothing written and is on record, a record
//! that is not the caller's is answered exactly as one that does not exist.
//!
//! Effects a change has beyond the register (the sessions of a blocked user) are part of its
//! verdict and run by the gate once the change is committed, whoever asked for it.

use super::standing::{Standing, TrailReader};
use crate::audit::AuditLog;
use crate::error::EngineError;
use crate::gate::{Engine, Seal};
use crate::links::Links;
use domain::Actor;
use domain::access::Denied;
use domain::audit::{AuditEvent, RecordRef, SessionEvent};
use domain::principal::{OrgId, UserId};
use redb::{ReadTransaction, ReadableDatabase};

/// Why a command or query was not carried out, as the caller is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Denied(Denied),
    /// Not the caller's to see, or nothing at all: the same answer either way.
    NotFound,
}

/// Something a change sets going beyond the register, once it is committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    /// End every session `user` holds in `organisation` (a block: nothing they have open
    /// stays on screen). Recorded with how many ended.
    EndSessions {
        organisation: OrgId,
        user: UserId,
        /// Who blocked them: their ended sessions' browsers are told.
        by_name: String,
    },
}

/// What a command or query decided: the audit event to make durable (`None`: nothing worth
/// recording, such as a draft saved as typed or a page listing what the caller may see), the
/// answer or the refusal, and the effects to run once committed.
#[must_use]
pub(crate) struct Verdict<T> {
    event: Option<AuditEvent>,
    outcome: Result<T, Refusal>,
    effects: Vec<Effect>,
}

impl<T> Verdict<T> {
    /// Carried out, with the event that records it.
    pub(crate) fn done(event: AuditEvent, value: T) -> Verdict<T> {
        Verdict {
            event: Some(event),
            outcome: Ok(value),
            effects: Vec::new(),
        }
    }

    /// Carried out, with nothing to record.
    pub(crate) fn quiet(value: T) -> Verdict<T> {
        Verdict {
            event: None,
            outcome: Ok(value),
            effects: Vec::new(),
        }
    }

    /// Refused for `reason`, recorded as `event`.
    pub(crate) fn refused(event: AuditEvent, reason: Denied) -> Verdict<T> {
        Verdict {
            event: Some(event),
            outcome: Err(Refusal::Denied(reason)),
            effects: Vec::new(),
        }
    }

    /// A service request (contact, notices, fees, usage, attestation…) refused for `reason`.
    pub(crate) fn service_refused(reason: Denied) -> Verdict<T> {
        Verdict::refused(AuditEvent::ServiceRefused { reason }, reason)
    }

    /// `record` was asked for and is not the caller's to see, or does not exist: on record,
    /// answered as not found either way.
    pub(crate) fn not_found(record: RecordRef) -> Verdict<T> {
        Verdict {
            event: Some(AuditEvent::RecordNotFound { record }),
            outcome: Err(Refusal::NotFound),
            effects: Vec::new(),
        }
    }

    /// The same verdict with an effect to run once committed.
    pub(crate) fn then(mut self, effect: Effect) -> Verdict<T> {
        self.effects.push(effect);
        self
    }
}

/// One kind of change. `apply` decides from the caller's standing and writes inside the
/// write transaction it is given (nothing of it is committed unless the verdict carries it
/// out and its entry is durable). An `Err` is a failure or input rejected before any decision
/// (a form's rules): nothing is written and nothing recorded.
pub(crate) trait Command {
    type Output;
    fn apply(
        self,
        txn: &crate::store::Recording<'_>,
        who: &Standing,
    ) -> Result<Verdict<Self::Output>, EngineError>;
}

/// What a query reads with: the registry's records in one snapshot, the audit trail's
/// counters (reports), and the key that seals links handed out.
pub(crate) struct Records<'a> {
    pub(crate) txn: &'a ReadTransaction,
    pub(crate) audit: &'a AuditLog,
    pub(crate) links: &'a Links,
}

impl<'a> Records<'a> {
    /// The register as a reader of the audit trail sees it: the codes and names of the
    /// subjects in the rows (masked as `reader` says) and a typed identity code's person.
    /// Only a caller the gate found may read the trail holds a [`TrailReader`].
    pub(crate) fn trail_names(&self, reader: &TrailReader) -> TrailNames<'a> {
        TrailNames {
            txn: self.txn,
            unmasked: reader.unmasked,
        }
    }
}

/// The register's snapshot for naming the subjects of a trail reader's rows.
pub(crate) struct TrailNames<'a> {
    txn: &'a ReadTransaction,
    unmasked: bool,
}

impl TrailNames<'_> {
    /// Persons under a protection order are named, not masked.
    pub(crate) fn unmasked(&self) -> bool {
        self.unmasked
    }
}

impl crate::store::Snapshot for TrailNames<'_> {
    fn txn(&self) -> &ReadTransaction {
        self.txn
    }
}

/// One kind of read of the registry's records. `read` decides from the caller's standing,
/// read in the same snapshot, and reads.
pub(crate) trait Query {
    type Output;
    /// A report (usage statistics, fees): the per-user report rate applies first.
    const REPORT: bool = false;
    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<Self::Output>, EngineError>;
}

fn answer<T>(outcome: Result<T, Refusal>) -> Result<T, EngineError> {
    outcome.map_err(|refusal| match refusal {
        Refusal::Denied(reason) => EngineError::Denied(reason),
        Refusal::NotFound => EngineError::NotFound,
    })
}

impl Engine {
    /// Runs one command: takes the write turn, reads the caller's standing in the write
    /// transaction, lets the command decide and write, makes its entry durable, then commits
    /// (carried out) or drops (refused) the transaction, and runs its effects.
    pub(crate) async fn act<C: Command>(
        &self,
        actor: &Actor,
        command: C,
    ) -> Result<C::Output, EngineError> {
        super::standing::principal_of(actor)?;
        self.records_caught_up().await?;
        let now = self.clock().now();
        let txn = self.write().await?;
        let decided_at = super::records::records_position(&txn)?;
        let who = Standing::written(&txn, actor, now)?;
        let (verdict, writes) = {
            let recording = crate::store::Recording::new(&txn);
            let verdict = command.apply(&recording, &who)?;
            (verdict, recording.into_writes())
        };
        let entry = verdict
            .event
            .map(|event| self.entry_at(now, actor, actor.purpose, event));
        match verdict.outcome {
            Ok(value) => {
                if let Some(entry) = entry {
                    self.inner.audit.append(entry, Seal(())).await?;
                }
                self.commit_records(txn, decided_at, writes).await?;
                for effect in verdict.effects {
                    self.run(actor, effect).await?;
                }
                Ok(value)
            }
            Err(refusal) => {
                // Nothing of a refused command is kept; the turn is given up before the wait.
                drop(txn);
                if let Some(entry) = entry {
                    self.inner.audit.append(entry, Seal(())).await?;
                }
                answer(Err(refusal))
            }
        }
    }

    /// Runs one query: reads the caller's standing and the records in one snapshot, makes the
    /// entry durable, then answers.
    pub(crate) async fn look<Q: Query>(
        &self,
        actor: &Actor,
        query: Q,
    ) -> Result<Q::Output, EngineError> {
        super::standing::principal_of(actor)?;
        if Q::REPORT {
            self.admit_report(actor).await?;
        }
        let now = self.clock().now();
        let verdict = {
            let txn = self.inner.register.begin_read()?;
            let who = Standing::read(&txn, actor, now)?;
            let records = Records {
                txn: &txn,
                audit: &self.inner.audit,
                links: &self.inner.links,
            };
            query.read(&records, &who)?
        };
        if let Some(event) = verdict.event {
            self.inner
                .audit
                .append(self.entry_at(now, actor, actor.purpose, event), Seal(()))
                .await?;
        }
        answer(verdict.outcome)
    }

    /// Runs an effect of a committed change.
    async fn run(&self, actor: &Actor, effect: Effect) -> Result<(), EngineError> {
        match effect {
            Effect::EndSessions {
                organisation,
                user,
                by_name,
            } => {
                let Some(sessions) = self.inner.sessions.get().cloned() else {
                    // An engine without a session store (the generator, benches) has no
                    // sessions to end.
                    return Ok(());
                };
                let subject = user.clone();
                let by = crate::sessions::EndedBy {
                    by_name,
                    at: self.inner.clock.now(),
                };
                let ended = tokio::task::spawn_blocking(move || {
                    sessions.end_blocked(
                        subject.as_str(),
                        |s| s.principal.organisation == organisation,
                        by,
                    )
                })
                .await??;
                if ended > 0 {
                    let event = SessionEvent::SessionsEnded {
                        user: user.to_string(),
                        count: u32::try_from(ended).unwrap_or(u32::MAX),
                    };
                    self.record(actor, event).await?;
                }
                Ok(())
            }
        }
    }
}
