//! The Merkle tree over the trail's entries (RFC 9162 style, `domain::merkle`): leaf `n` is
//! the canonical bytes of entry `n + 1`, in the trail's (and in the cluster mode the
//! journal's) order, so every node's tree is the same. The heads of complete subtrees of 256
//! leaves and more ("tiles") are kept in the trail's file (`audit_tree.v1`), written in the
//! commit that completes them: about 0.25 B per entry. Smaller subtrees are hashed from the
//! entries when a head or a proof needs them (at most 255 leaves for each). A trail written
//! before the tree gets its tree when it is opened.

use super::{ENTRIES, split_stored};
use crate::EngineError;
use domain::merkle::{self, Frontier, Hash, Nodes};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

/// The heads of complete subtrees at [`TILE_LEVEL`] and above, by (level, index).
pub(super) const TREE: TableDefinition<(u8, u64), [u8; 32]> = TableDefinition::new("audit_tree.v1");
/// How many leaves the stored nodes cover ("leaves"): the trail's length after every commit.
pub(super) const TREE_LEAVES: TableDefinition<&str, u64> =
    TableDefinition::new("audit_tree_leaves.v1");
/// Subtrees of `2^TILE_LEVEL` leaves and more are stored.
pub(super) const TILE_LEVEL: u32 = 8;

/// The trail's head: the last entry's number and chain hash, and the tree's frontier.
#[derive(Clone, Debug, Default)]
pub(super) struct Head {
    pub(super) seq: u64,
    pub(super) hash: [u8; 32],
    pub(super) frontier: Frontier,
}

/// The tree's nodes in one read of the trail: stored tiles, the rest hashed from entries.
pub(super) struct TrailNodes<'t, E, T> {
    pub(super) entries: &'t E,
    pub(super) tree: &'t T,
}

fn missing(detail: String) -> EngineError {
    EngineError::Corrupt {
        table: "audit_tree.v1",
        detail,
    }
}

/// The leaf hash of one stored entry.
pub(super) fn leaf_of(stored: &[u8]) -> Result<Hash, EngineError> {
    match split_stored(stored) {
        Some((_, canonical)) => Ok(merkle::leaf_hash(canonical)),
        None => Err(EngineError::Corrupt {
            table: "audit_entry.v1",
            detail: "an entry is not of the stored form".into(),
        }),
    }
}

impl<E, T> Nodes for TrailNodes<'_, E, T>
where
    E: ReadableTable<u64, &'static [u8]>,
    T: ReadableTable<(u8, u64), [u8; 32]>,
{
    type Error = EngineError;

    fn node(&self, level: u32, index: u64) -> Result<Hash, EngineError> {
        if level >= TILE_LEVEL {
            let key = (u8::try_from(level).unwrap_or(u8::MAX), index);
            return match self.tree.get(key)? {
                Some(v) => Ok(v.value()),
                None => Err(missing(format!("no node {level}/{index}"))),
            };
        }
        let width = 1u64 << level;
        let first = index * width + 1;
        let mut hashes = Vec::with_capacity(1 << level);
        for item in self.entries.range(first..first + width)? {
            let (seq, bytes) = item?;
            if seq.value() != first + hashes.len() as u64 {
                return Err(missing(format!(
                    "entry {} is missing",
                    first + hashes.len() as u64
                )));
            }
            hashes.push(leaf_of(bytes.value())?);
        }
        if hashes.len() as u64 != width {
            return Err(missing(format!(
                "leaves {first}… of node {level}/{index} are missing"
            )));
        }
        while hashes.len() > 1 {
            hashes = hashes
                .chunks_exact(2)
                .map(|pair| merkle::node_hash(&pair[0], &pair[1]))
                .collect();
        }
        Ok(hashes[0])
    }
}

/// Stores the nodes an append completed that are tiles or above.
pub(super) fn keep(
    tree: &mut redb::Table<'_, (u8, u64), [u8; 32]>,
    completed: &[merkle::Completed],
) -> Result<(), EngineError> {
    for c in completed {
        if c.level >= TILE_LEVEL {
            tree.insert((u8::try_from(c.level).unwrap_or(u8::MAX), c.index), c.hash)?;
        }
    }
    Ok(())
}

/// The trail's head as it opens: its last entry and the tree's frontier, the tree first built
/// (or completed) from the entries when the stored nodes do not cover them all.
pub(super) fn open_head(db: &Database) -> Result<Head, EngineError> {
    let (seq, hash) = super::last_record(db)?;
    {
        let txn = db.begin_read()?;
        let leaves = txn
            .open_table(TREE_LEAVES)?
            .get("leaves")?
            .map_or(0, |v| v.value());
        if leaves == seq {
            let entries = txn.open_table(ENTRIES)?;
            let tree = txn.open_table(TREE)?;
            let frontier = Frontier::of(
                &TrailNodes {
                    entries: &entries,
                    tree: &tree,
                },
                seq,
            )?;
            return Ok(Head {
                seq,
                hash,
                frontier,
            });
        }
    }
    let frontier = build(db)?;
    tracing::info!(entries = seq, "the audit trail's Merkle tree was built");
    Ok(Head {
        seq,
        hash,
        frontier,
    })
}

