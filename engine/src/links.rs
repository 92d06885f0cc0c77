//! Opaque subject links: the only form in which a register subject's id leaves the engine.
//! A [`SubjectRef`] is sealed with a key kept in the register file (made from the operating
//! system's randomness when the register is created, never derived from the generator's
//! public seed) into a token the browser uses in URLs and link cells.
//!
//! The construction is a deterministic authenticated encryption in the SIV style, over
//! HMAC-SHA-256: the tag is a MAC of the padded plaintext, the plaintext is encrypted with a
//! keystream derived from the tag. The same subject always gives the same token (bookmarks
//! and history work, across sessions and restarts); a token reveals nothing of the id behind
//! it (no person id, no PRT number, no order); and a token not made with the key, or changed
//! in any bit, opens nothing: the caller treats it exactly like a subject that does not exist.

use crate::error::EngineError;
use crate::store::META;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::{SubjectKind, SubjectLink, SubjectRef};
use hmac::{Hmac, Mac};
use rand::RngCore;
use redb::{Database, ReadableDatabase};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The entry of the register's meta table that holds the key, hex-encoded.
pub(crate) const KEY_ENTRY: &str = "link_key";
/// SHA-256's block size.
const KEY_LEN: usize = 64;
const TAG_LEN: usize = 16;
/// One byte of kind and the id segment padded with zeros: every token has the same length.
const PLAIN_LEN: usize = 25;
const TAG_DOMAIN: &[u8] = b"kysely.link.tag.v1";
const STREAM_DOMAIN: &[u8] = b"kysely.link.stream.v1";

/// The key that seals and opens subject links.
#[derive(Clone)]
pub struct Links {
    key: [u8; KEY_LEN],
    /// HMAC keyed with `key`, cloned for each use (saves hashing the key every time).
    keyed: HmacSha256,
}

impl std::fmt::Debug for Links {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Links(..)")
    }
}

fn kind_byte(kind: SubjectKind) -> u8 {
    match kind {
        SubjectKind::Person => 1,
        SubjectKind::Building => 2,
        SubjectKind::Dwelling => 3,
        SubjectKind::Property => 4,
    }
}

impl Links {
    /// A key from the operating system's randomness, for a new register.
    pub fn fresh() -> Links {
        let mut key = [0u8; KEY_LEN];
        rand::rng().fill_bytes(&mut key);
        Links::from_key(key)
    }

    /// Links sealed with `key`.
    pub fn from_key(key: [u8; KEY_LEN]) -> Links {
        // A key of SHA-256's block size is used by HMAC as it is.
        let keyed = <HmacSha256 as hmac::digest::KeyInit>::new(
            hmac::digest::generic_array::GenericArray::from_slice(&key),
        );
        Links { key, keyed }
    }

    /// The key as the register's meta table keeps it.
    pub(crate) fn to_hex(&self) -> String {
        self.key.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn from_hex(hex: &str) -> Option<Links> {
        if hex.len() != 2 * KEY_LEN {
            return None;
        }
        let mut key = [0u8; KEY_LEN];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Links::from_key(key))
    }

    /// The register's key; a register made before links were sealed gets one now (links
    /// handed out earlier were register ids and stop working, which is the point).
    pub(crate) fn load_or_create(db: &Database) -> Result<Links, EngineError> {
        if let Some(links) = Links::stored(db)? {
            return Ok(links);
        }
        let links = Links::fresh();
        let txn = db.begin_write()?;
        {
            let mut meta = txn.open_table(META)?;
            meta.insert(KEY_ENTRY, links.to_hex().as_str())?;
        }
        txn.commit()?;
        Ok(links)
    }

    /// The key stored in the register, if any.
    pub(crate) fn stored(db: &Database) -> Result<Option<Links>, EngineError> {
        let txn = db.begin_read()?;
        let Some(table) = crate::store::open_or_empty(&txn, META)? else {
            return Ok(None);
        };
        match table.get(KEY_ENTRY)? {
            Some(hex) => {
                Links::from_hex(hex.value())
                    .map(Some)
                    .ok_or_else(|| EngineError::Corrupt {
                        table: "meta.v1",
                        detail: "the link key is not 128 hex digits".into(),
                    })
            }
            None => Ok(None),
        }
    }

    fn mac(&self) -> HmacSha256 {
        self.keyed.clone()
    }

    fn tag(&self, plain: &[u8; PLAIN_LEN]) -> HmacSha256 {
        let mut mac = self.mac();
        mac.update(TAG_DOMAIN);
        mac.update(plain);
        mac
    }

    fn keystream(&self, tag: &[u8]) -> [u8; PLAIN_LEN] {
        let mut mac = self.mac();
        mac.update(STREAM_DOMAIN);
        mac.update(tag);
        let bytes = mac.finalize().into_bytes();
        let mut out = [0u8; PLAIN_LEN];
        out.copy_from_slice(&bytes[..PLAIN_LEN]);
        out
    }

    /// The link the browser gets for `subject`.
    pub fn seal(&self, subject: SubjectRef) -> Result<SubjectLink, EngineError> {
        let segment = subject.id_segment();
        let id = segment.as_bytes();
        if id.len() >= PLAIN_LEN {
            return Err(EngineError::Catalogue(format!(
                "subject id {segment} is too long for a link"
            )));
        }
        let mut plain = [0u8; PLAIN_LEN];
        plain[0] = kind_byte(subject.kind());
        plain[1..=id.len()].copy_from_slice(id);
        let tag = self.tag(&plain).finalize().into_bytes();
        let tag = &tag[..TAG_LEN];
        let stream = self.keystream(tag);
        let mut sealed = Vec::with_capacity(TAG_LEN + PLAIN_LEN);
        sealed.extend_from_slice(tag);
        sealed.extend(plain.iter().zip(stream).map(|(p, s)| p ^ s));
        SubjectLink::new(subject.kind(), URL_SAFE_NO_PAD.encode(sealed))
            .ok_or_else(|| EngineError::Catalogue("a sealed link has the wrong shape".into()))
    }

