//! One read per data group: the subject's record (and the records it points to) turned into
//! [`Record`]s keyed by column. Every screen of a group, narrow or wide, is a column subset of
//! the same read. Reads take a [`GrantedTxn`], so they run only inside an authorised request;
//! redaction is not theirs to do (see `record::redact`).

mod person;
mod places;

pub(crate) use places::{building_heading, dwelling_heading};

use crate::error::EngineError;
use crate::gate::GrantedTxn;
use crate::record::Cell;
use crate::record::Record;
use crate::store;
use domain::catalogue::DataGroup;
use domain::lang::Texts;
use domain::model::{Building, Dwelling, Owner, Person, Property};
use domain::screen::{CodeValue, SubjectHeader};
use domain::{Date, Lang, MunicipalityCode, SubjectRef};

/// A subject's own record, read once per request.
pub(crate) enum Loaded {
    Person(Box<Person>),
    Building(Building),
    Dwelling(Dwelling, Building),
    Property(Property),
}

/// Reads the subject's record; `NotFound` if there is none.
pub(crate) fn load(txn: &GrantedTxn<'_>, subject: SubjectRef) -> Result<Loaded, EngineError> {
    let missing = || EngineError::NotFound;
    Ok(match subject {
        SubjectRef::Person(id) => {
            Loaded::Person(Box::new(store::person(txn, id)?.ok_or_else(missing)?))
        }
        SubjectRef::Building(id) => {
            Loaded::Building(store::building(txn, id)?.ok_or_else(missing)?)
        }
        SubjectRef::Dwelling(d) => {
            let dwelling = store::dwelling(txn, d)?.ok_or_else(missing)?;
            let building = store::building(txn, d.building)?.ok_or_else(missing)?;
            Loaded::Dwelling(dwelling, building)
        }
        SubjectRef::Property(id) => {
            Loaded::Property(store::property(txn, id)?.ok_or_else(missing)?)
        }
    })
}

/// What every screen of the subject shows above its data.
pub(crate) fn header(loaded: &Loaded, today: Date) -> SubjectHeader {
    match loaded {
        Loaded::Person(p) => SubjectHeader {
            heading: p.full_name(),
            identifier: p.hetu.to_string(),
            deceased: p.death.or(p.declared_dead.map(Into::into)),
            demolished: false,
            protection_order: p.protected_on(today),
        },
        Loaded::Building(b) => SubjectHeader {
            heading: places::building_heading(b),
            identifier: b.id.to_string(),
            deceased: None,
            demolished: b.demolition.is_some(),
            protection_order: false,
        },
        Loaded::Dwelling(d, b) => SubjectHeader {
            heading: places::dwelling_heading(d, b),
            identifier: places::dwelling_identifier(d),
            deceased: None,
            demolished: b.demolition.is_some(),
            protection_order: false,
        },
        Loaded::Property(p) => SubjectHeader {
            heading: if p.name.is_empty() {
                p.id.to_string()
            } else {
                p.name.clone()
            },
            identifier: p.id.to_string(),
            deceased: None,
            demolished: false,
            protection_order: false,
        },
    }
}

