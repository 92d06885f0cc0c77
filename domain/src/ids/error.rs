//! The one error vocabulary for identifiers other than the identity code: which identifier
//! ([`IdKind`]), which part of it ([`IdPart`]) and which rule failed ([`IdError`]), worded for a
//! clerk in Finnish, Swedish and English. Every message names the rule and, where it helps,
//! shows a valid example; the examples are checked by the tests to parse.

mod texts;
use texts as t;

use crate::lang::{Lang, Text};
use serde::{Deserialize, Serialize};

/// Which identifier an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdKind {
    /// Electronic transaction id (sähköinen asiointitunnus).
    Satu,
    /// Permanent building id VTJ-PRT.
    BuildingId,
    /// Old property-based building id.
    OldBuildingId,
    /// Real-estate unit id (kiinteistötunnus), including parcels.
    PropertyId,
    MunicipalityCode,
    /// Y-tunnus.
    BusinessId,
    PostalCode,
    /// Staircase, flat number and division letter.
    DwellingId,
    /// Asuinpaikantunnus.
    ResidenceId,
}

impl IdKind {
    pub const ALL: [IdKind; 9] = [
        IdKind::Satu,
        IdKind::BuildingId,
        IdKind::OldBuildingId,
        IdKind::PropertyId,
        IdKind::MunicipalityCode,
        IdKind::BusinessId,
        IdKind::PostalCode,
        IdKind::DwellingId,
        IdKind::ResidenceId,
    ];

    /// A valid example in the canonical written form.
    pub fn example(self) -> &'static str {
        self.forms().example
    }
}

/// A part of an identifier that has a rule of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdPart {
    /// The running number of a SATU.
    SatuNumber,
    /// The first part of a property id.
    Municipality,
    /// The second part of a property id: village or city district.
    Area,
    /// The third part of a property id: house or city block.
    Group,
    /// The fourth part of a property id: holding or plot.
    Unit,
    /// The `M` number of a parcel (määräala).
    Parcel,
    /// The check letter of an old building id.
    CheckLetter,
    /// The building number at the end of an old building id.
    BuildingNumber,
    /// The address number (1–4) in a residence id.
    AddressNumber,
    Staircase,
    FlatNumber,
    DivisionLetter,
    /// The country of a residence abroad.
    CountryCode,
}

impl IdPart {
    pub const ALL: [IdPart; 13] = [
        IdPart::SatuNumber,
        IdPart::Municipality,
        IdPart::Area,
        IdPart::Group,
        IdPart::Unit,
        IdPart::Parcel,
        IdPart::CheckLetter,
        IdPart::BuildingNumber,
        IdPart::AddressNumber,
        IdPart::Staircase,
        IdPart::FlatNumber,
        IdPart::DivisionLetter,
        IdPart::CountryCode,
    ];

    /// The part's rule, as one sentence.
    pub fn rule(self) -> Text {
        match self {
            IdPart::SatuNumber => t::ID_PART_SATU_NUMBER,
            IdPart::Municipality => t::ID_PART_MUNICIPALITY,
            IdPart::Area => t::ID_PART_AREA,
            IdPart::Group => t::ID_PART_GROUP,
            IdPart::Unit => t::ID_PART_UNIT,
            IdPart::Parcel => t::ID_PART_PARCEL,
            IdPart::CheckLetter => t::ID_PART_CHECK_LETTER,
            IdPart::BuildingNumber => t::ID_PART_BUILDING_NUMBER,
            IdPart::AddressNumber => t::ID_PART_ADDRESS_NUMBER,
            IdPart::Staircase => t::ID_PART_STAIRCASE,
            IdPart::FlatNumber => t::ID_PART_FLAT_NUMBER,
            IdPart::DivisionLetter => t::ID_PART_DIVISION_LETTER,
            IdPart::CountryCode => t::ID_PART_COUNTRY_CODE,
        }
    }
}

