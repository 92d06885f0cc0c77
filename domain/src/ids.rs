//! Identifiers other than the identity code, as validated newtypes sharing one error vocabulary
//! ([`IdError`]). Each type accepts the written forms a clerk meets, keeps exactly one value per
//! identifier, and writes one canonical form (`Display`) that parses back to the same value;
//! serde goes through the same text, so an invalid identifier cannot be deserialised.

/// `TryFrom<String>` and `Into<String>` through `FromStr` and `Display`, for
/// `#[serde(try_from = "String", into = "String")]`.
macro_rules! string_serde {
    ($t:ty) => {
        impl TryFrom<String> for $t {
            type Error = $crate::ids::IdError;
            fn try_from(s: String) -> Result<$t, $crate::ids::IdError> {
                s.parse()
            }
        }

        impl From<$t> for String {
            fn from(value: $t) -> String {
                value.to_string()
            }
        }
    };
}
pub(crate) use string_serde;

pub mod business_id;
pub mod dwelling_id;
pub mod error;
pub mod municipality;
pub mod old_building_id;
pub mod postal_code;
pub mod property_id;
pub mod residence_id;
pub mod satu;
#[cfg(test)]
pub(crate) mod testing;

pub mod building_id;
pub use building_id::BuildingId;
pub use business_id::BusinessId;
pub use dwelling_id::DwellingId;
pub use error::{IdError, IdKind, IdPart};
pub use municipality::{MunicipalityCode, MunicipalityLanguage};
pub use old_building_id::OldBuildingId;
pub use postal_code::PostalCode;
pub use property_id::{PropertyId, PublicArea};
pub use residence_id::ResidenceId;
pub use satu::Satu;

use crate::check_char::{check_char, is_check_char};

/// The input without surrounding white space, or `Empty` if nothing is left.
fn trimmed(input: &str, kind: IdKind) -> Result<&str, IdError> {
    match input.trim() {
        "" => Err(IdError::Empty { kind }),
        s => Ok(s),
    }
}

/// The value of 1 to `max_len` (at most 9) ASCII digits; `None` for anything else.
fn digits(s: &str, max_len: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max_len.min(9) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
}

/// Splits `body_len` digits and a mod-31 check character (either case). The check character is
/// known to be in the alphabet but not yet compared with the number: callers check the number's
/// range first, because that is the more useful message.
pub(crate) fn mod31_parts(
    input: &str,
    kind: IdKind,
    body_len: usize,
) -> Result<(u32, char), IdError> {
    let s = trimmed(input, kind)?;
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != body_len + 1 {
        return Err(IdError::Length {
            kind,
            expected: (body_len + 1) as u8,
            found: chars.len(),
        });
    }
    let body: String = chars[..body_len].iter().collect();
    let number = digits(&body, body_len).ok_or(IdError::Format { kind })?;
    let found = chars[body_len].to_ascii_uppercase();
    if !is_check_char(found) {
        return Err(IdError::CheckCharacterInvalid { kind, found });
    }
    Ok((number, found))
}

/// Compares the check character with the one the number calls for.
pub(crate) fn mod31_verify(kind: IdKind, number: u32, found: char) -> Result<(), IdError> {
    let expected = check_char(u64::from(number));
    if expected == found {
        Ok(())
    } else {
        Err(IdError::CheckCharacter { kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    /// The example in every message parses and is already in canonical form.
    #[test]
    fn every_example_is_valid_and_canonical() {
        fn canonical<T>(example: &str) -> Result<String, IdError>
        where
            T: std::str::FromStr<Err = IdError> + std::fmt::Display,
        {
            example.parse::<T>().map(|v| v.to_string())
        }
        for kind in IdKind::ALL {
            let example = kind.example();
            let written = match kind {
                IdKind::Satu => canonical::<Satu>(example),
                IdKind::BuildingId => canonical::<BuildingId>(example),
                IdKind::OldBuildingId => canonical::<OldBuildingId>(example),
                IdKind::PropertyId => canonical::<PropertyId>(example),
                IdKind::MunicipalityCode => canonical::<MunicipalityCode>(example),
                IdKind::BusinessId => canonical::<BusinessId>(example),
                IdKind::PostalCode => canonical::<PostalCode>(example),
                IdKind::DwellingId => canonical::<DwellingId>(example),
                IdKind::ResidenceId => canonical::<ResidenceId>(example),
            };
            assert_eq!(written.as_deref(), Ok(example), "{kind:?}");
            assert!(kind.shape(Lang::Fi).contains(example));
        }
    }

    #[test]
    fn digits_accepts_only_short_digit_runs() {
        assert_eq!(digits("0091", 4), Some(91));
        assert_eq!(digits("", 4), None);
        assert_eq!(digits("12345", 4), None);
        assert_eq!(digits("1a", 4), None);
        assert_eq!(digits("+1", 4), None);
        assert_eq!(digits("١", 4), None);
    }
}
