//! Tests of the trail's Merkle tree and signed heads: the tree against an independent
//! computation over the entries as read back, proofs of any entry and any earlier size,
//! a trail from before the tree, heads signed while the trail grows and at close, and
//! tampering (edit, delete, swap, truncate) by an attacker who can rewrite the whole file,
//! chain and tree included, found by the heads signed before.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::heads::{HeadKey, HeadSigner};
use super::*;
use domain::Timestamp;
use domain::merkle::{self, Hash};
use rand::{Rng, SeedableRng};

use crate::testing::audit_entry as entry;

/// `MTH(D)` by the RFC's recursion, over leaf hashes (the oracle, apart from the frontier).
fn mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => merkle::empty_root(),
        1 => leaves[0],
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            merkle::node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

/// The leaf hashes of the entries as read back and encoded again here.
fn leaves_of(log: &AuditLog) -> Vec<Hash> {
    log.entries_after(0, usize::MAX)
        .unwrap()
        .iter()
        .map(|r| merkle::leaf_hash(&serde_json::to_vec(&r.entry).unwrap()))
        .collect()
}

async fn append_many(log: &AuditLog, from: i64, count: i64) {
    let mut tasks = tokio::task::JoinSet::new();
    for n in from..from + count {
        let log = log.clone();
        tasks.spawn(async move { log.durable(entry(n)).await });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tree_follows_the_entries_and_proves_any_of_them() -> Result<(), EngineError> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("audit.redb");
    let log = AuditLog::open(&path)?;
    assert_eq!(log.tree_head()?, (0, merkle::empty_root()));
    append_many(&log, 0, 700).await;
    let leaves = leaves_of(&log);
    assert_eq!(leaves.len(), 700);
    assert_eq!(log.tree_head()?, (700, mth(&leaves)));
    // Entries at the edges of stored tiles (256 leaves) and between them, in trees of sizes
    // at and off the tiles.
    for size in [1u64, 255, 256, 257, 511, 512, 513, 700] {
        let head = mth(&leaves[..size as usize]);
        for seq in [1u64, 2, 128, 255, 256, 257, 300, 511, 512, 513, 699, 700] {
            if seq > size {
                continue;
            }
            let proof = log.inclusion_proof(seq, size)?;
            assert_eq!((proof.size, proof.root), (size, head));
            assert!(
                merkle::verify_inclusion(
                    &leaves[seq as usize - 1],
                    seq - 1,
                    size,
                    &proof.hashes,
                    &head
                ),
                "entry {seq} in {size}"
            );
        }
        for first in [0u64, 1, 100, 255, 256, 257, 512] {
            if first > size {
                continue;
            }
            let (first_root, proof) = log.consistency_proof(first, size)?;
            assert_eq!(first_root, mth(&leaves[..first as usize]));
            assert!(
                merkle::verify_consistency(first, &first_root, size, &head, &proof.hashes),
                "{first} → {size}"
            );
        }
    }
    // Nothing beyond the trail, no entry 0.
    assert!(matches!(
        log.inclusion_proof(701, 701),
        Err(EngineError::Invalid(_))
    ));
    assert!(matches!(
        log.inclusion_proof(0, 700),
        Err(EngineError::Invalid(_))
    ));
    assert!(matches!(
        log.consistency_proof(10, 701),
        Err(EngineError::Invalid(_))
    ));
    log.close()?;
    // Reopened, the tree goes on from its stored nodes.
    let log = AuditLog::open(&path)?;
    append_many(&log, 700, 70).await;
    let leaves = leaves_of(&log);
    assert_eq!(log.tree_head()?, (770, mth(&leaves)));
    let report = log.verify()?;
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.root, mth(&leaves));
    log.close()?;
    Ok(())
}

