//! The electronic transaction id SATU `NNNNNNNNT`: a running number 10000001–89999999 and the
//! mod-31 check character of that number (the HETU alphabet). A [`Satu`] value is always in
//! range; its check character is derived, never stored.

use super::{IdError, IdKind, IdPart, mod31_parts, mod31_verify};
use crate::check_char::check_char;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A valid SATU. Parsing accepts lower case and surrounding spaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Satu(u32);

impl Satu {
    pub const FIRST: u32 = 10_000_001;
    pub const LAST: u32 = 89_999_999;

    /// From the running number (10000001–89999999).
    pub fn from_number(number: u32) -> Option<Satu> {
        (Self::FIRST..=Self::LAST)
            .contains(&number)
            .then_some(Satu(number))
    }

    pub fn number(self) -> u32 {
        self.0
    }

    pub fn check_character(self) -> char {
        check_char(u64::from(self.0))
    }
}

impl FromStr for Satu {
    type Err = IdError;
    fn from_str(input: &str) -> Result<Satu, IdError> {
        let kind = IdKind::Satu;
        let (number, found) = mod31_parts(input, kind, 8)?;
        let satu = Satu::from_number(number).ok_or(IdError::Part {
            kind,
            part: IdPart::SatuNumber,
        })?;
        mod31_verify(kind, number, found)?;
        Ok(satu)
    }
}

impl fmt::Display for Satu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08}{}", self.0, self.check_character())
    }
}

string_serde!(Satu);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::testing::{assert_accepts, assert_refuses, assert_serde};
    use proptest::prelude::*;

    const KIND: IdKind = IdKind::Satu;

    #[test]
    fn vectors() {
        // 10000001 mod 31 = 21 → N; 89999999 mod 31 = 24 → S; 12345678 mod 31 = 21 → N.
        assert_accepts::<Satu>(&[
            ("10000001N", "10000001N"),
            ("89999999S", "89999999S"),
            ("12345678N", "12345678N"),
            ("  12345678n\t", "12345678N"),
        ]);
        assert_refuses::<Satu>(&[
            ("", IdError::Empty { kind: KIND }),
            ("  ", IdError::Empty { kind: KIND }),
            (
                "1234567N",
                IdError::Length {
                    kind: KIND,
                    expected: 9,
                    found: 8,
                },
            ),
            (
                "123456789N",
                IdError::Length {
                    kind: KIND,
                    expected: 9,
                    found: 10,
                },
            ),
            ("1234567AN", IdError::Format { kind: KIND }),
            ("1234 678N", IdError::Format { kind: KIND }),
            (
                "10000000Y",
                IdError::Part {
                    kind: KIND,
                    part: IdPart::SatuNumber,
                },
            ),
            (
                "90000000A",
                IdError::Part {
                    kind: KIND,
                    part: IdPart::SatuNumber,
                },
            ),
            (
                "12345678G",
                IdError::CheckCharacterInvalid {
                    kind: KIND,
                    found: 'G',
                },
            ),
            ("12345678A", IdError::CheckCharacter { kind: KIND }),
        ]);
    }

    #[test]
    fn serde_refuses_invalid_ids() {
        assert_serde::<Satu>("12345678N", "12345678A");
    }

    proptest! {
        #[test]
        fn round_trip(n in Satu::FIRST..=Satu::LAST) {
            let satu = Satu::from_number(n);
            prop_assert!(satu.is_some());
            let satu = satu.unwrap_or(Satu(Satu::FIRST));
            let text = satu.to_string();
            prop_assert_eq!(text.chars().count(), 9);
            prop_assert_eq!(text.parse::<Satu>(), Ok(satu));
            prop_assert_eq!(format!(" {} ", text.to_lowercase()).parse::<Satu>(), Ok(satu));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,12}") {
            let _ = s.parse::<Satu>();
        }
    }
}
