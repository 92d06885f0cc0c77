//! Reads of buildings, dwellings and real-estate units, with the persons living in them and
//! owning them. Resident rows carry each resident's protection flag; the redaction leaves
//! protected residents out for viewers without the right.

use super::{age, municipality, municipality_of, place_name, share};
use crate::error::EngineError;
use crate::gate::GrantedTxn;
use crate::population::post_office;
use crate::record::Cell;
use crate::record::Record;
use crate::store;
use domain::catalogue::DataGroup as G;
use domain::catalogue::columns as c;
use domain::codes::{BuildingEvent, OwnerKind};
use domain::model::{Building, Dwelling, Owner, Person, Property};
use domain::screen::PersonId;
use domain::{BuildingId, DwellingRef, PropertyId, SubjectRef};

type Records = Result<Vec<Record>, EngineError>;

/// `Street 5, 00100` (the first address), or the PRT for a building without an address.
pub(crate) fn building_heading(b: &Building) -> String {
    match b.addresses.first() {
        Some(a) => format!("{}, {}", a.street_line(), a.postal_code),
        None => b.id.to_string(),
    }
}

pub(crate) fn building_heading_of(b: Option<&Building>, id: BuildingId) -> String {
    b.map_or_else(|| id.to_string(), building_heading)
}

/// `Street 5 B 12, 00100`.
pub(crate) fn dwelling_heading(d: &Dwelling, b: &Building) -> String {
    let address = b
        .addresses
        .iter()
        .find(|a| a.order == d.address_number)
        .or(b.addresses.first());
    match (address, d.label.is_empty()) {
        (Some(a), true) => format!("{}, {}", a.street_line(), a.postal_code),
        (Some(a), false) => format!("{} {}, {}", a.street_line(), d.label, a.postal_code),
        (None, _) => dwelling_identifier(d),
    }
}

/// `100012345N B 12`.
pub(crate) fn dwelling_identifier(d: &Dwelling) -> String {
    if d.label.is_empty() {
        d.building.to_string()
    } else {
        format!("{} {}", d.building, d.label)
    }
}

fn post_office_cell(code: &str) -> Cell {
    match post_office(code) {
        Some((fi, sv)) => place_name(code, fi, sv),
        None => Cell::Empty,
    }
}

fn property_link(p: PropertyId) -> Cell {
    Cell::Link {
        target: SubjectRef::Property(p),
        label: p.to_string(),
    }
}

/// How many owners there are: the owner list shows every one of them to every viewer (natural
/// persons as private persons to a viewer without the protected-data right), so the count is
/// the same for all and gives nothing away.
fn shown_owners(_txn: &GrantedTxn<'_>, owners: &[Owner]) -> Result<Cell, EngineError> {
    Ok(Cell::Number(
        i64::try_from(owners.len()).unwrap_or(i64::MAX),
    ))
}

pub(super) fn building_basic(txn: &GrantedTxn<'_>, b: &Building) -> Records {
    let first = b.addresses.first();
    Ok(vec![
        Record::new(G::BuildingBasic, false)
            .set(c::PRT, Cell::Text(b.id.to_string()))
            .set(
                c::OLD_BUILDING_ID,
                Cell::opt(b.old_id.map(|o| o.to_string()).as_deref(), Cell::text),
            )
            .set(c::LOCATION_PROPERTY, property_link(b.property))
            .set(c::MUNICIPALITY, municipality_of(b.municipality))
            .set(
                c::ADDRESS,
                Cell::opt(first, |a| Cell::Text(a.street_line())),
            )
            .set(
                c::POSTAL_CODE,
                Cell::opt(first, |a| Cell::text(&a.postal_code)),
            )
            .set(
                c::POST_OFFICE,
                Cell::opt(first, |a| post_office_cell(&a.postal_code)),
            )
            .set(c::USE_CLASS, Cell::Code(b.use_class.code_value()))
            .set(c::BUILDING_STATE, Cell::Code(b.state.code_value()))
            .set(c::COMPLETED, Cell::opt(b.completed, Cell::partial))
            .set(c::FLOORS, Cell::Number(i64::from(b.floors)))
            .set(c::DWELLING_COUNT, Cell::Number(i64::from(b.dwellings)))
            .set(c::FLOOR_AREA, Cell::Number(i64::from(b.floor_area)))
            .set(c::TOTAL_AREA, Cell::Number(i64::from(b.total_area)))
            .set(c::VOLUME, Cell::Number(i64::from(b.volume)))
            .set(
                c::HEATING,
                Cell::opt(b.heating, |h| Cell::Code(h.code_value())),
            )
            .set(
                c::ENERGY,
                Cell::opt(b.energy, |e| Cell::Code(e.code_value())),
            )
            .set(
                c::NORTH,
                Cell::opt(b.coordinates, |(n, _)| Cell::Number(i64::from(n))),
            )
            .set(
                c::EAST,
                Cell::opt(b.coordinates, |(_, e)| Cell::Number(i64::from(e))),
            )
            .set(c::DEMOLISHED, Cell::Flag(b.demolition.is_some()))
            .set(
                c::DEMOLITION_DATE,
                Cell::opt(b.demolition.as_ref(), |d| Cell::partial(d.date)),
            )
            .set(
                c::DEMOLITION_REASON,
                Cell::opt(b.demolition.as_ref(), |d| Cell::Code(d.reason.code_value())),
            )
            .set(c::OWNER_COUNT, shown_owners(txn, &b.owners)?),
    ])
}

