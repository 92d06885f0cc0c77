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
use crate::gate::command::{Command, Query, Records, Verdict};
use crate::gate::standing::{Standing, principal_of as principal};
use crate::store::Recording;
use crate::store::{
    CONFIRMATIONS, NOTICE_TEXTS, NOTICES, OUTBOX, OUTBOX_DUE, QUESTION_QUEUE, QUESTIONS,
    QUESTIONS_BY_ASKER, QUESTIONS_OPEN, SUBSCRIPTIONS, open_or_empty,
};
use domain::access::Denied;
use domain::audit::{AuditEvent, RecordRef};
use domain::contact::{
    CONFIRMATIONS_PER_DAY, Confirmation, ContactPage, Mail, MailState, Notice, NoticeForm,
    NoticeShown, QUESTION_MESSAGES_MAX, QUESTIONS_PAGE, QUESTIONS_PER_DAY, Question, QuestionForm,
    QuestionId, QuestionPage, QuestionState, Subscription, SubscriptionState, confirmation_mail,
    notice_mail, parse_email, queue_key,
};
use domain::eservice::{Message, Party, parse_message};
use domain::{Actor, Field, FieldError, Lang, Principal, ValidationError};
use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata};
use sha2::{Digest, Sha256};

/// How many questions one person may have waiting for the registry (not yet answered).
pub const OPEN_QUESTIONS_MAX: usize = 20;

/// Why the asker may not send another question now, if so: too many waiting, or today's
/// allowance used. Reads at most [`OPEN_QUESTIONS_MAX`] index keys and
/// [`QUESTIONS_PER_DAY`] questions, however many the person has sent over the years.
fn may_ask(
    txn: &Recording<'_>,
    p: &Principal,
    today: domain::Date,
) -> Result<Option<Denied>, EngineError> {
    let (org, who) = (p.organisation.as_str(), p.subject.as_str());
    let open = txn.open_table(QUESTIONS_OPEN)?;
    if open
        .range((org, who, 0)..=(org, who, u64::MAX))?
        .take(OPEN_QUESTIONS_MAX)
        .count()
        >= OPEN_QUESTIONS_MAX
    {
        return Ok(Some(Denied::TooManyOpen));
    }
    let mine = txn.open_table(QUESTIONS_BY_ASKER)?;
    let questions = QUESTIONS.writer(txn)?;
    let mut sent_today = 0;
    for item in mine
        .range((org, who, 0)..=(org, who, u64::MAX))?
        .rev()
        .take(QUESTIONS_PER_DAY)
    {
        match questions.get(item?.0.value().2)? {
            Some(q) if q.created.date_in_finland() == today => sent_today += 1,
            _ => break,
        }
    }
    Ok((sent_today >= QUESTIONS_PER_DAY).then_some(Denied::TooManyToday))
}

/// Writes a question and keeps its indexes in step: staff's queue order, and the asker's
/// questions waiting for the registry. `before`: the question as it was (`None`: new).
fn store_question(
    txn: &Recording<'_>,
    before: Option<&Question>,
    q: &Question,
) -> Result<(), EngineError> {
    let mut queue = txn.open_table(QUESTION_QUEUE)?;
    let mut open = txn.open_table(QUESTIONS_OPEN)?;
    let asker = (q.organisation.as_str(), q.asker.as_str(), q.id.0);
    if let Some(old) = before {
        let (rank, key) = queue_key(old.state, old.updated());
        queue.remove((rank, key, old.id.0))?;
    }
    let (rank, key) = queue_key(q.state, q.updated());
    queue.insert((rank, key, q.id.0), ())?;
    if q.state == QuestionState::Open {
        open.insert(asker, ())?;
    } else {
        open.remove(asker)?;
    }
    QUESTIONS.writer(txn)?.insert(q.id.0, q)?;
    Ok(())
}

/// Outbox lines staff see at once (the latest).
pub const OUTBOX_SHOWN: usize = 50;

/// The most mail one pruning removes (one bounded transaction; the next round goes on).
const PRUNE_BATCH: usize = 10_000;

