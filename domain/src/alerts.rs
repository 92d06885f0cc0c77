//! The alert rules (DOMAIN.md §5.4 and §5.6): one table of what in an official's use of the
//! register is worth a responsible user's or the registry's look, and the one pure function
//! that applies it to a user's lookups in the order they were made. What a rule needs to know
//! beyond the trail (a looked-up person is a colleague, the user themselves, someone sharing
//! their surname and address) comes in as facts the caller found; a fact nobody could find is
//! `false`, never a guess.

#[cfg(test)]
mod tests;
mod texts;
use texts as t;

use crate::audit::{AuditEntry, AuditEvent, SearchResult};
use crate::date::Timestamp;
use crate::hetu::Hetu;
use crate::lang::{Lang, Text};
use crate::search::Search;
use crate::subject::SubjectKind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, VecDeque};

pub use crate::alert_rule::Rule;

/// One rule as the table states it: how far back it looks, how much it takes, and what it
/// tells the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleSpec {
    pub rule: Rule,
    /// How far back, in minutes, the rule counts lookups; a raised alert is not raised again
    /// for the same user (and, for a rule about a person, the same person) within it.
    pub window_minutes: i64,
    /// How many lookups it takes (for `Burst`: how many times the user's usual hourly count,
    /// and at least [`BURST_FLOOR`]).
    pub threshold: u32,
    pub text: Text,
}

/// A burst is never fewer lookups in an hour than this, however quiet the user usually is.
pub const BURST_FLOOR: u32 = 60;
/// Of `NotFound`'s lookups, at least this share in per cent found nobody.
pub const NOT_FOUND_PERCENT: u32 = 50;
/// Night in Finland: from 23.00 to 05.00 local time.
pub const NIGHT: (i64, i64) = (23, 5);

/// The rule table.
pub const RULES: [RuleSpec; 9] = [
    RuleSpec {
        rule: Rule::SequentialCodes,
        window_minutes: 30,
        threshold: 8,
        text: t::SEQUENTIAL_CODES,
    },
    RuleSpec {
        rule: Rule::OneBirthDate,
        window_minutes: 60,
        threshold: 15,
        text: t::ONE_BIRTH_DATE,
    },
    RuleSpec {
        rule: Rule::NotFound,
        window_minutes: 60,
        threshold: 20,
        text: t::NOT_FOUND,
    },
    RuleSpec {
        rule: Rule::Protected,
        window_minutes: 24 * 60,
        threshold: 1,
        text: t::PROTECTED,
    },
    RuleSpec {
        rule: Rule::Colleague,
        window_minutes: 24 * 60,
        threshold: 1,
        text: t::COLLEAGUE,
    },
    RuleSpec {
        rule: Rule::Own,
        window_minutes: 24 * 60,
        threshold: 1,
        text: t::OWN,
    },
    RuleSpec {
        rule: Rule::Household,
        window_minutes: 24 * 60,
        threshold: 1,
        text: t::HOUSEHOLD,
    },
    RuleSpec {
        rule: Rule::Burst,
        window_minutes: 60,
        threshold: 5,
        text: t::BURST,
    },
    RuleSpec {
        rule: Rule::Night,
        window_minutes: 6 * 60,
        threshold: 1,
        text: t::NIGHT,
    },
];

impl Rule {
    pub const ALL: [Rule; 9] = [
        Rule::SequentialCodes,
        Rule::OneBirthDate,
        Rule::NotFound,
        Rule::Protected,
        Rule::Colleague,
        Rule::Own,
        Rule::Household,
        Rule::Burst,
        Rule::Night,
    ];

    /// The rule's line in the table.
    pub fn spec(self) -> RuleSpec {
        RULES
            .into_iter()
            .find(|s| s.rule == self)
            .unwrap_or(RULES[0])
    }

    pub fn text(self) -> Text {
        self.spec().text
    }
}

