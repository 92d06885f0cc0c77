//! Contact and service notices in the register's database: questions to the registry's experts
//! and their threads, notices of breaks and incidents, e-mail subscriptions to them, and the
//! outbox of mail a notice makes (queued in the notice's own transaction, sent by the server's
//! mail worker, or shown to staff when no SMTP server is configured).
//!
//! Who sees what: a question is its asker's and registry staff's; to anyone else it does not
//! exist (answered as for a number nobody has). Notices are everyone's who is signed in;
//! publishing, withdrawing and the outbox are registry staff's. Every change is audited
//! before it is committed.

use crate::error::EngineError;
use crate::gate::Engine;
use crate::registry::{is_registry_staff as is_staff, principal_of as principal};
use crate::store::{NOTICES, OUTBOX, QUESTIONS, QUESTIONS_BY_ASKER, SUBSCRIPTIONS};
use domain::access::Denied;
use domain::audit::AuditEvent;
use domain::contact::{
    ContactPage, Mail, MailState, Notice, NoticeForm, QUESTION_MESSAGES_MAX, QUESTIONS_PAGE,
    Question, QuestionForm, QuestionId, QuestionLine, QuestionPage, QuestionState, Subscription,
    notice_mail, parse_email, queue_order,
};
use domain::eservice::{Message, Party, parse_message};
use domain::{Actor, Field, FieldError, Lang, Principal, ValidationError};
use redb::{ReadTransaction, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableError};

/// How many questions one person may have waiting for the registry (not yet answered).
pub const OPEN_QUESTIONS_MAX: usize = 20;