/// Removes the tree from an audit file, as a trail written before the tree was.
fn drop_tree(path: &Path) -> Result<(), EngineError> {
    let db = Database::open(path)?;
    let txn = db.begin_write()?;
    txn.delete_table(tree::TREE)?;
    txn.delete_table(tree::TREE_LEAVES)?;
    txn.commit()?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trail_from_before_the_tree_gets_its_tree_on_opening() -> Result<(), EngineError> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("audit.redb");
    let log = AuditLog::open(&path)?;
    append_many(&log, 0, 600).await;
    let leaves = leaves_of(&log);
    log.close()?;
    drop_tree(&path)?;
    // Without its tree, the file's stored nodes are missing: verification says which.
    let report = verify_file(&path, None)?;
    assert_eq!(report.first_bad, None);
    assert_eq!(report.bad_node, Some((8, 0)));
    let log = AuditLog::open(&path)?;
    assert_eq!(log.tree_head()?, (600, mth(&leaves)));
    log.close()?;
    let report = verify_file(&path, None)?;
    assert!(report.intact(), "{report:?}");
    Ok(())
}

fn key() -> HeadKey {
    HeadKey::from_seed(&[9u8; 32], "kysely.test/audit").unwrap()
}

fn signer(file: &Path) -> HeadSigner {
    HeadSigner {
        key: key(),
        file: file.to_path_buf(),
        every: std::time::Duration::from_millis(20),
        clock: Arc::new(crate::clock::FixedClock::new(Timestamp(1_800_000_000_000))),
    }
}

/// Waits (at most 10 s) for `until` to hold: for what the signing thread does on its own
/// schedule (every 20 ms here), polled, never a fixed pause before an assertion.
fn wait_for(mut until: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if until() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    false
}

fn heads_in(file: &Path) -> Vec<heads::SignedHead> {
    heads::read(file).unwrap().map(Result::unwrap).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heads_are_signed_as_the_trail_grows_and_at_close() -> Result<(), EngineError> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("audit.redb");
    let heads_file = dir.path().join("audit-heads.jsonl");
    let log = AuditLog::open(&path)?;
    log.sign_heads(signer(&heads_file))?;
    assert!(matches!(
        log.sign_heads(signer(&heads_file)),
        Err(EngineError::Invalid(_))
    ));
    // Nothing to sign while the trail is empty: stopping runs a last step, and signs nothing.
    log.stop_signing()?;
    assert_eq!(log.latest_head(), None);
    assert!(!heads_file.exists());
    log.sign_heads(signer(&heads_file))?;
    append_many(&log, 0, 50).await;
    assert!(wait_for(|| log.latest_head().is_some_and(|h| h.size == 50)));
    let latest = log.latest_head().unwrap();
    assert_eq!(latest.root_hash(), Some(mth(&leaves_of(&log))));
    assert!(latest.signed_by(&key().public_key()));
    assert_eq!(log.head_key(), Some(key().public_key()));
    append_many(&log, 50, 10).await;
    // Signing stops with a last head over every entry (as at the server's shutdown).
    log.stop_signing()?;
    assert_eq!(heads_in(&heads_file).last().map(|h| h.size), Some(60));
    log.close()?;
    let signed = heads_in(&heads_file);
    assert_eq!(signed.last().map(|h| h.size), Some(60), "the last at close");
    assert!(signed.windows(2).all(|w| w[0].size < w[1].size));
    let report = verify_file(&path, Some((&heads_file, &key().public_key())))?;
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.heads, signed.len() as u64);
    // Another key's heads are not these.
    let other = HeadKey::from_seed(&[1u8; 32], "kysely.test/audit")?;
    let report = verify_file(&path, Some((&heads_file, &other.public_key())))?;
    assert_eq!(report.bad_heads, signed.len() as u64);

    // Reopened with its heads, the trail is checked against the last before anything new
    // is signed: a cut trail stops signing and says so.
    let log = AuditLog::open(&path)?;
    log.sign_heads(signer(&heads_file))?;
    append_many(&log, 60, 5).await;
    assert!(wait_for(|| log.latest_head().is_some_and(|h| h.size == 65)));
    assert_eq!(log.heads_problem(), None);
    log.close()?;
    cut(&path, 3)?;
    let log = AuditLog::open(&path)?;
    log.sign_heads(signer(&heads_file))?;
    assert!(wait_for(|| log.heads_problem().is_some()));
    assert!(log.heads_problem().unwrap().contains("cut"));
    append_many(&log, 65, 10).await;
    // The signer has ended with the problem: stopping it signs no last head either.
    log.stop_signing()?;
    assert_eq!(
        log.latest_head().map(|h| h.size),
        Some(65),
        "nothing signed"
    );
    log.close()?;
    assert_eq!(heads_in(&heads_file).last().map(|h| h.size), Some(65));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rewritten_trail_is_not_signed_on() -> Result<(), EngineError> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("audit.redb");
    let heads_file = dir.path().join("audit-heads.jsonl");
    let log = AuditLog::open(&path)?;
    log.sign_heads(signer(&heads_file))?;
    append_many(&log, 0, 40).await;
    log.close()?;
    let mut canonicals = canonicals(&path)?;
    canonicals[4] = serde_json::to_vec(&entry(1000)).unwrap();
    reseal(&path, &canonicals)?;
    // The chain and the tree agree with the entries again; only the head tells.
    let report = verify_file(&path, None)?;
    assert!(report.intact(), "{report:?}");
    let log = AuditLog::open(&path)?;
    log.sign_heads(signer(&heads_file))?;
    assert!(wait_for(|| log.heads_problem().is_some()));
    assert!(log.heads_problem().unwrap().contains("rewritten"));
    log.close()?;
    Ok(())
}

