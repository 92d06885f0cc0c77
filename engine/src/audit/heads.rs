//! Signed tree heads: the trail's size and Merkle root, timed and signed with Ed25519, kept in
//! a file outside the trail's database (one JSON line each, appended and synced) and served
//! to anyone. Whoever holds a head can later show that the trail still holds what it held
//! then (a consistency proof), and a citizen that an entry about them is in it (an inclusion
//! proof); a cut or rewritten trail no longer matches the heads signed before.
//!
//! A head is a checkpoint in the C2SP `tlog-checkpoint` form: the body is the log's origin,
//! the tree's size, its root in base64 and a `time` extension line (milliseconds since
//! 1970), and the signature is an Ed25519 signature of the body by a key whose id is the
//! first four bytes of `SHA-256(origin ‖ "\n" ‖ 0x01 ‖ public key)` (the signed-note key id).

use crate::EngineError;
use crate::clock::Clock;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use domain::merkle::Hash;
use redb::Database;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// The seed of the development key: public (it is here), so refused in production.
const DEVELOPMENT_SEED: &[u8] = b"kysely development audit head key";

/// The development key's public half (base64), for verifying a developer's trail.
pub const DEVELOPMENT_PUBLIC_KEY: &str = "2yxV7CrxnY7ddIF1naRYUZkDzhKcs+eK7INp4eEuGcw=";

/// The key that signs tree heads, with the log's origin (its name in each head).
pub struct HeadKey {
    pair: ring::signature::Ed25519KeyPair,
    public: [u8; 32],
    origin: String,
    development: bool,
}

impl std::fmt::Debug for HeadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeadKey")
            .field("origin", &self.origin)
            .field("public", &B64.encode(self.public))
            .finish_non_exhaustive()
    }
}

impl HeadKey {
    /// The key of a 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8], origin: &str) -> Result<HeadKey, EngineError> {
        let pair = ring::signature::Ed25519KeyPair::from_seed_unchecked(seed)
            .map_err(|e| EngineError::Invalid(format!("the audit signing key: {e}")))?;
        let public = <[u8; 32]>::try_from(ring::signature::KeyPair::public_key(&pair).as_ref())
            .map_err(|_| EngineError::Invalid("the audit signing key's public half".into()))?;
        let development = seed == development_seed();
        Ok(HeadKey {
            pair,
            public,
            origin: origin.to_owned(),
            development,
        })
    }

    /// The key of a key file: the seed in base64 on one line (`server audit keygen`).
    pub fn from_file(path: &Path, origin: &str) -> Result<HeadKey, EngineError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            EngineError::Invalid(format!("the audit signing key {}: {e}", path.display()))
        })?;
        let seed = B64.decode(text.trim()).map_err(|_| {
            EngineError::Invalid(format!(
                "the audit signing key {} is not a base64 seed (make one with server audit keygen)",
                path.display()
            ))
        })?;
        if seed.len() != 32 {
            return Err(EngineError::Invalid(format!(
                "the audit signing key {} holds {} bytes, not 32",
                path.display(),
                seed.len()
            )));
        }
        HeadKey::from_seed(&seed, origin)
    }

    /// The development key (everyone knows it: production refuses it).
    pub fn development(origin: &str) -> Result<HeadKey, EngineError> {
        HeadKey::from_seed(&development_seed(), origin)
    }

    /// Whether this is the development key.
    pub fn is_development(&self) -> bool {
        self.development
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.public
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Signs the head of the tree of `size` entries with root `root` at `time` (ms).
    pub fn sign(&self, size: u64, root: &Hash, time: i64) -> SignedHead {
        let mut head = SignedHead {
            origin: self.origin.clone(),
            size,
            root: hex::encode(root),
            time,
            key_id: hex::encode(key_id(&self.origin, &self.public)),
            signature: String::new(),
        };
        head.signature = B64.encode(self.pair.sign(head.body().as_bytes()).as_ref());
        head
    }
}

fn development_seed() -> [u8; 32] {
    Sha256::digest(DEVELOPMENT_SEED).into()
}

/// The signed-note key id of `public` under `origin`.
pub fn key_id(origin: &str, public: &[u8; 32]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(origin.as_bytes());
    h.update(b"\n\x01");
    h.update(public);
    let digest = h.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

/// A 32-byte seed for a new signing key, in the key file's form.
pub fn new_key_file_text() -> Result<String, EngineError> {
    let mut seed = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut seed)
        .map_err(|_| EngineError::Storage("no randomness for a new key".into()))?;
    Ok(format!("{}\n", B64.encode(seed)))
}

