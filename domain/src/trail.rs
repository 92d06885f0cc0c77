//! Reading the audit trail (DOMAIN.md §5.6): the log investigation of registry staff and an
//! organisation's own log for its responsible user. The search form as typed and its one
//! validation (browser and server), the filter an entry is matched against, what a query
//! event did and how it ended, the row a reader sees and its CSV. Pure: the engine finds the
//! candidate entries through the trail's indexes and resolves identity codes and subjects.

#[cfg(test)]
mod tests;
mod texts;
use texts as t;

use crate::access::Purpose;
use crate::audit::{AuditEntry, AuditEvent, SearchResult};
use crate::catalogue::ScreenId;
use crate::date::{Date, Timestamp};
use crate::hetu::Hetu;
use crate::ids::{BuildingId, PropertyId};
use crate::lang::{Lang, Text};
use crate::principal::{OrgId, UserId};
use crate::search::{Search, SearchKind};
use crate::subject::{SubjectKind, SubjectRef};
use crate::validation::{DateRule, Field, FieldError, ValidationError};
use serde::{Deserialize, Serialize};

/// How many rows one page holds.
pub const PAGE: usize = 50;
/// How many rows one CSV export holds at most (a narrower search exports the rest).
pub const EXPORT_MAX: usize = 10_000;
/// How many other subjects a row names (the count says how many there were).
pub const SHOWN_MAX: usize = 20;

/// A search of the trail as the reader typed it; every field may be left blank.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailForm {
    /// A person's identity code (current or earlier), a permanent building id or a property
    /// id.
    #[serde(default)]
    pub subject: String,
    /// The user's id as the identity provider names them.
    #[serde(default)]
    pub user: String,
    /// The organisation's id (registry staff; a responsible user reads their own).
    #[serde(default)]
    pub organisation: String,
    /// The first and the last day of the period, as typed (`d.m.yyyy` or `yyyy-mm-dd`).
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub purpose: Option<Purpose>,
    /// A screen (by slug) or a search (`search.hetu`), as the form's list sends it.
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// The page: entries older than this one (the `next` of the page before).
    #[serde(default)]
    pub before: Option<u64>,
}

impl TrailForm {
    /// The form as a URL's query (`subject=…&from=…`; blank fields left out): the CSV link
    /// of the search on screen.
    pub fn to_query(&self) -> String {
        let purpose = self.purpose.map(Purpose::slug).unwrap_or_default();
        let outcome = self.outcome.map(Outcome::slug).unwrap_or_default();
        let before = self.before.map(|b| b.to_string()).unwrap_or_default();
        [
            ("subject", self.subject.trim()),
            ("user", self.user.trim()),
            ("organisation", self.organisation.trim()),
            ("from", self.from.trim()),
            ("to", self.to.trim()),
            ("purpose", purpose),
            ("action", self.action.trim()),
            ("outcome", outcome),
            ("before", before.as_str()),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// The form a query made by [`TrailForm::to_query`] holds. Unknown keys are ignored; a
    /// purpose, outcome or page that is none reads as not given (the search is then wider,
    /// never narrower, and the form shows what was read).
    pub fn from_query(query: &str) -> TrailForm {
        let mut form = TrailForm::default();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            match key {
                "subject" => form.subject = value,
                "user" => form.user = value,
                "organisation" => form.organisation = value,
                "from" => form.from = value,
                "to" => form.to = value,
                "purpose" => form.purpose = Purpose::ALL.into_iter().find(|p| p.slug() == value),
                "action" => form.action = value,
                "outcome" => form.outcome = Outcome::ALL.into_iter().find(|o| o.slug() == value),
                "before" => form.before = value.parse().ok(),
                _ => {}
            }
        }
        form
    }
}

/// Every byte but the unreserved characters of RFC 3986 as `%XX`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `%XX` and `+` (a space, as forms send it) decoded; a malformed escape is kept as typed,
/// and bytes that are no UTF-8 are replaced.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|c| char::from(*c).to_digit(16))
                .and_then(|d| u8::try_from(d).ok())
        };
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(hi * 16 + lo);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The subject a search of the trail is about, as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrailSubject {
    /// Every code the person has had finds the same person.
    Person(Hetu),
    Building(BuildingId),
    Property(PropertyId),
}

