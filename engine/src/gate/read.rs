//! The gate's first door: reads of register data. Every operation (a screen, a search) runs
//! one pipeline in one read snapshot: admit by the query rates, read the organisation's permit
//! and the user's right, `authorize`, read through a [`GrantedTxn`] (a capability only this
//! module makes), redact for the grant, append the audit entry and wait until it is durable,
//! and only then return. The menus (`allowed`) are made from the same inputs.

use super::{Engine, Seal};
use crate::error::EngineError;
use crate::links::Links;
use crate::store::{self, PERMITS, RIGHTS, Snapshot};
use domain::access::{Allowed, PersonalRight, Request, allowed};
use domain::audit::{AuditEntry, AuditEvent};
use domain::{Actor, Date, Denied, Grant, Permit, Search, Timestamp, authorize};
use redb::{ReadTransaction, ReadableDatabase};

/// A read snapshot of the register inside an authorised request: the only way to read it.
/// Made only by [`Engine::execute`]; the store's lookups and every read take it.
pub struct GrantedTxn<'a> {
    txn: &'a ReadTransaction,
    grant: &'a Grant,
    now: Timestamp,
}

impl GrantedTxn<'_> {
    pub(crate) fn grant(&self) -> &Grant {
        self.grant
    }

    /// Today in Finland by the engine's clock.
    pub(crate) fn today(&self) -> Date {
        self.now.date_in_finland()
    }

    /// The request's time by the engine's clock.
    pub(crate) fn now(&self) -> Timestamp {
        self.now
    }
}

impl Snapshot for GrantedTxn<'_> {
    fn txn(&self) -> &ReadTransaction {
        self.txn
    }
}

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// One kind of request the gate runs: what it asks the policy, how it reads, how its result
/// is redacted for the grant and what the audit trail records of it. Sealed: every operation
/// lives in this crate.
pub trait Operation: Sealed {
    /// What the read yields before redaction.
    type Raw;
    /// What the caller receives.
    type Output;
    /// What the policy decides on.
    fn request(&self) -> Request;
    /// Reads from the granted snapshot.
    fn read(&self, txn: &GrantedTxn<'_>) -> Result<Self::Raw, EngineError>;
    /// Applies the grant (protection orders) to what was read, and seals every subject it
    /// names into an opaque link.
    fn redact(
        &self,
        raw: Self::Raw,
        grant: &Grant,
        links: &Links,
    ) -> Result<Self::Output, EngineError>;
    /// The audit event for what happened; written before anything is returned.
    fn event(&self, outcome: &Result<Self::Output, EngineError>) -> AuditEvent;
    /// What a search was asked with, for the entries of refusals and failures.
    fn criteria(&self) -> Option<Search> {
        None
    }
}

impl Engine {
    /// The policy's inputs as the registry recorded them: the organisation's permit and the
    /// user's personal right, read in the request's snapshot (a right ended or blocked a moment
    /// ago refuses this very request).
    fn entitlement(
        &self,
        txn: &ReadTransaction,
        actor: &Actor,
    ) -> Result<(Option<Permit>, Option<PersonalRight>), EngineError> {
        let permit = match actor.organisation() {
            Some(org) => PERMITS.get(txn, org.as_str())?,
            None => None,
        };
        let right = match actor.principal() {
            Some(p) => RIGHTS.get(txn, (p.organisation.as_str(), p.subject.as_str()))?,
            None => None,
        };
        Ok((permit, right))
    }

    /// What the actor may open and search: the menus are made from this. Reads only the
    /// permit and the rights, no register data. When the user's own right is what is missing,
    /// names whom to ask: the organisation's responsible users.
    pub async fn allowed(&self, actor: &Actor) -> Result<Allowed, EngineError> {
        let txn = self.inner.register.begin_read()?;
        let (permit, right) = self.entitlement(&txn, actor)?;
        let today = self.today();
        let mut out = allowed(actor, permit.as_ref(), right.as_ref(), today);
        if let (Some(reason), Some(org)) = (out.refusal, actor.organisation())
            && reason.is_about_the_right()
        {
            out.contacts = store::responsible_users(&txn, org)?;
        }
        if actor.principal().is_some() {
            let who = super::standing::Standing::read(&txn, actor, self.inner.clock.now())?;
            out.manage = who.manages().is_ok();
            out.organisation_name = who.organisation().map(|o| o.name.clone());
        }
        Ok(out)
    }

