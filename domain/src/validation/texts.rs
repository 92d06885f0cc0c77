//! The words of `validation` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use super::{DateRule, ValidationError};
use crate::lang::{Lang, Text};

pub const FIELD_HETU: Text = Text::new("Henkilötunnus", "Personbeteckning", "Identity code");
pub const FIELD_SATU: Text = Text::new(
    "Sähköinen asiointitunnus",
    "Elektronisk kommunikationskod",
    "Electronic transaction id",
);
pub const FIELD_SURNAME: Text = Text::new("Sukunimi", "Efternamn", "Surname");
pub const FIELD_FIRST_NAMES: Text = Text::new("Etunimet", "Förnamn", "First names");
pub const FIELD_BIRTH_DATE: Text = Text::new("Syntymäaika", "Födelsedatum", "Date of birth");
pub const FIELD_MUNICIPALITY: Text = Text::new("Kunta", "Kommun", "Municipality");
pub const FIELD_STREET: Text = Text::new("Katuosoite", "Gatuadress", "Street");
pub const FIELD_HOUSE_NUMBER: Text = Text::new("Talonumero", "Husnummer", "House number");
pub const FIELD_DWELLING: Text = Text::new(
    "Porras ja huoneisto",
    "Trappa och lägenhet",
    "Staircase and flat",
);
pub const FIELD_POSTAL_CODE: Text = Text::new("Postinumero", "Postnummer", "Postal code");
pub const FIELD_BUILDING_ID: Text = Text::new(
    "Pysyvä rakennustunnus",
    "Permanent byggnadsbeteckning",
    "Permanent building id",
);
pub const FIELD_OLD_BUILDING_ID: Text = Text::new(
    "Vanha rakennustunnus",
    "Gammal byggnadsbeteckning",
    "Old building id",
);
pub const FIELD_PROPERTY_ID: Text = Text::new(
    "Kiinteistötunnus",
    "Fastighetsbeteckning",
    "Real-estate unit id",
);
pub const FIELD_CASE_REF: Text = Text::new("Asiaviite", "Ärendereferens", "Case reference");
pub const FIELD_REASON: Text = Text::new("Perustelu", "Motivering", "Reason");
pub const FIELD_ORG_NAME: Text = Text::new(
    "Organisaation nimi",
    "Organisationens namn",
    "Organisation name",
);
pub const FIELD_BUSINESS_ID: Text = Text::new("Y-tunnus", "FO-nummer", "Business id");
pub const FIELD_ORG_KIND: Text = Text::new(
    "Organisaation laji",
    "Typ av organisation",
    "Kind of organisation",
);
pub const FIELD_ADDRESS: Text = Text::new("Postiosoite", "Postadress", "Postal address");
pub const FIELD_CONTACT_NAME: Text = Text::new(
    "Yhteyshenkilön nimi",
    "Kontaktpersonens namn",
    "Contact person's name",
);
pub const FIELD_EMAIL: Text = Text::new("Sähköposti", "E-post", "E-mail");
pub const FIELD_PHONE: Text = Text::new("Puhelin", "Telefon", "Phone");
pub const FIELD_PURPOSES: Text = Text::new(
    "Käyttötarkoitukset",
    "Användningsändamål",
    "Purposes of use",
);
pub const FIELD_LEGAL_BASIS: Text = Text::new("Oikeusperuste", "Rättslig grund", "Legal basis");
pub const FIELD_NEED_WHY: Text = Text::new("Miksi tarpeen", "Varför det behövs", "Why needed");
pub const FIELD_JUSTIFICATION: Text = Text::new(
    "Miksi tietoja tarvitaan",
    "Varför uppgifterna behövs",
    "Why the data is needed",
);
pub const FIELD_DATA_GROUPS: Text =
    Text::new("Pyydetyt tiedot", "Begärda uppgifter", "Data requested");
pub const FIELD_SEARCHES: Text = Text::new("Hakutavat", "Söksätt", "Search types");
pub const FIELD_USERS: Text = Text::new(
    "Ketkä tietoja käyttävät",
    "Vem som använder uppgifterna",
    "Who uses the data",
);
pub const FIELD_LOCATION: Text = Text::new(
    "Missä tietoja käytetään",
    "Var uppgifterna används",
    "Where the data is used",
);
pub const FIELD_ACCESS_CONTROL: Text = Text::new(
    "Miten pääsy rajataan",
    "Hur åtkomsten begränsas",
    "How access is controlled",
);
pub const FIELD_RETENTION: Text = Text::new(
    "Kuinka kauan tietoja säilytetään",
    "Hur länge uppgifterna sparas",
    "How long anything is kept",
);
pub const FIELD_NO_ONWARD_DISCLOSURE: Text = Text::new(
    "Ei luovutusta eteenpäin",
    "Inget vidare utlämnande",
    "No onward disclosure",
);
pub const FIELD_TERMS: Text = Text::new("Käyttöehdot", "Användarvillkor", "Terms of the permit");
pub const FIELD_NOMINEE: Text =
    Text::new("Vastuukäyttäjä", "Ansvarig användare", "Responsible user");
