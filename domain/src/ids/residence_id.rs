//! The residence id (asuinpaikantunnus) a person's address points to. In Finland: the
//! permanent building id (10), the address number 1–4 (1) and the fixed-width dwelling part
//! (5, see [`DwellingId::residence_part`]), 16 characters. Abroad: `200`, the 3-digit country
//! code (001–999) and `00000000`, 14 characters.
//!
//! `Display` writes the full fixed width: a residence in a detached house is
//! `1000123456` + `1` + five spaces. Because trailing spaces are easily lost (trimmed fields,
//! HTML), parsing treats a Finnish id of 11–15 characters as padded with spaces to 16.

use super::{BuildingId, DwellingId, IdError, IdKind, IdPart, digits, trimmed};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A valid residence id, in Finland or abroad.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidenceId(Place);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Place {
    Finland {
        building: BuildingId,
        address_number: u8,
        dwelling: Option<DwellingId>,
    },
    Abroad {
        country: u16,
    },
}

const KIND: IdKind = IdKind::ResidenceId;
const FINNISH_LENGTH: usize = 16;
const ABROAD_LENGTH: usize = 14;

impl ResidenceId {
    /// A residence in Finland; `None` unless the address number is 1–4.
    pub fn in_finland(
        building: BuildingId,
        address_number: u8,
        dwelling: Option<DwellingId>,
    ) -> Option<ResidenceId> {
        (1..=4)
            .contains(&address_number)
            .then_some(ResidenceId(Place::Finland {
                building,
                address_number,
                dwelling,
            }))
    }

    /// A residence abroad in the country with the ISO 3166-1 numeric code `country` (1–999).
    pub fn abroad(country: u16) -> Option<ResidenceId> {
        (1..=999)
            .contains(&country)
            .then_some(ResidenceId(Place::Abroad { country }))
    }

    pub fn is_abroad(self) -> bool {
        matches!(self.0, Place::Abroad { .. })
    }

    pub fn building(self) -> Option<BuildingId> {
        match self.0 {
            Place::Finland { building, .. } => Some(building),
            Place::Abroad { .. } => None,
        }
    }

    /// Which of the building's addresses (1–4).
    pub fn address_number(self) -> Option<u8> {
        match self.0 {
            Place::Finland { address_number, .. } => Some(address_number),
            Place::Abroad { .. } => None,
        }
    }

    /// The dwelling; `None` abroad and in buildings without staircases or flat numbers.
    pub fn dwelling(self) -> Option<DwellingId> {
        match self.0 {
            Place::Finland { dwelling, .. } => dwelling,
            Place::Abroad { .. } => None,
        }
    }

    /// The country code of a residence abroad.
    pub fn country_code(self) -> Option<u16> {
        match self.0 {
            Place::Abroad { country } => Some(country),
            Place::Finland { .. } => None,
        }
    }
}

fn parse_finnish(chars: &[char]) -> Result<ResidenceId, IdError> {
    if !(11..=FINNISH_LENGTH).contains(&chars.len()) {
        return Err(IdError::Length {
            kind: KIND,
            expected: FINNISH_LENGTH as u8,
            found: chars.len(),
        });
    }
    let building: BuildingId = chars[..10].iter().collect::<String>().parse()?;
    let address_number = chars[10]
        .to_digit(10)
        .filter(|n| (1..=4).contains(n))
        .ok_or(IdError::Part {
            kind: KIND,
            part: IdPart::AddressNumber,
        })?;
    let part: String = chars[11..].iter().collect();
    let dwelling = DwellingId::from_residence_part(&format!("{part:<5}"))?;
    Ok(ResidenceId(Place::Finland {
        building,
        address_number: address_number as u8,
        dwelling,
    }))
}

fn parse_abroad(chars: &[char]) -> Result<ResidenceId, IdError> {
    if chars.len() != ABROAD_LENGTH {
        return Err(IdError::Length {
            kind: KIND,
            expected: ABROAD_LENGTH as u8,
            found: chars.len(),
        });
    }
    let text: String = chars.iter().collect();
    let country = text
        .strip_prefix("200")
        .and_then(|rest| rest.strip_suffix("00000000"))
        .ok_or(IdError::Format { kind: KIND })?;
    let country = digits(country, 3).ok_or(IdError::Format { kind: KIND })?;
    ResidenceId::abroad(country as u16).ok_or(IdError::Part {
        kind: KIND,
        part: IdPart::CountryCode,
    })
}

impl FromStr for ResidenceId {
    type Err = IdError;
    fn from_str(input: &str) -> Result<ResidenceId, IdError> {
        let chars: Vec<char> = trimmed(input, KIND)?.chars().collect();
        // A permanent building id always begins with 1; the abroad form with 200.
        match chars.first() {
            Some('1') => parse_finnish(&chars),
            Some('2') => parse_abroad(&chars),
            _ => Err(IdError::Format { kind: KIND }),
        }
    }
}

impl fmt::Display for ResidenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Place::Finland {
                building,
                address_number,
                dwelling,
            } => {
                let part = dwelling.map_or_else(|| " ".repeat(5), DwellingId::residence_part);
                write!(f, "{building}{address_number}{part}")
            }
            Place::Abroad { country } => write!(f, "200{country:03}00000000"),
        }
    }
}

