//! The screens: one row each. A screen is a product a permit can grant; its columns are a
//! subset of its data group's, so the narrow, normal and wide variants of a group share one
//! read in the engine. Slugs are stable: a published slug is never reused for other content.

use super::columns as c;
use super::{DataGroup as G, Layout, ScreenRow, ScreenSpec, Section, Variant};
use crate::lang::Text;
use Layout::{Card, Table, Timeline};
use Variant::{Narrow, Normal, Wide};

const fn row(
    slug: &'static str,
    title: Text,
    group: G,
    layout: Layout,
    section: Section,
    variant: Variant,
    columns: &'static [super::ColumnSpec],
) -> ScreenRow {
    ScreenRow {
        slug,
        title,
        group,
        layout,
        section,
        variant,
        columns,
    }
}

const fn t(fi: &'static str, sv: &'static str, en: &'static str) -> Text {
    Text::new(fi, sv, en)
}

/// Declares the screens: the `ScreenId` enum, `ALL` and the exhaustive `spec()`.
macro_rules! screens {
    ($($name:ident => $row:expr,)+) => {
        /// One screen of the catalogue. Serialised as its slug.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ScreenId { $($name),+ }

        impl ScreenId {
            pub const ALL: &'static [ScreenId] = &[$(ScreenId::$name),+];

            /// The catalogue row; every variant has exactly one.
            pub fn spec(self) -> &'static ScreenSpec {
                match self {
                    $(ScreenId::$name => {
                        const SPEC: ScreenSpec = $row.with_id(ScreenId::$name);
                        &SPEC
                    })+
                }
            }
        }
    };
}

use Section as S;