/// Puts one mail in the outbox (or updates it) and keeps the due index in step. `before`: the
/// mail as it was (`None`: new).
pub(crate) fn store_mail(
    txn: &Recording<'_>,
    before: Option<&Mail>,
    mail: &Mail,
) -> Result<(), EngineError> {
    let mut due = txn.open_table(OUTBOX_DUE)?;
    if let Some(at) = before.and_then(Mail::due_at) {
        due.remove((at.0, mail.id))?;
    }
    if let Some(at) = mail.due_at() {
        due.insert((at.0, mail.id), ())?;
    }
    OUTBOX.writer(txn)?.insert(mail.id, mail)?;
    Ok(())
}

fn asker_of(q: &Question, p: &Principal) -> bool {
    q.asker == p.subject && q.organisation == p.organisation
}

/// The viewer's questions, newest first, or (staff) everyone's in the queue's order: one page,
/// read from the index in its order, so only the page's questions are decoded.
fn question_page(
    txn: &ReadTransaction,
    p: &Principal,
    staff: bool,
    page: u32,
) -> Result<QuestionPage, EngineError> {
    let start = usize::try_from(page.saturating_mul(QUESTIONS_PAGE)).unwrap_or(usize::MAX);
    let per_page = QUESTIONS_PAGE as usize;
    let (ids, total) = if staff {
        let Some(queue) = open_or_empty(txn, QUESTION_QUEUE)? else {
            return Ok(QuestionPage::default());
        };
        let mut ids = Vec::with_capacity(per_page);
        for item in queue.iter()?.skip(start).take(per_page) {
            ids.push(item?.0.value().2);
        }
        (ids, queue.len()?)
    } else {
        let Some(index) = open_or_empty(txn, QUESTIONS_BY_ASKER)? else {
            return Ok(QuestionPage::default());
        };
        let (org, who) = (p.organisation.as_str(), p.subject.as_str());
        let mine = || index.range((org, who, 0)..=(org, who, u64::MAX));
        let mut ids = Vec::with_capacity(per_page);
        for item in mine()?.rev().skip(start).take(per_page) {
            ids.push(item?.0.value().2);
        }
        (ids, mine()?.count() as u64)
    };
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(q) = QUESTIONS.get(txn, id)? {
            items.push(q.line());
        }
    }
    Ok(QuestionPage {
        items,
        total: u32::try_from(total).unwrap_or(u32::MAX),
        page,
        per_page: QUESTIONS_PAGE,
    })
}

impl Engine {
    /// The contact page: questions (one page), the viewer's subscription, and for staff every
    /// notice and the latest of the outbox.
    pub async fn contact(&self, actor: &Actor, page: u32) -> Result<ContactPage, EngineError> {
        self.look(actor, Page { page }).await
    }

    /// Sends a question to the registry's experts.
    pub async fn ask(&self, actor: &Actor, form: QuestionForm) -> Result<QuestionId, EngineError> {
        principal(actor)?;
        let new = form.check().map_err(EngineError::Rejected)?;
        self.act(actor, Ask { new }).await
    }

    /// One question with its thread, for its asker or registry staff.
    pub async fn question(&self, actor: &Actor, id: QuestionId) -> Result<Question, EngineError> {
        self.look(actor, OneQuestion { id }).await
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
        principal(actor)?;
        let text = parse_message(text).map_err(|e| EngineError::Rejected(vec![e]))?;
        if text.is_none() && !close {
            return Err(EngineError::Rejected(vec![FieldError::new(
                Field::Message,
                ValidationError::Required(Field::Message),
            )]));
        }
        self.act(actor, Reply { id, text, close }).await
    }

    /// The notices shown to everyone signed in today, newest first.
    pub async fn current_notices(&self, actor: &Actor) -> Result<Vec<NoticeShown>, EngineError> {
        self.look(actor, CurrentNotices).await
    }

    /// Publishes a notice (registry staff) and, in the same transaction, queues one e-mail
    /// per subscriber in their language. Answers the notice's number and the mails queued.
    pub async fn publish_notice(
        &self,
        actor: &Actor,
        form: NoticeForm,
    ) -> Result<(u64, u32), EngineError> {
        self.act(actor, Publish { form }).await
    }

