//! What crosses the wire to the browser for one screen: the subject it is about and rows of
//! typed cells in the column order of the screen's catalogue entry. Redaction happens before a
//! `ScreenData` is handed out, so a withheld value is a `Cell::Withheld`, never hidden text.

use crate::building_id::BuildingId;
use crate::catalogue::ScreenId;
use crate::date::Date;
use crate::lang::Texts;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kinds of register subject a screen can be about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubjectKind {
    Person,
    Building,
}

impl SubjectKind {
    pub fn slug(self) -> &'static str {
        match self {
            SubjectKind::Person => "person",
            SubjectKind::Building => "building",
        }
    }

    pub fn from_slug(slug: &str) -> Option<SubjectKind> {
        match slug {
            "person" => Some(SubjectKind::Person),
            "building" => Some(SubjectKind::Building),
            _ => None,
        }
    }
}

/// A person's opaque internal id. Not derived from the identity code and not sequential, so
/// links carry no personal data and cannot be walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PersonId(pub u64);

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl FromStr for PersonId {
    type Err = ();
    fn from_str(s: &str) -> Result<PersonId, ()> {
        if s.len() != 16 {
            return Err(());
        }
        u64::from_str_radix(s, 16).map(PersonId).map_err(|_| ())
    }
}

/// One register subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubjectRef {
    Person(PersonId),
    Building(BuildingId),
}

impl SubjectRef {
    pub fn kind(&self) -> SubjectKind {
        match self {
            SubjectRef::Person(_) => SubjectKind::Person,
            SubjectRef::Building(_) => SubjectKind::Building,
        }
    }

    /// The id as written in a URL path segment.
    pub fn id_segment(&self) -> String {
        match self {
            SubjectRef::Person(id) => id.to_string(),
            SubjectRef::Building(id) => id.to_string(),
        }
    }

    pub fn from_segments(kind: &str, id: &str) -> Option<SubjectRef> {
        match SubjectKind::from_slug(kind)? {
            SubjectKind::Person => id.parse().ok().map(SubjectRef::Person),
            SubjectKind::Building => id.parse().ok().map(SubjectRef::Building),
        }
    }

    /// The path of one of this subject's screens, e.g. `/person/00ab…/basic`.
    pub fn screen_path(&self, screen: ScreenId) -> String {
        format!(
            "/{}/{}/{}",
            self.kind().slug(),
            self.id_segment(),
            screen.spec().short_slug()
        )
    }

    /// A stable key for audit indexes.
    pub fn audit_key(&self) -> String {
        format!("{}:{}", self.kind().slug(), self.id_segment())
    }
}

/// A coded value with its texts, e.g. mother tongue `fi` / suomi / finska / Finnish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeValue {
    pub code: String,
    pub text: Texts,
}

/// One value on a screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    /// The register holds nothing here ("no data", which is not "no").
    Empty,
    Text(String),
    Date(Date),
    Code(CodeValue),
    Number(i64),
    Flag(bool),
    /// A link to another subject's screen.
    Link {
        target: SubjectRef,
        label: String,
    },
    /// The value exists but the viewer may not see it (protection order).
    Withheld,
}

/// One row; `protected` marks a row about a person under a protection order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub protected: bool,
}

/// A screen's data after redaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenData {
    pub screen: ScreenId,
    pub subject: SubjectRef,
    /// The subject's display name (person's name, building's address), never protected data.
    pub heading: String,
    pub rows: Vec<Row>,
    /// The subject itself has a protection order (shown as a notice to everyone).
    pub protection_order: bool,
    /// Some values or rows were withheld from this viewer.
    pub withheld: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_segments_round_trip() {
        let p = SubjectRef::Person(PersonId(0x00ab_cdef_0123_4567));
        assert_eq!(p.id_segment(), "00abcdef01234567");
        assert_eq!(
            SubjectRef::from_segments("person", &p.id_segment()),
            Some(p)
        );
        let b = SubjectRef::Building(
            BuildingId::from_number(100_012_345).unwrap_or_else(|| unreachable!()),
        );
        assert_eq!(SubjectRef::from_segments("building", "100012345N"), Some(b));
        assert_eq!(SubjectRef::from_segments("building", "100012345A"), None);
        assert_eq!(SubjectRef::from_segments("dwelling", "x"), None);
        assert_eq!(SubjectRef::from_segments("person", "123"), None);
    }
}
