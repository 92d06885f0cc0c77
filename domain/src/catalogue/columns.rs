//! Every column a screen can show, once: its key, its label in three languages, its cell kind
//! and its sensitivity. Data groups list the columns their read fills; screens pick subsets.
//! Protected columns (addresses, home municipality, residence, voting district, e-mail, what a
//! person owns and where) are withheld under a protection order from viewers without the right.

use super::{CellKind as K, ColumnSpec, Sensitivity};
use crate::lang::Text;

const fn col(
    key: &'static str,
    fi: &'static str,
    sv: &'static str,
    en: &'static str,
    kind: K,
) -> ColumnSpec {
    ColumnSpec {
        key,
        label: Text::new(fi, sv, en),
        kind,
        sensitivity: Sensitivity::Normal,
    }
}

/// The same column as data a protection order covers, of the person the row is about.
const fn protected(c: ColumnSpec) -> ColumnSpec {
    ColumnSpec {
        sensitivity: Sensitivity::Protected,
        ..c
    }
}

// Identity and names.
pub const HETU: ColumnSpec = col(
    "hetu",
    "Henkilötunnus",
    "Personbeteckning",
    "Identity code",
    K::Text,
);
pub const SATU: ColumnSpec = col(
    "satu",
    "Sähköinen asiointitunnus",
    "Elektronisk kommunikationskod",
    "Electronic transaction id",
    K::Text,
);
pub const SURNAME: ColumnSpec = col("surname", "Sukunimi", "Efternamn", "Surname", K::Text);
pub const FIRST_NAMES: ColumnSpec =
    col("first_names", "Etunimet", "Förnamn", "First names", K::Text);
pub const CALL_NAME: ColumnSpec = col(
    "call_name",
    "Kutsumanimi",
    "Tilltalsnamn",
    "Call name",
    K::Text,
);
pub const MIDDLE_NAME: ColumnSpec = col(
    "middle_name",
    "Välinimi",
    "Mellannamn",
    "Middle name",
    K::Text,
);
pub const SEX: ColumnSpec = col("sex", "Sukupuoli", "Kön", "Sex", K::Code);
pub const BIRTH_DATE: ColumnSpec = col(
    "birth_date",
    "Syntymäaika",
    "Födelsedatum",
    "Date of birth",
    K::Date,
);
pub const AGE: ColumnSpec = col("age", "Ikä", "Ålder", "Age", K::Number);
pub const BIRTH_COUNTRY: ColumnSpec = col(
    "birth_country",
    "Syntymävaltio",
    "Födelseland",
    "Country of birth",
    K::Code,
);
pub const BIRTH_MUNICIPALITY: ColumnSpec = col(
    "birth_municipality",
    "Syntymäkotikunta",
    "Födelsehemkommun",
    "Municipality of birth",
    K::Code,
);
pub const BIRTH_PLACE_ABROAD: ColumnSpec = col(
    "birth_place_abroad",
    "Ulkomainen syntymäpaikka",
    "Födelseort utomlands",
    "Place of birth abroad",
    K::Text,
);
pub const DECEASED: ColumnSpec = col("deceased", "Kuollut", "Död", "Deceased", K::Flag);
pub const DEATH_DATE: ColumnSpec = col(
    "death_date",
    "Kuolinpäivä",
    "Dödsdag",
    "Date of death",
    K::Date,
);
pub const DECLARED_DEAD: ColumnSpec = col(
    "declared_dead",
    "Kuolleeksi julistettu",
    "Dödförklarad",
    "Declared dead",
    K::Date,
);
pub const MOTHER_TONGUE: ColumnSpec = col(
    "mother_tongue",
    "Äidinkieli",
    "Modersmål",
    "Mother tongue",
    K::Code,
);
pub const SERVICE_LANGUAGE: ColumnSpec = col(
    "service_language",
    "Asiointikieli",
    "Kontaktspråk",
    "Language of service",
    K::Code,
);
pub const CITIZENSHIP: ColumnSpec = col(
    "citizenship",
    "Kansalaisuus",
    "Medborgarskap",
    "Citizenship",
    K::Code,
);
pub const MARITAL_STATUS: ColumnSpec = col(
    "marital_status",
    "Siviilisääty",
    "Civilstånd",
    "Marital status",
    K::Code,
);
pub const HETU_STATE: ColumnSpec = col("hetu_state", "Tila", "Status", "Status", K::Code);
pub const PASSIVATED: ColumnSpec = col(
    "passivated",
    "Passivoitu",
    "Passiverad",
    "Passivated",
    K::Date,
);
pub const NAME: ColumnSpec = col("name", "Nimi", "Namn", "Name", K::Text);
pub const NAME_KIND: ColumnSpec = col("name_kind", "Nimilaji", "Namntyp", "Kind of name", K::Code);
pub const CHANGE_WAY: ColumnSpec = col(
    "change_way",
    "Muutostapa",
    "Ändringssätt",
    "How it changed",
    K::Code,
);

