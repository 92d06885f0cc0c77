//! Searches: the kinds a permit can grant, the form a clerk fills in, its validation (the same
//! code in the browser as they type and on the server before any query) into typed criteria,
//! and what a search answers. Criteria are recorded in the audit trail, hit or miss.

mod texts;
use texts as t;

use crate::catalogue::columns as c;
use crate::catalogue::{ColumnSpec, ProtectedRows};
use crate::date::Date;
use crate::hetu::Hetu;
use crate::ids::{
    BuildingId, DwellingId, IdError, MunicipalityCode, OldBuildingId, PostalCode, PropertyId, Satu,
};
use crate::lang::Text;
use crate::screen::{DwellingRef, Row, SubjectKind, SubjectLink};
use crate::validation::{DateRule, Field, FieldError, ValidationError};
use serde::{Deserialize, Serialize};

/// At most this many hits are listed; beyond it the user is asked to narrow the search.
pub const MAX_HITS: usize = 50;

/// A kind of search a permit can grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SearchKind {
    Hetu,
    Satu,
    Name,
    Address,
    Building,
    OldBuilding,
    Dwelling,
    Property,
}

/// Whether a form field must be filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
}

impl SearchKind {
    pub const ALL: &'static [SearchKind] = &[
        SearchKind::Hetu,
        SearchKind::Satu,
        SearchKind::Name,
        SearchKind::Address,
        SearchKind::Building,
        SearchKind::OldBuilding,
        SearchKind::Dwelling,
        SearchKind::Property,
    ];

    /// A stable name for logs and audit entries.
    pub fn slug(self) -> &'static str {
        match self {
            SearchKind::Hetu => "search.hetu",
            SearchKind::Satu => "search.satu",
            SearchKind::Name => "search.name",
            SearchKind::Address => "search.address",
            SearchKind::Building => "search.building",
            SearchKind::OldBuilding => "search.old-building",
            SearchKind::Dwelling => "search.dwelling",
            SearchKind::Property => "search.property",
        }
    }

    /// The part of the slug after `search.`, used in the search page's URL.
    pub fn short_slug(self) -> &'static str {
        self.slug().trim_start_matches("search.")
    }

    pub fn from_short_slug(s: &str) -> Option<SearchKind> {
        SearchKind::ALL
            .iter()
            .copied()
            .find(|k| k.short_slug() == s)
    }

    pub fn title(self) -> Text {
        match self {
            SearchKind::Hetu => t::SEARCH_KIND_HETU,
            SearchKind::Satu => t::SEARCH_KIND_SATU,
            SearchKind::Name => t::SEARCH_KIND_NAME,
            SearchKind::Address => t::SEARCH_KIND_ADDRESS,
            SearchKind::Building => t::SEARCH_KIND_BUILDING,
            SearchKind::OldBuilding => t::SEARCH_KIND_OLD_BUILDING,
            SearchKind::Dwelling => t::SEARCH_KIND_DWELLING,
            SearchKind::Property => t::SEARCH_KIND_PROPERTY,
        }
    }

    /// What the search finds.
    pub fn subject(self) -> SubjectKind {
        match self {
            SearchKind::Hetu | SearchKind::Satu | SearchKind::Name => SubjectKind::Person,
            SearchKind::Address | SearchKind::Building | SearchKind::OldBuilding => {
                SubjectKind::Building
            }
            SearchKind::Dwelling => SubjectKind::Dwelling,
            SearchKind::Property => SubjectKind::Property,
        }
    }

    /// The form's fields, in order.
    pub fn fields(self) -> &'static [(Field, Need)] {
        use Need::{Optional, Required};
        match self {
            SearchKind::Hetu => &[(Field::Hetu, Required)],
            SearchKind::Satu => &[(Field::Satu, Required)],
            SearchKind::Name => &[
                (Field::Surname, Required),
                (Field::FirstNames, Required),
                (Field::BirthDate, Required),
                (Field::Municipality, Optional),
            ],
            SearchKind::Address => &[
                (Field::Street, Required),
                (Field::HouseNumber, Required),
                (Field::Dwelling, Optional),
                (Field::PostalCode, Optional),
                (Field::Municipality, Optional),
            ],
            SearchKind::Building => &[(Field::BuildingId, Required)],
            SearchKind::OldBuilding => &[(Field::OldBuildingId, Required)],
            SearchKind::Dwelling => &[(Field::BuildingId, Required), (Field::Dwelling, Required)],
            SearchKind::Property => &[(Field::PropertyId, Required)],
        }
    }
}

