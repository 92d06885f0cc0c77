//! The alert rules (`domain::alerts`) applied to the trail as it is indexed: each user's
//! lookups go through their own [`Watch`] in the trail's order, and what a rule raises is kept
//! in the index file beside the entries (derived data, like the counters: an index rebuilt
//! from the trail raises the same alerts under the same keys). A restarted indexer warms each
//! watch from the last hour of the trail and the alerts of the last day, so a rule neither
//! misses a run that began before the restart nor raises the same alert twice. Whether an
//! alert was handled, and whether it was mailed, are the registry's records (the gate's
//! commands), not this file's.

use super::{AuditLog, BY_TIME, ENTRIES, USAGE_DAYS, to_record};
use crate::error::EngineError;
use domain::alerts::{Alert, Lookup, Rule, Watch};
use redb::{Database, ReadableDatabase, TableDefinition};
use std::collections::{BTreeMap, HashMap};

/// The usage counts of the batch being indexed, not yet in the index: (organisation, user,
/// day, purpose code) → the day's tally.
pub(super) type Pending = BTreeMap<(String, String, i64, u8), domain::usage::Tally>;

/// In the index file: (the entry that raised it, rule code) → (organisation, user, user's
/// name, millis raised, millis the rule's window began, the person's audit key or "").
pub(super) const ALERTS_RAISED: TableDefinition<(u64, u8), AlertRow> =
    TableDefinition::new("audit_alerts.v1");
type AlertRow = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    &'static str,
);
/// In the index file: (organisation, entry, rule code) → (): one organisation's alerts.
pub(super) const ALERTS_BY_ORG: TableDefinition<(&str, u64, u8), ()> =
    TableDefinition::new("audit_alerts_by_org.v1");

/// How far back a restarted indexer replays the trail into the watches: the longest window
/// in which a rule counts lookups.
const WARM_MILLIS: i64 = 60 * 60_000;
/// How far back it reads the alerts raised, so none is raised again: the longest window in
/// which a raised alert is not raised again.
const REMEMBER_MILLIS: i64 = 24 * 60 * 60_000;
/// A watch nobody has fed for this long is dropped (its windows are all past).
const IDLE_MILLIS: i64 = 24 * 60 * 60_000;
/// The days before today a user's usual hour is counted over.
const USUAL_DAYS: i64 = 28;
/// Working hours in a day a user's usual is spread over.
const HOURS_A_DAY: u32 = 8;

/// An alert raised in a batch, to be written with it.
pub(super) struct RaisedRow {
    entry: u64,
    rule: Rule,
    organisation: String,
    user: String,
    name: String,
    at: i64,
    since: i64,
    person: String,
}

/// Every user's watch, keyed by (organisation, user).
#[derive(Default)]
pub(super) struct Watches {
    users: HashMap<(String, String), (Watch, i64)>,
    /// (organisation, user) → (day, usual lookups an hour), counted once a day.
    usual: HashMap<(String, String), (i64, u32)>,
    warmed: bool,
}

impl Watches {
    /// Feeds one entry to its user's watch; what it raised is pushed to `out`.
    pub(super) fn observe(
        &mut self,
        index: &Database,
        pending: &Pending,
        record: &super::AuditRecord,
        out: &mut Vec<RaisedRow>,
    ) -> Result<(), EngineError> {
        let Some(lookup) = domain::alerts::lookup_of(&record.entry) else {
            return Ok(());
        };
        let actor = &record.entry.actor;
        let key = (actor.organisation.clone(), actor.user.clone());
        let usual = self.usual_of(index, pending, &key, &lookup)?;
        let at = lookup.at.0;
        let slot = self.users.entry(key).or_default();
        slot.1 = at;
        for raised in slot.0.observe(lookup, usual) {
            out.push(RaisedRow {
                entry: record.seq,
                rule: raised.rule,
                organisation: actor.organisation.clone(),
                user: actor.user.clone(),
                name: actor.name.clone(),
                at: raised.at.0,
                since: raised.at.0 - raised.rule.window_millis(),
                person: raised.person.unwrap_or_default(),
            });
        }
        Ok(())
    }

