//! Contact with the registry from inside the application, and the registry's service notices:
//! questions answered in a thread the asker sees, notices of planned breaks and incidents shown
//! to everyone signed in, subscriptions to them by e-mail, and the outgoing mail those make
//! (what a message says in the subscriber's language, and how often sending is tried).

mod texts;
use texts as t;

use crate::Lang;
use crate::date::{Date, Timestamp};
use crate::eservice::{Message, is_email, parse_message};
use crate::lang::Text;
use crate::library::parse_title;
use crate::principal::{OrgId, UserId};
use crate::validation::{Field, FieldError, ValidationError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A question's number, shown as `K-00012`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QuestionId(pub u64);

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "K-{:05}", self.0)
    }
}

/// What a question is about: the registry routes it to the right expert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Topic {
    Permit,
    Rights,
    Technical,
    Fees,
    Other,
}

impl Topic {
    pub const ALL: [Topic; 5] = [
        Topic::Permit,
        Topic::Rights,
        Topic::Technical,
        Topic::Fees,
        Topic::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Topic::Permit => "permit",
            Topic::Rights => "rights",
            Topic::Technical => "technical",
            Topic::Fees => "fees",
            Topic::Other => "other",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.slug() == slug)
    }

    pub fn text(self) -> Text {
        match self {
            Topic::Permit => t::TOPIC_PERMIT,
            Topic::Rights => t::TOPIC_RIGHTS,
            Topic::Technical => t::TOPIC_TECHNICAL,
            Topic::Fees => t::TOPIC_FEES,
            Topic::Other => t::TOPIC_OTHER,
        }
    }
}

/// Where a question stands: waiting for the registry, answered (waiting for the asker, who may
/// write again), or closed by either side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuestionState {
    Open,
    Answered,
    Closed,
}

impl QuestionState {
    pub fn text(self) -> Text {
        match self {
            QuestionState::Open => t::QUESTION_STATE_OPEN,
            QuestionState::Answered => t::QUESTION_STATE_ANSWERED,
            QuestionState::Closed => t::QUESTION_STATE_CLOSED,
        }
    }

    /// The state after a message from the asker (`registry` false) or the registry.
    pub fn after_message(self, registry: bool) -> Option<QuestionState> {
        match self {
            QuestionState::Closed => None,
            _ if registry => Some(QuestionState::Answered),
            _ => Some(QuestionState::Open),
        }
    }
}

/// One question and its thread. `messages[0]` is the question itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    pub organisation: OrgId,
    pub organisation_name: String,
    /// The asker's provider subject and name.
    pub asker: UserId,
    pub asker_name: String,
    pub topic: Topic,
    pub subject: String,
    pub created: Timestamp,
    pub state: QuestionState,
    pub messages: Vec<Message>,
}

impl Question {
    /// When anyone last wrote.
    pub fn updated(&self) -> Timestamp {
        self.messages.last().map_or(self.created, |m| m.at)
    }

    pub fn line(&self) -> QuestionLine {
        QuestionLine {
            id: self.id,
            subject: self.subject.clone(),
            topic: self.topic,
            state: self.state,
            asker_name: self.asker_name.clone(),
            organisation_name: self.organisation_name.clone(),
            updated: self.updated(),
        }
    }
}

/// The longest thread: a question that needs more is a case for a meeting.
pub const QUESTION_MESSAGES_MAX: usize = 100;

/// A question as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionLine {
    pub id: QuestionId,
    pub subject: String,
    pub topic: Topic,
    pub state: QuestionState,
    pub asker_name: String,
    pub organisation_name: String,
    pub updated: Timestamp,
}

/// Registry staff's order: waiting for an answer first, the longest-waiting first; then the
/// rest, the latest first.
pub fn queue_order(a: &QuestionLine, b: &QuestionLine) -> std::cmp::Ordering {
    queue_key(a.state, a.updated).cmp(&queue_key(b.state, b.updated))
}

/// Where a question stands in registry staff's order, as a sortable key (the store keeps the
/// queue in this order, so a page of it is read without sorting every question).
pub fn queue_key(state: QuestionState, updated: Timestamp) -> (u8, i64) {
    match state {
        QuestionState::Open => (0, updated.0),
        QuestionState::Answered | QuestionState::Closed => (1, -updated.0),
    }
}

/// How many questions one person may send in a day: enough for any real need, and a bound on
/// what a signed-in person without any right can make the register store.
pub const QUESTIONS_PER_DAY: usize = 10;