    /// The subject behind a link, or `None` for a token this key did not make for this kind
    /// of subject: to the caller, a subject that does not exist.
    pub fn open(&self, link: &SubjectLink) -> Option<SubjectRef> {
        let sealed = URL_SAFE_NO_PAD.decode(link.token()).ok()?;
        if sealed.len() != TAG_LEN + PLAIN_LEN {
            return None;
        }
        let (tag, body) = sealed.split_at(TAG_LEN);
        let stream = self.keystream(tag);
        let mut plain = [0u8; PLAIN_LEN];
        for (out, (c, s)) in plain.iter_mut().zip(body.iter().zip(stream)) {
            *out = c ^ s;
        }
        // Constant-time comparison of the truncated tag.
        self.tag(&plain).verify_truncated_left(tag).ok()?;
        if plain[0] != kind_byte(link.kind()) {
            return None;
        }
        let end = plain[1..]
            .iter()
            .position(|b| *b == 0)
            .map_or(PLAIN_LEN, |i| i + 1);
        let segment = std::str::from_utf8(&plain[1..end]).ok()?;
        SubjectRef::from_segments(link.kind().slug(), segment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{DwellingRef, PersonId};

    fn subjects() -> Result<Vec<SubjectRef>, Box<dyn std::error::Error>> {
        Ok(vec![
            SubjectRef::Person(PersonId(0x00ab_cdef_0123_4567)),
            SubjectRef::Person(PersonId(u64::MAX)),
            SubjectRef::Building("100012345N".parse()?),
            SubjectRef::Dwelling(DwellingRef {
                building: "100012345N".parse()?,
                dwelling: Some("B 12a".parse()?),
            }),
            SubjectRef::Dwelling(DwellingRef {
                building: "100012345N".parse()?,
                dwelling: None,
            }),
            SubjectRef::Property("91-401-1-2-M601".parse()?),
        ])
    }

    #[test]
    fn a_sealed_link_opens_to_its_subject_and_shows_no_id() -> Result<(), Box<dyn std::error::Error>>
    {
        let links = Links::from_key([7; KEY_LEN]);
        for subject in subjects()? {
            let link = links.seal(subject)?;
            assert_eq!(link.kind(), subject.kind());
            assert_eq!(links.open(&link), Some(subject));
            assert_eq!(
                links.seal(subject)?,
                link,
                "the same subject, the same link"
            );
            assert!(
                !link.token().contains(&subject.id_segment()),
                "{} shows its id",
                link.token()
            );
        }
        Ok(())
    }

    #[test]
    fn another_key_or_kind_opens_nothing() -> Result<(), Box<dyn std::error::Error>> {
        let links = Links::from_key([7; KEY_LEN]);
        let other = Links::from_key([8; KEY_LEN]);
        for subject in subjects()? {
            let link = links.seal(subject)?;
            assert_eq!(other.open(&link), None);
            assert_ne!(other.seal(subject)?, link);
            for kind in SubjectKind::ALL
                .into_iter()
                .filter(|k| *k != subject.kind())
            {
                let moved = SubjectLink::new(kind, link.token()).ok_or("shape")?;
                assert_eq!(links.open(&moved), None, "{kind:?}");
            }
        }
        Ok(())
    }

    #[test]
    fn every_changed_character_opens_nothing() -> Result<(), Box<dyn std::error::Error>> {
        let links = Links::from_key([7; KEY_LEN]);
        let link = links.seal(SubjectRef::Person(PersonId(42)))?;
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for i in 0..link.token().len() {
            for c in alphabet.chars() {
                let mut token: Vec<char> = link.token().chars().collect();
                if token[i] == c {
                    continue;
                }
                token[i] = c;
                let token: String = token.into_iter().collect();
                let tampered = SubjectLink::new(link.kind(), token.clone()).ok_or("shape")?;
                assert_eq!(links.open(&tampered), None, "{token}");
            }
        }
        Ok(())
    }

    #[test]
    fn neighbouring_ids_give_unrelated_links() -> Result<(), Box<dyn std::error::Error>> {
        let links = Links::from_key([7; KEY_LEN]);
        let a = links.seal(SubjectRef::Person(PersonId(1000)))?;
        let b = links.seal(SubjectRef::Person(PersonId(1001)))?;
        let shared = a
            .token()
            .bytes()
            .zip(b.token().bytes())
            .filter(|(x, y)| x == y)
            .count();
        // Independent tokens agree in about one character in 64.
        assert!(shared < 8, "{} and {} share {shared}", a.token(), b.token());
        Ok(())
    }

    #[test]
    fn the_key_never_shows_in_logs() {
        let links = Links::from_key([0xa5; KEY_LEN]);
        let shown = format!("{links:?}");
        assert_eq!(shown, "Links(..)");
        assert!(!shown.contains("a5") && !shown.contains("165"));
    }

    #[test]
    fn the_key_round_trips_through_its_stored_form() {
        let links = Links::from_key([0xa5; KEY_LEN]);
        assert_eq!(
            Links::from_hex(&links.to_hex()).map(|l| l.key),
            Some([0xa5; KEY_LEN])
        );
        assert!(Links::from_hex("zz").is_none());
        assert!(Links::from_hex(&"g".repeat(2 * KEY_LEN)).is_none());
        assert!(Links::from_hex(&"a".repeat(64)).is_none());
    }
}
