//! The dwelling identification inside a building address: staircase letter `A`–`Z`/`Å`/`Ä`/`Ö`
//! (absent in detached houses), flat number 0–999, division letter `a`–`z`/`å`/`ä`/`ö` (for a
//! split flat). Invariants of a [`DwellingId`]: it has a staircase or a flat number or both,
//! and a division letter only together with a flat number.
//!
//! Two written forms:
//! - the written form (`Display`, canonical): staircase, a space, the flat number without
//!   leading zeros and the division letter right after it: `B 12a`, `B 12`, `12a`, `12`, `A`.
//!   Parsing also accepts lower-case staircases, no space (`B12`), leading zeros (`B 012`), a
//!   space or an upper-case letter before the division (`B 12 a`, `B12A`);
//! - the fixed-width residence-id part ([`DwellingId::residence_part`]): 5 characters, staircase
//!   (1) + flat number (3, zero-padded) + division (1), each absent part written as spaces (so
//!   flat 000 and "no flat number" stay different): `B012a`, `B012 `, ` 012 `, `A    `.

use super::{IdError, IdKind, IdPart, trimmed};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A valid dwelling identification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DwellingId {
    staircase: Option<char>,
    flat: Option<u16>,
    division: Option<char>,
}

fn is_staircase(c: char) -> bool {
    c.is_ascii_uppercase() || matches!(c, 'Å' | 'Ä' | 'Ö')
}

fn is_division(c: char) -> bool {
    c.is_ascii_lowercase() || matches!(c, 'å' | 'ä' | 'ö')
}

/// The only character of `chars`, if there is exactly one (case mapping can yield several).
fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

fn part_error(kind: IdKind, part: IdPart) -> IdError {
    IdError::Part { kind, part }
}

impl DwellingId {
    /// From the parts; `None` if a letter is outside its alphabet, the flat number is over
    /// 999, a division letter comes without a flat number, or both staircase and flat are
    /// missing.
    pub fn new(
        staircase: Option<char>,
        flat: Option<u16>,
        division: Option<char>,
    ) -> Option<DwellingId> {
        let valid = staircase.is_none_or(is_staircase)
            && flat.is_none_or(|n| n <= 999)
            && division.is_none_or(is_division)
            && (division.is_none() || flat.is_some())
            && (staircase.is_some() || flat.is_some());
        valid.then_some(DwellingId {
            staircase,
            flat,
            division,
        })
    }

    pub fn staircase(self) -> Option<char> {
        self.staircase
    }
    pub fn flat_number(self) -> Option<u16> {
        self.flat
    }
    pub fn division_letter(self) -> Option<char> {
        self.division
    }

    /// The five-character part of a residence id: `B012a`, absent parts as spaces.
    pub fn residence_part(self) -> String {
        let mut s = String::with_capacity(8);
        s.push(self.staircase.unwrap_or(' '));
        match self.flat {
            Some(n) => s.push_str(&format!("{n:03}")),
            None => s.push_str("   "),
        }
        s.push(self.division.unwrap_or(' '));
        s
    }

    /// Reads the five-character residence-id part; all spaces is `None` (no dwelling id).
    /// Errors name the residence id, where this part lives.
    pub fn from_residence_part(part: &str) -> Result<Option<DwellingId>, IdError> {
        let kind = IdKind::ResidenceId;
        let chars: Vec<char> = part.chars().collect();
        let [staircase, f1, f2, f3, division] = chars.as_slice() else {
            return Err(IdError::Format { kind });
        };
        let staircase = match staircase {
            ' ' => None,
            c => Some(
                single(c.to_uppercase())
                    .filter(|c| is_staircase(*c))
                    .ok_or(part_error(kind, IdPart::Staircase))?,
            ),
        };
        let flat = match [*f1, *f2, *f3] {
            [' ', ' ', ' '] => None,
            digits if digits.iter().all(char::is_ascii_digit) => Some(
                digits
                    .iter()
                    .fold(0, |n, c| n * 10 + (*c as u16 - u16::from(b'0'))),
            ),
            _ => return Err(part_error(kind, IdPart::FlatNumber)),
        };
        let division = match division {
            ' ' => None,
            c => Some(
                single(c.to_lowercase())
                    .filter(|c| is_division(*c) && flat.is_some())
                    .ok_or(part_error(kind, IdPart::DivisionLetter))?,
            ),
        };
        if staircase.is_none() && flat.is_none() {
            return Ok(None);
        }
        Ok(DwellingId::new(staircase, flat, division))
    }
}

impl FromStr for DwellingId {
    type Err = IdError;
    fn from_str(input: &str) -> Result<DwellingId, IdError> {
        let kind = IdKind::DwellingId;
        let s = trimmed(input, kind)?;
        let mut chars = s.chars().peekable();
        let skip_spaces = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
        };

        let staircase = match chars.next_if(|c| c.is_alphabetic()) {
            None => None,
            Some(c) => Some(
                single(c.to_uppercase())
                    .filter(|c| is_staircase(*c))
                    .ok_or(part_error(kind, IdPart::Staircase))?,
            ),
        };
        skip_spaces(&mut chars);
        let mut digits = String::new();
        while let Some(d) = chars.next_if(char::is_ascii_digit) {
            digits.push(d);
        }
        let flat = match digits.len() {
            0 => None,
            1..=3 => digits.parse::<u16>().ok(),
            _ => return Err(part_error(kind, IdPart::FlatNumber)),
        };
        skip_spaces(&mut chars);
        let division = match chars.next_if(|c| c.is_alphabetic()) {
            None => None,
            Some(c) => Some(
                single(c.to_lowercase())
                    .filter(|c| is_division(*c) && flat.is_some())
                    .ok_or(part_error(kind, IdPart::DivisionLetter))?,
            ),
        };
        if chars.next().is_some() {
            return Err(IdError::Format { kind });
        }
        DwellingId::new(staircase, flat, division).ok_or(IdError::Format { kind })
    }
}