/// The rule an identifier broke.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum IdError {
    #[error("{}", self.message(Lang::En))]
    Empty { kind: IdKind },
    /// The input (without surrounding spaces) has the wrong number of characters.
    #[error("{}", self.message(Lang::En))]
    Length {
        kind: IdKind,
        expected: u8,
        found: usize,
    },
    /// The input is not written the way the identifier is written.
    #[error("{}", self.message(Lang::En))]
    Format { kind: IdKind },
    /// One part broke its own rule.
    #[error("{}", self.message(Lang::En))]
    Part { kind: IdKind, part: IdPart },
    /// The last character is not in the mod-31 alphabet.
    #[error("{}", self.message(Lang::En))]
    CheckCharacterInvalid { kind: IdKind, found: char },
    /// The check character or digit does not match the rest: a typo somewhere. What it should
    /// be is deliberately not said: "fixing" it would make a mistyped id someone else's.
    #[error("{}", self.message(Lang::En))]
    CheckCharacter { kind: IdKind },
    /// The seven digits give remainder 1, for which no business id is issued.
    #[error("{}", self.message(Lang::En))]
    BusinessIdRemainderOne,
    /// Neither a current nor a former municipality has this number.
    #[error("{}", self.message(Lang::En))]
    UnknownMunicipality { code: u16 },
    /// No current or former municipality has this name.
    #[error("{}", self.message(Lang::En))]
    UnknownMunicipalityName,
}

impl IdError {
    /// The identifier the error is about.
    pub fn kind(&self) -> IdKind {
        match self {
            IdError::Empty { kind }
            | IdError::Length { kind, .. }
            | IdError::Format { kind }
            | IdError::Part { kind, .. }
            | IdError::CheckCharacterInvalid { kind, .. }
            | IdError::CheckCharacter { kind, .. } => *kind,
            IdError::BusinessIdRemainderOne => IdKind::BusinessId,
            IdError::UnknownMunicipality { .. } | IdError::UnknownMunicipalityName => {
                IdKind::MunicipalityCode
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_messages_say_typo_and_never_the_expected_character() {
        let e = IdError::CheckCharacter {
            kind: IdKind::BusinessId,
        };
        assert_eq!(
            e.message(Lang::Fi),
            "Y-tunnuksessa on kirjoitusvirhe: jokin numeroista tai tarkistusnumero on väärin. Tarkista koko tunnus."
        );
        assert_eq!(
            e.message(Lang::Sv),
            "FO-numret har ett skrivfel: någon siffra eller kontrollsiffran är fel. Kontrollera hela beteckningen."
        );
        assert_eq!(
            e.message(Lang::En),
            "The business id has a typo: a digit or the check digit is wrong. Check the whole id."
        );
        assert_eq!(e.to_string(), e.message(Lang::En));
        let satu = IdError::CheckCharacter { kind: IdKind::Satu };
        assert_eq!(
            satu.message(Lang::Fi),
            "Sähköisessä asiointitunnuksessa on kirjoitusvirhe: jokin numeroista tai tarkistusmerkki on väärin. Tarkista koko tunnus."
        );
    }

    #[test]
    fn municipality_length_message_says_three_digits() {
        let e = IdError::Length {
            kind: IdKind::MunicipalityCode,
            expected: 3,
            found: 2,
        };
        assert_eq!(
            e.message(Lang::Fi),
            "Kuntanumerossa on 3 merkkiä, ei 2. Kuntanumero kirjoitetaan kolmella numerolla, esim. 091."
        );
        assert_eq!(
            e.message(Lang::Sv),
            "Ett kommunnummer har 3 tecken, inte 2. Ett kommunnummer skrivs med tre siffror, t.ex. 091."
        );
        assert_eq!(
            e.message(Lang::En),
            "A municipality number has 3 characters, not 2. A municipality number is written with three digits, e.g. 091."
        );
    }

    /// Every message, for every kind and part, differs between the languages and is a sentence.
    #[test]
    fn every_message_exists_in_three_languages() {
        let mut errors = vec![
            IdError::BusinessIdRemainderOne,
            IdError::UnknownMunicipality { code: 999 },
            IdError::UnknownMunicipalityName,
        ];
        for kind in IdKind::ALL {
            errors.extend([
                IdError::Empty { kind },
                IdError::Length {
                    kind,
                    expected: 9,
                    found: 4,
                },
                IdError::Format { kind },
                IdError::CheckCharacterInvalid { kind, found: 'Q' },
                IdError::CheckCharacter { kind },
            ]);
            errors.extend(IdPart::ALL.map(|part| IdError::Part { kind, part }));
        }
        for e in errors {
            let [fi, sv, en] = Lang::ALL.map(|lang| e.message(lang));
            assert!(fi != sv && sv != en && fi != en, "{e:?}");
            for m in [&fi, &sv, &en] {
                assert!(m.ends_with('.'), "{m}");
                assert!(m.chars().next().is_some_and(|c| !c.is_lowercase()), "{m}");
            }
            assert_eq!(e.to_string(), en);
        }
        for kind in IdKind::ALL {
            let [fi, sv, en] = Lang::ALL.map(|lang| kind.name(lang));
            assert!(!fi.is_empty() && !sv.is_empty() && !en.is_empty());
        }
    }
}
