//! An organisation's query statistics for its responsible user (DOMAIN.md §5.4: "monitor use
//! regularly, e.g. with user statistics"): per user, the queries per day and purpose of use, the
//! share that found nothing, and the share made outside office hours. Counted from the audit
//! trail's entries by one pure function; no subject, no criteria, only counts leave it.

mod texts;
use texts as t;

use crate::access::Purpose;
use crate::audit::{AuditEntry, AuditEvent, SearchResult, SweepLevel};
use crate::date::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// Office hours in Finland: Monday to Friday, 07.00–18.00 local time.
pub fn in_office_hours(at: Timestamp) -> bool {
    let local = at.0 + at.finland_offset_millis();
    let day = local.div_euclid(86_400_000);
    // 1970-01-01 was a Thursday: weekday 0 = Monday.
    let weekday = (day + 3).rem_euclid(7);
    let hour = local.rem_euclid(86_400_000) / 3_600_000;
    weekday < 5 && (7..18).contains(&hour)
}

/// One day's queries for one purpose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: Date,
    pub purpose: Option<Purpose>,
    pub queries: u32,
}

/// One user's use of the register over the period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserUsage {
    pub user: String,
    pub name: String,
    /// Screens opened, searches run and protected data revealed.
    pub queries: u32,
    /// Of those, how many found nothing (a search without a hit, a subject that is not there).
    pub not_found: u32,
    /// Of those, how many were made outside office hours.
    pub off_hours: u32,
    /// Refused requests (no right, not in the permit, …): worth a look when they pile up.
    pub refused: u32,
    /// What the abuse limits raised (a suspected sweep through identity codes, queries over
    /// the rate), oldest first.
    #[serde(default)]
    pub alerts: Vec<Alert>,
    /// Per day and purpose, oldest first.
    pub days: Vec<DayCount>,
}

/// One thing the abuse limits raised about a user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub at: crate::Timestamp,
    pub kind: AlertKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertKind {
    SweepSlowed,
    SweepBlocked,
    Throttled,
}

impl AlertKind {
    pub fn text(self) -> crate::Text {
        match self {
            AlertKind::SweepSlowed => t::ALERT_KIND_SWEEP_SLOWED,
            AlertKind::SweepBlocked => t::ALERT_KIND_SWEEP_BLOCKED,
            AlertKind::Throttled => t::ALERT_KIND_THROTTLED,
        }
    }
}

impl UserUsage {
    /// A share in whole per cent (0 when there were no queries).
    pub fn percent(part: u32, of: u32) -> u32 {
        if of == 0 {
            0
        } else {
            ((u64::from(part) * 100 + u64::from(of) / 2) / u64::from(of)) as u32
        }
    }
}

/// The statistics the management page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageReport {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub users: Vec<UserUsage>,
}

/// What one entry adds to its user's statistics on its day and for its purpose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub queries: u32,
    pub not_found: u32,
    pub off_hours: u32,
    pub refused: u32,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.queries += other.queries;
        self.not_found += other.not_found;
        self.off_hours += other.off_hours;
        self.refused += other.refused;
    }
}

/// What one audit entry counts for in the statistics: a tally on its day for its purpose, or
/// an alert the abuse limits raised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Counted {
    Day {
        day: Date,
        purpose: Option<Purpose>,
        tally: Tally,
    },
    Alert(Alert),
}

/// What one entry counts for, if anything. The store keeps these summed per organisation,
/// user, day and purpose as the trail grows, so a report reads days, not entries.
pub fn counted(e: &AuditEntry) -> Option<Counted> {
    let alert = |kind| Some(Counted::Alert(Alert { at: e.at, kind }));
    let found = match &e.event {
        AuditEvent::ScreenViewed { .. } | AuditEvent::ProtectedRevealed { .. } => true,
        AuditEvent::ScreenNotFound { .. } => false,
        AuditEvent::SearchRun { result, .. } => !matches!(result, SearchResult::NotFound),
        AuditEvent::AccessDenied { .. } => {
            return Some(Counted::Day {
                day: e.at.date_in_finland(),
                purpose: e.purpose,
                tally: Tally {
                    refused: 1,
                    ..Tally::default()
                },
            });
        }
        AuditEvent::SweepSuspected { level, .. } => {
            return alert(match level {
                SweepLevel::Slowed => AlertKind::SweepSlowed,
                SweepLevel::Blocked => AlertKind::SweepBlocked,
            });
        }
        AuditEvent::QueriesThrottled { .. } => return alert(AlertKind::Throttled),
        _ => return None,
    };
    Some(Counted::Day {
        day: e.at.date_in_finland(),
        purpose: e.purpose,
        tally: Tally {
            queries: 1,
            not_found: u32::from(!found),
            off_hours: u32::from(!in_office_hours(e.at)),
            refused: 0,
        },
    })
}

impl UserUsage {
    /// Adds what was counted on one day for one purpose.
    pub fn add_day(&mut self, day: Date, purpose: Option<Purpose>, tally: Tally) {
        self.queries += tally.queries;
        self.not_found += tally.not_found;
        self.off_hours += tally.off_hours;
        self.refused += tally.refused;
        if tally.queries == 0 {
            return;
        }
        match self
            .days
            .iter_mut()
            .find(|d| d.day == day && d.purpose == purpose)
        {
            Some(d) => d.queries += tally.queries,
            None => self.days.push(DayCount {
                day,
                purpose,
                queries: tally.queries,
            }),
        }
    }

    /// Days and alerts in order, oldest first.
    pub fn sorted(mut self) -> UserUsage {
        self.days.sort_by(|a, b| {
            (a.day, a.purpose.map(Purpose::slug)).cmp(&(b.day, b.purpose.map(Purpose::slug)))
        });
        self.alerts.sort_by_key(|a| a.at);
        self
    }
}

/// Counts one user's entries (any order).
pub fn count(user: &str, name: &str, entries: &[AuditEntry]) -> UserUsage {
    let mut out = UserUsage {
        user: user.to_owned(),
        name: name.to_owned(),
        ..UserUsage::default()
    };
    for e in entries {
        match counted(e) {
            Some(Counted::Day {
                day,
                purpose,
                tally,
            }) => out.add_day(day, purpose, tally),
            Some(Counted::Alert(alert)) => out.alerts.push(alert),
            None => {}
        }
    }
    out.sorted()
}

#[cfg(test)]
mod tests;
