//! Changes to the registry's own records (permit states, personal rights) and the management
//! view of them. A change is decided by [`domain::registry::authorize_change`] inside one
//! write transaction that reads the changer's own right and organisation, applies the new
//! state and appends to the record's history; the audit entry is then awaited until durable,
//! and only then is the transaction committed (a change the trail cannot record is not made).
//! Because the gate reads the permit and the right on every request, the change decides the
//! very next request of everyone it concerns, signed-in sessions included.

use crate::error::EngineError;
use crate::gate::Engine;
use crate::store::{CHANGES, ORGANISATIONS, PERMITS, REVEALS, RIGHTS};
use domain::access::{Denied, PersonalRight};
use domain::audit::AuditEvent;
use domain::registry::{
    Change, ChangeRecord, Changer, Management, PermitView, Reason, RecordState, RightView,
    authorize_change, permit_actions, permit_key, right_actions, right_key,
};
use domain::{Actor, Principal};
use redb::{ReadTransaction, ReadableDatabase, ReadableTable, TableError, WriteTransaction};

/// The changer's own right and organisation, as the registry's records say.
fn changer_records(
    txn: &ReadTransaction,
    principal: &Principal,
) -> Result<
    (
        Option<PersonalRight>,
        Option<domain::registry::Organisation>,
    ),
    EngineError,
> {
    let org = principal.organisation.0.as_str();
    Ok((
        RIGHTS.get(txn, (org, principal.subject.as_str()))?,
        ORGANISATIONS.get(txn, org)?,
    ))
}