/// Every entry's canonical bytes, in order.
fn canonicals(path: &Path) -> Result<Vec<Vec<u8>>, EngineError> {
    let db = Database::open(path)?;
    let txn = db.begin_read()?;
    let entries = txn.open_table(ENTRIES)?;
    let mut out = Vec::new();
    for item in entries.iter()? {
        out.push(decode_stored(item?.1.value())?.canonical);
    }
    Ok(out)
}

/// What an attacker with the file can do: write `canonicals` as the whole trail, numbered
/// from 1, chained and with its tree, as the writer would have.
fn reseal(path: &Path, canonicals: &[Vec<u8>]) -> Result<(), EngineError> {
    let db = Database::open(path)?;
    let txn = db.begin_write()?;
    txn.delete_table(ENTRIES)?;
    txn.delete_table(tree::TREE)?;
    txn.delete_table(tree::TREE_LEAVES)?;
    txn.commit()?;
    let at = canonicals.iter().map(|c| (0i64, c.clone())).collect();
    write_entries(&db, at, &Head::default(), None)?;
    Ok(())
}

/// Removes the last `k` entries (their tree nodes stay: the next opening rebuilds them).
fn cut(path: &Path, k: u64) -> Result<(), EngineError> {
    let db = Database::open(path)?;
    let txn = db.begin_write()?;
    {
        let mut entries = txn.open_table(ENTRIES)?;
        let last = entries.last()?.map_or(0, |(k, _)| k.value());
        for seq in last + 1 - k..=last {
            entries.remove(seq)?;
        }
    }
    txn.commit()?;
    Ok(())
}

/// Writes a trail of `n` entries straight through the writer's commit, a head signed every
/// `every` entries and at the end (as the service does each minute and at shutdown).
fn signed_trail(path: &Path, heads_file: &Path, n: i64, every: u64) -> Result<(), EngineError> {
    let db = Database::create(path)?;
    let mut head = Head::default();
    let mut batch = Vec::new();
    for i in 0..n {
        batch.push((0i64, serde_json::to_vec(&entry(i)).unwrap()));
        if batch.len() == 500 || i == n - 1 {
            head = write_entries(&db, std::mem::take(&mut batch), &head, None)?;
            if head.seq % every == 0 || i == n - 1 {
                let signed = key().sign(head.seq, &head.frontier.root(), head.seq as i64);
                heads::append(heads_file, &signed)?;
            }
        }
    }
    Ok(())
}

