//! Searching the trail for its readers (the log investigation, an organisation's own log):
//! newest first, through the narrowest index the search names (a subject, a user, an
//! organisation) or the trail itself, within the period's positions, a page at a time. A page
//! reads at most a bounded number of entries, however rare the matches are: when the bound is
//! reached first, the page says so and where the next one goes on, so no search holds the
//! trail or a reader's request for long.

use super::{
    AuditLog, AuditRecord, BY_TIME, ENTRIES, INDEX_BY_ORG, INDEX_BY_SUBJECT, INDEX_BY_USER,
    to_record,
};
use crate::error::EngineError;
use domain::trail::TrailFilter;
use redb::{ReadableDatabase, TableDefinition};

/// Where the candidates of a search come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source<'a> {
    /// The entries naming one subject (its audit key, e.g. `person:…`).
    Subject(&'a str),
    User(&'a str),
    /// The query events made in one organisation.
    Organisation(&'a str),
    /// Every entry.
    Trail,
}

/// A page of entries found, newest first.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) records: Vec<AuditRecord>,
    /// The next page's bound (entries older than this), if the search may find more.
    pub(crate) next: Option<u64>,
    /// The page stopped after reading `budget` entries, not because it was full.
    pub(crate) partial: bool,
}

/// How far, in milliseconds, an entry's time may stray from its position's order: entries
/// are stamped when their request is decided and numbered when they are written, so a
/// period's positions are looked up this much wider and each entry's own time decides.
const SKEW_MS: i64 = 5 * 60 * 1000;

impl AuditLog {
    /// The entries `filter` keeps, from `source`, older than `before`, newest first: at most
    /// `limit` of them, reading at most `budget` candidates.
    pub(crate) fn search(
        &self,
        source: Source<'_>,
        filter: &TrailFilter,
        before: Option<u64>,
        limit: usize,
        budget: usize,
    ) -> Result<Found, EngineError> {
        self.settled()?;
        if source != Source::Trail {
            self.index_for_reading()?;
        }
        let txn = self.db.begin_read()?;
        let entries = txn.open_table(ENTRIES)?;
        let Some((first, end)) = positions(&txn, filter, before)? else {
            return Ok(Found::default());
        };
        let mut found = Found::default();
        let mut read = 0usize;
        let mut take = |seq: u64, bytes: &[u8]| -> Result<bool, EngineError> {
            read += 1;
            let record = to_record(seq, bytes)?;
            if filter.matches(&record.entry) {
                found.records.push(record);
            }
            if found.records.len() >= limit {
                found.next = Some(seq);
                return Ok(false);
            }
            if read >= budget {
                found.next = Some(seq);
                found.partial = true;
                return Ok(false);
            }
            Ok(true)
        };
        let index = |table: TableDefinition<(&str, u64), ()>, key: &str| {
            let itxn = self.index.db.begin_read()?;
            let index = itxn.open_table(table)?;
            let mut seqs = Vec::new();
            // Collected a budget at a time (the index's read ends before the entries are read).
            for item in index.range((key, first)..(key, end))?.rev().take(budget) {
                seqs.push(item?.0.value().1);
            }
            Ok::<_, EngineError>(seqs)
        };
        let seqs = match source {
            Source::Subject(key) => index(INDEX_BY_SUBJECT, key)?,
            Source::User(user) => index(INDEX_BY_USER, user)?,
            Source::Organisation(org) => index(INDEX_BY_ORG, org)?,
            Source::Trail => {
                for item in entries.range(first..end)?.rev() {
                    let (seq, bytes) = item?;
                    if !take(seq.value(), bytes.value())? {
                        break;
                    }
                }
                return Ok(found);
            }
        };
        for seq in seqs {
            if let Some(bytes) = entries.get(seq)?
                && !take(seq, bytes.value())?
            {
                break;
            }
        }
        Ok(found)
    }
}

/// The positions `first..end` that may hold the period's entries older than `before`;
/// `None` when none can.
fn positions(
    txn: &redb::ReadTransaction,
    filter: &TrailFilter,
    before: Option<u64>,
) -> Result<Option<(u64, u64)>, EngineError> {
    let by_time = txn.open_table(BY_TIME)?;
    let first = match filter.from {
        Some(from) => match by_time.range((from.0.saturating_sub(SKEW_MS), 0)..)?.next() {
            Some(item) => item?.0.value().1,
            None => return Ok(None),
        },
        None => 0,
    };
    let end = match filter.until {
        Some(until) => match by_time
            .range(..(until.0.saturating_add(SKEW_MS), 0))?
            .next_back()
        {
            Some(item) => item?.0.value().1.saturating_add(1),
            None => return Ok(None),
        },
        None => u64::MAX,
    };
    let end = end.min(before.unwrap_or(u64::MAX));
    Ok((first < end).then_some((first, end)))
}