// Validity periods.
pub const START: ColumnSpec = col("start", "Alkaen", "Från", "From", K::Date);
pub const END: ColumnSpec = col("end", "Päättynyt", "Till", "Until", K::Date);
pub const IN_FORCE: ColumnSpec = col("in_force", "Voimassa", "Gällande", "In force", K::Flag);

// Where the person the row is about lives.
pub const HOME_MUNICIPALITY: ColumnSpec = protected(col(
    "home_municipality",
    "Kotikunta",
    "Hemkommun",
    "Home municipality",
    K::Code,
));
pub const HOME_SINCE: ColumnSpec = protected(col(
    "home_since",
    "Kotikunnassa alkaen",
    "I hemkommunen sedan",
    "Resident since",
    K::Date,
));
pub const PERMANENT_ADDRESS: ColumnSpec = protected(col(
    "permanent_address",
    "Vakinainen osoite",
    "Stadigvarande adress",
    "Permanent address",
    K::Text,
));
pub const ADDRESS_KIND: ColumnSpec = protected(col(
    "address_kind",
    "Osoitelaji",
    "Adresstyp",
    "Kind of address",
    K::Code,
));
pub const PERSON_ADDRESS: ColumnSpec =
    protected(col("address", "Osoite", "Adress", "Address", K::Text));
pub const PERSON_POSTAL_CODE: ColumnSpec = protected(col(
    "postal_code",
    "Postinumero",
    "Postnummer",
    "Postal code",
    K::Text,
));
pub const PERSON_POST_OFFICE: ColumnSpec = protected(col(
    "post_office",
    "Postitoimipaikka",
    "Postanstalt",
    "Post office",
    K::Code,
));
pub const ADDRESS_COUNTRY: ColumnSpec =
    protected(col("country", "Valtio", "Land", "Country", K::Code));
pub const PROTECTED_START: ColumnSpec = protected(START);
pub const PROTECTED_END: ColumnSpec = protected(END);
pub const MUNICIPALITY_HISTORY: ColumnSpec = protected(col(
    "municipality",
    "Kotikunta",
    "Hemkommun",
    "Home municipality",
    K::Code,
));
pub const RESIDENCE_ID: ColumnSpec = protected(col(
    "residence_id",
    "Asuinpaikantunnus",
    "Bostadsbeteckning",
    "Residence id",
    K::Text,
));
pub const RESIDENCE_BUILDING: ColumnSpec =
    protected(col("building", "Rakennus", "Byggnad", "Building", K::Link));
pub const RESIDENCE_DWELLING: ColumnSpec =
    protected(col("dwelling", "Asunto", "Bostad", "Dwelling", K::Link));
pub const RESIDENCE_ADDRESS_NUMBER: ColumnSpec = protected(col(
    "address_number",
    "Osoitenumero",
    "Adressnummer",
    "Address number",
    K::Number,
));
pub const MOVED_IN: ColumnSpec = protected(col(
    "moved_in",
    "Muuttanut",
    "Inflyttad",
    "Moved in",
    K::Date,
));
pub const VOTING_DISTRICT: ColumnSpec = protected(col(
    "voting_district",
    "Äänestysalue",
    "Röstningsområde",
    "Voting district",
    K::Text,
));