/// A validated search of the trail.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailQuery {
    pub subject: Option<TrailSubject>,
    pub user: Option<UserId>,
    pub organisation: Option<OrgId>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub purpose: Option<Purpose>,
    pub action: Option<Action>,
    pub outcome: Option<Outcome>,
    pub before: Option<u64>,
}

impl TrailForm {
    /// The one validation of the form: every field's error at once, in the reader's words.
    pub fn validate(&self) -> Result<TrailQuery, Vec<FieldError>> {
        let mut errors = Vec::new();
        let subject = kept(&mut errors, parse_subject(&self.subject));
        let user = kept(
            &mut errors,
            parse_id(&self.user, Field::User, UserId::parse),
        );
        let organisation = kept(
            &mut errors,
            parse_id(&self.organisation, Field::Organisation, OrgId::parse),
        );
        let mut day = |input: &str, field: Field| {
            let s = input.trim();
            if s.is_empty() {
                return None;
            }
            match Date::parse_input(s) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(FieldError::new(field, e));
                    None
                }
            }
        };
        let from = day(&self.from, Field::PeriodFrom);
        let to = day(&self.to, Field::PeriodTo);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.push(FieldError::new(
                Field::PeriodTo,
                ValidationError::Date(DateRule::BeforeStart),
            ));
        }
        let action = match self.action.trim() {
            "" => None,
            slug => match Action::from_slug(slug) {
                Some(a) => Some(a),
                None => {
                    errors.push(FieldError::new(
                        Field::Action,
                        ValidationError::Choose(Field::Action),
                    ));
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok(TrailQuery {
                subject,
                user,
                organisation,
                from,
                to,
                purpose: self.purpose,
                action,
                outcome: self.outcome,
                before: self.before,
            })
        } else {
            Err(errors)
        }
    }
}

/// The value of a field that keeps its rule; the broken rule otherwise, kept with the others.
fn kept<T>(errors: &mut Vec<FieldError>, field: Result<Option<T>, FieldError>) -> Option<T> {
    field.unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

/// A user's or an organisation's id as typed (trimmed; `None` when blank).
fn parse_id<T, E>(
    input: &str,
    field: Field,
    parse: fn(&str) -> Result<T, E>,
) -> Result<Option<T>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > 64 {
        return Err(FieldError::new(
            field,
            ValidationError::TooLong { field, max: 64 },
        ));
    }
    parse(s)
        .map(Some)
        .map_err(|_| FieldError::new(field, ValidationError::Characters(field)))
}

/// An identity code, a permanent building id or a property id, told apart by their shapes.
fn parse_subject(input: &str) -> Result<Option<TrailSubject>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let hetu = s.parse::<Hetu>();
    if let Ok(h) = hetu {
        return Ok(Some(TrailSubject::Person(h)));
    }
    if let Ok(b) = s.parse::<BuildingId>() {
        return Ok(Some(TrailSubject::Building(b)));
    }
    if let Ok(p) = s.parse::<PropertyId>() {
        return Ok(Some(TrailSubject::Property(p)));
    }
    // Most who type here look for a person: say what is wrong with the identity code.
    Err(match hetu {
        Err(e) => FieldError::new(Field::TrailSubject, e),
        Ok(_) => FieldError::new(Field::TrailSubject, ValidationError::Required(Field::Hetu)),
    })
}

/// What a query event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Screen(ScreenId),
    Search(SearchKind),
    /// Somebody read the trail (a log investigation, an organisation's log).
    LogRead,
}