/// What a rule may know of a looked-up person beyond the trail.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Under a protection order.
    pub protected: bool,
    /// Works in the user's own organisation.
    pub colleague: bool,
    /// Is the user.
    pub own: bool,
    /// Shares the user's surname and address.
    pub household: bool,
}

/// One lookup of a user, as the rules see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    pub at: Timestamp,
    /// The identity code searched for, when it was an identity-code search.
    pub code: Option<Hetu>,
    /// Found somebody (or something).
    pub found: bool,
    /// The person looked up, by any stable key, and what is known of them.
    pub person: Option<(String, Facts)>,
}

/// One trail entry as the rules see it: a search (an identity code's too, with the code), a
/// screen opened or not found, or a refused search (a sweep goes on when refused); `None` for
/// what is not a lookup (sign-ins, reports, registry records, a failure inside the service).
pub fn lookup_of(entry: &AuditEntry) -> Option<Lookup> {
    let code = |criteria: &Search| match criteria {
        Search::Hetu(h) => Some(*h),
        _ => None,
    };
    let person = |subject: &crate::subject::SubjectRef, protected: bool| {
        (subject.kind() == SubjectKind::Person).then(|| {
            (
                subject.audit_key(),
                Facts {
                    protected,
                    ..Facts::default()
                },
            )
        })
    };
    let (code, found, person) = match &entry.event {
        AuditEvent::SearchRun { criteria, result } => (
            code(criteria),
            !matches!(result, SearchResult::NotFound),
            None,
        ),
        AuditEvent::ScreenViewed {
            subject, protected, ..
        } => (None, true, person(subject, *protected)),
        AuditEvent::ProtectedRevealed { subject, .. } => (None, true, person(subject, true)),
        AuditEvent::ScreenNotFound { .. } => (None, false, None),
        AuditEvent::AccessDenied {
            criteria: Some(criteria),
            ..
        } => (code(criteria), false, None),
        _ => return None,
    };
    Some(Lookup {
        at: entry.at,
        code,
        found,
        person,
    })
}

/// An alert as its readers see it: the rule, whose use and when, and the span of the user's
/// entries behind it (from `since` to `at`, read in the log). The person a rule about one
/// person was raised for is not named here: the log names or masks them for its reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// The trail entry that raised it (with `rule`, the alert's identity).
    pub entry: u64,
    pub rule: Rule,
    pub organisation: String,
    pub user: String,
    /// The user's name as the entry recorded it.
    pub name: String,
    pub at: Timestamp,
    /// Where the rule's window began: the entries behind the alert are the user's from here.
    pub since: Timestamp,
    pub handled: Option<Handled>,
}

/// How an alert was handled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handled {
    pub by_name: String,
    pub at: Timestamp,
    pub note: String,
}

/// One page of alerts, newest first; `next`: the entry to ask `before` for the next page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertPage {
    pub alerts: Vec<Alert>,
    pub next: Option<u64>,
    /// The whole service's alerts (registry staff), not one organisation's.
    pub registry: bool,
}

/// Alerts a page shows.
pub const ALERT_PAGE: usize = 50;

impl Rule {
    /// The rule as a number for keys (its place in [`Rule::ALL`]).
    pub fn code(self) -> u8 {
        Rule::ALL
            .iter()
            .position(|r| *r == self)
            .and_then(|i| u8::try_from(i).ok())
            .unwrap_or(u8::MAX)
    }

    pub fn from_code(code: u8) -> Option<Rule> {
        Rule::ALL.get(usize::from(code)).copied()
    }

    /// The rule's window as milliseconds.
    pub fn window_millis(self) -> i64 {
        self.spec().window_minutes * MINUTE_MS
    }
}

