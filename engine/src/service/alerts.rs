//! The alerts raised on the audit trail (DOMAIN.md §5.4, §5.6), for those who must act on
//! them: an organisation's responsible user sees and handles their own organisation's, registry
//! staff (two-factor) every organisation's: the same readers as the trail's, since an alert
//! points into it. Reading is on record; handling is a change of the registry's records (a
//! note, who, when) through the gate's command path. New alerts are mailed through the outbox
//! to the organisation's responsible users and to registry staff who have a confirmed address,
//! by the node that sends mail, once each.

use crate::error::EngineError;
use crate::gate::Engine;
use crate::gate::command::{Command, Query, Records, Verdict};
use crate::gate::standing::Standing;
use crate::store::{
    ALERTS_HANDLED, ALERTS_MAILED, ORGANISATIONS, OUTBOX, RIGHTS, Recording, SUBSCRIPTIONS,
    open_or_empty,
};
use domain::alerts::{ALERT_PAGE, Alert, AlertPage, Handled, Rule};
use domain::audit::{AuditEvent, RecordRef};
use domain::contact::{Mail, MailState};
use domain::principal::OrgId;
use domain::principal::Role;
use domain::registry::Reason;
use domain::{Actor, Date, Lang};
use redb::{ReadTransaction, ReadableTable};

/// Alerts one mailing round takes at most (the next round goes on).
const MAIL_BATCH: usize = 200;

impl Engine {
    /// One page of alerts, newest first (a responsible user: their organisation's; registry
    /// staff: every organisation's, or the one named), each with how it was handled. Audited.
    pub async fn alerts(
        &self,
        actor: &Actor,
        organisation: Option<OrgId>,
        before: Option<u64>,
    ) -> Result<AlertPage, EngineError> {
        self.look(
            actor,
            ListAlerts {
                organisation,
                before,
            },
        )
        .await
    }

    /// Marks one alert handled with `note` (required, as a reason is). Only the one who may
    /// read the alert, and an alert about a responsible user's own use only registry staff;
    /// an alert handled already keeps its first note (refused, on record).
    pub async fn handle_alert(
        &self,
        actor: &Actor,
        entry: u64,
        rule: Rule,
        note: &str,
    ) -> Result<(), EngineError> {
        let note = Reason::parse(note)
            .map_err(|e| EngineError::Rejected(vec![e]))?
            .ok_or_else(|| {
                EngineError::Rejected(vec![domain::FieldError::new(
                    domain::Field::Reason,
                    domain::ValidationError::Required(domain::Field::Reason),
                )])
            })?;
        // The alert is derived from the trail (never from the caller): read it first, then
        // let the gate decide whether the caller may handle it.
        let alert = self.audit().alert(entry, rule)?;
        self.act(
            actor,
            HandleAlert {
                entry,
                rule,
                alert,
                note,
            },
        )
        .await
    }

    /// Puts the alerts raised since the last round in the outbox, one mail to each recipient
    /// (`log_url`: where the log is read), and notes how far it got: for the node's mail
    /// worker. Answers how many mails were queued.
    pub fn mail_alerts(&self, log_url: &str) -> Result<usize, EngineError> {
        let now = self.clock().now();
        let (through, mails) = {
            let read = self.service_read()?;
            let through = mailed_through(&read)?;
            let alerts = self.audit().alerts_after(through, MAIL_BATCH)?;
            let Some(last) = alerts.last().map(|a| a.entry) else {
                return Ok(0);
            };
            let mut mails = Vec::new();
            for alert in &alerts {
                for (to, lang) in recipients(&read, &alert.organisation, now.date_in_finland())? {
                    let (subject, body) = domain::alerts::alert_mail(alert, lang, log_url);
                    mails.push((to, subject, body));
                }
            }
            ((through, last), mails)
        };
        let (txn, decided_at) = self.service_write()?;
        let recording = Recording::new(&txn);
        {
            // One mail worker a node, one mailing node: should another round have gone
            // first, this one's mail is theirs already.
            let mut mailed = recording.open_table(ALERTS_MAILED)?;
            if mailed.get("mailed_through")?.map_or(0, |v| v.value()) != through.0 {
                return Ok(0);
            }
            mailed.insert("mailed_through", through.1)?;
        }
        let first = OUTBOX.writer(&recording)?.last_key()?.map_or(1, |k| k + 1);
        for (id, (to, subject, body)) in (first..).zip(&mails) {
            super::contact::store_mail(
                &recording,
                None,
                &Mail {
                    id,
                    to: to.clone(),
                    subject: subject.clone(),
                    body: body.clone(),
                    created: now,
                    state: MailState::Waiting,
                },
            )?;
        }
        let writes = recording.into_writes();
        self.commit_records_blocking(txn, decided_at, writes)?;
        Ok(mails.len())
    }
}

fn mailed_through(txn: &ReadTransaction) -> Result<u64, EngineError> {
    Ok(match open_or_empty(txn, ALERTS_MAILED)? {
        Some(table) => table.get("mailed_through")?.map_or(0, |v| v.value()),
        None => 0,
    })
}

