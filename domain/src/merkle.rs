//! The audit trail's Merkle tree in the style of RFC 9162 (Certificate Transparency 2.0, §2.1):
//! leaf and node hashing with domain separation, the tree head of any prefix, inclusion and
//! consistency proofs and their verification, and the compact range (the frontier) a writer
//! keeps to extend the tree one leaf at a time. Pure: where the tree's nodes come from is the
//! caller's ([`Nodes`]); the verifiers take nothing but hashes, so a citizen's browser, an
//! auditor's script or `audit verify` check a proof without trusting the service.

use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// `MTH({})`: the head of the empty tree, SHA-256 of the empty string.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The hash of one leaf: `SHA-256(0x00 ‖ data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// The hash of an interior node: `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two smaller than `n` (`n ≥ 2`): where RFC 9162 splits a tree of `n`.
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// Where the nodes of a tree are read from: the head of each complete subtree.
pub trait Nodes {
    type Error;
    /// The head of the complete subtree of `2^level` leaves that starts at leaf
    /// `index · 2^level` (level 0: a leaf's hash).
    fn node(&self, level: u32, index: u64) -> Result<Hash, Self::Error>;
}

/// Why a proof could not be made.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofError<E> {
    /// The leaf or the earlier size lies outside the tree asked about.
    #[error("no such position: {0}")]
    OutOfRange(&'static str),
    /// The nodes could not be read.
    #[error(transparent)]
    Nodes(E),
}

/// `MTH(D[start:end])` for a range the RFC's recursion produces (its start a multiple of the
/// largest power of two not above its length).
pub fn subtree_hash<N: Nodes>(nodes: &N, start: u64, end: u64) -> Result<Hash, N::Error> {
    let n = end - start;
    if n == 0 {
        return Ok(empty_root());
    }
    if n.is_power_of_two() && start.is_multiple_of(n) {
        return nodes.node(n.trailing_zeros(), start / n);
    }
    let k = split(n);
    Ok(node_hash(
        &subtree_hash(nodes, start, start + k)?,
        &subtree_hash(nodes, start + k, end)?,
    ))
}

/// The head of the tree of the first `size` leaves.
pub fn root<N: Nodes>(nodes: &N, size: u64) -> Result<Hash, N::Error> {
    subtree_hash(nodes, 0, size)
}

/// `PATH(index, D[size])`: the hashes that lead from leaf `index` to the head of the tree of
/// `size` leaves, nearest first (RFC 9162 §2.1.3.1).
pub fn inclusion_proof<N: Nodes>(
    nodes: &N,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, ProofError<N::Error>> {
    if index >= size {
        return Err(ProofError::OutOfRange("the leaf is not in the tree"));
    }
    let mut out = Vec::new();
    path(nodes, index, 0, size, &mut out).map_err(ProofError::Nodes)?;
    Ok(out)
}

fn path<N: Nodes>(
    nodes: &N,
    m: u64,
    start: u64,
    end: u64,
    out: &mut Vec<Hash>,
) -> Result<(), N::Error> {
    let n = end - start;
    if n <= 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path(nodes, m, start, start + k, out)?;
        out.push(subtree_hash(nodes, start + k, end)?);
    } else {
        path(nodes, m - k, start + k, end, out)?;
        out.push(subtree_hash(nodes, start, start + k)?);
    }
    Ok(())
}

/// `PROOF(first, D[size])`: that the tree of `first` leaves is a prefix of the tree of `size`
/// (RFC 9162 §2.1.4.1). Empty when `first` is 0 or equals `size`.
pub fn consistency_proof<N: Nodes>(
    nodes: &N,
    first: u64,
    size: u64,
) -> Result<Vec<Hash>, ProofError<N::Error>> {
    if first > size {
        return Err(ProofError::OutOfRange("the earlier tree is larger"));
    }
    let mut out = Vec::new();
    // The proof of a tree to itself is empty (the recursion ends at once).
    if first > 0 {
        subproof(nodes, first, 0, size, true, &mut out).map_err(ProofError::Nodes)?;
    }
    Ok(out)
}

