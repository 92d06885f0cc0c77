//! The audit trail: its own redb file, written by one writer thread that commits queued entries
//! in groups (one two-phase fsync per batch) and acknowledges each only after its commit.
//! Entries are hash-chained: `hash_n = SHA-256(hash_{n-1} ‖ canonical(entry_n))`, starting
//! from 32 zero bytes. A commit appends only: the entries and the time index, both in
//! sequence order. The indexes by subject (every subject an answer named or showed:
//! residents, relatives, owners, hits) and by user are derived data in a file of their own
//! (`<name>.index.redb`), built by a second thread from the entries in sorted batches, off the
//! request's path: random inserts for every resident of every list made commits, and so
//! answers, slower (docs/benchmarks.md). The index records how far it got, catches up from
//! the trail (a lost index file is rebuilt), and every read through it first brings it up to
//! date.
//!
//! Fail closed: a full queue, a stopped writer or a failed commit answers `Unavailable`, and
//! after any commit error the writer stops for good (redb refuses writes after a failed commit
//! until reopened), so the service returns no register data until restarted.

mod alerts;
#[cfg(test)]
mod alerts_tests;
pub mod bench;
pub mod heads;
mod search;
#[cfg(test)]
mod search_tests;
mod tree;
#[cfg(test)]
mod tree_tests;

use crate::error::EngineError;
use domain::audit::AuditEntry;
use redb::backends::FileBackend;
use redb::{
    Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, StorageBackend,
    TableDefinition,
};
pub(crate) use search::{Found, Source};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use tokio::sync::{mpsc, oneshot};
use tree::Head;
pub use tree::Proof;

/// seq → stored record (hash, canonical entry).
const ENTRIES: TableDefinition<u64, &[u8]> = TableDefinition::new("audit_entry.v1");
/// (millis, seq) → ().
const BY_TIME: TableDefinition<(i64, u64), ()> = TableDefinition::new("audit_by_time.v1");
/// In the index file: (subject key, seq) → () for every subject an entry names or showed.
const INDEX_BY_SUBJECT: TableDefinition<(&str, u64), ()> =
    TableDefinition::new("audit_index_by_subject.v1");
/// In the index file: (user, seq) → ().
const INDEX_BY_USER: TableDefinition<(&str, u64), ()> =
    TableDefinition::new("audit_index_by_user.v1");
/// In the index file: (organisation, seq) → () for every query event (of the register or of
/// the trail) made in the organisation: its own log, newest first, in one range.
const INDEX_BY_ORG: TableDefinition<(&str, u64), ()> =
    TableDefinition::new("audit_index_by_org.v1");
/// In the index file: `indexed_through` → the last seq indexed (v3: every table in this file
/// is kept from the first entry on; an index of an earlier version is emptied when opened and
/// rebuilt from the trail, since its counters would otherwise be counted twice).
const INDEX_PROGRESS: TableDefinition<&str, u64> = TableDefinition::new("audit_index_progress.v3");
/// The progress of the index before the organisations' index was kept.
const INDEX_PROGRESS_V2: TableDefinition<&str, u64> =
    TableDefinition::new("audit_index_progress.v2");
/// In the index file: (organisation, month `2026-11`, user) → (billable units the user's
/// entries disclosed that month, the user's name as last recorded): the invoice basis, summed
/// as the trail grows so that reading a month reads its users, not its entries.
const FEE_UNITS: TableDefinition<(&str, &str, &str), (u64, &str)> =
    TableDefinition::new("audit_fee_units.v1");
/// In the index file: (organisation, user, day in days since 1970, purpose code) → (queries,
/// found nothing, outside office hours, refused): the usage statistics, per day.
const USAGE_DAYS: TableDefinition<UsageDayKey, DayTally> =
    TableDefinition::new("audit_usage_days.v1");
/// (organisation, user, day in days since 1970, purpose code).
type UsageDayKey = (&'static str, &'static str, i64, u8);
/// (queries, found nothing, outside office hours, refused).
type DayTally = (u32, u32, u32, u32);
/// In the index file: (organisation, user, millis, alert code) → (): what the abuse limits
/// raised about the user.
const USAGE_ALERTS: TableDefinition<(&str, &str, i64, u8), ()> =
    TableDefinition::new("audit_usage_alerts.v1");

/// A purpose of use as the counters key it (0: none chosen).
fn purpose_code(purpose: Option<domain::Purpose>) -> u8 {
    purpose
        .and_then(|p| domain::Purpose::ALL.iter().position(|q| *q == p))
        .map_or(0, |i| u8::try_from(i + 1).unwrap_or(u8::MAX))
}

fn purpose_of_code(code: u8) -> Option<domain::Purpose> {
    domain::Purpose::ALL
        .get(usize::from(code).checked_sub(1)?)
        .copied()
}

const ALERTS: [domain::usage::AlertKind; 3] = [
    domain::usage::AlertKind::SweepSlowed,
    domain::usage::AlertKind::SweepBlocked,
    domain::usage::AlertKind::Throttled,
];
/// How far behind the trail the index may be for a reader to catch it up on their request
/// (a few seconds of indexing); further behind, the reader is answered `Unavailable`.
const READER_CATCH_UP: u64 = 200_000;
/// How many entries one catch-up of the index takes at most.
const INDEX_BATCH: usize = 20_000;
/// How often the index's commits are made durable. The ones between are kept in memory, and
/// redb makes them durable when the file is closed; a crash loses at most this much indexing,
/// which the next start redoes from the trail.
const INDEX_DURABLE_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// In the cluster mode: `through` → the last position of the journal's audit stream this
/// file holds, committed with the entries it brought.
const JOURNAL_THROUGH: TableDefinition<&str, u64> = TableDefinition::new("audit_journal.v1");
/// How long an append waits for this node's copy after the journal's acknowledgement.
const REPLICATED_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
/// How often the node's copy of the journal is made durable (the commits between are kept in
/// memory; a crash loses at most this much of the copy, which the next start follows again
/// from the journal).
const COPY_DURABLE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// How many queued entries one commit takes at most.
const MAX_BATCH: usize = 1024;
/// The cluster mode's writer waits [`LINGER`] for more entries when it has fewer than this.
const LINGER_BELOW: usize = 8;
const LINGER: std::time::Duration = std::time::Duration::from_micros(500);
/// How many entries may wait for the writer before callers are refused.
const QUEUE: usize = 8192;

/// One entry as stored and verified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    pub hash: [u8; 32],
    pub entry: AuditEntry,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    hash: [u8; 32],
    /// The canonical JSON the hash was computed over.
    canonical: Vec<u8>,
}

struct Job {
    entry: AuditEntry,
    ack: oneshot::Sender<Result<u64, String>>,
}

/// A handle to the audit trail; cheap to clone.
#[derive(Clone)]
pub struct AuditLog {
    queue: mpsc::Sender<Job>,
    db: Arc<Database>,
    /// The indexes by subject and by user, and their thread.
    index: Arc<TrailIndex>,
    failed: Arc<AtomicBool>,
    /// Commits made since opening (each holds a group of entries).
    commits: Arc<AtomicU64>,
    writer: Arc<std::sync::Mutex<Option<std::thread::JoinHandle<()>>>>,
    /// In the cluster mode, the thread that materialises the journal's audit stream into this
    /// file (the only writer of it then), and its stop flag.
    follower: Arc<std::sync::Mutex<Option<Follower>>>,
    /// In the cluster mode (entries made durable by a journal), where this node's copy
    /// stands beside what the journal acknowledged.
    copy: Option<Arc<Copy>>,
    /// The thread that signs tree heads, once started ([`AuditLog::sign_heads`]).
    signer: Arc<std::sync::Mutex<Option<heads::Signer>>>,
    /// The last head signed (or read from the heads file when signing started), and why
    /// signing stopped if it did.
    heads: Arc<std::sync::Mutex<heads::HeadState>>,
    /// The OS thread ids of the indexer and the writer (tests read their priority).
    #[cfg_attr(not(test), allow(dead_code))]
    thread_ids: (i32, i32),
}

/// The cluster mode's follower thread and its stop flag.
type Follower = (std::thread::JoinHandle<()>, Arc<AtomicBool>);

/// The outcome of a full verification: the chain, the tree and the signed heads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: u64,
    /// The chain's head.
    pub head: [u8; 32],
    /// The first sequence number whose hash does not match, if any.
    pub first_bad: Option<u64>,
    /// The Merkle tree's root over every entry.
    pub root: domain::merkle::Hash,
    /// The first stored tree node (level, index) that does not match the entries under it.
    pub bad_node: Option<(u32, u64)>,
    /// Signed heads checked: each one's signature, and the root of the trail at its size.
    pub heads: u64,
    /// What was wrong with heads (the first [`MAX_PROBLEMS`]) and how many were wrong.
    pub head_problems: Vec<String>,
    pub bad_heads: u64,
}

/// How many head problems a report lists (it counts them all).
pub const MAX_PROBLEMS: usize = 20;

impl VerifyReport {
    /// Whether nothing was found wrong.
    pub fn intact(&self) -> bool {
        self.first_bad.is_none() && self.bad_node.is_none() && self.bad_heads == 0
    }
}

fn chain(prev: &[u8; 32], canonical: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(canonical);
    h.finalize().into()
}

fn canonical(entry: &AuditEntry) -> Result<Vec<u8>, EngineError> {
    serde_json::to_vec(entry).map_err(|e| EngineError::Storage(format!("audit encoding: {e}")))
}

fn decode_stored(bytes: &[u8]) -> Result<Stored, EngineError> {
    postcard::from_bytes(bytes).map_err(|e| EngineError::Corrupt {
        table: "audit_entry.v1",
        detail: e.to_string(),
    })
}

/// A stored entry's hash and canonical bytes, borrowed: the postcard form of [`Stored`] (32
/// bytes of hash, the length as a varint, the bytes) read without copying; `None` if the
/// value is not of that form.
fn split_stored(bytes: &[u8]) -> Option<(&[u8; 32], &[u8])> {
    let (hash, rest) = bytes.split_first_chunk::<32>()?;
    let mut len = 0u64;
    for (i, byte) in rest.iter().enumerate().take(10) {
        len |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            let body = &rest[i + 1..];
            return (u64::try_from(body.len()).ok()? == len).then_some((hash, body));
        }
    }
    None
}

impl AuditLog {
    /// Opens (or creates) the audit file and its index file beside it, and starts the writer
    /// and the indexer.
    pub fn open(path: &Path) -> Result<AuditLog, EngineError> {
        let file = crate::private::private_file(path)?;
        let index = crate::private::private_file(&path.with_extension("index.redb"))?;
        AuditLog::open_with_backends(FileBackend::new(file)?, FileBackend::new(index)?)
    }