// Relatives and other persons shown on a screen.
pub const SPOUSE: ColumnSpec = col("spouse", "Puoliso", "Make", "Spouse", K::Link);
pub const CHILD: ColumnSpec = col("child", "Lapsi", "Barn", "Child", K::Link);
pub const PARENT: ColumnSpec = col("parent", "Vanhempi", "Förälder", "Parent", K::Link);
pub const CUSTODIAN: ColumnSpec = col(
    "custodian",
    "Huoltaja",
    "Vårdnadshavare",
    "Custodian",
    K::Link,
);
pub const DEPENDANT: ColumnSpec = col(
    "dependant",
    "Huollettava",
    "Person under vårdnad",
    "Dependant",
    K::Link,
);
pub const ATTORNEY: ColumnSpec = col("attorney", "Valtuutettu", "Fullmäktig", "Attorney", K::Link);
pub const GUARDIAN: ColumnSpec = col(
    "guardian",
    "Edunvalvoja",
    "Intressebevakare",
    "Guardian",
    K::Link,
);
pub const GUARDIAN_KIND: ColumnSpec = col(
    "guardian_kind",
    "Edunvalvojan laji",
    "Typ av intressebevakare",
    "Kind of guardian",
    K::Code,
);
pub const IDENTIFIER: ColumnSpec = col("identifier", "Tunnus", "Beteckning", "Identifier", K::Text);
pub const RESIDENT: ColumnSpec = col("resident", "Asukas", "Invånare", "Resident", K::Link);
pub const PERSON: ColumnSpec = col("person", "Henkilö", "Person", "Person", K::Link);
pub const ADOPTED: ColumnSpec = col(
    "adopted",
    "Ottolapsisuhde",
    "Adoptivförhållande",
    "Adoption",
    K::Flag,
);
pub const UNION_KIND: ColumnSpec = col(
    "union_kind",
    "Suhteen laji",
    "Typ av förhållande",
    "Kind of union",
    K::Code,
);
pub const ORDINAL: ColumnSpec = col(
    "ordinal",
    "Järjestysnumero",
    "Ordningsnummer",
    "Ordinal",
    K::Number,
);
pub const START_WAY: ColumnSpec = col(
    "start_way",
    "Alkamistapa",
    "Hur det började",
    "How it began",
    K::Code,
);
pub const END_WAY: ColumnSpec = col(
    "end_way",
    "Päättymistapa",
    "Hur det upphörde",
    "How it ended",
    K::Code,
);
pub const CUSTODIAN_KIND: ColumnSpec = col(
    "custodian_kind",
    "Huoltajan laji",
    "Typ av vårdnadshavare",
    "Kind of custodian",
    K::Code,
);
pub const CUSTODY_DIVISION: ColumnSpec = col(
    "custody_division",
    "Huollon jako",
    "Fördelning av vårdnaden",
    "Division of custody",
    K::Code,
);
pub const IN_CARE: ColumnSpec = col(
    "in_care",
    "Huostaanotettu",
    "Omhändertagen",
    "Taken into care",
    K::Flag,
);
pub const RESTRICTION: ColumnSpec = col(
    "restriction",
    "Toimintakelpoisuus",
    "Handlingsbehörighet",
    "Legal capacity",
    K::Code,
);
pub const TASKS_DIVIDED: ColumnSpec = col(
    "tasks_divided",
    "Tehtävät jaettu",
    "Uppgifterna fördelade",
    "Tasks divided",
    K::Flag,
);
pub const UNDER_GUARDIANSHIP: ColumnSpec = col(
    "under_guardianship",
    "Edunvalvonnassa",
    "Under intressebevakning",
    "Under guardianship",
    K::Flag,
);

