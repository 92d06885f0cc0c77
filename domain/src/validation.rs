//! Validation errors for user input, with the message a clerk reads in each UI language.
//! They are serialisable so the server can return one and the browser can word it; the same
//! rules run in the browser as the user types and on the server before any query.

mod texts;
use texts as t;

use crate::date::DateError;
use crate::hetu::HetuError;
use crate::ids::IdError;
use crate::lang::Text;
use serde::{Deserialize, Serialize};

/// A form field a rule can be about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    Hetu,
    Satu,
    Surname,
    FirstNames,
    BirthDate,
    Municipality,
    Street,
    HouseNumber,
    Dwelling,
    PostalCode,
    BuildingId,
    OldBuildingId,
    PropertyId,
    /// The case reference given with the purpose of use.
    CaseRef,
    /// Why a right or a permit was changed, or why withheld data was revealed.
    Reason,
    // The e-service's application forms.
    OrgName,
    BusinessId,
    OrgKind,
    Address,
    ContactName,
    Email,
    Phone,
    Purposes,
    LegalBasis,
    Justification,
    /// Why one data group is needed (an application's data groups section).
    NeedWhy,
    DataGroups,
    Searches,
    Users,
    Location,
    AccessControl,
    Retention,
    NoOnwardDisclosure,
    Terms,
    Nominee,
    Message,
    Roles,
    ValidUntil,
    // The document library and application attachments.
    Title,
    File,
    // Contact and fees.
    Topic,
    Month,
    // Reading the audit trail.
    /// A person's identity code, a building id or a property id whose log is searched.
    TrailSubject,
    User,
    Organisation,
    PeriodFrom,
    PeriodTo,
    /// A screen or a search.
    Action,
}

impl Field {
    pub const ALL: [Field; 48] = [
        Field::Hetu,
        Field::Satu,
        Field::Surname,
        Field::FirstNames,
        Field::BirthDate,
        Field::Municipality,
        Field::Street,
        Field::HouseNumber,
        Field::Dwelling,
        Field::PostalCode,
        Field::BuildingId,
        Field::OldBuildingId,
        Field::PropertyId,
        Field::CaseRef,
        Field::Reason,
        Field::OrgName,
        Field::BusinessId,
        Field::OrgKind,
        Field::Address,
        Field::ContactName,
        Field::Email,
        Field::Phone,
        Field::Purposes,
        Field::LegalBasis,
        Field::Justification,
        Field::NeedWhy,
        Field::DataGroups,
        Field::Searches,
        Field::Users,
        Field::Location,
        Field::AccessControl,
        Field::Retention,
        Field::NoOnwardDisclosure,
        Field::Terms,
        Field::Nominee,
        Field::Message,
        Field::Roles,
        Field::ValidUntil,
        Field::Title,
        Field::File,
        Field::Topic,
        Field::Month,
        Field::TrailSubject,
        Field::User,
        Field::Organisation,
        Field::PeriodFrom,
        Field::PeriodTo,
        Field::Action,
    ];

