//! The old property-based building id `KKK-SSS-RRRR-YYYY-T-nnn`: the location property's unit
//! id, a check letter and a three-digit building number. It is kept as an attribute and
//! changes when the property does. Invariants of an [`OldBuildingId`]: the property part is a
//! valid [`PropertyId`] without a parcel, the letter is `A`–`Z`, the number 000–999.
//!
//! How the letter is computed is not documented (DOMAIN.md §3.4), so any letter `A`–`Z` is
//! accepted and none is ever rejected as a wrong check letter.

use super::property_id::parse_unit;
use super::{IdError, IdKind, IdPart, PropertyId, digits, trimmed};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A valid old building id. Parsing accepts the hyphenated form (`091-401-0001-0002-A-001`,
/// also with the property in short form or without the hyphen before the number) and the
/// compact form of 14 digits, the letter and 3 digits (`09140100010002A001`), in either case
/// and with surrounding spaces. `Display` writes the 23-character hyphenated form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OldBuildingId {
    property: PropertyId,
    letter: char,
    number: u16,
}

const KIND: IdKind = IdKind::OldBuildingId;

impl OldBuildingId {
    /// From the location property (not a parcel), the letter `A`–`Z` and the number 0–999.
    pub fn new(property: PropertyId, letter: char, number: u16) -> Option<OldBuildingId> {
        (!property.is_parcel() && letter.is_ascii_uppercase() && number <= 999).then_some(
            OldBuildingId {
                property,
                letter,
                number,
            },
        )
    }

    /// The location property's unit id.
    pub fn property(self) -> PropertyId {
        self.property
    }

    pub fn check_letter(self) -> char {
        self.letter
    }

    pub fn building_number(self) -> u16 {
        self.number
    }

    /// 14 digits, the letter and 3 digits: `09140100010002A001`.
    pub fn compact_form(self) -> String {
        format!(
            "{}{}{:03}",
            self.property.database_form(),
            self.letter,
            self.number
        )
    }
}

fn letter(s: &str) -> Result<char, IdError> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_uppercase() => Ok(c),
        _ => Err(IdError::Part {
            kind: KIND,
            part: IdPart::CheckLetter,
        }),
    }
}

fn building_number(s: &str, max_len: usize) -> Result<u16, IdError> {
    digits(s, max_len).map(|n| n as u16).ok_or(IdError::Part {
        kind: KIND,
        part: IdPart::BuildingNumber,
    })
}

impl FromStr for OldBuildingId {
    type Err = IdError;
    fn from_str(input: &str) -> Result<OldBuildingId, IdError> {
        let s = trimmed(input, KIND)?.to_uppercase();
        let (property, letter, number) = if s.contains('-') {
            // Four property parts, then `T-nnn` or `Tnnn`.
            let parts: Vec<&str> = s.splitn(5, '-').collect();
            let [k, a, g, u, tail] = parts.as_slice() else {
                return Err(IdError::Format { kind: KIND });
            };
            let property = parse_unit(&[*k, *a, *g, *u].join("-"), KIND)?;
            let (t, n) = match tail.split_once('-') {
                Some(split) => split,
                None => tail.split_at(tail.chars().next().map_or(0, char::len_utf8)),
            };
            (property, letter(t)?, building_number(n, 3)?)
        } else {
            let chars: Vec<char> = s.chars().collect();
            if chars.len() != 18 {
                return Err(IdError::Format { kind: KIND });
            }
            let text = |range: std::ops::Range<usize>| chars[range].iter().collect::<String>();
            let property = parse_unit(&text(0..14), KIND)?;
            let letter = letter(&text(14..15))?;
            (property, letter, building_number(&text(15..18), 3)?)
        };
        Ok(OldBuildingId {
            property,
            letter,
            number,
        })
    }
}

impl fmt::Display for OldBuildingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:03}", self.property, self.letter, self.number)
    }
}

