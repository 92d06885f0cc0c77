//! One query arm per catalogue screen, and the redaction every screen passes through. The arms
//! demand a `&Grant`, so they cannot run without the policy's decision; the `match` over
//! `ScreenId` is exhaustive, so a new screen without a query does not compile.

use crate::error::EngineError;
use crate::store::{self, BUILDINGS, PERSONS};
use domain::access::{Request, SubjectFlags};
use domain::catalogue::{ProtectedRows, Sensitivity};
use domain::model::{Building, Person};
use domain::screen::{Cell, CodeValue, PersonId, Row};
use domain::{BuildingId, Grant, ScreenData, ScreenId, SubjectRef};
use redb::ReadTransaction;

/// What the policy must know about a subject, or `None` when it does not exist.
pub(crate) fn subject_flags(
    txn: &ReadTransaction,
    subject: SubjectRef,
) -> Result<Option<SubjectFlags>, EngineError> {
    Ok(match subject {
        SubjectRef::Person(id) => PERSONS.get(txn, id.0)?.map(|p| SubjectFlags {
            protection_order: p.protection_order,
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

fn code(c: &CodeValue) -> Cell {
    Cell::Code(c.clone())
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Cell) -> Cell {
    v.map_or(Cell::Empty, f)
}

fn person(txn: &ReadTransaction, id: PersonId) -> Result<Person, EngineError> {
    PERSONS.get(txn, id.0)?.ok_or(EngineError::NotFound)
}

fn building(txn: &ReadTransaction, id: BuildingId) -> Result<Building, EngineError> {
    BUILDINGS
        .get(txn, id.number())?
        .ok_or(EngineError::NotFound)
}

fn one_row(cells: Vec<Cell>, protected: bool) -> Vec<Row> {
    vec![Row { cells, protected }]
}

/// Reads the granted screen from one snapshot, before redaction.
pub(crate) fn read(txn: &ReadTransaction, grant: &Grant) -> Result<ScreenData, EngineError> {
    let Request::Screen { screen, subject } = grant.request() else {
        return Err(EngineError::NotFound);
    };
    let (heading, rows, protection_order) = match (screen, subject) {
        (ScreenId::PersonBasic, SubjectRef::Person(id)) => {
            let p = person(txn, id)?;
            let cells = vec![
                Cell::Text(p.hetu.to_string()),
                text(&p.surname),
                text(&p.first_names),
                code(&p.sex.code_value()),
                Cell::Date(p.birth_date),
                opt(p.death_date, Cell::Date),
                code(&p.mother_tongue),
                code(&p.citizenship),
                opt(p.home_municipality.as_ref(), |m| code(&m.code_value())),
                Cell::Flag(p.protection_order),
            ];
            (
                p.full_name(),
                one_row(cells, p.protection_order),
                p.protection_order,
            )
        }
        (ScreenId::PersonAddresses, SubjectRef::Person(id)) => {
            let p = person(txn, id)?;
            let a = p.address.as_ref();
            let building_link = match &p.residence {
                Some(r) => {
                    let label = BUILDINGS
                        .get(txn, r.building.number())?
                        .map_or_else(|| r.building.to_string(), |b| b.street_address);
                    Cell::Link {
                        target: SubjectRef::Building(r.building),
                        label,
                    }
                }
                None => Cell::Empty,
            };
            let cells = vec![
                opt(a, |a| text(&a.street)),
                opt(a, |a| text(&a.postal_code)),
                opt(a, |a| text(&a.post_office)),
                opt(a, |a| Cell::Date(a.since)),
                building_link,
                opt(p.home_municipality.as_ref(), |m| code(&m.code_value())),
            ];
            (
                p.full_name(),
                one_row(cells, p.protection_order),
                p.protection_order,
            )
        }
        (ScreenId::BuildingBasic, SubjectRef::Building(id)) => {
            let b = building(txn, id)?;
            let cells = vec![
                Cell::Text(b.id.to_string()),
                text(&b.street_address),
                text(&b.postal_code),
                code(&b.municipality.code_value()),
                code(&b.use_class),
                opt(b.completed, Cell::Date),
                Cell::Number(i64::from(b.floors)),
                Cell::Number(i64::from(b.dwellings)),
            ];
            (
                format!("{}, {}", b.street_address, b.post_office),
                one_row(cells, false),
                false,
            )
        }
        (ScreenId::BuildingResidents, SubjectRef::Building(id)) => {
            let b = building(txn, id)?;
            let mut rows = Vec::new();
            for pid in store::resident_ids(txn, id.number())? {
                let p = person(txn, PersonId(pid))?;
                let since = p.address.as_ref().map(|a| a.since);
                let flat = p
                    .residence
                    .as_ref()
                    .map(|r| r.flat.clone())
                    .unwrap_or_default();
                rows.push(Row {
                    cells: vec![
                        Cell::Link {
                            target: SubjectRef::Person(p.id),
                            label: p.full_name(),
                        },
                        Cell::Date(p.birth_date),
                        text(&flat),
                        opt(since, Cell::Date),
                    ],
                    protected: p.protection_order,
                });
            }
            (
                format!("{}, {}", b.street_address, b.post_office),
                rows,
                false,
            )
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
