//! Reads of a person's data groups: the person's own record and the relatives, guardians and
//! property it points to. Rows about another person carry that person's protection flag.

use super::{age, municipality, place_name, share};
use crate::error::EngineError;
use crate::gate::GrantedTxn;
use crate::record::Cell;
use crate::record::Record;
use crate::store;
use domain::catalogue::DataGroup as G;
use domain::catalogue::columns as c;
use domain::codes::{AddressKind, GuardianKind, HetuState, OwnedKind, UnionKind};
use domain::model::{AddressPlace, GuardianParty, Period, Person, Relation};
use domain::screen::PersonId;
use domain::{BuildingId, Date, DwellingRef, PropertyId, SubjectRef};

type Records = Result<Vec<Record>, EngineError>;

fn one(r: Record) -> Records {
    Ok(vec![r])
}

/// A record about the subject person.
fn own(group: G, p: &Person, today: Date) -> Record {
    Record::new(group, p.protected_on(today))
}

fn date_cell(d: Option<domain::model::PartialDate>) -> Cell {
    Cell::opt(d, Cell::partial)
}

fn in_force(period: &Period, today: Date) -> bool {
    let started = period
        .start
        .and_then(|s| s.earliest())
        .is_none_or(|s| s <= today);
    // An end known only to the month or year lasts to its last day.
    let not_ended = period
        .end
        .and_then(|e| e.latest())
        .is_none_or(|e| e >= today);
    started && not_ended
}

/// Age in whole years for the living; empty for the dead.
fn living_age(p: &Person, today: Date) -> Cell {
    if p.is_dead() {
        Cell::Empty
    } else {
        age(p.birth.date, today)
    }
}

fn link(p: &Person) -> Cell {
    Cell::Link {
        target: SubjectRef::Person(p.id),
        label: p.full_name(),
    }
}

/// The other person of a relation; a dangling reference is a corrupt register.
fn other(txn: &GrantedTxn<'_>, id: PersonId) -> Result<Person, EngineError> {
    store::person(txn, id)?.ok_or_else(|| EngineError::Corrupt {
        table: crate::store::PERSONS.name(),
        detail: format!("a relation points to missing person {id}"),
    })
}

/// A row about a relative: identity columns plus what the caller adds.
fn relative(group: G, column: domain::catalogue::ColumnSpec, o: &Person, today: Date) -> Record {
    Record::new(group, o.protected_on(today))
        .about(SubjectRef::Person(o.id))
        .set(column, link(o))
        .set(c::HETU, Cell::Text(o.hetu.to_string()))
        .set(c::BIRTH_DATE, Cell::Date(o.birth.date))
}

fn address_line(place: &AddressPlace) -> String {
    match place {
        AddressPlace::Domestic {
            street, dwelling, ..
        } if dwelling.is_empty() => street.clone(),
        AddressPlace::Domestic {
            street, dwelling, ..
        } => format!("{street} {dwelling}"),
        AddressPlace::Foreign { street, .. } => street.clone(),
    }
}