    /// Opens the audit trail on any redb storage backend, its index in memory (fault-injection
    /// tests use this).
    pub fn open_with_backend(backend: impl StorageBackend) -> Result<AuditLog, EngineError> {
        AuditLog::open_with_backends(backend, redb::backends::InMemoryBackend::new())
    }

    /// Opens the audit trail and its index file on any redb storage backends.
    pub fn open_with_backends(
        backend: impl StorageBackend,
        index_backend: impl StorageBackend,
    ) -> Result<AuditLog, EngineError> {
        AuditLog::open_inner(backend, index_backend, None)
    }

    /// Opens the audit file at `path` in the cluster mode: an entry is durable once `journal`
    /// holds it, and this file is the node's copy of the journal's audit stream, materialised
    /// in the journal's order by a follower thread (so every node's chain is the same).
    /// An append returns once the journal holds the entry; a read of the trail on this node
    /// waits until its copy holds every entry this node has had acknowledged.
    pub fn open_replicated(
        path: &Path,
        journal: Arc<dyn crate::journal::Journal>,
    ) -> Result<AuditLog, EngineError> {
        let file = crate::private::private_file(path)?;
        let index = crate::private::private_file(&path.with_extension("index.redb"))?;
        AuditLog::open_inner(
            FileBackend::new(file)?,
            FileBackend::new(index)?,
            Some(journal),
        )
    }

    fn open_inner(
        backend: impl StorageBackend,
        index_backend: impl StorageBackend,
        journal: Option<Arc<dyn crate::journal::Journal>>,
    ) -> Result<AuditLog, EngineError> {
        let db = Arc::new(Database::builder().create_with_backend(backend)?);
        create_tables(&db)?;
        let head = tree::open_head(&db)?;
        let index = TrailIndex::open(Database::builder().create_with_backend(index_backend)?)?;
        let index = Arc::new(index);
        let indexer_index = index.clone();
        // A weak handle: the indexer ends once the trail is closed or dropped.
        let indexer_db = Arc::downgrade(&db);
        // Each thread reports once it is set up (the indexer at its lowered priority), so that
        // the trail is fully running when `open` returns.
        let (ready, started) = std::sync::mpsc::channel::<i32>();
        let indexer_ready = ready.clone();
        let indexer = std::thread::Builder::new()
            .name("audit-indexer".into())
            .spawn(move || {
                yield_to_requests();
                let _ = indexer_ready.send(os_thread_id());
                indexer_index.run(&indexer_db)
            })?;
        let indexer_tid = started
            .recv()
            .map_err(|_| EngineError::Storage("the audit indexer did not start".into()))?;
        *index
            .thread
            .lock()
            .map_err(|_| EngineError::Storage("audit indexer handle poisoned".into()))? =
            Some(indexer);
        let (queue, jobs) = mpsc::channel(QUEUE);
        let failed = Arc::new(AtomicBool::new(false));
        let writer_db = db.clone();
        let writer_failed = failed.clone();
        let commits = Arc::new(AtomicU64::new(0));
        let writer_commits = commits.clone();
        let mut follower = None;
        let mut copy = None;
        let writer = match journal {
            None => std::thread::Builder::new()
                .name("audit-writer".into())
                .spawn(move || {
                    // However the writer ends (a failed commit, a panic), the trail reports
                    // failed.
                    let _latch = FailedOnExit(writer_failed.clone());
                    let _ = ready.send(os_thread_id());
                    run_writer(&writer_db, jobs, head, &writer_failed, &writer_commits)
                })?,
            Some(journal) => {
                let shared = Arc::new(Copy::default());
                copy = Some(shared.clone());
                let stop = Arc::new(AtomicBool::new(false));
                let materialiser = Materialiser {
                    db: Arc::downgrade(&writer_db),
                    journal: journal.clone(),
                    copy: shared.clone(),
                    failed: writer_failed.clone(),
                    commits: writer_commits,
                    stop: stop.clone(),
                };
                drop(writer_db);
                let handle = std::thread::Builder::new()
                    .name("audit-follower".into())
                    .spawn(move || {
                        let _latch = FailedOnExit(materialiser.failed.clone());
                        materialiser.run(head);
                    })?;
                follower = Some((handle, stop));
                std::thread::Builder::new()
                    .name("audit-writer".into())
                    .spawn(move || {
                        let _ = ready.send(os_thread_id());
                        run_publisher(jobs, journal.as_ref(), &shared)
                    })?
            }
        };
        let writer_tid = started
            .recv()
            .map_err(|_| EngineError::Storage("the audit writer did not start".into()))?;
        Ok(AuditLog {
            queue,
            db,
            index,
            failed,
            commits,
            writer: Arc::new(std::sync::Mutex::new(Some(writer))),
            follower: Arc::new(std::sync::Mutex::new(follower)),
            copy,
            signer: Arc::new(std::sync::Mutex::new(None)),
            heads: Arc::new(std::sync::Mutex::new(heads::HeadState::default())),
            thread_ids: (indexer_tid, writer_tid),
        })
    }

    /// Closes the trail: the writer commits what is queued, stops, and the file is released.
    /// Refused while other handles are open (they could still append).
    pub fn close(self) -> Result<(), EngineError> {
        let AuditLog {
            queue,
            db,
            index,
            failed: _,
            commits: _,
            writer,
            follower,
            copy: _,
            signer,
            heads: _,
            thread_ids: _,
        } = self;
        let writer = Arc::try_unwrap(writer).map_err(|_| {
            EngineError::Invalid("the audit trail is still in use elsewhere".into())
        })?;
        let follower = follower
            .lock()
            .map_err(|_| EngineError::Storage("audit follower handle poisoned".into()))?
            .take();
        index.stop()?;
        drop(index);
        drop(queue);
        let handle = writer
            .into_inner()
            .map_err(|_| EngineError::Storage("audit writer handle poisoned".into()))?;
        if let Some(handle) = handle {
            handle
                .join()
                .map_err(|_| EngineError::Storage("the audit writer panicked".into()))?;
        }
        if let Some((handle, stop)) = follower {
            stop.store(true, Ordering::SeqCst);
            handle
                .join()
                .map_err(|_| EngineError::Storage("the audit follower panicked".into()))?;
        }
        // The last head covers every entry written.
        let signer = signer
            .lock()
            .map_err(|_| EngineError::Storage("audit signer handle poisoned".into()))?
            .take();
        if let Some(signer) = signer {
            signer.stop()?;
        }
        drop(db);
        Ok(())
    }

    /// Starts signing tree heads: one at least every `signer.every` while the trail grows,
    /// appended to the heads file, and one when signing stops ([`AuditLog::stop_signing`],
    /// [`AuditLog::close`]). Refused if signing has started already.
    pub fn sign_heads(&self, signer: heads::HeadSigner) -> Result<(), EngineError> {
        let mut slot = self
            .signer
            .lock()
            .map_err(|_| EngineError::Storage("audit signer handle poisoned".into()))?;
        if slot.is_some() {
            return Err(EngineError::Invalid("tree heads are signed already".into()));
        }
        *slot = Some(heads::Signer::start(
            Arc::downgrade(&self.db),
            signer,
            self.heads.clone(),
            self.copy.is_some(),
        )?);
        Ok(())
    }

    /// Signs a last head and stops signing (at shutdown).
    pub fn stop_signing(&self) -> Result<(), EngineError> {
        let signer = self
            .signer
            .lock()
            .map_err(|_| EngineError::Storage("audit signer handle poisoned".into()))?
            .take();
        match signer {
            Some(signer) => signer.stop(),
            None => Ok(()),
        }
    }

    /// The last signed tree head: public, as in Certificate Transparency (a size and a
    /// root, no entry).
    pub fn latest_head(&self) -> Option<heads::SignedHead> {
        self.heads_state().latest.clone()
    }

    /// Why tree heads are no longer signed, if they are not: the trail does not hold what a
    /// head signed before says (the service reports itself degraded).
    pub fn heads_problem(&self) -> Option<String> {
        self.heads_state().problem.clone()
    }

    /// The public key heads are signed with, once signing has started.
    pub fn head_key(&self) -> Option<[u8; 32]> {
        self.heads_state().file.as_ref().map(|(_, key)| *key)
    }

    fn heads_state(&self) -> std::sync::MutexGuard<'_, heads::HeadState> {
        self.heads
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The tree's size and root now.
    pub fn tree_head(&self) -> Result<(u64, domain::merkle::Hash), EngineError> {
        self.settled()?;
        tree::tree_head(&self.db)
    }

    /// That the trail of `first` entries is a prefix of the trail of `size`: the earlier
    /// root and the proof (hashes only; no entry).
    pub fn consistency_proof(
        &self,
        first: u64,
        size: u64,
    ) -> Result<(domain::merkle::Hash, Proof), EngineError> {
        self.settled()?;
        tree::consistency(&self.db, first, size)
    }

    /// Entry `seq`'s inclusion in the tree of the first `size` entries (a disclosure to the
    /// person the entry is about carries it).
    pub fn inclusion_proof(&self, seq: u64, size: u64) -> Result<Proof, EngineError> {
        self.settled()?;
        tree::inclusion(&self.db, seq, size)
    }