/// One signed tree head as stored and served.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedHead {
    pub origin: String,
    pub size: u64,
    /// The root, hex.
    pub root: String,
    /// When it was signed, ms since 1970.
    pub time: i64,
    /// The signing key's id, hex (4 bytes).
    pub key_id: String,
    /// The Ed25519 signature of [`SignedHead::body`], base64.
    pub signature: String,
}

impl SignedHead {
    /// The signed text: the checkpoint body.
    pub fn body(&self) -> String {
        let root = hex::decode(&self.root).map_or_else(|_| self.root.clone(), |r| B64.encode(r));
        format!(
            "{}\n{}\n{}\ntime {}\n",
            self.origin, self.size, root, self.time
        )
    }

    /// The head as a signed note (checkpoint and signature line).
    pub fn note(&self) -> String {
        let mut sig = hex::decode(&self.key_id).unwrap_or_default();
        sig.extend(B64.decode(&self.signature).unwrap_or_default());
        format!(
            "{}\n\u{2014} {} {}\n",
            self.body(),
            self.origin,
            B64.encode(sig)
        )
    }

    /// The root as bytes, if it is one.
    pub fn root_hash(&self) -> Option<Hash> {
        hex::decode(&self.root).ok()?.try_into().ok()
    }

    /// Whether `public` signed this head (under its origin and key id).
    pub fn signed_by(&self, public: &[u8; 32]) -> bool {
        if self.key_id != hex::encode(key_id(&self.origin, public)) || self.root_hash().is_none() {
            return false;
        }
        let Ok(signature) = B64.decode(&self.signature) else {
            return false;
        };
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, public)
            .verify(self.body().as_bytes(), &signature)
            .is_ok()
    }
}

/// Appends `head` to the heads file (created private), synced before it returns.
pub fn append(path: &Path, head: &SignedHead) -> Result<(), EngineError> {
    let mut line = serde_json::to_vec(head)
        .map_err(|e| EngineError::Storage(format!("tree head encoding: {e}")))?;
    line.push(b'\n');
    let io = |e: std::io::Error| EngineError::Storage(format!("{}: {e}", path.display()));
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    file.write_all(&line).map_err(io)?;
    file.sync_data().map_err(io)
}

/// The heads of a heads file one at a time, oldest first (a missing file has none); a line
/// that is not a head is an error of its own, by its line number.
pub fn read(
    path: &Path,
) -> Result<impl Iterator<Item = Result<SignedHead, String>> + use<>, EngineError> {
    let file = match std::fs::File::open(path) {
        Ok(f) => Some(f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(EngineError::Storage(format!("{}: {e}", path.display()))),
    };
    let lines = file.map(|f| std::io::BufReader::new(f).lines());
    Ok(lines
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(n, line)| {
            let line = match line {
                Ok(line) => line,
                Err(e) => return Some(Err(format!("line {}: {e}", n + 1))),
            };
            if line.trim().is_empty() {
                return None;
            }
            Some(
                serde_json::from_str::<SignedHead>(&line)
                    .map_err(|_| format!("line {} is not a signed tree head", n + 1)),
            )
        }))
}

/// The last head of a heads file, if any (every line read: files are small).
pub fn last(path: &Path) -> Result<Option<SignedHead>, EngineError> {
    // A line torn by a crash is passed over: the head before it stands.
    Ok(read(path)?.flatten().last())
}

/// What signing heads needs: the key, the heads file, how often, and the clock.
pub struct HeadSigner {
    pub key: HeadKey,
    pub file: PathBuf,
    pub every: std::time::Duration,
    pub clock: Arc<dyn Clock>,
}

/// The heads as the signer last left them, for the public endpoint and the health check.
#[derive(Default)]
pub(super) struct HeadState {
    pub(super) latest: Option<SignedHead>,
    /// Why no head is signed any more (the trail no longer matches a head signed before).
    pub(super) problem: Option<String>,
    /// The heads file and the public key, once signing started (`verify` checks them).
    pub(super) file: Option<(PathBuf, [u8; 32])>,
}

/// The signing thread and its stop flag.
pub(super) struct Signer {
    thread: std::thread::JoinHandle<()>,
    stop: Arc<AtomicBool>,
}