    /// Withdraws a notice (registry staff): it is no longer shown.
    pub async fn withdraw_notice(&self, actor: &Actor, id: u64) -> Result<(), EngineError> {
        self.act(actor, Withdraw { id }).await
    }

    /// Subscribes the viewer to service notices at `email` in `lang`, or with `None` ends the
    /// subscription. A new address gets a confirmation message with a link (`link` makes it
    /// from the token) and no notice before the link is followed by the same user
    /// ([`Engine::confirm_subscription`]); at most [`CONFIRMATIONS_PER_DAY`] such messages a
    /// day per user. The confirmed address, subscribed again, only changes its language.
    pub async fn subscribe(
        &self,
        actor: &Actor,
        email: Option<&str>,
        lang: Lang,
        link: &(dyn Fn(&str) -> String + Sync),
    ) -> Result<SubscriptionState, EngineError> {
        principal(actor)?;
        let email = email
            .map(parse_email)
            .transpose()
            .map_err(|e| EngineError::Rejected(vec![e]))?;
        self.act(actor, Subscribe { email, lang, link }).await
    }

    /// Confirms the viewer's subscription with the link's token: only the user who subscribed,
    /// only with the latest link, once. Answers the confirmed address.
    pub async fn confirm_subscription(
        &self,
        actor: &Actor,
        token: &str,
    ) -> Result<String, EngineError> {
        let hash = hex::encode(Sha256::digest(token.as_bytes()));
        self.act(actor, Confirm { hash }).await
    }

    /// Mail due for an attempt now, the longest due first, at most `limit`: for the server's
    /// mail worker, which sends them and reports each with [`Engine::mail_attempted`]. Read
    /// from the due index: what is sent or given up is never looked at again.
    pub fn due_mail(&self, limit: usize) -> Result<Vec<Mail>, EngineError> {
        let now = self.clock().now();
        let txn = self.service_read()?;
        let Some(due) = open_or_empty(&txn, OUTBOX_DUE)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for item in due.range(..=(now.0, u64::MAX))?.take(limit) {
            if let Some(mail) = OUTBOX.get(&txn, item?.0.value().1)? {
                out.push(mail);
            }
        }
        Ok(out)
    }

    /// Records how sending one mail went.
    pub fn mail_attempted(&self, id: u64, outcome: Result<(), String>) -> Result<(), EngineError> {
        let now = self.clock().now();
        let (txn, decided_at) = self.service_write()?;
        let recording = Recording::new(&txn);
        {
            let Some(before) = OUTBOX.writer(&recording)?.get(id)? else {
                return Err(EngineError::NotFound);
            };
            let mail = Mail {
                state: before.after_attempt(now, outcome),
                ..before.clone()
            };
            store_mail(&recording, Some(&before), &mail)?;
        }
        let writes = recording.into_writes();
        self.commit_records_blocking(txn, decided_at, writes)
    }

    /// Removes the outbox's mail made more than `keep_seconds` ago, whatever became of it
    /// (sent, given up, or never sent for want of a mail server: the notice it carries is old
    /// news by then), at most [`PRUNE_BATCH`] at a time. Answers how many went. Mail is
    /// numbered as it is made, so the oldest come first and the scan stops at the first that
    /// is kept.
    pub fn prune_mail(&self, keep_seconds: i64) -> Result<usize, EngineError> {
        let cutoff = self.clock().now().plus_seconds(-keep_seconds);
        let (txn, decided_at) = self.service_write()?;
        let recording = Recording::new(&txn);
        let mut old = Vec::new();
        {
            let outbox = recording.open_table(OUTBOX.definition())?;
            for item in outbox.iter()?.take(PRUNE_BATCH) {
                let mail = OUTBOX.decode(item?.1.value())?;
                if mail.created >= cutoff {
                    break;
                }
                old.push(mail);
            }
        }
        {
            let mut outbox = OUTBOX.writer(&recording)?;
            let mut due = recording.open_table(OUTBOX_DUE)?;
            for mail in &old {
                outbox.remove(mail.id)?;
                if let Some(at) = mail.due_at() {
                    due.remove((at.0, mail.id))?;
                }
            }
        }
        let writes = recording.into_writes();
        self.commit_records_blocking(txn, decided_at, writes)?;
        Ok(old.len())
    }
}