impl Action {
    /// The form's value: the screen's slug, `search.hetu`, `log`.
    pub fn slug(self) -> &'static str {
        match self {
            Action::Screen(s) => s.spec().slug,
            Action::Search(k) => k.slug(),
            Action::LogRead => "log",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Action> {
        if slug == "log" {
            return Some(Action::LogRead);
        }
        if let Some(kind) = SearchKind::ALL.iter().find(|k| k.slug() == slug) {
            return Some(Action::Search(*kind));
        }
        ScreenId::from_slug(slug).map(Action::Screen)
    }

    pub fn title(self) -> Text {
        match self {
            Action::Screen(s) => s.spec().title,
            Action::Search(k) => k.title(),
            Action::LogRead => t::LOG_READ,
        }
    }
}

/// How a query event ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Data was shown (a screen, a hit or a list of hits).
    Shown,
    /// Protected data the permit withholds was revealed with a typed reason.
    Revealed,
    /// Nothing was found.
    NotFound,
    /// More hits than a list shows; none was listed.
    TooMany,
    /// The request was refused.
    Refused,
    /// The service failed; nothing was disclosed.
    Failed,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Shown,
        Outcome::Revealed,
        Outcome::NotFound,
        Outcome::TooMany,
        Outcome::Refused,
        Outcome::Failed,
    ];

    pub fn title(self) -> Text {
        match self {
            Outcome::Shown => t::OUTCOME_SHOWN,
            Outcome::Revealed => t::OUTCOME_REVEALED,
            Outcome::NotFound => t::OUTCOME_NOT_FOUND,
            Outcome::TooMany => t::OUTCOME_TOO_MANY,
            Outcome::Refused => t::OUTCOME_REFUSED,
            Outcome::Failed => t::OUTCOME_FAILED,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Outcome::Shown => "shown",
            Outcome::Revealed => "revealed",
            Outcome::NotFound => "not-found",
            Outcome::TooMany => "too-many",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        }
    }
}

/// What a query event did and how it ended; `None` for the events that are no query of the
/// register or of the trail (sign-ins, the registry's records, contact).
pub fn classify(event: &AuditEvent) -> Option<(Action, Outcome)> {
    let of_request = |request: &crate::access::Request| match request {
        crate::access::Request::Screen { screen, .. } => Action::Screen(*screen),
        crate::access::Request::Search(kind) => Action::Search(*kind),
    };
    Some(match event {
        AuditEvent::SearchRun { criteria, result } => (
            Action::Search(criteria.kind()),
            match result {
                SearchResult::NotFound => Outcome::NotFound,
                SearchResult::TooMany => Outcome::TooMany,
                SearchResult::Found(_) | SearchResult::Several(_) => Outcome::Shown,
            },
        ),
        AuditEvent::ScreenViewed { screen, .. } => (Action::Screen(*screen), Outcome::Shown),
        AuditEvent::ProtectedRevealed { screen, .. } => {
            (Action::Screen(*screen), Outcome::Revealed)
        }
        AuditEvent::ScreenNotFound { screen, .. } => (Action::Screen(*screen), Outcome::NotFound),
        AuditEvent::QueryFailed { request, .. } => (of_request(request), Outcome::Failed),
        AuditEvent::AccessDenied { request, .. } => (of_request(request), Outcome::Refused),
        AuditEvent::TrailRead { .. } => (Action::LogRead, Outcome::Shown),
        _ => return None,
    })
}

/// The filter an entry is matched against, with the subject resolved to the register's own
/// reference (a person by their internal id, whatever code was typed) and the period as
/// instants.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrailFilter {
    pub subject: Option<SubjectRef>,
    pub user: Option<String>,
    pub organisation: Option<String>,
    /// From this instant (inclusive) to that (exclusive).
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub purpose: Option<Purpose>,
    pub action: Option<Action>,
    pub outcome: Option<Outcome>,
}

impl TrailFilter {
    /// The filter of a query, its subject resolved by the caller.
    pub fn of(query: &TrailQuery, subject: Option<SubjectRef>) -> TrailFilter {
        TrailFilter {
            subject,
            user: query.user.as_ref().map(|u| u.as_str().to_owned()),
            organisation: query.organisation.as_ref().map(|o| o.as_str().to_owned()),
            from: query.from.map(Timestamp::start_of_finnish_day),
            until: query
                .to
                .map(|d| Timestamp::start_of_finnish_day(d.add_days(1))),
            purpose: query.purpose,
            action: query.action,
            outcome: query.outcome,
        }
    }