    /// How many commits the writer has made since the trail was opened: entries arriving
    /// together share one commit (and one fsync).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::SeqCst)
    }

    /// Whether the writer has stopped after a storage failure.
    pub fn is_failed(&self) -> bool {
        self.failed.load(Ordering::SeqCst)
    }

    fn submit(
        &self,
        entry: AuditEntry,
    ) -> Result<oneshot::Receiver<Result<u64, String>>, EngineError> {
        if self.failed.load(Ordering::SeqCst) {
            return Err(EngineError::Unavailable("audit writer has stopped".into()));
        }
        let (ack, rx) = oneshot::channel();
        self.queue
            .try_send(Job { entry, ack })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => {
                    EngineError::Unavailable("audit queue full".into())
                }
                mpsc::error::TrySendError::Closed(_) => {
                    EngineError::Unavailable("audit writer has stopped".into())
                }
            })?;
        Ok(rx)
    }

    fn settle(
        ack: Result<Result<u64, String>, oneshot::error::RecvError>,
    ) -> Result<u64, EngineError> {
        match ack {
            Ok(Ok(seq)) => Ok(seq),
            Ok(Err(e)) => Err(EngineError::Unavailable(e)),
            Err(_) => Err(EngineError::Unavailable(
                "audit writer dropped the entry".into(),
            )),
        }
    }

    /// Appends one entry and waits until it is durable. Returns its sequence number. Only the
    /// gate appends (it alone makes a [`crate::Seal`]): its reads, its commands and queries,
    /// and the events without data it records (sign-in, sign-out).
    pub async fn append(&self, entry: AuditEntry, _seal: crate::Seal) -> Result<u64, EngineError> {
        self.durable(entry).await
    }

    /// Appends an entry without the gate: for tests of the trail's own tools only (the
    /// feature is off in every build that serves).
    #[cfg(any(test, feature = "test-support"))]
    pub async fn record_for_test(&self, entry: AuditEntry) -> Result<u64, EngineError> {
        self.durable(entry).await
    }

    async fn durable(&self, entry: AuditEntry) -> Result<u64, EngineError> {
        let rx = self.submit(entry)?;
        if self.copy.is_none() {
            return Self::settle(rx.await);
        }
        // Durable once the journal acknowledged it (a quorum of its servers holds it); this
        // node's copy follows, and a read of the trail here waits for it ([`Copy::caught_up`]).
        // The journal acknowledges or refuses within its own wait; should the writer be held
        // up longer, the caller is told so rather than kept waiting.
        match tokio::time::timeout(REPLICATED_WAIT, rx).await {
            Ok(ack) => Self::settle(ack),
            Err(_) => Err(EngineError::Unavailable(
                "the journal did not acknowledge the audit entry in time".into(),
            )),
        }
    }

    /// The last position of the journal's audit stream this node's copy holds (0 in the
    /// embedded mode, or before the first).
    pub fn journal_through(&self) -> Result<u64, EngineError> {
        journal_through(&self.db)
    }

    /// In the cluster mode, waits until this node's copy holds every entry this node has had
    /// acknowledged: a read of the trail sees this node's own entries.
    fn settled(&self) -> Result<(), EngineError> {
        match &self.copy {
            Some(copy) => copy.caught_up(),
            None => Ok(()),
        }
    }

    /// Brings the index up to date for a reader (the log, usage statistics, fees), unless it
    /// is more than [`READER_CATCH_UP`] entries behind: an index being rebuilt from the trail
    /// (a new version, a lost file) takes a long while, and a reader is told to come back
    /// rather than held for it (the indexer's thread goes on meanwhile).
    pub(crate) fn index_for_reading(&self) -> Result<(), EngineError> {
        let behind = last_record(&self.db)?
            .0
            .saturating_sub(self.index.indexed_through()?);
        let limit = self.index.reader_limit.load(Ordering::Relaxed);
        if behind > limit {
            return Err(EngineError::Unavailable(format!(
                "the audit trail's index is {behind} entries behind (being rebuilt); a reader is \
                 answered once it is within {limit}"
            )));
        }
        self.index.catch_up(&self.db)
    }

    /// Number of entries stored.
    pub fn len(&self) -> Result<u64, EngineError> {
        self.settled()?;
        let txn = self.db.begin_read()?;
        Ok(txn.open_table(ENTRIES)?.len()?)
    }

    pub fn is_empty(&self) -> Result<bool, EngineError> {
        Ok(self.len()? == 0)
    }

    /// All entries about one subject (e.g. `person:00ab…`): asked for, shown or listed; oldest
    /// first. For tests: reading the trail is an operation of its own (it is register data
    /// about who looked at whom).
    #[cfg(any(test, feature = "test-support"))]
    pub fn for_subject(&self, subject_key: &str) -> Result<Vec<AuditRecord>, EngineError> {
        self.settled()?;
        self.index.catch_up(&self.db)?;
        self.records(&self.index.seqs(INDEX_BY_SUBJECT, subject_key)?)
    }

    /// All entries of one user, oldest first. For tests, like `for_subject`.
    #[cfg(any(test, feature = "test-support"))]
    pub fn for_user(&self, user: &str) -> Result<Vec<AuditRecord>, EngineError> {
        self.settled()?;
        self.index.catch_up(&self.db)?;
        self.records(&self.index.seqs(INDEX_BY_USER, user)?)
    }

    #[cfg(any(test, feature = "test-support"))]
    fn records(&self, seqs: &[u64]) -> Result<Vec<AuditRecord>, EngineError> {
        let txn = self.db.begin_read()?;
        let entries = txn.open_table(ENTRIES)?;
        let mut out = Vec::new();
        for &seq in seqs {
            if let Some(record) = read_record(&entries, seq)? {
                out.push(record);
            }
        }
        Ok(out)
    }

    /// Each user's billable units of `organisation` in `month` with their name, in user
    /// order: summed as the trail grew (the index is brought up to date first), so a month of
    /// a large organisation costs its users, not its entries.
    pub(crate) fn fee_units(
        &self,
        organisation: &str,
        month: domain::fees::Month,
    ) -> Result<Vec<(String, u64)>, EngineError> {
        self.settled()?;
        self.index_for_reading()?;
        let month = month.to_string();
        let txn = self.index.db.begin_read()?;
        let table = txn.open_table(FEE_UNITS)?;
        let mut out = Vec::new();
        for item in table.range((organisation, month.as_str(), "")..)? {
            let (key, value) = item?;
            let (o, m, _) = key.value();
            if o != organisation || m != month {
                break;
            }
            let (units, name) = value.value();
            out.push((name.to_owned(), units));
        }
        Ok(out)
    }

    /// One user's statistics in `organisation` from the day `since` on: what was counted per
    /// day and purpose, and the alerts raised, as the trail grew (the index is brought up to
    /// date first).
    pub(crate) fn usage_of(
        &self,
        organisation: &str,
        user: &str,
        name: &str,
        since: domain::Date,
    ) -> Result<domain::usage::UserUsage, EngineError> {
        self.settled()?;
        self.index_for_reading()?;
        let txn = self.index.db.begin_read()?;
        let mut out = domain::usage::UserUsage {
            user: user.to_owned(),
            name: name.to_owned(),
            ..domain::usage::UserUsage::default()
        };
        let first = since.days_since_epoch();
        let days = txn.open_table(USAGE_DAYS)?;
        for item in
            days.range((organisation, user, first, 0)..=(organisation, user, i64::MAX, u8::MAX))?
        {
            let (key, value) = item?;
            let (_, _, day, purpose) = key.value();
            let (queries, not_found, off_hours, refused) = value.value();
            out.add_day(
                domain::Date::from_days_since_epoch(day),
                purpose_of_code(purpose),
                domain::usage::Tally {
                    queries,
                    not_found,
                    off_hours,
                    refused,
                },
            );
        }
        let from = domain::Timestamp::start_of_finnish_day(since).0;
        let alerts = txn.open_table(USAGE_ALERTS)?;
        for item in
            alerts.range((organisation, user, from, 0)..=(organisation, user, i64::MAX, u8::MAX))?
        {
            let (_, _, at, kind) = item?.0.value();
            if let Some(kind) = ALERTS.get(usize::from(kind)) {
                out.alerts.push(domain::usage::Alert {
                    at: domain::Timestamp(at),
                    kind: *kind,
                });
            }
        }
        Ok(out.sorted())
    }

    /// Entries from `after` (exclusive), up to `limit`. For tests, like `for_subject`.
    #[cfg(any(test, feature = "test-support"))]
    pub fn entries_after(&self, after: u64, limit: usize) -> Result<Vec<AuditRecord>, EngineError> {
        self.settled()?;
        let txn = self.db.begin_read()?;
        let entries = txn.open_table(ENTRIES)?;
        let mut out = Vec::new();
        for item in entries.range(after.saturating_add(1)..)?.take(limit) {
            let (k, v) = item?;
            out.push(to_record(k.value(), v.value())?);
        }
        Ok(out)
    }

    /// Recomputes the whole chain and tree from a consistent snapshot, and checks the heads
    /// signed so far when signing has started.
    pub fn verify(&self) -> Result<VerifyReport, EngineError> {
        self.settled()?;
        let heads = self.heads_state().file.clone();
        verify_db(
            &self.db,
            heads
                .as_ref()
                .map(|(file, public)| (file.as_path(), public)),
        )
    }
}

/// Verifies an audit file that no server has open (the `audit verify` command), and the
/// heads in `heads` (a heads file and the public key they must be signed with). Reads in
/// constant memory: a small cache, the tree's frontier, one head at a time.
pub fn verify_file(
    path: &Path,
    heads: Option<(&Path, &[u8; 32])>,
) -> Result<VerifyReport, EngineError> {
    verify_db(&open_for_reading(path)?, heads)
}

/// The request id of every entry of an audit file no server has open, in order, handed to
/// `each` with the entry's number: what a fault test needs to show that every answer it got
/// has its entry (ids only: no subject, no criteria leaves the file).
pub fn request_ids_file(path: &Path, mut each: impl FnMut(u64, &str)) -> Result<u64, EngineError> {
    let db = open_for_reading(path)?;
    let txn = db.begin_read()?;
    let entries = txn.open_table(ENTRIES)?;
    let mut count = 0;
    for item in entries.iter()? {
        let (seq, bytes) = item?;
        let record = to_record(seq.value(), bytes.value())?;
        each(record.seq, &record.entry.actor.request_id);
        count += 1;
    }
    Ok(count)
}

/// An audit file no server has open, with a small cache: the tools read it once, in order.
fn open_for_reading(path: &Path) -> Result<Database, EngineError> {
    Ok(Database::builder()
        .set_cache_size(VERIFY_CACHE)
        .open(path)?)
}

/// The size asked for, or the whole trail's.
fn size_or_all(db: &Database, size: Option<u64>) -> Result<u64, EngineError> {
    match size {
        Some(size) => Ok(size),
        None => Ok(tree::tree_head(db)?.0),
    }
}

/// That the first `first` entries of an audit file no server has open are a prefix of its
/// first `size` (all of them when `None`): the earlier root and the proof.
pub fn consistency_file(
    path: &Path,
    first: u64,
    size: Option<u64>,
) -> Result<(domain::merkle::Hash, Proof), EngineError> {
    let db = open_for_reading(path)?;
    tree::consistency(&db, first, size_or_all(&db, size)?)
}

/// Entry `seq`'s inclusion in the tree of an audit file's first `size` entries (all of them
/// when `None`): the entry's leaf hash and the proof.
pub fn inclusion_file(
    path: &Path,
    seq: u64,
    size: Option<u64>,
) -> Result<(domain::merkle::Hash, Proof), EngineError> {
    let db = open_for_reading(path)?;
    let size = size_or_all(&db, size)?;
    let leaf = {
        let txn = db.begin_read()?;
        let entries = txn.open_table(ENTRIES)?;
        match entries.get(seq)? {
            Some(v) => tree::leaf_of(v.value())?,
            None => return Err(EngineError::NotFound),
        }
    };
    Ok((leaf, tree::inclusion(&db, seq, size)?))
}

/// The page cache of a verification: the trail is read once, in order.
const VERIFY_CACHE: usize = 16 * 1024 * 1024;

