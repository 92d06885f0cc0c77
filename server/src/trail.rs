//! The operator's audit-trail commands (`server audit …`) on a trail no server has open:
//! verify the chain, the tree and the signed heads; make a signing key; print consistency
//! and inclusion proofs. Each returns what it prints, or why it failed.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use engine::audit::heads::HeadKey;
use std::path::{Path, PathBuf};

/// Whose signatures the heads must carry: a public key given, the public half of a key
/// file, or the development key (said so in the output).
pub enum Signer {
    PublicKey(String),
    KeyFile(PathBuf),
    Development,
}

impl Signer {
    fn public_key(&self) -> Result<([u8; 32], &'static str), String> {
        match self {
            Signer::PublicKey(text) => {
                let bytes = B64
                    .decode(text.trim())
                    .map_err(|_| "--public-key is not base64".to_owned())?;
                let key = <[u8; 32]>::try_from(bytes.as_slice())
                    .map_err(|_| "--public-key is not a 32-byte Ed25519 key".to_owned())?;
                Ok((key, ""))
            }
            Signer::KeyFile(file) => Ok((
                HeadKey::from_file(file, "")
                    .map_err(|e| e.to_string())?
                    .public_key(),
                "",
            )),
            Signer::Development => Ok((
                HeadKey::development("")
                    .map_err(|e| e.to_string())?
                    .public_key(),
                " (against the development key: give --public-key for a real trail)",
            )),
        }
    }
}

/// `audit verify`: the chain, the tree, and every head of `heads` (default: the
/// `audit-heads.jsonl` beside the trail, if there is one).
pub fn verify(file: &Path, heads: Option<&Path>, signer: &Signer) -> Result<String, String> {
    let beside = file.with_file_name("audit-heads.jsonl");
    let heads = match heads {
        Some(heads) => Some(heads.to_path_buf()),
        None => beside.exists().then_some(beside),
    };
    let (public, note) = signer.public_key()?;
    let report = engine::audit::verify_file(file, heads.as_deref().map(|h| (h, &public)))
        .map_err(|e| format!("cannot verify {}: {e}", file.display()))?;
    let mut problems = Vec::new();
    if let Some(seq) = report.first_bad {
        problems.push(format!("the chain breaks at entry {seq}"));
    }
    if let Some((level, index)) = report.bad_node {
        problems.push(format!(
            "the tree node {level}/{index} does not match the entries under it"
        ));
    }
    problems.extend(report.head_problems.iter().cloned());
    if report.bad_heads > report.head_problems.len() as u64 {
        problems.push(format!("… {} head problems in all", report.bad_heads));
    }
    let heads_text = match &heads {
        Some(h) => format!("{} signed heads in {}{note}", report.heads, h.display()),
        None => "no heads file".to_owned(),
    };
    if problems.is_empty() {
        Ok(format!(
            "audit trail intact: {} entries, chain head {}, tree root {}; {heads_text} verified",
            report.entries,
            hex::encode(report.head),
            hex::encode(report.root)
        ))
    } else {
        Err(format!(
            "audit trail NOT intact ({} entries; {heads_text}):\n  - {}",
            report.entries,
            problems.join("\n  - ")
        ))
    }
}

/// `audit keygen`: a new signing key in `out` (never over an existing file), readable by
/// its owner only; prints the public key to publish.
pub fn keygen(out: &Path) -> Result<String, String> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let text = engine::audit::heads::new_key_file_text().map_err(|e| e.to_string())?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(out)
        .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let key = HeadKey::from_file(out, "").map_err(|e| e.to_string())?;
    Ok(format!(
        "signing key written to {} (keep it from the web process's reach where you can; set KYSELY_AUDIT_KEY_FILE)\npublic key: {}",
        out.display(),
        B64.encode(key.public_key())
    ))
}