    /// The field's label, as shown next to it.
    pub fn label(self) -> Text {
        match self {
            Field::Hetu => t::FIELD_HETU,
            Field::Satu => t::FIELD_SATU,
            Field::Surname => t::FIELD_SURNAME,
            Field::FirstNames => t::FIELD_FIRST_NAMES,
            Field::BirthDate => t::FIELD_BIRTH_DATE,
            Field::Municipality => t::FIELD_MUNICIPALITY,
            Field::Street => t::FIELD_STREET,
            Field::HouseNumber => t::FIELD_HOUSE_NUMBER,
            Field::Dwelling => t::FIELD_DWELLING,
            Field::PostalCode => t::FIELD_POSTAL_CODE,
            Field::BuildingId => t::FIELD_BUILDING_ID,
            Field::OldBuildingId => t::FIELD_OLD_BUILDING_ID,
            Field::PropertyId => t::FIELD_PROPERTY_ID,
            Field::CaseRef => t::FIELD_CASE_REF,
            Field::Reason => t::FIELD_REASON,
            Field::OrgName => t::FIELD_ORG_NAME,
            Field::BusinessId => t::FIELD_BUSINESS_ID,
            Field::OrgKind => t::FIELD_ORG_KIND,
            Field::Address => t::FIELD_ADDRESS,
            Field::ContactName => t::FIELD_CONTACT_NAME,
            Field::Email => t::FIELD_EMAIL,
            Field::Phone => t::FIELD_PHONE,
            Field::Purposes => t::FIELD_PURPOSES,
            Field::LegalBasis => t::FIELD_LEGAL_BASIS,
            Field::Justification => t::FIELD_JUSTIFICATION,
            Field::NeedWhy => t::FIELD_NEED_WHY,
            Field::DataGroups => t::FIELD_DATA_GROUPS,
            Field::Searches => t::FIELD_SEARCHES,
            Field::Users => t::FIELD_USERS,
            Field::Location => t::FIELD_LOCATION,
            Field::AccessControl => t::FIELD_ACCESS_CONTROL,
            Field::Retention => t::FIELD_RETENTION,
            Field::NoOnwardDisclosure => t::FIELD_NO_ONWARD_DISCLOSURE,
            Field::Terms => t::FIELD_TERMS,
            Field::Nominee => t::FIELD_NOMINEE,
            Field::Message => t::FIELD_MESSAGE,
            Field::Roles => t::FIELD_ROLES,
            Field::ValidUntil => t::FIELD_VALID_UNTIL,
            Field::Title => t::FIELD_TITLE,
            Field::File => t::FIELD_FILE,
            Field::Topic => t::FIELD_TOPIC,
            Field::Month => t::FIELD_MONTH,
            Field::TrailSubject => t::FIELD_TRAIL_SUBJECT,
            Field::User => t::FIELD_USER,
            Field::Organisation => t::FIELD_ORGANISATION,
            Field::PeriodFrom => t::FIELD_PERIOD_FROM,
            Field::PeriodTo => t::FIELD_PERIOD_TO,
            Field::Action => t::FIELD_ACTION,
        }
    }

    /// The field's `id` in the search forms.
    pub fn id(self) -> &'static str {
        match self {
            Field::Hetu => "hetu",
            Field::Satu => "satu",
            Field::Surname => "surname",
            Field::FirstNames => "first-names",
            Field::BirthDate => "birth-date",
            Field::Municipality => "municipality",
            Field::Street => "street",
            Field::HouseNumber => "house-number",
            Field::Dwelling => "dwelling",
            Field::PostalCode => "postal-code",
            Field::BuildingId => "prt",
            Field::OldBuildingId => "old-building-id",
            Field::PropertyId => "property-id",
            Field::CaseRef => "case-ref",
            Field::Reason => "reason",
            Field::OrgName => "org-name",
            Field::BusinessId => "business-id",
            Field::OrgKind => "org-kind",
            Field::Address => "address",
            Field::ContactName => "contact-name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Purposes => "purposes",
            Field::LegalBasis => "legal-basis",
            Field::Justification => "justification",
            Field::NeedWhy => "need-why",
            Field::DataGroups => "data-groups",
            Field::Searches => "searches",
            Field::Users => "users",
            Field::Location => "location",
            Field::AccessControl => "access-control",
            Field::Retention => "retention",
            Field::NoOnwardDisclosure => "no-onward-disclosure",
            Field::Terms => "terms",
            Field::Nominee => "nominee",
            Field::Message => "message",
            Field::Roles => "roles",
            Field::ValidUntil => "valid-until",
            Field::Title => "title",
            Field::File => "file",
            Field::Topic => "topic",
            Field::Month => "month",
            Field::TrailSubject => "trail-subject",
            Field::User => "user",
            Field::Organisation => "organisation",
            Field::PeriodFrom => "period-from",
            Field::PeriodTo => "period-to",
            Field::Action => "action",
        }
    }
}

/// Why a typed date is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateRule {
    /// Not written as d.m.yyyy.
    Format,
    /// No such day (31.4., 29.2. of a common year, month 13).
    NoSuchDay,
    /// After today.
    Future,
    /// Before today, where a day still to come is asked for.
    Past,
    /// Not between `min` and `max` days from today.
    Window { min: u16, max: u16 },
    /// The end of a period is before its start.
    BeforeStart,
}

/// Something typed into a field broke a rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValidationError {
    Hetu(HetuError),
    /// Any other identifier: the error names which one ([`IdError::kind`]).
    Id(IdError),
    /// A field the search needs is empty.
    Required(Field),
    /// A choice or a confirmation the form needs is not made (a tick box, a list).
    Choose(Field),
    /// Not an e-mail address (no `@`, no domain, or spaces).
    Email,
    /// A file whose content is not of a kept type (PDF, PNG, JPEG, plain text).
    FileType,
    /// A file over the size limit.
    FileTooLarge,
    /// More characters than the register ever holds in this field.
    TooLong {
        field: Field,
        max: u16,
    },
    /// Fewer characters than the field needs to say anything (a reason of two letters).
    TooShort {
        field: Field,
        min: u16,
    },
    /// Characters a name or an address never has (digits in a name, control characters).
    Characters(Field),
    Date(DateRule),
    /// A text written in several languages has this field blank in `lang` while the other
    /// fields in that language are written.
    Incomplete {
        field: Field,
        lang: crate::Lang,
    },
}