impl fmt::Display for DwellingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(staircase) = self.staircase {
            write!(f, "{staircase}")?;
        }
        if let Some(flat) = self.flat {
            if self.staircase.is_some() {
                f.write_str(" ")?;
            }
            write!(f, "{flat}")?;
        }
        if let Some(division) = self.division {
            write!(f, "{division}")?;
        }
        Ok(())
    }
}

string_serde!(DwellingId);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::testing::{any_dwelling_id, assert_accepts, assert_refuses, assert_serde};
    use proptest::prelude::*;

    const KIND: IdKind = IdKind::DwellingId;

    fn part(part: IdPart) -> IdError {
        IdError::Part { kind: KIND, part }
    }

    #[test]
    fn vectors() {
        assert_accepts::<DwellingId>(&[
            ("B 12a", "B 12a"),
            ("B 12", "B 12"),
            ("12", "12"),
            ("12a", "12a"),
            ("A", "A"),
            ("b 12a", "B 12a"),
            ("B12", "B 12"),
            ("B 012", "B 12"),
            ("B  012 a", "B 12a"),
            ("B12A", "B 12a"),
            (" Ö 999 ö ", "Ö 999ö"),
            ("å", "Å"),
            ("A 0", "A 0"),
            ("A 000", "A 0"),
            ("007", "7"),
        ]);
        assert_refuses::<DwellingId>(&[
            ("", IdError::Empty { kind: KIND }),
            ("Ü 12", part(IdPart::Staircase)),
            ("ß 12", part(IdPart::Staircase)),
            ("B 1234", part(IdPart::FlatNumber)),
            ("B a", part(IdPart::DivisionLetter)),
            ("AB", part(IdPart::DivisionLetter)),
            ("B 12ü", part(IdPart::DivisionLetter)),
            ("B 12ab", IdError::Format { kind: KIND }),
            ("B-12", IdError::Format { kind: KIND }),
            ("12 13", IdError::Format { kind: KIND }),
            ("#", IdError::Format { kind: KIND }),
        ]);
    }

    #[test]
    fn residence_part_is_fixed_width_with_spaces_for_absent_parts() -> Result<(), IdError> {
        for (written, part) in [
            ("B 12a", "B012a"),
            ("B 12", "B012 "),
            ("12", " 012 "),
            ("12a", " 012a"),
            ("A", "A    "),
            ("A 0", "A000 "),
            ("Ä 999ö", "Ä999ö"),
        ] {
            let id: DwellingId = written.parse()?;
            assert_eq!(id.residence_part(), part, "{written}");
            assert_eq!(id.residence_part().chars().count(), 5);
            assert_eq!(DwellingId::from_residence_part(part), Ok(Some(id)));
        }
        assert_eq!(DwellingId::from_residence_part("     "), Ok(None));
        assert_eq!(
            DwellingId::from_residence_part("b012A")?,
            "B 12a".parse().ok()
        );
        let residence = |part| IdError::Part {
            kind: IdKind::ResidenceId,
            part,
        };
        for (bad, error) in [
            ("B12 a", residence(IdPart::FlatNumber)),
            ("B 12a", residence(IdPart::FlatNumber)),
            ("1012a", residence(IdPart::Staircase)),
            ("B0121", residence(IdPart::DivisionLetter)),
            ("B   a", residence(IdPart::DivisionLetter)),
            (
                "B012",
                IdError::Format {
                    kind: IdKind::ResidenceId,
                },
            ),
        ] {
            assert_eq!(DwellingId::from_residence_part(bad), Err(error), "{bad:?}");
        }
        Ok(())
    }

    #[test]
    fn constructor_keeps_the_invariants() {
        assert!(DwellingId::new(None, None, None).is_none());
        assert!(DwellingId::new(Some('B'), None, Some('a')).is_none());
        assert!(DwellingId::new(Some('b'), Some(1), None).is_none());
        assert!(DwellingId::new(Some('B'), Some(1000), None).is_none());
        assert!(DwellingId::new(Some('B'), Some(1), Some('A')).is_none());
        assert!(DwellingId::new(Some('Å'), Some(1), Some('ö')).is_some());
    }

    #[test]
    fn serde_refuses_invalid_ids() {
        assert_serde::<DwellingId>("B 12a", "B a");
    }

    proptest! {
        #[test]
        fn every_written_form_means_the_same_id(id in any_dwelling_id()) {
            prop_assert_eq!(id.to_string().parse::<DwellingId>(), Ok(id));
            prop_assert_eq!(id.to_string().to_lowercase().parse::<DwellingId>(), Ok(id));
            prop_assert_eq!(id.residence_part().replace(' ', "").parse::<DwellingId>(), Ok(id));
            prop_assert_eq!(DwellingId::from_residence_part(&id.residence_part()), Ok(Some(id)));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "[A-Za-zÅÄÖåäö0-9 ]{0,8}|\\PC{0,8}") {
            let _ = s.parse::<DwellingId>();
        }
    }
}