pub(super) fn basic(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let permanent = p.permanent_address();
    one(own(G::PersonBasic, p, today)
        .set(c::HETU, Cell::Text(p.hetu.to_string()))
        .set(
            c::SATU,
            Cell::opt(p.satu.map(|s| s.to_string()).as_deref(), Cell::text),
        )
        .set(c::SURNAME, Cell::text(&p.names.surname))
        .set(c::FIRST_NAMES, Cell::text(&p.names.first_names))
        .set(
            c::CALL_NAME,
            Cell::opt(p.names.call_name.as_deref(), Cell::text),
        )
        .set(
            c::MIDDLE_NAME,
            Cell::opt(p.names.middle_name.as_deref(), Cell::text),
        )
        .set(c::SEX, Cell::Code(p.sex.code_value()))
        .set(c::BIRTH_DATE, Cell::Date(p.birth.date))
        .set(c::AGE, living_age(p, today))
        .set(
            c::BIRTH_COUNTRY,
            Cell::Code(domain::codes::country(p.birth.country)),
        )
        .set(
            c::BIRTH_MUNICIPALITY,
            Cell::opt(p.birth.municipality.as_deref(), municipality),
        )
        .set(
            c::BIRTH_PLACE_ABROAD,
            Cell::opt(p.birth.foreign_place.as_deref(), Cell::text),
        )
        .set(c::DECEASED, Cell::Flag(p.is_dead()))
        .set(c::DEATH_DATE, date_cell(p.death))
        .set(c::DECLARED_DEAD, Cell::opt(p.declared_dead, Cell::Date))
        .set(
            c::MOTHER_TONGUE,
            Cell::Code(domain::codes::language(&p.mother_tongue)),
        )
        .set(
            c::SERVICE_LANGUAGE,
            Cell::opt(p.service_language.as_deref(), |l| {
                Cell::Code(domain::codes::language(l))
            }),
        )
        .set(
            c::CITIZENSHIP,
            Cell::opt(p.citizenships.first(), |c| {
                Cell::Code(domain::codes::country(c.country))
            }),
        )
        .set(c::MARITAL_STATUS, Cell::Code(p.marital_status.code_value()))
        .set(
            c::HOME_MUNICIPALITY,
            Cell::opt(p.home_municipality(), municipality),
        )
        .set(
            c::HOME_SINCE,
            Cell::opt(p.home_municipalities.last(), |h| Cell::Date(h.since)),
        )
        .set(
            c::PERMANENT_ADDRESS,
            Cell::opt(permanent, |a| Cell::Text(a.place.one_line())),
        )
        .set(c::PROTECTION_ORDER, Cell::Flag(p.protected_on(today)))
        .set(c::BANS, Cell::Flag(p.bans.any()))
        .set(
            c::UNDER_GUARDIANSHIP,
            Cell::Flag(
                p.guardianship
                    .as_ref()
                    .is_some_and(|g| in_force(&g.period, today)),
            ),
        ))
}

pub(super) fn hetu_history(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let mut out = vec![
        own(G::HetuHistory, p, today)
            .set(c::HETU, Cell::Text(p.hetu.to_string()))
            .set(c::HETU_STATE, Cell::Code(HetuState::Active.code_value()))
            .set(c::PASSIVATED, Cell::Empty),
    ];
    for old in p.hetu_history.iter().rev() {
        out.push(
            own(G::HetuHistory, p, today)
                .set(c::HETU, Cell::Text(old.hetu.to_string()))
                .set(c::HETU_STATE, Cell::Code(HetuState::Passive.code_value()))
                .set(c::PASSIVATED, Cell::Date(old.passivated)),
        );
    }
    Ok(out)
}

pub(super) fn names(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    one(own(G::Names, p, txn.today())
        .set(c::SURNAME, Cell::text(&p.names.surname))
        .set(c::FIRST_NAMES, Cell::text(&p.names.first_names))
        .set(
            c::CALL_NAME,
            Cell::opt(p.names.call_name.as_deref(), Cell::text),
        )
        .set(
            c::MIDDLE_NAME,
            Cell::opt(p.names.middle_name.as_deref(), Cell::text),
        ))
}

pub(super) fn name_history(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let mut history: Vec<_> = p.names.history.iter().collect();
    history.sort_by_key(|n| n.period.start);
    Ok(history
        .into_iter()
        .map(|n| {
            own(G::NameHistory, p, today)
                .set(c::NAME, Cell::text(&n.name))
                .set(c::NAME_KIND, Cell::Code(n.kind.code_value()))
                .set(
                    c::CHANGE_WAY,
                    Cell::opt(n.change_way, |w| Cell::Code(w.code_value())),
                )
                .set(c::START, date_cell(n.period.start))
                .set(c::END, date_cell(n.period.end))
        })
        .collect())
}

