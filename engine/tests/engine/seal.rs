//! The gate's seal, kept by the source itself: only the gate holds the register's database,
//! so only it makes the snapshots register data is read through and the seal the audit trail
//! is appended with. The types enforce it (a register table takes a `Snapshot`, the trail's
//! `append` a `Seal`; see the `Seal` doctests); this test keeps anyone from handing the
//! database, a snapshot or a seal to a service module later.

// The workspace's source reader, shared with the domain's shape tests; only its walk is used here.
#[allow(dead_code)]
#[path = "../../../domain/tests/source/mod.rs"]
mod source;

use source::sources;
use std::path::Path;

/// The modules that may hold a database handle or make a snapshot or a seal: the gate, the
/// store that defines them, the generator and the operator tools that open a register file of
/// their own, the link key (read from the register at start-up), and the two stores of their
/// own (the audit trail, the sessions).
const ALLOWED: &[&str] = &[
    "gate.rs",
    "gate/",
    "store.rs",
    "population/",
    "population.rs",
    "bench.rs",
    "links.rs",
    "audit.rs",
    // The trail's own parts: its tree, its signed heads, its benchmark.
    "audit/",
    "sessions.rs",
    "testing.rs",
];

/// What only those modules may name.
const SEALED: &[&str] = &[
    "Database",
    "OperatorSnapshot",
    "Generating",
    "Seal(",
    "begin_read",
    "begin_write",
    "GrantedTxn {",
];

/// Whether `code` names `word` (a whole identifier: `Database`, not `DatabaseError`).
fn names(code: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        let glued_before = before.is_some_and(ident);
        let glued_after = word.ends_with(ident) && after.is_some_and(ident);
        !(glued_before || glued_after)
    })
}

#[test]
fn no_module_but_the_gate_and_the_stores_holds_the_database_a_snapshot_or_a_seal()
-> crate::fixture::TestResult {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files)?;
    assert!(files.len() > 20, "found the sources: {}", files.len());
    let mut found = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(&root)?
            .to_string_lossy()
            .replace('\\', "/");
        if ALLOWED.iter().any(|a| rel == *a || rel.starts_with(a)) {
            continue;
        }
        let text = std::fs::read_to_string(file)?;
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for word in SEALED {
                if names(code, word) {
                    found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "outside the gate:\n{}", found.join("\n"));
    Ok(())
}

/// The test above can fail: the service modules it walks are there, and a line that names the
/// database is caught.
#[test]
fn the_seal_walk_sees_the_service_modules() -> crate::fixture::TestResult {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files)?;
    for service in [
        "registry.rs",
        "eservice.rs",
        "contact.rs",
        "library.rs",
        "fees.rs",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(service)),
            "{service} is walked"
        );
    }
    let line = "    let db: &redb::Database = self.register();";
    assert!(SEALED.iter().any(|w| names(line, w)));
    assert!(!SEALED.iter().any(|w| names("redb::DatabaseError,", w)));
    Ok(())
}