impl Signer {
    /// Starts signing: the last head in the file is read first, and nothing new is signed
    /// until the trail is seen to hold what that head covers (in the cluster mode a copy may
    /// still be catching up; in the embedded mode a shorter trail is a cut one).
    pub(super) fn start(
        db: Weak<Database>,
        signer: HeadSigner,
        state: Arc<Mutex<HeadState>>,
        replicated: bool,
    ) -> Result<Signer, EngineError> {
        let last = last(&signer.file)?;
        {
            let mut s = lock(&state);
            s.latest.clone_from(&last);
            s.file = Some((signer.file.clone(), signer.key.public_key()));
        }
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::Builder::new()
            .name("audit-heads".into())
            .spawn(move || {
                let mut run = Run {
                    signer,
                    last,
                    confirmed: false,
                    replicated,
                };
                run.confirmed = run.last.is_none();
                loop {
                    let stop_now = stopping.load(Ordering::SeqCst);
                    let Some(db) = db.upgrade() else { return };
                    match run.step(&db) {
                        Ok(Some(head)) => lock(&state).latest = Some(head),
                        Ok(None) => {}
                        Err(Broken(why)) => {
                            tracing::error!(problem = %why, "no more tree heads are signed");
                            lock(&state).problem = Some(why);
                            return;
                        }
                    }
                    drop(db);
                    if stop_now {
                        return;
                    }
                    std::thread::park_timeout(run.signer.every);
                }
            })?;
        Ok(Signer { thread, stop })
    }

    /// Stops the thread after one last head (at shutdown).
    pub(super) fn stop(self) -> Result<(), EngineError> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.thread().unpark();
        self.thread
            .join()
            .map_err(|_| EngineError::Storage("the tree-head signer panicked".into()))
    }
}

/// An empty commit that waits for the disk: every commit before it is then durable.
fn make_durable(db: &Database) -> Result<(), EngineError> {
    let mut txn = db.begin_write()?;
    txn.set_two_phase_commit(true);
    txn.commit()?;
    Ok(())
}

fn lock(state: &Mutex<HeadState>) -> std::sync::MutexGuard<'_, HeadState> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Why signing stopped for good.
struct Broken(String);

struct Run {
    signer: HeadSigner,
    last: Option<SignedHead>,
    /// Whether the trail was seen to match the last head signed before this run.
    confirmed: bool,
    replicated: bool,
}

impl Run {
    /// Signs a head if the trail grew since the last; the head signed, if one was.
    fn step(&mut self, db: &Database) -> Result<Option<SignedHead>, Broken> {
        if !self.confirmed {
            let Some(last) = &self.last else {
                self.confirmed = true;
                return Ok(None);
            };
            match super::tree::root_at(db, last.size) {
                Ok(Some(root)) if Some(root) == last.root_hash() => self.confirmed = true,
                Ok(Some(_)) => {
                    return Err(Broken(format!(
                        "the audit trail's first {} entries are not those of the tree head signed at {} (rewritten?)",
                        last.size, last.time
                    )));
                }
                Ok(None) if self.replicated => return Ok(None),
                Ok(None) => {
                    return Err(Broken(format!(
                        "the audit trail holds fewer entries than the {} of the tree head signed at {} (cut?)",
                        last.size, last.time
                    )));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the audit tree cannot be read; signing later");
                    return Ok(None);
                }
            }
        }
        let (size, root) = match super::tree::tree_head(db) {
            Ok(head) => head,
            Err(e) => {
                tracing::warn!(error = %e, "the audit tree cannot be read; signing later");
                return Ok(None);
            }
        };
        if size == 0 || self.last.as_ref().is_some_and(|l| size <= l.size) {
            return Ok(None);
        }
        // A copy in the cluster mode commits to its file without waiting for the disk (the
        // journal is what is durable): first make what the head covers durable here too, so
        // that the file never holds less than a head it signed, whenever it stops.
        if self.replicated
            && let Err(e) = make_durable(db)
        {
            tracing::warn!(error = %e, "the audit copy could not be synced; signing later");
            return Ok(None);
        }
        let head = self.signer.key.sign(size, &root, self.signer.clock.now().0);
        if let Err(e) = append(&self.signer.file, &head) {
            tracing::warn!(error = %e, "a tree head could not be written; signing later");
            return Ok(None);
        }
        self.last = Some(head.clone());
        Ok(Some(head))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_head_verifies_under_its_key_only_and_not_once_changed() {
        let key = HeadKey::from_seed(&[7u8; 32], "kysely.test/audit").unwrap();
        let other = HeadKey::from_seed(&[8u8; 32], "kysely.test/audit").unwrap();
        let head = key.sign(42, &[3u8; 32], 1_800_000_000_000);
        assert!(head.signed_by(&key.public_key()));
        assert!(!head.signed_by(&other.public_key()));
        let changes: [fn(&mut SignedHead); 7] = [
            |h| h.key_id = "00000000".into(),
            |h| h.root = "not hex".into(),
            |h| h.size += 1,
            |h| h.root = hex::encode([4u8; 32]),
            |h| h.time += 1,
            |h| h.origin.push('x'),
            |h| h.signature = B64.encode([0u8; 64]),
        ];
        for change in changes {
            let mut bent = head.clone();
            change(&mut bent);
            assert!(!bent.signed_by(&key.public_key()), "{bent:?}");
        }
        assert!(!key.is_development());
        assert!(HeadKey::development("x").unwrap().is_development());
    }

    /// The key id is the signed-note one, computed here from its definition.
    #[test]
    fn the_key_id_is_the_signed_note_key_hash() {
        let key = HeadKey::from_seed(&[7u8; 32], "kysely.test/audit").unwrap();
        let mut h = Sha256::new();
        h.update(b"kysely.test/audit\n\x01");
        h.update(key.public_key());
        let digest = h.finalize();
        assert_eq!(key_id("kysely.test/audit", &key.public_key()), digest[..4]);
        assert_eq!(key.origin(), "kysely.test/audit");
    }

    /// The development key is the published one (its public half pinned here: a verifier
    /// of a developer's trail knows it), and its debug form shows no secret.
    #[test]
    fn the_development_key_is_fixed_and_no_key_prints_its_seed() {
        let key = HeadKey::development("x").unwrap();
        assert_eq!(
            B64.encode(key.public_key()),
            DEVELOPMENT_PUBLIC_KEY,
            "the development key changed"
        );
        let seed = [42u8; 32];
        let own = HeadKey::from_seed(&seed, "kysely.test/audit").unwrap();
        let shown = format!("{own:?}");
        assert!(
            shown.contains("kysely.test/audit") && shown.contains(&B64.encode(own.public_key()))
        );
        assert!(!shown.contains(&B64.encode(seed)) && !shown.contains(&hex::encode(seed)));
    }

    #[test]
    fn key_files_hold_a_fresh_32_byte_seed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (new_key_file_text().unwrap(), new_key_file_text().unwrap());
        assert_ne!(a, b);
        assert_eq!(B64.decode(a.trim()).unwrap().len(), 32);
        let file = dir.path().join("key");
        std::fs::write(&file, &a).unwrap();
        assert!(HeadKey::from_file(&file, "o").is_ok());
        for bad in [B64.encode([1u8; 16]), B64.encode([1u8; 33]), "no".into()] {
            std::fs::write(&file, bad).unwrap();
            assert!(HeadKey::from_file(&file, "o").is_err());
        }
    }