fn verify_db(
    db: &Database,
    heads: Option<(&Path, &[u8; 32])>,
) -> Result<VerifyReport, EngineError> {
    let mut report = VerifyReport {
        entries: 0,
        head: [0; 32],
        first_bad: None,
        root: domain::merkle::empty_root(),
        bad_node: None,
        heads: 0,
        head_problems: Vec::new(),
        bad_heads: 0,
    };
    let mut signed = HeadCheck::new(heads)?;
    let txn = db.begin_read()?;
    let Some(entries) = crate::store::open_or_empty(&txn, ENTRIES)? else {
        signed.check_at(0, &domain::merkle::empty_root(), &mut report);
        signed.finish(0, &mut report);
        return Ok(report);
    };
    let nodes = crate::store::open_or_empty(&txn, tree::TREE)?;
    let mut frontier = domain::merkle::Frontier::default();
    let mut completed = Vec::new();
    let mut prev = [0u8; 32];
    let mut expected_seq = 1u64;
    signed.check_at(0, &frontier.root(), &mut report);
    // Each entry decoded on a second thread while this one hashes: the two halves of the
    // work in parallel, in bounded batches (constant memory).
    let (decode, decoded) = std::sync::mpsc::sync_channel::<DecodeBatch>(4);
    let decoder = std::thread::Builder::new()
        .name("audit-verify-decode".into())
        .spawn(move || {
            let mut first_bad = None;
            for batch in decoded {
                for (seq, canonical) in batch.entries() {
                    if first_bad.is_none() && decode_entry(canonical).is_err() {
                        first_bad = Some(seq);
                    }
                }
            }
            first_bad
        })?;
    let mut batch = DecodeBatch::default();
    for item in entries.iter()? {
        let (k, v) = item?;
        let seq = k.value();
        let Some((hash, canonical)) = split_stored(v.value()) else {
            // Every entry after it is bad too (its chain cannot be followed): the first
            // stands.
            report.first_bad.get_or_insert(seq);
            report.entries += 1;
            continue;
        };
        if seq != expected_seq || chain(&prev, canonical) != *hash {
            report.first_bad.get_or_insert(seq);
        }
        batch.push(seq, canonical);
        if batch.seqs.len() == DecodeBatch::SIZE {
            // A send fails only when the decoder has ended, which its join reports.
            let _ = decode.send(std::mem::take(&mut batch));
        }
        prev = *hash;
        report.entries += 1;
        expected_seq = seq + 1;
        completed.clear();
        frontier.push(domain::merkle::leaf_hash(canonical), |c| {
            if c.level >= tree::TILE_LEVEL {
                completed.push(c);
            }
        });
        for c in &completed {
            let key = (u8::try_from(c.level).unwrap_or(u8::MAX), c.index);
            let kept = match &nodes {
                Some(nodes) => nodes.get(key)?.map(|v| v.value()),
                None => None,
            };
            if kept != Some(c.hash) && report.bad_node.is_none() {
                report.bad_node = Some((c.level, c.index));
            }
        }
        if signed.due(frontier.size()) {
            signed.check_at(frontier.size(), &frontier.root(), &mut report);
        }
    }
    let _ = decode.send(batch);
    drop(decode);
    let undecodable = decoder
        .join()
        .map_err(|_| EngineError::Storage("the verifying decoder panicked".into()))?;
    report.first_bad = match (report.first_bad, undecodable) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    report.head = prev;
    report.root = frontier.root();
    signed.finish(frontier.size(), &mut report);
    Ok(report)
}

/// Entries on their way to the verifying decoder: numbers, and the canonical bytes end to end.
#[derive(Default)]
struct DecodeBatch {
    seqs: Vec<u64>,
    ends: Vec<usize>,
    bytes: Vec<u8>,
}

impl DecodeBatch {
    const SIZE: usize = 1024;

    fn push(&mut self, seq: u64, canonical: &[u8]) {
        self.bytes.extend_from_slice(canonical);
        self.seqs.push(seq);
        self.ends.push(self.bytes.len());
    }

    fn entries(&self) -> impl Iterator<Item = (u64, &[u8])> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        self.seqs
            .iter()
            .zip(starts.zip(self.ends.iter().copied()))
            .map(|(seq, (start, end))| (*seq, &self.bytes[start..end]))
    }
}

/// The signed heads a verification checks, read one at a time as the tree grows past them.
struct HeadCheck {
    heads: Box<dyn Iterator<Item = Result<heads::SignedHead, String>>>,
    next: Option<heads::SignedHead>,
    public: [u8; 32],
    last_size: u64,
    /// Every head has been read.
    done: bool,
}

impl HeadCheck {
    fn new(heads: Option<(&Path, &[u8; 32])>) -> Result<HeadCheck, EngineError> {
        let (iter, public): (Box<dyn Iterator<Item = _>>, _) = match heads {
            Some((file, public)) => (Box::new(heads::read(file)?), *public),
            None => (Box::new(std::iter::empty()), [0; 32]),
        };
        Ok(HeadCheck {
            heads: iter,
            next: None,
            public,
            last_size: 0,
            done: false,
        })
    }

    fn problem(report: &mut VerifyReport, why: String) {
        report.bad_heads += 1;
        if report.head_problems.len() < MAX_PROBLEMS {
            report.head_problems.push(why);
        }
    }

    /// The next head, the unreadable and out-of-order ones reported and passed over.
    fn peek(&mut self, report: &mut VerifyReport) -> Option<&heads::SignedHead> {
        while self.next.is_none() {
            let Some(head) = self.heads.next() else {
                self.done = true;
                return None;
            };
            match head {
                Ok(head) if head.size < self.last_size => Self::problem(
                    report,
                    format!(
                        "the head signed at {} ({} entries) follows one of {}: heads only grow",
                        head.time, head.size, self.last_size
                    ),
                ),
                Ok(head) => {
                    self.last_size = head.size;
                    self.next = Some(head);
                }
                Err(why) => Self::problem(report, format!("the heads file: {why}")),
            }
        }
        self.next.as_ref()
    }

    /// Whether a head may be due at `size` (cheap: no head read ahead).
    fn due(&self, size: u64) -> bool {
        !self.done && self.next.as_ref().is_none_or(|h| h.size <= size)
    }

    /// Checks every head of `size` entries against the tree's `root` at that size.
    fn check_at(&mut self, size: u64, root: &domain::merkle::Hash, report: &mut VerifyReport) {
        let public = self.public;
        while let Some(head) = self.peek(report) {
            if head.size > size {
                return;
            }
            let head = head.clone();
            self.next = None;
            report.heads += 1;
            if !head.signed_by(&public) {
                Self::problem(
                    report,
                    format!(
                        "the head signed at {} ({} entries) does not carry the key's signature",
                        head.time, head.size
                    ),
                );
            } else if head.root_hash() != Some(*root) {
                Self::problem(
                    report,
                    format!(
                        "the trail's first {} entries are not those of the head signed at {}: rewritten or reordered",
                        head.size, head.time
                    ),
                );
            }
        }
    }

    /// After the last entry: a head beyond the trail's end means entries were cut.
    fn finish(&mut self, size: u64, report: &mut VerifyReport) {
        while let Some(head) = self.peek(report) {
            let head = head.clone();
            self.next = None;
            report.heads += 1;
            Self::problem(
                report,
                format!(
                    "the head signed at {} covers {} entries but the trail holds {size}: cut",
                    head.time, head.size
                ),
            );
        }
    }
}

/// An entry as the trail holds it: ids decode as they were written (an entry from before a
/// stricter id rule is still read and still verifies).
fn decode_entry(canonical: &[u8]) -> Result<AuditEntry, serde_json::Error> {
    domain::principal::decoding_stored(|| serde_json::from_slice(canonical))
}

fn to_record(seq: u64, bytes: &[u8]) -> Result<AuditRecord, EngineError> {
    let stored = decode_stored(bytes)?;
    let entry = decode_entry(&stored.canonical).map_err(|e| EngineError::Corrupt {
        table: "audit_entry.v1",
        detail: e.to_string(),
    })?;
    Ok(AuditRecord {
        seq,
        hash: stored.hash,
        entry,
    })
}

/// One entry by its number (for the readers tests and tooling use).
#[cfg(any(test, feature = "test-support"))]
fn read_record(
    entries: &impl ReadableTable<u64, &'static [u8]>,
    seq: u64,
) -> Result<Option<AuditRecord>, EngineError> {
    match entries.get(seq)? {
        Some(v) => to_record(seq, v.value()).map(Some),
        None => Ok(None),
    }
}

fn last_record(db: &Database) -> Result<(u64, [u8; 32]), EngineError> {
    let txn = db.begin_read()?;
    let entries = txn.open_table(ENTRIES)?;
    match entries.last()? {
        Some((k, v)) => Ok((k.value(), decode_stored(v.value())?.hash)),
        None => Ok((0, [0; 32])),
    }
}

/// The indexes by subject and by user, in a file of their own, kept by their own thread.
struct TrailIndex {
    db: Database,
    /// One catch-up at a time (the thread's, or a reader's that needs the index current);
    /// holds when the index was last made durable.
    lock: std::sync::Mutex<std::time::Instant>,
    stop: AtomicBool,
    thread: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    /// How far behind a reader may catch the index up ([`READER_CATCH_UP`]; tests lower it).
    reader_limit: AtomicU64,
    /// Every user's alert watch (taken while `lock` is held).
    watches: std::sync::Mutex<alerts::Watches>,
}

impl TrailIndex {
    fn open(db: Database) -> Result<TrailIndex, EngineError> {
        let txn = db.begin_write()?;
        let begun = txn
            .open_table(INDEX_PROGRESS)?
            .get("indexed_through")?
            .is_some();
        if !begun {
            // Whatever an earlier version indexed is indexed again, from the first entry.
            txn.delete_table(INDEX_BY_SUBJECT)?;
            txn.delete_table(INDEX_BY_USER)?;
            txn.delete_table(INDEX_BY_ORG)?;
            txn.delete_table(INDEX_PROGRESS_V2)?;
            txn.delete_table(FEE_UNITS)?;
            txn.delete_table(USAGE_DAYS)?;
            txn.delete_table(USAGE_ALERTS)?;
            txn.delete_table(alerts::ALERTS_RAISED)?;
            txn.delete_table(alerts::ALERTS_BY_ORG)?;
        }
        txn.open_table(INDEX_BY_SUBJECT)?;
        txn.open_table(INDEX_BY_USER)?;
        txn.open_table(INDEX_BY_ORG)?;
        txn.open_table(FEE_UNITS)?;
        txn.open_table(USAGE_DAYS)?;
        txn.open_table(USAGE_ALERTS)?;
        txn.open_table(alerts::ALERTS_RAISED)?;
        txn.open_table(alerts::ALERTS_BY_ORG)?;
        txn.commit()?;
        Ok(TrailIndex {
            db,
            lock: std::sync::Mutex::new(std::time::Instant::now()),
            stop: AtomicBool::new(false),
            thread: std::sync::Mutex::new(None),
            reader_limit: AtomicU64::new(READER_CATCH_UP),
            watches: std::sync::Mutex::new(alerts::Watches::default()),
        })
    }

