//! The audit trail: its own redb file, written by one writer thread that commits queued entries
//! in groups (one two-phase fsync per batch) and acknowledges each only after its commit.
//! Entries are hash-chained: `hash_n = SHA-256(hash_{n-1} ‖ canonical(entry_n))`, starting
//! from 32 zero bytes. Indexes by subject, by user and by time are written in the same commit.
//!
//! Fail closed: a full queue, a stopped writer or a failed commit answers `Unavailable`, and
//! after any commit error the writer stops for good (redb refuses writes after a failed commit
//! until reopened), so the service returns no register data until restarted.

use crate::error::EngineError;
use domain::audit::AuditEntry;
use redb::backends::FileBackend;
use redb::{
    Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, StorageBackend,
    TableDefinition, TableError,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::{mpsc, oneshot};

/// seq → stored record (hash, canonical entry).
const ENTRIES: TableDefinition<u64, &[u8]> = TableDefinition::new("audit_entry.v1");
/// (subject key, seq) → ().
const BY_SUBJECT: TableDefinition<(&str, u64), ()> = TableDefinition::new("audit_by_subject.v1");
/// (user, seq) → ().
const BY_USER: TableDefinition<(&str, u64), ()> = TableDefinition::new("audit_by_user.v1");
/// (millis, seq) → ().
const BY_TIME: TableDefinition<(i64, u64), ()> = TableDefinition::new("audit_by_time.v1");

/// How many queued entries one commit takes at most.
const MAX_BATCH: usize = 1024;
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
    failed: Arc<AtomicBool>,
}

/// The outcome of a full chain verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: u64,
    pub head: [u8; 32],
    /// The first sequence number whose hash does not match, if any.
    pub first_bad: Option<u64>,
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

impl AuditLog {
    /// Opens (or creates) the audit file and starts its writer thread.
    pub fn open(path: &Path) -> Result<AuditLog, EngineError> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        AuditLog::open_with_backend(FileBackend::new(file)?)
    }

    /// Opens the audit trail on any redb storage backend (fault-injection tests use this).
    pub fn open_with_backend(backend: impl StorageBackend) -> Result<AuditLog, EngineError> {
        let db = Arc::new(Database::builder().create_with_backend(backend)?);
        let head = {
            let txn = db.begin_write()?;
            txn.open_table(ENTRIES)?;
            txn.open_table(BY_SUBJECT)?;
            txn.open_table(BY_USER)?;
            txn.open_table(BY_TIME)?;
            txn.commit()?;
            last_record(&db)?
        };
        let (queue, jobs) = mpsc::channel(QUEUE);
        let failed = Arc::new(AtomicBool::new(false));
        let writer_db = db.clone();
        let writer_failed = failed.clone();
        std::thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || run_writer(&writer_db, jobs, head, &writer_failed))?;
        Ok(AuditLog { queue, db, failed })
    }

    /// Whether the writer has stopped after a storage failure.
    pub fn is_failed(&self) -> bool {
        self.failed.load(Ordering::SeqCst) || self.queue.is_closed()
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

    /// Appends one entry and waits until it is durable. Returns its sequence number.
    pub async fn append(&self, entry: AuditEntry) -> Result<u64, EngineError> {
        let rx = self.submit(entry)?;
        Self::settle(rx.await)
    }

    /// [`AuditLog::append`] for code already on a blocking thread.
    pub fn append_blocking(&self, entry: AuditEntry) -> Result<u64, EngineError> {
        let rx = self.submit(entry)?;
        Self::settle(rx.blocking_recv())
    }

    /// Number of entries stored.
    pub fn len(&self) -> Result<u64, EngineError> {
        let txn = self.db.begin_read()?;
        Ok(txn.open_table(ENTRIES)?.len()?)
    }

    pub fn is_empty(&self) -> Result<bool, EngineError> {
        Ok(self.len()? == 0)
    }

    /// All entries about one subject (e.g. `person:00ab…`), oldest first.
    pub fn for_subject(&self, subject_key: &str) -> Result<Vec<AuditRecord>, EngineError> {
        let txn = self.db.begin_read()?;
        let index = txn.open_table(BY_SUBJECT)?;
        let entries = txn.open_table(ENTRIES)?;
        let mut out = Vec::new();
        for item in index.range((subject_key, 0u64)..=(subject_key, u64::MAX))? {
            let (key, _) = item?;
            let seq = key.value().1;
            if let Some(record) = read_record(&entries, seq)? {
                out.push(record);
            }
        }
        Ok(out)
    }

    /// Entries from `after` (exclusive), up to `limit`.
    pub fn entries_after(&self, after: u64, limit: usize) -> Result<Vec<AuditRecord>, EngineError> {
        let txn = self.db.begin_read()?;
        let entries = txn.open_table(ENTRIES)?;
        let mut out = Vec::new();
        for item in entries.range(after.saturating_add(1)..)?.take(limit) {
            let (k, v) = item?;
            out.push(to_record(k.value(), v.value())?);
        }
        Ok(out)
    }

    /// Recomputes the whole chain from a consistent snapshot.
    pub fn verify(&self) -> Result<VerifyReport, EngineError> {
        verify_db(&self.db)
    }
}