#[derive(Clone, Copy, Debug)]
enum Tamper {
    Edit,
    Delete,
    Swap,
    Truncate,
}

/// Edits, deletes, swaps or truncates at random places: first leaving the stored hashes as
/// they were, then as an attacker who rewrites chain and tree to match. Both are found.
#[test]
fn random_tampering_of_a_signed_trail_is_always_detected() -> Result<(), EngineError> {
    let n: i64 = std::env::var("KYSELY_TAMPER_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = rand::rng().random();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let dir = tempfile::tempdir()?;
    let original = dir.path().join("audit.redb");
    let heads_file = dir.path().join("audit-heads.jsonl");
    signed_trail(&original, &heads_file, n, 5_000)?;
    let public = key().public_key();
    let report = verify_file(&original, Some((&heads_file, &public)))?;
    assert!(report.intact(), "{report:?}");
    let all = canonicals(&original)?;
    for round in 0..12 {
        let kind = [Tamper::Edit, Tamper::Delete, Tamper::Swap, Tamper::Truncate][round % 4];
        let len = all.len();
        let at = rng.random_range(0..len);
        let copy = dir.path().join(format!("round{round}.redb"));
        std::fs::copy(&original, &copy)?;
        let mut changed = all.clone();
        {
            // As stored: entries changed, hashes and tree left as they were.
            let db = Database::open(&copy)?;
            let txn = db.begin_write()?;
            {
                let mut entries = txn.open_table(ENTRIES)?;
                let seq = at as u64 + 1;
                match kind {
                    Tamper::Edit => {
                        let bytes = entries.get(seq)?.unwrap().value().to_vec();
                        let mut stored = decode_stored(&bytes)?;
                        stored.canonical = serde_json::to_vec(&entry(-1)).unwrap();
                        changed[at].clone_from(&stored.canonical);
                        let bytes = postcard::to_allocvec(&stored).unwrap();
                        entries.insert(seq, bytes.as_slice())?;
                    }
                    Tamper::Delete => {
                        entries.remove(seq)?;
                        changed.remove(at);
                    }
                    Tamper::Swap => {
                        let other = (at + 1 + rng.random_range(0..len - 1)) % len;
                        let a = entries.get(seq)?.unwrap().value().to_vec();
                        let b = entries.get(other as u64 + 1)?.unwrap().value().to_vec();
                        entries.insert(seq, b.as_slice())?;
                        entries.insert(other as u64 + 1, a.as_slice())?;
                        changed.swap(at, other);
                    }
                    Tamper::Truncate => {
                        let keep = rng.random_range(0..len - 1) as u64;
                        for s in keep + 1..=len as u64 {
                            entries.remove(s)?;
                        }
                        changed.truncate(keep as usize);
                    }
                }
            }
            txn.commit()?;
        }
        let report = verify_file(&copy, Some((&heads_file, &public)))?;
        assert!(
            !report.intact(),
            "round {round} ({kind:?} at {at}, seed {seed}): not found as stored: {report:?}"
        );
        reseal(&copy, &changed)?;
        let resealed = verify_file(&copy, None)?;
        assert!(
            resealed.first_bad.is_none() && resealed.bad_node.is_none(),
            "the attacker's trail is self-consistent: {resealed:?}"
        );
        let report = verify_file(&copy, Some((&heads_file, &public)))?;
        assert!(
            report.bad_heads > 0 && !report.intact(),
            "round {round} ({kind:?} at {at}, seed {seed}): rewritten trail not found: {report:?}"
        );
        std::fs::remove_file(&copy)?;
    }
    Ok(())
}

#[test]
fn the_stored_form_splits_as_postcard_writes_it() {
    for len in [0usize, 1, 127, 128, 300, 16_383, 16_384, 70_000] {
        let stored = Stored {
            hash: [7; 32],
            canonical: vec![b'x'; len],
        };
        let bytes = postcard::to_allocvec(&stored).unwrap();
        assert_eq!(
            split_stored(&bytes),
            Some((&stored.hash, stored.canonical.as_slice())),
            "{len}"
        );
        // Cut short or lengthened: not the stored form.
        assert_eq!(split_stored(&bytes[..bytes.len() - 1]), None, "{len}");
        let mut longer = bytes.clone();
        longer.push(b'x');
        assert_eq!(split_stored(&longer), None, "{len}");
    }
    assert_eq!(split_stored(&[0xff; 40]), None);
    assert_eq!(split_stored(&[]), None);
}

#[test]
fn an_entry_not_of_the_stored_form_is_reported_not_fatal() -> Result<(), EngineError> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("audit.redb");
    let heads_file = dir.path().join("audit-heads.jsonl");
    signed_trail(&path, &heads_file, 10, 1000)?;
    {
        let db = Database::open(&path)?;
        let txn = db.begin_write()?;
        txn.open_table(ENTRIES)?.insert(4, b"garbage".as_slice())?;
        txn.commit()?;
    }
    let report = verify_file(&path, Some((&heads_file, &key().public_key())))?;
    assert_eq!((report.entries, report.first_bad), (10, Some(4)));
    assert!(!report.intact());
    Ok(())
}