    /// The thread: catches up a few times a second until stopped or the trail is gone.
    fn run(&self, trail: &std::sync::Weak<Database>) {
        while !self.stop.load(Ordering::SeqCst) {
            let Some(trail) = trail.upgrade() else {
                return;
            };
            if let Err(e) = self.catch_up(&trail) {
                tracing::warn!(error = %e, "the audit trail's index is behind; retrying");
            }
            drop(trail);
            std::thread::park_timeout(std::time::Duration::from_millis(200));
        }
    }

    fn stop(&self) -> Result<(), EngineError> {
        self.stop.store(true, Ordering::SeqCst);
        let handle = self
            .thread
            .lock()
            .map_err(|_| EngineError::Storage("audit indexer handle poisoned".into()))?
            .take();
        if let Some(handle) = handle {
            handle.thread().unpark();
            handle
                .join()
                .map_err(|_| EngineError::Storage("the audit indexer panicked".into()))?;
        }
        Ok(())
    }

    fn indexed_through(&self) -> Result<u64, EngineError> {
        let txn = self.db.begin_read()?;
        Ok(txn
            .open_table(INDEX_PROGRESS)?
            .get("indexed_through")?
            .map_or(0, |v| v.value()))
    }

    /// Indexes the entries appended since the last catch-up, sorted, one commit per batch of
    /// at most `INDEX_BATCH` entries, until current.
    fn catch_up(&self, trail: &Database) -> Result<(), EngineError> {
        let mut last_durable = self
            .lock
            .lock()
            .map_err(|_| EngineError::Storage("audit index lock poisoned".into()))?;
        let mut watches = self
            .watches
            .lock()
            .map_err(|_| EngineError::Storage("audit alert watches poisoned".into()))?;
        let done = self.catch_up_with(trail, &mut last_durable, &mut watches);
        if done.is_err() {
            // The watches may have seen entries whose batch was not written: warmed again
            // from what was.
            *watches = alerts::Watches::default();
        }
        done
    }

    fn catch_up_with(
        &self,
        trail: &Database,
        last_durable: &mut std::time::Instant,
        watches: &mut alerts::Watches,
    ) -> Result<(), EngineError> {
        watches.warm(trail, &self.db, self.indexed_through()?)?;
        loop {
            let from = self.indexed_through()?;
            let mut raised = Vec::new();
            let mut newest = 0;
            let mut subjects = Vec::new();
            let mut users = Vec::new();
            let mut orgs = Vec::new();
            let mut counts = Counts::default();
            let mut through = from;
            {
                let txn = trail.begin_read()?;
                let entries = txn.open_table(ENTRIES)?;
                let batch = entries.range(from.saturating_add(1)..)?.take(INDEX_BATCH);
                for item in batch {
                    let (seq, bytes) = item?;
                    let record = to_record(seq.value(), bytes.value())?;
                    through = record.seq;
                    subjects.extend(
                        record
                            .entry
                            .event
                            .subjects()
                            .iter()
                            .map(|s| (s.audit_key(), record.seq)),
                    );
                    counts.add(&record.entry);
                    watches.observe(&self.db, &counts.days, &record, &mut raised)?;
                    newest = record.entry.at.0;
                    if domain::trail::classify(&record.entry.event).is_some() {
                        orgs.push((record.entry.actor.organisation.clone(), record.seq));
                    }
                    users.push((record.entry.actor.user, record.seq));
                }
            }
            if through == from {
                return Ok(());
            }
            // Sorted keys touch each page of the index once per batch.
            subjects.sort_unstable();
            subjects.dedup();
            users.sort_unstable();
            orgs.sort_unstable();
            let mut txn = self.db.begin_write()?;
            // Mostly in memory: fsyncs of the index competed with the trail's for the disk.
            let durable = last_durable.elapsed() >= INDEX_DURABLE_EVERY;
            if !durable {
                txn.set_durability(redb::Durability::None)
                    .map_err(|e| EngineError::Storage(format!("audit index: {e}")))?;
            }
            {
                let mut by_subject = txn.open_table(INDEX_BY_SUBJECT)?;
                for (key, seq) in &subjects {
                    by_subject.insert((key.as_str(), *seq), ())?;
                }
                let mut by_user = txn.open_table(INDEX_BY_USER)?;
                for (user, seq) in &users {
                    by_user.insert((user.as_str(), *seq), ())?;
                }
                let mut by_org = txn.open_table(INDEX_BY_ORG)?;
                for (org, seq) in &orgs {
                    by_org.insert((org.as_str(), *seq), ())?;
                }
                counts.write(&txn)?;
                alerts::write(&txn, &raised)?;
                txn.open_table(INDEX_PROGRESS)?
                    .insert("indexed_through", through)?;
            }
            txn.commit()?;
            watches.prune(newest);
            if durable {
                *last_durable = std::time::Instant::now();
            }
        }
    }

    /// The entries indexed under `key` in `table`, oldest first (as far as indexed).
    #[cfg(any(test, feature = "test-support"))]
    fn seqs(
        &self,
        table: TableDefinition<(&str, u64), ()>,
        key: &str,
    ) -> Result<Vec<u64>, EngineError> {
        let txn = self.db.begin_read()?;
        let index = txn.open_table(table)?;
        let mut out = Vec::new();
        for item in index.range((key, 0u64)..=(key, u64::MAX))? {
            out.push(item?.0.value().1);
        }
        Ok(out)
    }
}

/// One batch's additions to the counters, summed before they are written (sorted keys: each
/// page of a counter table is touched once per batch).
#[derive(Default)]
struct Counts {
    fees: std::collections::BTreeMap<(String, String, String), (u64, String)>,
    days: std::collections::BTreeMap<(String, String, i64, u8), domain::usage::Tally>,
    alerts: Vec<(String, String, i64, u8)>,
}

impl Counts {
    fn add(&mut self, entry: &AuditEntry) {
        let (org, user) = (&entry.actor.organisation, &entry.actor.user);
        let units = entry.event.units();
        if units > 0 {
            let month = domain::fees::Month::of(entry.at.date_in_finland()).to_string();
            let slot = self
                .fees
                .entry((org.clone(), month, user.clone()))
                .or_insert_with(|| (0, String::new()));
            slot.0 += u64::from(units);
            slot.1.clone_from(&entry.actor.name);
        }
        match domain::usage::counted(entry) {
            Some(domain::usage::Counted::Day {
                day,
                purpose,
                tally,
            }) => self
                .days
                .entry((
                    org.clone(),
                    user.clone(),
                    day.days_since_epoch(),
                    purpose_code(purpose),
                ))
                .or_default()
                .add(tally),
            Some(domain::usage::Counted::Alert(alert)) => {
                let code = ALERTS.iter().position(|k| *k == alert.kind).unwrap_or(0);
                self.alerts.push((
                    org.clone(),
                    user.clone(),
                    alert.at.0,
                    u8::try_from(code).unwrap_or(0),
                ));
            }
            None => {}
        }
    }

    fn write(&self, txn: &redb::WriteTransaction) -> Result<(), EngineError> {
        let mut fees = txn.open_table(FEE_UNITS)?;
        for ((org, month, user), (units, name)) in &self.fees {
            let key = (org.as_str(), month.as_str(), user.as_str());
            let before = fees.get(key)?.map_or(0, |v| v.value().0);
            fees.insert(key, (before + units, name.as_str()))?;
        }
        let mut days = txn.open_table(USAGE_DAYS)?;
        for ((org, user, day, purpose), t) in &self.days {
            let key = (org.as_str(), user.as_str(), *day, *purpose);
            let (q, n, o, r) = days.get(key)?.map_or((0, 0, 0, 0), |v| v.value());
            days.insert(
                key,
                (
                    q + t.queries,
                    n + t.not_found,
                    o + t.off_hours,
                    r + t.refused,
                ),
            )?;
        }
        let mut alerts = txn.open_table(USAGE_ALERTS)?;
        for (org, user, at, kind) in &self.alerts {
            alerts.insert((org.as_str(), user.as_str(), *at, *kind), ())?;
        }
        Ok(())
    }
}

/// Lowers the calling thread to the lowest CPU priority (nice 19, Linux), so that the index
/// is built in the moments requests leave free instead of lengthening their answers (on two
/// cores an indexer at normal priority added about 2 ms to the 99th percentile). Readers that
/// need the index current catch it up at their own priority.
fn yield_to_requests() {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19) {
        tracing::warn!(error = %e, "could not lower the audit indexer's priority");
    }
}