/// What the user typed, field by field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchForm {
    pub kind: SearchKind,
    pub values: Vec<(Field, String)>,
}

/// Validated search criteria. Recorded in the audit trail as they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Search {
    Hetu(Hetu),
    Satu(Satu),
    Name {
        surname: String,
        first_names: String,
        birth_date: Date,
        municipality: Option<MunicipalityCode>,
    },
    Address {
        street: String,
        house_number: String,
        dwelling: Option<DwellingId>,
        postal_code: Option<PostalCode>,
        municipality: Option<MunicipalityCode>,
    },
    Building(BuildingId),
    OldBuilding(OldBuildingId),
    Dwelling(DwellingRef),
    Property(PropertyId),
}

impl Search {
    pub fn kind(&self) -> SearchKind {
        match self {
            Search::Hetu(_) => SearchKind::Hetu,
            Search::Satu(_) => SearchKind::Satu,
            Search::Name { .. } => SearchKind::Name,
            Search::Address { .. } => SearchKind::Address,
            Search::Building(_) => SearchKind::Building,
            Search::OldBuilding(_) => SearchKind::OldBuilding,
            Search::Dwelling(_) => SearchKind::Dwelling,
            Search::Property(_) => SearchKind::Property,
        }
    }
}

/// The longest a name or street the register holds (DOMAIN.md §2.2).
const MAX_NAME: u16 = 100;
const MAX_HOUSE_NUMBER: u16 = 13;

fn name_like(s: &str, field: Field, max: u16) -> Result<String, ValidationError> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > usize::from(max) {
        return Err(ValidationError::TooLong { field, max });
    }
    let allowed = |ch: char| ch.is_alphabetic() || matches!(ch, ' ' | '-' | '\'' | '’' | '.');
    // At least one letter: "-" or "." alone would match every name.
    if !s.chars().all(allowed) || !s.chars().any(char::is_alphabetic) {
        return Err(ValidationError::Characters(field));
    }
    Ok(s)
}

fn street(s: &str) -> Result<String, ValidationError> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > usize::from(MAX_NAME) {
        return Err(ValidationError::TooLong {
            field: Field::Street,
            max: MAX_NAME,
        });
    }
    let allowed =
        |ch: char| ch.is_alphanumeric() || matches!(ch, ' ' | '-' | '\'' | '’' | '.' | ':');
    if !s.chars().all(allowed) {
        return Err(ValidationError::Characters(Field::Street));
    }
    Ok(s)
}

fn house_number(s: &str) -> Result<String, ValidationError> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > usize::from(MAX_HOUSE_NUMBER) {
        return Err(ValidationError::TooLong {
            field: Field::HouseNumber,
            max: MAX_HOUSE_NUMBER,
        });
    }
    let ok = s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars()
            .all(|ch| ch.is_alphanumeric() || matches!(ch, ' ' | '-'));
    if !ok {
        return Err(ValidationError::Characters(Field::HouseNumber));
    }
    Ok(s)
}

fn birth_date(s: &str, today: Date) -> Result<Date, ValidationError> {
    let d = Date::parse_input(s)?;
    if d > today {
        return Err(ValidationError::Date(DateRule::Future));
    }
    Ok(d)
}

