//! The invoice basis: each organisation's billable data units in a month, counted from the
//! audit trail (what was disclosed is exactly what was recorded; the trail's index sums them
//! per organisation, month and user as entries are written), priced by the fees its permit
//! states. A responsible user sees their own organisation's month; registry staff see every
//! organisation's and export them as CSV. A query through the gate: rate-limited per user
//! (a report), and audited.

use crate::error::EngineError;
use crate::gate::Engine;
use crate::gate::command::{Query, Records, Verdict};
use crate::gate::standing::Standing;
use crate::store::{ORGANISATIONS, PERMITS, open_or_empty};
use domain::audit::AuditEvent;
use domain::fees::{FeesReport, InvoiceBasis, Month, invoice_basis};
use domain::principal::OrgId;
use domain::{Actor, Permit};
use redb::ReadableTable;

impl Engine {
    /// The invoice basis for `month` (default: the current one): the viewer's organisation's,
    /// or for registry staff every organisation's that holds a permit.
    pub async fn fees(
        &self,
        actor: &Actor,
        month: Option<Month>,
    ) -> Result<FeesReport, EngineError> {
        self.look(actor, Fees { month }).await
    }
}

/// The invoice basis of a month.
struct Fees {
    month: Option<Month>,
}

impl Query for Fees {
    type Output = FeesReport;
    const REPORT: bool = true;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<FeesReport>, EngineError> {
        let (txn, p) = (records.txn, who.principal());
        let month = self.month.unwrap_or(Month::of(who.today()));
        let staff = who.is_staff();
        if let Err(reason) = who.manages() {
            return Ok(Verdict::service_refused(reason));
        }
        let permits: Vec<Permit> = if staff {
            match open_or_empty(txn, PERMITS.definition())? {
                Some(t) => t
                    .iter()?
                    .map(|item| {
                        item.map_err(EngineError::from)
                            .and_then(|(_, v)| PERMITS.decode(v.value()))
                    })
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            }
        } else {
            who.permit().into_iter().cloned().collect()
        };
        // Each organisation's users' units of the month, as counted when the entries were
        // written (the trail's index keeps the sums).
        let mut rows: Vec<InvoiceBasis> = Vec::with_capacity(permits.len());
        for permit in permits {
            let org = ORGANISATIONS.get(txn, permit.organisation.as_str())?;
            let id: &OrgId = &permit.organisation;
            let per_user = records.audit.fee_units(id.as_str(), month)?;
            rows.push(invoice_basis(
                id.clone(),
                org.as_ref()
                    .map_or_else(|| id.as_str().to_owned(), |o| o.name.clone()),
                org.map(|o| o.business_id.to_string()),
                Some(permit.number.clone()),
                permit.fees,
                month,
                per_user,
            ));
        }
        rows.sort_by(|a, b| b.total_cents.cmp(&a.total_cents).then(a.name.cmp(&b.name)));
        Ok(Verdict::done(
            AuditEvent::FeesViewed {
                month,
                organisation: (!staff).then(|| p.organisation.clone()),
            },
            FeesReport {
                month: Some(month),
                registry: staff,
                rows,
            },
        ))
    }
}