/// Verifies an audit file that no server has open (the `audit verify` command).
pub fn verify_file(path: &Path) -> Result<VerifyReport, EngineError> {
    let db = Database::open(path)?;
    verify_db(&db)
}

fn verify_db(db: &Database) -> Result<VerifyReport, EngineError> {
    let txn = db.begin_read()?;
    let entries = match txn.open_table(ENTRIES) {
        Ok(t) => t,
        Err(TableError::TableDoesNotExist(_)) => {
            return Ok(VerifyReport {
                entries: 0,
                head: [0; 32],
                first_bad: None,
            });
        }
        Err(e) => return Err(e.into()),
    };
    let mut prev = [0u8; 32];
    let mut count = 0u64;
    let mut expected_seq = 1u64;
    let mut first_bad = None;
    for item in entries.iter()? {
        let (k, v) = item?;
        let seq = k.value();
        let stored = decode_stored(v.value())?;
        let ok = seq == expected_seq
            && chain(&prev, &stored.canonical) == stored.hash
            && serde_json::from_slice::<AuditEntry>(&stored.canonical).is_ok();
        if !ok && first_bad.is_none() {
            first_bad = Some(seq);
        }
        prev = stored.hash;
        count += 1;
        expected_seq = seq + 1;
    }
    Ok(VerifyReport {
        entries: count,
        head: prev,
        first_bad,
    })
}

fn to_record(seq: u64, bytes: &[u8]) -> Result<AuditRecord, EngineError> {
    let stored = decode_stored(bytes)?;
    let entry = serde_json::from_slice(&stored.canonical).map_err(|e| EngineError::Corrupt {
        table: "audit_entry.v1",
        detail: e.to_string(),
    })?;
    Ok(AuditRecord {
        seq,
        hash: stored.hash,
        entry,
    })
}

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

fn run_writer(
    db: &Database,
    mut jobs: mpsc::Receiver<Job>,
    mut head: (u64, [u8; 32]),
    failed: &AtomicBool,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        match write_batch(db, &batch, head) {
            Ok(new_head) => {
                let first_seq = head.0 + 1;
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

fn write_batch(
    db: &Database,
    batch: &[Job],
    head: (u64, [u8; 32]),
) -> Result<(u64, [u8; 32]), EngineError> {
    let (mut seq, mut prev) = head;
    let mut txn = db.begin_write()?;
    // Entries carry user-supplied text: two-phase commit does not rely on the non-cryptographic
    // page checksum to detect a torn commit.
    txn.set_two_phase_commit(true);
    {
        let mut entries = txn.open_table(ENTRIES)?;
        let mut by_subject = txn.open_table(BY_SUBJECT)?;
        let mut by_user = txn.open_table(BY_USER)?;
        let mut by_time = txn.open_table(BY_TIME)?;
        for job in batch {
            seq += 1;
            let canonical = canonical(&job.entry)?;
            let hash = chain(&prev, &canonical);
            let stored = postcard::to_allocvec(&Stored { hash, canonical })
                .map_err(|e| EngineError::Storage(format!("audit encoding: {e}")))?;
            entries.insert(seq, stored.as_slice())?;
            if let Some(subject) = job.entry.event.subject() {
                by_subject.insert((subject.audit_key().as_str(), seq), ())?;
            }
            by_user.insert((job.entry.actor.user.as_str(), seq), ())?;
            by_time.insert((job.entry.at.0, seq), ())?;
            prev = hash;
        }
    }
    txn.commit()?;
    Ok((seq, prev))
}
