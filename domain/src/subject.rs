//! Register subjects, the basic words every layer above names: what kind a subject is (a
//! person, a building, a dwelling, a real-estate unit) and which one, by the register's own ids.
//! Server-side only in their raw form: the browser holds sealed links (`screen::SubjectLink`).

use crate::ids::{BuildingId, DwellingId, PropertyId};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kinds of register subject a screen can be about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SubjectKind {
    Person,
    Building,
    Dwelling,
    Property,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 4] = [
        SubjectKind::Person,
        SubjectKind::Building,
        SubjectKind::Dwelling,
        SubjectKind::Property,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            SubjectKind::Person => "person",
            SubjectKind::Building => "building",
            SubjectKind::Dwelling => "dwelling",
            SubjectKind::Property => "property",
        }
    }

    pub fn from_slug(slug: &str) -> Option<SubjectKind> {
        SubjectKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// A person's opaque internal id. Not derived from the identity code and not sequential, so
/// links carry no personal data.
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
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(());
        }
        u64::from_str_radix(s, 16).map(PersonId).map_err(|_| ())
    }
}

/// One dwelling: its building and its staircase/flat, or the building's only dwelling (a
/// detached house has no dwelling id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DwellingRef {
    pub building: BuildingId,
    pub dwelling: Option<DwellingId>,
}

impl DwellingRef {
    /// The label as the register writes it (`B 12a`; empty for a detached house).
    pub fn label(&self) -> String {
        self.dwelling.map(|d| d.to_string()).unwrap_or_default()
    }

    /// From a building and a register label; `None` if the label is not a dwelling id.
    pub fn from_label(building: BuildingId, label: &str) -> Option<DwellingRef> {
        if label.trim().is_empty() {
            return Some(DwellingRef {
                building,
                dwelling: None,
            });
        }
        label.parse().ok().map(|d| DwellingRef {
            building,
            dwelling: Some(d),
        })
    }
}

/// One register subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SubjectRef {
    Person(PersonId),
    Building(BuildingId),
    Dwelling(DwellingRef),
    Property(PropertyId),
}

impl SubjectRef {
    pub fn kind(&self) -> SubjectKind {
        match self {
            SubjectRef::Person(_) => SubjectKind::Person,
            SubjectRef::Building(_) => SubjectKind::Building,
            SubjectRef::Dwelling(_) => SubjectKind::Dwelling,
            SubjectRef::Property(_) => SubjectKind::Property,
        }
    }

    /// The id in one canonical string: the internal person id, PRT, `PRT-B12a` (or the PRT
    /// alone for a detached house), the property id's database form. Server-side only: the
    /// browser sees a [`SubjectLink`].
    pub fn id_segment(&self) -> String {
        match self {
            SubjectRef::Person(id) => id.to_string(),
            SubjectRef::Building(id) => id.to_string(),
            SubjectRef::Dwelling(d) => match d.dwelling {
                Some(id) => format!("{}-{}", d.building, id.to_string().replace(' ', "")),
                None => d.building.to_string(),
            },
            SubjectRef::Property(id) => id.database_form(),
        }
    }

    pub fn from_segments(kind: &str, id: &str) -> Option<SubjectRef> {
        match SubjectKind::from_slug(kind)? {
            SubjectKind::Person => id.parse().ok().map(SubjectRef::Person),
            SubjectKind::Building => id.parse().ok().map(SubjectRef::Building),
            SubjectKind::Dwelling => {
                let (building, dwelling) = match id.split_once('-') {
                    Some((b, d)) if !d.is_empty() => (b, Some(d.parse().ok()?)),
                    Some(_) => return None,
                    None => (id, None),
                };
                Some(SubjectRef::Dwelling(DwellingRef {
                    building: building.parse().ok()?,
                    dwelling,
                }))
            }
            SubjectKind::Property => id.parse().ok().map(SubjectRef::Property),
        }
    }

    /// A stable key for audit indexes.
    pub fn audit_key(&self) -> String {
        format!("{}:{}", self.kind().slug(), self.id_segment())
    }
}