/// What `audit prove` proves.
pub enum Prove {
    /// That the trail's first `first` entries are a prefix of its first `size`.
    Consistency { first: u64, size: Option<u64> },
    /// That entry `seq` is in the trail's first `size` entries.
    Inclusion { seq: u64, size: Option<u64> },
}

/// `audit prove`: the proof as JSON (hex hashes), for anyone to check against signed heads.
pub fn prove(file: &Path, what: &Prove) -> Result<String, String> {
    let hexes = |hashes: &[[u8; 32]]| hashes.iter().map(hex::encode).collect::<Vec<_>>();
    let json = match *what {
        Prove::Consistency { first, size } => {
            let (first_root, proof) = engine::audit::consistency_file(file, first, size)
                .map_err(|e| format!("cannot prove: {e}"))?;
            serde_json::json!({
                "first": first,
                "first_root": hex::encode(first_root),
                "size": proof.size,
                "root": hex::encode(proof.root),
                "proof": hexes(&proof.hashes),
            })
        }
        Prove::Inclusion { seq, size } => {
            let (leaf, proof) = engine::audit::inclusion_file(file, seq, size)
                .map_err(|e| format!("cannot prove: {e}"))?;
            serde_json::json!({
                "entry": seq,
                "leaf_index": seq - 1,
                "leaf_hash": hex::encode(leaf),
                "size": proof.size,
                "root": hex::encode(proof.root),
                "proof": hexes(&proof.hashes),
            })
        }
    };
    serde_json::to_string_pretty(&json).map_err(|e| e.to_string())
}