pub(super) fn building_addresses(_txn: &GrantedTxn<'_>, b: &Building) -> Records {
    Ok(b.addresses
        .iter()
        .map(|a| {
            Record::new(G::BuildingAddresses, false)
                .set(c::ADDRESS_ORDER, Cell::Number(i64::from(a.order)))
                .set(c::STREET_FI, Cell::text(&a.street_fi))
                .set(c::STREET_SV, Cell::opt(a.street_sv.as_deref(), Cell::text))
                .set(c::HOUSE_NUMBER, Cell::text(&a.number))
                .set(c::POSTAL_CODE, Cell::text(&a.postal_code))
                .set(c::POST_OFFICE, post_office_cell(&a.postal_code))
        })
        .collect())
}

/// Owners of a building or a real-estate unit. A person owner is a link to the person (whose
/// own screens go through the gate again); an organisation is its name and business id.
pub(super) fn owners(txn: &GrantedTxn<'_>, group: G, owners: &[Owner]) -> Records {
    let today = txn.today();
    let mut out = Vec::new();
    for o in owners {
        let record = match o {
            Owner::Person { id, .. } => {
                let Some(p) = store::person(txn, *id)? else {
                    return Err(EngineError::Corrupt {
                        table: crate::store::PERSONS.name(),
                        detail: format!("an owner is missing person {id}"),
                    });
                };
                Record::new(group, p.protected_on(today))
                    .about(SubjectRef::Person(p.id))
                    .set(
                        c::OWNER,
                        Cell::Link {
                            target: SubjectRef::Person(p.id),
                            label: p.full_name(),
                        },
                    )
                    .set(c::OWNER_KIND, Cell::Code(OwnerKind::Person.code_value()))
                    .set(c::OWNER_ID, Cell::Empty)
            }
            Owner::Organisation {
                business_id, name, ..
            } => Record::new(group, false)
                .set(c::OWNER, Cell::text(name))
                .set(
                    c::OWNER_KIND,
                    Cell::Code(OwnerKind::Organisation.code_value()),
                )
                .set(c::OWNER_ID, Cell::text(business_id.to_string())),
        };
        out.push(record.set(c::SHARE, share(o)));
    }
    Ok(out)
}

fn dwelling_ref(d: &Dwelling) -> Option<DwellingRef> {
    DwellingRef::from_label(d.building, &d.label)
}

/// `3h+k`: rooms and the kind of kitchen, as the register writes it.
fn room_layout(d: &Dwelling) -> Cell {
    if d.rooms == 0 {
        return Cell::Empty;
    }
    let kitchen = match d.kitchen.code() {
        "1" => "+k",
        "2" => "+kk",
        "3" => "+kt",
        _ => "",
    };
    Cell::Text(format!("{}h{kitchen}", d.rooms))
}

fn dwelling_cells(r: Record, d: &Dwelling) -> Record {
    r.set(c::DWELLING_KIND, Cell::Code(d.kind.code_value()))
        .set(c::DWELLING_AREA, Cell::Number(i64::from(d.floor_area)))
        .set(c::ROOMS, Cell::Number(i64::from(d.rooms)))
        .set(c::ROOM_LAYOUT, room_layout(d))
        .set(c::KITCHEN, Cell::Code(d.kitchen.code_value()))
        .set(c::TENURE, Cell::Code(d.tenure.code_value()))
        .set(c::DWELLING_STATE, Cell::Code(d.state.code_value()))
        .set(c::SAUNA, Cell::Flag(d.equipment.sauna))
        .set(c::BALCONY, Cell::Flag(d.equipment.balcony))
        .set(c::BATH, Cell::Flag(d.equipment.bath_or_shower))
        .set(c::WC, Cell::Flag(d.equipment.wc))
        .set(c::HOT_WATER, Cell::Flag(d.equipment.hot_water))
}