/// Addresses of every kind: the open ones (`current`), or all, oldest first.
pub(super) fn addresses(txn: &GrantedTxn<'_>, p: &Person, current: bool) -> Records {
    let today = txn.today();
    let group = if current {
        G::CurrentAddresses
    } else {
        G::AddressHistory
    };
    let mut list: Vec<_> = p
        .addresses
        .iter()
        .filter(|a| !current || a.period.is_open())
        .collect();
    if current {
        // The "best address" precedence: permanent, then postal, then temporary.
        list.sort_by_key(|a| (a.kind != AddressKind::Permanent, a.kind.code()));
    } else {
        list.sort_by_key(|a| a.period.start);
    }
    Ok(list
        .into_iter()
        .map(|a| {
            let (postal, office, country) = match &a.place {
                AddressPlace::Domestic {
                    postal_code,
                    post_office_fi,
                    post_office_sv,
                    ..
                } => (
                    Cell::text(postal_code),
                    place_name(postal_code, post_office_fi, post_office_sv),
                    Cell::Code(domain::codes::country(246)),
                ),
                AddressPlace::Foreign { place, country, .. } => (
                    Cell::Empty,
                    place_name("", place, place),
                    Cell::Code(domain::codes::country(*country)),
                ),
            };
            let record = own(group, p, today)
                .set(c::ADDRESS_KIND, Cell::Code(a.kind.code_value()))
                .set(c::PERSON_ADDRESS, Cell::Text(address_line(&a.place)))
                .set(c::PERSON_POSTAL_CODE, postal)
                .set(c::PERSON_POST_OFFICE, office)
                .set(c::ADDRESS_COUNTRY, country)
                .set(c::PROTECTED_START, date_cell(a.period.start));
            if current {
                record
            } else {
                record.set(c::PROTECTED_END, date_cell(a.period.end))
            }
        })
        .collect())
}

pub(super) fn home_municipalities(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let list = &p.home_municipalities;
    Ok(list
        .iter()
        .enumerate()
        .map(|(i, h)| {
            // Each period ends the day before the next begins.
            let end = list.get(i + 1).map(|next| next.since.add_days(-1));
            own(G::HomeMunicipalityHistory, p, today)
                .set(c::MUNICIPALITY_HISTORY, municipality(&h.code))
                .set(c::PROTECTED_START, Cell::Date(h.since))
                .set(c::PROTECTED_END, Cell::opt(end, Cell::Date))
        })
        .collect())
}

pub(super) fn residence(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let permanent = p.permanent_address();
    let mut r = own(G::Residence, p, today)
        .set(
            c::PERMANENT_ADDRESS,
            Cell::opt(permanent, |a| Cell::Text(a.place.one_line())),
        )
        .set(
            c::HOME_MUNICIPALITY,
            Cell::opt(p.home_municipality(), municipality),
        )
        .set(
            c::MOVED_IN,
            date_cell(permanent.and_then(|a| a.period.start)),
        )
        .set(
            c::VOTING_DISTRICT,
            Cell::opt(p.voting_district.as_deref(), Cell::text),
        );
    r = match &p.residence {
        Some(res) => {
            let building = store::building(txn, res.building)?;
            let building_label = building
                .as_ref()
                .map_or_else(|| res.building.to_string(), super::places::building_heading);
            let dwelling = DwellingRef::from_label(res.building, &res.dwelling);
            let residence_id = dwelling.and_then(|d| {
                domain::ResidenceId::in_finland(res.building, res.address_number, d.dwelling)
            });
            r.set(
                c::RESIDENCE_ID,
                Cell::opt(residence_id, |id| {
                    Cell::Text(id.to_string().trim_end().to_owned())
                }),
            )
            .set(
                c::RESIDENCE_BUILDING,
                Cell::Link {
                    target: SubjectRef::Building(res.building),
                    label: building_label,
                },
            )
            .set(
                c::RESIDENCE_DWELLING,
                Cell::opt(dwelling, |d| Cell::Link {
                    target: SubjectRef::Dwelling(d),
                    label: if res.dwelling.is_empty() {
                        super::places::building_heading_of(building.as_ref(), res.building)
                    } else {
                        res.dwelling.clone()
                    },
                }),
            )
            .set(
                c::RESIDENCE_ADDRESS_NUMBER,
                Cell::Number(i64::from(res.address_number)),
            )
        }
        None => r
            .set(c::RESIDENCE_ID, Cell::Empty)
            .set(c::RESIDENCE_BUILDING, Cell::Empty)
            .set(c::RESIDENCE_DWELLING, Cell::Empty)
            .set(c::RESIDENCE_ADDRESS_NUMBER, Cell::Empty),
    };
    one(r)
}

fn union_kind(partnership: bool) -> Cell {
    Cell::Code(
        if partnership {
            UnionKind::Partnership
        } else {
            UnionKind::Marriage
        }
        .code_value(),
    )
}

