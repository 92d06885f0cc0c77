//! The Finnish personal identity code (henkilötunnus, HETU) `DDMMYYCNNNQ`.
//!
//! Invariants of a [`Hetu`] value: the date is a real calendar day in the century its sign
//! names, the individual number is 002–899 (900–999 are temporary codes, never in the register),
//! and the check character matches. The century sign is part of identity: since 2023 two persons
//! can have codes that differ only in the sign, so it is never normalised away.

mod texts;

use crate::check_char::{check_char, is_check_char};
use crate::date::{Date, is_leap_year};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The century sign at position 7.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CenturySign {
    /// `+`: born in the 1800s.
    Plus,
    /// `-`: the 1900s, original sign.
    Minus,
    Y,
    X,
    W,
    V,
    U,
    /// `A`: the 2000s, original sign.
    A,
    B,
    C,
    D,
    E,
    F,
}

impl CenturySign {
    pub const ALL: [CenturySign; 13] = [
        CenturySign::Plus,
        CenturySign::Minus,
        CenturySign::Y,
        CenturySign::X,
        CenturySign::W,
        CenturySign::V,
        CenturySign::U,
        CenturySign::A,
        CenturySign::B,
        CenturySign::C,
        CenturySign::D,
        CenturySign::E,
        CenturySign::F,
    ];

    pub fn from_char(c: char) -> Option<CenturySign> {
        Some(match c {
            '+' => CenturySign::Plus,
            '-' => CenturySign::Minus,
            'Y' => CenturySign::Y,
            'X' => CenturySign::X,
            'W' => CenturySign::W,
            'V' => CenturySign::V,
            'U' => CenturySign::U,
            'A' => CenturySign::A,
            'B' => CenturySign::B,
            'C' => CenturySign::C,
            'D' => CenturySign::D,
            'E' => CenturySign::E,
            'F' => CenturySign::F,
            _ => return None,
        })
    }

    pub fn as_char(self) -> char {
        match self {
            CenturySign::Plus => '+',
            CenturySign::Minus => '-',
            CenturySign::Y => 'Y',
            CenturySign::X => 'X',
            CenturySign::W => 'W',
            CenturySign::V => 'V',
            CenturySign::U => 'U',
            CenturySign::A => 'A',
            CenturySign::B => 'B',
            CenturySign::C => 'C',
            CenturySign::D => 'D',
            CenturySign::E => 'E',
            CenturySign::F => 'F',
        }
    }

    /// The first year of the century the sign stands for (1800, 1900 or 2000).
    pub fn century(self) -> i32 {
        match self {
            CenturySign::Plus => 1800,
            CenturySign::Minus
            | CenturySign::Y
            | CenturySign::X
            | CenturySign::W
            | CenturySign::V
            | CenturySign::U => 1900,
            _ => 2000,
        }
    }

    /// The original sign of the century that contains `year`, if the HETU has one.
    pub fn original_for_year(year: i32) -> Option<CenturySign> {
        match year {
            1800..=1899 => Some(CenturySign::Plus),
            1900..=1999 => Some(CenturySign::Minus),
            2000..=2099 => Some(CenturySign::A),
            _ => None,
        }
    }
}

/// A valid personal identity code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Hetu {
    birth_date: Date,
    sign: CenturySign,
    individual: u16,
}

/// The rule an identity code broke. Each variant names one rule, in words a clerk understands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum HetuError {
    #[error("the identity code is empty")]
    Empty,
    #[error("an identity code has 11 characters, this has {found}")]
    Length { found: usize },
    #[error("the first six characters must be the birth date as digits (DDMMYY)")]
    DateNotDigits,
    #[error("month {month} does not exist")]
    Month { month: u8 },
    #[error("day {day} does not exist in month {month}")]
    Day { day: u8, month: u8 },
    #[error("29 February {year} does not exist: {year} is not a leap year")]
    NotLeapYear { year: i32 },
    #[error("'{found}' is not a century sign (+, -, Y, X, W, V, U, A, B, C, D, E, F)")]
    CenturySign { found: char },
    #[error("characters 8 to 10 must be the individual number as digits")]
    IndividualNotDigits,
    #[error("individual number {number:03} is not in use (002 to 899)")]
    IndividualTooLow { number: u16 },
    #[error("individual number {number} belongs to a temporary identity code (900 to 999)")]
    Temporary { number: u16 },
    #[error("'{found}' is never a check character (G, I, O, Q and Z are not used)")]
    CheckCharacterInvalid { found: char },
    /// The check character does not match the digits: somewhere there is a typo. The expected
    /// character is deliberately not told: "fixing" it would turn a mistyped digit into
    /// someone else's valid code.
    #[error("the code has a typo: a digit or the check character is wrong")]
    CheckCharacter,
    #[error("the birth date {date} is in the future")]
    Future { date: Date },
}