fn dwelling_link(d: &Dwelling, label: String) -> Cell {
    match dwelling_ref(d) {
        Some(r) => Cell::Link {
            target: SubjectRef::Dwelling(r),
            label,
        },
        None => Cell::text(label),
    }
}

pub(super) fn dwellings(txn: &GrantedTxn<'_>, b: &Building) -> Records {
    Ok(store::dwellings_of(txn, b.id.number())?
        .iter()
        .map(|d| {
            let label = if d.label.is_empty() {
                building_heading(b)
            } else {
                d.label.clone()
            };
            dwelling_cells(
                Record::new(G::Dwellings, false).set(c::DWELLING, dwelling_link(d, label)),
                d,
            )
        })
        .collect())
}

/// Residents of a building or one dwelling: each row about one resident, with that
/// resident's protection flag.
fn resident_rows(
    txn: &GrantedTxn<'_>,
    group: G,
    ids: Vec<u64>,
    dwelling_column: bool,
    building: BuildingId,
) -> Records {
    let today = txn.today();
    let mut residents: Vec<Person> = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(p) = store::person(txn, PersonId(id))? {
            residents.push(p);
        }
    }
    // By dwelling, then by name: the order a caretaker reads a list in.
    residents.sort_by(|a, b| {
        let flat = |p: &Person| p.residence.as_ref().map(|r| r.dwelling.clone());
        (flat(a), &a.names.surname, &a.names.first_names).cmp(&(
            flat(b),
            &b.names.surname,
            &b.names.first_names,
        ))
    });
    Ok(residents
        .iter()
        .map(|p| {
            let r = Record::new(group, p.protected_on(today))
                .about(SubjectRef::Person(p.id))
                .set(
                    c::RESIDENT,
                    Cell::Link {
                        target: SubjectRef::Person(p.id),
                        label: p.full_name(),
                    },
                )
                .set(c::HETU, Cell::Text(p.hetu.to_string()))
                .set(c::BIRTH_DATE, Cell::Date(p.birth.date))
                .set(c::AGE, age(p.birth.date, today))
                .set(
                    c::MOVED_IN,
                    Cell::opt(
                        p.permanent_address().and_then(|a| a.period.start),
                        Cell::partial,
                    ),
                );
            if dwelling_column {
                let label = p
                    .residence
                    .as_ref()
                    .map(|r| r.dwelling.clone())
                    .unwrap_or_default();
                let target = DwellingRef::from_label(building, &label);
                r.set(
                    c::DWELLING,
                    match target {
                        Some(d) if !label.is_empty() => Cell::Link {
                            target: SubjectRef::Dwelling(d),
                            label,
                        },
                        _ => Cell::Empty,
                    },
                )
            } else {
                r
            }
        })
        .collect())
}

pub(super) fn building_residents(txn: &GrantedTxn<'_>, b: &Building) -> Records {
    let ids = store::resident_ids(txn, b.id.number())?;
    resident_rows(txn, G::BuildingResidents, ids, true, b.id)
}

pub(super) fn dwelling_residents(txn: &GrantedTxn<'_>, d: &Dwelling) -> Records {
    let ids = store::dwelling_resident_ids(txn, d.building.number(), &d.label)?;
    resident_rows(txn, G::DwellingResidents, ids, false, d.building)
}

pub(super) fn building_history(_txn: &GrantedTxn<'_>, b: &Building) -> Records {
    let mut out = Vec::new();
    if let Some(done) = b.completed {
        out.push(
            Record::new(G::BuildingHistory, false)
                .set(c::EVENT, Cell::Code(BuildingEvent::Completed.code_value()))
                .set(c::DETAIL, Cell::Code(b.use_class.code_value()))
                .set(c::START, Cell::partial(done))
                .set(c::END, Cell::Empty),
        );
    }
    match &b.demolition {
        Some(d) => out.push(
            Record::new(G::BuildingHistory, false)
                .set(c::EVENT, Cell::Code(BuildingEvent::Removed.code_value()))
                .set(c::DETAIL, Cell::Code(d.reason.code_value()))
                .set(c::START, Cell::partial(d.date))
                .set(c::END, Cell::Empty),
        ),
        None => out.push(
            Record::new(G::BuildingHistory, false)
                .set(c::EVENT, Cell::Code(BuildingEvent::InUse.code_value()))
                .set(c::DETAIL, Cell::Code(b.state.code_value()))
                .set(c::START, Cell::opt(b.completed, Cell::partial))
                .set(c::END, Cell::Empty),
        ),
    }
    Ok(out)
}

