//! The usage report: how the users an actor manages used the register over the last
//! [`USAGE_DAYS`] days, read from the audit trail's counters (kept per organisation, user, day
//! and purpose as the trail grows). A query through the gate: rate-limited per user (a
//! report), and audited, since reading how colleagues used the register is itself on record.

use crate::error::EngineError;
use crate::gate::Engine;
use crate::gate::command::{Query, Records, Verdict};
use crate::gate::standing::Standing;
use domain::Actor;
use domain::access::Denied;
use domain::audit::AuditEvent;

/// How many days back the usage statistics reach.
pub const USAGE_DAYS: i64 = 30;

impl Engine {
    /// The query statistics of the users the actor manages (a responsible user: their
    /// organisation's; registry staff: the organisation they name) over the last
    /// [`USAGE_DAYS`] days. Audited: reading how colleagues used the register is itself on
    /// record.
    pub async fn usage(
        &self,
        actor: &Actor,
        organisation: Option<domain::principal::OrgId>,
    ) -> Result<domain::usage::UsageReport, EngineError> {
        self.look(actor, Usage { organisation }).await
    }
}

/// The usage statistics of an organisation's users.
struct Usage {
    organisation: Option<domain::principal::OrgId>,
}

impl Query for Usage {
    type Output = domain::usage::UsageReport;
    const REPORT: bool = true;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<Self::Output>, EngineError> {
        let principal = who.principal();
        let org = self
            .organisation
            .unwrap_or_else(|| principal.organisation.clone());
        if !(who.is_staff() || who.is_responsible_for(&org)) {
            return Ok(Verdict::service_refused(Denied::NotResponsibleUser));
        }
        let rights = crate::store::org_rights(records.txn, org.as_str())?;
        let since = who
            .now()
            .plus_seconds(-USAGE_DAYS * 86_400)
            .date_in_finland();
        let mut users = Vec::new();
        for right in rights {
            // Counted per organisation, user, day and purpose as the trail grew: the report
            // reads at most thirty days per user, however busy they were.
            users.push(records.audit.usage_of(
                org.as_str(),
                right.user.as_str(),
                &right.name,
                since,
            )?);
        }
        Ok(Verdict::done(
            AuditEvent::UsageViewed { organisation: org },
            domain::usage::UsageReport {
                from: Some(since),
                to: Some(who.today()),
                users,
            },
        ))
    }
}