    /// Whether `entry` is a query event that every given criterion matches.
    pub fn matches(&self, entry: &AuditEntry) -> bool {
        let Some((action, outcome)) = classify(&entry.event) else {
            return false;
        };
        self.user.as_ref().is_none_or(|u| *u == entry.actor.user)
            && self
                .organisation
                .as_ref()
                .is_none_or(|o| *o == entry.actor.organisation)
            && self.from.is_none_or(|from| entry.at >= from)
            && self.until.is_none_or(|until| entry.at < until)
            && self.purpose.is_none_or(|p| entry.purpose == Some(p))
            && self.action.is_none_or(|a| a == action)
            && self.outcome.is_none_or(|o| o == outcome)
            && self
                .subject
                .is_none_or(|s| entry.event.subjects().contains(&s))
    }
}

/// A subject as a row names it: its identifier and name today, or masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectLabel {
    pub kind: SubjectKind,
    /// The identity code, building id, dwelling or property id; blank when masked.
    pub id: String,
    /// The person's name or the building's address; blank when masked or unknown.
    pub name: String,
    /// A person under a protection order, and the reader's permit does not cover protected
    /// data.
    pub masked: bool,
}

impl SubjectLabel {
    /// The label as one line of text (`masked` when it is).
    pub fn describe(&self, lang: Lang) -> String {
        if self.masked {
            return t::MASKED.get(lang).to_owned();
        }
        match (self.id.is_empty(), self.name.is_empty()) {
            (false, false) => format!("{} {}", self.id, self.name),
            (false, true) => self.id.clone(),
            (true, _) => self.name.clone(),
        }
    }
}

/// One entry as a reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailRow {
    pub seq: u64,
    pub at: Timestamp,
    pub organisation: String,
    pub user: String,
    pub user_name: String,
    pub purpose: Option<Purpose>,
    pub case_ref: Option<String>,
    pub action: Action,
    pub outcome: Outcome,
    /// The subject asked for or shown (for a search: the one hit).
    pub subject: Option<SubjectLabel>,
    /// The others the answer showed or listed (residents, relatives, owners, hits), the first
    /// [`SHOWN_MAX`], and how many there were.
    pub shown: Vec<SubjectLabel>,
    pub shown_total: u32,
    /// Protected data was withheld, or protected persons left out of a list.
    pub withheld: bool,
    /// A search's criteria, even when nothing was found.
    pub criteria: Option<Search>,
}

impl TrailRow {
    /// The subjects an entry's row names first and besides: the one asked for or found, and
    /// the others shown or listed.
    pub fn subjects_of(event: &AuditEvent) -> (Option<SubjectRef>, Vec<SubjectRef>, bool) {
        match event {
            AuditEvent::SearchRun { result, .. } => match result {
                SearchResult::Found(s) => (Some(*s), Vec::new(), false),
                SearchResult::Several(hits) => (None, hits.clone(), false),
                SearchResult::NotFound | SearchResult::TooMany => (None, Vec::new(), false),
            },
            AuditEvent::ScreenViewed {
                subject,
                shown,
                withheld,
                ..
            } => (Some(*subject), shown.clone(), *withheld),
            AuditEvent::ProtectedRevealed { subject, shown, .. } => {
                (Some(*subject), shown.clone(), false)
            }
            AuditEvent::TrailRead { subject, .. } => (*subject, Vec::new(), false),
            other => (other.subjects().first().copied(), Vec::new(), false),
        }
    }

    /// Drops the criteria when any subject the row names is masked: what was typed to find a
    /// masked person (a code, a name and birth date) would name them, whether they were the
    /// one hit or one of a list (a protection order may have begun after the search).
    pub fn mask_criteria(mut self) -> TrailRow {
        let masked = self
            .subject
            .iter()
            .chain(self.shown.iter())
            .any(|s| s.masked);
        if masked {
            self.criteria = None;
        }
        self
    }

    /// The criteria of a search entry (run, refused or failed).
    pub fn criteria_of(event: &AuditEvent) -> Option<Search> {
        match event {
            AuditEvent::SearchRun { criteria, .. } => Some(criteria.clone()),
            AuditEvent::QueryFailed { criteria, .. }
            | AuditEvent::AccessDenied { criteria, .. } => criteria.clone(),
            _ => None,
        }
    }
}