screens! {
    // Person: identity.
    PersonBasicNarrow => row("person.basic-narrow", t("Perustiedot, suppea", "Grunduppgifter, begränsade", "Basic data, narrow"), G::PersonBasic, Card, S::PersonIdentity, Narrow,
        &[c::HETU, c::SURNAME, c::FIRST_NAMES, c::BIRTH_DATE, c::DEATH_DATE]),
    PersonBasic => row("person.basic", t("Perustiedot", "Grunduppgifter", "Basic data"), G::PersonBasic, Card, S::PersonIdentity, Normal,
        &[c::HETU, c::SURNAME, c::FIRST_NAMES, c::SEX, c::BIRTH_DATE, c::AGE, c::DEATH_DATE, c::MOTHER_TONGUE, c::CITIZENSHIP, c::HOME_MUNICIPALITY, c::PROTECTION_ORDER, c::BANS]),
    PersonBasicWide => row("person.basic-wide", t("Perustiedot, laaja", "Grunduppgifter, omfattande", "Basic data, wide"), G::PersonBasic, Card, S::PersonIdentity, Wide,
        &[c::HETU, c::SATU, c::SURNAME, c::FIRST_NAMES, c::CALL_NAME, c::MIDDLE_NAME, c::SEX, c::BIRTH_DATE, c::AGE, c::BIRTH_COUNTRY, c::BIRTH_MUNICIPALITY, c::BIRTH_PLACE_ABROAD, c::DEATH_DATE, c::DECLARED_DEAD, c::MOTHER_TONGUE, c::SERVICE_LANGUAGE, c::CITIZENSHIP, c::MARITAL_STATUS, c::HOME_MUNICIPALITY, c::HOME_SINCE, c::PERMANENT_ADDRESS, c::PROTECTION_ORDER, c::BANS, c::UNDER_GUARDIANSHIP]),
    PersonIdentity => row("person.identity", t("Tunnistetiedot", "Identifieringsuppgifter", "Identification"), G::PersonBasic, Card, S::PersonIdentity, Normal,
        &[c::HETU, c::SATU, c::SEX, c::BIRTH_DATE, c::BIRTH_COUNTRY, c::BIRTH_MUNICIPALITY, c::BIRTH_PLACE_ABROAD]),
    PersonContact => row("person.contact", t("Osoitepalvelu", "Adresstjänst", "Address service"), G::PersonBasic, Card, S::PersonResidence, Narrow,
        &[c::SURNAME, c::FIRST_NAMES, c::PERMANENT_ADDRESS, c::HOME_MUNICIPALITY, c::MOTHER_TONGUE, c::PROTECTION_ORDER, c::BANS]),
    PersonDeath => row("person.death", t("Kuolintiedot", "Dödsuppgifter", "Death"), G::PersonBasic, Card, S::PersonIdentity, Normal,
        &[c::DECEASED, c::DEATH_DATE, c::DECLARED_DEAD]),
    PersonLanguage => row("person.language", t("Kielitiedot", "Språkuppgifter", "Languages"), G::PersonBasic, Card, S::PersonIdentity, Normal,
        &[c::MOTHER_TONGUE, c::SERVICE_LANGUAGE]),
    PersonCivilStatus => row("person.civil-status", t("Siviilisääty", "Civilstånd", "Marital status"), G::PersonBasic, Card, S::PersonFamily, Narrow,
        &[c::MARITAL_STATUS, c::UNDER_GUARDIANSHIP]),
    PersonHetuHistory => row("person.hetu-history", t("Henkilötunnushistoria", "Personbeteckningshistorik", "Identity-code history"), G::HetuHistory, Table, S::PersonIdentity, Normal,
        &[c::HETU, c::HETU_STATE, c::PASSIVATED]),
    PersonNames => row("person.names", t("Nimet", "Namn", "Names"), G::Names, Card, S::PersonIdentity, Normal,
        &[c::SURNAME, c::FIRST_NAMES, c::CALL_NAME, c::MIDDLE_NAME]),
    PersonNamesNarrow => row("person.names-narrow", t("Nimet, suppea", "Namn, begränsade", "Names, narrow"), G::Names, Card, S::PersonIdentity, Narrow,
        &[c::SURNAME, c::FIRST_NAMES]),
    PersonNameHistory => row("person.name-history", t("Nimihistoria", "Namnhistorik", "Name history"), G::NameHistory, Timeline, S::PersonIdentity, Normal,
        &[c::NAME, c::NAME_KIND, c::CHANGE_WAY, c::START, c::END]),
    PersonNameHistoryNarrow => row("person.name-history-narrow", t("Nimihistoria, suppea", "Namnhistorik, begränsad", "Name history, narrow"), G::NameHistory, Timeline, S::PersonIdentity, Narrow,
        &[c::NAME, c::NAME_KIND, c::START, c::END]),
    PersonCitizenship => row("person.citizenship", t("Kansalaisuudet", "Medborgarskap", "Citizenships"), G::Citizenships, Table, S::PersonIdentity, Normal,
        &[c::COUNTRY, c::ACQUIRED]),

    // Person: addresses and residence.
    PersonAddresses => row("person.addresses", t("Osoitteet", "Adresser", "Addresses"), G::CurrentAddresses, Table, S::PersonResidence, Normal,
        &[c::ADDRESS_KIND, c::PERSON_ADDRESS, c::PERSON_POSTAL_CODE, c::PERSON_POST_OFFICE, c::ADDRESS_COUNTRY, c::PROTECTED_START]),
    PersonAddressesNarrow => row("person.addresses-narrow", t("Osoitteet, suppea", "Adresser, begränsade", "Addresses, narrow"), G::CurrentAddresses, Table, S::PersonResidence, Narrow,
        &[c::ADDRESS_KIND, c::PERSON_ADDRESS, c::PERSON_POSTAL_CODE, c::PERSON_POST_OFFICE]),
    PersonAddressHistory => row("person.address-history", t("Osoitehistoria", "Adresshistorik", "Address history"), G::AddressHistory, Timeline, S::PersonResidence, Normal,
        &[c::ADDRESS_KIND, c::PERSON_ADDRESS, c::PERSON_POSTAL_CODE, c::PERSON_POST_OFFICE, c::ADDRESS_COUNTRY, c::PROTECTED_START, c::PROTECTED_END]),
    PersonAddressHistoryNarrow => row("person.address-history-narrow", t("Osoitehistoria, suppea", "Adresshistorik, begränsad", "Address history, narrow"), G::AddressHistory, Timeline, S::PersonResidence, Narrow,
        &[c::PERSON_ADDRESS, c::PERSON_POST_OFFICE, c::PROTECTED_START, c::PROTECTED_END]),
    PersonHomeMunicipalityHistory => row("person.home-municipality-history", t("Kotikuntahistoria", "Hemkommunshistorik", "Home-municipality history"), G::HomeMunicipalityHistory, Timeline, S::PersonResidence, Normal,
        &[c::MUNICIPALITY_HISTORY, c::PROTECTED_START, c::PROTECTED_END]),
    PersonResidence => row("person.residence", t("Asuinpaikka", "Bostadsort", "Residence"), G::Residence, Card, S::PersonResidence, Normal,
        &[c::PERMANENT_ADDRESS, c::RESIDENCE_DWELLING, c::RESIDENCE_BUILDING, c::RESIDENCE_ID, c::RESIDENCE_ADDRESS_NUMBER, c::HOME_MUNICIPALITY, c::MOVED_IN]),
    PersonResidenceNarrow => row("person.residence-narrow", t("Asuinpaikka, suppea", "Bostadsort, begränsad", "Residence, narrow"), G::Residence, Card, S::PersonResidence, Narrow,
        &[c::RESIDENCE_DWELLING, c::RESIDENCE_BUILDING, c::MOVED_IN]),
    PersonVoting => row("person.voting", t("Vaalitiedot", "Valuppgifter", "Election data"), G::Residence, Card, S::PersonResidence, Normal,
        &[c::HOME_MUNICIPALITY, c::VOTING_DISTRICT]),

    // Person: family.
    PersonSpouse => row("person.spouse", t("Puoliso", "Make", "Spouse"), G::Spouse, Card, S::PersonFamily, Normal,
        &[c::SPOUSE, c::HETU, c::BIRTH_DATE, c::UNION_KIND, c::START, c::START_WAY, c::MARITAL_STATUS]),
    PersonMarriages => row("person.marriages", t("Avioliittohistoria", "Äktenskapshistorik", "Marriage history"), G::Marriages, Timeline, S::PersonFamily, Normal,
        &[c::SPOUSE, c::HETU, c::BIRTH_DATE, c::ORDINAL, c::UNION_KIND, c::START, c::START_WAY, c::END, c::END_WAY]),
    PersonMarriagesNarrow => row("person.marriages-narrow", t("Avioliittohistoria, suppea", "Äktenskapshistorik, begränsad", "Marriage history, narrow"), G::Marriages, Timeline, S::PersonFamily, Narrow,
        &[c::SPOUSE, c::UNION_KIND, c::START, c::END]),
    PersonChildren => row("person.children", t("Lapset", "Barn", "Children"), G::Children, Table, S::PersonFamily, Normal,
        &[c::CHILD, c::HETU, c::BIRTH_DATE, c::AGE, c::ADOPTED, c::DECEASED]),
    PersonChildrenNarrow => row("person.children-narrow", t("Lapset, suppea", "Barn, begränsade", "Children, narrow"), G::Children, Table, S::PersonFamily, Narrow,
        &[c::CHILD, c::BIRTH_DATE]),
    PersonParents => row("person.parents", t("Vanhemmat", "Föräldrar", "Parents"), G::Parents, Table, S::PersonFamily, Normal,
        &[c::PARENT, c::HETU, c::BIRTH_DATE, c::ADOPTED, c::DECEASED]),
    PersonParentsNarrow => row("person.parents-narrow", t("Vanhemmat, suppea", "Föräldrar, begränsade", "Parents, narrow"), G::Parents, Table, S::PersonFamily, Narrow,
        &[c::PARENT, c::BIRTH_DATE]),
    PersonCustodians => row("person.custodians", t("Huoltajat", "Vårdnadshavare", "Custodians"), G::Custodians, Table, S::PersonFamily, Normal,
        &[c::CUSTODIAN, c::HETU, c::BIRTH_DATE, c::CUSTODIAN_KIND, c::CUSTODY_DIVISION, c::START, c::END]),
    PersonCustodiansNarrow => row("person.custodians-narrow", t("Huoltajat, suppea", "Vårdnadshavare, begränsade", "Custodians, narrow"), G::Custodians, Table, S::PersonFamily, Narrow,
        &[c::CUSTODIAN, c::CUSTODIAN_KIND]),
    PersonDependants => row("person.dependants", t("Huollettavat", "Personer under vårdnad", "Dependants"), G::Dependants, Table, S::PersonFamily, Normal,
        &[c::DEPENDANT, c::HETU, c::BIRTH_DATE, c::CUSTODIAN_KIND, c::CUSTODY_DIVISION, c::START, c::END]),
    PersonDependantsNarrow => row("person.dependants-narrow", t("Huollettavat, suppea", "Personer under vårdnad, begränsade", "Dependants, narrow"), G::Dependants, Table, S::PersonFamily, Narrow,
        &[c::DEPENDANT, c::BIRTH_DATE]),
    PersonCare => row("person.care", t("Huostaanotto", "Omhändertagande", "Taking into care"), G::Care, Card, S::PersonFamily, Normal,
        &[c::IN_CARE, c::START, c::END]),

    // Person: guardianship.
    PersonGuardianship => row("person.guardianship", t("Edunvalvonta", "Intressebevakning", "Guardianship"), G::Guardianship, Card, S::PersonGuardianship, Normal,
        &[c::IN_FORCE, c::START, c::END, c::RESTRICTION, c::TASKS_DIVIDED]),
    PersonGuardianshipNarrow => row("person.guardianship-narrow", t("Edunvalvonta, suppea", "Intressebevakning, begränsad", "Guardianship, narrow"), G::Guardianship, Card, S::PersonGuardianship, Narrow,
        &[c::IN_FORCE, c::RESTRICTION]),
    PersonGuardians => row("person.guardians", t("Edunvalvojat", "Intressebevakare", "Guardians"), G::Guardians, Table, S::PersonGuardianship, Normal,
        &[c::GUARDIAN, c::GUARDIAN_KIND, c::IDENTIFIER, c::START, c::END]),
    PersonGuardiansNarrow => row("person.guardians-narrow", t("Edunvalvojat, suppea", "Intressebevakare, begränsade", "Guardians, narrow"), G::Guardians, Table, S::PersonGuardianship, Narrow,
        &[c::GUARDIAN, c::GUARDIAN_KIND]),
    PersonPowerOfAttorney => row("person.power-of-attorney", t("Edunvalvontavaltuutus", "Intressebevakningsfullmakt", "Continuing power of attorney"), G::PowerOfAttorney, Card, S::PersonGuardianship, Normal,
        &[c::IN_FORCE, c::START, c::END, c::TASKS_DIVIDED]),
    PersonAttorneys => row("person.attorneys", t("Valtuutetut", "Fullmäktiga", "Attorneys"), G::Attorneys, Table, S::PersonGuardianship, Normal,
        &[c::ATTORNEY, c::HETU, c::BIRTH_DATE, c::START, c::END]),
    PersonAttorneysNarrow => row("person.attorneys-narrow", t("Valtuutetut, suppea", "Fullmäktiga, begränsade", "Attorneys, narrow"), G::Attorneys, Table, S::PersonGuardianship, Narrow,
        &[c::ATTORNEY, c::START]),

    // Person: bans and protection.
    PersonBans => row("person.bans", t("Luovutuskiellot", "Utlämningsspärrar", "Disclosure bans"), G::Bans, Card, S::PersonRestrictions, Normal,
        &[c::BAN_DIRECT_MARKETING, c::BAN_CONTACT_DETAILS, c::BAN_CUSTOMER_REGISTER, c::BAN_GENEALOGY, c::BAN_DIRECTORIES]),
    PersonProtection => row("person.protection", t("Turvakielto", "Spärrmarkering", "Protection order"), G::Protection, Card, S::PersonRestrictions, Normal,
        &[c::PROTECTION_ORDER, c::START, c::PROTECTION_ENDS, c::CONTACT_ADDRESS]),

    // Person: other data.
    PersonOccupation => row("person.occupation", t("Ammatti", "Yrke", "Occupation"), G::OtherPersonData, Card, S::PersonOther, Narrow,
        &[c::OCCUPATION]),
    PersonEmail => row("person.email", t("Sähköpostiosoite", "E-postadress", "E-mail address"), G::OtherPersonData, Card, S::PersonOther, Narrow,
        &[c::EMAIL]),
    PersonReligion => row("person.religion", t("Uskontokunta", "Religionssamfund", "Religious community"), G::OtherPersonData, Card, S::PersonOther, Narrow,
        &[c::RELIGION]),
    PersonAbsence => row("person.absence", t("Poissaolo", "Frånvaro", "Absence"), G::OtherPersonData, Card, S::PersonOther, Narrow,
        &[c::ABSENCE]),
    PersonOther => row("person.other", t("Muut tiedot", "Övriga uppgifter", "Other data"), G::OtherPersonData, Card, S::PersonOther, Wide,
        &[c::OCCUPATION, c::EMAIL, c::RELIGION, c::ABSENCE, c::MOTHER_TONGUE, c::SERVICE_LANGUAGE]),
    PersonOwnership => row("person.ownership", t("Omistukset", "Ägande", "Ownership"), G::Ownership, Table, S::PersonOther, Normal,
        &[c::OWNED, c::OWNED_KIND, c::OWNED_MUNICIPALITY, c::SHARE]),
    PersonOwnershipSummary => row("person.ownership-summary", t("Omistustieto", "Ägaruppgift", "Ownership summary"), G::OwnershipSummary, Card, S::PersonOther, Narrow,
        &[c::OWNS, c::BUILDINGS_OWNED, c::UNITS_OWNED]),

    // Building.
    BuildingBasicNarrow => row("building.basic-narrow", t("Rakennus, suppea", "Byggnad, begränsad", "Building, narrow"), G::BuildingBasic, Card, S::Building, Narrow,
        &[c::PRT, c::ADDRESS, c::POSTAL_CODE, c::MUNICIPALITY, c::USE_CLASS]),
    BuildingBasic => row("building.basic", t("Rakennuksen perustiedot", "Byggnadens grunduppgifter", "Basic building data"), G::BuildingBasic, Card, S::Building, Normal,
        &[c::PRT, c::OLD_BUILDING_ID, c::ADDRESS, c::POSTAL_CODE, c::POST_OFFICE, c::MUNICIPALITY, c::LOCATION_PROPERTY, c::USE_CLASS, c::BUILDING_STATE, c::COMPLETED, c::FLOORS, c::DWELLING_COUNT]),
    BuildingBasicWide => row("building.basic-wide", t("Rakennus, laaja", "Byggnad, omfattande", "Building, wide"), G::BuildingBasic, Card, S::Building, Wide,
        &[c::PRT, c::OLD_BUILDING_ID, c::ADDRESS, c::POSTAL_CODE, c::POST_OFFICE, c::MUNICIPALITY, c::LOCATION_PROPERTY, c::USE_CLASS, c::BUILDING_STATE, c::COMPLETED, c::FLOORS, c::DWELLING_COUNT, c::FLOOR_AREA, c::TOTAL_AREA, c::VOLUME, c::HEATING, c::ENERGY, c::NORTH, c::EAST, c::OWNER_COUNT, c::DEMOLISHED, c::DEMOLITION_DATE, c::DEMOLITION_REASON]),
    BuildingIdentifiers => row("building.identifiers", t("Rakennustunnukset", "Byggnadsbeteckningar", "Building identifiers"), G::BuildingBasic, Card, S::Building, Narrow,
        &[c::PRT, c::OLD_BUILDING_ID, c::LOCATION_PROPERTY, c::MUNICIPALITY]),
    BuildingLocation => row("building.location", t("Sijainti ja koordinaatit", "Läge och koordinater", "Location and coordinates"), G::BuildingBasic, Card, S::Building, Normal,
        &[c::ADDRESS, c::POSTAL_CODE, c::POST_OFFICE, c::MUNICIPALITY, c::LOCATION_PROPERTY, c::NORTH, c::EAST]),
    BuildingCoordinates => row("building.coordinates", t("Koordinaatit", "Koordinater", "Coordinates"), G::BuildingBasic, Card, S::Building, Narrow,
        &[c::NORTH, c::EAST]),
    BuildingTechnical => row("building.technical", t("Tekniset tiedot", "Tekniska uppgifter", "Technical data"), G::BuildingBasic, Card, S::Building, Normal,
        &[c::USE_CLASS, c::COMPLETED, c::FLOORS, c::FLOOR_AREA, c::TOTAL_AREA, c::VOLUME, c::HEATING, c::ENERGY, c::DWELLING_COUNT]),
    BuildingTechnicalNarrow => row("building.technical-narrow", t("Tekniset tiedot, suppea", "Tekniska uppgifter, begränsade", "Technical data, narrow"), G::BuildingBasic, Card, S::Building, Narrow,
        &[c::USE_CLASS, c::FLOORS, c::FLOOR_AREA]),
    BuildingDemolition => row("building.demolition", t("Käytöstä poistuminen", "Avförande", "Removal"), G::BuildingBasic, Card, S::Building, Normal,
        &[c::BUILDING_STATE, c::DEMOLISHED, c::DEMOLITION_DATE, c::DEMOLITION_REASON]),
    BuildingHistory => row("building.history", t("Rakennuksen historia", "Byggnadens historik", "Building history"), G::BuildingHistory, Timeline, S::Building, Normal,
        &[c::EVENT, c::DETAIL, c::START, c::END]),
    BuildingAddresses => row("building.addresses", t("Rakennuksen osoitteet", "Byggnadens adresser", "Building addresses"), G::BuildingAddresses, Table, S::Building, Normal,
        &[c::ADDRESS_ORDER, c::STREET_FI, c::STREET_SV, c::HOUSE_NUMBER, c::POSTAL_CODE, c::POST_OFFICE]),
    BuildingOwners => row("building.owners", t("Rakennuksen omistajat", "Byggnadens ägare", "Building owners"), G::BuildingOwners, Table, S::BuildingOwners, Normal,
        &[c::OWNER, c::OWNER_KIND, c::OWNER_ID, c::SHARE]),
    BuildingOwnersNarrow => row("building.owners-narrow", t("Rakennuksen omistajat, suppea", "Byggnadens ägare, begränsade", "Building owners, narrow"), G::BuildingOwners, Table, S::BuildingOwners, Narrow,
        &[c::OWNER, c::SHARE]),
    BuildingDwellings => row("building.dwellings", t("Huoneistot", "Lägenheter", "Dwellings"), G::Dwellings, Table, S::BuildingDwellings, Normal,
        &[c::DWELLING, c::DWELLING_KIND, c::DWELLING_AREA, c::ROOMS, c::KITCHEN, c::TENURE, c::DWELLING_STATE]),
    BuildingDwellingsNarrow => row("building.dwellings-narrow", t("Huoneistot, suppea", "Lägenheter, begränsade", "Dwellings, narrow"), G::Dwellings, Table, S::BuildingDwellings, Narrow,
        &[c::DWELLING, c::ROOMS, c::DWELLING_AREA]),
    BuildingDwellingsWide => row("building.dwellings-wide", t("Huoneistot, laaja", "Lägenheter, omfattande", "Dwellings, wide"), G::Dwellings, Table, S::BuildingDwellings, Wide,
        &[c::DWELLING, c::DWELLING_KIND, c::DWELLING_AREA, c::ROOMS, c::ROOM_LAYOUT, c::KITCHEN, c::TENURE, c::DWELLING_STATE, c::SAUNA, c::BALCONY, c::BATH, c::WC, c::HOT_WATER]),
    BuildingResidents => row("building.residents", t("Asukkaat", "Invånare", "Residents"), G::BuildingResidents, Table, S::BuildingDwellings, Normal,
        &[c::RESIDENT, c::BIRTH_DATE, c::DWELLING, c::MOVED_IN]),
    BuildingResidentsNarrow => row("building.residents-narrow", t("Asukkaat, suppea", "Invånare, begränsade", "Residents, narrow"), G::BuildingResidents, Table, S::BuildingDwellings, Narrow,
        &[c::RESIDENT, c::DWELLING]),
    BuildingResidentsWide => row("building.residents-wide", t("Asukkaat, laaja", "Invånare, omfattande", "Residents, wide"), G::BuildingResidents, Table, S::BuildingDwellings, Wide,
        &[c::RESIDENT, c::HETU, c::BIRTH_DATE, c::AGE, c::DWELLING, c::MOVED_IN]),

    // Dwelling.
    DwellingBasicNarrow => row("dwelling.basic-narrow", t("Huoneisto, suppea", "Lägenhet, begränsad", "Dwelling, narrow"), G::DwellingBasic, Card, S::Dwelling, Narrow,
        &[c::ADDRESS, c::DWELLING_ID, c::ROOMS, c::DWELLING_AREA]),
    DwellingBasic => row("dwelling.basic", t("Huoneiston tiedot", "Lägenhetens uppgifter", "Dwelling data"), G::DwellingBasic, Card, S::Dwelling, Normal,
        &[c::ADDRESS, c::DWELLING_ID, c::BUILDING, c::DWELLING_KIND, c::DWELLING_AREA, c::ROOMS, c::KITCHEN, c::TENURE, c::DWELLING_STATE]),
    DwellingBasicWide => row("dwelling.basic-wide", t("Huoneisto, laaja", "Lägenhet, omfattande", "Dwelling, wide"), G::DwellingBasic, Card, S::Dwelling, Wide,
        &[c::ADDRESS, c::DWELLING_ID, c::DWELLING_RESIDENCE_ID, c::BUILDING, c::DWELLING_KIND, c::DWELLING_AREA, c::ROOMS, c::ROOM_LAYOUT, c::KITCHEN, c::TENURE, c::DWELLING_STATE, c::SAUNA, c::BALCONY, c::BATH, c::WC, c::HOT_WATER]),
    DwellingEquipment => row("dwelling.equipment", t("Varustetaso", "Utrustning", "Equipment"), G::DwellingBasic, Card, S::Dwelling, Normal,
        &[c::SAUNA, c::BALCONY, c::BATH, c::WC, c::HOT_WATER]),
    DwellingResidents => row("dwelling.residents", t("Asukkaat", "Invånare", "Residents"), G::DwellingResidents, Table, S::Dwelling, Normal,
        &[c::RESIDENT, c::BIRTH_DATE, c::MOVED_IN]),
    DwellingResidentsNarrow => row("dwelling.residents-narrow", t("Asukkaat, suppea", "Invånare, begränsade", "Residents, narrow"), G::DwellingResidents, Table, S::Dwelling, Narrow,
        &[c::RESIDENT]),
    DwellingResidentsWide => row("dwelling.residents-wide", t("Asukkaat, laaja", "Invånare, omfattande", "Residents, wide"), G::DwellingResidents, Table, S::Dwelling, Wide,
        &[c::RESIDENT, c::HETU, c::BIRTH_DATE, c::AGE, c::MOVED_IN]),

    // Real-estate unit.
    PropertyBasicNarrow => row("property.basic-narrow", t("Kiinteistö, suppea", "Fastighet, begränsad", "Real-estate unit, narrow"), G::PropertyBasic, Card, S::Property, Narrow,
        &[c::PROPERTY_ID, c::PROPERTY_NAME, c::MUNICIPALITY]),
    PropertyBasic => row("property.basic", t("Kiinteistön perustiedot", "Fastighetens grunduppgifter", "Basic real-estate data"), G::PropertyBasic, Card, S::Property, Normal,
        &[c::PROPERTY_ID, c::PROPERTY_SHORT_ID, c::PROPERTY_NAME, c::MUNICIPALITY, c::AREA_M2, c::REGISTERED, c::PARCEL_OF, c::BUILDING_COUNT]),
    PropertyBasicWide => row("property.basic-wide", t("Kiinteistö, laaja", "Fastighet, omfattande", "Real-estate unit, wide"), G::PropertyBasic, Card, S::Property, Wide,
        &[c::PROPERTY_ID, c::PROPERTY_SHORT_ID, c::PROPERTY_NAME, c::MUNICIPALITY, c::AREA_M2, c::REGISTERED, c::PARCEL_OF, c::BUILDING_COUNT, c::OWNER_COUNT]),
    PropertyOwners => row("property.owners", t("Kiinteistön omistajat", "Fastighetens ägare", "Owners"), G::PropertyOwners, Table, S::Property, Normal,
        &[c::OWNER, c::OWNER_KIND, c::OWNER_ID, c::SHARE]),
    PropertyOwnersNarrow => row("property.owners-narrow", t("Kiinteistön omistajat, suppea", "Fastighetens ägare, begränsade", "Owners, narrow"), G::PropertyOwners, Table, S::Property, Narrow,
        &[c::OWNER, c::SHARE]),
    PropertyBuildings => row("property.buildings", t("Kiinteistön rakennukset", "Byggnader på fastigheten", "Buildings on the unit"), G::PropertyBuildings, Table, S::Property, Normal,
        &[c::BUILDING, c::PRT, c::USE_CLASS, c::COMPLETED, c::BUILDING_STATE]),
    PropertyBuildingsNarrow => row("property.buildings-narrow", t("Kiinteistön rakennukset, suppea", "Byggnader på fastigheten, begränsade", "Buildings on the unit, narrow"), G::PropertyBuildings, Table, S::Property, Narrow,
        &[c::BUILDING, c::USE_CLASS]),
    PropertyParcels => row("property.parcels", t("Määräalat", "Outbrutna områden", "Parcels"), G::PropertyParcels, Table, S::Property, Normal,
        &[c::PARCEL, c::PROPERTY_NAME, c::AREA_M2, c::REGISTERED]),
    PropertyParcelsNarrow => row("property.parcels-narrow", t("Määräalat, suppea", "Outbrutna områden, begränsade", "Parcels, narrow"), G::PropertyParcels, Table, S::Property, Narrow,
        &[c::PARCEL, c::AREA_M2]),
}