fn subproof<N: Nodes>(
    nodes: &N,
    m: u64,
    start: u64,
    end: u64,
    complete: bool,
    out: &mut Vec<Hash>,
) -> Result<(), N::Error> {
    let n = end - start;
    if m == n {
        if !complete {
            out.push(subtree_hash(nodes, start, end)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(nodes, m, start, start + k, complete, out)?;
        out.push(subtree_hash(nodes, start + k, end)?);
    } else {
        subproof(nodes, m - k, start + k, end, false, out)?;
        out.push(subtree_hash(nodes, start, start + k)?);
    }
    Ok(())
}

/// Whether `proof` shows the leaf hashed `leaf` at `index` in the tree of `size` leaves whose
/// head is `root` (RFC 9162 §2.1.3.2). Any malformed input is a plain `false`.
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f_n, mut s_n) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && r == *root
}

/// Whether `proof` shows that the tree of `first` leaves with head `first_root` is a prefix of
/// the tree of `size` leaves with head `root` (RFC 9162 §2.1.4.2). Any malformed input is a
/// plain `false`.
pub fn verify_consistency(
    first: u64,
    first_root: &Hash,
    size: u64,
    root: &Hash,
    proof: &[Hash],
) -> bool {
    if first > size {
        return false;
    }
    if first == size {
        return proof.is_empty() && first_root == root;
    }
    if first == 0 {
        return proof.is_empty() && *first_root == empty_root();
    }
    // The earlier tree a complete subtree of the later one: its head is the proof's start.
    let mut path = proof.iter();
    let start = if first.is_power_of_two() {
        *first_root
    } else {
        match path.next() {
            Some(h) => *h,
            None => return false,
        }
    };
    let (mut f_n, mut s_n) = (first - 1, size - 1);
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let (mut fr, mut sr) = (start, start);
    for c in path {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    fr == *first_root && sr == *root && s_n == 0
}

/// The compact range of a growing tree: the heads of the complete subtrees its leaves fall
/// into, largest first (at most 64). Enough to append a leaf and to give the tree's head; the
/// nodes an append completes are returned for the caller to keep.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    /// `(level, hash)` of each complete subtree, levels strictly falling.
    peaks: Vec<(u32, Hash)>,
}

/// A node an append completed: the head of the subtree of `2^level` leaves numbered `index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completed {
    pub level: u32,
    pub index: u64,
    pub hash: Hash,
}