    /// The user's usual lookups an hour: their queries on the days they worked in the
    /// [`USUAL_DAYS`] before the lookup's day, spread over [`HOURS_A_DAY`] hours a day
    /// (0 for a new user: the rule's floor applies). Counted from the index's counters and
    /// from `pending`, the counts of the batch being indexed (a rebuild or a catch-up takes
    /// days of the trail in one batch).
    fn usual_of(
        &mut self,
        index: &Database,
        pending: &Pending,
        key: &(String, String),
        lookup: &Lookup,
    ) -> Result<u32, EngineError> {
        let day = lookup.at.date_in_finland().days_since_epoch();
        if let Some((counted, usual)) = self.usual.get(key)
            && *counted == day
        {
            return Ok(*usual);
        }
        let mut per_day: BTreeMap<i64, u64> = BTreeMap::new();
        let txn = index.begin_read()?;
        let days = txn.open_table(USAGE_DAYS)?;
        for item in days.range(
            (key.0.as_str(), key.1.as_str(), day - USUAL_DAYS, 0)
                ..(key.0.as_str(), key.1.as_str(), day, 0),
        )? {
            let (k, v) = item?;
            *per_day.entry(k.value().2).or_default() += u64::from(v.value().0);
        }
        for ((_, _, d, _), tally) in pending.range(
            (key.0.clone(), key.1.clone(), day - USUAL_DAYS, 0)
                ..(key.0.clone(), key.1.clone(), day, 0),
        ) {
            *per_day.entry(*d).or_default() += u64::from(tally.queries);
        }
        let worked = per_day.values().filter(|q| **q > 0).count() as u64;
        let queries: u64 = per_day.values().sum();
        let usual = match worked {
            0 => 0,
            _ => u32::try_from(queries / (worked * u64::from(HOURS_A_DAY))).unwrap_or(u32::MAX),
        };
        self.usual.insert(key.clone(), (day, usual));
        Ok(usual)
    }

    /// Drops the watches whose windows are all past (`now`: the newest entry's time).
    pub(super) fn prune(&mut self, now: i64) {
        if self.users.len() > 10_000 {
            self.users.retain(|_, (_, last)| *last > now - IDLE_MILLIS);
            self.usual.clear();
        }
    }

    /// Once per indexer: replays the hour before `through` (the last entry indexed) into the
    /// watches, after remembering the alerts raised in the day before it.
    pub(super) fn warm(
        &mut self,
        trail: &Database,
        index: &Database,
        through: u64,
    ) -> Result<(), EngineError> {
        if self.warmed {
            return Ok(());
        }
        self.warmed = true;
        if through == 0 {
            return Ok(());
        }
        let txn = trail.begin_read()?;
        let entries = txn.open_table(ENTRIES)?;
        let Some(last) = entries.get(through)? else {
            return Ok(());
        };
        let now = to_record(through, last.value())?.entry.at.0;
        let by_time = txn.open_table(BY_TIME)?;
        let first_at = |millis: i64| -> Result<u64, EngineError> {
            Ok(match by_time.range((millis, 0)..)?.next() {
                Some(item) => item?.0.value().1,
                None => through,
            })
        };
        let itxn = index.begin_read()?;
        let raised = itxn.open_table(ALERTS_RAISED)?;
        // (Reading from further back, or replaying more below, would change nothing but the
        // time it takes: a watch forgets what is past its windows at its next lookup.)
        for item in raised.range((first_at(now - REMEMBER_MILLIS)?, 0)..=(through, u8::MAX))? {
            let (key, row) = item?;
            let (_, rule) = key.value();
            let (org, user, _, at, _, person) = row.value();
            if let Some(rule) = Rule::from_code(rule) {
                let slot = self
                    .users
                    .entry((org.to_owned(), user.to_owned()))
                    .or_default();
                slot.0.remember(
                    rule,
                    (!person.is_empty()).then(|| person.to_owned()),
                    domain::Timestamp(at),
                );
            }
        }
        drop(raised);
        drop(itxn);
        let mut discarded = Vec::new();
        for item in entries.range(first_at(now - WARM_MILLIS)?..=through)? {
            let (seq, bytes) = item?;
            let record = to_record(seq.value(), bytes.value())?;
            self.observe(index, &Pending::new(), &record, &mut discarded)?;
            discarded.clear();
        }
        Ok(())
    }
}

/// Writes the alerts raised in a batch (in the batch's index transaction).
pub(super) fn write(txn: &redb::WriteTransaction, rows: &[RaisedRow]) -> Result<(), EngineError> {
    let mut raised = txn.open_table(ALERTS_RAISED)?;
    let mut by_org = txn.open_table(ALERTS_BY_ORG)?;
    for r in rows {
        let code = r.rule.code();
        raised.insert(
            (r.entry, code),
            (
                r.organisation.as_str(),
                r.user.as_str(),
                r.name.as_str(),
                r.at,
                r.since,
                r.person.as_str(),
            ),
        )?;
        by_org.insert((r.organisation.as_str(), r.entry, code), ())?;
    }
    Ok(())
}