/// Questions per page.
pub const QUESTIONS_PAGE: u32 = 20;

/// One page of questions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionPage {
    pub items: Vec<QuestionLine>,
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

/// A message that must be there: its text, or the problem added to `errors`.
pub fn required_message(input: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match parse_message(input) {
        Ok(Some(t)) => Some(t),
        Ok(None) => {
            errors.push(FieldError::new(
                Field::Message,
                ValidationError::Required(Field::Message),
            ));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// A question as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionForm {
    pub topic: String,
    pub subject: String,
    pub text: String,
}

/// A question that passed its checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewQuestion {
    pub topic: Topic,
    pub subject: String,
    pub text: String,
}

impl QuestionForm {
    /// Every field's problem at once, or the question to store.
    pub fn check(&self) -> Result<NewQuestion, Vec<FieldError>> {
        let mut errors = Vec::new();
        let topic = Topic::from_slug(&self.topic);
        if topic.is_none() {
            errors.push(FieldError::new(
                Field::Topic,
                ValidationError::Choose(Field::Topic),
            ));
        }
        let subject = parse_title(&self.subject).map_err(|e| errors.push(e)).ok();
        let text = required_message(&self.text, &mut errors);
        match (topic, subject, text) {
            // Each problem leaves its field empty: all three there means no problem.
            (Some(topic), Some(subject), Some(text)) => Ok(NewQuestion {
                topic,
                subject,
                text,
            }),
            _ => Err(errors),
        }
    }
}

/// What a service notice is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticeKind {
    PlannedBreak,
    Incident,
    Info,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 3] = [
        NoticeKind::PlannedBreak,
        NoticeKind::Incident,
        NoticeKind::Info,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            NoticeKind::PlannedBreak => "break",
            NoticeKind::Incident => "incident",
            NoticeKind::Info => "info",
        }
    }

    pub fn from_slug(slug: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    pub fn text(self) -> Text {
        match self {
            NoticeKind::PlannedBreak => t::NOTICE_KIND_PLANNED_BREAK,
            NoticeKind::Incident => t::NOTICE_KIND_INCIDENT,
            NoticeKind::Info => t::NOTICE_KIND_INFO,
        }
    }
}

/// A service notice as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: u64,
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    /// Shown through this day (Finnish time); `None`: until withdrawn.
    pub until: Option<Date>,
    pub published: Timestamp,
    pub by_name: String,
    pub withdrawn: bool,
}

impl Notice {
    /// Shown to everyone signed in on `today`.
    pub fn current(&self, today: Date) -> bool {
        !self.withdrawn && self.until.is_none_or(|last| last >= today)
    }
}

/// A notice's words in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeText {
    pub lang: Lang,
    pub title: String,
    pub body: String,
}

/// A notice as it reaches a reader: the record and its words in each language it was written
/// in (none for a notice published before notices had languages: its record's own words).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeShown {
    pub notice: Notice,
    pub texts: Vec<NoticeText>,
}

impl NoticeShown {
    /// The words for a reader of `lang`: theirs when written, otherwise the first language
    /// written, with that language given so the page can mark it (`lang`, and the language
    /// named) rather than pass Finnish off as Swedish.
    pub fn words(&self, lang: Lang) -> (&str, &str, Option<Lang>) {
        match self.texts.iter().find(|t| t.lang == lang) {
            Some(t) => (&t.title, &t.body, None),
            None => match self.texts.first() {
                Some(t) => (&t.title, &t.body, Some(t.lang)),
                None => (&self.notice.title, &self.notice.body, None),
            },
        }
    }
}

/// A notice's words in one language as staff type them; both blank: not written in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeTextForm {
    pub lang: Lang,
    pub title: String,
    pub body: String,
}

/// A notice as staff type it: in one, two or all three languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeForm {
    pub kind: String,
    /// One per language, in [`Lang::ALL`]'s order.
    pub texts: Vec<NoticeTextForm>,
    /// The last day it is shown, `d.m.yyyy`; blank: until withdrawn.
    pub until: String,
}

impl Default for NoticeForm {
    fn default() -> NoticeForm {
        NoticeForm {
            kind: String::new(),
            texts: Lang::ALL
                .into_iter()
                .map(|lang| NoticeTextForm {
                    lang,
                    title: String::new(),
                    body: String::new(),
                })
                .collect(),
            until: String::new(),
        }
    }
}

