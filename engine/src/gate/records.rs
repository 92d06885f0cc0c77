//! How a change of the registry's records is committed. In the embedded mode the write
//! transaction it was made in is committed here. In the cluster mode its writes (noted by the
//! [`Recording`] it ran in) become one message of the journal's record stream, appended only
//! if the stream is still where this node's records were when the change was decided (a
//! change another node made meanwhile refuses it: decided on what is no longer so); every
//! node, this one too, applies the message as it was made, and the change returns once this
//! node has it. Before deciding, a node catches up with the stream, so that it decides on the
//! records as they stand.

use crate::error::EngineError;
use crate::gate::{Engine, Writing, follow};
use crate::journal::{JournalError, Stream};
use crate::store::{self, RecordWrite};
use redb::{ReadableTable, TableDefinition, WriteTransaction};

/// In the register file: `records` → the record stream position this node has applied.
const JOURNAL_POSITIONS: TableDefinition<&str, u64> = TableDefinition::new("journal_position.v1");
const RECORDS_KEY: &str = "records";
/// How long a change waits for this node to catch up with, or apply, the record stream.
const RECORDS_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The record stream position the records in `txn` reflect (0: none, or the embedded mode).
pub(super) fn records_position(txn: &WriteTransaction) -> Result<u64, EngineError> {
    match txn.open_table(JOURNAL_POSITIONS) {
        Ok(table) => Ok(table.get(RECORDS_KEY)?.map_or(0, |v| v.value())),
        Err(e) => Err(e.into()),
    }
}

impl Engine {
    /// In the cluster mode, waits until this node has applied the record stream as far as the
    /// journal has it, so that a change is decided on the records as they stand.
    pub(super) async fn records_caught_up(&self) -> Result<(), EngineError> {
        let Some(journal) = self.inner.journal.clone() else {
            return Ok(());
        };
        let last = journal
            .last(Stream::Records)
            .await
            .map_err(|e| EngineError::Unavailable(e.to_string()))?
            .map_or(0, |(at, _)| at);
        self.records_reached(last).await
    }

    async fn records_reached(&self, at: u64) -> Result<(), EngineError> {
        let mut seen = self.inner.records_followed.subscribe();
        match tokio::time::timeout(RECORDS_WAIT, seen.wait_for(|p| *p >= at)).await {
            Ok(Ok(_)) => Ok(()),
            _ => Err(EngineError::Unavailable(
                "this node has not caught up with the registry's records".into(),
            )),
        }
    }

    /// Commits a change of the registry's records decided in `txn` at record stream position
    /// `decided_at`, its writes `writes` (see the module's note).
    pub(super) async fn commit_records(
        &self,
        txn: Writing,
        decided_at: u64,
        writes: Vec<RecordWrite>,
    ) -> Result<(), EngineError> {
        match self.settle(move || txn.commit(), decided_at, writes)? {
            Some(journal_part) => journal_part.await,
            None => Ok(()),
        }
    }

    /// [`Engine::commit_records`] for the engine's service tasks, which block (the mail worker
    /// runs on a blocking thread).
    pub(crate) fn commit_records_blocking(
        &self,
        txn: WriteTransaction,
        decided_at: u64,
        writes: Vec<RecordWrite>,
    ) -> Result<(), EngineError> {
        let Some(journal_part) = self.settle(move || txn.commit(), decided_at, writes)? else {
            return Ok(());
        };
        // Waited for on a thread of its own: a caller inside a runtime (a test's, or a
        // current-thread one) would otherwise block the very runtime the wait needs.
        std::thread::scope(|scope| {
            scope
                .spawn(move || {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_time()
                        .build()?
                        .block_on(journal_part)
                })
                .join()
                .map_err(|_| EngineError::Storage("the wait for the journal panicked".into()))?
        })
    }