/// A short free-text field as the user typed it (a case reference, a reason): trimmed, `None`
/// when blank, otherwise between `min` and `max` characters, each one `allowed`. The one rule
/// for such fields, in the browser and on the server.
pub fn short_text(
    input: &str,
    field: Field,
    min: u16,
    max: u16,
    allowed: fn(char) -> bool,
) -> Result<Option<String>, FieldError> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let count = text.chars().count();
    if count > usize::from(max) {
        return Err(FieldError::new(
            field,
            ValidationError::TooLong { field, max },
        ));
    }
    if count < usize::from(min) {
        return Err(FieldError::new(
            field,
            ValidationError::TooShort { field, min },
        ));
    }
    if !text.chars().all(allowed) {
        return Err(FieldError::new(field, ValidationError::Characters(field)));
    }
    Ok(Some(text.to_owned()))
}

impl From<HetuError> for ValidationError {
    fn from(e: HetuError) -> Self {
        ValidationError::Hetu(e)
    }
}

impl From<IdError> for ValidationError {
    fn from(e: IdError) -> Self {
        ValidationError::Id(e)
    }
}

impl From<DateError> for ValidationError {
    fn from(e: DateError) -> Self {
        ValidationError::Date(match e {
            DateError::Format => DateRule::Format,
            DateError::Month(_) | DateError::Day { .. } => DateRule::NoSuchDay,
        })
    }
}

/// A field the user typed and the rule it broke.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub error: ValidationError,
}

impl FieldError {
    pub fn new(field: Field, error: impl Into<ValidationError>) -> FieldError {
        FieldError {
            field,
            error: error.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{BusinessId, IdKind, PropertyId};
    use crate::lang::Lang;

    #[test]
    fn identifier_errors_reach_the_browser_with_their_message() {
        let e: ValidationError = "0245437-3"
            .parse::<BusinessId>()
            .map(|_| ())
            .map_err(ValidationError::from)
            .err()
            .unwrap_or_else(|| unreachable!("a wrong check digit was accepted"));
        assert!(
            e.message(Lang::Fi)
                .starts_with("Y-tunnuksessa on kirjoitusvirhe")
        );
        let json = serde_json::to_string(&e).unwrap_or_default();
        assert_eq!(serde_json::from_str::<ValidationError>(&json).ok(), Some(e));

        let unknown = "999-1-1-1"
            .parse::<PropertyId>()
            .err()
            .map(ValidationError::from);
        assert_eq!(
            unknown.map(|e| e.message(Lang::En)),
            Some(
                "There is no municipality number 999: it belongs to no current or former municipality."
                    .to_owned()
            )
        );
        let empty = ValidationError::from(IdError::Empty {
            kind: IdKind::PostalCode,
        });
        assert_eq!(empty.message(Lang::Sv), "Skriv ett postnummer.");
    }

    #[test]
    fn form_rules_name_their_field_in_each_language() {
        let e = ValidationError::Required(Field::Surname);
        assert_eq!(e.message(Lang::Fi), "Kirjoita kenttään ”Sukunimi”.");
        assert_eq!(e.message(Lang::Sv), "Fyll i fältet ”Efternamn”.");
        assert_eq!(e.message(Lang::En), "Fill in “Surname”.");
        let long = ValidationError::TooLong {
            field: Field::Street,
            max: 100,
        };
        assert_eq!(
            long.message(Lang::En),
            "“Street” can have at most 100 characters."
        );
        assert_eq!(
            ValidationError::from(DateError::Month(13)),
            ValidationError::Date(DateRule::NoSuchDay)
        );
        for field in Field::ALL {
            let t = field.label();
            assert!(t.fi != t.en || t.fi != t.sv, "{field:?}");
            assert!(!field.id().is_empty());
        }
        let ids: std::collections::HashSet<_> = Field::ALL.iter().map(|f| f.id()).collect();
        assert_eq!(ids.len(), Field::ALL.len());
    }

    #[test]
    fn identity_code_errors_keep_their_messages() {
        let e = ValidationError::from(HetuError::Empty);
        assert_eq!(e.message(Lang::Fi), HetuError::Empty.message(Lang::Fi));
    }
}