// Bans and protection.
pub const PROTECTION_ORDER: ColumnSpec = col(
    "protection_order",
    "Turvakielto",
    "Spärrmarkering",
    "Protection order",
    K::Flag,
);
pub const PROTECTION_ENDS: ColumnSpec = col(
    "protection_ends",
    "Turvakielto päättyy",
    "Spärrmarkeringen upphör",
    "Protection order ends",
    K::Date,
);
pub const CONTACT_ADDRESS: ColumnSpec = ColumnSpec {
    sensitivity: Sensitivity::Contact,
    ..col(
        "contact_address",
        "Yhteysosoite",
        "Kontaktadress",
        "Contact address",
        K::Text,
    )
};
pub const BANS: ColumnSpec = col(
    "bans",
    "Luovutuskieltoja",
    "Utlämningsspärrar",
    "Disclosure bans",
    K::Flag,
);
pub const BAN_DIRECT_MARKETING: ColumnSpec = col(
    "ban_direct_marketing",
    "Suoramarkkinointikielto",
    "Direktmarknadsföringsspärr",
    "Direct-marketing ban",
    K::Flag,
);
pub const BAN_CONTACT_DETAILS: ColumnSpec = col(
    "ban_contact_details",
    "Yhteystietojen luovutuskielto",
    "Spärr för kontaktuppgifter",
    "Contact-details ban",
    K::Flag,
);
pub const BAN_CUSTOMER_REGISTER: ColumnSpec = col(
    "ban_customer_register",
    "Asiakasrekisterin päivityskielto",
    "Spärr för kundregister",
    "Customer-register ban",
    K::Flag,
);
pub const BAN_GENEALOGY: ColumnSpec = col(
    "ban_genealogy",
    "Sukututkimuskielto",
    "Släktforskningsspärr",
    "Genealogy ban",
    K::Flag,
);
pub const BAN_DIRECTORIES: ColumnSpec = col(
    "ban_directories",
    "Henkilömatrikkelikielto",
    "Matrikelspärr",
    "Directories ban",
    K::Flag,
);

// Other person data.
pub const COUNTRY: ColumnSpec = col("country", "Valtio", "Land", "Country", K::Code);
pub const ACQUIRED: ColumnSpec = col("acquired", "Saatu", "Förvärvat", "Acquired", K::Date);
pub const OCCUPATION: ColumnSpec = col("occupation", "Ammatti", "Yrke", "Occupation", K::Text);
pub const EMAIL: ColumnSpec = protected(col("email", "Sähköposti", "E-post", "E-mail", K::Text));
pub const RELIGION: ColumnSpec = col(
    "religion",
    "Uskontokunta",
    "Religionssamfund",
    "Religious community",
    K::Code,
);
pub const ABSENCE: ColumnSpec = col("absence", "Poissaolo", "Frånvaro", "Absence", K::Code);
pub const OWNED: ColumnSpec = protected(col(
    "owned",
    "Omistettu kohde",
    "Ägt objekt",
    "Owned",
    K::Link,
));
/// Where an owned building or unit is: for a protected person, as protected as the address.
pub const OWNED_MUNICIPALITY: ColumnSpec = protected(MUNICIPALITY);
pub const OWNED_KIND: ColumnSpec = col(
    "owned_kind",
    "Kohteen laji",
    "Typ av objekt",
    "Kind",
    K::Code,
);
pub const SHARE: ColumnSpec = col("share", "Osuus", "Andel", "Share", K::Text);
pub const OWNS: ColumnSpec = col(
    "owns",
    "Omistaa kiinteää omaisuutta",
    "Äger fast egendom",
    "Owns real estate",
    K::Flag,
);
pub const BUILDINGS_OWNED: ColumnSpec = col(
    "buildings_owned",
    "Omistettuja rakennuksia",
    "Ägda byggnader",
    "Buildings owned",
    K::Number,
);
pub const UNITS_OWNED: ColumnSpec = col(
    "units_owned",
    "Omistettuja kiinteistöjä",
    "Ägda fastigheter",
    "Real-estate units owned",
    K::Number,
);

// Buildings.
pub const PRT: ColumnSpec = col(
    "prt",
    "Pysyvä rakennustunnus",
    "Permanent byggnadsbeteckning",
    "Permanent building id",
    K::Text,
);
pub const OLD_BUILDING_ID: ColumnSpec = col(
    "old_id",
    "Vanha rakennustunnus",
    "Gammal byggnadsbeteckning",
    "Old building id",
    K::Text,
);
pub const LOCATION_PROPERTY: ColumnSpec = col(
    "location_property",
    "Sijaintikiinteistö",
    "Fastighet där byggnaden ligger",
    "Location property",
    K::Link,
);
pub const MUNICIPALITY: ColumnSpec =
    col("municipality", "Kunta", "Kommun", "Municipality", K::Code);
