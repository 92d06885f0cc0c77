//! The operations the gate runs: one screen of one subject, and every kind of search. Each
//! declares its request, its read, its redaction and its audit event; none can skip the
//! pipeline of [`crate::gate::Engine::execute`].

mod search;

pub use search::RunSearch;

use crate::error::EngineError;
use crate::gate::{GrantedTxn, Operation, Sealed};
use crate::links::Links;
use crate::reads;
use crate::record::{self, Record};
use domain::audit::AuditEvent;
use domain::registry::Reason;
use domain::screen::{ScreenData, SubjectHeader};
use domain::{
    Grant, ProtectedAccess, Request, ScreenId, SubjectKind, SubjectLink, SubjectRef, Timestamp,
};

impl crate::gate::Engine {
    /// One screen of the subject behind a link the browser sent, through the gate. A link this
    /// server did not make (guessed, tampered with, from another register) is refused exactly
    /// like a subject that does not exist, after the same authorisation, and audited.
    pub async fn open_screen(
        &self,
        actor: &domain::Actor,
        screen: ScreenId,
        link: &SubjectLink,
    ) -> Result<ScreenData, EngineError> {
        let subject = self.links().open(link);
        self.execute(
            actor,
            LoadScreen {
                screen,
                subject,
                reveal: None,
            },
        )
        .await
        .map(|answer| answer.data)
    }

    /// [`Self::open_screen`] with protected data revealed, where the permit allows it (break
    /// glass): the reveal is audited as such with its reason, and registry staff are notified.
    pub async fn reveal_screen(
        &self,
        actor: &domain::Actor,
        screen: ScreenId,
        link: &SubjectLink,
        reason: Reason,
    ) -> Result<ScreenData, EngineError> {
        let subject = self.links().open(link);
        let answer = self
            .execute(
                actor,
                LoadScreen {
                    screen,
                    subject,
                    reveal: Some(reason.clone()),
                },
            )
            .await?;
        if let (ProtectedAccess::Revealed, Some(subject)) = (answer.data.protected_access, subject)
        {
            self.notify_reveal(actor, screen, subject, reason).await?;
        }
        Ok(answer.data)
    }

    /// One screen of one subject, through the gate (server-side callers that hold a
    /// register reference; the browser's requests come through [`Self::open_screen`]).
    pub async fn load_screen(
        &self,
        actor: &domain::Actor,
        screen: ScreenId,
        subject: SubjectRef,
    ) -> Result<ScreenData, EngineError> {
        self.execute(
            actor,
            LoadScreen {
                screen,
                subject: Some(subject),
                reveal: None,
            },
        )
        .await
        .map(|answer| answer.data)
    }

    /// One search, through the gate.
    pub async fn search(
        &self,
        actor: &domain::Actor,
        search: domain::Search,
    ) -> Result<domain::SearchOutcome, EngineError> {
        self.execute(actor, RunSearch(search))
            .await
            .map(|answer| answer.outcome)
    }
}

/// Opens one screen of one subject; `None` is a link that opened to no subject. With a
/// `reveal` reason, asks to see protected data the permit lets the user reveal.
#[derive(Clone, Debug)]
pub struct LoadScreen {
    pub screen: ScreenId,
    pub subject: Option<SubjectRef>,
    pub reveal: Option<Reason>,
}

/// A screen as the engine hands it out, and whether the protection rule withheld anything
/// (recorded in the audit trail; a left-out row leaves no trace in `data`).
#[derive(Clone, Debug)]
pub struct ScreenAnswer {
    pub data: ScreenData,
    pub withheld: bool,
    /// The other persons the rows are about (residents, relatives, owners).
    pub shown: Vec<SubjectRef>,
}

impl Sealed for LoadScreen {}

impl Operation for LoadScreen {
    type Raw = (SubjectRef, SubjectHeader, Vec<Record>, Timestamp);
    type Output = ScreenAnswer;

    fn request(&self) -> Request {
        Request::Screen {
            screen: self.screen,
            subject: self.subject,
            reveal: self.reveal.is_some(),
        }
    }

    fn read(&self, txn: &GrantedTxn<'_>) -> Result<Self::Raw, EngineError> {
        let spec = self.screen.spec();
        let Some(subject) = self.subject else {
            return Err(EngineError::NotFound);
        };
        if spec.subject() != subject.kind() {
            // No such screen for this kind of subject.
            return Err(EngineError::NotFound);
        }
        let loaded = reads::load(txn, subject)?;
        let header = reads::header(&loaded, txn.today());
        let records = reads::read_group(txn, spec.group, &loaded)?;
        Ok((subject, header, records, txn.now()))
    }

    fn redact(
        &self,
        raw: Self::Raw,
        grant: &Grant,
        links: &Links,
    ) -> Result<ScreenAnswer, EngineError> {
        let (subject, header, records, at) = raw;
        let spec = self.screen.spec();
        let group = spec.group.spec();
        let redacted = record::redact(&records, spec.columns, group.protected_rows, grant, links)?;
        Ok(ScreenAnswer {
            data: ScreenData {
                screen: self.screen,
                subject: links.seal(subject)?,
                header,
                rows: redacted.rows,
                purpose: grant.purpose(),
                retrieved: at,
                protected_access: grant.protected_access(),
            },
            withheld: redacted.withheld,
            // Persons only: the trail by subject exists for people asking who looked at them;
            // the buildings and dwellings a list shows are in the entry of what was opened.
            shown: redacted
                .subjects
                .into_iter()
                .filter(|s| *s != subject && s.kind() == SubjectKind::Person)
                .collect(),
        })
    }

    fn event(&self, outcome: &Result<ScreenAnswer, EngineError>) -> AuditEvent {
        match (outcome, self.subject) {
            (Ok(answer), Some(subject))
                if answer.data.protected_access == ProtectedAccess::Revealed =>
            {
                match &self.reveal {
                    Some(reason) => AuditEvent::ProtectedRevealed {
                        screen: self.screen,
                        subject,
                        shown: answer.shown.clone(),
                        reason: reason.clone(),
                    },
                    // The policy reveals only what was asked for with a reason; should that
                    // ever break, the view is still on record, and as what it was.
                    None => AuditEvent::ScreenViewed {
                        screen: self.screen,
                        subject,
                        shown: answer.shown.clone(),
                        withheld: answer.withheld,
                        protected: answer.data.header.protection_order,
                    },
                }
            }
            (Ok(answer), Some(subject)) => AuditEvent::ScreenViewed {
                screen: self.screen,
                subject,
                shown: answer.shown.clone(),
                withheld: answer.withheld,
                protected: answer.data.header.protection_order,
            },
            (Ok(_) | Err(EngineError::NotFound), _) => AuditEvent::ScreenNotFound {
                screen: self.screen,
                subject: self.subject,
            },
            (Err(_), _) => AuditEvent::QueryFailed {
                request: self.request(),
                criteria: None,
            },
        }
    }
}