/// Every notice with its words in each language written, oldest first.
fn all_notices(txn: &ReadTransaction) -> Result<Vec<NoticeShown>, EngineError> {
    let Some(table) = open_or_empty(txn, NOTICES.definition())? else {
        return Ok(Vec::new());
    };
    let texts = open_or_empty(txn, NOTICE_TEXTS.definition())?;
    let mut out = Vec::new();
    for item in table.iter()? {
        let (key, value) = item?;
        let texts = match &texts {
            Some(t) => t
                .get(key.value())?
                .map(|v| NOTICE_TEXTS.decode(v.value()))
                .transpose()?
                .unwrap_or_default(),
            None => Vec::new(),
        };
        out.push(NoticeShown {
            notice: NOTICES.decode(value.value())?,
            texts,
        });
    }
    Ok(out)
}

/// The contact page.
struct Page {
    page: u32,
}

impl Query for Page {
    type Output = ContactPage;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<ContactPage>, EngineError> {
        let (txn, p, staff) = (records.txn, who.principal(), who.is_staff());
        let mut out = ContactPage {
            registry: staff,
            questions: question_page(txn, p, staff, self.page)?,
            subscription: SUBSCRIPTIONS.get(txn, p.subject.as_str())?,
            ..ContactPage::default()
        };
        if staff {
            out.notices = all_notices(txn)?;
            out.notices.reverse();
            if let Some(outbox) = open_or_empty(txn, OUTBOX.definition())? {
                out.outbox_total = u32::try_from(outbox.len()?).unwrap_or(u32::MAX);
                for item in outbox.iter()?.rev().take(OUTBOX_SHOWN) {
                    out.outbox.push(OUTBOX.decode(item?.1.value())?);
                }
            }
        }
        Ok(Verdict::quiet(out))
    }
}

/// A new question.
struct Ask {
    new: domain::contact::NewQuestion,
}

impl Command for Ask {
    type Output = QuestionId;

    fn apply(
        self,
        txn: &Recording<'_>,
        who: &Standing,
    ) -> Result<Verdict<QuestionId>, EngineError> {
        let (p, now, new) = (who.principal(), who.now(), self.new);
        // A signed-in person needs no right to ask: what one person may keep waiting and send
        // in a day is bounded, so nobody can fill the register with questions (asking and
        // closing in a loop included). Decided in the transaction that writes.
        if let Some(reason) = may_ask(txn, p, who.today())? {
            return Ok(Verdict::service_refused(reason));
        }
        let id = QuestionId(QUESTIONS.writer(txn)?.last_key()?.map_or(1, |k| k + 1));
        let question = Question {
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
        };
        store_question(txn, None, &question)?;
        txn.open_table(QUESTIONS_BY_ASKER)?
            .insert((p.organisation.as_str(), p.subject.as_str(), id.0), ())?;
        Ok(Verdict::done(
            AuditEvent::QuestionAsked {
                question: id,
                topic: new.topic,
            },
            id,
        ))
    }
}

/// One question with its thread.
struct OneQuestion {
    id: QuestionId,
}

impl Query for OneQuestion {
    type Output = Question;

    fn read(self, records: &Records<'_>, who: &Standing) -> Result<Verdict<Question>, EngineError> {
        Ok(match QUESTIONS.get(records.txn, self.id.0)? {
            Some(q) if who.is_staff() || asker_of(&q, who.principal()) => Verdict::quiet(q),
            _ => Verdict::not_found(RecordRef::Question(self.id)),
        })
    }
}

/// A message on a question's thread, or its closing.
struct Reply {
    id: QuestionId,
    text: Option<String>,
    close: bool,
}

impl Command for Reply {
    type Output = QuestionState;