fn two_digits(b: &[u8]) -> Option<u8> {
    match b {
        [a, c] if a.is_ascii_digit() && c.is_ascii_digit() => Some((a - b'0') * 10 + (c - b'0')),
        _ => None,
    }
}

impl Hetu {
    /// Builds a code from its parts, checking every rule but the future-date one.
    pub fn new(birth_date: Date, sign: CenturySign, individual: u16) -> Result<Hetu, HetuError> {
        if birth_date.year() - birth_date.year().rem_euclid(100) != sign.century() {
            return Err(HetuError::CenturySign {
                found: sign.as_char(),
            });
        }
        check_individual(individual)?;
        Ok(Hetu {
            birth_date,
            sign,
            individual,
        })
    }

    /// Parses and also rejects a birth date after `today`. Use this for user input.
    pub fn parse_as_of(input: &str, today: Date) -> Result<Hetu, HetuError> {
        let hetu: Hetu = input.parse()?;
        if hetu.birth_date > today {
            return Err(HetuError::Future {
                date: hetu.birth_date,
            });
        }
        Ok(hetu)
    }

    pub fn birth_date(&self) -> Date {
        self.birth_date
    }
    pub fn sign(&self) -> CenturySign {
        self.sign
    }
    pub fn individual_number(&self) -> u16 {
        self.individual
    }

    /// The nine digits `DDMMYYNNN` the check character is computed from.
    fn nine_digits(&self) -> u64 {
        let d = self.birth_date;
        let yy = d.year().rem_euclid(100) as u64;
        ((u64::from(d.day()) * 100 + u64::from(d.month())) * 100 + yy) * 1000
            + u64::from(self.individual)
    }

    pub fn check_character(&self) -> char {
        check_char(self.nine_digits())
    }

    /// Odd individual numbers were allocated to men, even to women (true for codes issued
    /// before 2027; do not derive legal sex from it).
    pub fn is_odd(&self) -> bool {
        self.individual % 2 == 1
    }
}

fn check_individual(number: u16) -> Result<(), HetuError> {
    match number {
        0..=1 => Err(HetuError::IndividualTooLow { number }),
        2..=899 => Ok(()),
        _ => Err(HetuError::Temporary { number }),
    }
}

impl FromStr for Hetu {
    type Err = HetuError;

    /// Accepts lower case and surrounding spaces; checks every rule except "not in the
    /// future", which needs today's date (see [`Hetu::parse_as_of`]).
    fn from_str(input: &str) -> Result<Hetu, HetuError> {
        let s = input.trim().to_uppercase();
        if s.is_empty() {
            return Err(HetuError::Empty);
        }
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 11 {
            return Err(HetuError::Length { found: chars.len() });
        }
        if !chars[..6].iter().all(char::is_ascii_digit) {
            return Err(HetuError::DateNotDigits);
        }
        let b = s.as_bytes();
        let (day, month, yy) = match (
            two_digits(&b[0..2]),
            two_digits(&b[2..4]),
            two_digits(&b[4..6]),
        ) {
            (Some(d), Some(m), Some(y)) => (d, m, y),
            _ => return Err(HetuError::DateNotDigits),
        };
        let sign =
            CenturySign::from_char(chars[6]).ok_or(HetuError::CenturySign { found: chars[6] })?;
        if !chars[7..10].iter().all(char::is_ascii_digit) {
            return Err(HetuError::IndividualNotDigits);
        }
        let individual = chars[7..10]
            .iter()
            .fold(0u16, |n, c| n * 10 + (*c as u16 - u16::from(b'0')));
        let found = chars[10];
        if !is_check_char(found) {
            return Err(HetuError::CheckCharacterInvalid { found });
        }
        if !(1..=12).contains(&month) {
            return Err(HetuError::Month { month });
        }
        let year = sign.century() + i32::from(yy);
        let birth_date = Date::new(year, month, day).map_err(|_| {
            if month == 2 && day == 29 && !is_leap_year(year) {
                HetuError::NotLeapYear { year }
            } else {
                HetuError::Day { day, month }
            }
        })?;
        check_individual(individual)?;
        let hetu = Hetu {
            birth_date,
            sign,
            individual,
        };
        let expected = hetu.check_character();
        if expected != found {
            return Err(HetuError::CheckCharacter);
        }
        Ok(hetu)
    }
}

impl fmt::Display for Hetu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.birth_date;
        write!(
            f,
            "{:02}{:02}{:02}{}{:03}{}",
            d.day(),
            d.month(),
            d.year().rem_euclid(100),
            self.sign.as_char(),
            self.individual,
            self.check_character()
        )
    }
}

impl TryFrom<String> for Hetu {
    type Error = HetuError;
    fn try_from(s: String) -> Result<Hetu, HetuError> {
        s.parse()
    }
}