/// One page of a search of the trail, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailPage {
    pub rows: Vec<TrailRow>,
    /// Where the next page starts (its `before`), if there may be more.
    pub next: Option<u64>,
    /// The page stopped short after reading as many entries as one page may: the next page
    /// goes on from the entries older than these.
    pub partial: bool,
    /// Whose log was read: one organisation's (a responsible user's own, or the one registry
    /// staff named), `None` the whole trail.
    pub organisation: Option<String>,
    /// Read by registry staff (the form offers every organisation).
    pub registry: bool,
}

/// A search's criteria as one line (the values typed, labelled in `lang`).
pub fn describe_criteria(search: &Search, lang: Lang) -> String {
    let label = |f: Field| f.label().get(lang);
    match search {
        Search::Hetu(h) => format!("{}: {h}", label(Field::Hetu)),
        Search::Satu(s) => format!("{}: {s}", label(Field::Satu)),
        Search::Name {
            surname,
            first_names,
            birth_date,
            municipality,
        } => {
            let mut s = format!(
                "{}: {surname}, {}: {first_names}, {}: {}",
                label(Field::Surname),
                label(Field::FirstNames),
                label(Field::BirthDate),
                birth_date.to_finnish()
            );
            if let Some(m) = municipality {
                s.push_str(&format!(", {}: {m}", label(Field::Municipality)));
            }
            s
        }
        Search::Address {
            street,
            house_number,
            dwelling,
            postal_code,
            municipality,
        } => {
            let mut s = format!("{}: {street} {house_number}", label(Field::Street));
            if let Some(d) = dwelling {
                s.push_str(&format!(" {d}"));
            }
            if let Some(p) = postal_code {
                s.push_str(&format!(", {}: {p}", label(Field::PostalCode)));
            }
            if let Some(m) = municipality {
                s.push_str(&format!(", {}: {m}", label(Field::Municipality)));
            }
            s
        }
        Search::Building(b) => format!("{}: {b}", label(Field::BuildingId)),
        Search::OldBuilding(b) => format!("{}: {b}", label(Field::OldBuildingId)),
        Search::Dwelling(d) => format!("{}: {}", label(Field::Dwelling), d.label()),
        Search::Property(p) => format!("{}: {p}", label(Field::PropertyId)),
    }
}

/// Rows as CSV in `lang` (`;`-separated, as Finnish spreadsheets open it): time in Finland,
/// organisation, user, purpose, case reference, what was done, how it ended, the subject,
/// the others shown, withheld, the criteria.
pub fn csv(rows: &[TrailRow], lang: Lang) -> String {
    let field = crate::fees::csv_field;
    let mut out = t::CSV_HEADER
        .iter()
        .map(|h| h.get(lang))
        .collect::<Vec<_>>()
        .join(";");
    out.push_str("\r\n");
    for r in rows {
        let shown = r
            .shown
            .iter()
            .map(|s| s.describe(lang))
            .collect::<Vec<_>>()
            .join(", ");
        let line = [
            r.seq.to_string(),
            r.at.finnish_local(),
            field(&r.organisation),
            field(&r.user),
            field(&r.user_name),
            r.purpose
                .map(|p| p.text().get(lang).to_owned())
                .unwrap_or_default(),
            field(r.case_ref.as_deref().unwrap_or("")),
            field(r.action.title().get(lang)),
            field(r.outcome.title().get(lang)),
            field(
                &r.subject
                    .as_ref()
                    .map(|s| s.describe(lang))
                    .unwrap_or_default(),
            ),
            field(&shown),
            r.shown_total.to_string(),
            if r.withheld {
                t::YES.get(lang).to_owned()
            } else {
                String::new()
            },
            field(
                &r.criteria
                    .as_ref()
                    .map(|c| describe_criteria(c, lang))
                    .unwrap_or_default(),
            ),
        ]
        .join(";");
        out.push_str(&line);
        out.push_str("\r\n");
    }
    out
}