impl NoticeForm {
    /// A form written in `lang` only.
    pub fn in_one(kind: NoticeKind, lang: Lang, title: &str, body: &str) -> NoticeForm {
        let mut form = NoticeForm {
            kind: kind.slug().to_owned(),
            ..NoticeForm::default()
        };
        for t in &mut form.texts {
            if t.lang == lang {
                title.clone_into(&mut t.title);
                body.clone_into(&mut t.body);
            }
        }
        form
    }
}

/// A notice that passed its checks, before it has a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewNotice {
    pub kind: NoticeKind,
    /// At least one; each language once.
    pub texts: Vec<NoticeText>,
    pub until: Option<Date>,
}

impl NoticeForm {
    pub fn check(&self, today: Date) -> Result<NewNotice, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = NoticeKind::from_slug(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new(
                Field::Topic,
                ValidationError::Choose(Field::Topic),
            ));
        }
        let mut texts: Vec<NoticeText> = Vec::new();
        // One group per language and no more (a crafted form with thousands is refused whole,
        // not checked entry by entry).
        if self.texts.len() > Lang::ALL.len() {
            return Err(vec![FieldError::new(
                Field::Title,
                ValidationError::TooLong {
                    field: Field::Title,
                    max: Lang::ALL.len() as u16,
                },
            )]);
        }
        for form in &self.texts {
            let (title, body) = (form.title.trim(), form.body.trim());
            if title.is_empty() && body.is_empty() {
                continue;
            }
            if texts.iter().any(|t| t.lang == form.lang) {
                errors.push(FieldError::new(
                    Field::Title,
                    ValidationError::Incomplete {
                        field: Field::Title,
                        lang: form.lang,
                    },
                ));
                continue;
            }
            let mut missing = |field| {
                errors.push(FieldError::new(
                    field,
                    ValidationError::Incomplete {
                        field,
                        lang: form.lang,
                    },
                ));
            };
            if title.is_empty() {
                missing(Field::Title);
                continue;
            }
            if body.is_empty() {
                missing(Field::Message);
                continue;
            }
            let title = parse_title(title).map_err(|e| errors.push(e)).ok();
            let body = required_message(body, &mut errors);
            if let (Some(title), Some(body)) = (title, body) {
                texts.push(NoticeText {
                    lang: form.lang,
                    title,
                    body,
                });
            }
        }
        if texts.is_empty() && errors.iter().all(|e| e.field == Field::Topic) {
            errors.push(FieldError::new(
                Field::Title,
                ValidationError::Required(Field::Title),
            ));
        }
        let until = if self.until.trim().is_empty() {
            None
        } else {
            match Date::parse_input(&self.until) {
                Ok(d) if d >= today => Some(d),
                Ok(_) => {
                    errors.push(FieldError::new(
                        Field::ValidUntil,
                        ValidationError::Date(crate::validation::DateRule::Past),
                    ));
                    None
                }
                Err(e) => {
                    errors.push(FieldError::new(Field::ValidUntil, e));
                    None
                }
            }
        };
        match kind {
            Some(kind) if errors.is_empty() => Ok(NewNotice { kind, texts, until }),
            _ => Err(errors),
        }
    }
}

/// A user's subscription to service notices by e-mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub subject: UserId,
    pub email: String,
    pub lang: Lang,
    pub since: Timestamp,
    /// The address's holder followed the confirmation link: notices are mailed only then, so
    /// nobody signed in can have notices (or anything) sent to an address that is not theirs.
    pub confirmed: bool,
}

/// The confirmation of a subscriber's address: the hash of the link's token (until used) and
/// how many confirmation messages were sent on `day` (bounded, so that nobody makes the
/// service mail a stranger over and over).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub token_sha256: Option<String>,
    pub day: Date,
    pub sent: u32,
}

/// Confirmation messages one person may have sent in a day.
pub const CONFIRMATIONS_PER_DAY: u32 = 5;

/// Where a subscription stands after a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubscriptionState {
    /// A confirmation link went to the address; nothing else is sent there before it is
    /// followed.
    AwaitingConfirmation,
    Confirmed,
    Ended,
}