/// A record's history, oldest first.
fn history(txn: &ReadTransaction, key: &str) -> Result<Vec<ChangeRecord>, EngineError> {
    let table = match txn.open_table(CHANGES.definition()) {
        Ok(t) => t,
        Err(TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::new();
    for item in table.range((key, 0)..=(key, u64::MAX))? {
        let (_, bytes) = item?;
        out.push(CHANGES.decode(bytes.value())?);
    }
    Ok(out)
}

/// Decides and applies a change inside `txn` (not committed): the state before and after.
fn decide_and_apply(
    txn: &WriteTransaction,
    principal: &Principal,
    change: &Change,
    reason: Option<&Reason>,
    record: impl FnOnce(RecordState, RecordState) -> ChangeRecord,
    today: domain::Date,
) -> Result<Result<(RecordState, RecordState), Denied>, EngineError> {
    let mut rights = RIGHTS.writer(txn)?;
    let mut permits = PERMITS.writer(txn)?;
    let organisations = ORGANISATIONS.writer(txn)?;
    let org = principal.organisation.0.as_str();
    let own_right = rights.get((org, principal.subject.as_str()))?;
    let own_org = organisations.get(org)?;
    let changer = Changer {
        principal,
        right: own_right.as_ref(),
        organisation: own_org.as_ref(),
    };
    let (right, permit) = match change {
        Change::Right {
            organisation, user, ..
        } => (rights.get((organisation.0.as_str(), user.as_str()))?, None),
        Change::Permit { organisation, .. } => (None, permits.get(organisation.0.as_str())?),
    };
    let current = match change {
        Change::Right { .. } => right.as_ref().map(|r| RecordState::Right(r.state)),
        Change::Permit { .. } => permit.as_ref().map(|p| RecordState::Permit(p.state)),
    };
    let to = match authorize_change(&changer, change, current, reason, today) {
        Ok(to) => to,
        Err(denied) => return Ok(Err(denied)),
    };
    let Some(from) = current else {
        return Ok(Err(Denied::NoSuchRecord));
    };
    match (to, right, permit) {
        (RecordState::Right(state), Some(mut right), _) => {
            right.state = state;
            rights.insert((right.organisation.0.as_str(), right.user.as_str()), &right)?;
        }
        (RecordState::Permit(state), _, Some(mut permit)) => {
            permit.state = state;
            permits.insert(permit.organisation.0.as_str(), &permit)?;
        }
        _ => return Ok(Err(Denied::NoSuchRecord)),
    }
    let key = change.target_key();
    let mut changes = txn.open_table(CHANGES.definition())?;
    let next = match changes
        .range((key.as_str(), 0)..=(key.as_str(), u64::MAX))?
        .next_back()
    {
        Some(last) => last?.0.value().1 + 1,
        None => 0,
    };
    let bytes = CHANGES.encode(&record(from, to))?;
    changes.insert((key.as_str(), next), bytes.as_slice())?;
    Ok(Ok((from, to)))
}

/// How many of the latest reveals the registry's page lists.
const REVEALS_LISTED: usize = 50;

impl Engine {
    /// Records a reveal of protected data for registry staff (the audit entry is already
    /// durable: this is the notice, not the record).
    pub(crate) fn notify_reveal(
        &self,
        actor: &Actor,
        screen: domain::ScreenId,
        subject: domain::SubjectRef,
        reason: Reason,
    ) -> Result<(), EngineError> {
        let principal = actor
            .principal()
            .ok_or(EngineError::Denied(Denied::NotAUser))?;
        let notice = domain::registry::RevealNotice {
            at: self.clock().now(),
            by: principal.subject.clone(),
            by_name: principal.name.clone(),
            organisation: principal.organisation.clone(),
            screen,
            subject,
            reason,
        };
        let txn = self.register().begin_write()?;
        {
            let mut table = txn.open_table(REVEALS.definition())?;
            let next = match table.last()? {
                Some((key, _)) => key.value() + 1,
                None => 0,
            };
            let bytes = REVEALS.encode(&notice)?;
            table.insert(next, bytes.as_slice())?;
        }
        txn.commit()?;
        Ok(())
    }

    /// Makes one change to a permit or a personal right, if the changer's records allow it;
    /// audited either way. Answers the record's new state.
    pub async fn change(
        &self,
        actor: &Actor,
        change: Change,
        reason: Option<Reason>,
    ) -> Result<RecordState, EngineError> {
        let principal = actor
            .principal()
            .ok_or(EngineError::Denied(Denied::NotAUser))?;
        let now = self.clock().now();
        let txn = self.register().begin_write()?;
        let record = |from, to| ChangeRecord {
            at: now,
            by: principal.subject.clone(),
            by_name: principal.name.clone(),
            by_organisation: principal.organisation.clone(),
            change: change.clone(),
            from,
            to,
            reason: reason.clone(),
        };
        let decided = decide_and_apply(
            &txn,
            principal,
            &change,
            reason.as_ref(),
            record,
            now.date_in_finland(),
        )?;
        match decided {
            Ok((from, to)) => {
                let event = AuditEvent::RecordChanged {
                    change,
                    from,
                    to,
                    reason,
                };
                // Durable in the trail first; a failure here drops the transaction unmade.
                self.audit()
                    .append(self.entry(actor, actor.purpose, event))
                    .await?;
                txn.commit()?;
                Ok(to)
            }
            Err(denied) => {
                drop(txn);
                let event = AuditEvent::ChangeRefused {
                    change,
                    reason: denied,
                };
                self.audit()
                    .append(self.entry(actor, actor.purpose, event))
                    .await?;
                Err(EngineError::Denied(denied))
            }
        }
    }

    /// The latest reveals, newest first, with sealed links to their subjects.
    fn latest_reveals(
        &self,
        txn: &ReadTransaction,
    ) -> Result<Vec<domain::registry::RevealNotice<domain::SubjectLink>>, EngineError> {
        let table = match txn.open_table(REVEALS.definition()) {
            Ok(t) => t,
            Err(TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for item in table.iter()?.rev().take(REVEALS_LISTED) {
            let (_, bytes) = item?;
            let n = REVEALS.decode(bytes.value())?;
            out.push(domain::registry::RevealNotice {
                subject: self.links().seal(n.subject)?,
                at: n.at,
                by: n.by,
                by_name: n.by_name,
                organisation: n.organisation,
                screen: n.screen,
                reason: n.reason,
            });
        }
        Ok(out)
    }

    /// The rights and permits the actor manages, each with the actions open to them and its
    /// history: a responsible user sees their organisation's users, registry staff everyone's
    /// and every permit. Anyone else is refused.
    pub async fn management(&self, actor: &Actor) -> Result<Management, EngineError> {
        let principal = actor
            .principal()
            .ok_or(EngineError::Denied(Denied::NotAUser))?;
        let today = self.clock().now().date_in_finland();
        let txn = self.register().begin_read()?;
        let (own_right, own_org) = changer_records(&txn, principal)?;
        let changer = Changer {
            principal,
            right: own_right.as_ref(),
            organisation: own_org.as_ref(),
        };
        let staff = changer.is_registry_staff(today);
        if !staff && !changer.is_responsible_for(&principal.organisation, today) {
            return Err(EngineError::Denied(Denied::NotResponsibleUser));
        }
        let mut out = Management::default();
        let rights_table = match txn.open_table(RIGHTS.definition()) {
            Ok(t) => Some(t),
            Err(TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(e.into()),
        };
        if let Some(table) = rights_table {
            let org = principal.organisation.0.as_str();
            let range = if staff {
                table.range::<(&str, &str)>(..)?
            } else {
                table.range((org, "")..)?
            };
            for item in range {
                let (key, bytes) = item?;
                if !staff && key.value().0 != org {
                    break;
                }
                let right = RIGHTS.decode(bytes.value())?;
                out.rights.push(RightView {
                    actions: right_actions(&changer, &right, today),
                    history: history(&txn, &right_key(&right.organisation, &right.user))?,
                    right,
                });
            }
        }
        if staff {
            out.reveals = self.latest_reveals(&txn)?;
            let table = match txn.open_table(PERMITS.definition()) {
                Ok(t) => Some(t),
                Err(TableError::TableDoesNotExist(_)) => None,
                Err(e) => return Err(e.into()),
            };
            let Some(table) = table else {
                return Ok(out);
            };
            for item in table.iter()? {
                let (_, bytes) = item?;
                let permit = PERMITS.decode(bytes.value())?;
                let Some(organisation) = ORGANISATIONS.get(&txn, permit.organisation.0.as_str())?
                else {
                    return Err(EngineError::Corrupt {
                        table: ORGANISATIONS.name(),
                        detail: format!("no organisation {} for its permit", permit.organisation.0),
                    });
                };
                out.permits.push(PermitView {
                    organisation,
                    actions: permit_actions(&changer, &permit, today),
                    history: history(&txn, &permit_key(&permit.organisation))?,
                    purposes: permit.purpose_list(),
                    number: permit.number,
                    state: permit.state,
                    valid_from: permit.valid_from,
                    valid_until: permit.valid_until,
                });
            }
        }
        Ok(out)
    }
}