/// The asker's questions still waiting for the registry.
fn open_questions(txn: &ReadTransaction, p: &Principal) -> Result<usize, EngineError> {
    let index = match txn.open_table(QUESTIONS_BY_ASKER) {
        Ok(t) => t,
        Err(TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let (org, who) = (p.organisation.0.as_str(), p.subject.as_str());
    let mut open = 0;
    for item in index.range((org, who, 0)..=(org, who, u64::MAX))? {
        if QUESTIONS
            .get(txn, item?.0.value().2)?
            .is_some_and(|q| q.state == QuestionState::Open)
        {
            open += 1;
        }
    }
    Ok(open)
}

/// Outbox lines staff see at once (the latest).
pub const OUTBOX_SHOWN: usize = 50;

fn refused(reason: Denied) -> AuditEvent {
    AuditEvent::ServiceRefused { reason }
}

fn asker_of(q: &Question, p: &Principal) -> bool {
    q.asker == p.subject && q.organisation == p.organisation
}

/// The viewer's questions, newest first, or (staff) everyone's in the queue's order.
fn question_page(
    txn: &ReadTransaction,
    p: &Principal,
    staff: bool,
    page: u32,
) -> Result<QuestionPage, EngineError> {
    let mut lines: Vec<QuestionLine> = Vec::new();
    if staff {
        let table = match txn.open_table(QUESTIONS.definition()) {
            Ok(t) => t,
            Err(TableError::TableDoesNotExist(_)) => return Ok(QuestionPage::default()),
            Err(e) => return Err(e.into()),
        };
        for item in table.iter()? {
            lines.push(QUESTIONS.decode(item?.1.value())?.line());
        }
        lines.sort_by(queue_order);
    } else {
        let index = match txn.open_table(QUESTIONS_BY_ASKER) {
            Ok(t) => t,
            Err(TableError::TableDoesNotExist(_)) => return Ok(QuestionPage::default()),
            Err(e) => return Err(e.into()),
        };
        let org = p.organisation.0.as_str();
        let who = p.subject.as_str();
        for item in index.range((org, who, 0)..=(org, who, u64::MAX))?.rev() {
            if let Some(q) = QUESTIONS.get(txn, item?.0.value().2)? {
                lines.push(q.line());
            }
        }
    }
    let total = u32::try_from(lines.len()).unwrap_or(u32::MAX);
    let start = usize::try_from(page.saturating_mul(QUESTIONS_PAGE)).unwrap_or(usize::MAX);
    Ok(QuestionPage {
        items: lines
            .into_iter()
            .skip(start)
            .take(QUESTIONS_PAGE as usize)
            .collect(),
        total,
        page,
        per_page: QUESTIONS_PAGE,
    })
}

impl Engine {
    /// Appends `event` to the trail (durable), then commits `txn`: a change the trail cannot
    /// record is not made.
    async fn audited_commit(
        &self,
        actor: &Actor,
        txn: crate::gate::Writing,
        event: AuditEvent,
    ) -> Result<(), EngineError> {
        self.audit()
            .append(self.entry(actor, actor.purpose, event))
            .await?;
        txn.commit()?;
        Ok(())
    }

    /// Records a refusal of a contact, notice, fee or attestation request and answers it.
    pub(crate) async fn refuse_service<T>(
        &self,
        actor: &Actor,
        reason: Denied,
    ) -> Result<T, EngineError> {
        self.audit()
            .append(self.entry(actor, actor.purpose, refused(reason)))
            .await?;
        Err(EngineError::Denied(reason))
    }

    /// The contact page: questions (one page), the viewer's subscription, and for staff every
    /// notice and the latest of the outbox.
    pub async fn contact(&self, actor: &Actor, page: u32) -> Result<ContactPage, EngineError> {
        let p = principal(actor)?;
        let txn = self.register().begin_read()?;
        let staff = is_staff(&txn, p, self.clock().now().date_in_finland())?;
        let mut out = ContactPage {
            registry: staff,
            questions: question_page(&txn, p, staff, page)?,
            subscription: SUBSCRIPTIONS.get(&txn, p.subject.as_str())?,
            ..ContactPage::default()
        };
        if staff {
            out.notices = all_notices(&txn)?;
            out.notices.reverse();
            if let Ok(outbox) = txn.open_table(OUTBOX.definition()) {
                out.outbox_total = u32::try_from(outbox.len()?).unwrap_or(u32::MAX);
                for item in outbox.iter()?.rev().take(OUTBOX_SHOWN) {
                    out.outbox.push(OUTBOX.decode(item?.1.value())?);
                }
            }
        }
        Ok(out)
    }

    /// Sends a question to the registry's experts.
    pub async fn ask(&self, actor: &Actor, form: QuestionForm) -> Result<QuestionId, EngineError> {
        let p = principal(actor)?;
        let new = form.check().map_err(EngineError::Rejected)?;
        let now = self.clock().now();
        // A signed-in person needs no right to ask: what one person may keep waiting is
        // bounded, so nobody can fill the register with questions.
        if open_questions(&self.register().begin_read()?, p)? >= OPEN_QUESTIONS_MAX {
            return self.refuse_service(actor, Denied::TooManyOpen).await;
        }
        let txn = self.write().await?;
        let id = {
            let mut questions = QUESTIONS.writer(&txn)?;
            let id = QuestionId(questions.last_key()?.map_or(1, |k| k + 1));
            questions.insert(
                id.0,
                &Question {
                    id,
                    organisation: p.organisation.clone(),
                    organisation_name: p.organisation_name.clone(),
                    asker: p.subject.clone(),
                    asker_name: p.name.clone(),
                    topic: new.topic,
                    subject: new.subject,
                    created: now,
                    state: QuestionState::Open,
                    messages: vec![Message {
                        at: now,
                        by_name: p.name.clone(),
                        party: Party::Applicant,
                        text: new.text,
                    }],
                },
            )?;
            txn.open_table(QUESTIONS_BY_ASKER)?
                .insert((p.organisation.0.as_str(), p.subject.as_str(), id.0), ())?;
            id
        };
        self.audited_commit(
            actor,
            txn,
            AuditEvent::QuestionAsked {
                question: id,
                topic: new.topic,
            },
        )
        .await?;
        Ok(id)
    }

    /// One question with its thread, for its asker or registry staff.
    pub async fn question(&self, actor: &Actor, id: QuestionId) -> Result<Question, EngineError> {
        let p = principal(actor)?;
        let txn = self.register().begin_read()?;
        let staff = is_staff(&txn, p, self.clock().now().date_in_finland())?;
        match QUESTIONS.get(&txn, id.0)? {
            Some(q) if staff || asker_of(&q, p) => Ok(q),
            _ => Err(EngineError::NotFound),
        }
    }

    /// A message on a question's thread (staff: an answer), or with `close` the question's
    /// closing (with an optional last word). Answers the state it leaves.
    pub async fn reply(
        &self,
        actor: &Actor,
        id: QuestionId,
        text: &str,
        close: bool,
    ) -> Result<QuestionState, EngineError> {
        let p = principal(actor)?;
        let text = parse_message(text).map_err(|e| EngineError::Rejected(vec![e]))?;
        if text.is_none() && !close {
            return Err(EngineError::Rejected(vec![FieldError::new(
                Field::Message,
                ValidationError::Required(Field::Message),
            )]));
        }
        let now = self.clock().now();
        let staff = is_staff(&self.register().begin_read()?, p, now.date_in_finland())?;
        let txn = self.write().await?;
        let state = {
            let mut questions = QUESTIONS.writer(&txn)?;
            let Some(mut q) = questions.get(id.0)?.filter(|q| staff || asker_of(q, p)) else {
                return Err(EngineError::NotFound);
            };
            let next = if close {
                (q.state != QuestionState::Closed).then_some(QuestionState::Closed)
            } else {
                q.state.after_message(staff && !asker_of(&q, p))
            };
            let Some(next) = next.filter(|_| q.messages.len() < QUESTION_MESSAGES_MAX) else {
                drop(questions);
                drop(txn);
                return self.refuse_service(actor, Denied::NotFromThisState).await;
            };
            if let Some(text) = text {
                q.messages.push(Message {
                    at: now,
                    by_name: p.name.clone(),
                    party: if asker_of(&q, p) {
                        Party::Applicant
                    } else {
                        Party::Registry
                    },
                    text,
                });
            }
            q.state = next;
            questions.insert(id.0, &q)?;
            next
        };
        self.audited_commit(
            actor,
            txn,
            AuditEvent::QuestionMessage {
                question: id,
                state,
            },
        )
        .await?;
        Ok(state)
    }

    /// The notices shown to everyone signed in today, newest first.
    pub async fn current_notices(&self, actor: &Actor) -> Result<Vec<Notice>, EngineError> {
        principal(actor)?;
        let today = self.clock().now().date_in_finland();
        let txn = self.register().begin_read()?;
        let mut out: Vec<Notice> = all_notices(&txn)?
            .into_iter()
            .filter(|n| n.current(today))
            .collect();
        out.reverse();
        Ok(out)
    }

    /// Publishes a notice (registry staff) and, in the same transaction, queues one e-mail
    /// per subscriber in their language. Answers the notice's number and the mails queued.
    pub async fn publish_notice(
        &self,
        actor: &Actor,
        form: NoticeForm,
    ) -> Result<(u64, u32), EngineError> {
        let p = principal(actor)?;
        let now = self.clock().now();
        let today = now.date_in_finland();
        if !is_staff(&self.register().begin_read()?, p, today)? {
            return self.refuse_service(actor, Denied::RegistryStaffOnly).await;
        }
        let new = form.check(today).map_err(EngineError::Rejected)?;
        let txn = self.write().await?;
        let (id, mails) = {
            let mut notices = NOTICES.writer(&txn)?;
            let id = notices.last_key()?.map_or(1, |k| k + 1);
            let notice = Notice {
                id,
                kind: new.kind,
                title: new.title,
                body: new.body,
                until: new.until,
                published: now,
                by_name: p.name.clone(),
                withdrawn: false,
            };
            notices.insert(id, &notice)?;
            let subscribers: Vec<Subscription> = match txn.open_table(SUBSCRIPTIONS.definition()) {
                Ok(table) => table
                    .iter()?
                    .map(|item| {
                        item.map_err(EngineError::from)
                            .and_then(|(_, v)| SUBSCRIPTIONS.decode(v.value()))
                    })
                    .collect::<Result<_, _>>()?,
                Err(e) => return Err(e.into()),
            };
            let mut outbox = OUTBOX.writer(&txn)?;
            let first = outbox.last_key()?.map_or(1, |k| k + 1);
            for (next, s) in (first..).zip(&subscribers) {
                let (subject, body) = notice_mail(&notice, s.lang);
                outbox.insert(
                    next,
                    &Mail {
                        id: next,
                        to: s.email.clone(),
                        subject,
                        body,
                        created: now,
                        state: MailState::Waiting,
                    },
                )?;
            }
            (id, u32::try_from(subscribers.len()).unwrap_or(u32::MAX))
        };
        self.audited_commit(
            actor,
            txn,
            AuditEvent::NoticePublished { notice: id, mails },
        )
        .await?;
        Ok((id, mails))
    }

    /// Withdraws a notice (registry staff): it is no longer shown.
    pub async fn withdraw_notice(&self, actor: &Actor, id: u64) -> Result<(), EngineError> {
        let p = principal(actor)?;
        if !is_staff(
            &self.register().begin_read()?,
            p,
            self.clock().now().date_in_finland(),
        )? {
            return self.refuse_service(actor, Denied::RegistryStaffOnly).await;
        }
        let txn = self.write().await?;
        {
            let mut notices = NOTICES.writer(&txn)?;
            let Some(mut notice) = notices.get(id)? else {
                return Err(EngineError::NotFound);
            };
            notice.withdrawn = true;
            notices.insert(id, &notice)?;
        }
        self.audited_commit(actor, txn, AuditEvent::NoticeWithdrawn { notice: id })
            .await
    }

    /// Subscribes the viewer to service notices at `email` in `lang`, or with `None` ends the
    /// subscription.
    pub async fn subscribe(
        &self,
        actor: &Actor,
        email: Option<&str>,
        lang: Lang,
    ) -> Result<(), EngineError> {
        let p = principal(actor)?;
        let email = email
            .map(parse_email)
            .transpose()
            .map_err(|e| EngineError::Rejected(vec![e]))?;
        let now = self.clock().now();
        let txn = self.write().await?;
        let subscribed = email.is_some();
        {
            let mut table = SUBSCRIPTIONS.writer(&txn)?;
            match email {
                Some(email) => table.insert(
                    p.subject.as_str(),
                    &Subscription {
                        subject: p.subject.clone(),
                        email,
                        lang,
                        since: now,
                    },
                )?,
                None => table.remove(p.subject.as_str())?,
            }
        }
        self.audited_commit(actor, txn, AuditEvent::NoticeSubscription { subscribed })
            .await
    }

    /// Mail due for an attempt now, oldest first, at most `limit`: for the server's mail
    /// worker, which sends them and reports each with [`Engine::mail_attempted`].
    pub fn due_mail(&self, limit: usize) -> Result<Vec<Mail>, EngineError> {
        let now = self.clock().now();
        let txn = self.register().begin_read()?;
        let table = match txn.open_table(OUTBOX.definition()) {
            Ok(t) => t,
            Err(TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for item in table.iter()? {
            let mail = OUTBOX.decode(item?.1.value())?;
            if mail.due(now) {
                out.push(mail);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Records how sending one mail went.
    pub fn mail_attempted(&self, id: u64, outcome: Result<(), String>) -> Result<(), EngineError> {
        let now = self.clock().now();
        let txn = self.register().begin_write()?;
        {
            let mut outbox = OUTBOX.writer(&txn)?;
            let Some(mut mail) = outbox.get(id)? else {
                return Err(EngineError::NotFound);
            };
            mail.state = mail.after_attempt(now, outcome);
            outbox.insert(id, &mail)?;
        }
        txn.commit()?;
        Ok(())
    }
}

fn all_notices(txn: &ReadTransaction) -> Result<Vec<Notice>, EngineError> {
    let table = match txn.open_table(NOTICES.definition()) {
        Ok(t) => t,
        Err(TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::new();
    for item in table.iter()? {
        out.push(NOTICES.decode(item?.1.value())?);
    }
    Ok(out)
}
