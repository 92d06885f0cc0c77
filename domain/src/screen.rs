//! What crosses the wire to the browser for one screen: the subject it is about, the subject's
//! header (name, identifier, death, protection order) and rows of typed cells in the column
//! order of the screen's catalogue entry. Redaction happens before a `ScreenData` is handed
//! out, so a withheld value is a `Cell::Withheld`, never hidden text.

use crate::catalogue::ScreenId;
pub use crate::codes::CodeValue;
use crate::date::{Date, PartialDate, Timestamp};
use crate::purpose::Purpose;
pub use crate::subject::{DwellingRef, PersonId, SubjectKind, SubjectRef};
use serde::{Deserialize, Serialize};

/// A subject as the browser knows it: its kind and an opaque token that only the server can
/// open (the engine seals a [`SubjectRef`] with a server-side key). Tokens cannot be walked or
/// guessed, and one that is tampered with opens nothing, like a subject that does not exist.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "LinkParts")]
pub struct SubjectLink {
    kind: SubjectKind,
    token: String,
}

/// A link as it arrives, before its token's shape is checked.
#[derive(Deserialize)]
struct LinkParts {
    kind: SubjectKind,
    token: String,
}

impl TryFrom<LinkParts> for SubjectLink {
    type Error = &'static str;
    fn try_from(parts: LinkParts) -> Result<SubjectLink, &'static str> {
        SubjectLink::new(parts.kind, parts.token).ok_or("not a subject link")
    }
}

impl SubjectLink {
    /// Characters in a token: base64url without padding of 16 tag and 25 sealed bytes.
    pub const TOKEN_LEN: usize = 55;

    /// A link from its parts; `None` unless the token is shaped like one the server makes (a
    /// well-shaped token may still open nothing).
    pub fn new(kind: SubjectKind, token: impl Into<String>) -> Option<SubjectLink> {
        let token = token.into();
        let shaped = token.len() == SubjectLink::TOKEN_LEN
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        shaped.then_some(SubjectLink { kind, token })
    }

    /// From the two path segments of a subject page (`person`, token).
    pub fn from_segments(kind: &str, token: &str) -> Option<SubjectLink> {
        SubjectLink::new(SubjectKind::from_slug(kind)?, token)
    }

    pub fn kind(&self) -> SubjectKind {
        self.kind
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// The path of one of this subject's screens, e.g. `/person/<token>/basic`.
    pub fn screen_path(&self, screen: ScreenId) -> String {
        format!("{}/{}", self.base_path(), screen.spec().short_slug())
    }

    /// `/person/<token>`: the subject's pages live below it.
    pub fn base_path(&self) -> String {
        format!("/{}/{}", self.kind.slug(), self.token)
    }
}

/// One value on a screen. Links name their target by `L`: the engine reads with
/// [`SubjectRef`]s and seals them into [`SubjectLink`]s before a row leaves it, so what crosses
/// the wire (the default) never carries a register id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell<L = SubjectLink> {
    /// The register holds nothing here ("no data", which is not "no").
    Empty,
    Text(String),
    Date(Date),
    /// A date the register knows only to the month or the year.
    PartialDate(PartialDate),
    Code(CodeValue),
    Number(i64),
    Flag(bool),
    /// A link to another subject's screens.
    Link {
        target: L,
        label: String,
    },
    /// The value exists but the viewer may not see it (protection order).
    Withheld,
    /// A natural person, not named to this viewer: on an owner list, every private owner is
    /// shown so to a viewer without the right to protected data, protected or not.
    Private,
}

impl<L> Cell<L> {
    /// A text, or `Empty` for an empty string.
    pub fn text(s: impl Into<String>) -> Cell<L> {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    /// A partial date as precisely as the register knows it.
    pub fn partial(d: PartialDate) -> Cell<L> {
        match d {
            PartialDate::Day(d) => Cell::Date(d),
            other => Cell::PartialDate(other),
        }
    }

    /// `Empty` for `None`.
    pub fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Cell<L>) -> Cell<L> {
        v.map_or(Cell::Empty, f)
    }

    /// The same value with its link target (if any) turned into another kind of reference.
    pub fn map_link<M, E>(self, f: impl FnOnce(L) -> Result<M, E>) -> Result<Cell<M>, E> {
        Ok(match self {
            Cell::Empty => Cell::Empty,
            Cell::Text(t) => Cell::Text(t),
            Cell::Date(d) => Cell::Date(d),
            Cell::PartialDate(d) => Cell::PartialDate(d),
            Cell::Code(c) => Cell::Code(c),
            Cell::Number(n) => Cell::Number(n),
            Cell::Flag(f) => Cell::Flag(f),
            Cell::Link { target, label } => Cell::Link {
                target: f(target)?,
                label,
            },
            Cell::Withheld => Cell::Withheld,
            Cell::Private => Cell::Private,
        })
    }
}

/// One row; `protected` marks a row about a person under a protection order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub protected: bool,
}