string_serde!(OldBuildingId);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MunicipalityCode;
    use crate::ids::testing::{assert_accepts, assert_refuses, assert_serde};
    use proptest::prelude::*;

    fn part(part: IdPart) -> IdError {
        IdError::Part { kind: KIND, part }
    }

    #[test]
    fn vectors() {
        const CANONICAL: &str = "091-401-0001-0002-A-001";
        assert_accepts::<OldBuildingId>(&[
            (CANONICAL, CANONICAL),
            ("09140100010002A001", CANONICAL),
            ("09140100010002a001", CANONICAL),
            (" 91-401-1-2-A-001 ", CANONICAL),
            ("091-401-0001-0002-A001", CANONICAL),
            ("091-401-0001-0002-a-1", CANONICAL),
            ("927-445-0015-0000-Z-999", "927-445-0015-0000-Z-999"),
            ("92744500150000K000", "927-445-0015-0000-K-000"),
        ]);
        assert_refuses::<OldBuildingId>(&[
            ("", IdError::Empty { kind: KIND }),
            ("091-401-0001-0002", IdError::Format { kind: KIND }),
            ("09140100010002A01", IdError::Format { kind: KIND }),
            ("09140100010002A0011", IdError::Format { kind: KIND }),
            ("0914010001000XA001", IdError::Format { kind: KIND }),
            (
                "999-401-0001-0002-A-001",
                IdError::UnknownMunicipality { code: 999 },
            ),
            (
                "99940100010002A001",
                IdError::UnknownMunicipality { code: 999 },
            ),
            ("091-401-00001-0002-A-001", part(IdPart::Group)),
            ("091-401-0001-0002-1-001", part(IdPart::CheckLetter)),
            ("091-401-0001-0002-Å-001", part(IdPart::CheckLetter)),
            ("091-401-0001-0002-AB-001", part(IdPart::CheckLetter)),
            ("09140100010002Ä001", part(IdPart::CheckLetter)),
            ("091-401-0001-0002-A-1000", part(IdPart::BuildingNumber)),
            ("091-401-0001-0002-A-", part(IdPart::BuildingNumber)),
            ("091-401-0001-0002-A-0-1", part(IdPart::BuildingNumber)),
            ("09140100010002A0X1", part(IdPart::BuildingNumber)),
        ]);
    }

    #[test]
    fn parts_and_forms() -> Result<(), IdError> {
        let id: OldBuildingId = "091-401-0001-0002-B-012".parse()?;
        assert_eq!(id.to_string().len(), 23);
        assert_eq!(id.compact_form(), "09140100010002B012");
        assert_eq!(id.property(), "91-401-1-2".parse()?);
        assert_eq!((id.check_letter(), id.building_number()), ('B', 12));
        let parcel: PropertyId = "91-401-1-2-M1".parse()?;
        assert_eq!(OldBuildingId::new(parcel, 'A', 1), None);
        assert_eq!(OldBuildingId::new(id.property(), 'a', 1), None);
        assert_eq!(OldBuildingId::new(id.property(), 'B', 12), Some(id));
        Ok(())
    }

    #[test]
    fn serde_refuses_invalid_ids() {
        assert_serde::<OldBuildingId>("091-401-0001-0002-A-001", "091-401-0001-0002-1-001");
    }

    fn any_old_building_id() -> impl Strategy<Value = OldBuildingId> {
        let current: Vec<MunicipalityCode> = MunicipalityCode::all_current().collect();
        (
            proptest::sample::select(current),
            0u16..=999,
            0u16..=9999,
            0u16..=9999,
            proptest::char::range('A', 'Z'),
            0u16..=999,
        )
            .prop_filter_map("valid parts", |(m, area, group, unit, letter, number)| {
                OldBuildingId::new(PropertyId::new(m, area, group, unit)?, letter, number)
            })
    }

    proptest! {
        #[test]
        fn every_written_form_means_the_same_id(id in any_old_building_id()) {
            prop_assert_eq!(id.to_string().parse::<OldBuildingId>(), Ok(id));
            prop_assert_eq!(id.compact_form().parse::<OldBuildingId>(), Ok(id));
            prop_assert_eq!(id.compact_form().to_lowercase().parse::<OldBuildingId>(), Ok(id));
            let short = format!(
                "{}-{}-{}",
                id.property().short_form(),
                id.check_letter(),
                id.building_number()
            );
            prop_assert_eq!(short.parse::<OldBuildingId>(), Ok(id));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "[-0-9A-Za-zÅ ]{0,26}|\\PC{0,26}") {
            let _ = s.parse::<OldBuildingId>();
        }
    }
}