/// The group's records for the subject. The `match` is exhaustive: a new data group without
/// a read does not compile.
pub(crate) fn read_group(
    txn: &GrantedTxn<'_>,
    group: DataGroup,
    loaded: &Loaded,
) -> Result<Vec<Record>, EngineError> {
    use DataGroup as G;
    let wrong_kind = || EngineError::NotFound;
    let person = || match loaded {
        Loaded::Person(p) => Ok(p),
        _ => Err(wrong_kind()),
    };
    let building = || match loaded {
        Loaded::Building(b) => Ok(b),
        _ => Err(wrong_kind()),
    };
    let property = || match loaded {
        Loaded::Property(p) => Ok(p),
        _ => Err(wrong_kind()),
    };
    let dwelling = || match loaded {
        Loaded::Dwelling(d, b) => Ok((d, b)),
        _ => Err(wrong_kind()),
    };
    match group {
        G::PersonBasic => person::basic(txn, person()?),
        G::HetuHistory => person::hetu_history(txn, person()?),
        G::Names => person::names(txn, person()?),
        G::NameHistory => person::name_history(txn, person()?),
        G::CurrentAddresses => person::addresses(txn, person()?, true),
        G::AddressHistory => person::addresses(txn, person()?, false),
        G::HomeMunicipalityHistory => person::home_municipalities(txn, person()?),
        G::Residence => person::residence(txn, person()?),
        G::Spouse => person::spouse(txn, person()?),
        G::Marriages => person::marriages(txn, person()?),
        G::Children => person::children(txn, person()?),
        G::Parents => person::parents(txn, person()?),
        G::Custodians => person::custodians(txn, person()?),
        G::Dependants => person::dependants(txn, person()?),
        G::Care => person::care(txn, person()?),
        G::Guardianship => person::guardianship(txn, person()?),
        G::Guardians => person::guardians(txn, person()?),
        G::PowerOfAttorney => person::power_of_attorney(txn, person()?),
        G::Attorneys => person::attorneys(txn, person()?),
        G::Bans => person::bans(txn, person()?),
        G::Protection => person::protection(txn, person()?),
        G::Citizenships => person::citizenships(txn, person()?),
        G::OtherPersonData => person::other_data(txn, person()?),
        G::Ownership => person::ownership(txn, person()?),
        G::OwnershipSummary => person::ownership_summary(txn, person()?),
        G::BuildingBasic => places::building_basic(txn, building()?),
        G::BuildingAddresses => places::building_addresses(txn, building()?),
        G::BuildingOwners => places::owners(txn, G::BuildingOwners, &building()?.owners),
        G::Dwellings => places::dwellings(txn, building()?),
        G::BuildingResidents => places::building_residents(txn, building()?),
        G::BuildingHistory => places::building_history(txn, building()?),
        G::DwellingBasic => {
            let (d, b) = dwelling()?;
            places::dwelling_basic(txn, d, b)
        }
        G::DwellingResidents => {
            let (d, _) = dwelling()?;
            places::dwelling_residents(txn, d)
        }
        G::PropertyBasic => places::property_basic(txn, property()?),
        G::PropertyOwners => places::owners(txn, G::PropertyOwners, &property()?.owners),
        G::PropertyBuildings => places::property_buildings(txn, property()?),
        G::PropertyParcels => places::property_parcels(txn, property()?),
    }
}

/// A municipality number as written in a record, with its names (artificial codes 198–200
/// included); text that is no municipality number is shown as it is.
pub(crate) fn municipality(code: &str) -> Cell {
    match code.parse::<MunicipalityCode>() {
        Ok(m) => municipality_of(m),
        Err(_) => Cell::text(code),
    }
}

/// A municipality with its names.
pub(crate) fn municipality_of(m: MunicipalityCode) -> Cell {
    Cell::Code(CodeValue {
        code: m.to_string(),
        text: Texts {
            fi: m.name(Lang::Fi).to_owned(),
            sv: m.name(Lang::Sv).to_owned(),
            en: m.name(Lang::En).to_owned(),
        },
    })
}

/// A place name in Finnish and Swedish as a code value, so each language shows its own.
pub(crate) fn place_name(code: &str, fi: &str, sv: &str) -> Cell {
    if fi.is_empty() {
        return Cell::Empty;
    }
    let sv = if sv.is_empty() { fi } else { sv };
    Cell::Code(CodeValue {
        code: code.to_owned(),
        text: Texts {
            fi: fi.to_owned(),
            sv: sv.to_owned(),
            en: fi.to_owned(),
        },
    })
}

/// `1/2`, or `1/1` written as the whole.
pub(crate) fn share(owner: &Owner) -> Cell {
    let (a, b) = owner.share();
    Cell::Text(format!("{a}/{b}"))
}

pub(crate) fn age(born: Date, today: Date) -> Cell {
    Cell::Number(i64::from(born.years_until(today)))
}
