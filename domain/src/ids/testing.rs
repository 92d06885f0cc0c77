//! Table-driven checks shared by the identifier tests: accepted inputs with their canonical
//! form, rejected inputs with their exact error, and serde refusing what parsing refuses.

use super::{DwellingId, IdError};
use crate::lang::Lang;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::{Debug, Display};
use std::str::FromStr;

/// Every input parses, writes the given canonical form, and the canonical form parses back
/// to the same value.
pub fn assert_accepts<T>(cases: &[(&str, &str)])
where
    T: FromStr<Err = IdError> + Display + Debug + PartialEq,
{
    for (input, canonical) in cases {
        let value = input
            .parse::<T>()
            .unwrap_or_else(|e| unreachable!("{input:?} was refused: {e}"));
        assert_eq!(&value.to_string(), canonical, "input {input:?}");
        assert_eq!(canonical.parse::<T>().as_ref(), Ok(&value), "{canonical:?}");
    }
}

/// Every input is refused with exactly the given error, whose message exists in all three
/// languages.
pub fn assert_refuses<T>(cases: &[(&str, IdError)])
where
    T: FromStr<Err = IdError> + Debug,
{
    for (input, expected) in cases {
        match input.parse::<T>() {
            Ok(value) => unreachable!("{input:?} was accepted as {value:?}"),
            Err(e) => assert_eq!(&e, expected, "input {input:?}"),
        }
        let [fi, sv, en] = Lang::ALL.map(|lang| expected.message(lang));
        assert!(fi != sv && sv != en && !fi.is_empty(), "{expected:?}");
    }
}

/// Serde writes the canonical string, reads it back, and refuses `invalid`.
pub fn assert_serde<T>(valid: &str, invalid: &str)
where
    T: FromStr<Err = IdError> + Serialize + DeserializeOwned + Debug + PartialEq,
{
    let value = valid
        .parse::<T>()
        .unwrap_or_else(|e| unreachable!("{valid:?}: {e}"));
    let json = serde_json::to_string(&value).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(json, serde_json::to_string(valid).unwrap_or_default());
    assert_eq!(serde_json::from_str::<T>(&json).ok(), Some(value));
    let bad = serde_json::to_string(invalid).unwrap_or_default();
    assert!(
        serde_json::from_str::<T>(&bad).is_err(),
        "{invalid:?} was deserialised"
    );
}

/// Any valid dwelling id: staircase, flat number and division letter in every combination the
/// invariants allow.
pub fn any_dwelling_id() -> impl Strategy<Value = DwellingId> {
    let staircases: Vec<char> = ('A'..='Z').chain(['Å', 'Ä', 'Ö']).collect();
    let divisions: Vec<char> = ('a'..='z').chain(['å', 'ä', 'ö']).collect();
    (
        proptest::option::of(proptest::sample::select(staircases)),
        proptest::option::of(0u16..=999),
        proptest::option::of(proptest::sample::select(divisions)),
    )
        .prop_filter_map("valid parts", |(s, f, d)| DwellingId::new(s, f, d))
}
