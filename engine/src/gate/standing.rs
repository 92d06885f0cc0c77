//! The caller's standing by the registry's own records: their personal right, their
//! organisation and its permit, read in the very transaction that acts on them or reads for
//! them (never on a snapshot of its own before it), so that a right ended or blocked a moment
//! ago decides this request. The token's claims decide nothing here.

use crate::error::EngineError;
use crate::store::{ORGANISATIONS, PERMITS, RIGHTS};
use domain::access::{Denied, Permit, PersonalRight};
use domain::principal::{OrgId, Role};
use domain::registry::{Changer, Organisation};
use domain::{Actor, Date, Principal, Timestamp};
use redb::{ReadTransaction, WriteTransaction};

/// Who is asking, as the registry's records say at the moment of the request.
pub(crate) struct Standing {
    principal: Principal,
    right: Option<PersonalRight>,
    organisation: Option<Organisation>,
    permit: Option<Permit>,
    now: Timestamp,
}

/// The signed-in user behind an actor (service tasks have none and change nothing).
pub(crate) fn principal_of(actor: &Actor) -> Result<&Principal, EngineError> {
    actor
        .principal()
        .ok_or(EngineError::Denied(Denied::NotAUser))
}

impl Standing {
    /// The standing in a read snapshot (a query's).
    pub(crate) fn read(
        txn: &ReadTransaction,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Standing, EngineError> {
        let principal = principal_of(actor)?;
        let org = principal.organisation.as_str();
        Ok(Standing {
            right: RIGHTS.get(txn, (org, principal.subject.as_str()))?,
            organisation: ORGANISATIONS.get(txn, org)?,
            permit: PERMITS.get(txn, org)?,
            principal: principal.clone(),
            now,
        })
    }

    /// The standing in a write transaction (a command's), before the command opens a table.
    pub(crate) fn written(
        txn: &WriteTransaction,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Standing, EngineError> {
        let principal = principal_of(actor)?;
        let org = principal.organisation.as_str();
        Ok(Standing {
            right: RIGHTS
                .raw_writer(txn)?
                .get((org, principal.subject.as_str()))?,
            organisation: ORGANISATIONS.raw_writer(txn)?.get(org)?,
            permit: PERMITS.raw_writer(txn)?.get(org)?,
            principal: principal.clone(),
            now,
        })
    }

    pub(crate) fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The caller's organisation as the registry knows it.
    pub(crate) fn organisation(&self) -> Option<&Organisation> {
        self.organisation.as_ref()
    }

    /// The caller's organisation's permit, in whatever state.
    pub(crate) fn permit(&self) -> Option<&Permit> {
        self.permit.as_ref()
    }

    /// The request's moment by the engine's clock.
    pub(crate) fn now(&self) -> Timestamp {
        self.now
    }

    /// Today in Finland.
    pub(crate) fn today(&self) -> Date {
        self.now.date_in_finland()
    }

    /// The caller as the registry's change rules see them; `nominates`: they may nominate
    /// their organisation's first responsible user (worked out by the command that needs it).
    pub(crate) fn changer(&self, nominates: bool) -> Changer<'_> {
        Changer {
            principal: &self.principal,
            right: self.right.as_ref(),
            organisation: self.organisation.as_ref(),
            permit_active: self
                .permit
                .as_ref()
                .is_some_and(|p| p.in_force(self.today())),
            nominates,
        }
    }

    /// Registry staff: the role in force, held in the registry's own organisation.
    pub(crate) fn is_staff(&self) -> bool {
        self.changer(false).is_registry_staff(self.today())
    }

    /// A responsible user of `org` in force.
    pub(crate) fn is_responsible_for(&self, org: &OrgId) -> bool {
        self.changer(false).is_responsible_for(org, self.today())
    }

    /// A responsible user of their own organisation in force.
    pub(crate) fn is_responsible(&self) -> bool {
        self.is_responsible_for(&self.principal.organisation)
    }

    /// May take a registry staff's decision now: the role by the records and a two-factor
    /// sign-in (a notice shown above every page and mailed to every subscriber, or the
    /// library's terms, are no less the registry's word than a permit decision). The refusal
    /// says which is missing.
    pub(crate) fn staff_decision(&self) -> Result<(), Denied> {
        if !self.is_staff() {
            return Err(Denied::RegistryStaffOnly);
        }
        self.principal.may_act_as(Role::RegistryStaff)
    }

    /// Registry staff, or a responsible user of their own organisation; anyone else is refused.
    pub(crate) fn manages(&self) -> Result<(), Denied> {
        if self.is_staff() || self.is_responsible() {
            Ok(())
        } else {
            Err(Denied::NotResponsibleUser)
        }
    }

    /// May read the audit trail, and whose: registry staff after a two-factor sign-in the
    /// whole trail (or the organisation they name), a responsible user their own
    /// organisation's log only. The answer is the only way to the register's names for the
    /// trail's rows ([`super::command::Records::trail_names`]).
    pub(crate) fn reads_trail(&self, asked: Option<&OrgId>) -> Result<TrailReader, Denied> {
        if self.is_staff() {
            // Reading who looked at whom is the registry's decision to make: two factors.
            self.staff_decision()?;
            return Ok(TrailReader {
                organisation: asked.cloned(),
                unmasked: true,
                registry: true,
            });
        }
        let own = &self.principal.organisation;
        if !self.is_responsible_for(own) || asked.is_some_and(|o| o != own) {
            return Err(Denied::NotResponsibleUser);
        }
        Ok(TrailReader {
            organisation: Some(own.clone()),
            // A person under a protection order stays masked unless the permit covers
            // protected data.
            unmasked: self.permit.as_ref().is_some_and(|p| p.protected_data),
            registry: false,
        })
    }
}

/// A caller the gate found may read the audit trail, and how far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TrailReader {
    /// `None`: the whole trail (registry staff); otherwise this organisation's queries only.
    pub(crate) organisation: Option<OrgId>,
    /// Persons under a protection order are named, not masked.
    pub(crate) unmasked: bool,
    /// Registry staff.
    pub(crate) registry: bool,
}