/// The e-mail telling a responsible user or the registry of `alert`, in `lang`: what the rule
/// says, whose use, when, and where to read the entries (`link`). Never a looked-up person.
pub fn alert_mail(alert: &Alert, lang: Lang, link: &str) -> (String, String) {
    let subject = format!(
        "Kysely: {} – {}",
        t::MAIL_SUBJECT.get(lang),
        alert.rule.text().get(lang)
    );
    let body = format!(
        "{}\n\n{}: {}\n{}: {} ({}, {})\n{}: {} – {}\n\n{}\n{link}\n",
        t::MAIL_INTRO.get(lang),
        t::MAIL_RULE.get(lang),
        alert.rule.text().get(lang),
        t::MAIL_USER.get(lang),
        alert.name,
        alert.user,
        alert.organisation,
        t::MAIL_PERIOD.get(lang),
        alert.since.finnish_local(),
        alert.at.finnish_local(),
        t::MAIL_READ.get(lang),
    );
    (subject, body)
}

/// What was raised: the rule, when, and about whom (for a rule about one person).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raised {
    pub rule: Rule,
    pub at: Timestamp,
    pub person: Option<String>,
}

/// One user's recent lookups and what was raised about them, fed in order. What it keeps is
/// bounded by what the rules need, not by how fast the user goes: a count for the hour, and
/// per birth date the individual numbers searched and when each was last searched (at most
/// 1,000), so a lookup costs the same at the thousandth lookup of an hour as at the first.
#[derive(Clone, Debug, Default)]
pub struct Watch {
    /// The last hour's lookups (the longest counting window), oldest first: when, whether it
    /// found anything, and the identity code's birth date (days) and individual number.
    recent: VecDeque<Kept>,
    /// Of `recent`, how many found nothing.
    missed: u32,
    /// Birth date (days) → individual number → when last searched, within the last hour.
    codes: HashMap<i64, BTreeMap<u16, i64>>,
    /// When each rule (and person) last raised an alert.
    raised: Vec<(Rule, Option<String>, Timestamp)>,
}

/// One lookup as a watch keeps it: when (millis), whether it found anything, and its identity
/// code as (birth date in days, individual number).
type Kept = (i64, bool, Option<(i64, u16)>);

const MINUTE_MS: i64 = 60_000;

/// The longest window in which a rule counts lookups.
fn counting_window() -> i64 {
    RULES
        .iter()
        .filter(|s| {
            matches!(
                s.rule,
                Rule::SequentialCodes | Rule::OneBirthDate | Rule::NotFound | Rule::Burst
            )
        })
        .map(|s| s.window_minutes)
        .max()
        .unwrap_or(60)
        * MINUTE_MS
}

impl Watch {
    /// Applies the table to `lookup`, the user's next lookup; `usual_per_hour`: the user's
    /// usual lookups an hour (from their own statistics; 0 when they have none). Returns
    /// what it raised.
    pub fn observe(&mut self, lookup: Lookup, usual_per_hour: u32) -> Vec<Raised> {
        let now = lookup.at;
        let longest = counting_window();
        while let Some(&(at, found, code)) = self.recent.front() {
            if at > now.0 - longest {
                break;
            }
            self.recent.pop_front();
            self.missed -= u32::from(!found);
            if let Some((day, number)) = code
                && let Some(numbers) = self.codes.get_mut(&day)
            {
                // Searched again since: that later search keeps it.
                if numbers.get(&number) == Some(&at) {
                    numbers.remove(&number);
                }
                if numbers.is_empty() {
                    self.codes.remove(&day);
                }
            }
        }
        self.raised
            .retain(|(rule, _, at)| at.0 > now.0 - rule.spec().window_minutes * MINUTE_MS);
        let code = lookup
            .code
            .as_ref()
            .map(|c| (c.birth_date().days_since_epoch(), c.individual_number()));
        self.recent.push_back((now.0, lookup.found, code));
        self.missed += u32::from(!lookup.found);
        if let Some((day, number)) = code {
            self.codes.entry(day).or_default().insert(number, now.0);
        }
        let mut out = Vec::new();
        for spec in RULES {
            if let Some(person) = self.hit(spec, &lookup, code, usual_per_hour) {
                let already = self
                    .raised
                    .iter()
                    .any(|(rule, p, _)| *rule == spec.rule && *p == person);
                if !already {
                    self.raised.push((spec.rule, person.clone(), now));
                    out.push(Raised {
                        rule: spec.rule,
                        at: now,
                        person,
                    });
                }
            }
        }
        out
    }

