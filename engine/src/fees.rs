//! The invoice basis: each organisation's billable data units in a month, counted from the
//! audit trail (what was disclosed is exactly what was recorded; the trail's index sums them
//! per organisation, month and user as entries are written), priced by the fees its permit
//! states. Reads are rate-limited per user. A responsible user sees their own organisation's month; registry staff see
//! every organisation's and export them as CSV. Reading it is audited.

use crate::error::EngineError;
use crate::gate::Engine;
use crate::registry::{changer_records, principal_of as principal};
use crate::store::{ORGANISATIONS, PERMITS};
use domain::access::Denied;
use domain::audit::AuditEvent;
use domain::fees::{FeesReport, InvoiceBasis, Month, invoice_basis};
use domain::principal::OrgId;
use domain::registry::Changer;
use domain::{Actor, Permit};
use redb::{ReadableDatabase, ReadableTable, TableError};

impl Engine {
    /// The invoice basis for `month` (default: the current one): the viewer's organisation's,
    /// or for registry staff every organisation's that holds a permit.
    pub async fn fees(
        &self,
        actor: &Actor,
        month: Option<Month>,
    ) -> Result<FeesReport, EngineError> {
        let p = principal(actor)?;
        let today = self.clock().now().date_in_finland();
        let month = month.unwrap_or(Month::of(today));
        let txn = self.register().begin_read()?;
        let (right, org) = changer_records(&txn, p)?;
        let changer = Changer {
            principal: p,
            right: right.as_ref(),
            organisation: org.as_ref(),
            permit_active: false,
            nominates: false,
        };
        let staff = changer.is_registry_staff(today);
        if !(staff || changer.is_responsible_for(&p.organisation, today)) {
            drop(txn);
            return self.refuse_service(actor, Denied::NotResponsibleUser).await;
        }
        drop(txn);
        self.admit_report(actor).await?;
        let txn = self.register().begin_read()?;
        let permits: Vec<Permit> = if staff {
            match txn.open_table(PERMITS.definition()) {
                Ok(t) => t
                    .iter()?
                    .map(|item| {
                        item.map_err(EngineError::from)
                            .and_then(|(_, v)| PERMITS.decode(v.value()))
                    })
                    .collect::<Result<_, _>>()?,
                Err(TableError::TableDoesNotExist(_)) => Vec::new(),
                Err(e) => return Err(e.into()),
            }
        } else {
            PERMITS
                .get(&txn, p.organisation.0.as_str())?
                .into_iter()
                .collect()
        };
        let mut rows_meta = Vec::new();
        for permit in permits {
            let org = ORGANISATIONS.get(&txn, permit.organisation.0.as_str())?;
            rows_meta.push((permit, org));
        }
        drop(txn);
        self.audit()
            .append(self.entry(
                actor,
                actor.purpose,
                AuditEvent::FeesViewed {
                    month,
                    organisation: (!staff).then(|| p.organisation.clone()),
                },
            ))
            .await?;
        // Each organisation's users' units of the month, as counted when the entries were
        // written (the trail's index keeps the sums).
        let mut rows: Vec<InvoiceBasis> = Vec::with_capacity(rows_meta.len());
        for (permit, org) in rows_meta {
            let id: &OrgId = &permit.organisation;
            let per_user = self.audit().fee_units(&id.0, month)?;
            rows.push(invoice_basis(
                id.clone(),
                org.as_ref()
                    .map_or_else(|| id.0.clone(), |o| o.name.clone()),
                org.map(|o| o.business_id.to_string()),
                Some(permit.number.clone()),
                permit.fees,
                month,
                per_user,
            ));
        }
        rows.sort_by(|a, b| b.total_cents.cmp(&a.total_cents).then(a.name.cmp(&b.name)));
        Ok(FeesReport {
            month: Some(month),
            registry: staff,
            rows,
        })
    }
}