pub const ADDRESS: ColumnSpec = col("address", "Osoite", "Adress", "Address", K::Text);
pub const POSTAL_CODE: ColumnSpec = col(
    "postal_code",
    "Postinumero",
    "Postnummer",
    "Postal code",
    K::Text,
);
pub const POST_OFFICE: ColumnSpec = col(
    "post_office",
    "Postitoimipaikka",
    "Postanstalt",
    "Post office",
    K::Code,
);
// Not "Käyttötarkoitus": that is the user's purpose of use, in the header of every page.
pub const USE_CLASS: ColumnSpec = col(
    "use_class",
    "Rakennuksen käyttötarkoitusluokka",
    "Byggnadens användningsklass",
    "Building use class",
    K::Code,
);
pub const BUILDING_STATE: ColumnSpec = col(
    "building_state",
    "Käytössäolotilanne",
    "Användningsläge",
    "State of use",
    K::Code,
);
pub const COMPLETED: ColumnSpec = col(
    "completed",
    "Valmistunut",
    "Färdigställd",
    "Completed",
    K::Date,
);
pub const FLOORS: ColumnSpec = col("floors", "Kerroksia", "Våningar", "Floors", K::Number);
pub const DWELLING_COUNT: ColumnSpec = col(
    "dwelling_count",
    "Asuntoja",
    "Bostäder",
    "Dwellings",
    K::Number,
);
pub const FLOOR_AREA: ColumnSpec = col(
    "floor_area",
    "Kerrosala, m²",
    "Våningsyta, m²",
    "Floor area, m²",
    K::Number,
);
pub const TOTAL_AREA: ColumnSpec = col(
    "total_area",
    "Kokonaisala, m²",
    "Totalyta, m²",
    "Total area, m²",
    K::Number,
);
pub const VOLUME: ColumnSpec = col(
    "volume",
    "Tilavuus, m³",
    "Volym, m³",
    "Volume, m³",
    K::Number,
);
pub const HEATING: ColumnSpec = col(
    "heating",
    "Lämmitystapa",
    "Uppvärmningssätt",
    "Heating",
    K::Code,
);
pub const ENERGY: ColumnSpec = col(
    "energy",
    "Lämmitysenergia",
    "Uppvärmningsenergi",
    "Heating energy",
    K::Code,
);
pub const NORTH: ColumnSpec = col(
    "north",
    "Pohjoiskoordinaatti (ETRS-TM35FIN)",
    "Nordkoordinat (ETRS-TM35FIN)",
    "Northing (ETRS-TM35FIN)",
    K::Number,
);
pub const EAST: ColumnSpec = col(
    "east",
    "Itäkoordinaatti (ETRS-TM35FIN)",
    "Östkoordinat (ETRS-TM35FIN)",
    "Easting (ETRS-TM35FIN)",
    K::Number,
);
pub const DEMOLISHED: ColumnSpec = col("demolished", "Poistunut", "Avförd", "Removed", K::Flag);
pub const DEMOLITION_DATE: ColumnSpec = col(
    "demolition_date",
    "Poistumispäivä",
    "Avförd den",
    "Removed on",
    K::Date,
);
pub const DEMOLITION_REASON: ColumnSpec = col(
    "demolition_reason",
    "Poistumisen syy",
    "Orsak till avförande",
    "Reason for removal",
    K::Code,
);
pub const OWNER_COUNT: ColumnSpec = col("owner_count", "Omistajia", "Ägare", "Owners", K::Number);
pub const ADDRESS_ORDER: ColumnSpec = col(
    "order",
    "Osoitenumero",
    "Adressnummer",
    "Address number",
    K::Number,
);
pub const STREET_FI: ColumnSpec = col(
    "street_fi",
    "Katu (suomeksi)",
    "Gata (på finska)",
    "Street (Finnish)",
    K::Text,
);
pub const STREET_SV: ColumnSpec = col(
    "street_sv",
    "Katu (ruotsiksi)",
    "Gata (på svenska)",
    "Street (Swedish)",
    K::Text,
);
pub const HOUSE_NUMBER: ColumnSpec = col(
    "house_number",
    "Talonumero",
    "Husnummer",
    "House number",
    K::Text,
);
/// The owner on a building's or unit's owner list: who a natural person there is is told only
/// to viewers with the right to protected data (the others see a private person).
pub const OWNER: ColumnSpec = ColumnSpec {
    sensitivity: Sensitivity::Identity,
    ..col("owner", "Omistaja", "Ägare", "Owner", K::Link)
};
pub const OWNER_KIND: ColumnSpec = col(
    "owner_kind",
    "Omistajan laji",
    "Typ av ägare",
    "Kind of owner",
    K::Code,
);
pub const OWNER_ID: ColumnSpec = col("owner_id", "Y-tunnus", "FO-nummer", "Business id", K::Text);
pub const EVENT: ColumnSpec = col("event", "Tapahtuma", "Händelse", "Event", K::Code);
pub const DETAIL: ColumnSpec = col("detail", "Tieto", "Uppgift", "Detail", K::Code);

