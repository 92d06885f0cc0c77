//! The gate's third door: register changes from the population information system. Only the
//! feed ([`FEED_TASK`], a system actor the server makes for its operator-authenticated feed)
//! changes register data; a batch is applied in one write transaction ([`crate::feed`]), its
//! audit entry is made durable, and only then is it committed: a batch the trail cannot
//! record is not applied, and readers see either all of it or none of it.
//!
//! In the cluster mode the door's acts go through the journal's change stream: a feed's batch
//! is numbered on from the stream's last change and appended against the stream's last
//! position (a second feed writing meanwhile is refused, not interleaved); every node follows
//! the stream ([`Engine::follow_journal`]) and applies each message through the same door,
//! recording the stream position with the changes, and the feed's call returns once this
//! node has applied what it appended.

use crate::error::EngineError;
use crate::gate::{Engine, Seal};
use crate::journal::{Journal, JournalError, Stream as JournalStream};
use crate::store::Changing;
use domain::Actor;
use domain::access::Who;
use domain::audit::AuditEvent;
use domain::changes::{ChangeEvent, DeadLetter, FeedReport, RegisterChange, SetAside};
use redb::ReadableDatabase;

/// The system task that feeds register changes.
pub const FEED_TASK: &str = "register-feed";

/// In the register's feed table: the change stream position applied (the cluster mode).
const JOURNAL_KEY: &str = "journal";
/// How many changes one message of the change stream holds at most (NATS takes 1 MiB).
const CHANGES_PER_MESSAGE: usize = 2_000;
/// How long a feed waits for this node to apply what it appended.
const FOLLOW_WAIT: std::time::Duration = std::time::Duration::from_secs(30);
/// How many recent messages' reports a node keeps for the feeds waiting on them.
const FOLLOWED_REPORTS: usize = 256;

/// What this node has applied of the change stream.
#[derive(Default)]
pub(crate) struct Followed {
    pub(crate) through: u64,
    reports: std::collections::VecDeque<(u64, FeedReport)>,
}

fn only_the_feed(actor: &Actor) -> Result<(), EngineError> {
    if matches!(&actor.who, Who::System { task } if task == FEED_TASK) {
        Ok(())
    } else {
        Err(EngineError::Invalid(
            "only the register feed applies register changes".into(),
        ))
    }
}

/// The last change a message of the change stream holds.
fn last_change_in(payload: &[u8]) -> Result<u64, EngineError> {
    let events: Vec<ChangeEvent> = postcard::from_bytes(payload).map_err(|e| {
        EngineError::Storage(format!(
            "the change stream's last message does not decode: {e}"
        ))
    })?;
    events
        .last()
        .map(|e| e.seq)
        .ok_or_else(|| EngineError::Storage("the change stream's last message is empty".into()))
}

/// Applies one message of the change stream through the door (the follower's step).
pub(super) fn apply_message(
    engine: &Engine,
    at: u64,
    payload: Vec<u8>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), EngineError>> + Send + '_>> {
    Box::pin(async move {
        let events: Vec<ChangeEvent> = postcard::from_bytes(&payload).map_err(|e| {
            EngineError::Invalid(format!(
                "a message of the change stream does not decode: {e}"
            ))
        })?;
        let report = engine
            .feed(&Actor::system(FEED_TASK), Some(at), |_| events)
            .await?;
        engine.note_followed(at, report);
        Ok(())
    })
}

/// How far this node is in the change stream.
pub(super) fn followed_position(engine: &Engine) -> Result<u64, EngineError> {
    Ok(engine.journal_position()?.max(engine.changes_followed()))
}

/// A message of the change stream passed over, or the position the register holds.
pub(super) fn skipped(engine: &Engine, at: u64) {
    if at > engine.changes_followed() {
        engine.note_followed(at, FeedReport::default());
    }
}

impl Engine {
    /// Applies a batch of register changes in stream order: changes already applied are
    /// skipped (a replay), a change that cannot be applied is set aside on the dead-letter list
    /// with its reason, and the batch must continue the stream without a gap (otherwise
    /// nothing of it is applied). Only [`FEED_TASK`] may.
    pub async fn apply_changes(
        &self,
        actor: &Actor,
        batch: &[ChangeEvent],
    ) -> Result<FeedReport, EngineError> {
        if let Some(journal) = self.inner.journal.clone() {
            return self
                .publish(actor, journal.as_ref(), |_| batch.to_vec())
                .await;
        }
        self.feed(actor, None, |_| batch.to_vec()).await
    }

    /// Applies `changes` as the next part of the stream, numbered on from its position and
    /// recorded now: a correction or a change sent by hand (`server changes --file`).
    pub async fn append_changes(
        &self,
        actor: &Actor,
        changes: &[RegisterChange],
    ) -> Result<FeedReport, EngineError> {
        let recorded = self.clock().now();
        let number = |position: u64| {
            (position + 1..)
                .zip(changes)
                .map(|(seq, change)| ChangeEvent {
                    seq,
                    recorded,
                    change: change.clone(),
                })
                .collect()
        };
        if let Some(journal) = self.inner.journal.clone() {
            return self.publish(actor, journal.as_ref(), number).await;
        }
        self.feed(actor, None, number).await
    }