pub(super) fn dwelling_basic(_txn: &GrantedTxn<'_>, d: &Dwelling, b: &Building) -> Records {
    let residence = dwelling_ref(d)
        .and_then(|r| domain::ResidenceId::in_finland(d.building, d.address_number, r.dwelling));
    Ok(vec![dwelling_cells(
        Record::new(G::DwellingBasic, false)
            .set(
                c::BUILDING,
                Cell::Link {
                    target: SubjectRef::Building(b.id),
                    label: building_heading(b),
                },
            )
            .set(c::ADDRESS, Cell::Text(dwelling_heading(d, b)))
            .set(c::DWELLING_ID, Cell::text(&d.label))
            .set(
                c::DWELLING_RESIDENCE_ID,
                Cell::opt(residence, |r| {
                    Cell::Text(r.to_string().trim_end().to_owned())
                }),
            ),
        d,
    )])
}

pub(super) fn property_basic(txn: &GrantedTxn<'_>, p: &Property) -> Records {
    let id = Some(p.id);
    let parent = id.filter(|i| i.is_parcel()).map(PropertyId::without_parcel);
    Ok(vec![
        Record::new(G::PropertyBasic, false)
            .set(c::PROPERTY_ID, Cell::Text(p.id.to_string()))
            .set(
                c::PROPERTY_SHORT_ID,
                Cell::opt(id, |i| Cell::Text(i.short_form())),
            )
            .set(c::PROPERTY_NAME, Cell::text(&p.name))
            .set(
                c::MUNICIPALITY,
                Cell::opt(id, |i| municipality(&i.municipality().to_string())),
            )
            .set(
                c::AREA_M2,
                Cell::Number(i64::try_from(p.area_m2).unwrap_or(i64::MAX)),
            )
            .set(c::REGISTERED, Cell::Date(p.registered))
            .set(
                c::PARCEL_OF,
                Cell::opt(parent, |u| Cell::Link {
                    target: SubjectRef::Property(u),
                    label: u.to_string(),
                }),
            )
            .set(c::BUILDING_COUNT, Cell::Number(p.buildings.len() as i64))
            .set(c::OWNER_COUNT, shown_owners(txn, &p.owners)?),
    ])
}

pub(super) fn property_buildings(txn: &GrantedTxn<'_>, p: &Property) -> Records {
    let mut out = Vec::new();
    for id in &p.buildings {
        let Some(b) = store::building(txn, *id)? else {
            return Err(EngineError::Corrupt {
                table: "property.v1",
                detail: format!("unit {} lists missing building {id}", p.id),
            });
        };
        out.push(
            Record::new(G::PropertyBuildings, false)
                .set(
                    c::BUILDING,
                    Cell::Link {
                        target: SubjectRef::Building(b.id),
                        label: building_heading(&b),
                    },
                )
                .set(c::PRT, Cell::Text(b.id.to_string()))
                .set(c::USE_CLASS, Cell::Code(b.use_class.code_value()))
                .set(c::COMPLETED, Cell::opt(b.completed, Cell::partial))
                .set(c::BUILDING_STATE, Cell::Code(b.state.code_value())),
        );
    }
    Ok(out)
}

pub(super) fn property_parcels(txn: &GrantedTxn<'_>, p: &Property) -> Records {
    let id = p.id;
    if id.is_parcel() {
        return Ok(Vec::new());
    }
    Ok(store::parcels_of(txn, id)?
        .into_iter()
        .map(|parcel| {
            Record::new(G::PropertyParcels, false)
                .set(c::PARCEL, property_link(parcel.id))
                .set(c::PROPERTY_NAME, Cell::text(&parcel.name))
                .set(
                    c::AREA_M2,
                    Cell::Number(i64::try_from(parcel.area_m2).unwrap_or(i64::MAX)),
                )
                .set(c::REGISTERED, Cell::Date(parcel.registered))
        })
        .collect())
}
