//! The gate's third door: register changes from the population information system. Only the
//! feed ([`FEED_TASK`], a system actor the server makes for its operator-authenticated feed)
//! changes register data; a batch is applied in one write transaction ([`crate::feed`]), its
//! audit entry is made durable, and only then is it committed: a batch the trail cannot
//! record is not applied, and readers see either all of it or none of it.

use crate::error::EngineError;
use crate::gate::{Engine, Seal};
use crate::store::Changing;
use domain::Actor;
use domain::access::Who;
use domain::audit::AuditEvent;
use domain::changes::{ChangeEvent, DeadLetter, FeedReport, RegisterChange, SetAside};
use redb::ReadableDatabase;

/// The system task that feeds register changes.
pub const FEED_TASK: &str = "register-feed";

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
        self.feed(actor, |_| batch.to_vec()).await
    }

    /// Applies `changes` as the next part of the stream, numbered on from its position and
    /// recorded now: a correction or a change sent by hand (`server changes --file`).
    pub async fn append_changes(
        &self,
        actor: &Actor,
        changes: &[RegisterChange],
    ) -> Result<FeedReport, EngineError> {
        let recorded = self.clock().now();
        self.feed(actor, |position| {
            (position + 1..)
                .zip(changes)
                .map(|(seq, change)| ChangeEvent {
                    seq,
                    recorded,
                    change: change.clone(),
                })
                .collect()
        })
        .await
    }

    /// The door itself: the batch `events` makes from the stream's position, applied in the
    /// feed's turn to write, recorded, then committed.
    async fn feed(
        &self,
        actor: &Actor,
        events: impl FnOnce(u64) -> Vec<ChangeEvent>,
    ) -> Result<FeedReport, EngineError> {
        if !matches!(&actor.who, Who::System { task } if task == FEED_TASK) {
            return Err(EngineError::Invalid(
                "only the register feed applies register changes".into(),
            ));
        }
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
        let entry = self.entry_at(now, actor, None, event);
        self.inner.audit.append(entry, Seal(())).await?;
        txn.commit()?;
        Ok(report)
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