/// The calling thread's id as the OS knows it (`/proc/self/task/<id>`); 0 where unknown.
fn os_thread_id() -> i32 {
    #[cfg(target_os = "linux")]
    {
        rustix::thread::gettid().as_raw_nonzero().get()
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

/// Sets the failed latch when the writer thread ends, by returning or by unwinding.
struct FailedOnExit(Arc<AtomicBool>);

impl Drop for FailedOnExit {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Waits for the next queued entry and takes what else is queued with it, up to a batch;
/// `false` once the queue is closed and empty.
fn next_batch(jobs: &mut mpsc::Receiver<Job>, batch: &mut Vec<Job>) -> bool {
    let Some(first) = jobs.blocking_recv() else {
        return false;
    };
    batch.push(first);
    while batch.len() < MAX_BATCH {
        match jobs.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    true
}

/// A batch's entries as they are chained: each one's time and canonical JSON.
fn canonical_batch(batch: &[Job]) -> Result<JournalBatch, EngineError> {
    batch
        .iter()
        .map(|job| Ok((job.entry.at.0, canonical(&job.entry)?)))
        .collect()
}

fn run_writer(
    db: &Database,
    mut jobs: mpsc::Receiver<Job>,
    mut head: Head,
    failed: &AtomicBool,
    commits: &AtomicU64,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while next_batch(&mut jobs, &mut batch) {
        let written =
            canonical_batch(&batch).and_then(|entries| write_entries(db, entries, &head, None));
        match written {
            Ok(new_head) => {
                commits.fetch_add(1, Ordering::SeqCst);
                let first_seq = head.seq + 1;
                head = new_head;
                for (i, job) in batch.drain(..).enumerate() {
                    let _ = job.ack.send(Ok(first_seq + i as u64));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "audit commit failed; the audit writer stops and requests fail closed");
                failed.store(true, Ordering::SeqCst);
                for job in batch.drain(..) {
                    let _ = job.ack.send(Err(e.to_string()));
                }
                jobs.close();
                while let Ok(job) = jobs.try_recv() {
                    let _ = job.ack.send(Err("audit writer has stopped".into()));
                }
                return;
            }
        }
    }
}

/// Appends `entries` (time, canonical JSON) after `head`, chained and added to the tree, in
/// one commit; in the cluster mode with the journal position they bring the copy to, made
/// durable as `durable`.
fn write_entries(
    db: &Database,
    entries: Vec<(i64, Vec<u8>)>,
    head: &Head,
    through: Option<(u64, bool)>,
) -> Result<Head, EngineError> {
    let (mut seq, mut prev) = (head.seq, head.hash);
    let mut frontier = head.frontier.clone();
    let mut completed = Vec::new();
    let mut txn = db.begin_write()?;
    // Entries carry user-supplied text: two-phase commit does not rely on the non-cryptographic
    // page checksum to detect a torn commit.
    txn.set_two_phase_commit(true);
    if let Some((_, false)) = through {
        txn.set_durability(redb::Durability::None)
            .map_err(|e| EngineError::Storage(format!("audit copy: {e}")))?;
    }
    {
        let mut table = txn.open_table(ENTRIES)?;
        let mut by_time = txn.open_table(BY_TIME)?;
        let mut nodes = txn.open_table(tree::TREE)?;
        for (at, canonical) in entries {
            seq += 1;
            let hash = chain(&prev, &canonical);
            completed.clear();
            frontier.push(domain::merkle::leaf_hash(&canonical), |c| {
                completed.push(c);
            });
            tree::keep(&mut nodes, &completed)?;
            let stored = postcard::to_allocvec(&Stored { hash, canonical })
                .map_err(|e| EngineError::Storage(format!("audit encoding: {e}")))?;
            table.insert(seq, stored.as_slice())?;
            by_time.insert((at, seq), ())?;
            prev = hash;
        }
        txn.open_table(tree::TREE_LEAVES)?
            .insert("leaves", frontier.size())?;
        if let Some((position, _)) = through {
            txn.open_table(JOURNAL_THROUGH)?
                .insert("through", position)?;
        }
    }
    txn.commit()?;
    Ok(Head {
        seq,
        hash: prev,
        frontier,
    })
}

fn journal_through(db: &Database) -> Result<u64, EngineError> {
    let txn = db.begin_read()?;
    let table = txn.open_table(JOURNAL_THROUGH)?;
    Ok(table.get("through")?.map_or(0, |v| v.value()))
}

/// Creates the trail's tables where they are missing.
fn create_tables(db: &Database) -> Result<(), EngineError> {
    let txn = db.begin_write()?;
    txn.open_table(ENTRIES)?;
    txn.open_table(BY_TIME)?;
    txn.open_table(JOURNAL_THROUGH)?;
    txn.open_table(tree::TREE)?;
    txn.open_table(tree::TREE_LEAVES)?;
    txn.commit()?;
    Ok(())
}

/// A batch of entries as the journal carries it: (time, canonical JSON) each.
type JournalBatch = Vec<(i64, Vec<u8>)>;

/// Where this node's copy of the journal's audit stream stands beside what the journal has
/// acknowledged to this node's writers: a read of the trail waits for the copy to hold every
/// entry this node has had acknowledged (read your own entries); an append does not (the
/// journal's quorum makes it durable).
#[derive(Default)]
struct Copy {
    state: std::sync::Mutex<CopyState>,
    moved: std::sync::Condvar,
}

#[derive(Default)]
struct CopyState {
    /// The journal position the copy holds.
    through: u64,
    /// The highest journal position acknowledged to this node's writers.
    acked: u64,
    /// Why the copy stopped, once it has.
    failed: Option<String>,
}

impl Copy {
    fn state(&self) -> std::sync::MutexGuard<'_, CopyState> {
        // A panic elsewhere while holding the lock leaves the state usable: recover it.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The journal took the appends of position `at`: they are acknowledged now.
    fn settle_at(&self, at: u64, acks: Vec<oneshot::Sender<Result<u64, String>>>) {
        {
            let mut state = self.state();
            state.acked = state.acked.max(at);
        }
        for ack in acks {
            let _ = ack.send(Ok(at));
        }
    }

    /// The copy now holds everything through `through`.
    fn advance(&self, through: u64) {
        let mut state = self.state();
        state.through = state.through.max(through);
        drop(state);
        self.moved.notify_all();
    }

    /// The copy stopped: reads waiting for it are told.
    fn fail(&self, why: &str) {
        self.state().failed = Some(why.to_string());
        self.moved.notify_all();
    }

    /// Waits (at most [`REPLICATED_WAIT`]) until the copy holds every entry acknowledged to
    /// this node so far.
    fn caught_up(&self) -> Result<(), EngineError> {
        let state = self.state();
        let target = state.acked;
        let (state, _) = self
            .moved
            .wait_timeout_while(state, REPLICATED_WAIT, |s| {
                s.through < target && s.failed.is_none()
            })
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(why) = &state.failed {
            return Err(EngineError::Unavailable(format!(
                "this node's copy of the audit trail stopped: {why}"
            )));
        }
        if state.through < target {
            return Err(EngineError::Unavailable(
                "this node's copy of the audit trail is behind the journal".into(),
            ));
        }
        Ok(())
    }
}

/// The cluster mode's writer: takes queued entries in groups, as the embedded writer does, and
/// appends each group to the journal; an entry is acknowledged once the journal holds it (this
/// node's copy follows; reads here wait for it). A refused append refuses its entries (fail closed) and the writer
/// goes on: the journal may be back for the next.
fn run_publisher(
    mut jobs: mpsc::Receiver<Job>,
    journal: &dyn crate::journal::Journal,
    copy: &Copy,
) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().build() else {
        tracing::error!("the audit writer could not start its runtime");
        return;
    };
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while next_batch(&mut jobs, &mut batch) {
        if batch.len() < LINGER_BELOW {
            // A small group: wait a moment for more, so that the journal (every message
            // copied to a quorum and delivered to every node) carries fewer, larger ones.
            std::thread::sleep(LINGER);
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        let payload = canonical_batch(&batch).and_then(|entries| {
            postcard::to_allocvec(&entries)
                .map_err(|e| EngineError::Storage(format!("audit encoding: {e}")))
        });
        let appended = payload.map_err(|e| e.to_string()).and_then(|payload| {
            runtime
                .block_on(journal.append(crate::journal::Stream::Audit, payload, None))
                .map_err(|e| e.to_string())
        });
        let acks = batch.drain(..).map(|job| job.ack);
        match appended {
            Ok(at) => copy.settle_at(at, acks.collect()),
            Err(e) => {
                tracing::error!(error = %e, "the journal did not take audit entries; their requests are refused");
                for ack in acks {
                    let _ = ack.send(Err(e.clone()));
                }
            }
        }
    }
}

/// Materialises the journal's audit stream into the node's file, in the journal's order.
struct Materialiser {
    db: std::sync::Weak<Database>,
    journal: Arc<dyn crate::journal::Journal>,
    copy: Arc<Copy>,
    failed: Arc<AtomicBool>,
    commits: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Materialiser {
    fn run(&self, mut head: Head) {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
        else {
            tracing::error!("the audit follower could not start its runtime");
            return;
        };
        let Some(db) = self.db.upgrade() else { return };
        let through = match journal_through(&db) {
            Ok(through) => through,
            Err(e) => {
                tracing::error!(error = %e, "the audit copy cannot be read; the trail stops");
                return;
            }
        };
        drop(db);
        self.copy.advance(through);
        let mut last_durable = std::time::Instant::now();
        // How far the journal was when this node started: reaching it is catching up (the
        // log says how long it took; the fault test reads it).
        let started = std::time::Instant::now();
        let target = runtime
            .block_on(self.journal.last(crate::journal::Stream::Audit))
            .ok()
            .flatten()
            .map_or(0, |(at, _)| at);
        let mut caught_up = target <= through;
        let mut follow = None;
        while !self.stop.load(Ordering::SeqCst) {
            let stream = match follow.as_mut() {
                Some(stream) => stream,
                None => {
                    let after = self.copy.state().through;
                    match runtime
                        .block_on(self.journal.follow(crate::journal::Stream::Audit, after))
                    {
                        Ok(stream) => follow.insert(stream),
                        Err(e) => {
                            tracing::warn!(error = %e, "cannot follow the journal's audit stream; trying again");
                            std::thread::sleep(std::time::Duration::from_millis(500));
                            continue;
                        }
                    }
                }
            };
            // Everything that has arrived, up to a batch's worth of entries, in one commit.
            let mut entries: JournalBatch = Vec::new();
            let mut last = None;
            let mut wait = std::time::Duration::from_millis(200);
            while entries.len() < MAX_BATCH {
                match stream.next_blocking(&runtime, wait) {
                    Ok(Some((at, payload))) => {
                        match postcard::from_bytes::<JournalBatch>(&payload) {
                            Ok(batch) => entries.extend(batch),
                            Err(e) => {
                                // Not ours or damaged: it cannot be chained, and skipping it
                                // would make this copy differ from the others'.
                                self.give_up(&format!(
                                    "the journal's audit message {at} does not decode: {e}"
                                ));
                                return;
                            }
                        }
                        last = Some(at);
                        wait = std::time::Duration::ZERO;
                    }
                    Ok(None) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "the journal's audit stream broke off; following again");
                        follow = None;
                        break;
                    }
                }
            }
            let Some(at) = last else { continue };
            let Some(db) = self.db.upgrade() else { return };
            let durable = last_durable.elapsed() >= COPY_DURABLE_EVERY;
            match write_entries(&db, entries, &head, Some((at, durable))) {
                Ok(new_head) => {
                    head = new_head;
                    if durable {
                        last_durable = std::time::Instant::now();
                    }
                    self.commits.fetch_add(1, Ordering::SeqCst);
                    self.copy.advance(at);
                    if !caught_up && at >= target {
                        caught_up = true;
                        tracing::info!(
                            messages = target - through,
                            entries = head.seq,
                            ms = started.elapsed().as_millis(),
                            "the audit trail caught up with the journal"
                        );
                    }
                }
                Err(e) => {
                    self.give_up(&e.to_string());
                    return;
                }
            }
        }
    }

    fn give_up(&self, why: &str) {
        tracing::error!(error = %why, "the audit copy failed; the trail stops and requests fail closed");
        self.failed.store(true, Ordering::SeqCst);
        self.copy.fail(why);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Timestamp;
    use domain::audit::{AuditActor, AuditEvent};

    use crate::testing::audit_entry as entry;

    /// The chain by its definition, computed here independently of the writer.
    fn expected_chain(records: &[AuditRecord]) -> Vec<[u8; 32]> {
        let mut prev = [0u8; 32];
        records
            .iter()
            .map(|r| {
                let mut h = Sha256::new();
                h.update(prev);
                h.update(serde_json::to_vec(&r.entry).unwrap_or_default());
                prev = h.finalize().into();
                prev
            })
            .collect()
    }

    /// A read of the trail in the cluster mode waits until the node's copy holds what this
    /// node had acknowledged, and is told at once, not after the wait, when the copy stops.
    #[test]
    fn a_read_waits_for_the_copy_and_is_told_when_it_stops() -> Result<(), EngineError> {
        let copy = Arc::new(Copy::default());
        copy.caught_up()?;
        copy.settle_at(3, Vec::new());
        // The follower moves on from another thread, before or while the read waits: either
        // way the read answers once the copy holds position 3, and not before.
        let later = copy.clone();
        let follower = std::thread::spawn(move || later.advance(3));
        copy.caught_up()?;
        assert_eq!(
            copy.state().through,
            3,
            "the read answered once the copy held 3"
        );
        let _ = follower.join();
        copy.settle_at(5, Vec::new());
        let later = copy.clone();
        let follower = std::thread::spawn(move || later.fail("the disk is full"));
        let told = copy.caught_up();
        assert!(
            matches!(&told, Err(EngineError::Unavailable(why))
                if why.contains("stopped") && why.contains("the disk is full")),
            "{told:?}"
        );
        let _ = follower.join();
        Ok(())
    }

    #[tokio::test]
    async fn entries_get_consecutive_numbers_and_a_real_hash_chain() -> Result<(), EngineError> {
        let log = AuditLog::open_with_backend(redb::backends::InMemoryBackend::new())?;
        let mut seqs = Vec::new();
        for n in 0..5 {
            seqs.push(log.durable(entry(n)).await?);
        }
        assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
        assert_eq!(log.commits(), 5, "one at a time, one commit each");
        let records = log.entries_after(0, 10)?;
        assert_eq!(records.iter().map(|r| r.seq).collect::<Vec<_>>(), seqs);
        let hashes: Vec<[u8; 32]> = records.iter().map(|r| r.hash).collect();
        assert_eq!(hashes, expected_chain(&records));
        assert_ne!(hashes[0], hashes[1]);
        let report = log.verify()?;
        assert_eq!(report.entries, 5);
        assert_eq!(report.head, hashes[4]);
        assert_eq!(report.first_bad, None);
        Ok(())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn entries_arriving_together_share_commits_and_get_distinct_numbers()
    -> Result<(), EngineError> {
        let dir = tempfile::tempdir()?;
        let log = AuditLog::open(&dir.path().join("audit.redb"))?;
        assert!(log.is_empty()?);
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..200 {
            let log = log.clone();
            tasks.spawn(async move { log.durable(entry(n)).await });
        }
        let mut seqs = Vec::new();
        while let Some(done) = tasks.join_next().await {
            seqs.push(done.map_err(EngineError::from)??);
        }
        seqs.sort_unstable();
        assert_eq!(
            seqs,
            (1..=200).collect::<Vec<u64>>(),
            "every entry its own number"
        );
        assert!(!log.is_empty()?);
        assert!(
            log.commits() < 100,
            "{} commits for 200 entries sent together",
            log.commits()
        );
        assert_eq!(log.verify()?.first_bad, None);
        Ok(())
    }

    #[tokio::test]
    async fn a_reopened_trail_continues_the_chain_where_it_ended() -> Result<(), EngineError> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("audit.redb");
        let log = AuditLog::open(&path)?;
        for n in 0..3 {
            log.durable(entry(n)).await?;
        }
        log.close()?;
        let log = AuditLog::open(&path)?;
        assert_eq!(log.durable(entry(3)).await?, 4, "numbering continues");
        let records = log.entries_after(0, 10)?;
        assert_eq!(records.len(), 4);
        assert_eq!(
            records.iter().map(|r| r.hash).collect::<Vec<_>>(),
            expected_chain(&records)
        );
        log.close()?;
        let report = verify_file(&path, None)?;
        assert_eq!((report.entries, report.first_bad), (4, None));
        Ok(())
    }

    #[tokio::test]
    async fn verify_finds_an_edited_entry_and_a_gap() -> Result<(), EngineError> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("audit.redb");
        let log = AuditLog::open(&path)?;
        for n in 0..4 {
            log.durable(entry(n)).await?;
        }
        log.close()?;
        // Rewrite entry 2's content, keeping its stored hash: the chain no longer matches.
        {
            let db = Database::open(&path)?;
            let txn = db.begin_write()?;
            {
                let mut t = txn.open_table(ENTRIES)?;
                let bytes = t.get(2)?.map(|v| v.value().to_vec()).unwrap_or_default();
                let mut stored = decode_stored(&bytes)?;
                stored.canonical = serde_json::to_vec(&entry(99))
                    .map_err(|e| EngineError::Storage(e.to_string()))?;
                let bytes = postcard::to_allocvec(&stored)
                    .map_err(|e| EngineError::Storage(e.to_string()))?;
                t.insert(2, bytes.as_slice())?;
            }
            txn.commit()?;
        }
        assert_eq!(verify_file(&path, None)?.first_bad, Some(2));
        // Elsewhere: remove entry 3 of 4. Entry 4 then follows entry 2, and its hash does not
        // chain from it, nor does its number.
        let gap = dir.path().join("gap.redb");
        let log = AuditLog::open(&gap)?;
        for n in 0..4 {
            log.durable(entry(n)).await?;
        }
        log.close()?;
        {
            let db = Database::open(&gap)?;
            let txn = db.begin_write()?;
            txn.open_table(ENTRIES)?.remove(3)?;
            txn.commit()?;
        }
        let report = verify_file(&gap, None)?;
        assert_eq!((report.entries, report.first_bad), (3, Some(4)));
        Ok(())
    }

    /// An entry an earlier version wrote, naming an organisation and a user the id rule of
    /// today refuses (a usage report asked for by a typed name; an identity provider's
    /// subject with a space), chained as that version chained it: the trail still verifies,
    /// and the entry is read, indexed for its user and shown as written.
    #[tokio::test]
    async fn an_entry_written_before_the_id_rule_still_verifies_and_reads()
    -> Result<(), EngineError> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("audit.redb");
        let log = AuditLog::open(&path)?;
        log.durable(entry(0)).await?;
        log.close()?;
        // Written as that version wrote them: today's types with stand-in ids, the ids then
        // replaced in the text.
        let written = |user: &str, event: AuditEvent| -> Result<Vec<u8>, EngineError> {
            let mut e = entry(1);
            e.actor.user = user.to_owned();
            e.event = event;
            let text = String::from_utf8(canonical(&e)?).unwrap_or_default();
            Ok(text
                .replace("org-then", "Espoon kaupunki")
                .replace("user-then", "Bob Backman")
                .into_bytes())
        };
        let org = domain::principal::OrgId::from_static("org-then");
        let old = written(
            "user-then",
            AuditEvent::RecordChanged {
                change: domain::registry::Change::Right {
                    organisation: org.clone(),
                    user: domain::principal::UserId::from_static("user-then"),
                    action: domain::registry::RightAction::Approve,
                },
                from: None,
                to: domain::registry::RecordState::Right(domain::access::RightState::Active),
                reason: None,
            },
        )?;
        let usage = written("u-bob", AuditEvent::UsageViewed { organisation: org })?;
        {
            let db = Database::open(&path)?;
            let (_, mut prev) = last_record(&db)?;
            let txn = db.begin_write()?;
            {
                let mut t = txn.open_table(ENTRIES)?;
                for (seq, canonical) in [(2u64, old), (3, usage)] {
                    let hash = chain(&prev, &canonical);
                    let bytes = postcard::to_allocvec(&Stored { hash, canonical })
                        .map_err(|e| EngineError::Storage(e.to_string()))?;
                    t.insert(seq, bytes.as_slice())?;
                    prev = hash;
                }
            }
            txn.commit()?;
        }
        assert_eq!(verify_file(&path, None)?.first_bad, None);
        let log = AuditLog::open(&path)?;
        let records = log.entries_after(1, 10)?;
        assert_eq!(records.len(), 2, "{records:?}");
        let read = match &records[0].entry.event {
            AuditEvent::RecordChanged {
                change:
                    domain::registry::Change::Right {
                        organisation, user, ..
                    },
                ..
            } => Some((organisation.to_string(), user.to_string())),
            _ => None,
        };
        assert_eq!(
            read,
            Some(("Espoon kaupunki".to_owned(), "Bob Backman".to_owned())),
            "{:?}",
            records[0].entry.event
        );
        assert!(matches!(
            &records[1].entry.event,
            AuditEvent::UsageViewed { organisation } if organisation.as_str() == "Espoon kaupunki"
        ));
        assert_eq!(log.for_user("Bob Backman")?.len(), 1);
        assert_eq!(
            log.durable(entry(4)).await?,
            4,
            "the chain goes on after them"
        );
        log.close()?;
        assert_eq!(verify_file(&path, None)?.first_bad, None);
        Ok(())
    }

    /// The invoice basis and the usage statistics are sums kept as entries are indexed: they
    /// equal a count of the entries themselves (made here by hand, not by the code under
    /// test), per organisation, month, user, day and purpose, and are rebuilt with the index.
    #[tokio::test]
    async fn the_counters_are_the_entries_summed_and_rebuild_with_the_index()
    -> Result<(), EngineError> {
        use domain::fees::Month;
        use domain::{PersonId, Purpose, ScreenId, SubjectRef};
        let day = |d: u8, hour: i64| {
            domain::Date::new(2026, 11, d).map(|date| {
                domain::Timestamp(date.days_since_epoch() * 86_400_000 + hour * 3_600_000)
            })
        };
        let at = |d, h| day(d, h).map_err(|e| EngineError::Invalid(e.to_string()));
        let screen = |user: &str, org: &str, t: domain::Timestamp, purpose| AuditEntry {
            at: t,
            actor: AuditActor {
                user: user.into(),
                name: format!("Name of {user}"),
                organisation: org.into(),
                request_id: "r".into(),
                source: "127.0.0.1".into(),
            },
            purpose,
            case_ref: None,
            event: AuditEvent::ScreenViewed {
                screen: ScreenId::PersonBasic,
                subject: SubjectRef::Person(PersonId(1)),
                shown: Vec::new(),
                withheld: false,
                protected: false,
            },
        };
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("audit.redb");
        let log = AuditLog::open(&path)?;
        let work = Some(Purpose::MunicipalTasks);
        // u-1 of espoo: three screens on the 2nd (one at 22.00 Finnish time, off hours), one
        // on the 30th; u-1 of vantaa (the same person elsewhere): one; u-2: one in December.
        for (user, org, t, purpose) in [
            ("u-1", "espoo", at(2, 8)?, work),
            ("u-1", "espoo", at(2, 9)?, work),
            ("u-1", "espoo", at(2, 20)?, None),
            ("u-1", "espoo", at(30, 8)?, work),
            ("u-1", "vantaa", at(2, 8)?, work),
            ("u-2", "espoo", at(30, 23)?, work),
        ] {
            log.durable(screen(user, org, t, purpose)).await?;
        }
        log.durable(entry(1)).await?;
        let november = Month {
            year: 2026,
            month: 11,
        };
        let december = Month {
            year: 2026,
            month: 12,
        };
        let check = |log: &AuditLog| -> Result<(), EngineError> {
            assert_eq!(
                log.fee_units("espoo", november)?,
                vec![("Name of u-1".to_owned(), 4)]
            );
            // 23.00 UTC on the 30th is 1.00 on 1 December in Finland.
            assert_eq!(
                log.fee_units("espoo", december)?,
                vec![("Name of u-2".to_owned(), 1)]
            );
            assert_eq!(
                log.fee_units("vantaa", november)?,
                vec![("Name of u-1".to_owned(), 1)]
            );
            let since =
                domain::Date::new(2026, 11, 1).map_err(|e| EngineError::Invalid(e.to_string()))?;
            let u1 = log.usage_of("espoo", "u-1", "Frank", since)?;
            assert_eq!((u1.queries, u1.off_hours, u1.not_found), (4, 1, 0));
            assert_eq!(
                u1.days
                    .iter()
                    .map(|d| (d.day.day(), d.purpose, d.queries))
                    .collect::<Vec<_>>(),
                vec![(2, None, 1), (2, work, 2), (30, work, 1)]
            );
            let later =
                domain::Date::new(2026, 11, 30).map_err(|e| EngineError::Invalid(e.to_string()))?;
            assert_eq!(log.usage_of("espoo", "u-1", "Frank", later)?.queries, 1);
            assert_eq!(log.usage_of("vantaa", "u-1", "Frank", since)?.queries, 1);
            // Entries that disclose nothing billable make no invoice line.
            let of_entry = Month::of(entry(1).at.date_in_finland());
            assert_eq!(log.fee_units("org", of_entry)?, Vec::new());
            Ok(())
        };
        check(&log)?;
        // A second batch on the same keys adds to what is counted: another screen, a subject
        // that was not there, a refusal and two alerts of the abuse limits.
        let on_day_2 = |hour, event| AuditEntry {
            event,
            ..screen("u-1", "espoo", at(2, hour).unwrap_or(Timestamp(0)), work)
        };
        let person = SubjectRef::Person(PersonId(1));
        for (hour, event) in [
            (
                10,
                AuditEvent::ScreenViewed {
                    screen: ScreenId::PersonBasic,
                    subject: person,
                    shown: Vec::new(),
                    withheld: false,
                    protected: false,
                },
            ),
            (
                10,
                AuditEvent::ScreenNotFound {
                    screen: ScreenId::PersonBasic,
                    subject: Some(person),
                },
            ),
            (
                10,
                AuditEvent::AccessDenied {
                    request: domain::Request::Screen {
                        screen: ScreenId::PersonBasic,
                        subject: Some(person),
                        reveal: false,
                    },
                    reason: domain::Denied::NoRight,
                    criteria: None,
                },
            ),
            (
                11,
                AuditEvent::QueriesThrottled {
                    scope: domain::audit::ThrottleScope::User,
                },
            ),
            (
                12,
                AuditEvent::SweepSuspected {
                    level: domain::audit::SweepLevel::Slowed,
                    searches: 20,
                    not_found: 12,
                    same_birth_date: 3,
                },
            ),
        ] {
            log.durable(on_day_2(hour, event)).await?;
        }
        let check = |log: &AuditLog| -> Result<(), EngineError> {
            assert_eq!(
                log.fee_units("espoo", november)?,
                vec![("Name of u-1".to_owned(), 5)]
            );
            let since =
                domain::Date::new(2026, 11, 1).map_err(|e| EngineError::Invalid(e.to_string()))?;
            let u1 = log.usage_of("espoo", "u-1", "Frank", since)?;
            assert_eq!((u1.user.as_str(), u1.name.as_str()), ("u-1", "Frank"));
            assert_eq!(
                (u1.queries, u1.off_hours, u1.not_found, u1.refused),
                (6, 1, 1, 1)
            );
            assert_eq!(
                u1.days
                    .iter()
                    .map(|d| (d.day.day(), d.purpose, d.queries))
                    .collect::<Vec<_>>(),
                vec![(2, None, 1), (2, work, 4), (30, work, 1)]
            );
            assert_eq!(
                u1.alerts.iter().map(|a| a.kind).collect::<Vec<_>>(),
                vec![
                    domain::usage::AlertKind::Throttled,
                    domain::usage::AlertKind::SweepSlowed
                ]
            );
            Ok(())
        };
        check(&log)?;
        // The trail and its index are the service's user's only (point 11 of the review).
        for file in [path.clone(), path.with_extension("index.redb")] {
            assert_eq!(crate::private::too_open(&file)?, None, "{}", file.display());
        }
        log.close()?;
        std::fs::remove_file(path.with_extension("index.redb"))?;
        let log = AuditLog::open(&path)?;
        check(&log)?;
        log.close()?;
        Ok(())
    }

    #[tokio::test]
    async fn entries_are_found_by_every_subject_shown_and_by_user_and_the_index_rebuilds()
    -> Result<(), EngineError> {
        use domain::audit::SearchResult;
        use domain::{PersonId, ScreenId, Search, SubjectRef};
        let person = |n| SubjectRef::Person(PersonId(n));
        let viewed = AuditEntry {
            event: AuditEvent::ScreenViewed {
                screen: ScreenId::BuildingResidents,
                subject: person(1),
                shown: vec![person(2), person(3)],
                withheld: false,
                protected: false,
            },
            ..entry(1)
        };
        let hetu = "131052-308T"
            .parse()
            .map_err(|e| EngineError::Invalid(format!("{e}")))?;
        let listed = AuditEntry {
            event: AuditEvent::SearchRun {
                criteria: Search::Hetu(hetu),
                result: SearchResult::Several(vec![person(3), person(4)]),
            },
            ..entry(2)
        };
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("audit.redb");
        let log = AuditLog::open(&path)?;
        log.durable(viewed).await?;
        log.durable(listed).await?;
        log.durable(entry(1)).await?;
        let seqs = |log: &AuditLog, n: u64| -> Result<Vec<u64>, EngineError> {
            Ok(log
                .for_subject(&person(n).audit_key())?
                .iter()
                .map(|r| r.seq)
                .collect())
        };
        assert_eq!(seqs(&log, 1)?, vec![1], "asked for");
        assert_eq!(seqs(&log, 2)?, vec![1], "shown");
        assert_eq!(seqs(&log, 3)?, vec![1, 2], "shown and listed");
        assert_eq!(seqs(&log, 4)?, vec![2]);
        assert_eq!(seqs(&log, 5)?, Vec::<u64>::new());
        let of_user = |user| -> Result<Vec<u64>, EngineError> {
            Ok(log.for_user(user)?.iter().map(|r| r.seq).collect())
        };
        assert_eq!(of_user("u-1")?, vec![1, 3]);
        assert_eq!(of_user("u-2")?, vec![2]);
        log.close()?;
        // Closing made the index's in-memory commits durable (redb does on close).
        let progress = Database::open(path.with_extension("index.redb"))?
            .begin_read()?
            .open_table(INDEX_PROGRESS)?
            .get("indexed_through")?
            .map(|v| v.value());
        assert_eq!(progress, Some(3));
        // The index is derived: without its file, it is rebuilt from the trail.
        std::fs::remove_file(path.with_extension("index.redb"))?;
        let log = AuditLog::open(&path)?;
        assert_eq!(seqs(&log, 3)?, vec![1, 2]);
        log.close()?;
        Ok(())
    }

    #[test]
    #[allow(clippy::panic)] // the panic stands in for a bug in the writer
    fn a_writer_that_ends_for_any_reason_latches_failed() {
        let failed = Arc::new(AtomicBool::new(false));
        let thread_failed = failed.clone();
        // A writer thread that panics: its latch still falls.
        let ended = std::thread::spawn(move || {
            let _latch = FailedOnExit(thread_failed);
            std::panic::panic_any("writer bug");
        })
        .join();
        assert!(ended.is_err());
        assert!(failed.load(Ordering::SeqCst));
    }

    /// An in-memory backend that counts its fsyncs.
    #[derive(Debug)]
    struct CountingBackend {
        inner: redb::backends::InMemoryBackend,
        syncs: Arc<AtomicU64>,
    }

    impl StorageBackend for CountingBackend {
        fn len(&self) -> Result<u64, std::io::Error> {
            self.inner.len()
        }
        fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), std::io::Error> {
            self.inner.read(offset, out)
        }
        fn set_len(&self, len: u64) -> Result<(), std::io::Error> {
            self.inner.set_len(len)
        }
        fn sync_data(&self) -> Result<(), std::io::Error> {
            self.syncs.fetch_add(1, Ordering::SeqCst);
            self.inner.sync_data()
        }
        fn write(&self, offset: u64, data: &[u8]) -> Result<(), std::io::Error> {
            self.inner.write(offset, data)
        }
    }

    #[tokio::test]
    async fn the_index_commits_in_memory_until_its_durable_point_or_close()
    -> Result<(), EngineError> {
        let syncs = Arc::new(AtomicU64::new(0));
        let index = CountingBackend {
            inner: redb::backends::InMemoryBackend::new(),
            syncs: syncs.clone(),
        };
        let log = AuditLog::open_with_backends(redb::backends::InMemoryBackend::new(), index)?;
        let at_open = syncs.load(Ordering::SeqCst);
        for n in 0..3 {
            log.durable(entry(n)).await?;
        }
        assert_eq!(log.for_user("u-2")?.len(), 1, "indexed");
        assert_eq!(
            syncs.load(Ordering::SeqCst),
            at_open,
            "no fsync of the index within {INDEX_DURABLE_EVERY:?} of opening"
        );
        log.close()?;
        assert!(syncs.load(Ordering::SeqCst) > at_open, "durable on close");
        Ok(())
    }

    /// The nice value of one of this process's threads, from /proc (field 19 of stat(5)).
    #[cfg(target_os = "linux")]
    fn nice_of_thread(tid: i32) -> Result<Option<i64>, EngineError> {
        let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat"))?;
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        Ok(after
            .split_whitespace()
            .nth(16)
            .and_then(|n| n.parse().ok()))
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_indexer_runs_at_the_lowest_priority_and_the_writer_does_not() -> Result<(), EngineError>
    {
        let log = AuditLog::open_with_backend(redb::backends::InMemoryBackend::new())?;
        // `open` returns once both threads are set up: no waiting here.
        let (indexer, writer) = log.thread_ids;
        assert_eq!(
            (nice_of_thread(indexer)?, nice_of_thread(writer)?),
            (Some(19), Some(0)),
            "(indexer, writer)"
        );
        log.close()?;
        Ok(())
    }

    #[test]
    fn a_closed_writer_fails_closed() -> Result<(), EngineError> {
        let log = AuditLog::open_with_backend(redb::backends::InMemoryBackend::new())?;
        assert!(!log.is_failed());
        let other = log.clone();
        assert!(log.close().is_err(), "refused while another handle is open");
        assert!(!other.is_failed());
        Ok(())
    }
}