/// `audit bench`: a synthetic trail of `entries` in `dir` (made, never reused), its size per
/// entry with every index, and a verification's speed.
pub fn bench(dir: &Path, entries: u64, seed: u64) -> Result<String, String> {
    std::fs::create_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join("audit.redb");
    let made = engine::audit::bench::synthetic_trail(&path, entries, seed)
        .map_err(|e| format!("cannot write the trail: {e}"))?;
    let started = std::time::Instant::now();
    let report =
        engine::audit::verify_file(&path, None).map_err(|e| format!("cannot verify: {e}"))?;
    let verify = started.elapsed().as_secs_f64();
    if !report.intact() {
        return Err(format!("the synthetic trail does not verify: {report:?}"));
    }
    let reads = engine::audit::bench::read_figures(&path, seed)
        .map_err(|e| format!("cannot read the trail: {e}"))?;
    let per = |bytes: u64| bytes as f64 / entries.max(1) as f64;
    let mut read_table =
        String::from("\n\n| read | reads | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|");
    for r in &reads {
        read_table.push_str(&format!(
            "\n| {} | {} | {:.2} | {:.2} | {:.2} |",
            r.what, r.reads, r.p50_ms, r.p99_ms, r.max_ms
        ));
    }
    Ok(format!(
        "| entries | trail B/entry | index B/entry | total B/entry | written /s | indexed /s | verified /s |\n|---:|---:|---:|---:|---:|---:|---:|\n| {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
        entries,
        per(made.trail_bytes),
        per(made.index_bytes),
        per(made.trail_bytes + made.index_bytes),
        entries as f64 / made.write_seconds,
        entries as f64 / made.index_seconds,
        entries as f64 / verify,
    ) + &read_table)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use domain::merkle;

    use engine::testing::audit_entry as entry;

    /// A trail of `n` entries whose heads the development key signed (at close).
    async fn trail(dir: &Path, n: i64) -> PathBuf {
        let path = dir.join("audit.redb");
        let log = engine::AuditLog::open(&path).unwrap();
        log.sign_heads(engine::audit::heads::HeadSigner {
            key: HeadKey::development("kysely.test/audit").unwrap(),
            file: dir.join("audit-heads.jsonl"),
            every: std::time::Duration::from_secs(60),
            clock: std::sync::Arc::new(engine::clock::SystemClock),
        })
        .unwrap();
        for i in 0..n {
            log.record_for_test(entry(i)).await.unwrap();
        }
        log.close().unwrap();
        path
    }

    #[tokio::test]
    async fn every_entrys_request_id_is_listed_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = trail(dir.path(), 300).await;
        let mut ids = Vec::new();
        let count =
            engine::audit::request_ids_file(&path, |seq, id| ids.push((seq, id.to_owned())))
                .unwrap();
        assert_eq!(count, 300);
        let want: Vec<(u64, String)> = (0..300).map(|i| (i + 1, format!("r-{i}"))).collect();
        assert_eq!(ids, want);
    }

    #[test]
    fn the_bench_prints_its_sizes_and_every_readers_latency() {
        let dir = tempfile::tempdir().unwrap();
        let out = bench(&dir.path().join("b"), 3000, 7).unwrap();
        assert!(out.starts_with("| entries |"), "{out}");
        assert!(out.contains("\n| 3000 | "), "{out}");
        for read in [
            "a person's log",
            "an organisation's log",
            "a user's log",
            "an organisation's day",
            "invoice basis",
            "usage statistics",
        ] {
            assert!(out.contains(read), "{read}: {out}");
        }
    }

    #[tokio::test]
    async fn verify_proves_and_names_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let path = trail(dir.path(), 300).await;
        let out = verify(&path, None, &Signer::Development).unwrap();
        assert!(out.starts_with("audit trail intact: 300 entries"), "{out}");
        assert!(
            out.contains(" signed heads in ") && out.contains("development key"),
            "{out}"
        );
        // Another key: the heads are not its.
        let other = B64.encode([5u8; 32]);
        let err = verify(&path, None, &Signer::PublicKey(other)).unwrap_err();
        assert!(
            err.contains("NOT intact") && err.contains("signature"),
            "{err}"
        );
        assert!(verify(&path, None, &Signer::PublicKey("short".into())).is_err());

        // A consistency proof between two sizes, and an inclusion proof, that verify.
        let proof: serde_json::Value = serde_json::from_str(
            &prove(
                &path,
                &Prove::Consistency {
                    first: 100,
                    size: None,
                },
            )
            .unwrap(),
        )
        .unwrap();
        let hash = |v: &serde_json::Value| -> merkle::Hash {
            hex::decode(v.as_str().unwrap())
                .unwrap()
                .try_into()
                .unwrap()
        };
        let hashes = |v: &serde_json::Value| -> Vec<merkle::Hash> {
            v.as_array().unwrap().iter().map(hash).collect()
        };
        assert_eq!(proof["size"], 300);
        assert!(merkle::verify_consistency(
            100,
            &hash(&proof["first_root"]),
            300,
            &hash(&proof["root"]),
            &hashes(&proof["proof"])
        ));
        let inclusion: serde_json::Value = serde_json::from_str(
            &prove(
                &path,
                &Prove::Inclusion {
                    seq: 7,
                    size: Some(200),
                },
            )
            .unwrap(),
        )
        .unwrap();
        assert!(merkle::verify_inclusion(
            &hash(&inclusion["leaf_hash"]),
            6,
            200,
            &hashes(&inclusion["proof"]),
            &hash(&inclusion["root"])
        ));
        assert!(
            prove(
                &path,
                &Prove::Inclusion {
                    seq: 301,
                    size: None
                }
            )
            .is_err()
        );
        assert!(
            prove(
                &path,
                &Prove::Consistency {
                    first: 10,
                    size: Some(301)
                }
            )
            .is_err()
        );
    }

    #[test]
    fn keygen_writes_a_private_key_once() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("audit.key");
        let said = keygen(&out).unwrap();
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let key = HeadKey::from_file(&out, "x").unwrap();
        assert!(said.ends_with(&B64.encode(key.public_key())));
        assert!(!key.is_development());
        let before = std::fs::read(&out).unwrap();
        assert!(keygen(&out).is_err(), "never over an existing key");
        assert_eq!(std::fs::read(&out).unwrap(), before);
    }
}