impl SearchForm {
    pub fn new(kind: SearchKind) -> SearchForm {
        SearchForm {
            kind,
            values: Vec::new(),
        }
    }

    pub fn with(mut self, field: Field, value: impl Into<String>) -> SearchForm {
        self.set(field, value);
        self
    }

    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        let value = value.into();
        match self.values.iter_mut().find(|(f, _)| *f == field) {
            Some((_, v)) => *v = value,
            None => self.values.push((field, value)),
        }
    }

    /// The value typed into a field (empty if none).
    pub fn get(&self, field: Field) -> &str {
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every field's error at once, or the typed criteria. `today` rejects birth dates in the
    /// future (the browser passes its own date, the server its clock's).
    /// The form as a user meant it: an address typed whole into the street field ("Kauppakatu
    /// 1", "Kauppakatu 1 A 3") with the house number left empty is split into street, number
    /// and (if that field is empty too) dwelling. Anything else is as typed. The page shows the
    /// split before it searches; validation applies the same split, so the server agrees.
    pub fn normalised(&self) -> SearchForm {
        let mut out = self.clone();
        if self.kind != SearchKind::Address || !self.get(Field::HouseNumber).trim().is_empty() {
            return out;
        }
        let words: Vec<&str> = self.get(Field::Street).split_whitespace().collect();
        // The number is the first word after the street's own that starts with a digit.
        let Some(at) = words
            .iter()
            .skip(1)
            .position(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            .map(|i| i + 1)
        else {
            return out;
        };
        out.set(Field::Street, words[..at].join(" "));
        out.set(Field::HouseNumber, words[at]);
        let rest = words[at + 1..].join(" ");
        if !rest.is_empty() {
            if self.get(Field::Dwelling).trim().is_empty() {
                out.set(Field::Dwelling, rest);
            } else {
                // A dwelling typed in both places: keep the field's, and the number as it was.
                return self.clone();
            }
        }
        out
    }

    pub fn validate(&self, today: Date) -> Result<Search, Vec<FieldError>> {
        let normalised = self.normalised();
        normalised.validate_as_typed(today)
    }

    fn validate_as_typed(&self, today: Date) -> Result<Search, Vec<FieldError>> {
        let mut errors = Vec::new();
        // Required fields first: an empty required field is the only error it gets.
        for &(field, need) in self.kind.fields() {
            if need == Need::Required && self.get(field).trim().is_empty() {
                errors.push(FieldError::new(field, ValidationError::Required(field)));
            }
        }
        let required_missing: Vec<Field> = errors.iter().map(|e| e.field).collect();
        let missing = |f: Field| required_missing.contains(&f);
        let mut check = |field: Field, result: Result<(), ValidationError>| {
            if let Err(e) = result {
                errors.push(FieldError::new(field, e));
            }
        };
        let optional = |f: Field| {
            let v = self.get(f).trim();
            (!v.is_empty()).then_some(v)
        };
        let id_err = |e: IdError| ValidationError::Id(e);
        let search = match self.kind {
            SearchKind::Hetu => {
                let r = Hetu::parse_as_of(self.get(Field::Hetu), today);
                let v = r.clone().ok();
                if !missing(Field::Hetu) {
                    check(Field::Hetu, r.map(|_| ()).map_err(ValidationError::from));
                }
                v.map(Search::Hetu)
            }
            SearchKind::Satu => {
                let r = self.get(Field::Satu).parse::<Satu>();
                let v = r.clone().ok();
                if !missing(Field::Satu) {
                    check(Field::Satu, r.map(|_| ()).map_err(id_err));
                }
                v.map(Search::Satu)
            }
            SearchKind::Name => {
                let surname = name_like(self.get(Field::Surname), Field::Surname, MAX_NAME);
                let first = name_like(self.get(Field::FirstNames), Field::FirstNames, MAX_NAME);
                let born = birth_date(self.get(Field::BirthDate), today);
                let municipality = optional(Field::Municipality)
                    .map(|m| MunicipalityCode::lookup(m).map_err(id_err))
                    .transpose();
                for (field, r) in [
                    (Field::Surname, surname.as_ref().map(|_| ())),
                    (Field::FirstNames, first.as_ref().map(|_| ())),
                    (Field::BirthDate, born.as_ref().map(|_| ())),
                    (Field::Municipality, municipality.as_ref().map(|_| ())),
                ] {
                    if !missing(field) {
                        check(field, r.map_err(Clone::clone));
                    }
                }
                match (surname, first, born, municipality) {
                    (Ok(surname), Ok(first_names), Ok(birth_date), Ok(municipality)) => {
                        Some(Search::Name {
                            surname,
                            first_names,
                            birth_date,
                            municipality,
                        })
                    }
                    _ => None,
                }
            }
            SearchKind::Address => {
                let st = street(self.get(Field::Street));
                let number = house_number(self.get(Field::HouseNumber));
                let dwelling = optional(Field::Dwelling)
                    .map(|d| d.parse::<DwellingId>().map_err(id_err))
                    .transpose();
                let postal = optional(Field::PostalCode)
                    .map(|p| p.parse::<PostalCode>().map_err(id_err))
                    .transpose();
                let municipality = optional(Field::Municipality)
                    .map(|m| MunicipalityCode::lookup(m).map_err(id_err))
                    .transpose();
                for (field, r) in [
                    (Field::Street, st.as_ref().map(|_| ())),
                    (Field::HouseNumber, number.as_ref().map(|_| ())),
                    (Field::Dwelling, dwelling.as_ref().map(|_| ())),
                    (Field::PostalCode, postal.as_ref().map(|_| ())),
                    (Field::Municipality, municipality.as_ref().map(|_| ())),
                ] {
                    if !missing(field) {
                        check(field, r.map_err(Clone::clone));
                    }
                }
                match (st, number, dwelling, postal, municipality) {
                    (
                        Ok(street),
                        Ok(house_number),
                        Ok(dwelling),
                        Ok(postal_code),
                        Ok(municipality),
                    ) => Some(Search::Address {
                        street,
                        house_number,
                        dwelling,
                        postal_code,
                        municipality,
                    }),
                    _ => None,
                }
            }
            SearchKind::Building => {
                let r = self.get(Field::BuildingId).parse::<BuildingId>();
                let v = r.clone().ok();
                if !missing(Field::BuildingId) {
                    check(Field::BuildingId, r.map(|_| ()).map_err(id_err));
                }
                v.map(Search::Building)
            }
            SearchKind::OldBuilding => {
                let r = self.get(Field::OldBuildingId).parse::<OldBuildingId>();
                let v = r.clone().ok();
                if !missing(Field::OldBuildingId) {
                    check(Field::OldBuildingId, r.map(|_| ()).map_err(id_err));
                }
                v.map(Search::OldBuilding)
            }
            SearchKind::Dwelling => {
                let b = self.get(Field::BuildingId).parse::<BuildingId>();
                let d = self.get(Field::Dwelling).parse::<DwellingId>();
                if !missing(Field::BuildingId) {
                    check(Field::BuildingId, b.clone().map(|_| ()).map_err(id_err));
                }
                if !missing(Field::Dwelling) {
                    check(Field::Dwelling, d.clone().map(|_| ()).map_err(id_err));
                }
                match (b, d) {
                    (Ok(building), Ok(dwelling)) => Some(Search::Dwelling(DwellingRef {
                        building,
                        dwelling: Some(dwelling),
                    })),
                    _ => None,
                }
            }
            SearchKind::Property => {
                let r = self.get(Field::PropertyId).parse::<PropertyId>();
                let v = r.clone().ok();
                if !missing(Field::PropertyId) {
                    check(Field::PropertyId, r.map(|_| ()).map_err(id_err));
                }
                v.map(Search::Property)
            }
        };
        match search {
            Some(s) if errors.is_empty() => Ok(s),
            _ => Err(errors),
        }
    }
}

/// What kind of subjects a hit list lists, which fixes its columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HitKind {
    Persons,
    Buildings,
    Dwellings,
}

