//! Abuse limits on register queries, in bounded memory: a query rate per user and per
//! organisation (a token bucket each), and the sweep watch over identity-code searches. A
//! user whose recent identity-code searches look like walking through codes (many of them
//! finding nobody, or many of one birth date: codes in sequence) is first slowed, then has
//! every query refused for a while; each step is recorded once in the audit trail, under the
//! user and their organisation, for the responsible user and the registry.

use crate::limits::{Rate, RateLimiter};
use domain::audit::{AuditEvent, SearchResult, SweepLevel, ThrottleScope};
use domain::{Actor, Search};
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

/// The limits; the defaults suit an official at a desk (a search or a screen every second or
/// two, in bursts) and a large organisation; configuration may change them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QueryLimits {
    pub user: Rate,
    pub organisation: Rate,
    /// Identity-code searches looked at: the latest this many within `window_seconds`.
    pub window_seconds: i64,
    /// Searches in the window from which the not-found share counts.
    pub min_searches: u32,
    /// Slowed at this many codes of one birth date or at `min_searches` with half not found;
    /// blocked at twice as many.
    pub same_birth_date: u32,
    /// How long each identity-code search of a slowed user waits, in milliseconds.
    pub slow_ms: u64,
    /// How long a block lasts.
    pub block_seconds: i64,
}

impl Default for QueryLimits {
    fn default() -> QueryLimits {
        QueryLimits {
            user: Rate {
                per_minute: 120,
                burst: 60,
            },
            organisation: Rate {
                per_minute: 6000,
                burst: 3000,
            },
            window_seconds: 600,
            min_searches: 20,
            same_birth_date: 10,
            slow_ms: 2000,
            block_seconds: 3600,
        }
    }
}

/// Identity-code searches tracked per user at most (and users at most): memory stays bounded.
const KEEP: usize = 256;
const MAX_USERS: usize = 100_000;
/// A throttle is recorded at most this often per user or organisation.
const RECORD_EVERY_MS: i64 = 60_000;

/// Reads of the organisation's reports (usage statistics, fees) per user: a responsible user
/// looks now and then; a loop is refused.
pub const REPORTS: Rate = Rate {
    per_minute: 30,
    burst: 10,
};

/// What the watch says before a query runs.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Run it, after waiting this many milliseconds (0: at once).
    Run { wait_ms: u64 },
    /// Refuse it: over the rate; retry after the seconds given. `record`: the first refusal
    /// of this episode, to go in the trail.
    Throttled {
        retry_after: u64,
        record: Option<ThrottleScope>,
    },
    /// Refuse it: the user is blocked (each refusal is audited like any denial).
    Blocked,
}

#[derive(Default)]
struct Sweep {
    /// (when, birth date part of the code, found anyone)
    recent: VecDeque<(i64, String, bool)>,
    level: Option<SweepLevel>,
    blocked_until: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Signals {
    pub searches: u32,
    pub not_found: u32,
    pub same_birth_date: u32,
}

impl Sweep {
    fn signals(&self) -> Signals {
        let mut dates: HashMap<&str, u32> = HashMap::new();
        let mut not_found = 0;
        for (_, date, found) in &self.recent {
            *dates.entry(date.as_str()).or_default() += 1;
            if !found {
                not_found += 1;
            }
        }
        Signals {
            searches: u32::try_from(self.recent.len()).unwrap_or(u32::MAX),
            not_found,
            same_birth_date: dates.values().copied().max().unwrap_or(0),
        }
    }
}

pub(crate) struct Watch {
    limits: QueryLimits,
    /// Users (and organisations) tracked at most in each map.
    max_users: usize,
    users: RateLimiter,
    organisations: RateLimiter,
    reports: RateLimiter,
    sweeps: Mutex<HashMap<String, Sweep>>,
    /// When a throttle of each user or organisation was last recorded.
    recorded: Mutex<HashMap<String, i64>>,
}

impl Watch {
    pub(crate) fn new(limits: QueryLimits) -> Watch {
        Watch::with_capacity(limits, MAX_USERS)
    }

    fn with_capacity(limits: QueryLimits, max_users: usize) -> Watch {
        Watch {
            limits,
            max_users,
            users: RateLimiter::new(limits.user),
            organisations: RateLimiter::new(limits.organisation),
            reports: RateLimiter::new(REPORTS),
            sweeps: Mutex::new(HashMap::new()),
            recorded: Mutex::new(HashMap::new()),
        }
    }

    fn key(actor: &Actor) -> Option<(String, String)> {
        actor.principal().map(|p| {
            (
                format!("{}/{}", p.organisation.as_str(), p.subject),
                p.organisation.as_str().to_owned(),
            )
        })
    }