pub(super) fn spouse(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let current = p.relations.iter().rev().find_map(|r| match r {
        Relation::Spouse {
            other,
            partnership,
            start_way,
            end_way: None,
            period,
            ..
        } if period.is_open() => Some((*other, *partnership, *start_way, *period)),
        _ => None,
    });
    let record = match current {
        Some((id, partnership, start_way, period)) => {
            let o = other(txn, id)?;
            // The row is the subject's (its marital status); the spouse's identity is not
            // protected data, so the spouse's order does not change it.
            own(G::Spouse, p, today)
                .set(c::SPOUSE, link(&o))
                .set(c::HETU, Cell::Text(o.hetu.to_string()))
                .set(c::BIRTH_DATE, Cell::Date(o.birth.date))
                .set(c::UNION_KIND, union_kind(partnership))
                .set(c::START, date_cell(period.start))
                .set(c::START_WAY, Cell::Code(start_way.code_value()))
        }
        None => own(G::Spouse, p, today)
            .set(c::SPOUSE, Cell::Empty)
            .set(c::HETU, Cell::Empty)
            .set(c::BIRTH_DATE, Cell::Empty)
            .set(c::UNION_KIND, Cell::Empty)
            .set(c::START, Cell::Empty)
            .set(c::START_WAY, Cell::Empty),
    };
    one(record.set(c::MARITAL_STATUS, Cell::Code(p.marital_status.code_value())))
}