    /// The door itself: the batch `events` makes from the stream's position, applied in the
    /// feed's turn to write, recorded, then committed.
    /// With `journal_at`, the batch is the change stream's message at that position, which is
    /// recorded with it.
    async fn feed(
        &self,
        actor: &Actor,
        journal_at: Option<u64>,
        events: impl FnOnce(u64) -> Vec<ChangeEvent>,
    ) -> Result<FeedReport, EngineError> {
        only_the_feed(actor)?;
        let now = self.clock().now();
        let txn = self.write().await?;
        let position = {
            let table = txn.open_table(crate::store::FEED_POSITION)?;
            redb::ReadableTable::get(&table, "position")?.map_or(0, |v| v.value())
        };
        let batch = events(position);
        let (report, covered) = crate::feed::apply(&Changing::new(&txn), &batch)?;
        let Some((first, last)) = covered else {
            return Ok(report);
        };
        if report.applied + report.dead == 0 {
            // A replay of what was applied: nothing changed, nothing to record.
            return Ok(report);
        }
        let event = AuditEvent::RegisterChangesApplied {
            first,
            last,
            applied: report.applied,
            dead: report.dead,
            skipped: report.skipped,
        };
        if let Some(at) = journal_at {
            txn.open_table(crate::store::FEED_POSITION)?
                .insert(JOURNAL_KEY, at)?;
        }
        let entry = self.entry_at(now, actor, None, event);
        self.inner.audit.append(entry, Seal(())).await?;
        txn.commit()?;
        Ok(report)
    }

    /// The cluster mode's door: authorised as the local one, the batch `events` makes from
    /// the stream's last change is checked to continue the stream (a message that cannot be
    /// applied would stop every node), appended in parts the journal takes, and the call
    /// returns once this node has applied them (with what they came to here).
    async fn publish(
        &self,
        actor: &Actor,
        journal: &dyn Journal,
        events: impl Fn(u64) -> Vec<ChangeEvent>,
    ) -> Result<FeedReport, EngineError> {
        only_the_feed(actor)?;
        let (mut at, last_change) = match journal.last(JournalStream::Changes).await {
            Ok(Some((at, payload))) => (at, last_change_in(&payload)?),
            // An empty stream continues the register's own (a cluster made from a register
            // that was fed before).
            Ok(None) => (0, self.feed_position()?),
            Err(e) => return Err(EngineError::Unavailable(e.to_string())),
        };
        let batch = events(last_change);
        let fresh: Vec<&ChangeEvent> = batch.iter().filter(|e| e.seq > last_change).collect();
        let skipped = batch.len() - fresh.len();
        if let Some(gap) = (last_change + 1..)
            .zip(&fresh)
            .find(|(expected, event)| event.seq != *expected)
        {
            return Err(EngineError::Invalid(format!(
                "the register's change stream continues from change {}; change {} cannot be applied before it",
                gap.0, gap.1.seq
            )));
        }
        let first_at = at + 1;
        for part in fresh.chunks(CHANGES_PER_MESSAGE) {
            let payload = postcard::to_allocvec(part)
                .map_err(|e| EngineError::Storage(format!("change encoding: {e}")))?;
            at = match journal
                .append(JournalStream::Changes, payload, Some(at))
                .await
            {
                Ok(at) => at,
                Err(JournalError::Conflict { .. }) => {
                    return Err(EngineError::Unavailable(
                        "another feed wrote to the register's change stream meanwhile; send the changes again".into(),
                    ));
                }
                Err(e) => return Err(EngineError::Unavailable(e.to_string())),
            };
        }
        let mut report = if fresh.is_empty() {
            FeedReport {
                position: last_change,
                ..FeedReport::default()
            }
        } else {
            self.applied_here(first_at, at).await?
        };
        report.skipped += u32::try_from(skipped).unwrap_or(u32::MAX);
        Ok(report)
    }

    /// Waits until this node has applied the change stream through position `last`, and
    /// answers what positions `first..=last` came to here.
    async fn applied_here(&self, first: u64, last: u64) -> Result<FeedReport, EngineError> {
        let mut seen = self.inner.followed.subscribe();
        let reached = tokio::time::timeout(FOLLOW_WAIT, seen.wait_for(|f| f.through >= last)).await;
        let followed = match reached {
            Ok(Ok(followed)) => followed,
            _ => {
                return Err(EngineError::Unavailable(
                    "the changes are in the journal but this node has not applied them yet".into(),
                ));
            }
        };
        let mut report = FeedReport::default();
        for (_, part) in followed
            .reports
            .iter()
            .filter(|(at, _)| (first..=last).contains(at))
        {
            report.applied += part.applied;
            report.dead += part.dead;
            report.skipped += part.skipped;
            report.position = report.position.max(part.position);
        }
        Ok(report)
    }

