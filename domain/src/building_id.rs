//! The permanent building id VTJ-PRT: `1` + 8 digits + a mod-31 check character over the
//! nine digits. It stays the same for a building's whole life.

use crate::check_char::{check_char, is_check_char};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A valid VTJ-PRT. Holds the nine-digit number; the check character is derived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BuildingId(u32);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum BuildingIdError {
    #[error("the building id is empty")]
    Empty,
    #[error("a building id has 10 characters, this has {found}")]
    Length { found: usize },
    #[error("a building id starts with 1 followed by eight digits")]
    Digits,
    #[error("'{found}' is never a check character")]
    CheckCharacterInvalid { found: char },
    #[error("the check character should be {expected}")]
    CheckCharacter { expected: char },
}

impl BuildingIdError {
    pub fn message(&self, lang: Lang) -> String {
        use BuildingIdError::*;
        match (self, lang) {
            (Empty, Lang::Fi) => "Kirjoita pysyvä rakennustunnus.".into(),
            (Empty, Lang::Sv) => "Skriv en permanent byggnadsbeteckning.".into(),
            (Empty, Lang::En) => "Enter a permanent building id.".into(),
            (Length { found }, Lang::Fi) => {
                format!("Rakennustunnuksessa on 10 merkkiä, tässä on {found}.")
            }
            (Length { found }, Lang::Sv) => {
                format!("En byggnadsbeteckning har 10 tecken, den här har {found}.")
            }
            (Length { found }, Lang::En) => {
                format!("A building id has 10 characters; this one has {found}.")
            }
            (Digits, Lang::Fi) => {
                "Rakennustunnus alkaa numerolla 1 ja kahdeksalla numerolla.".into()
            }
            (Digits, Lang::Sv) => "En byggnadsbeteckning börjar med 1 och åtta siffror.".into(),
            (Digits, Lang::En) => "A building id starts with 1 followed by eight digits.".into(),
            (CheckCharacterInvalid { found }, Lang::Fi) => {
                format!("”{found}” ei voi olla tarkistusmerkki.")
            }
            (CheckCharacterInvalid { found }, Lang::Sv) => {
                format!("”{found}” kan inte vara ett kontrolltecken.")
            }
            (CheckCharacterInvalid { found }, Lang::En) => {
                format!("“{found}” cannot be a check character.")
            }
            (CheckCharacter { expected }, Lang::Fi) => {
                format!("Tarkistusmerkin pitäisi olla {expected}.")
            }
            (CheckCharacter { expected }, Lang::Sv) => {
                format!("Kontrolltecknet borde vara {expected}.")
            }
            (CheckCharacter { expected }, Lang::En) => {
                format!("The check character should be {expected}.")
            }
        }
    }
}

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
    type Err = BuildingIdError;
    fn from_str(input: &str) -> Result<BuildingId, BuildingIdError> {
        let s = input.trim().to_uppercase();
        if s.is_empty() {
            return Err(BuildingIdError::Empty);
        }
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 10 {
            return Err(BuildingIdError::Length { found: chars.len() });
        }
        if chars[0] != '1' || !chars[..9].iter().all(char::is_ascii_digit) {
            return Err(BuildingIdError::Digits);
        }
        let found = chars[9];
        if !is_check_char(found) {
            return Err(BuildingIdError::CheckCharacterInvalid { found });
        }
        let number = chars[..9]
            .iter()
            .fold(0u32, |n, c| n * 10 + (*c as u32 - u32::from(b'0')));
        let id = BuildingId(number);
        let expected = id.check_character();
        if expected != found {
            return Err(BuildingIdError::CheckCharacter { expected });
        }
        Ok(id)
    }
}

impl fmt::Display for BuildingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.0, self.check_character())
    }
}

impl TryFrom<String> for BuildingId {
    type Error = BuildingIdError;
    fn try_from(s: String) -> Result<BuildingId, BuildingIdError> {
        s.parse()
    }
}

impl From<BuildingId> for String {
    fn from(b: BuildingId) -> String {
        b.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vectors() {
        for ok in [
            "100012345N",
            "1234567892",
            "1030462707",
            "1019191118",
            "100012345n",
        ] {
            assert!(ok.parse::<BuildingId>().is_ok(), "{ok}");
        }
        // DVV's own public example has a wrong check character.
        assert_eq!(
            "100012345A".parse::<BuildingId>(),
            Err(BuildingIdError::CheckCharacter { expected: 'N' })
        );
        assert_eq!(
            "200012345N".parse::<BuildingId>(),
            Err(BuildingIdError::Digits)
        );
        assert_eq!(
            "10001234N".parse::<BuildingId>(),
            Err(BuildingIdError::Length { found: 9 })
        );
        assert_eq!(
            "100012345Q".parse::<BuildingId>(),
            Err(BuildingIdError::CheckCharacterInvalid { found: 'Q' })
        );
        assert_eq!("".parse::<BuildingId>(), Err(BuildingIdError::Empty));
    }

    proptest! {
        #[test]
        fn round_trip(n in BuildingId::FIRST..=BuildingId::LAST) {
            let id = BuildingId::from_number(n);
            prop_assert!(id.is_some());
            let id = id.unwrap_or(BuildingId(BuildingId::FIRST));
            prop_assert_eq!(id.to_string().parse::<BuildingId>(), Ok(id));
        }
    }
}
