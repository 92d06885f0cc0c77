//! Reading the audit trail (DOMAIN.md §5.6): registry staff's log investigation over the
//! whole trail, after a two-factor sign-in, and a responsible user's log of their own
//! organisation's queries. A query through the gate like any report: the reader's standing
//! decides, and the read is itself on record (who read whose log, and how many rows), so a
//! person's own log shows who looked into it. Subjects are named as the register knows them
//! today; a person under a protection order stays masked in an organisation's log unless its
//! permit covers protected data.

use crate::audit::{AuditRecord, Found, Source};
use crate::error::EngineError;
use crate::gate::Engine;
use crate::gate::command::{Query, Records, TrailNames, Verdict};
use crate::gate::standing::Standing;
use crate::store;
use domain::audit::AuditEvent;
use domain::principal::OrgId;
use domain::trail::{
    EXPORT_MAX, PAGE, SHOWN_MAX, SubjectLabel, TrailFilter, TrailPage, TrailQuery, TrailRow,
    TrailSubject,
};
use domain::{Actor, PersonId, SubjectRef};

/// How many entries one page reads at most before it stops short (an export: per row).
const BUDGET: usize = 20_000;

impl Engine {
    /// One page of a search of the trail, newest first (registry staff: the whole trail;
    /// a responsible user: their organisation's). Audited.
    pub async fn trail(&self, actor: &Actor, query: TrailQuery) -> Result<TrailPage, EngineError> {
        self.look(
            actor,
            TrailSearch {
                query,
                limit: PAGE,
                exported: false,
            },
        )
        .await
    }

    /// The same search's rows for a CSV file: up to [`EXPORT_MAX`] of them. Audited as an
    /// export.
    pub async fn trail_export(
        &self,
        actor: &Actor,
        query: TrailQuery,
    ) -> Result<TrailPage, EngineError> {
        self.look(
            actor,
            TrailSearch {
                query,
                limit: EXPORT_MAX,
                exported: true,
            },
        )
        .await
    }
}

struct TrailSearch {
    query: TrailQuery,
    limit: usize,
    exported: bool,
}

impl Query for TrailSearch {
    type Output = TrailPage;
    const REPORT: bool = true;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<Self::Output>, EngineError> {
        let reader = match who.reads_trail(self.query.organisation.as_ref()) {
            Ok(r) => r,
            Err(reason) => return Ok(Verdict::service_refused(reason)),
        };
        let names = records.trail_names(&reader);
        let registry = reader.registry;
        let organisation = reader.organisation;
        let subject = match &self.query.subject {
            None => None,
            Some(TrailSubject::Person(hetu)) => {
                match store::person_id_by_hetu(&names, &hetu.to_string())? {
                    Some(id) => Some(SubjectRef::Person(PersonId(id))),
                    // Nobody has had the code: nobody's log to read, and the read on record.
                    None => {
                        return Ok(Verdict::done(
                            read_event(None, organisation.clone(), &self, 0),
                            TrailPage {
                                organisation: organisation.map(|o| o.to_string()),
                                registry,
                                ..TrailPage::default()
                            },
                        ));
                    }
                }
            }
            Some(TrailSubject::Building(b)) => Some(SubjectRef::Building(*b)),
            Some(TrailSubject::Property(p)) => Some(SubjectRef::Property(*p)),
        };
        let mut filter = TrailFilter::of(&self.query, subject);
        filter.organisation = organisation.as_ref().map(|o| o.to_string());
        let key = subject.map(|s| s.audit_key());
        let source = match (&key, &filter.user, &filter.organisation) {
            (Some(key), _, _) => Source::Subject(key),
            (None, Some(user), _) => Source::User(user),
            (None, None, Some(org)) => Source::Organisation(org),
            (None, None, None) => Source::Trail,
        };
        let budget = if self.exported {
            BUDGET.saturating_mul(10)
        } else {
            BUDGET
        };
        let Found {
            records: found,
            next,
            partial,
        } = records
            .audit
            .search(source, &filter, self.query.before, self.limit, budget)?;
        let labels = Labels {
            names: &names,
            today: who.today(),
        };
        let rows = found
            .iter()
            .map(|r| labels.row(r))
            .collect::<Result<Vec<_>, _>>()?;
        let count = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        Ok(Verdict::done(
            read_event(subject, organisation.clone(), &self, count),
            TrailPage {
                rows,
                next,
                partial,
                organisation: organisation.map(|o| o.to_string()),
                registry,
            },
        ))
    }
}

fn read_event(
    subject: Option<SubjectRef>,
    organisation: Option<OrgId>,
    search: &TrailSearch,
    rows: u32,
) -> AuditEvent {
    AuditEvent::TrailRead {
        subject,
        organisation,
        user: search.query.user.as_ref().map(|u| u.to_string()),
        rows,
        exported: search.exported,
    }
}

/// Names subjects as the register knows them now.
struct Labels<'a> {
    names: &'a TrailNames<'a>,
    today: domain::Date,
}

impl Labels<'_> {
    fn row(&self, record: &AuditRecord) -> Result<TrailRow, EngineError> {
        let entry = &record.entry;
        let Some((action, outcome)) = domain::trail::classify(&entry.event) else {
            return Err(EngineError::Storage(format!(
                "audit entry {} is no query event",
                record.seq
            )));
        };
        let (subject, shown, withheld) = TrailRow::subjects_of(&entry.event);
        Ok(TrailRow {
            seq: record.seq,
            at: entry.at,
            organisation: entry.actor.organisation.clone(),
            user: entry.actor.user.clone(),
            user_name: entry.actor.name.clone(),
            purpose: entry.purpose,
            case_ref: entry.case_ref.as_ref().map(|c| c.as_str().to_owned()),
            action,
            outcome,
            subject: subject.map(|s| self.label(&s)).transpose()?,
            shown: shown
                .iter()
                .take(SHOWN_MAX)
                .map(|s| self.label(s))
                .collect::<Result<_, _>>()?,
            shown_total: u32::try_from(shown.len()).unwrap_or(u32::MAX),
            withheld,
            criteria: TrailRow::criteria_of(&entry.event),
        }
        .mask_criteria())
    }

    fn label(&self, subject: &SubjectRef) -> Result<SubjectLabel, EngineError> {
        let plain = |id: String| SubjectLabel {
            kind: subject.kind(),
            id,
            name: String::new(),
            masked: false,
        };
        Ok(match subject {
            SubjectRef::Person(id) => match store::person(self.names, *id)? {
                Some(p) if p.protected_on(self.today) && !self.names.unmasked() => SubjectLabel {
                    kind: subject.kind(),
                    id: String::new(),
                    name: String::new(),
                    masked: true,
                },
                Some(p) => SubjectLabel {
                    kind: subject.kind(),
                    id: p.hetu.to_string(),
                    name: format!("{} {}", p.names.surname, p.names.first_names),
                    masked: false,
                },
                // Gone from the register (merged away): named by nothing a reader could use.
                None => plain(String::new()),
            },
            SubjectRef::Dwelling(d) => plain(d.label()),
            SubjectRef::Building(_) | SubjectRef::Property(_) => plain(subject.id_segment()),
        })
    }
}