fn alert_of(
    entry: u64,
    code: u8,
    (organisation, user, name, at, since, _): (&str, &str, &str, i64, i64, &str),
) -> Option<Alert> {
    Some(Alert {
        entry,
        rule: Rule::from_code(code)?,
        organisation: organisation.to_owned(),
        user: user.to_owned(),
        name: name.to_owned(),
        at: domain::Timestamp(at),
        since: domain::Timestamp(since),
        handled: None,
    })
}

impl AuditLog {
    /// Alerts raised, newest first, before the entry `before` (exclusive), at most `limit`:
    /// one organisation's, or (`None`) every organisation's. The index is brought up to date
    /// first. Answers the page and whether more are older.
    pub(crate) fn alerts(
        &self,
        organisation: Option<&str>,
        before: Option<u64>,
        limit: usize,
    ) -> Result<(Vec<Alert>, bool), EngineError> {
        self.settled()?;
        self.index_for_reading()?;
        let txn = self.index.db.begin_read()?;
        let raised = txn.open_table(ALERTS_RAISED)?;
        let before = before.unwrap_or(u64::MAX);
        let mut out = Vec::new();
        let mut more = false;
        let mut take = |entry: u64, code: u8| -> Result<bool, EngineError> {
            if out.len() == limit {
                more = true;
                return Ok(false);
            }
            if let Some(row) = raised.get((entry, code))?
                && let Some(alert) = alert_of(entry, code, row.value())
            {
                out.push(alert);
            }
            Ok(true)
        };
        match organisation {
            Some(org) => {
                let by_org = txn.open_table(ALERTS_BY_ORG)?;
                for item in by_org.range((org, 0, 0)..(org, before, 0))?.rev() {
                    let (_, entry, code) = item?.0.value();
                    if !take(entry, code)? {
                        break;
                    }
                }
            }
            None => {
                let keys: Vec<(u64, u8)> = raised
                    .range(..(before, 0))?
                    .rev()
                    .take(limit + 1)
                    .map(|item| item.map(|(k, _)| k.value()))
                    .collect::<Result<_, _>>()?;
                for (entry, code) in keys {
                    if !take(entry, code)? {
                        break;
                    }
                }
            }
        }
        Ok((out, more))
    }

    /// One alert, by the entry that raised it and its rule.
    pub(crate) fn alert(&self, entry: u64, rule: Rule) -> Result<Option<Alert>, EngineError> {
        self.settled()?;
        self.index_for_reading()?;
        let txn = self.index.db.begin_read()?;
        let raised = txn.open_table(ALERTS_RAISED)?;
        Ok(raised
            .get((entry, rule.code()))?
            .and_then(|row| alert_of(entry, rule.code(), row.value())))
    }

    /// Alerts raised by entries after `after` (exclusive), oldest first, at most `limit`: for
    /// the mailing of new alerts. Reads the index as far as it is (no catching up).
    pub(crate) fn alerts_after(&self, after: u64, limit: usize) -> Result<Vec<Alert>, EngineError> {
        let txn = self.index.db.begin_read()?;
        let raised = txn.open_table(ALERTS_RAISED)?;
        let mut out = Vec::new();
        for item in raised.range((after.saturating_add(1), 0)..)?.take(limit) {
            let (key, row) = item?;
            let (entry, code) = key.value();
            out.extend(alert_of(entry, code, row.value()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn watches_idle_a_day_are_dropped_once_there_are_many() {
        const DAY: i64 = 24 * 60 * 60 * 1000;
        let now = 10 * DAY;
        let mut w = Watches::default();
        for i in 0..10_000 {
            w.users.insert(
                ("o".into(), format!("u-{i}")),
                (Watch::default(), now - 2 * DAY),
            );
        }
        w.prune(now);
        assert_eq!(w.users.len(), 10_000, "10,000 are not many yet");
        w.users.insert(
            ("o".into(), "exactly".into()),
            (Watch::default(), now - DAY),
        );
        w.users.insert(
            ("o".into(), "just".into()),
            (Watch::default(), now - DAY + 1),
        );
        w.prune(now);
        let left: Vec<&str> = w.users.keys().map(|(_, u)| u.as_str()).collect();
        assert_eq!(left, ["just"]);
    }
}