pub const FIELD_MESSAGE: Text = Text::new("Viesti", "Meddelande", "Message");
pub const FIELD_ROLES: Text = Text::new("Roolit", "Roller", "Roles");
pub const FIELD_VALID_UNTIL: Text = Text::new("Voimassa asti", "Giltig till", "Valid until");
pub const FIELD_TITLE: Text = Text::new("Otsikko", "Rubrik", "Title");
pub const FIELD_FILE: Text = Text::new("Tiedosto", "Fil", "File");
pub const FIELD_TOPIC: Text = Text::new("Aihe", "Ämne", "Topic");
pub const FIELD_MONTH: Text = Text::new("Kuukausi", "Månad", "Month");
pub const FIELD_TRAIL_SUBJECT: Text = Text::new(
    "Henkilötunnus, rakennustunnus tai kiinteistötunnus",
    "Personbeteckning, byggnadsbeteckning eller fastighetsbeteckning",
    "Identity code, building id or property id",
);
pub const FIELD_USER: Text = Text::new("Käyttäjätunnus", "Användar-id", "User id");
pub const FIELD_ORGANISATION: Text = Text::new(
    "Organisaation tunnus",
    "Organisationens id",
    "Organisation id",
);
pub const FIELD_PERIOD_FROM: Text = Text::new("Alkaen", "Från", "From");
pub const FIELD_PERIOD_TO: Text = Text::new("Päättyen", "Till", "To");
pub const FIELD_ACTION: Text =
    Text::new("Näyttö tai haku", "Skärm eller sökning", "Screen or search");
pub const DATE_RULE_BEFORE_START: Text = Text::new(
    "Jakson loppu on ennen sen alkua. Anna loppupäiväksi alkupäivä tai myöhempi päivä.",
    "Periodens slut ligger före dess början. Ange startdagen eller en senare dag som slutdag.",
    "The period ends before it starts. Give the start day or a later day as its end.",
);
pub const VALIDATION_ERROR_EMAIL: Text = Text::new(
    "Kirjoita sähköpostiosoite muodossa nimi@esimerkki.fi.",
    "Skriv e-postadressen i formen namn@exempel.fi.",
    "Write the e-mail address as name@example.fi.",
);
pub const VALIDATION_ERROR_FILE_TYPE: Text = Text::new(
    "Tiedostoa ei voi tallentaa: sallittuja ovat PDF, PNG, JPEG ja pelkkä teksti (tyyppi tarkistetaan sisällöstä).",
    "Filen kan inte sparas: tillåtna är PDF, PNG, JPEG och ren text (typen kontrolleras från innehållet).",
    "The file cannot be kept: PDF, PNG, JPEG and plain text are allowed (the type is checked from the content).",
);
pub const VALIDATION_ERROR_FILE_TOO_LARGE: Text = Text::new(
    "Tiedosto on liian suuri: enintään 5 Mt.",
    "Filen är för stor: högst 5 MB.",
    "The file is too large: at most 5 MB.",
);
pub const DATE_RULE_FORMAT: Text = Text::new(
    "Kirjoita päivämäärä muodossa p.k.vvvv, esim. 13.10.1952.",
    "Skriv datumet i formen d.m.åååå, t.ex. 13.10.1952.",
    "Write the date as d.m.yyyy, e.g. 13.10.1952.",
);
pub const DATE_RULE_NO_SUCH_DAY: Text = Text::new(
    "Tällaista päivää ei ole kalenterissa.",
    "En sådan dag finns inte i kalendern.",
    "There is no such day in the calendar.",
);
pub const DATE_RULE_FUTURE: Text = Text::new(
    "Päivämäärä on tulevaisuudessa.",
    "Datumet ligger i framtiden.",
    "The date is in the future.",
);
pub const DATE_RULE_PAST: Text = Text::new(
    "Päivämäärä on jo mennyt. Anna tämä päivä tai myöhempi.",
    "Datumet har redan passerat. Ange i dag eller senare.",
    "The date has passed. Give today or a later day.",
);

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
            ValidationError::Email => VALIDATION_ERROR_EMAIL.get(lang).to_owned(),
            ValidationError::FileType => VALIDATION_ERROR_FILE_TYPE.get(lang).to_owned(),
            ValidationError::FileTooLarge => VALIDATION_ERROR_FILE_TOO_LARGE.get(lang).to_owned(),
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
            ValidationError::Incomplete {
                field,
                lang: written,
            } => {
                let name = field.label().get(lang);
                let written = written.in_words().get(lang);
                match lang {
                    Lang::Fi => format!(
                        "Täytä kenttä ”{name}” myös {written} tai jätä sen kielen teksti kokonaan tyhjäksi."
                    ),
                    Lang::Sv => format!(
                        "Fyll i fältet ”{name}” också {written} eller lämna texten på det språket helt tom."
                    ),
                    Lang::En => format!(
                        "Fill in “{name}” {written} too, or leave the text in that language blank."
                    ),
                }
            }
            ValidationError::Date(rule) => match rule {
                DateRule::Format => DATE_RULE_FORMAT,
                DateRule::NoSuchDay => DATE_RULE_NO_SUCH_DAY,
                DateRule::Future => DATE_RULE_FUTURE,
                DateRule::Past => DATE_RULE_PAST,
                DateRule::BeforeStart => DATE_RULE_BEFORE_START,
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