    /// Runs one operation through the gate. The reads happen on the calling task (they are
    /// short and mostly served from memory; a thread hop per request cost more than they do);
    /// the audit entry is then awaited without holding a thread.
    pub async fn execute<O: Operation>(
        &self,
        actor: &Actor,
        op: O,
    ) -> Result<O::Output, EngineError> {
        use crate::watch::Admission;
        let now = self.inner.clock.now();
        match self.inner.watch.admit(actor, op.criteria().as_ref(), now.0) {
            Admission::Run { wait_ms: 0 } => {}
            Admission::Run { wait_ms } => {
                tokio::time::sleep(std::time::Duration::from_millis(wait_ms)).await;
            }
            Admission::Throttled {
                retry_after,
                record,
            } => {
                if let Some(scope) = record {
                    let event = AuditEvent::QueriesThrottled { scope };
                    self.inner
                        .audit
                        .append(self.entry_at(now, actor, actor.purpose, event), Seal(()))
                        .await?;
                }
                return Err(EngineError::Throttled { retry_after });
            }
            Admission::Blocked => {
                let event = AuditEvent::AccessDenied {
                    request: op.request(),
                    reason: Denied::QueriesBlocked,
                    criteria: op.criteria(),
                };
                self.inner
                    .audit
                    .append(self.entry_at(now, actor, actor.purpose, event), Seal(()))
                    .await?;
                return Err(EngineError::Denied(Denied::QueriesBlocked));
            }
        }
        let (outcome, entry) = self.decide_and_read(actor, &op)?;
        let alert =
            self.inner
                .watch
                .observe(actor, op.criteria().as_ref(), &entry.event, entry.at.0);
        let purpose = entry.purpose;
        self.inner.audit.append(entry, Seal(())).await?;
        if let Some(event) = alert {
            // On record for the responsible user and the registry; the query itself has
            // been answered by the rules in force when it ran.
            self.inner
                .audit
                .append(self.entry_at(now, actor, purpose, event), Seal(()))
                .await?;
        }
        outcome
    }

    /// Before a report is read (usage statistics, fees): over the user's rate, refused with
    /// 429 and recorded once a minute.
    pub(crate) async fn admit_report(&self, actor: &Actor) -> Result<(), EngineError> {
        let now = self.inner.clock.now();
        match self.inner.watch.admit_report(actor, now.0) {
            Ok(()) => Ok(()),
            Err((retry_after, record)) => {
                if record {
                    let event = AuditEvent::QueriesThrottled {
                        scope: domain::audit::ThrottleScope::Reports,
                    };
                    self.inner
                        .audit
                        .append(self.entry_at(now, actor, actor.purpose, event), Seal(()))
                        .await?;
                }
                Err(EngineError::Throttled { retry_after })
            }
        }
    }

    /// Authorises, reads and redacts in one snapshot, and makes the audit entry that must be
    /// durable before the outcome may be returned.
    #[allow(clippy::type_complexity)]
    fn decide_and_read<O: Operation>(
        &self,
        actor: &Actor,
        op: &O,
    ) -> Result<(Result<O::Output, EngineError>, AuditEntry), EngineError> {
        let txn = self.inner.register.begin_read()?;
        let now = self.inner.clock.now();
        let today = now.date_in_finland();
        let request = op.request();
        let (permit, right) = match self.entitlement(&txn, actor) {
            Ok(inputs) => inputs,
            Err(e) => {
                // The policy's input could not be read: nothing is disclosed, the attempt is
                // still on record.
                let event = AuditEvent::QueryFailed {
                    request,
                    criteria: op.criteria(),
                };
                return Ok((Err(e), self.entry_at(now, actor, actor.purpose, event)));
            }
        };
        let grant = match authorize(actor, permit.as_ref(), right.as_ref(), request, today) {
            Ok(grant) => grant,
            Err(reason) => {
                let event = AuditEvent::AccessDenied {
                    request,
                    reason,
                    criteria: op.criteria(),
                };
                return Ok((
                    Err(EngineError::Denied(reason)),
                    self.entry_at(now, actor, actor.purpose, event),
                ));
            }
        };
        let granted = GrantedTxn {
            txn: &txn,
            grant: &grant,
            now,
        };
        let outcome = op
            .read(&granted)
            .and_then(|raw| op.redact(raw, &grant, &self.inner.links));
        let event = op.event(&outcome);
        let entry = self.entry_at(now, actor, Some(grant.purpose()), event);
        Ok((outcome, entry))
    }
}