impl Frontier {
    /// The frontier of a tree of `size` leaves read from its nodes.
    pub fn of<N: Nodes>(nodes: &N, size: u64) -> Result<Frontier, N::Error> {
        let mut peaks = Vec::new();
        let mut start = 0u64;
        for level in (0..64u32).rev() {
            let width = 1u64 << level;
            if size & width != 0 {
                peaks.push((level, nodes.node(level, start / width)?));
                start += width;
            }
        }
        Ok(Frontier { size, peaks })
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf by its hash; calls `completed` with every node this completes, the leaf
    /// itself (level 0) first.
    pub fn push(&mut self, leaf: Hash, mut completed: impl FnMut(Completed)) {
        let mut node = Completed {
            level: 0,
            index: self.size,
            hash: leaf,
        };
        completed(node);
        while let Some(&(level, left)) = self.peaks.last() {
            if level != node.level {
                break;
            }
            self.peaks.pop();
            node = Completed {
                level: level + 1,
                index: node.index >> 1,
                hash: node_hash(&left, &node.hash),
            };
            completed(node);
        }
        self.peaks.push((node.level, node.hash));
        self.size += 1;
    }

    /// The head of the tree: its peaks folded from the smallest.
    pub fn root(&self) -> Hash {
        let mut peaks = self.peaks.iter().rev();
        let Some(&(_, mut acc)) = peaks.next() else {
            return empty_root();
        };
        for (_, left) in peaks {
            acc = node_hash(left, &acc);
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn hash(s: &str) -> Hash {
        unhex(s).try_into().unwrap()
    }

    /// RFC 6962's test leaves (as in the CT reference implementations' test data).
    fn ct_leaves() -> Vec<Hash> {
        [
            "",
            "00",
            "10",
            "2021",
            "3031",
            "40414243",
            "5051525354555657",
            "606162636465666768696a6b6c6d6e6f",
        ]
        .iter()
        .map(|d| leaf_hash(&unhex(d)))
        .collect()
    }

    const CT_ROOTS: [&str; 9] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    /// A tree held as its leaf hashes; every interior node computed by the RFC's recursion
    /// over them, independently of the frontier.
    struct Leaves(Vec<Hash>);

    fn mth(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(),
            1 => leaves[0],
            n => {
                let mut k = 1;
                while k * 2 < n {
                    k *= 2;
                }
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    impl Nodes for Leaves {
        type Error = &'static str;
        fn node(&self, level: u32, index: u64) -> Result<Hash, &'static str> {
            let width = 1usize << level;
            let start = usize::try_from(index).unwrap() * width;
            self.0
                .get(start..start + width)
                .map(mth)
                .ok_or("beyond the tree")
        }
    }

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(format!("entry {i}").as_bytes()))
            .collect()
    }

    #[test]
    fn the_heads_of_the_rfc_test_leaves() {
        let tree = Leaves(ct_leaves());
        for (n, want) in CT_ROOTS.iter().enumerate() {
            assert_eq!(root(&tree, n as u64).unwrap(), hash(want), "size {n}");
        }
        assert_eq!(empty_root(), hash(CT_ROOTS[0]));
        assert_eq!(leaf_hash(&[]), hash(CT_ROOTS[1]));
    }

    #[test]
    fn the_rfc_inclusion_and_consistency_vectors() {
        let tree = Leaves(ct_leaves());
        let inclusion: [(u64, u64, &[&str]); 4] = [
            (0, 1, &[]),
            (
                0,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                5,
                8,
                &[
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                3,
                &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
            ),
        ];
        for (index, size, want) in inclusion {
            let proof = inclusion_proof(&tree, index, size).unwrap();
            assert_eq!(proof, want.iter().map(|h| hash(h)).collect::<Vec<_>>());
            let leaf = tree.0[index as usize];
            assert!(verify_inclusion(
                &leaf,
                index,
                size,
                &proof,
                &hash(CT_ROOTS[size as usize])
            ));
        }
        let consistency: [(u64, u64, &[&str]); 4] = [
            (1, 1, &[]),
            (
                1,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                6,
                8,
                &[
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                5,
                &[
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (first, size, want) in consistency {
            let proof = consistency_proof(&tree, first, size).unwrap();
            assert_eq!(proof, want.iter().map(|h| hash(h)).collect::<Vec<_>>());
            assert!(verify_consistency(
                first,
                &hash(CT_ROOTS[first as usize]),
                size,
                &hash(CT_ROOTS[size as usize]),
                &proof
            ));
        }
    }

    #[test]
    fn the_frontier_gives_every_head_and_completes_each_node_once() {
        let all = leaves(300);
        let mut frontier = Frontier::default();
        let mut seen = std::collections::BTreeSet::new();
        for (i, leaf) in all.iter().enumerate() {
            frontier.push(*leaf, |c| {
                assert!(seen.insert((c.level, c.index)), "{c:?} twice");
                let width = 1usize << c.level;
                let start = c.index as usize * width;
                assert_eq!(c.hash, mth(&all[start..start + width]));
            });
            assert_eq!(frontier.root(), mth(&all[..=i]), "size {}", i + 1);
            assert_eq!(frontier.size(), i as u64 + 1);
            // The frontier read back from the nodes is the one grown leaf by leaf.
            assert_eq!(
                Frontier::of(&Leaves(all.clone()), i as u64 + 1).unwrap(),
                frontier
            );
        }
        // 300 leaves: 300 + 150 + 75 + 37 + 18 + 9 + 4 + 2 + 1 complete nodes.
        assert_eq!(seen.len(), 596);
        assert_eq!(Frontier::default().root(), empty_root());
    }

    #[test]
    fn every_proof_in_every_small_tree_verifies_and_no_lie_does() {
        let all = leaves(40);
        let tree = Leaves(all.clone());
        for size in 1..=40u64 {
            let head = mth(&all[..size as usize]);
            for index in 0..size {
                let proof = inclusion_proof(&tree, index, size).unwrap();
                let leaf = all[index as usize];
                assert!(verify_inclusion(&leaf, index, size, &proof, &head));
                // Another leaf, another position, a wrong head, a proof cut or lengthened,
                // one bit of a proof hash flipped: each refused.
                let other = all[((index + 1) % size) as usize];
                if size > 1 {
                    assert!(!verify_inclusion(&other, index, size, &proof, &head));
                    assert!(!verify_inclusion(
                        &leaf,
                        (index + 1) % size,
                        size,
                        &proof,
                        &head
                    ));
                }
                assert!(!verify_inclusion(&leaf, index, size, &proof, &empty_root()));
                assert!(!verify_inclusion(&leaf, size, size, &proof, &head));
                if let Some((_, cut)) = proof.split_last() {
                    assert!(!verify_inclusion(&leaf, index, size, cut, &head));
                }
                let mut longer = proof.clone();
                longer.push(head);
                assert!(!verify_inclusion(&leaf, index, size, &longer, &head));
                for i in 0..proof.len() {
                    let mut bent = proof.clone();
                    bent[i][i % 32] ^= 1;
                    assert!(!verify_inclusion(&leaf, index, size, &bent, &head));
                }
            }
            for first in 0..=size {
                let first_head = mth(&all[..first as usize]);
                let proof = consistency_proof(&tree, first, size).unwrap();
                assert!(
                    verify_consistency(first, &first_head, size, &head, &proof),
                    "{first} → {size}"
                );
                if first > 0 && first < size {
                    // A rewritten earlier tree, a wrong later head, a bent proof.
                    let forged = mth(&leaves(first as usize + 1)[1..]);
                    assert!(!verify_consistency(first, &forged, size, &head, &proof));
                    assert!(!verify_consistency(
                        first,
                        &first_head,
                        size,
                        &first_head,
                        &proof
                    ));
                    for i in 0..proof.len() {
                        let mut bent = proof.clone();
                        bent[i][0] ^= 0x80;
                        assert!(!verify_consistency(first, &first_head, size, &head, &bent));
                    }
                    let mut longer = proof.clone();
                    longer.push(head);
                    assert!(!verify_consistency(
                        first,
                        &first_head,
                        size,
                        &head,
                        &longer
                    ));
                }
            }
            // A shrinking log proves nothing.
            assert!(!verify_consistency(size, &head, size - 1, &head, &[]));
            assert!(matches!(
                consistency_proof(&tree, size, size - 1),
                Err(ProofError::OutOfRange(_))
            ));
            assert!(matches!(
                inclusion_proof(&tree, size, size),
                Err(ProofError::OutOfRange(_))
            ));
        }
        // Equal sizes: the heads alike and no proof.
        let head = mth(&all[..7]);
        assert!(verify_consistency(7, &head, 7, &head, &[]));
        assert!(!verify_consistency(7, &head, 7, &head, &[head]));
        assert!(!verify_consistency(7, &all[0], 7, &head, &[]));
        // The empty prefix only when it was empty.
        assert!(verify_consistency(
            0,
            &empty_root(),
            5,
            &mth(&all[..5]),
            &[]
        ));
        assert!(!verify_consistency(0, &all[0], 5, &mth(&all[..5]), &[]));
    }
}