    fn first_in_a_while(&self, key: &str, now: i64) -> bool {
        let mut recorded = self.recorded.lock().unwrap_or_else(PoisonError::into_inner);
        if recorded.len() >= self.max_users {
            recorded.retain(|_, at| now - *at < RECORD_EVERY_MS);
        }
        match recorded.get(key) {
            Some(at) if now - at < RECORD_EVERY_MS => false,
            _ => {
                recorded.insert(key.to_owned(), now);
                true
            }
        }
    }

    /// Before a report is read (usage statistics, fees): `Err` with when to retry and whether
    /// to record it (once a minute per user at most).
    pub(crate) fn admit_report(&self, actor: &Actor, now: i64) -> Result<(), (u64, bool)> {
        let Some((user, _)) = Watch::key(actor) else {
            return Ok(());
        };
        self.reports
            .take(&user, now)
            .map_err(|retry| (retry, self.first_in_a_while(&format!("report:{user}"), now)))
    }

    /// Before a query: blocked, over a rate, or free to run (perhaps after a wait).
    pub(crate) fn admit(&self, actor: &Actor, criteria: Option<&Search>, now: i64) -> Admission {
        // Service tasks (no user) are not limited here: they are the service's own.
        let Some((user, org)) = Watch::key(actor) else {
            return Admission::Run { wait_ms: 0 };
        };
        let slowed = {
            let sweeps = self.sweeps.lock().unwrap_or_else(PoisonError::into_inner);
            match sweeps.get(&user) {
                Some(s) if s.blocked_until > now => return Admission::Blocked,
                Some(s) => s.level == Some(SweepLevel::Slowed),
                None => false,
            }
        };
        if let Err(retry_after) = self.users.take(&user, now) {
            let record = self
                .first_in_a_while(&user, now)
                .then_some(ThrottleScope::User);
            return Admission::Throttled {
                retry_after,
                record,
            };
        }
        if let Err(retry_after) = self.organisations.take(&org, now) {
            let record = self
                .first_in_a_while(&format!("org:{org}"), now)
                .then_some(ThrottleScope::Organisation);
            return Admission::Throttled {
                retry_after,
                record,
            };
        }
        let hetu = matches!(criteria, Some(Search::Hetu(_)));
        Admission::Run {
            wait_ms: if slowed && hetu {
                self.limits.slow_ms
            } else {
                0
            },
        }
    }

    /// After a query: an identity-code search joins the user's window; the answer is the
    /// event to record when this search moved the user to a stricter level.
    pub(crate) fn observe(
        &self,
        actor: &Actor,
        criteria: Option<&Search>,
        event: &AuditEvent,
        now: i64,
    ) -> Option<AuditEvent> {
        let (user, _) = Watch::key(actor)?;
        let Some(Search::Hetu(code)) = criteria else {
            return None;
        };
        let found = match event {
            AuditEvent::SearchRun { result, .. } => !matches!(result, SearchResult::NotFound),
            // A refused search of a code is as telling as one that found nothing.
            _ => false,
        };
        // The birth date with its century sign: codes in sequence share it.
        let text = code.to_string();
        let date: String = text.chars().take(7).collect();
        let mut sweeps = self.sweeps.lock().unwrap_or_else(PoisonError::into_inner);
        if sweeps.len() >= self.max_users && !sweeps.contains_key(&user) {
            let window = self.limits.window_seconds * 1000;
            sweeps.retain(|_, s| {
                s.blocked_until > now || s.recent.back().is_some_and(|(at, ..)| now - at < window)
            });
        }
        let sweep = sweeps.entry(user).or_default();
        let window = self.limits.window_seconds * 1000;
        sweep.recent.push_back((now, date, found));
        while sweep
            .recent
            .front()
            .is_some_and(|(at, ..)| now - at > window)
            || sweep.recent.len() > KEEP
        {
            sweep.recent.pop_front();
        }
        let signals = sweep.signals();
        let level = self.level(signals);
        if level <= sweep.level {
            return None;
        }
        sweep.level = level;
        if level == Some(SweepLevel::Blocked) {
            sweep.blocked_until = now + self.limits.block_seconds * 1000;
            // After the block, the user starts from a clean window.
            sweep.recent.clear();
            sweep.level = None;
        }
        level.map(|level| AuditEvent::SweepSuspected {
            level,
            searches: signals.searches,
            not_found: signals.not_found,
            same_birth_date: signals.same_birth_date,
        })
    }