/// An entry whose bytes chain and hash as stored but are not an entry: the decoding half of
/// the verification finds it.
#[test]
fn an_entry_that_does_not_decode_is_found() -> Result<(), EngineError> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("audit.redb");
    let mut canonicals: Vec<Vec<u8>> = (0..3000)
        .map(|n| serde_json::to_vec(&entry(n)).unwrap())
        .collect();
    canonicals[2500] = br#"{"not":"an entry"}"#.to_vec();
    {
        let db = Database::create(&path)?;
        create_tables(&db)?;
    }
    reseal(&path, &canonicals)?;
    let report = verify_file(&path, None)?;
    assert_eq!((report.entries, report.first_bad), (3000, Some(2501)));
    Ok(())
}

/// The heads a verification reads: every one counted, the problems listed up to a limit,
/// heads that shrink refused, two heads of one size accepted, a head beyond a cut trail
/// found.
#[test]
fn heads_are_counted_listed_in_order_and_found_beyond_a_cut() -> Result<(), EngineError> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("audit.redb");
    let heads_file = dir.path().join("audit-heads.jsonl");
    signed_trail(&path, &heads_file, 1000, 500)?;
    let public = key().public_key();
    // The same head again (a restart with nothing new) is fine; a smaller one after it is not.
    let all = heads_in(&heads_file);
    heads::append(&heads_file, &all[1])?;
    heads::append(&heads_file, &all[0])?;
    let report = verify_file(&path, Some((&heads_file, &public)))?;
    assert_eq!((report.heads, report.bad_heads), (3, 1), "{report:?}");
    assert!(report.head_problems[0].contains("heads only grow"));
    // 25 heads of another key: each counted, the first 20 listed.
    let other = HeadKey::from_seed(&[3u8; 32], "kysely.test/audit")?;
    let foreign = dir.path().join("foreign.jsonl");
    for size in 1..=25u64 {
        heads::append(&foreign, &other.sign(size * 40, &[0; 32], 0))?;
    }
    let report = verify_file(&path, Some((&foreign, &public)))?;
    assert_eq!((report.heads, report.bad_heads), (25, 25));
    assert_eq!(report.head_problems.len(), MAX_PROBLEMS);
    // A cut trail: the heads beyond its end are counted and each is a problem.
    let cut_heads = dir.path().join("cut.jsonl");
    for head in &all {
        heads::append(&cut_heads, head)?;
    }
    cut(&path, 600)?;
    let report = verify_file(&path, Some((&cut_heads, &public)))?;
    assert_eq!(
        (report.entries, report.heads, report.bad_heads),
        (400, 2, 2)
    );
    assert!(report.head_problems.iter().all(|p| p.contains("cut")));
    Ok(())
}
