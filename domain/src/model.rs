//! Read models of the register as the engine stores them: persons with their histories and
//! relations, buildings, dwellings and real-estate units. Fields may be empty: empty means
//! "no data", which is not "no". Code values are compact enums from [`crate::codes`]; dates that
//! the register may know only in part carry their precision ([`PartialDate`]).

use crate::codes::{
    Absence, BuildingState, CustodianKind, CustodyDivision, DemolitionReason, DwellingKind,
    DwellingState, EnergySource, HeatingMethod, KitchenKind, MaritalStatus, MarriageEnd,
    MarriageStart, NameChangeWay, NameKind, Religion, Restriction, Sex, Tenure, UseClass,
};
use crate::date::Date;
pub use crate::date::PartialDate;
use crate::hetu::Hetu;
use crate::ids::{BuildingId, BusinessId, MunicipalityCode, OldBuildingId, PropertyId, Satu};
pub use crate::names::normalise_name;
use crate::subject::PersonId;
use serde::{Deserialize, Serialize};

/// A validity period; an open end means "still valid".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
}

impl Period {
    pub fn from(start: Date) -> Period {
        Period {
            start: Some(start.into()),
            end: None,
        }
    }
    pub fn between(start: Date, end: Date) -> Period {
        Period {
            start: Some(start.into()),
            end: Some(end.into()),
        }
    }
    pub fn is_open(&self) -> bool {
        self.end.is_none()
    }
}