    fn level(&self, s: Signals) -> Option<SweepLevel> {
        let l = &self.limits;
        let mostly_missing =
            |at_least: u32| s.searches >= at_least && s.not_found * 2 >= s.searches;
        if mostly_missing(l.min_searches * 2) || s.same_birth_date >= l.same_birth_date * 2 {
            Some(SweepLevel::Blocked)
        } else if mostly_missing(l.min_searches) || s.same_birth_date >= l.same_birth_date {
            Some(SweepLevel::Slowed)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::audit::SearchResult;
    use domain::principal::{Acr, OrgId, UserId};
    use domain::{CenturySign, Date, Hetu, Principal};

    fn actor(user: &'static str, org: &'static str) -> Actor {
        Actor::user(
            Principal {
                subject: UserId::from_static(user),
                name: user.into(),
                organisation: OrgId::from_static(org),
                organisation_name: org.into(),
                acr: Acr::OneFactor,
            },
            "r".into(),
            "10.0.0.1".into(),
        )
    }

    fn code(day: u8, individual: u16) -> Result<Search, String> {
        let date = Date::new(1980, 5, day).map_err(|e| format!("{e:?}"))?;
        Hetu::new(date, CenturySign::Minus, individual)
            .map(Search::Hetu)
            .map_err(|e| format!("{e:?}"))
    }

    fn ran(criteria: &Search, found: bool) -> AuditEvent {
        AuditEvent::SearchRun {
            criteria: criteria.clone(),
            result: if found {
                SearchResult::TooMany
            } else {
                SearchResult::NotFound
            },
        }
    }

    const T: i64 = 1_800_000_000_000;

    #[test]
    fn a_users_rate_and_an_organisations_rate_each_refuse_and_are_recorded_once() {
        let w = Watch::new(QueryLimits {
            user: Rate {
                per_minute: 60,
                burst: 3,
            },
            organisation: Rate {
                per_minute: 60,
                burst: 5,
            },
            ..QueryLimits::default()
        });
        let bob = actor("u-bob", "espoo");
        for _ in 0..3 {
            assert_eq!(w.admit(&bob, None, T), Admission::Run { wait_ms: 0 });
        }
        assert_eq!(
            w.admit(&bob, None, T),
            Admission::Throttled {
                retry_after: 1,
                record: Some(ThrottleScope::User)
            }
        );
        assert_eq!(
            w.admit(&bob, None, T + 10),
            Admission::Throttled {
                retry_after: 1,
                record: None
            },
            "recorded once, not per refusal"
        );
        // Two more of Espoo's users spend the organisation's five.
        let eve = actor("u-eve", "espoo");
        assert_eq!(w.admit(&eve, None, T), Admission::Run { wait_ms: 0 });
        assert_eq!(w.admit(&eve, None, T), Admission::Run { wait_ms: 0 });
        assert!(matches!(
            w.admit(&actor("u-frank", "espoo"), None, T),
            Admission::Throttled {
                record: Some(ThrottleScope::Organisation),
                ..
            }
        ));
        assert_eq!(
            w.admit(&actor("u-carol", "vantaa"), None, T),
            Admission::Run { wait_ms: 0 },
            "another organisation is not affected"
        );
        assert_eq!(
            w.admit(&Actor::system("nightly"), None, T),
            Admission::Run { wait_ms: 0 }
        );
    }

    #[test]
    fn codes_that_find_nobody_slow_then_block_the_user() -> Result<(), String> {
        let w = Watch::new(QueryLimits::default());
        let bob = actor("u-bob", "espoo");
        let mut events = Vec::new();
        let mut now = T;
        // A code a second on a different birth date each, none found.
        for i in 0..40u16 {
            let c = code(1 + (i % 28) as u8, 100 + i)?;
            assert!(matches!(
                w.admit(&bob, Some(&c), now),
                Admission::Run { .. }
            ));
            if let Some(e) = w.observe(&bob, Some(&c), &ran(&c, false), now) {
                events.push((i, e));
            }
            now += 1000;
        }
        let levels: Vec<(u16, SweepLevel)> = events
            .iter()
            .filter_map(|(i, e)| match e {
                AuditEvent::SweepSuspected { level, .. } => Some((*i, *level)),
                _ => None,
            })
            .collect();
        assert_eq!(
            levels,
            vec![(19, SweepLevel::Slowed), (39, SweepLevel::Blocked)]
        );
        let c = code(1, 898)?;
        assert_eq!(w.admit(&bob, Some(&c), now), Admission::Blocked);
        let blocked_at = now - 1000;
        assert_eq!(
            w.admit(&bob, None, blocked_at + 3600 * 1000 - 1),
            Admission::Blocked,
            "an hour, to the millisecond"
        );
        assert_eq!(
            w.admit(&bob, None, blocked_at + 3600 * 1000),
            Admission::Run { wait_ms: 0 },
            "and not a millisecond more"
        );
        assert_eq!(w.admit(&bob, None, now), Admission::Blocked, "every query");
        assert_eq!(
            w.admit(&actor("u-eve", "espoo"), Some(&c), now),
            Admission::Run { wait_ms: 0 },
            "a colleague is not blocked"
        );
        let after = now + 3600 * 1000 + 1;
        assert_eq!(
            w.admit(&bob, Some(&c), after),
            Admission::Run { wait_ms: 0 }
        );
        Ok(())
    }

    #[test]
    fn codes_of_one_birth_date_slow_the_user_and_searches_wait() -> Result<(), String> {
        let w = Watch::new(QueryLimits::default());
        let bob = actor("u-bob", "espoo");
        let mut first = None;
        for i in 0..10u16 {
            let c = code(7, 200 + i)?;
            if let Some(e) = w.observe(&bob, Some(&c), &ran(&c, true), T + i64::from(i)) {
                first.get_or_insert((i, e));
            }
        }
        assert_eq!(
            first,
            Some((
                9,
                AuditEvent::SweepSuspected {
                    level: SweepLevel::Slowed,
                    searches: 10,
                    not_found: 0,
                    same_birth_date: 10
                }
            ))
        );
        let c = code(8, 2)?;
        assert_eq!(
            w.admit(&bob, Some(&c), T + 20),
            Admission::Run { wait_ms: 2000 }
        );
        assert_eq!(
            w.admit(&bob, None, T + 20),
            Admission::Run { wait_ms: 0 },
            "only identity-code searches wait"
        );
        // Twenty codes of the date block the user; twelve do not.
        let mut levels = Vec::new();
        for i in 10..20u16 {
            let c = code(7, 200 + i)?;
            if let Some(AuditEvent::SweepSuspected { level, .. }) =
                w.observe(&bob, Some(&c), &ran(&c, true), T + 30 + i64::from(i))
            {
                levels.push((i, level));
            }
        }
        assert_eq!(levels, vec![(19, SweepLevel::Blocked)]);
        Ok(())
    }

    #[test]
    fn half_not_found_is_enough_and_old_searches_are_forgotten() -> Result<(), String> {
        let w = Watch::new(QueryLimits::default());
        let bob = actor("u-bob", "espoo");
        let mut raised = None;
        // 20 codes, every other one found nobody: exactly half.
        for i in 0..20u16 {
            let c = code(1 + (i % 28) as u8, 400 + i)?;
            raised = w.observe(
                &bob,
                Some(&c),
                &ran(&c, i % 2 == 1),
                T + i64::from(i) * 1000,
            );
        }
        assert!(
            matches!(
                raised,
                Some(AuditEvent::SweepSuspected {
                    level: SweepLevel::Slowed,
                    not_found: 10,
                    searches: 20,
                    ..
                })
            ),
            "{raised:?}"
        );
        // Nineteen that found nobody more than ten minutes ago are out of the window.
        let eve = actor("u-eve", "espoo");
        for i in 0..19u16 {
            let c = code(1 + (i % 28) as u8, 500 + i)?;
            assert_eq!(
                w.observe(&eve, Some(&c), &ran(&c, false), T + i64::from(i)),
                None
            );
        }
        let c = code(3, 600)?;
        assert_eq!(
            w.observe(&eve, Some(&c), &ran(&c, false), T + 18 + 600 * 1000 + 1),
            None,
            "one search in the window"
        );
        // Within the window they count: the twentieth raises the slowdown.
        let frank = actor("u-frank", "espoo");
        for i in 0..19u16 {
            let c = code(1 + (i % 28) as u8, 700 + i)?;
            w.observe(&frank, Some(&c), &ran(&c, false), T + i64::from(i));
        }
        assert!(
            w.observe(&frank, Some(&c), &ran(&c, false), T + 600 * 1000)
                .is_some(),
            "the first search is exactly ten minutes old"
        );
        Ok(())
    }

    #[test]
    fn a_throttle_is_recorded_again_after_a_minute() {
        let w = Watch::new(QueryLimits {
            user: Rate {
                per_minute: 1,
                burst: 1,
            },
            ..QueryLimits::default()
        });
        let bob = actor("u-bob", "espoo");
        assert_eq!(w.admit(&bob, None, T), Admission::Run { wait_ms: 0 });
        let recorded = |at: i64| match w.admit(&bob, None, at) {
            Admission::Throttled { record, .. } => record.is_some(),
            _ => false,
        };
        assert!(recorded(T + 1));
        assert!(!recorded(T + 59_999), "within the minute: not again");
        assert_eq!(
            w.admit(&bob, None, T + 60_001),
            Admission::Run { wait_ms: 0 }
        );
        assert!(recorded(T + 60_002), "a minute on: again");
    }

    #[test]
    fn memory_stays_bounded_keeping_who_matters() -> Result<(), String> {
        let w = Watch::with_capacity(
            QueryLimits {
                user: Rate {
                    per_minute: 1,
                    burst: 1,
                },
                ..QueryLimits::default()
            },
            3,
        );
        let throttled_on_record = |who: &Actor, at: i64| {
            matches!(
                w.admit(who, None, at),
                Admission::Throttled {
                    record: Some(_),
                    ..
                }
            )
        };
        // Throttle records: three users fill the map; a fourth forgets only stale records.
        for u in ["a", "b", "c"] {
            let who = actor(u, "o");
            w.admit(&who, None, T);
            assert!(throttled_on_record(&who, T + 1));
        }
        let d = actor("d", "o");
        w.admit(&d, None, T + 2);
        assert!(throttled_on_record(&d, T + 3));
        assert!(
            matches!(
                w.admit(&actor("a", "o"), None, T + 4),
                Admission::Throttled { record: None, .. }
            ),
            "a's recent record was kept"
        );
        // Records older than a minute make room for a newcomer.
        let e = actor("e", "o");
        w.admit(&e, None, T + 120_000);
        assert!(throttled_on_record(&e, T + 120_001));
        let records = w
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        assert_eq!(records, 1, "only e's record is recent");
        // Sweep windows: a user in a recent window is kept when others come.
        let bob = actor("u-bob", "espoo");
        for i in 0..19u16 {
            let c = code(1 + (i % 28) as u8, 100 + i)?;
            w.observe(&bob, Some(&c), &ran(&c, false), T + i64::from(i));
        }
        // A blocked user, whose last search is long past, is kept too: the block holds.
        let eve = actor("u-eve", "espoo");
        for i in 0..20u16 {
            let c = code(9, 100 + i)?;
            w.observe(&eve, Some(&c), &ran(&c, false), T - 900_000);
        }
        assert_eq!(w.admit(&eve, None, T), Admission::Blocked);
        for u in ["x", "y", "z"] {
            let c = code(2, 200)?;
            w.observe(&actor(u, "o"), Some(&c), &ran(&c, true), T + 100_000);
        }
        let c = code(4, 300)?;
        assert!(
            w.observe(&bob, Some(&c), &ran(&c, false), T + 200_000)
                .is_some(),
            "bob's window, 200 s old, survived the newcomers"
        );
        assert_eq!(w.admit(&eve, None, T + 200_000), Admission::Blocked);
        // Long after, old windows make room.
        let late = T + 3 * 3600 * 1000;
        for u in ["p", "q", "r", "s"] {
            let c = code(2, 201)?;
            w.observe(&actor(u, "o"), Some(&c), &ran(&c, true), late);
        }
        let kept = w
            .sweeps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        assert!(kept <= 4, "{kept}");
        Ok(())
    }

    #[test]
    fn a_users_window_holds_a_bounded_number_of_searches() -> Result<(), String> {
        let w = Watch::new(QueryLimits::default());
        let bob = actor("u-bob", "espoo");
        for i in 0..300u16 {
            let c = code(1 + (i % 28) as u8, 2 + i)?;
            w.observe(&bob, Some(&c), &ran(&c, true), T + i64::from(i));
        }
        let held = w
            .sweeps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get("espoo/u-bob")
            .map(|s| s.recent.len());
        assert_eq!(held, Some(KEEP));
        Ok(())
    }

    #[test]
    fn ordinary_use_raises_nothing() -> Result<(), String> {
        let w = Watch::new(QueryLimits::default());
        let bob = actor("u-bob", "espoo");
        // A day's work: codes of many birth dates, mostly found, a few typos.
        for i in 0..200u16 {
            let c = code(1 + (i % 28) as u8, 300 + i)?;
            let found = i % 5 != 0;
            let at = T + i64::from(i) * 30_000;
            assert_eq!(w.observe(&bob, Some(&c), &ran(&c, found), at), None, "{i}");
        }
        // Searches of other kinds are not watched.
        let other =
            Search::Building(domain::BuildingId::from_number(100_012_345).ok_or("a building id")?);
        for i in 0..100 {
            assert_eq!(
                w.observe(&bob, Some(&other), &ran(&other, false), T + i),
                None
            );
        }
        Ok(())
    }
}