/// Builds the tree over every entry (a trail from before the tree), in one commit.
fn build(db: &Database) -> Result<Frontier, EngineError> {
    let mut txn = db.begin_write()?;
    txn.set_two_phase_commit(true);
    let mut frontier = Frontier::default();
    {
        let entries = txn.open_table(ENTRIES)?;
        let mut tree = txn.open_table(TREE)?;
        let mut completed = Vec::new();
        for item in entries.iter()? {
            let (seq, bytes) = item?;
            if seq.value() != frontier.size() + 1 {
                return Err(missing(format!(
                    "entry {} is missing: the tree cannot be built",
                    frontier.size() + 1
                )));
            }
            completed.clear();
            frontier.push(leaf_of(bytes.value())?, |c| completed.push(c));
            keep(&mut tree, &completed)?;
        }
        txn.open_table(TREE_LEAVES)?
            .insert("leaves", frontier.size())?;
    }
    txn.commit()?;
    Ok(frontier)
}

/// The tree's size and head in one snapshot of the trail.
pub(super) fn tree_head(db: &Database) -> Result<(u64, Hash), EngineError> {
    let txn = db.begin_read()?;
    let entries = txn.open_table(ENTRIES)?;
    let tree = txn.open_table(TREE)?;
    let size = entries.last()?.map_or(0, |(k, _)| k.value());
    let nodes = TrailNodes {
        entries: &entries,
        tree: &tree,
    };
    Ok((size, merkle::root(&nodes, size)?))
}

/// What a proof is made of: the tree at `size` with its head, and the hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    pub size: u64,
    pub root: Hash,
    pub hashes: Vec<Hash>,
}

fn proof_error(e: merkle::ProofError<EngineError>) -> EngineError {
    match e {
        merkle::ProofError::OutOfRange(why) => EngineError::Invalid(why.into()),
        merkle::ProofError::Nodes(e) => e,
    }
}

/// Runs `f` on the tree's nodes in one snapshot of a trail that holds at least `size`
/// entries.
fn with_nodes<T>(
    db: &Database,
    size: u64,
    f: impl FnOnce(
        &dyn Fn(u64) -> Result<Hash, EngineError>,
        &TrailNodes<
            '_,
            redb::ReadOnlyTable<u64, &'static [u8]>,
            redb::ReadOnlyTable<(u8, u64), [u8; 32]>,
        >,
    ) -> Result<T, EngineError>,
) -> Result<T, EngineError> {
    let txn = db.begin_read()?;
    let entries = txn.open_table(ENTRIES)?;
    let tree = txn.open_table(TREE)?;
    check_size(&entries, size)?;
    let nodes = TrailNodes {
        entries: &entries,
        tree: &tree,
    };
    f(&|size| merkle::root(&nodes, size), &nodes)
}

/// Entry `seq`'s inclusion in the tree of the first `size` entries.
pub(super) fn inclusion(db: &Database, seq: u64, size: u64) -> Result<Proof, EngineError> {
    let index = seq
        .checked_sub(1)
        .ok_or_else(|| EngineError::Invalid("entries are numbered from 1".into()))?;
    with_nodes(db, size, |root, nodes| {
        Ok(Proof {
            size,
            root: root(size)?,
            hashes: merkle::inclusion_proof(nodes, index, size).map_err(proof_error)?,
        })
    })
}

/// That the tree of the first `first` entries is a prefix of the tree of `size`: the proof,
/// with the later head (the earlier one is `root` of the tree at `first`).
pub(super) fn consistency(
    db: &Database,
    first: u64,
    size: u64,
) -> Result<(Hash, Proof), EngineError> {
    with_nodes(db, size, |root, nodes| {
        let hashes = merkle::consistency_proof(nodes, first, size).map_err(proof_error)?;
        Ok((
            root(first)?,
            Proof {
                size,
                root: root(size)?,
                hashes,
            },
        ))
    })
}

fn check_size(
    entries: &impl ReadableTable<u64, &'static [u8]>,
    size: u64,
) -> Result<(), EngineError> {
    let last = entries.last()?.map_or(0, |(k, _)| k.value());
    if size > last {
        return Err(EngineError::Invalid(format!(
            "the trail holds {last} entries, not {size}"
        )));
    }
    Ok(())
}

/// The head of the tree of the first `size` entries, if the trail holds that many.
pub(super) fn root_at(db: &Database, size: u64) -> Result<Option<Hash>, EngineError> {
    match with_nodes(db, size, |root, _| root(size)) {
        Ok(root) => Ok(Some(root)),
        Err(EngineError::Invalid(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
