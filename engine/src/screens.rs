//! One query arm per catalogue screen, and the redaction every screen passes through. The arms
//! demand a `&Grant`, so they cannot run without the policy's decision; the `match` over
//! `ScreenId` is exhaustive, so a new screen without a query does not compile.

use crate::error::EngineError;
use crate::store::{self, BUILDINGS, PERSONS};
use domain::access::{Request, SubjectFlags};
use domain::catalogue::{ProtectedRows, Sensitivity};
use domain::lang::Texts;
use domain::model::{AddressPlace, Building, PartialDate, Person};
use domain::screen::{Cell, CodeValue, PersonId, Row};
use domain::{BuildingId, Date, Grant, Lang, MunicipalityCode, ScreenData, ScreenId, SubjectRef};
use redb::ReadTransaction;

/// What the policy must know about a subject, or `None` when it does not exist.
pub(crate) fn subject_flags(
    txn: &ReadTransaction,
    subject: SubjectRef,
    today: Date,
) -> Result<Option<SubjectFlags>, EngineError> {
    Ok(match subject {
        SubjectRef::Person(id) => PERSONS.get(txn, id.0)?.map(|p| SubjectFlags {
            protection_order: p.protected_on(today),
        }),
        SubjectRef::Building(id) => BUILDINGS
            .get(txn, id.number())?
            .map(|_| SubjectFlags::default()),
    })
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_owned())
    }
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Cell) -> Cell {
    v.map_or(Cell::Empty, f)
}

fn partial(d: PartialDate) -> Cell {
    match d {
        PartialDate::Day(d) => Cell::Date(d),
        other => Cell::Text(other.to_string()),
    }
}

/// A municipality number with its names (artificial codes 198–200 included).
fn municipality(code: &str) -> Cell {
    match code.parse::<MunicipalityCode>() {
        Ok(m) => Cell::Code(CodeValue {
            code: code.to_owned(),
            text: Texts {
                fi: m.name(Lang::Fi).to_owned(),
                sv: m.name(Lang::Sv).to_owned(),
                en: m.name(Lang::En).to_owned(),
            },
        }),
        Err(_) => Cell::Text(code.to_owned()),
    }
}

fn person(txn: &ReadTransaction, id: PersonId) -> Result<Person, EngineError> {
    PERSONS.get(txn, id.0)?.ok_or(EngineError::NotFound)
}

fn building(txn: &ReadTransaction, id: BuildingId) -> Result<Building, EngineError> {
    BUILDINGS
        .get(txn, id.number())?
        .ok_or(EngineError::NotFound)
}

fn building_heading(b: &Building) -> String {
    match b.addresses.first() {
        Some(a) => format!("{}, {}", a.street_line(), a.postal_code),
        None => b.id.to_string(),
    }
}

fn one_row(cells: Vec<Cell>, protected: bool) -> Vec<Row> {
    vec![Row { cells, protected }]
}

