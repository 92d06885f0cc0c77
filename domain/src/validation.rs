//! Validation errors for user input, with the message a clerk reads in each UI language.
//! They are serialisable so the server can return one and the browser can word it; the same
//! rules run in the browser as the user types and on the server before any query.

use crate::date::DateError;
use crate::hetu::HetuError;
use crate::ids::IdError;
use crate::lang::{Lang, Text};
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
}

impl Field {
    pub const ALL: [Field; 41] = [
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
    ];

    /// The field's label, as shown next to it.
    pub fn label(self) -> Text {
        match self {
            Field::Hetu => Text::new("Henkilötunnus", "Personbeteckning", "Identity code"),
            Field::Satu => Text::new(
                "Sähköinen asiointitunnus",
                "Elektronisk kommunikationskod",
                "Electronic transaction id",
            ),
            Field::Surname => Text::new("Sukunimi", "Efternamn", "Surname"),
            Field::FirstNames => Text::new("Etunimet", "Förnamn", "First names"),
            Field::BirthDate => Text::new("Syntymäaika", "Födelsedatum", "Date of birth"),
            Field::Municipality => Text::new("Kunta", "Kommun", "Municipality"),
            Field::Street => Text::new("Katuosoite", "Gatuadress", "Street"),
            Field::HouseNumber => Text::new("Talonumero", "Husnummer", "House number"),
            Field::Dwelling => Text::new(
                "Porras ja huoneisto",
                "Trappa och lägenhet",
                "Staircase and flat",
            ),
            Field::PostalCode => Text::new("Postinumero", "Postnummer", "Postal code"),
            Field::BuildingId => Text::new(
                "Pysyvä rakennustunnus",
                "Permanent byggnadsbeteckning",
                "Permanent building id",
            ),
            Field::OldBuildingId => Text::new(
                "Vanha rakennustunnus",
                "Gammal byggnadsbeteckning",
                "Old building id",
            ),
            Field::PropertyId => Text::new(
                "Kiinteistötunnus",
                "Fastighetsbeteckning",
                "Real-estate unit id",
            ),
            Field::CaseRef => Text::new("Asiaviite", "Ärendereferens", "Case reference"),
            Field::Reason => Text::new("Perustelu", "Motivering", "Reason"),
            Field::OrgName => Text::new(
                "Organisaation nimi",
                "Organisationens namn",
                "Organisation name",
            ),
            Field::BusinessId => Text::new("Y-tunnus", "FO-nummer", "Business id"),
            Field::OrgKind => Text::new(
                "Organisaation laji",
                "Typ av organisation",
                "Kind of organisation",
            ),
            Field::Address => Text::new("Postiosoite", "Postadress", "Postal address"),
            Field::ContactName => Text::new(
                "Yhteyshenkilön nimi",
                "Kontaktpersonens namn",
                "Contact person's name",
            ),
            Field::Email => Text::new("Sähköposti", "E-post", "E-mail"),
            Field::Phone => Text::new("Puhelin", "Telefon", "Phone"),
            Field::Purposes => Text::new(
                "Käyttötarkoitukset",
                "Användningsändamål",
                "Purposes of use",
            ),
            Field::LegalBasis => Text::new("Oikeusperuste", "Rättslig grund", "Legal basis"),
            Field::Justification => Text::new(
                "Miksi tietoja tarvitaan",
                "Varför uppgifterna behövs",
                "Why the data is needed",
            ),
            Field::DataGroups => {
                Text::new("Pyydetyt tiedot", "Begärda uppgifter", "Data requested")
            }
            Field::Searches => Text::new("Hakutavat", "Söksätt", "Search types"),
            Field::Users => Text::new(
                "Ketkä tietoja käyttävät",
                "Vem som använder uppgifterna",
                "Who uses the data",
            ),
            Field::Location => Text::new(
                "Missä tietoja käytetään",
                "Var uppgifterna används",
                "Where the data is used",
            ),
            Field::AccessControl => Text::new(
                "Miten pääsy rajataan",
                "Hur åtkomsten begränsas",
                "How access is controlled",
            ),
            Field::Retention => Text::new(
                "Kuinka kauan tietoja säilytetään",
                "Hur länge uppgifterna sparas",
                "How long anything is kept",
            ),
            Field::NoOnwardDisclosure => Text::new(
                "Ei luovutusta eteenpäin",
                "Inget vidare utlämnande",
                "No onward disclosure",
            ),
            Field::Terms => Text::new("Käyttöehdot", "Användarvillkor", "Terms of the permit"),
            Field::Nominee => Text::new("Vastuukäyttäjä", "Ansvarig användare", "Responsible user"),
            Field::Message => Text::new("Viesti", "Meddelande", "Message"),
            Field::Roles => Text::new("Roolit", "Roller", "Roles"),
            Field::ValidUntil => Text::new("Voimassa asti", "Giltig till", "Valid until"),
            Field::Title => Text::new("Otsikko", "Rubrik", "Title"),
            Field::File => Text::new("Tiedosto", "Fil", "File"),
            Field::Topic => Text::new("Aihe", "Ämne", "Topic"),
            Field::Month => Text::new("Kuukausi", "Månad", "Month"),
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

impl ValidationError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ValidationError::Hetu(e) => e.message(lang),
            ValidationError::Id(e) => e.message(lang),
            ValidationError::Required(field) => {
                let name = field.label().get(lang);
                match lang {
                    Lang::Fi => format!("Kirjoita kenttään ”{name}”."),
                    Lang::Sv => format!("Fyll i fältet ”{name}”."),
                    Lang::En => format!("Fill in “{name}”."),
                }
            }
            ValidationError::Choose(field) => {
                let name = field.label().get(lang);
                match lang {
                    Lang::Fi => format!("Valitse tai vahvista: ”{name}”."),
                    Lang::Sv => format!("Välj eller bekräfta: ”{name}”."),
                    Lang::En => format!("Choose or confirm: “{name}”."),
                }
            }
            ValidationError::Email => Text::new(
                "Kirjoita sähköpostiosoite muodossa nimi@esimerkki.fi.",
                "Skriv e-postadressen i formen namn@exempel.fi.",
                "Write the e-mail address as name@example.fi.",
            )
            .get(lang)
            .to_owned(),
            ValidationError::FileType => Text::new(
                "Tiedostoa ei voi tallentaa: sallittuja ovat PDF, PNG, JPEG ja pelkkä teksti (tyyppi tarkistetaan sisällöstä).",
                "Filen kan inte sparas: tillåtna är PDF, PNG, JPEG och ren text (typen kontrolleras från innehållet).",
                "The file cannot be kept: PDF, PNG, JPEG and plain text are allowed (the type is checked from the content).",
            )
            .get(lang)
            .to_owned(),
            ValidationError::FileTooLarge => Text::new(
                "Tiedosto on liian suuri: enintään 5 Mt.",
                "Filen är för stor: högst 5 MB.",
                "The file is too large: at most 5 MB.",
            )
            .get(lang)
            .to_owned(),
            ValidationError::TooLong { field, max } => {
                let name = field.label().get(lang);
                match lang {
                    Lang::Fi => format!("Kentässä ”{name}” voi olla enintään {max} merkkiä."),
                    Lang::Sv => format!("Fältet ”{name}” kan ha högst {max} tecken."),
                    Lang::En => format!("“{name}” can have at most {max} characters."),
                }
            }
            ValidationError::TooShort { field, min } => {
                let name = field.label().get(lang);
                match lang {
                    Lang::Fi => format!("Kirjoita kenttään ”{name}” vähintään {min} merkkiä."),
                    Lang::Sv => format!("Skriv minst {min} tecken i fältet ”{name}”."),
                    Lang::En => format!("Write at least {min} characters in “{name}”."),
                }
            }
            ValidationError::Characters(field) => {
                let name = field.label().get(lang);
                match lang {
                    Lang::Fi => format!(
                        "Kentässä ”{name}” on merkkejä, joita siinä ei voi olla. Tarkista kirjoitusasu."
                    ),
                    Lang::Sv => format!(
                        "Fältet ”{name}” innehåller tecken som inte kan förekomma där. Kontrollera stavningen."
                    ),
                    Lang::En => {
                        format!("“{name}” contains characters it cannot have. Check the spelling.")
                    }
                }
            }
            ValidationError::Date(rule) => match rule {
                DateRule::Format => Text::new(
                    "Kirjoita päivämäärä muodossa p.k.vvvv, esim. 13.10.1952.",
                    "Skriv datumet i formen d.m.åååå, t.ex. 13.10.1952.",
                    "Write the date as d.m.yyyy, e.g. 13.10.1952.",
                ),
                DateRule::NoSuchDay => Text::new(
                    "Tällaista päivää ei ole kalenterissa.",
                    "En sådan dag finns inte i kalendern.",
                    "There is no such day in the calendar.",
                ),
                DateRule::Future => Text::new(
                    "Päivämäärä on tulevaisuudessa.",
                    "Datumet ligger i framtiden.",
                    "The date is in the future.",
                ),
                DateRule::Past => Text::new(
                    "Päivämäärä on jo mennyt. Anna tämä päivä tai myöhempi.",
                    "Datumet har redan passerat. Ange i dag eller senare.",
                    "The date has passed. Give today or a later day.",
                ),
                DateRule::Window { min, max } => {
                    return match lang {
                        Lang::Fi => format!("Anna päivä, joka on {min}–{max} päivän päästä."),
                        Lang::Sv => format!("Ange en dag som är {min}–{max} dagar framåt."),
                        Lang::En => format!("Give a day {min} to {max} days from today."),
                    };
                }
            }
            .get(lang)
            .to_owned(),
        }
    }
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
