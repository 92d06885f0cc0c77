//! The business id (Y-tunnus) `NNNNNNN-C`: seven digits and a check digit from the weights
//! 7, 9, 10, 5, 8, 4, 2 modulo 11 (remainder 0 → 0, remainder 1 → no id, otherwise 11 − r).
//! A [`BusinessId`] holds the seven digits, whose remainder is never 1; the check digit is
//! derived.

use super::{IdError, IdKind, digits, trimmed};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A valid business id. Parsing accepts surrounding spaces and nothing else: exactly seven
/// digits, a hyphen and the check digit (an old id is never written without its leading zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BusinessId(u32);

const WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];

/// The check digit for the seven-digit body, or `None` when the remainder is 1.
fn check_digit(body: u32) -> Option<u32> {
    let mut rest = body;
    let mut sum = 0;
    for weight in WEIGHTS.iter().rev() {
        sum += (rest % 10) * weight;
        rest /= 10;
    }
    match sum % 11 {
        0 => Some(0),
        1 => None,
        r => Some(11 - r),
    }
}

impl BusinessId {
    pub const LAST_BODY: u32 = 9_999_999;

    /// From the seven digits before the hyphen; `None` if out of range or if no check digit
    /// exists for them.
    pub fn from_body(body: u32) -> Option<BusinessId> {
        (body <= Self::LAST_BODY && check_digit(body).is_some()).then_some(BusinessId(body))
    }

    /// The seven digits before the hyphen.
    pub fn body(self) -> u32 {
        self.0
    }

    pub fn check_digit(self) -> u32 {
        // The constructor guarantees a check digit exists.
        check_digit(self.0).unwrap_or_default()
    }
}

impl FromStr for BusinessId {
    type Err = IdError;
    fn from_str(input: &str) -> Result<BusinessId, IdError> {
        let kind = IdKind::BusinessId;
        let s = trimmed(input, kind)?;
        let found = s.chars().count();
        if found != 9 {
            return Err(IdError::Length {
                kind,
                expected: 9,
                found,
            });
        }
        let parsed = s
            .split_once('-')
            .filter(|(body, check)| body.len() == 7 && check.len() == 1)
            .and_then(|(body, check)| Some((digits(body, 7)?, digits(check, 1)?)));
        let Some((body, found)) = parsed else {
            return Err(IdError::Format { kind });
        };
        let expected = check_digit(body).ok_or(IdError::BusinessIdRemainderOne)?;
        if expected != found {
            return Err(IdError::CheckCharacter { kind });
        }
        Ok(BusinessId(body))
    }
}

impl fmt::Display for BusinessId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:07}-{}", self.0, self.check_digit())
    }
}

string_serde!(BusinessId);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::testing::{assert_accepts, assert_refuses, assert_serde};
    use proptest::prelude::*;

    const KIND: IdKind = IdKind::BusinessId;

    #[test]
    fn vectors() {
        // Computed by hand: 0245437 → 0·7+2·9+4·10+5·5+4·8+3·4+7·2 = 141, 141 mod 11 = 9 → 2.
        assert_accepts::<BusinessId>(&[
            ("0245437-2", "0245437-2"),
            (" 0245437-2 ", "0245437-2"),
            ("1572860-0", "1572860-0"),
            ("0112038-9", "0112038-9"),
            ("2617416-4", "2617416-4"),
            ("0000000-0", "0000000-0"),
            ("1234567-1", "1234567-1"),
        ]);
        assert_refuses::<BusinessId>(&[
            ("", IdError::Empty { kind: KIND }),
            (
                "245437-2",
                IdError::Length {
                    kind: KIND,
                    expected: 9,
                    found: 8,
                },
            ),
            (
                "02454372",
                IdError::Length {
                    kind: KIND,
                    expected: 9,
                    found: 8,
                },
            ),
            ("02454-372", IdError::Format { kind: KIND }),
            ("0245437 2", IdError::Format { kind: KIND }),
            ("0245437-X", IdError::Format { kind: KIND }),
            ("O245437-2", IdError::Format { kind: KIND }),
            ("1234568-0", IdError::BusinessIdRemainderOne),
            ("0000006-5", IdError::BusinessIdRemainderOne),
            ("0245437-3", IdError::CheckCharacter { kind: KIND }),
        ]);
    }

    #[test]
    fn serde_refuses_invalid_ids() {
        assert_serde::<BusinessId>("0245437-2", "0245437-1");
    }

    proptest! {
        #[test]
        fn round_trip(body in 0u32..=BusinessId::LAST_BODY) {
            match BusinessId::from_body(body) {
                Some(id) => {
                    let text = id.to_string();
                    prop_assert_eq!(text.len(), 9);
                    prop_assert_eq!(text.parse::<BusinessId>(), Ok(id));
                    prop_assert_eq!(format!("  {text} ").parse::<BusinessId>(), Ok(id));
                }
                None => prop_assert_eq!(
                    format!("{body:07}-0").parse::<BusinessId>(),
                    Err(IdError::BusinessIdRemainderOne)
                ),
            }
        }

        #[test]
        fn exactly_one_check_digit_fits(body in 0u32..=BusinessId::LAST_BODY, c in 0u32..10) {
            let text = format!("{body:07}-{c}");
            let fits = BusinessId::from_body(body).is_some_and(|id| id.check_digit() == c);
            prop_assert_eq!(text.parse::<BusinessId>().is_ok(), fits);
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,12}") {
            let _ = s.parse::<BusinessId>();
        }
    }
}