    fn apply(
        self,
        txn: &Recording<'_>,
        who: &Standing,
    ) -> Result<Verdict<QuestionState>, EngineError> {
        let (p, id, staff) = (who.principal(), self.id, who.is_staff());
        let Some(mut q) = QUESTIONS
            .writer(txn)?
            .get(id.0)?
            .filter(|q| staff || asker_of(q, p))
        else {
            return Ok(Verdict::not_found(RecordRef::Question(id)));
        };
        let before = q.clone();
        let next = if self.close {
            (q.state != QuestionState::Closed).then_some(QuestionState::Closed)
        } else {
            q.state.after_message(staff && !asker_of(&q, p))
        };
        let Some(next) = next.filter(|_| q.messages.len() < QUESTION_MESSAGES_MAX) else {
            return Ok(Verdict::service_refused(Denied::NotFromThisState));
        };
        if let Some(text) = self.text {
            q.messages.push(Message {
                at: who.now(),
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
        store_question(txn, Some(&before), &q)?;
        Ok(Verdict::done(
            AuditEvent::QuestionMessage {
                question: id,
                state: next,
            },
            next,
        ))
    }
}

/// Today's notices.
struct CurrentNotices;

impl Query for CurrentNotices {
    type Output = Vec<NoticeShown>;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<Vec<NoticeShown>>, EngineError> {
        let today = who.today();
        let mut out: Vec<NoticeShown> = all_notices(records.txn)?
            .into_iter()
            .filter(|n| n.notice.current(today))
            .collect();
        out.reverse();
        Ok(Verdict::quiet(out))
    }
}

/// A notice published, with its mail to the subscribers.
struct Publish {
    form: NoticeForm,
}

impl Command for Publish {
    type Output = (u64, u32);

    fn apply(
        self,
        txn: &Recording<'_>,
        who: &Standing,
    ) -> Result<Verdict<(u64, u32)>, EngineError> {
        let (p, now, today) = (who.principal(), who.now(), who.today());
        if let Err(denied) = who.staff_decision() {
            return Ok(Verdict::service_refused(denied));
        }
        let new = self.form.check(today).map_err(EngineError::Rejected)?;
        let mut notices = NOTICES.writer(txn)?;
        let id = notices.last_key()?.map_or(1, |k| k + 1);
        // The record keeps the first language's words (what a reader of an older version
        // shows); every language's words are kept beside it.
        let first = new.texts.first().cloned().ok_or_else(|| {
            EngineError::Rejected(vec![FieldError::new(
                Field::Title,
                ValidationError::Required(Field::Title),
            )])
        })?;
        let notice = Notice {
            id,
            kind: new.kind,
            title: first.title,
            body: first.body,
            until: new.until,
            published: now,
            by_name: p.name.clone(),
            withdrawn: false,
        };
        notices.insert(id, &notice)?;
        NOTICE_TEXTS.writer(txn)?.insert(id, &new.texts)?;
        let notice = NoticeShown {
            notice,
            texts: new.texts,
        };
        // Only confirmed addresses: nobody signed in has notices sent to a stranger.
        let subscribers: Vec<Subscription> = txn
            .open_table(SUBSCRIPTIONS.definition())?
            .iter()?
            .map(|item| {
                item.map_err(EngineError::from)
                    .and_then(|(_, v)| SUBSCRIPTIONS.decode(v.value()))
            })
            .filter(|s| !matches!(s, Ok(s) if !s.confirmed))
            .collect::<Result<_, _>>()?;
        let first = OUTBOX.writer(txn)?.last_key()?.map_or(1, |k| k + 1);
        for (next, s) in (first..).zip(&subscribers) {
            let (subject, body) = notice_mail(&notice, s.lang);
            let mail = Mail {
                id: next,
                to: s.email.clone(),
                subject,
                body,
                created: now,
                state: MailState::Waiting,
            };
            store_mail(txn, None, &mail)?;
        }
        let mails = u32::try_from(subscribers.len()).unwrap_or(u32::MAX);
        Ok(Verdict::done(
            AuditEvent::NoticePublished { notice: id, mails },
            (id, mails),
        ))
    }
}

/// A notice withdrawn.
struct Withdraw {
    id: u64,
}

impl Command for Withdraw {
    type Output = ();

    fn apply(self, txn: &Recording<'_>, who: &Standing) -> Result<Verdict<()>, EngineError> {
        if let Err(denied) = who.staff_decision() {
            return Ok(Verdict::service_refused(denied));
        }
        let mut notices = NOTICES.writer(txn)?;
        let Some(mut notice) = notices.get(self.id)? else {
            return Ok(Verdict::not_found(RecordRef::Notice(self.id)));
        };
        notice.withdrawn = true;
        notices.insert(self.id, &notice)?;
        Ok(Verdict::done(
            AuditEvent::NoticeWithdrawn { notice: self.id },
            (),
        ))
    }
}

/// A subscription started, changed or ended.
struct Subscribe<'l> {
    email: Option<String>,
    lang: Lang,
    link: &'l (dyn Fn(&str) -> String + Sync),
}

impl Command for Subscribe<'_> {
    type Output = SubscriptionState;

    fn apply(
        self,
        txn: &Recording<'_>,
        who: &Standing,
    ) -> Result<Verdict<SubscriptionState>, EngineError> {
        let (p, now, today, lang) = (who.principal(), who.now(), who.today(), self.lang);
        let subject = p.subject.as_str();
        let mut table = SUBSCRIPTIONS.writer(txn)?;
        let existing = table.get(subject)?;
        let state = match self.email {
            None => {
                table.remove(subject)?;
                SubscriptionState::Ended
            }
            Some(email)
                if existing
                    .as_ref()
                    .is_some_and(|s| s.confirmed && s.email == email) =>
            {
                if let Some(mut s) = existing {
                    s.lang = lang;
                    table.insert(subject, &s)?;
                }
                SubscriptionState::Confirmed
            }
            Some(email) => {
                let mut confirmations = CONFIRMATIONS.writer(txn)?;
                let sent = confirmations
                    .get(subject)?
                    .filter(|c| c.day == today)
                    .map_or(0, |c| c.sent);
                if sent >= CONFIRMATIONS_PER_DAY {
                    return Ok(Verdict::service_refused(Denied::TooManyConfirmations));
                }
                let token = crate::sessions::random_token();
                confirmations.insert(
                    subject,
                    &Confirmation {
                        token_sha256: Some(hex::encode(Sha256::digest(token.as_bytes()))),
                        day: today,
                        sent: sent + 1,
                    },
                )?;
                table.insert(
                    subject,
                    &Subscription {
                        subject: p.subject.clone(),
                        email: email.clone(),
                        lang,
                        since: now,
                        confirmed: false,
                    },
                )?;
                drop(confirmations);
                drop(table);
                let (mail_subject, body) = confirmation_mail(lang, &(self.link)(&token));
                let id = OUTBOX.writer(txn)?.last_key()?.map_or(1, |k| k + 1);
                store_mail(
                    txn,
                    None,
                    &Mail {
                        id,
                        to: email,
                        subject: mail_subject,
                        body,
                        created: now,
                        state: MailState::Waiting,
                    },
                )?;
                SubscriptionState::AwaitingConfirmation
            }
        };
        let subscribed = state != SubscriptionState::Ended;
        Ok(Verdict::done(
            AuditEvent::NoticeSubscription { subscribed },
            state,
        ))
    }
}

/// A subscription confirmed by its link's token (its SHA-256).
struct Confirm {
    hash: String,
}

impl Command for Confirm {
    type Output = String;

    fn apply(self, txn: &Recording<'_>, who: &Standing) -> Result<Verdict<String>, EngineError> {
        let subject = who.principal().subject.as_str();
        let mut table = SUBSCRIPTIONS.writer(txn)?;
        let mut confirmations = CONFIRMATIONS.writer(txn)?;
        let pending = confirmations.get(subject)?;
        Ok(match (table.get(subject)?, pending) {
            (Some(mut s), Some(mut c))
                if !s.confirmed && c.token_sha256.as_deref() == Some(self.hash.as_str()) =>
            {
                s.confirmed = true;
                c.token_sha256 = None;
                table.insert(subject, &s)?;
                confirmations.insert(subject, &c)?;
                Verdict::done(AuditEvent::SubscriptionConfirmed, s.email)
            }
            _ => Verdict::service_refused(Denied::ConfirmationInvalid),
        })
    }
}