/// What every screen of a subject shows above its data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectHeader {
    /// Person's name, building's or dwelling's address, property's name; never location data
    /// of a protected person.
    pub heading: String,
    /// The identifier that names the subject on prints: identity code, PRT, property id.
    pub identifier: String,
    /// The person has died (or been declared dead) on this date.
    pub deceased: Option<PartialDate>,
    /// The building has been demolished or destroyed.
    pub demolished: bool,
    /// The person has a protection order in force (shown to every viewer).
    pub protection_order: bool,
}

/// A screen's data after redaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenData {
    pub screen: ScreenId,
    pub subject: SubjectLink,
    pub header: SubjectHeader,
    pub rows: Vec<Row>,
    /// The purpose of use the query was made and recorded for.
    pub purpose: Purpose,
    /// When the data was read (the audit entry's time), for prints.
    pub retrieved: Timestamp,
    /// Whether this viewer sees data under a protection order, and if not, why: the screen
    /// says so wherever something is withheld, and marks protected values it shows.
    pub protected_access: crate::disclosure::ProtectedAccess,
}

impl ScreenData {
    /// Some values on the screen were withheld from this viewer.
    pub fn has_withheld(&self) -> bool {
        self.rows.iter().any(|r| r.cells.contains(&Cell::Withheld))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::BuildingId;

    #[test]
    fn subject_segments_round_trip() -> Result<(), Box<dyn std::error::Error>> {
        let p = SubjectRef::Person(PersonId(0x00ab_cdef_0123_4567));
        assert_eq!(p.id_segment(), "00abcdef01234567");
        assert_eq!(
            SubjectRef::from_segments("person", &p.id_segment()),
            Some(p)
        );
        let b = SubjectRef::Building("100012345N".parse()?);
        assert_eq!(SubjectRef::from_segments("building", "100012345N"), Some(b));
        assert_eq!(SubjectRef::from_segments("building", "100012345A"), None);
        assert_eq!(SubjectRef::from_segments("person", "123"), None);
        assert_eq!(
            SubjectRef::from_segments("person", "+0abcdef01234567"),
            None
        );
        assert_eq!(SubjectRef::from_segments("planet", "x"), None);

        let flat = SubjectRef::Dwelling(DwellingRef {
            building: "100012345N".parse()?,
            dwelling: Some("B 12a".parse()?),
        });
        assert_eq!(flat.id_segment(), "100012345N-B12a");
        assert_eq!(
            SubjectRef::from_segments("dwelling", "100012345N-B12a"),
            Some(flat)
        );
        let house = SubjectRef::Dwelling(DwellingRef {
            building: "100012345N".parse()?,
            dwelling: None,
        });
        assert_eq!(house.id_segment(), "100012345N");
        assert_eq!(
            SubjectRef::from_segments("dwelling", "100012345N"),
            Some(house)
        );
        assert_eq!(SubjectRef::from_segments("dwelling", "100012345N-"), None);

        let unit = SubjectRef::Property("91-401-1-2".parse()?);
        assert_eq!(unit.id_segment(), "09140100010002");
        assert_eq!(
            SubjectRef::from_segments("property", "09140100010002"),
            Some(unit)
        );
        let parcel = SubjectRef::Property("91-401-1-2-M601".parse()?);
        assert_eq!(
            SubjectRef::from_segments("property", &parcel.id_segment()),
            Some(parcel)
        );
        Ok(())
    }

    #[test]
    fn a_link_takes_only_tokens_shaped_like_the_servers() {
        let token = "A".repeat(SubjectLink::TOKEN_LEN);
        let link = SubjectLink::from_segments("building", &token);
        assert_eq!(link.as_ref().map(|l| l.kind()), Some(SubjectKind::Building));
        assert_eq!(
            link.map(|l| l.screen_path(ScreenId::BuildingBasic)),
            Some(format!("/building/{token}/basic"))
        );
        let short = &token[1..];
        assert_eq!(SubjectLink::from_segments("person", short), None);
        let long = format!("{token}A");
        assert_eq!(SubjectLink::from_segments("person", &long), None);
        let slash = format!("{}/", &token[1..]);
        assert_eq!(SubjectLink::from_segments("person", &slash), None);
        let padded = format!("{}=", &token[1..]);
        assert_eq!(SubjectLink::from_segments("person", &padded), None);
        assert_eq!(SubjectLink::from_segments("planet", &token), None);
        assert!(SubjectLink::new(SubjectKind::Person, "-_".repeat(27) + "a").is_some());
        let json = format!(r#"{{"kind":"Person","token":"{token}"}}"#);
        assert!(serde_json::from_str::<SubjectLink>(&json).is_ok());
        let json = r#"{"kind":"Person","token":"00000000000000a1"}"#;
        assert!(serde_json::from_str::<SubjectLink>(json).is_err());
    }

    #[test]
    fn dwelling_labels_round_trip() -> Result<(), Box<dyn std::error::Error>> {
        let b: BuildingId = "100012345N".parse()?;
        for label in ["", "A", "B 12", "C 3a"] {
            let d = DwellingRef::from_label(b, label).ok_or("label refused")?;
            assert_eq!(d.label(), label);
        }
        assert_eq!(DwellingRef::from_label(b, "12 12 12"), None);
        Ok(())
    }
}