/// An identity code that was corrected or changed; it leads to the person's active code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassiveHetu {
    pub hetu: Hetu,
    pub passivated: Date,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormerName {
    pub name: String,
    pub kind: NameKind,
    pub change_way: Option<NameChangeWay>,
    pub period: Period,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    pub surname: String,
    pub first_names: String,
    pub call_name: Option<String>,
    pub middle_name: Option<String>,
    pub history: Vec<FormerName>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Birth {
    pub date: Date,
    /// ISO 3166-1 numeric.
    pub country: u16,
    /// Municipality number when born in Finland.
    pub municipality: Option<String>,
    pub foreign_place: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citizenship {
    pub country: u16,
    pub acquired: Option<PartialDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeMunicipality {
    /// Three digits, or 198 / 199 / 200.
    pub code: String,
    pub since: Date,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddressPlace {
    Domestic {
        /// Street name and number, e.g. `Mannerheimintie 5`.
        street: String,
        /// Staircase, flat and division, e.g. `B 12a`; empty in a detached house.
        dwelling: String,
        postal_code: String,
        post_office_fi: String,
        post_office_sv: String,
    },
    Foreign {
        street: String,
        place: String,
        country: u16,
    },
}

impl AddressPlace {
    /// What of this address could tell where someone is, upper-cased: the street line (street
    /// and number), the postal code and the post office in both languages; abroad, the street
    /// and the place.
    pub fn location_parts(&self) -> Vec<String> {
        let parts = match self {
            AddressPlace::Domestic {
                street,
                postal_code,
                post_office_fi,
                post_office_sv,
                ..
            } => vec![street, postal_code, post_office_fi, post_office_sv],
            AddressPlace::Foreign { street, place, .. } => vec![street, place],
        };
        parts
            .into_iter()
            .map(|p| p.trim().to_uppercase())
            .filter(|p| !p.is_empty())
            .collect()
    }

    /// One line, e.g. `Mannerheimintie 5 B 12, 00100 HELSINKI`.
    pub fn one_line(&self) -> String {
        match self {
            AddressPlace::Domestic {
                street,
                dwelling,
                postal_code,
                post_office_fi,
                ..
            } => {
                if dwelling.is_empty() {
                    format!("{street}, {postal_code} {post_office_fi}")
                } else {
                    format!("{street} {dwelling}, {postal_code} {post_office_fi}")
                }
            }
            AddressPlace::Foreign { street, place, .. } => format!("{street}, {place}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressRecord {
    pub kind: crate::codes::AddressKind,
    pub place: AddressPlace,
    pub period: Period,
}

/// Where a person lives permanently: building, the building's address number, dwelling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Residence {
    pub building: BuildingId,
    /// Order number (1–4) of the building address the residence uses.
    pub address_number: u8,
    /// Staircase, flat and division as written, e.g. `B 12a`; empty in a detached house.
    pub dwelling: String,
}

/// A family relation, seen from the person who holds it. Each has its mirror on the other side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Relation {
    Spouse {
        other: PersonId,
        ordinal: u8,
        partnership: bool,
        start_way: MarriageStart,
        end_way: Option<MarriageEnd>,
        period: Period,
    },
    Child {
        other: PersonId,
        adopted: bool,
        period: Period,
    },
    Parent {
        other: PersonId,
        adopted: bool,
        period: Period,
    },
    /// `other` is this person's custodian.
    Custodian {
        other: PersonId,
        kind: CustodianKind,
        division: Option<CustodyDivision>,
        period: Period,
    },
    /// `other` is in this person's custody.
    Dependant {
        other: PersonId,
        kind: CustodianKind,
        division: Option<CustodyDivision>,
        period: Period,
    },
}

impl Relation {
    pub fn other(&self) -> PersonId {
        match self {
            Relation::Spouse { other, .. }
            | Relation::Child { other, .. }
            | Relation::Parent { other, .. }
            | Relation::Custodian { other, .. }
            | Relation::Dependant { other, .. } => *other,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuardianParty {
    Person(PersonId),
    Company {
        business_id: String,
        name: String,
    },
    LegalAidOffice {
        number: String,
        name_fi: String,
        name_sv: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guardian {
    pub party: GuardianParty,
    pub period: Period,
}

/// Guardianship (edunvalvonta).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guardianship {
    pub period: Period,
    pub restriction: Restriction,
    pub tasks_divided: bool,
    pub guardians: Vec<Guardian>,
}

/// A continuing power of attorney confirmed by the authority (edunvalvontavaltuutus).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerOfAttorney {
    pub period: Period,
    pub tasks_divided: bool,
    pub attorneys: Vec<(PersonId, Period)>,
}

/// The five disclosure bans.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bans {
    pub direct_marketing: bool,
    pub contact_details: bool,
    pub customer_register: bool,
    pub genealogy: bool,
    pub directories: bool,
}

impl Bans {
    pub fn any(&self) -> bool {
        self.direct_marketing
            || self.contact_details
            || self.customer_register
            || self.genealogy
            || self.directories
    }
}

/// A protection order (turvakielto).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectionOrder {
    pub since: Date,
    /// Ends on this day; `None` until further notice.
    pub ends: Option<Date>,
    /// A contact address the person gave (e.g. a PO box); not restricted.
    pub contact_address: Option<AddressPlace>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    /// The active identity code.
    pub hetu: Hetu,
    pub hetu_history: Vec<PassiveHetu>,
    /// Electronic transaction id (SATU), as written.
    pub satu: Option<Satu>,
    pub names: Names,
    pub sex: Sex,
    pub birth: Birth,
    pub death: Option<PartialDate>,
    pub declared_dead: Option<Date>,
    /// ISO 639-1 code (see `codes::LANGUAGES`).
    pub mother_tongue: String,
    /// `fi` or `sv`, given only when the mother tongue is neither.
    pub service_language: Option<String>,
    pub citizenships: Vec<Citizenship>,
    /// Oldest first; the last is the current home municipality.
    pub home_municipalities: Vec<HomeMunicipality>,
    pub addresses: Vec<AddressRecord>,
    pub residence: Option<Residence>,
    pub voting_district: Option<String>,
    pub marital_status: MaritalStatus,
    pub relations: Vec<Relation>,
    pub taken_into_care: Option<Period>,
    pub guardianship: Option<Guardianship>,
    pub power_of_attorney: Option<PowerOfAttorney>,
    pub bans: Bans,
    pub protection_order: Option<ProtectionOrder>,
    pub occupation: Option<String>,
    pub email: Option<String>,
    pub religion: Option<Religion>,
    pub absence: Option<Absence>,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.names.first_names, self.names.surname)
    }

    /// The current home municipality's number.
    pub fn home_municipality(&self) -> Option<&str> {
        self.home_municipalities.last().map(|h| h.code.as_str())
    }

    /// The current permanent address, if any.
    pub fn permanent_address(&self) -> Option<&AddressRecord> {
        self.addresses
            .iter()
            .rev()
            .find(|a| a.kind == crate::codes::AddressKind::Permanent && a.period.is_open())
    }

    /// Has the person died or been declared dead?
    pub fn is_dead(&self) -> bool {
        self.death.is_some() || self.declared_dead.is_some()
    }

    /// Every part of where the person lives or has lived, upper-cased: each address's parts
    /// ([`AddressPlace::location_parts`]) and each home municipality (its number and its names
    /// in Finnish and Swedish). What a protection order covers, as text to compare with.
    pub fn location_parts(&self) -> std::collections::BTreeSet<String> {
        location_parts(&self.addresses, &self.home_municipalities)
    }

    /// Whether the contact address of the person's protection order gives away any part of
    /// where they live or have lived (e.g. a PO box at their own post office).
    pub fn contact_locates(&self) -> bool {
        self.protection_order
            .as_ref()
            .and_then(|o| o.contact_address.as_ref())
            .is_some_and(|contact| locates(contact, &self.location_parts()))
    }

    /// Is a protection order in force on `today`?
    pub fn protected_on(&self, today: Date) -> bool {
        self.protection_order
            .as_ref()
            .is_some_and(|p| p.ends.is_none_or(|end| end >= today))
    }
}

/// Every part of these addresses and home municipalities, upper-cased: each address's parts
/// ([`AddressPlace::location_parts`]) and each municipality's number and names in Finnish and
/// Swedish.
pub fn location_parts(
    addresses: &[AddressRecord],
    homes: &[HomeMunicipality],
) -> std::collections::BTreeSet<String> {
    let mut out: std::collections::BTreeSet<String> = addresses
        .iter()
        .flat_map(|a| a.place.location_parts())
        .collect();
    for h in homes {
        out.insert(h.code.clone());
        if let Some(m) = h
            .code
            .parse()
            .ok()
            .and_then(|n| crate::MunicipalityCode::new(n).ok())
        {
            out.insert(m.name(crate::Lang::Fi).to_uppercase());
            out.insert(m.name(crate::Lang::Sv).to_uppercase());
        }
    }
    out
}

/// Whether `contact` shares any part with `location` (street line, postal code, post office,
/// municipality).
pub fn locates(contact: &AddressPlace, location: &std::collections::BTreeSet<String>) -> bool {
    contact
        .location_parts()
        .iter()
        .any(|part| location.contains(part))
}

/// An owner of a building or a real-estate unit, with the share as a fraction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    Person {
        id: PersonId,
        share: (u16, u16),
    },
    Organisation {
        business_id: BusinessId,
        name: String,
        share: (u16, u16),
    },
}

impl Owner {
    /// The owner's share, as a fraction.
    pub fn share(&self) -> (u16, u16) {
        match self {
            Owner::Person { share, .. } | Owner::Organisation { share, .. } => *share,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingAddress {
    /// 1–4.
    pub order: u8,
    pub street_fi: String,
    pub street_sv: Option<String>,
    /// House number with any suffix, e.g. `5`, `12b`, `3-5`.
    pub number: String,
    pub postal_code: String,
}

impl BuildingAddress {
    pub fn street_line(&self) -> String {
        format!("{} {}", self.street_fi, self.number)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Demolition {
    pub date: PartialDate,
    pub reason: DemolitionReason,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Building {
    pub id: BuildingId,
    /// The old property-based building id, as written.
    pub old_id: Option<OldBuildingId>,
    /// The location property.
    pub property: PropertyId,
    pub municipality: MunicipalityCode,
    pub addresses: Vec<BuildingAddress>,
    /// ETRS-TM35FIN (north, east) in metres.
    pub coordinates: Option<(u32, u32)>,
    pub use_class: UseClass,
    pub completed: Option<PartialDate>,
    pub floors: u8,
    pub floor_area: u32,
    pub total_area: u32,
    pub volume: u32,
    pub heating: Option<HeatingMethod>,
    pub energy: Option<EnergySource>,
    pub state: BuildingState,
    pub owners: Vec<Owner>,
    /// Never deleted: a removed building keeps its record with the removal.
    pub demolition: Option<Demolition>,
    /// Number of dwellings (the dwellings are their own records).
    pub dwellings: u16,
}

/// Dwelling equipment flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Equipment {
    pub sauna: bool,
    pub balcony: bool,
    pub bath_or_shower: bool,
    pub wc: bool,
    pub hot_water: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dwelling {
    pub building: BuildingId,
    pub address_number: u8,
    /// Staircase, flat and division as written (`B 12a`); empty for a detached house.
    pub label: String,
    pub kind: DwellingKind,
    pub floor_area: u16,
    pub rooms: u8,
    pub kitchen: KitchenKind,
    pub equipment: Equipment,
    pub tenure: Tenure,
    pub state: DwellingState,
}

/// A real-estate unit or a parcel (määräala).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    pub id: PropertyId,
    pub name: String,
    pub area_m2: u64,
    pub registered: Date,
    pub owners: Vec<Owner>,
    pub buildings: Vec<BuildingId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The register's identifiers are typed: a record whose id breaks its rules does not
    /// decode (a damaged or forged record is an error, never a shown value), and a valid one
    /// is written in the same text it was stored as before the types (so registers need no
    /// migration).
    #[test]
    fn a_record_with_an_invalid_identifier_does_not_decode() -> Result<(), serde_json::Error> {
        let property = |id: &str, business_id: &str| {
            serde_json::json!({
                "id": id, "name": "Metsä", "area_m2": 1, "registered": "2001-01-01",
                "owners": [{"Organisation": {"business_id": business_id, "name": "Oy", "share": [1, 1]}}],
                "buildings": [],
            })
        };
        let good: Property = serde_json::from_value(property("091-401-0001-0002", "1234567-1"))?;
        assert_eq!(
            serde_json::to_value(&good)?,
            property("091-401-0001-0002", "1234567-1")
        );
        for (id, business_id) in [
            ("091-401-0001", "1234567-1"),
            ("999-401-0001-0002", "1234567-1"),
            ("091-401-0001-0002", "1234567-2"),
        ] {
            assert!(
                serde_json::from_value::<Property>(property(id, business_id)).is_err(),
                "{id} {business_id}"
            );
        }
        Ok(())
    }

    fn domestic(street: &str, postal: &str, fi: &str, sv: &str) -> AddressPlace {
        AddressPlace::Domestic {
            street: street.into(),
            dwelling: "A 5".into(),
            postal_code: postal.into(),
            post_office_fi: fi.into(),
            post_office_sv: sv.into(),
        }
    }

    #[test]
    fn a_contact_address_locates_its_person_by_any_shared_part()
    -> Result<(), crate::date::DateError> {
        let home = domestic("Fallinkatu 10", "00640", "HELSINKI", "HELSINGFORS");
        assert_eq!(
            home.location_parts(),
            vec!["FALLINKATU 10", "00640", "HELSINKI", "HELSINGFORS"],
            "the dwelling is not a part that locates on its own"
        );
        let abroad = AddressPlace::Foreign {
            street: " Calle Mayor 3".into(),
            place: "Málaga, Espanja".into(),
            country: 724,
        };
        assert_eq!(
            abroad.location_parts(),
            vec!["CALLE MAYOR 3", "MÁLAGA, ESPANJA"]
        );
        let since = Date::new(2020, 1, 1)?;
        let addresses = [AddressRecord {
            kind: crate::codes::AddressKind::Permanent,
            place: home,
            period: Period::from(since),
        }];
        // Isokyrö (152): its number and its names, upper-cased.
        let homes = [HomeMunicipality {
            code: "152".into(),
            since,
        }];
        let location = location_parts(&addresses, &homes);
        for part in [
            "FALLINKATU 10",
            "00640",
            "HELSINKI",
            "HELSINGFORS",
            "152",
            "ISOKYRÖ",
            "STORKYRO",
        ] {
            assert!(location.contains(part), "{part} in {location:?}");
        }
        for (contact, want) in [
            (domestic("PL 817", "00640", "JOSSAIN", "NÅGONSTANS"), true),
            (domestic("PL 817", "00101", "HELSINKI", "HELSINGFORS"), true),
            (domestic("PL 893", "66401", "ISOKYRÖ", "STORKYRO"), true),
            (
                domestic("Fallinkatu 10", "33100", "TAMPERE", "TAMMERFORS"),
                true,
            ),
            (domestic("PL 893", "33101", "TAMPERE", "TAMMERFORS"), false),
            (domestic("PL 893", "00640X", "HELSINKIX", "X"), false),
        ] {
            assert_eq!(locates(&contact, &location), want, "{contact:?}");
        }
        Ok(())
    }

    #[test]
    fn names_normalise_for_search() {
        assert_eq!(normalise_name("Hämäläinen"), "hamalainen");
        assert_eq!(normalise_name("  Åström-Wikström "), "astrom vikstrom");
        assert_eq!(normalise_name("WIRTANEN"), normalise_name("Virtanen"));
        assert_eq!(normalise_name("Anna  Maria"), "anna maria");
        assert_eq!(normalise_name("Šarlota"), "sarlota");
    }

    #[test]
    fn partial_dates_write_their_precision() -> Result<(), crate::date::DateError> {
        assert_eq!(PartialDate::Year(2001).to_string(), "2001");
        assert_eq!(PartialDate::Month(2001, 3).to_string(), "3.2001");
        assert_eq!(
            PartialDate::Day(Date::new(2001, 3, 4)?).to_string(),
            "4.3.2001"
        );
        assert_eq!(
            PartialDate::Month(2001, 3).earliest(),
            Some(Date::new(2001, 3, 1)?)
        );
        assert_eq!(
            PartialDate::Month(2024, 2).latest(),
            Some(Date::new(2024, 2, 29)?)
        );
        assert_eq!(
            PartialDate::Year(2026).latest(),
            Some(Date::new(2026, 12, 31)?)
        );
        assert_eq!(
            PartialDate::Day(Date::new(2001, 3, 4)?).latest(),
            Some(Date::new(2001, 3, 4)?)
        );
        Ok(())
    }
}