/// Who is told of an alert in `organisation`: its responsible users and the registry's staff
/// whose rights are in force and who confirmed an address, each once, in their language.
fn recipients(
    txn: &ReadTransaction,
    organisation: &str,
    today: Date,
) -> Result<Vec<(String, Lang)>, EngineError> {
    let registry: Vec<String> = match open_or_empty(txn, ORGANISATIONS.definition())? {
        Some(table) => table
            .iter()?
            .map(|item| {
                item.map_err(EngineError::from)
                    .and_then(|(_, v)| ORGANISATIONS.decode(v.value()))
            })
            .filter_map(|o| match o {
                // (Only the registry's own organisation holds staff rights; the kind is
                // checked as `is_registry_staff` checks it, not assumed.)
                Ok(o) if o.kind == domain::principal::OrgKind::Registry => {
                    Some(Ok(o.id.to_string()))
                }
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let Some(rights) = open_or_empty(txn, RIGHTS.definition())? else {
        return Ok(Vec::new());
    };
    let mut users = Vec::new();
    let mut of = |org: &str, role: Role| -> Result<(), EngineError> {
        for item in rights.range((org, "")..)? {
            let (key, value) = item?;
            if key.value().0 != org {
                break;
            }
            let right = RIGHTS.decode(value.value())?;
            if right.serves(role, today) {
                users.push(right.user.to_string());
            }
        }
        Ok(())
    };
    of(organisation, Role::ResponsibleUser)?;
    for org in &registry {
        of(org, Role::RegistryStaff)?;
    }
    users.sort();
    users.dedup();
    let mut out = Vec::new();
    for user in users {
        if let Some(s) = SUBSCRIPTIONS.get(txn, user.as_str())?
            && s.confirmed
            && !out.iter().any(|(to, _)| *to == s.email)
        {
            out.push((s.email, s.lang));
        }
    }
    Ok(out)
}

struct ListAlerts {
    organisation: Option<OrgId>,
    before: Option<u64>,
}

impl Query for ListAlerts {
    type Output = AlertPage;
    const REPORT: bool = true;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<AlertPage>, EngineError> {
        let reader = match who.reads_trail(self.organisation.as_ref()) {
            Ok(r) => r,
            Err(reason) => return Ok(Verdict::service_refused(reason)),
        };
        let org = reader.organisation.as_ref().map(ToString::to_string);
        let (mut alerts, more) = records
            .audit
            .alerts(org.as_deref(), self.before, ALERT_PAGE)?;
        for alert in &mut alerts {
            alert.handled = ALERTS_HANDLED.get(records.txn, (alert.entry, alert.rule.code()))?;
        }
        let next = more.then(|| alerts.last().map(|a| a.entry)).flatten();
        let rows = u32::try_from(alerts.len()).unwrap_or(u32::MAX);
        Ok(Verdict::done(
            AuditEvent::AlertsRead {
                organisation: reader.organisation,
                rows,
            },
            AlertPage {
                alerts,
                next,
                registry: reader.registry,
            },
        ))
    }
}

struct HandleAlert {
    entry: u64,
    rule: Rule,
    alert: Option<Alert>,
    note: Reason,
}

impl Command for HandleAlert {
    type Output = ();

    fn apply(self, txn: &Recording<'_>, who: &Standing) -> Result<Verdict<()>, EngineError> {
        let record = RecordRef::Alert(self.entry);
        // Who may handle any alert at all first: a refused caller learns nothing of which
        // alerts exist.
        let reader = match who.reads_trail(None) {
            Ok(r) => r,
            Err(reason) => return Ok(Verdict::service_refused(reason)),
        };
        let Some(alert) = self.alert else {
            return Ok(Verdict::not_found(record));
        };
        let Ok(organisation) = OrgId::parse(&alert.organisation) else {
            return Ok(Verdict::not_found(record));
        };
        // Another organisation's alert is answered as one that does not exist.
        if reader
            .organisation
            .as_ref()
            .is_some_and(|own| *own != organisation)
        {
            return Ok(Verdict::not_found(record));
        }
        // An alert about a responsible user's own use is not theirs to close: the registry
        // handles it (it sees every organisation's alerts).
        if !reader.registry && alert.user == who.principal().subject.as_str() {
            return Ok(Verdict::service_refused(
                domain::access::Denied::RegistryStaffOnly,
            ));
        }
        let key = (self.entry, self.rule.code());
        let mut handled = ALERTS_HANDLED.writer(txn)?;
        if handled.get(key)?.is_some() {
            // Handled already (by a colleague a moment ago): the first note stands.
            return Ok(Verdict::service_refused(
                domain::access::Denied::NotFromThisState,
            ));
        }
        handled.insert(
            key,
            &Handled {
                by_name: who.principal().name.clone(),
                at: who.now(),
                note: self.note.as_str().to_owned(),
            },
        )?;
        Ok(Verdict::done(
            AuditEvent::AlertHandled {
                entry: self.entry,
                rule: self.rule,
                organisation,
            },
            (),
        ))
    }
}