pub(super) fn marriages(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let mut out = Vec::new();
    for r in &p.relations {
        if let Relation::Spouse {
            other: id,
            ordinal,
            partnership,
            start_way,
            end_way,
            period,
        } = r
        {
            let o = other(txn, *id)?;
            out.push((
                period.start,
                relative(G::Marriages, c::SPOUSE, &o, today)
                    .set(c::ORDINAL, Cell::Number(i64::from(*ordinal)))
                    .set(c::UNION_KIND, union_kind(*partnership))
                    .set(c::START, date_cell(period.start))
                    .set(c::START_WAY, Cell::Code(start_way.code_value()))
                    .set(c::END, date_cell(period.end))
                    .set(
                        c::END_WAY,
                        Cell::opt(*end_way, |w| Cell::Code(w.code_value())),
                    ),
            ));
        }
    }
    out.sort_by_key(|(start, _)| *start);
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

pub(super) fn children(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let mut out = Vec::new();
    for r in &p.relations {
        if let Relation::Child {
            other: id, adopted, ..
        } = r
        {
            let o = other(txn, *id)?;
            out.push(
                relative(G::Children, c::CHILD, &o, today)
                    .set(c::AGE, living_age(&o, today))
                    .set(c::ADOPTED, Cell::Flag(*adopted))
                    .set(c::DECEASED, Cell::Flag(o.is_dead())),
            );
        }
    }
    Ok(out)
}

pub(super) fn parents(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let mut out = Vec::new();
    for r in &p.relations {
        if let Relation::Parent {
            other: id, adopted, ..
        } = r
        {
            let o = other(txn, *id)?;
            out.push(
                relative(G::Parents, c::PARENT, &o, today)
                    .set(c::ADOPTED, Cell::Flag(*adopted))
                    .set(c::DECEASED, Cell::Flag(o.is_dead())),
            );
        }
    }
    Ok(out)
}

pub(super) fn custodians(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    custody(txn, p, true)
}

pub(super) fn dependants(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    custody(txn, p, false)
}

/// Custodians of the person, or the person's dependants.
fn custody(txn: &GrantedTxn<'_>, p: &Person, custodians: bool) -> Records {
    let today = txn.today();
    let (group, column) = if custodians {
        (G::Custodians, c::CUSTODIAN)
    } else {
        (G::Dependants, c::DEPENDANT)
    };
    let mut out = Vec::new();
    for r in &p.relations {
        let found = match r {
            Relation::Custodian {
                other,
                kind,
                division,
                period,
            } if custodians => Some((other, kind, division, period)),
            Relation::Dependant {
                other,
                kind,
                division,
                period,
            } if !custodians => Some((other, kind, division, period)),
            _ => None,
        };
        if let Some((id, kind, division, period)) = found {
            let o = other(txn, *id)?;
            out.push(
                relative(group, column, &o, today)
                    .set(c::CUSTODIAN_KIND, Cell::Code(kind.code_value()))
                    .set(
                        c::CUSTODY_DIVISION,
                        Cell::opt(*division, |d| Cell::Code(d.code_value())),
                    )
                    .set(c::START, date_cell(period.start))
                    .set(c::END, date_cell(period.end)),
            );
        }
    }
    Ok(out)
}

/// A flag column saying whether an optional period is in force today, and its start and end.
fn with_period(
    r: Record,
    flag: domain::catalogue::ColumnSpec,
    period: Option<&Period>,
    today: Date,
) -> Record {
    r.set(
        flag,
        Cell::Flag(period.is_some_and(|per| in_force(per, today))),
    )
    .set(c::START, date_cell(period.and_then(|per| per.start)))
    .set(c::END, date_cell(period.and_then(|per| per.end)))
}

pub(super) fn care(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    one(with_period(
        own(G::Care, p, today),
        c::IN_CARE,
        p.taken_into_care.as_ref(),
        today,
    ))
}

pub(super) fn guardianship(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let g = p.guardianship.as_ref();
    one(with_period(
        own(G::Guardianship, p, today),
        c::IN_FORCE,
        g.map(|g| &g.period),
        today,
    )
    .set(
        c::RESTRICTION,
        Cell::opt(g, |g| Cell::Code(g.restriction.code_value())),
    )
    .set(
        c::TASKS_DIVIDED,
        Cell::opt(g, |g| Cell::Flag(g.tasks_divided)),
    ))
}

pub(super) fn guardians(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let mut out = Vec::new();
    for g in p.guardianship.iter().flat_map(|g| &g.guardians) {
        let record = match &g.party {
            GuardianParty::Person(id) => {
                let o = other(txn, *id)?;
                Record::new(G::Guardians, o.protected_on(today))
                    .about(SubjectRef::Person(o.id))
                    .set(c::GUARDIAN, link(&o))
                    .set(
                        c::GUARDIAN_KIND,
                        Cell::Code(GuardianKind::Person.code_value()),
                    )
                    .set(c::IDENTIFIER, Cell::Text(o.hetu.to_string()))
            }
            GuardianParty::Company { business_id, name } => Record::new(G::Guardians, false)
                .set(c::GUARDIAN, Cell::text(name))
                .set(
                    c::GUARDIAN_KIND,
                    Cell::Code(GuardianKind::Company.code_value()),
                )
                .set(c::IDENTIFIER, Cell::text(business_id)),
            GuardianParty::LegalAidOffice {
                number,
                name_fi,
                name_sv,
            } => Record::new(G::Guardians, false)
                .set(c::GUARDIAN, place_name(number, name_fi, name_sv))
                .set(
                    c::GUARDIAN_KIND,
                    Cell::Code(GuardianKind::LegalAidOffice.code_value()),
                )
                .set(c::IDENTIFIER, Cell::text(number)),
        };
        out.push(
            record
                .set(c::START, date_cell(g.period.start))
                .set(c::END, date_cell(g.period.end)),
        );
    }
    Ok(out)
}

pub(super) fn power_of_attorney(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let a = p.power_of_attorney.as_ref();
    one(with_period(
        own(G::PowerOfAttorney, p, today),
        c::IN_FORCE,
        a.map(|a| &a.period),
        today,
    )
    .set(
        c::TASKS_DIVIDED,
        Cell::opt(a, |a| Cell::Flag(a.tasks_divided)),
    ))
}

pub(super) fn attorneys(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let mut out = Vec::new();
    for (id, period) in p.power_of_attorney.iter().flat_map(|a| &a.attorneys) {
        let o = other(txn, *id)?;
        out.push(
            relative(G::Attorneys, c::ATTORNEY, &o, today)
                .set(c::START, date_cell(period.start))
                .set(c::END, date_cell(period.end)),
        );
    }
    Ok(out)
}

pub(super) fn bans(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let b = p.bans;
    one(own(G::Bans, p, txn.today())
        .set(c::BAN_DIRECT_MARKETING, Cell::Flag(b.direct_marketing))
        .set(c::BAN_CONTACT_DETAILS, Cell::Flag(b.contact_details))
        .set(c::BAN_CUSTOMER_REGISTER, Cell::Flag(b.customer_register))
        .set(c::BAN_GENEALOGY, Cell::Flag(b.genealogy))
        .set(c::BAN_DIRECTORIES, Cell::Flag(b.directories)))
}

pub(super) fn protection(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let order = p
        .protection_order
        .as_ref()
        .filter(|_| p.protected_on(today));
    one(own(G::Protection, p, today)
        // A contact address that gives away part of where the person lives is withheld with
        // the location (the catalogue's `Contact` sensitivity).
        .contact_locates(p.contact_locates())
        .set(c::PROTECTION_ORDER, Cell::Flag(order.is_some()))
        .set(c::START, Cell::opt(order, |o| Cell::Date(o.since)))
        .set(
            c::PROTECTION_ENDS,
            Cell::opt(order.and_then(|o| o.ends), Cell::Date),
        )
        // The contact address is the person's own choice for contact: disclosed to anyone
        // unless it locates them.
        .set(
            c::CONTACT_ADDRESS,
            Cell::opt(order.and_then(|o| o.contact_address.as_ref()), |a| {
                Cell::Text(a.one_line())
            }),
        ))
}

pub(super) fn citizenships(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    Ok(p.citizenships
        .iter()
        .map(|cz| {
            own(G::Citizenships, p, today)
                .set(c::COUNTRY, Cell::Code(domain::codes::country(cz.country)))
                .set(c::ACQUIRED, date_cell(cz.acquired))
        })
        .collect())
}

pub(super) fn other_data(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    one(own(G::OtherPersonData, p, txn.today())
        .set(
            c::OCCUPATION,
            Cell::opt(p.occupation.as_deref(), Cell::text),
        )
        .set(c::EMAIL, Cell::opt(p.email.as_deref(), Cell::text))
        .set(
            c::RELIGION,
            Cell::opt(p.religion, |r| Cell::Code(r.code_value())),
        )
        .set(
            c::ABSENCE,
            Cell::opt(p.absence, |a| Cell::Code(a.code_value())),
        )
        .set(
            c::MOTHER_TONGUE,
            Cell::Code(domain::codes::language(&p.mother_tongue)),
        )
        .set(
            c::SERVICE_LANGUAGE,
            Cell::opt(p.service_language.as_deref(), |l| {
                Cell::Code(domain::codes::language(l))
            }),
        ))
}

/// What the person owns, by the owner index.
fn owned(txn: &GrantedTxn<'_>, p: &Person) -> Result<Vec<String>, EngineError> {
    store::owned_by(txn, &format!("p:{}", p.id))
}

pub(super) fn ownership(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let today = txn.today();
    let mut out = Vec::new();
    for thing in owned(txn, p)? {
        // What is owned, as a link, its kind, its municipality and its owners.
        let (target, label, kind, kunta, owners) = if let Some(prt) = thing.strip_prefix("b:") {
            let Some(b) = prt
                .parse::<BuildingId>()
                .ok()
                .map(|id| store::building(txn, id))
                .transpose()?
                .flatten()
            else {
                continue;
            };
            let label = super::places::building_heading(&b);
            (
                SubjectRef::Building(b.id),
                label,
                OwnedKind::Building,
                b.municipality.to_string(),
                b.owners,
            )
        } else if let Some(unit) = thing.strip_prefix("k:") {
            let Ok(id) = unit.parse::<PropertyId>() else {
                continue;
            };
            let Some(u) = store::property(txn, id)? else {
                continue;
            };
            let label = if u.name.is_empty() {
                u.id.to_string()
            } else {
                format!("{} {}", u.name, u.id)
            };
            let kunta = id.municipality().to_string();
            (
                SubjectRef::Property(id),
                label,
                OwnedKind::Property,
                kunta,
                u.owners,
            )
        } else {
            continue;
        };
        let owner_share = owners
            .iter()
            .find(|o| matches!(o, domain::model::Owner::Person { id, .. } if *id == p.id));
        out.push(
            own(G::Ownership, p, today)
                .set(c::OWNED, Cell::Link { target, label })
                .set(c::OWNED_KIND, Cell::Code(kind.code_value()))
                .set(c::OWNED_MUNICIPALITY, municipality(&kunta))
                .set(c::SHARE, Cell::opt(owner_share, share)),
        );
    }
    Ok(out)
}

pub(super) fn ownership_summary(txn: &GrantedTxn<'_>, p: &Person) -> Records {
    let things = owned(txn, p)?;
    let buildings = things.iter().filter(|t| t.starts_with("b:")).count();
    let units = things.iter().filter(|t| t.starts_with("k:")).count();
    one(own(G::OwnershipSummary, p, txn.today())
        .set(c::OWNS, Cell::Flag(!things.is_empty()))
        .set(c::BUILDINGS_OWNED, Cell::Number(buildings as i64))
        .set(c::UNITS_OWNED, Cell::Number(units as i64)))
}