string_serde!(ResidenceId);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::testing::{any_dwelling_id, assert_accepts, assert_refuses, assert_serde};
    use proptest::prelude::*;

    fn part(part: IdPart) -> IdError {
        IdError::Part { kind: KIND, part }
    }

    #[test]
    fn vectors() {
        assert_accepts::<ResidenceId>(&[
            ("100012345N1B012a", "100012345N1B012a"),
            ("100012345n1B012a", "100012345N1B012a"),
            ("100012345N2B012 ", "100012345N2B012 "),
            ("100012345N2B012", "100012345N2B012 "),
            ("100012345N4 007 ", "100012345N4 007 "),
            ("100012345N3A", "100012345N3A    "),
            ("100012345N1", "100012345N1     "),
            ("  100012345N1      ", "100012345N1     "),
            ("12345678921Ö999ö", "12345678921Ö999ö"),
            ("20024600000000", "20024600000000"),
            (" 20075200000000 ", "20075200000000"),
            ("20099900000000", "20099900000000"),
        ]);
        assert_refuses::<ResidenceId>(&[
            ("", IdError::Empty { kind: KIND }),
            ("300012345N1", IdError::Format { kind: KIND }),
            ("B012a", IdError::Format { kind: KIND }),
            (
                "100012345N",
                IdError::Length {
                    kind: KIND,
                    expected: 16,
                    found: 10,
                },
            ),
            (
                "100012345N1B012a1",
                IdError::Length {
                    kind: KIND,
                    expected: 16,
                    found: 17,
                },
            ),
            (
                "100012345A1B012a",
                IdError::CheckCharacter {
                    kind: IdKind::BuildingId,
                },
            ),
            ("100012345N5B012a", part(IdPart::AddressNumber)),
            ("100012345N0B012a", part(IdPart::AddressNumber)),
            ("100012345NXB012a", part(IdPart::AddressNumber)),
            ("100012345N1B12a", part(IdPart::FlatNumber)),
            ("100012345N1#012a", part(IdPart::Staircase)),
            ("100012345N1B0121", part(IdPart::DivisionLetter)),
            (
                "2002460000000",
                IdError::Length {
                    kind: KIND,
                    expected: 14,
                    found: 13,
                },
            ),
            ("20124600000000", IdError::Format { kind: KIND }),
            ("20024600000001", IdError::Format { kind: KIND }),
            ("200X4600000000", IdError::Format { kind: KIND }),
            ("20000000000000", part(IdPart::CountryCode)),
        ]);
    }

    #[test]
    fn parts() -> Result<(), IdError> {
        let home: ResidenceId = "100012345N2B012a".parse()?;
        assert_eq!(home.building(), Some("100012345N".parse()?));
        assert_eq!(home.address_number(), Some(2));
        assert_eq!(home.dwelling(), Some("B 12a".parse()?));
        assert_eq!((home.is_abroad(), home.country_code()), (false, None));
        let house: ResidenceId = "100012345N1".parse()?;
        assert_eq!(house.dwelling(), None);
        assert_eq!(house.to_string().chars().count(), 16);
        let abroad: ResidenceId = "20024600000000".parse()?;
        assert_eq!(
            (abroad.is_abroad(), abroad.country_code()),
            (true, Some(246))
        );
        assert_eq!((abroad.building(), abroad.address_number()), (None, None));
        assert_eq!(ResidenceId::abroad(0), None);
        assert_eq!(ResidenceId::abroad(1000), None);
        assert_eq!(
            home.building()
                .and_then(|b| ResidenceId::in_finland(b, 5, None)),
            None
        );
        Ok(())
    }

    #[test]
    fn serde_refuses_invalid_ids() {
        assert_serde::<ResidenceId>("100012345N1B012a", "100012345N5B012a");
        assert_serde::<ResidenceId>("20024600000000", "20000000000000");
    }

    fn any_residence_id() -> impl Strategy<Value = ResidenceId> {
        let finland = (
            BuildingId::FIRST..=BuildingId::LAST,
            1u8..=4,
            proptest::option::of(any_dwelling_id()),
        )
            .prop_filter_map("valid parts", |(n, a, d)| {
                ResidenceId::in_finland(BuildingId::from_number(n)?, a, d)
            });
        let abroad = (1u16..=999).prop_filter_map("valid country", ResidenceId::abroad);
        prop_oneof![finland, abroad]
    }

    proptest! {
        #[test]
        fn every_written_form_means_the_same_id(id in any_residence_id()) {
            let text = id.to_string();
            let expected = if id.is_abroad() { ABROAD_LENGTH } else { FINNISH_LENGTH };
            prop_assert_eq!(text.chars().count(), expected);
            prop_assert_eq!(text.parse::<ResidenceId>(), Ok(id));
            prop_assert_eq!(text.trim_end().parse::<ResidenceId>(), Ok(id));
            prop_assert_eq!(format!(" {text}  ").parse::<ResidenceId>(), Ok(id));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "[0-9A-Za-zÅÄÖåäö ]{0,18}|\\PC{0,18}") {
            let _ = s.parse::<ResidenceId>();
        }
    }
}