    /// Remembers an alert raised before (a restart warms the watch from the stored alerts):
    /// it is not raised again within its rule's window.
    pub fn remember(&mut self, rule: Rule, person: Option<String>, at: Timestamp) {
        if !self
            .raised
            .iter()
            .any(|(r, p, a)| *r == rule && *p == person && *a == at)
        {
            self.raised.push((rule, person, at));
        }
    }

    /// Whether `spec` is hit by the newest lookup (`last`, its code as birth date and
    /// individual number): `Some(None)` about the user, `Some(Some(p))` about person `p`,
    /// `None` not hit.
    fn hit(
        &self,
        spec: RuleSpec,
        last: &Lookup,
        code: Option<(i64, u16)>,
        usual_per_hour: u32,
    ) -> Option<Option<String>> {
        let since = last.at.0 - spec.window_minutes * MINUTE_MS;
        let person_rule = |fact: fn(&Facts) -> bool| {
            last.person
                .as_ref()
                .filter(|(_, facts)| fact(facts))
                .map(|(p, _)| Some(p.clone()))
        };
        match spec.rule {
            Rule::SequentialCodes => {
                let (day, number) = code?;
                // The run of codes of this birth date searched within the window whose
                // individual numbers are each within 2 of the next, through the newest one,
                // walked out from it in the sorted map until it breaks or is long enough.
                // (Any run of eight holds the lookup that completed it, and its alert holds
                // as long as the window: the run through the newest is the only one to count.)
                let numbers = self.codes.get(&day)?;
                let need = spec.threshold as usize;
                let within = |(n, at): (&u16, &i64)| (*at > since).then_some(*n);
                let mut run = 1;
                let mut next = number;
                for n in numbers.range(..number).rev().filter_map(within) {
                    if run >= need || next - n > 2 {
                        break;
                    }
                    run += 1;
                    next = n;
                }
                next = number;
                let above = (
                    std::ops::Bound::Excluded(number),
                    std::ops::Bound::Unbounded,
                );
                for n in numbers.range(above).filter_map(within) {
                    if run >= need || n - next > 2 {
                        break;
                    }
                    run += 1;
                    next = n;
                }
                (run >= need).then_some(None)
            }
            Rule::OneBirthDate => {
                let (day, _) = code?;
                let need = spec.threshold as usize;
                let codes = self
                    .codes
                    .get(&day)?
                    .values()
                    // (This rule's window is the kept hour today, so the filter keeps all;
                    // it holds the rule to its own window should the table change.)
                    .filter(|at| **at > since)
                    .take(need)
                    .count();
                (codes >= need).then_some(None)
            }
            Rule::NotFound => {
                // The whole kept hour: this rule's window is the longest.
                let all = u32::try_from(self.recent.len()).unwrap_or(u32::MAX);
                (all >= spec.threshold && self.missed * 100 >= all * NOT_FOUND_PERCENT)
                    .then_some(None)
            }
            Rule::Burst => {
                let count = u32::try_from(self.recent.len()).unwrap_or(u32::MAX);
                let bar = usual_per_hour
                    .saturating_mul(spec.threshold)
                    .max(BURST_FLOOR);
                (count >= bar).then_some(None)
            }
            Rule::Night => {
                let local = last.at.0 + last.at.finland_offset_millis();
                let hour = local.rem_euclid(86_400_000) / 3_600_000;
                (hour >= NIGHT.0 || hour < NIGHT.1).then_some(None)
            }
            Rule::Protected => person_rule(|f| f.protected),
            Rule::Colleague => person_rule(|f| f.colleague),
            Rule::Own => person_rule(|f| f.own),
            Rule::Household => person_rule(|f| f.household),
        }
    }
}