impl From<Hetu> for String {
    fn from(h: Hetu) -> String {
        h.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use proptest::prelude::*;

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap_or_else(|e| unreachable!("test date {y}-{m}-{d}: {e}"))
    }

    /// The one published vector that checks out by computation (131052308 mod 31 = 25 → T).
    const KNOWN_VALID: &str = "131052-308T";

    fn valid_vectors() -> Vec<(String, Date, CenturySign)> {
        // Every century sign, a leap day in each century, the edges of the individual range.
        let rows = [
            (date(1852, 3, 4), CenturySign::Plus, 2),
            (date(1952, 10, 13), CenturySign::Minus, 308),
            (date(1960, 2, 29), CenturySign::Y, 899),
            (date(1999, 12, 31), CenturySign::X, 123),
            (date(1900, 1, 1), CenturySign::W, 500),
            (date(1988, 7, 7), CenturySign::V, 42),
            (date(1977, 5, 20), CenturySign::U, 777),
            (date(2000, 2, 29), CenturySign::A, 2),
            (date(2004, 2, 29), CenturySign::B, 111),
            (date(2010, 1, 31), CenturySign::C, 898),
            (date(2023, 12, 19), CenturySign::D, 345),
            (date(2019, 6, 1), CenturySign::E, 3),
            (date(2001, 9, 11), CenturySign::F, 640),
            (date(1896, 2, 29), CenturySign::Plus, 4),
        ];
        rows.iter()
            .map(|&(d, s, n)| {
                let h = Hetu::new(d, s, n).unwrap_or_else(|e| unreachable!("{e}"));
                (h.to_string(), d, s)
            })
            .collect()
    }

    #[test]
    fn known_vector_and_computed_vectors_parse() {
        assert_eq!(
            KNOWN_VALID.parse::<Hetu>().map(|h| h.birth_date()),
            Ok(date(1952, 10, 13))
        );
        let vectors = valid_vectors();
        let signs: std::collections::HashSet<_> = vectors.iter().map(|v| v.2).collect();
        assert_eq!(signs.len(), 13, "every century sign is covered");
        for (code, d, sign) in vectors {
            let h: Hetu = code.parse().unwrap_or_else(|e| unreachable!("{code}: {e}"));
            assert_eq!(h.birth_date(), d, "{code}");
            assert_eq!(h.sign(), sign, "{code}");
            assert_eq!(h.to_string(), code);
        }
    }

    #[test]
    fn public_example_with_wrong_check_character_is_rejected() {
        // The widely copied reform example has the check character W, not K.
        assert_eq!(
            "010190-999K".parse::<Hetu>(),
            Err(HetuError::Temporary { number: 999 })
        );
        assert_eq!(
            "010190-998K".parse::<Hetu>(),
            Err(HetuError::Temporary { number: 998 })
        );
        assert_eq!(
            "131052-308A".parse::<Hetu>(),
            Err(HetuError::CheckCharacter)
        );
    }

    #[test]
    fn normalises_case_and_spaces() {
        let h: Hetu = "  131052-308t \n"
            .parse()
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(h.to_string(), "131052-308T");
        let lower = Hetu::new(date(2004, 2, 29), CenturySign::B, 111)
            .unwrap_or_else(|e| unreachable!("{e}"))
            .to_string()
            .to_lowercase();
        assert!(lower.parse::<Hetu>().is_ok(), "{lower}");
    }

    #[test]
    fn sign_is_part_of_identity() {
        let a = Hetu::new(date(1970, 1, 1), CenturySign::Minus, 222);
        let b = Hetu::new(date(1970, 1, 1), CenturySign::Y, 222);
        assert!(a.is_ok() && b.is_ok());
        assert_ne!(a, b);
        assert_ne!(a.map(|h| h.to_string()), b.map(|h| h.to_string()));
    }

    #[test]
    fn each_way_to_be_wrong() {
        let cases: &[(&str, HetuError)] = &[
            ("", HetuError::Empty),
            ("   ", HetuError::Empty),
            ("131052-308", HetuError::Length { found: 10 }),
            ("131052-308TT", HetuError::Length { found: 12 }),
            ("13105X-308T", HetuError::DateNotDigits),
            ("131352-308T", HetuError::Month { month: 13 }),
            ("130052-308T", HetuError::Month { month: 0 }),
            ("310452-308T", HetuError::Day { day: 31, month: 4 }),
            ("000152-308T", HetuError::Day { day: 0, month: 1 }),
            ("290299-308T", HetuError::NotLeapYear { year: 1999 }),
            ("290200+308T", HetuError::NotLeapYear { year: 1800 }),
            ("131052G308T", HetuError::CenturySign { found: 'G' }),
            ("131052 308T", HetuError::CenturySign { found: ' ' }),
            ("131052-3O8T", HetuError::IndividualNotDigits),
            ("131052-001T", HetuError::IndividualTooLow { number: 1 }),
            ("131052-000T", HetuError::IndividualTooLow { number: 0 }),
            ("131052-900T", HetuError::Temporary { number: 900 }),
            (
                "131052-308G",
                HetuError::CheckCharacterInvalid { found: 'G' },
            ),
            (
                "131052-308Z",
                HetuError::CheckCharacterInvalid { found: 'Z' },
            ),
            ("131052-308S", HetuError::CheckCharacter),
            // Same digits, other 1900s sign: still valid (sign is not in the checksum).
        ];
        for (input, expected) in cases {
            assert_eq!(
                &input.parse::<Hetu>().unwrap_err_or_ok(),
                expected,
                "input {input:?}"
            );
        }
        assert!("131052Y308T".parse::<Hetu>().is_ok());
    }

