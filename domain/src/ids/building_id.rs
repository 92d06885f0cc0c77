//! The permanent building id VTJ-PRT: `1` + 8 digits + a mod-31 check character over the
//! nine digits. It stays the same for a building's whole life. Its errors are the shared
//! identifier errors ([`IdError`] with [`IdKind::BuildingId`]).

use crate::check_char::check_char;
use crate::ids::{IdError, IdKind, mod31_parts, mod31_verify};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A valid VTJ-PRT. Holds the nine-digit number; the check character is derived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BuildingId(u32);

/// The building id's errors are the shared identifier errors, with kind
/// [`IdKind::BuildingId`]; the alias keeps the old path working.
pub type BuildingIdError = IdError;

impl BuildingId {
    pub const FIRST: u32 = 100_000_000;
    pub const LAST: u32 = 199_999_999;

    /// From the nine-digit number (100000000–199999999).
    pub fn from_number(number: u32) -> Option<BuildingId> {
        (Self::FIRST..=Self::LAST)
            .contains(&number)
            .then_some(BuildingId(number))
    }

    pub fn number(self) -> u32 {
        self.0
    }

    pub fn check_character(self) -> char {
        check_char(u64::from(self.0))
    }
}

impl FromStr for BuildingId {
    type Err = IdError;
    fn from_str(input: &str) -> Result<BuildingId, IdError> {
        let kind = IdKind::BuildingId;
        let (number, found) = mod31_parts(input, kind, 9)?;
        let id = BuildingId::from_number(number).ok_or(IdError::Format { kind })?;
        mod31_verify(kind, number, found)?;
        Ok(id)
    }
}

impl fmt::Display for BuildingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.0, self.check_character())
    }
}

crate::ids::string_serde!(BuildingId);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::testing::{assert_accepts, assert_refuses, assert_serde};
    use proptest::prelude::*;

    const KIND: IdKind = IdKind::BuildingId;

    #[test]
    fn vectors() {
        assert_accepts::<BuildingId>(&[
            ("100012345N", "100012345N"),
            ("1234567892", "1234567892"),
            ("1030462707", "1030462707"),
            ("1019191118", "1019191118"),
            (" 100012345n ", "100012345N"),
        ]);
        assert_refuses::<BuildingId>(&[
            ("", IdError::Empty { kind: KIND }),
            // DVV's own public example has a wrong check character.
            ("100012345A", BuildingIdError::CheckCharacter { kind: KIND }),
            ("200012345N", IdError::Format { kind: KIND }),
            ("10001234XN", IdError::Format { kind: KIND }),
            (
                "10001234N",
                IdError::Length {
                    kind: KIND,
                    expected: 10,
                    found: 9,
                },
            ),
            (
                "100012345Q",
                IdError::CheckCharacterInvalid {
                    kind: KIND,
                    found: 'Q',
                },
            ),
        ]);
    }

    #[test]
    fn serde_refuses_invalid_ids() {
        assert_serde::<BuildingId>("100012345N", "100012345A");
    }

    proptest! {
        #[test]
        fn round_trip(n in BuildingId::FIRST..=BuildingId::LAST) {
            let id = BuildingId::from_number(n);
            prop_assert!(id.is_some());
            let id = id.unwrap_or(BuildingId(BuildingId::FIRST));
            prop_assert_eq!(id.to_string().parse::<BuildingId>(), Ok(id));
            prop_assert_eq!(id.to_string().to_lowercase().parse::<BuildingId>(), Ok(id));
        }
    }
}