// Dwellings.
pub const BUILDING: ColumnSpec = col("building", "Rakennus", "Byggnad", "Building", K::Link);
pub const DWELLING: ColumnSpec = col("dwelling", "Huoneisto", "Lägenhet", "Dwelling", K::Link);
pub const DWELLING_ID: ColumnSpec = col(
    "dwelling_id",
    "Huoneistotunnus",
    "Lägenhetsbeteckning",
    "Dwelling id",
    K::Text,
);
pub const DWELLING_KIND: ColumnSpec = col(
    "dwelling_kind",
    "Huoneiston tyyppi",
    "Lägenhetstyp",
    "Kind of dwelling",
    K::Code,
);
pub const DWELLING_AREA: ColumnSpec = col(
    "dwelling_area",
    "Pinta-ala, m²",
    "Yta, m²",
    "Floor area, m²",
    K::Number,
);
pub const ROOMS: ColumnSpec = col("rooms", "Huoneita", "Rum", "Rooms", K::Number);
pub const KITCHEN: ColumnSpec = col("kitchen", "Keittiö", "Kök", "Kitchen", K::Code);
pub const ROOM_LAYOUT: ColumnSpec = col(
    "room_layout",
    "Huoneistotyyppi",
    "Rumsfördelning",
    "Layout",
    K::Text,
);
pub const TENURE: ColumnSpec = col(
    "tenure",
    "Hallintaperuste",
    "Besittningsgrund",
    "Tenure",
    K::Code,
);
pub const DWELLING_STATE: ColumnSpec = col(
    "dwelling_state",
    "Käytössäolo",
    "Användning",
    "Occupancy",
    K::Code,
);
pub const SAUNA: ColumnSpec = col("sauna", "Sauna", "Bastu", "Sauna", K::Flag);
pub const BALCONY: ColumnSpec = col("balcony", "Parveke", "Balkong", "Balcony", K::Flag);
pub const BATH: ColumnSpec = col(
    "bath",
    "Kylpyhuone tai suihku",
    "Badrum eller dusch",
    "Bath or shower",
    K::Flag,
);
pub const WC: ColumnSpec = col("wc", "WC", "WC", "WC", K::Flag);
pub const HOT_WATER: ColumnSpec = col(
    "hot_water",
    "Lämmin vesi",
    "Varmvatten",
    "Hot water",
    K::Flag,
);
pub const DWELLING_RESIDENCE_ID: ColumnSpec = col(
    "residence_id",
    "Asuinpaikantunnus",
    "Bostadsbeteckning",
    "Residence id",
    K::Text,
);

// Real-estate units.
pub const PROPERTY_ID: ColumnSpec = col(
    "property_id",
    "Kiinteistötunnus",
    "Fastighetsbeteckning",
    "Real-estate unit id",
    K::Text,
);
pub const PROPERTY_SHORT_ID: ColumnSpec = col(
    "short_id",
    "Lyhyt muoto",
    "Kort form",
    "Short form",
    K::Text,
);
pub const PROPERTY_NAME: ColumnSpec = col("property_name", "Nimi", "Namn", "Name", K::Text);
pub const AREA_M2: ColumnSpec = col(
    "area_m2",
    "Pinta-ala, m²",
    "Areal, m²",
    "Area, m²",
    K::Number,
);
pub const REGISTERED: ColumnSpec = col(
    "registered",
    "Rekisteröity",
    "Registrerad",
    "Registered",
    K::Date,
);
pub const PARCEL_OF: ColumnSpec = col(
    "parcel_of",
    "Emäkiinteistö",
    "Stamfastighet",
    "Parcel of",
    K::Link,
);
pub const BUILDING_COUNT: ColumnSpec = col(
    "building_count",
    "Rakennuksia",
    "Byggnader",
    "Buildings",
    K::Number,
);
pub const PARCEL: ColumnSpec = col("parcel", "Määräala", "Outbrutet område", "Parcel", K::Link);