    trait UnwrapErrOrOk {
        fn unwrap_err_or_ok(self) -> HetuError;
    }
    impl UnwrapErrOrOk for Result<Hetu, HetuError> {
        fn unwrap_err_or_ok(self) -> HetuError {
            match self {
                Err(e) => e,
                Ok(h) => unreachable!("{h} was accepted"),
            }
        }
    }

    #[test]
    fn future_dates_are_rejected_against_the_given_day() {
        let today = date(2026, 11, 27);
        let code = Hetu::new(date(2026, 11, 28), CenturySign::A, 10)
            .unwrap_or_else(|e| unreachable!("{e}"))
            .to_string();
        assert_eq!(
            Hetu::parse_as_of(&code, today),
            Err(HetuError::Future {
                date: date(2026, 11, 28)
            })
        );
        let born_today = Hetu::new(today, CenturySign::A, 10)
            .unwrap_or_else(|e| unreachable!("{e}"))
            .to_string();
        assert!(Hetu::parse_as_of(&born_today, today).is_ok());
    }

    #[test]
    fn messages_exist_in_three_languages_and_name_the_rule() {
        let e = HetuError::CheckCharacter;
        assert_eq!(
            e.message(Lang::En),
            "The identity code has a typo: a digit or the check character is wrong. Check the whole code."
        );
        assert!(
            e.message(Lang::Fi)
                .starts_with("Henkilötunnuksessa on kirjoitusvirhe")
        );
        assert!(
            e.message(Lang::Sv)
                .starts_with("Personbeteckningen har ett skrivfel")
        );
        // Never the character that would make the code valid: that turns a typo into someone
        // else's identity code. Two codes that need different check characters get the very
        // same error.
        assert_eq!(
            "131052-308S".parse::<Hetu>(),
            Err(HetuError::CheckCharacter)
        );
        assert_eq!(
            "010101-0020".parse::<Hetu>(),
            Err(HetuError::CheckCharacter)
        );
        for lang in Lang::ALL {
            for e in [HetuError::Empty, HetuError::Temporary { number: 950 }] {
                assert!(!e.message(lang).is_empty());
            }
        }
    }

    #[test]
    fn serde_refuses_invalid_codes() {
        let ok: Result<Hetu, _> = serde_json::from_str("\"131052-308T\"");
        assert!(ok.is_ok());
        let bad: Result<Hetu, _> = serde_json::from_str("\"131052-308S\"");
        assert!(bad.is_err());
        assert_eq!(
            ok.ok().and_then(|h| serde_json::to_string(&h).ok()),
            Some("\"131052-308T\"".to_string())
        );
    }

    fn any_hetu() -> impl Strategy<Value = Hetu> {
        (0i64..(2099 - 1800) * 366, 0usize..13, 2u16..=899).prop_filter_map(
            "date in the sign's century",
            |(offset, sign_index, n)| {
                let sign = CenturySign::ALL[sign_index];
                let start = Date::new(sign.century(), 1, 1).ok()?.days_since_epoch();
                let d = Date::from_days_since_epoch(start + offset % 36_524);
                Hetu::new(d, sign, n).ok()
            },
        )
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(h in any_hetu()) {
            let text = h.to_string();
            prop_assert_eq!(text.len(), 11);
            prop_assert_eq!(text.parse::<Hetu>(), Ok(h));
            prop_assert_eq!(text.to_lowercase().parse::<Hetu>(), Ok(h));
        }

        #[test]
        fn any_other_check_character_is_rejected(h in any_hetu(), k in 1u64..31) {
            let text = h.to_string();
            let wrong = check_char(check_index(h) + k);
            let mut bad: String = text.chars().take(10).collect();
            bad.push(wrong);
            prop_assert_eq!(
                bad.parse::<Hetu>(),
                Err(HetuError::CheckCharacter)
            );
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,16}") {
            let _ = s.parse::<Hetu>();
        }
    }

    fn check_index(h: Hetu) -> u64 {
        h.nine_digits() % 31
    }
}