    /// Embedded: commits here (`commit`) and answers `None`. Clustered: drops the transaction
    /// (the writes come back through the journal, here as on every node) and answers what is
    /// left to wait for: the append, and this node applying it.
    fn settle(
        &self,
        commit: impl FnOnce() -> Result<(), redb::CommitError>,
        decided_at: u64,
        writes: Vec<RecordWrite>,
    ) -> Result<Option<impl std::future::Future<Output = Result<(), EngineError>> + '_>, EngineError>
    {
        let Some(journal) = self.inner.journal.clone() else {
            commit()?;
            return Ok(None);
        };
        Ok(Some(async move {
            if writes.is_empty() {
                return Ok(());
            }
            let at = append_writes(journal.as_ref(), decided_at, &writes).await?;
            self.records_reached(at).await
        }))
    }

    /// The record stream position this node has applied.
    pub fn records_followed(&self) -> u64 {
        *self.inner.records_followed.borrow()
    }

    /// Follows the journal's streams (register changes and the registry's records) from where
    /// this node's files are and applies them; runs until the engine is dropped. The server
    /// spawns it in the cluster mode (the audit trail follows by itself).
    /// The future holds the engine only while it applies a message: spawn it
    /// (`tokio::spawn(engine.follow_journal())`) and it ends once the engine is dropped.
    pub fn follow_journal(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let weak = std::sync::Arc::downgrade(&self.inner);
        let clustered = self.inner.journal.is_some();
        async move {
            if clustered {
                follow_both(weak).await;
            }
        }
    }
}

async fn follow_both(weak: std::sync::Weak<crate::gate::Inner>) {
    {
        tokio::join!(
            follow::follow(
                weak.clone(),
                Stream::Changes,
                super::feed::followed_position,
                super::feed::apply_message,
                super::feed::skipped,
            ),
            follow::follow(
                weak,
                Stream::Records,
                records_followed_position,
                apply_records,
                records_skipped
            ),
        );
    }
}

async fn append_writes(
    journal: &dyn crate::journal::Journal,
    decided_at: u64,
    writes: &[RecordWrite],
) -> Result<u64, EngineError> {
    let payload = postcard::to_allocvec(writes)
        .map_err(|e| EngineError::Storage(format!("record encoding: {e}")))?;
    match journal
        .append(Stream::Records, payload, Some(decided_at))
        .await
    {
        Ok(at) => Ok(at),
        Err(JournalError::Conflict { .. }) => Err(EngineError::Unavailable(
            "the registry's records changed meanwhile; nothing was saved, try again".into(),
        )),
        Err(e) => Err(EngineError::Unavailable(e.to_string())),
    }
}

fn records_followed_position(engine: &Engine) -> Result<u64, EngineError> {
    use redb::ReadableDatabase;
    let txn = engine.inner.register.begin_read()?;
    let stored = match store::open_or_empty(&txn, JOURNAL_POSITIONS)? {
        Some(table) => table.get(RECORDS_KEY)?.map_or(0, |v| v.value()),
        None => 0,
    };
    Ok(stored.max(engine.records_followed()))
}

fn records_skipped(engine: &Engine, at: u64) {
    engine
        .inner
        .records_followed
        .send_modify(|p| *p = (*p).max(at));
}

/// Applies one message of the record stream: its writes as they were made, with the
/// position, in one transaction.
fn apply_records(
    engine: &Engine,
    at: u64,
    payload: Vec<u8>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), EngineError>> + Send + '_>> {
    Box::pin(async move {
        let writes: Vec<RecordWrite> = postcard::from_bytes(&payload).map_err(|e| {
            EngineError::Invalid(format!(
                "a message of the record stream does not decode: {e}"
            ))
        })?;
        let txn = engine.write().await?;
        store::apply_writes(&txn, &writes)?;
        txn.open_table(JOURNAL_POSITIONS)?.insert(RECORDS_KEY, at)?;
        txn.commit()?;
        records_skipped(engine, at);
        Ok(())
    })
}
