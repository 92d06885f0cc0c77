//! Finnish postal codes: exactly five digits, leading zeros kept. Whether a code is in use is
//! the engine's concern (it holds the list); here only the form is checked.

use super::{IdError, IdKind, digits, trimmed};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Five digits, `00000`–`99999`. Parsing accepts surrounding spaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode(u32);

impl PostalCode {
    /// From the number the five digits spell (`100` is `00100`).
    pub fn from_number(number: u32) -> Option<PostalCode> {
        (number <= 99_999).then_some(PostalCode(number))
    }

    pub fn number(self) -> u32 {
        self.0
    }

    /// Codes beginning with 22 are on Åland.
    pub fn is_aland(self) -> bool {
        self.0 / 1000 == 22
    }
}

impl FromStr for PostalCode {
    type Err = IdError;
    fn from_str(input: &str) -> Result<PostalCode, IdError> {
        let kind = IdKind::PostalCode;
        let s = trimmed(input, kind)?;
        let found = s.chars().count();
        if found != 5 {
            return Err(IdError::Length {
                kind,
                expected: 5,
                found,
            });
        }
        digits(s, 5).map(PostalCode).ok_or(IdError::Format { kind })
    }
}

impl fmt::Display for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:05}", self.0)
    }
}

string_serde!(PostalCode);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::testing::{assert_accepts, assert_refuses, assert_serde};
    use proptest::prelude::*;

    const KIND: IdKind = IdKind::PostalCode;

    #[test]
    fn vectors() {
        assert_accepts::<PostalCode>(&[
            ("00100", "00100"),
            (" 22100 ", "22100"),
            ("99999", "99999"),
            ("00000", "00000"),
        ]);
        assert_refuses::<PostalCode>(&[
            ("", IdError::Empty { kind: KIND }),
            (
                "100",
                IdError::Length {
                    kind: KIND,
                    expected: 5,
                    found: 3,
                },
            ),
            (
                "001000",
                IdError::Length {
                    kind: KIND,
                    expected: 5,
                    found: 6,
                },
            ),
            ("00 10", IdError::Format { kind: KIND }),
            ("0010O", IdError::Format { kind: KIND }),
        ]);
    }

    #[test]
    fn aland_codes_begin_with_22() {
        let code = |s: &str| s.parse::<PostalCode>().map(PostalCode::is_aland);
        assert_eq!(code("22100"), Ok(true));
        assert_eq!(code("22999"), Ok(true));
        assert_eq!(code("21999"), Ok(false));
        assert_eq!(code("02200"), Ok(false));
    }

    #[test]
    fn serde_refuses_invalid_codes() {
        assert_serde::<PostalCode>("00100", "100");
    }

    proptest! {
        #[test]
        fn round_trip(n in 0u32..=99_999) {
            let code = PostalCode::from_number(n);
            prop_assert!(code.is_some());
            let code = code.unwrap_or(PostalCode(0));
            prop_assert_eq!(code.to_string().len(), 5);
            prop_assert_eq!(code.to_string().parse::<PostalCode>(), Ok(code));
        }
    }
}