/// Reads the granted screen from one snapshot, before redaction.
pub(crate) fn read(
    txn: &ReadTransaction,
    grant: &Grant,
    today: Date,
) -> Result<ScreenData, EngineError> {
    let Request::Screen { screen, subject } = grant.request() else {
        return Err(EngineError::NotFound);
    };
    let (heading, rows, protection_order) = match (screen, subject) {
        (ScreenId::PersonBasic, SubjectRef::Person(id)) => {
            let p = person(txn, id)?;
            let protected = p.protected_on(today);
            let cells = vec![
                Cell::Text(p.hetu.to_string()),
                text(&p.names.surname),
                text(&p.names.first_names),
                Cell::Code(p.sex.code_value()),
                Cell::Date(p.birth.date),
                opt(p.death, partial),
                Cell::Code(domain::codes::language(&p.mother_tongue)),
                opt(p.citizenships.first(), |c| {
                    Cell::Code(domain::codes::country(c.country))
                }),
                opt(p.home_municipality(), municipality),
                Cell::Flag(protected),
            ];
            (p.full_name(), one_row(cells, protected), protected)
        }
        (ScreenId::PersonAddresses, SubjectRef::Person(id)) => {
            let p = person(txn, id)?;
            let protected = p.protected_on(today);
            let a = p.permanent_address();
            let (street, postal, office) = match a.map(|a| &a.place) {
                Some(AddressPlace::Domestic {
                    street,
                    dwelling,
                    postal_code,
                    post_office_fi,
                    ..
                }) => (
                    text(&if dwelling.is_empty() {
                        street.clone()
                    } else {
                        format!("{street} {dwelling}")
                    }),
                    text(postal_code),
                    text(post_office_fi),
                ),
                Some(AddressPlace::Foreign { street, place, .. }) => {
                    (text(street), Cell::Empty, text(place))
                }
                None => (Cell::Empty, Cell::Empty, Cell::Empty),
            };
            let building_link = match &p.residence {
                Some(r) => {
                    let label = BUILDINGS
                        .get(txn, r.building.number())?
                        .map_or_else(|| r.building.to_string(), |b| building_heading(&b));
                    Cell::Link {
                        target: SubjectRef::Building(r.building),
                        label,
                    }
                }
                None => Cell::Empty,
            };
            let cells = vec![
                street,
                postal,
                office,
                opt(a.and_then(|a| a.period.start), partial),
                building_link,
                opt(p.home_municipality(), municipality),
            ];
            (p.full_name(), one_row(cells, protected), protected)
        }
        (ScreenId::BuildingBasic, SubjectRef::Building(id)) => {
            let b = building(txn, id)?;
            let first = b.addresses.first();
            let cells = vec![
                Cell::Text(b.id.to_string()),
                opt(first, |a| Cell::Text(a.street_line())),
                opt(first, |a| text(&a.postal_code)),
                municipality(&b.municipality),
                Cell::Code(b.use_class.code_value()),
                opt(b.completed, partial),
                Cell::Number(i64::from(b.floors)),
                Cell::Number(i64::from(b.dwellings)),
            ];
            (building_heading(&b), one_row(cells, false), false)
        }
        (ScreenId::BuildingResidents, SubjectRef::Building(id)) => {
            let b = building(txn, id)?;
            let mut rows = Vec::new();
            for pid in store::resident_ids(txn, id.number())? {
                let p = person(txn, PersonId(pid))?;
                let since = p.permanent_address().and_then(|a| a.period.start);
                let flat = p
                    .residence
                    .as_ref()
                    .map(|r| r.dwelling.clone())
                    .unwrap_or_default();
                rows.push(Row {
                    cells: vec![
                        Cell::Link {
                            target: SubjectRef::Person(p.id),
                            label: p.full_name(),
                        },
                        Cell::Date(p.birth.date),
                        text(&flat),
                        opt(since, partial),
                    ],
                    protected: p.protected_on(today),
                });
            }
            (building_heading(&b), rows, false)
        }
        // A screen asked for a subject of the other kind: there is no such screen.
        (ScreenId::PersonBasic | ScreenId::PersonAddresses, SubjectRef::Building(_))
        | (ScreenId::BuildingBasic | ScreenId::BuildingResidents, SubjectRef::Person(_)) => {
            return Err(EngineError::NotFound);
        }
    };
    Ok(ScreenData {
        screen,
        subject,
        heading,
        rows,
        protection_order,
        withheld: false,
    })
}
/// Applies the protection-order rule of the screen's catalogue entry to the grant.
pub(crate) fn redact(mut data: ScreenData, grant: &Grant) -> ScreenData {
    let spec = data.screen.spec();
    let mut withheld = false;
    match spec.protected_rows {
        ProtectedRows::Omit if !grant.protected_data() => {
            let before = data.rows.len();
            data.rows.retain(|r| !r.protected);
            withheld |= data.rows.len() != before;
        }
        ProtectedRows::Omit => {}
        ProtectedRows::WithholdLocation => {
            if grant.withhold_subject_location() {
                for row in &mut data.rows {
                    for (cell, column) in row.cells.iter_mut().zip(spec.columns) {
                        // Empty cells too: "no address" must not be told apart from "withheld".
                        if column.sensitivity == Sensitivity::Location {
                            *cell = Cell::Withheld;
                            withheld = true;
                        }
                    }
                }
            }
        }
    }
    data.withheld = withheld;
    data
}