    /// The last change stream position this node has applied.
    pub fn changes_followed(&self) -> u64 {
        self.inner.followed.borrow().through
    }

    /// The change stream position recorded in the register (0: none).
    fn journal_position(&self) -> Result<u64, EngineError> {
        let txn = self.inner.register.begin_read()?;
        let Some(table) = crate::store::open_or_empty(&txn, crate::store::FEED_POSITION)? else {
            return Ok(0);
        };
        Ok(redb::ReadableTable::get(&table, JOURNAL_KEY)?.map_or(0, |v| v.value()))
    }

    /// Notes that the stream's message at `at` was dealt with here.
    fn note_followed(&self, at: u64, report: FeedReport) {
        self.inner.followed.send_modify(|f| {
            f.through = f.through.max(at);
            f.reports.push_back((at, report));
            while f.reports.len() > FOLLOWED_REPORTS {
                f.reports.pop_front();
            }
        });
    }

    /// Plans `count` realistic changes against the register as it stands (Finland's yearly
    /// mix: moves, deaths, births, names, marriages, divorces, protection orders, code
    /// changes) and applies them as the next part of the stream: the simulated population
    /// information system of a demo or a load test. The plan never leaves the engine.
    /// Deterministic from `seed` and the register.
    pub async fn feed_generated(
        &self,
        actor: &Actor,
        seed: u64,
        count: usize,
    ) -> Result<FeedReport, EngineError> {
        use rand::SeedableRng;
        let events = {
            let snap = crate::store::OperatorSnapshot::begin(&self.inner.register)?;
            let position = crate::feed::position(crate::store::Snapshot::txn(&snap))?;
            let rng = rand_chacha::ChaCha8Rng::seed_from_u64(
                seed ^ position.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            crate::population::changes::plan(&snap, rng, count, position + 1, self.clock().now())?
        };
        if let Some(journal) = self.inner.journal.clone() {
            // Planned from this node's register, numbered on from the stream's last change.
            return self
                .publish(actor, journal.as_ref(), |last| {
                    let shift = (last + 1).wrapping_sub(events.first().map_or(last + 1, |e| e.seq));
                    events
                        .iter()
                        .map(|e| ChangeEvent {
                            seq: e.seq.wrapping_add(shift),
                            ..e.clone()
                        })
                        .collect()
                })
                .await;
        }
        self.apply_changes(actor, &events).await
    }

    /// The feed's position: the last change applied or set aside (0: none yet).
    pub fn feed_position(&self) -> Result<u64, EngineError> {
        crate::feed::position(&self.inner.register.begin_read()?)
    }

    /// The changes set aside, oldest first, after change `after` (at most `limit`), for the
    /// operator who feeds the register: which, of what kind and why, never the change's data
    /// (that stays in the engine; no register data leaves it but through the gate's reads).
    pub fn dead_letters(&self, after: u64, limit: usize) -> Result<Vec<SetAside>, EngineError> {
        let txn = self.inner.register.begin_read()?;
        let Some(table) =
            crate::store::open_or_empty(&txn, crate::store::DEAD_LETTERS.definition())?
        else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for item in redb::ReadableTable::range(&table, after.saturating_add(1)..)?.take(limit) {
            let dead: DeadLetter = crate::store::DEAD_LETTERS.decode(item?.1.value())?;
            out.push(SetAside::from(&dead));
        }
        Ok(out)
    }
}

#[cfg(any(test, feature = "test-support"))]
impl Engine {
    /// The integrity check of the register this engine serves (`server register check` for a
    /// file no server holds): ids and counts, no register data.
    pub fn check_register(&self) -> Result<crate::population::check::Report, EngineError> {
        crate::population::check::check_database(&self.inner.register)
    }

    /// How many of each kind of change a generated plan of `count` from the register as it
    /// stands would hold: what the generator draws, never the changes' data. Test support.
    pub fn plan_kinds(
        &self,
        seed: u64,
        count: usize,
    ) -> Result<std::collections::BTreeMap<&'static str, usize>, EngineError> {
        use rand::SeedableRng;
        let snap = crate::store::OperatorSnapshot::begin(&self.inner.register)?;
        let rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let plan = crate::population::changes::plan(&snap, rng, count, 1, self.clock().now())?;
        let mut kinds = std::collections::BTreeMap::new();
        for event in &plan {
            *kinds.entry(event.change.kind()).or_insert(0) += 1;
        }
        Ok(kinds)
    }

    /// A person's record as stored, found by an identity code (active or passive): what a
    /// change left, for the tests of the changes. Test support only: it reads past the gate.
    pub fn person_record(&self, hetu: &str) -> Result<Option<domain::model::Person>, EngineError> {
        let snap = crate::store::OperatorSnapshot::begin(&self.inner.register)?;
        match crate::store::person_id_by_hetu(&snap, hetu)? {
            Some(id) => crate::store::PERSONS.get(&snap, id),
            None => Ok(None),
        }
    }
}