impl HitKind {
    /// The hit list's columns: enough to tell hits apart, nothing more.
    pub fn columns(self) -> &'static [ColumnSpec] {
        match self {
            HitKind::Persons => &[
                c::PERSON,
                c::BIRTH_DATE,
                c::AGE,
                c::HOME_MUNICIPALITY,
                c::DECEASED,
            ],
            HitKind::Buildings => &[
                c::BUILDING,
                c::POSTAL_CODE,
                c::MUNICIPALITY,
                c::USE_CLASS,
                c::PRT,
            ],
            HitKind::Dwellings => &[c::DWELLING, c::ADDRESS, c::ROOMS, c::DWELLING_AREA],
        }
    }

    /// A protected person stays in a name search's hit list (the identity is not protected)
    /// with the home municipality withheld.
    pub fn protected_rows(self) -> ProtectedRows {
        ProtectedRows::WithholdProtected
    }
}

/// A hit list, redacted like a screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HitList {
    pub kind: HitKind,
    pub rows: Vec<Row>,
}

/// Something the user must know about a hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchNotice {
    /// The code searched for has been passivated; the person now has `active`.
    HetuChanged { searched: Hetu, active: Hetu },
}

/// What a search answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchOutcome {
    /// Exactly one subject: open it.
    Found {
        subject: SubjectLink,
        notice: Option<SearchNotice>,
    },
    /// Several subjects match (at most [`MAX_HITS`]): the user chooses.
    Several(HitList),
    /// More than [`MAX_HITS`] match: the user narrows the search.
    TooMany,
    NotFound,
    /// An address search whose street the register does not know at all: nothing found, and
    /// the street names nearest to what was typed (a typo), to choose from.
    NoSuchStreet {
        nearest: Vec<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 30).unwrap_or_else(|e| unreachable!("{e}"))
    }

    fn errors(form: &SearchForm) -> Vec<(Field, ValidationError)> {
        form.validate(today())
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.error))
            .collect()
    }

    #[test]
    fn every_kind_has_fields_a_slug_and_a_title() {
        let slugs: std::collections::HashSet<_> =
            SearchKind::ALL.iter().map(|k| k.slug()).collect();
        assert_eq!(slugs.len(), SearchKind::ALL.len());
        for &k in SearchKind::ALL {
            assert!(!k.fields().is_empty());
            assert!(k.fields().iter().any(|(_, n)| *n == Need::Required));
            assert_eq!(SearchKind::from_short_slug(k.short_slug()), Some(k));
            let t = k.title();
            assert!(t.fi != t.sv || t.fi != t.en);
        }
    }

    #[test]
    fn identity_code_search_accepts_every_century_sign() {
        for code in [
            "131052-308T",
            "131052Y308T",
            "131052X308T",
            "131052W308T",
            "131052V308T",
            "131052U308T",
            "010105A9000",
        ] {
            let form = SearchForm::new(SearchKind::Hetu).with(Field::Hetu, code);
            let got = form.validate(today());
            // 900 is a temporary number: the last vector must be refused with that rule.
            if code.ends_with("A9000") {
                assert!(got.is_err(), "{code}");
            } else {
                assert!(
                    matches!(got, Ok(Search::Hetu(h)) if h.to_string() == code),
                    "{code}"
                );
            }
        }
        let form = SearchForm::new(SearchKind::Hetu).with(Field::Hetu, "010125B002Y");
        // A 2000s code with a new sign parses (birth date 1.1.2025).
        assert!(form.validate(today()).is_ok());
    }

    #[test]
    fn a_wrong_check_character_says_typo_not_the_fix() {
        // 131052-308 needs T and 131052-309 needs U: both typos read the same, so the message
        // cannot lead the user to a valid code that is someone else's.
        let a = errors(&SearchForm::new(SearchKind::Hetu).with(Field::Hetu, "131052-308S"));
        let b = errors(&SearchForm::new(SearchKind::Hetu).with(Field::Hetu, "131052-309S"));
        assert_eq!(a.len(), 1);
        assert_eq!(a, b);
        let msg = a[0].1.message(crate::Lang::Fi);
        assert!(msg.contains("kirjoitusvirhe"), "{msg}");
    }

    #[test]
    fn name_search_needs_surname_first_names_and_a_past_birth_date() {
        let empty = SearchForm::new(SearchKind::Name);
        assert_eq!(
            errors(&empty),
            vec![
                (Field::Surname, ValidationError::Required(Field::Surname)),
                (
                    Field::FirstNames,
                    ValidationError::Required(Field::FirstNames)
                ),
                (
                    Field::BirthDate,
                    ValidationError::Required(Field::BirthDate)
                ),
            ]
        );
        let form = SearchForm::new(SearchKind::Name)
            .with(Field::Surname, "  Virtanen ")
            .with(Field::FirstNames, "Anna   Maria")
            .with(Field::BirthDate, "1.2.1980")
            .with(Field::Municipality, "Esbo");
        assert_eq!(
            form.validate(today()),
            Ok(Search::Name {
                surname: "Virtanen".into(),
                first_names: "Anna Maria".into(),
                birth_date: Date::new(1980, 2, 1).unwrap_or_else(|e| unreachable!("{e}")),
                municipality: MunicipalityCode::lookup("049").ok(),
            })
        );
        let future = form.clone().with(Field::BirthDate, "1.1.2027");
        assert_eq!(
            errors(&future),
            vec![(Field::BirthDate, ValidationError::Date(DateRule::Future))]
        );
        let blank = form.clone().with(Field::FirstNames, " - . ");
        assert_eq!(
            errors(&blank),
            vec![(
                Field::FirstNames,
                ValidationError::Characters(Field::FirstNames)
            )],
            "punctuation alone is no name"
        );
        let digits = form.clone().with(Field::Surname, "Virtanen2");
        assert_eq!(
            errors(&digits),
            vec![(Field::Surname, ValidationError::Characters(Field::Surname))]
        );
        let long = form.clone().with(Field::Surname, "a".repeat(101));
        assert_eq!(
            errors(&long),
            vec![(
                Field::Surname,
                ValidationError::TooLong {
                    field: Field::Surname,
                    max: 100
                }
            )]
        );
        let nowhere = form.with(Field::Municipality, "Atlantis");
        assert_eq!(
            errors(&nowhere),
            vec![(
                Field::Municipality,
                ValidationError::Id(IdError::UnknownMunicipalityName)
            )]
        );
    }

    #[test]
    fn address_search_takes_staircase_postal_code_and_municipality() {
        let form = SearchForm::new(SearchKind::Address)
            .with(Field::Street, "Mannerheimintie")
            .with(Field::HouseNumber, "5")
            .with(Field::Dwelling, "b12")
            .with(Field::PostalCode, "00100")
            .with(Field::Municipality, "091");
        let Ok(Search::Address {
            dwelling,
            postal_code,
            ..
        }) = form.validate(today())
        else {
            unreachable!("a valid address was refused: {:?}", form.validate(today()));
        };
        assert_eq!(dwelling.map(|d| d.to_string()), Some("B 12".into()));
        assert_eq!(postal_code.map(|p| p.to_string()), Some("00100".into()));
        let bad = form
            .clone()
            .with(Field::HouseNumber, "five")
            .with(Field::PostalCode, "0010");
        let fields: Vec<Field> = errors(&bad).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec![Field::HouseNumber, Field::PostalCode]);
        let missing = SearchForm::new(SearchKind::Address).with(Field::Street, "Koulukatu");
        assert_eq!(
            errors(&missing),
            vec![(
                Field::HouseNumber,
                ValidationError::Required(Field::HouseNumber)
            )]
        );
    }

    /// A whole address typed into the street field is split as the user meant it; a street
    /// whose own name starts with a digit keeps it; nothing is split when the number field is
    /// filled or the dwelling was typed in both places.
    #[test]
    fn an_address_typed_whole_in_the_street_field_is_split() {
        let typed = |street: &str, number: &str, dwelling: &str| {
            SearchForm::new(SearchKind::Address)
                .with(Field::Street, street)
                .with(Field::HouseNumber, number)
                .with(Field::Dwelling, dwelling)
                .with(Field::PostalCode, "00100")
                .normalised()
        };
        let parts = |f: &SearchForm| {
            (
                f.get(Field::Street).to_owned(),
                f.get(Field::HouseNumber).to_owned(),
                f.get(Field::Dwelling).to_owned(),
            )
        };
        let owned = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
        assert_eq!(
            parts(&typed("Kauppakatu 1", "", "")),
            owned("Kauppakatu", "1", "")
        );
        assert_eq!(
            parts(&typed(" Kauppakatu  12b A 3 ", "", "")),
            owned("Kauppakatu", "12b", "A 3")
        );
        assert_eq!(
            parts(&typed("1. linja 5", "", "")),
            owned("1. linja", "5", "")
        );
        assert_eq!(
            parts(&typed("Kauppakatu 1", "7", "")),
            owned("Kauppakatu 1", "7", "")
        );
        assert_eq!(
            parts(&typed("Kauppakatu 1 A 3", "", "B 2")),
            owned("Kauppakatu 1 A 3", "", "B 2")
        );
        assert_eq!(
            parts(&typed("Kauppakatu", "", "")),
            owned("Kauppakatu", "", "")
        );
        // And the search goes with the split: no "fill in the house number".
        let Ok(Search::Address {
            street,
            house_number,
            ..
        }) = typed("Mannerheimintie 5", "", "").validate(today())
        else {
            unreachable!("the split address was refused");
        };
        assert_eq!(
            (street.as_str(), house_number.as_str()),
            ("Mannerheimintie", "5")
        );
        let hetu = SearchForm::new(SearchKind::Hetu).with(Field::Hetu, "010101 5");
        assert_eq!(hetu.normalised(), hetu, "only addresses are split");
    }

    #[test]
    fn building_dwelling_and_property_ids_in_any_written_form() {
        let ok = |kind, pairs: &[(Field, &str)]| {
            let mut form = SearchForm::new(kind);
            for (f, v) in pairs {
                form.set(*f, *v);
            }
            form.validate(today())
        };
        assert!(matches!(
            ok(SearchKind::Building, &[(Field::BuildingId, "100012345n")]),
            Ok(Search::Building(_))
        ));
        assert!(ok(SearchKind::Building, &[(Field::BuildingId, "100012345A")]).is_err());
        for form in [
            "91-401-1-2",
            "091-401-0001-0002",
            "09140100010002",
            "91-401-1-2-M601",
        ] {
            assert!(
                matches!(
                    ok(SearchKind::Property, &[(Field::PropertyId, form)]),
                    Ok(Search::Property(_))
                ),
                "{form}"
            );
        }
        assert!(matches!(
            ok(
                SearchKind::Dwelling,
                &[(Field::BuildingId, "100012345N"), (Field::Dwelling, "A 1")]
            ),
            Ok(Search::Dwelling(DwellingRef {
                dwelling: Some(_),
                ..
            }))
        ));
        assert!(matches!(
            ok(
                SearchKind::OldBuilding,
                &[(Field::OldBuildingId, "091-401-0001-0002-A-001")]
            ),
            Ok(Search::OldBuilding(_))
        ));
        assert!(matches!(
            ok(SearchKind::Satu, &[(Field::Satu, "12345678N")]),
            Ok(Search::Satu(_))
        ));
    }
}