    #[test]
    fn a_heads_file_that_cannot_be_read_is_an_error_not_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(&dir.path().join("none")).unwrap().count(), 0);
        let file = dir.path().join("plain");
        std::fs::write(&file, "").unwrap();
        assert!(read(&file.join("below a file")).is_err());
    }

    /// A copy in the cluster mode still catching up waits for its last head; an embedded
    /// trail that holds less than its last head is cut.
    #[test]
    fn a_short_trail_waits_when_replicated_and_is_cut_when_embedded() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::create(dir.path().join("audit.redb")).unwrap();
        super::super::create_tables(&db).unwrap();
        let key = HeadKey::from_seed(&[7u8; 32], "o").unwrap();
        let last = key.sign(10, &[0u8; 32], 1);
        let signer = |replicated| Run {
            signer: HeadSigner {
                key: HeadKey::from_seed(&[7u8; 32], "o").unwrap(),
                file: dir.path().join("heads"),
                every: std::time::Duration::from_secs(60),
                clock: Arc::new(crate::clock::SystemClock),
            },
            last: Some(last.clone()),
            confirmed: false,
            replicated,
        };
        assert!(matches!(signer(true).step(&db), Ok(None)));
        assert!(matches!(signer(false).step(&db), Err(Broken(why)) if why.contains("cut")));
    }

    #[test]
    fn the_note_is_a_checkpoint_with_a_signature_line() {
        let key = HeadKey::from_seed(&[7u8; 32], "kysely.test/audit").unwrap();
        let head = key.sign(5, &[0u8; 32], 12);
        let note = head.note();
        let (body, signature) = note.split_once("\n\n").unwrap();
        assert_eq!(
            body,
            "kysely.test/audit\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 12"
        );
        let line = signature
            .strip_prefix("\u{2014} kysely.test/audit ")
            .unwrap();
        let bytes = B64.decode(line.trim_end()).unwrap();
        assert_eq!(bytes[..4], key_id("kysely.test/audit", &key.public_key()));
        assert_eq!(bytes.len(), 4 + 64);
    }
}