/// The message that asks the holder of `email` to confirm the subscription, in its language:
/// subject and plain-text body with the link.
pub fn confirmation_mail(lang: Lang, link: &str) -> (String, String) {
    let subject = t::CONFIRMATION_SUBJECT.get(lang).to_owned();
    let body = format!(
        "{}\n\n{link}\n\n{}\n",
        t::CONFIRMATION_BODY.get(lang),
        t::CONFIRMATION_IGNORE.get(lang),
    );
    (subject, body)
}

/// An e-mail address as typed: trimmed, lower-cased domain.
pub fn parse_email(input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(
            Field::Email,
            ValidationError::Required(Field::Email),
        ));
    }
    if !is_email(s) || s.chars().any(char::is_control) {
        return Err(FieldError::new(Field::Email, ValidationError::Email));
    }
    let (local, domain) = s.rsplit_once('@').unwrap_or((s, ""));
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// The contact page: the viewer's questions (staff: everyone's), current notices, their
/// subscription, and for staff every notice and the outbox.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPage {
    pub registry: bool,
    pub questions: QuestionPage,
    pub subscription: Option<Subscription>,
    /// Staff: every notice, newest first (so they can withdraw one).
    pub notices: Vec<NoticeShown>,
    /// Staff: whether mail leaves by SMTP; if not, what waits in the outbox.
    pub smtp: bool,
    pub outbox: Vec<Mail>,
    pub outbox_total: u32,
}

/// How an outgoing message fares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailState {
    /// Not sent yet (no SMTP configured, or not tried yet).
    Waiting,
    Sent {
        at: Timestamp,
    },
    /// The last attempt failed; tried again from `next_try`.
    Failed {
        attempts: u8,
        error: String,
        next_try: Timestamp,
    },
    /// [`MAIL_ATTEMPTS`] attempts failed; staff see it in the outbox.
    GaveUp {
        attempts: u8,
        error: String,
    },
}

/// One outgoing e-mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub id: u64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created: Timestamp,
    pub state: MailState,
}

/// How many times sending one message is tried.
pub const MAIL_ATTEMPTS: u8 = 5;

impl Mail {
    /// Due for an attempt at `now`.
    pub fn due(&self, now: Timestamp) -> bool {
        self.due_at().is_some_and(|at| at <= now)
    }

    /// When its next attempt is due: at once for a new message, after the pause for a failed
    /// one, never for one sent or given up.
    pub fn due_at(&self) -> Option<Timestamp> {
        match &self.state {
            MailState::Waiting => Some(self.created),
            MailState::Failed { next_try, .. } => Some(*next_try),
            MailState::Sent { .. } | MailState::GaveUp { .. } => None,
        }
    }

    /// The state after an attempt at `now`: sent, or failed with the next try after a doubling
    /// pause (1, 2, 4, 8 minutes), or given up after [`MAIL_ATTEMPTS`].
    pub fn after_attempt(&self, now: Timestamp, outcome: Result<(), String>) -> MailState {
        let tried = match &self.state {
            MailState::Failed { attempts, .. } => *attempts,
            _ => 0,
        };
        match outcome {
            Ok(()) => MailState::Sent { at: now },
            Err(error) => {
                let attempts = tried.saturating_add(1);
                if attempts >= MAIL_ATTEMPTS {
                    MailState::GaveUp { attempts, error }
                } else {
                    MailState::Failed {
                        attempts,
                        error,
                        next_try: now.plus_seconds(60 << (attempts - 1)),
                    }
                }
            }
        }
    }
}

/// The e-mail a notice makes for one subscriber, in their language: subject and plain-text
/// body. Nothing of the register is in it.
pub fn notice_mail(shown: &NoticeShown, lang: Lang) -> (String, String) {
    let notice = &shown.notice;
    let (title, text, written_in) = shown.words(lang);
    let subject = format!("Kysely: {} – {title}", notice.kind.text().get(lang));
    let until = match notice.until {
        Some(d) => format!(
            "{} {}\n\n",
            t::NOTICE_IN_EFFECT_UNTIL.get(lang),
            d.to_finnish()
        ),
        None => String::new(),
    };
    let written_in = match written_in {
        Some(other) => format!("({})\n\n", other.in_words().get(lang)),
        None => String::new(),
    };
    let footer = t::NOTICE_FOOTER.get(lang);
    let body = format!(
        "{written_in}{title}\n\n{text}\n\n{until}{}\n\n-- \n{footer}\n",
        notice.published.finnish_local()
    );
    (subject, body)
}

#[cfg(test)]
mod tests;
