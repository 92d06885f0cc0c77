//! Register changes applied to the register: each [`ChangeEvent`] of a batch, in stream order,
//! inside the one write transaction the gate's feed door holds ([`crate::store::Changing`]).
//! A change is checked whole against the register as the transaction sees it (earlier changes
//! of the batch included) before anything of it is written, so it is applied whole or set
//! aside on the dead-letter list with its [`ChangeRefusal`]; every index moves with the record
//! (identity codes, names, residents, addresses, owners). The feed's position is kept beside the register in the
//! same transaction, so a change already applied is skipped when the stream is replayed.

use crate::error::EngineError;
use crate::population::reference::post_office;
use crate::store::{
    self, BUILDINGS, Changing, DEAD_LETTERS, DWELLINGS, FEED_POSITION, PERSONS, TypedWriter,
};
use domain::changes::{
    ChangeEvent, ChangeRefusal, DeadLetter, FeedReport, NewHome, RegisterChange, register_name,
};
use domain::codes::{
    AddressKind, CustodianKind, MaritalStatus, MarriageEnd, MarriageStart, NameChangeWay, NameKind,
};
use domain::model::{
    AddressPlace, AddressRecord, Bans, Birth, Citizenship, FormerName, HomeMunicipality, Names,
    Period, Person, ProtectionOrder, Relation, Residence,
};
use domain::screen::PersonId;
use domain::{Date, Hetu};
use redb::ReadableTable;

mod care;
mod places;

/// Finland, ISO 3166-1 numeric.
const FINLAND: u16 = 246;
/// The home municipality code of a person living abroad.
const ABROAD: &str = "200";

/// The feed's position in a register: the last change applied or set aside (0: none yet).
pub(crate) fn position(txn: &redb::ReadTransaction) -> Result<u64, EngineError> {
    let Some(table) = store::open_or_empty(txn, FEED_POSITION)? else {
        return Ok(0);
    };
    Ok(table.get("position")?.map_or(0, |v| v.value()))
}

/// The register's tables a change reads and writes, open in the feed's transaction.
struct Register<'t> {
    persons: TypedWriter<'t, u64, Person>,
    buildings: TypedWriter<'t, u32, domain::model::Building>,
    dwellings: TypedWriter<'t, (u32, &'static str), domain::model::Dwelling>,
    by_hetu: redb::Table<'t, &'static str, u64>,
    by_name: redb::Table<'t, &'static str, ()>,
    by_building: redb::Table<'t, (u32, u64), ()>,
    by_dwelling: redb::Table<'t, (u32, &'static str, u64), ()>,
    properties: TypedWriter<'t, &'static str, domain::model::Property>,
    merged: TypedWriter<'t, &'static str, store::MergedUnit>,
    by_address: redb::Table<'t, &'static str, ()>,
    owned: redb::Table<'t, (&'static str, &'static str), ()>,
}

impl Register<'_> {
    fn person(&self, hetu: &Hetu) -> Result<Option<Person>, EngineError> {
        let id = self
            .by_hetu
            .get(hetu.to_string().as_str())?
            .map(|v| v.value());
        match id {
            Some(id) => self.persons.get(id),
            None => Ok(None),
        }
    }

    fn known(&self, hetu: &Hetu) -> Result<Person, Step> {
        self.person(hetu)?
            .ok_or(Step::Refused(ChangeRefusal::UnknownPerson))
    }

    /// Writes `after` in place of `before` (`None`: a new person), moving every index entry
    /// whose key changed.
    fn put(&mut self, before: Option<&Person>, after: &Person) -> Result<(), EngineError> {
        let id = after.id.0;
        for code in std::iter::once(&after.hetu).chain(after.hetu_history.iter().map(|h| &h.hetu)) {
            self.by_hetu.insert(code.to_string().as_str(), id)?;
        }
        let name = |p: &Person| {
            store::name_key(&p.names.surname, p.birth.date, &p.names.first_names, p.id)
        };
        if let Some(old) = before {
            let old_key = name(old);
            if old_key != name(after) {
                self.by_name.remove(old_key.as_str())?;
            }
        }
        self.by_name.insert(name(after).as_str(), ())?;
        let home = |p: &Person| match (&p.residence, p.death) {
            (Some(r), None) => Some((r.building.number(), r.dwelling.clone())),
            _ => None,
        };
        let (was, now) = (before.and_then(home), home(after));
        if was != now {
            if let Some((b, label)) = &was {
                self.by_building.remove((*b, id))?;
                self.by_dwelling.remove((*b, label.as_str(), id))?;
            }
            if let Some((b, label)) = &now {
                self.by_building.insert((*b, id), ())?;
                self.by_dwelling.insert((*b, label.as_str(), id), ())?;
            }
        }
        self.persons.insert(id, after)?;
        Ok(())
    }
}

/// How one change went short of a storage failure.
enum Step {
    Refused(ChangeRefusal),
    Failed(EngineError),
}

impl From<EngineError> for Step {
    fn from(e: EngineError) -> Step {
        Step::Failed(e)
    }
}

impl From<redb::StorageError> for Step {
    fn from(e: redb::StorageError) -> Step {
        Step::Failed(e.into())
    }
}

fn refuse<T>(why: ChangeRefusal) -> Result<T, Step> {
    Err(Step::Refused(why))
}

/// Applies `batch` after the feed's position `from`: changes at or before it are skipped,
/// the rest must follow it without a gap. Answers what the batch came to and the range of
/// the stream it covered (`None`: nothing in it).
pub(crate) fn apply(
    changing: &Changing<'_>,
    batch: &[ChangeEvent],
) -> Result<(FeedReport, Option<(u64, u64)>), EngineError> {
    let txn = changing.txn();
    let mut position = {
        let table = txn.open_table(FEED_POSITION)?;
        table.get("position")?.map_or(0, |v| v.value())
    };
    let mut report = FeedReport {
        position,
        ..FeedReport::default()
    };
    let Some(first) = batch.first().map(|e| e.seq) else {
        return Ok((report, None));
    };
    let mut register = Register {
        persons: PERSONS.changer(changing)?,
        buildings: BUILDINGS.changer(changing)?,
        dwellings: DWELLINGS.changer(changing)?,
        by_hetu: store::PERSON_BY_HETU.changer(changing)?,
        by_name: store::PERSON_BY_NAME.changer(changing)?,
        by_building: store::RESIDENTS_BY_BUILDING.changer(changing)?,
        by_dwelling: store::RESIDENTS_BY_DWELLING.changer(changing)?,
        properties: store::PROPERTIES.changer(changing)?,
        merged: store::PROPERTY_MERGED.changer(changing)?,
        by_address: store::BUILDING_BY_ADDRESS.changer(changing)?,
        owned: store::OWNED_BY.changer(changing)?,
    };
    let mut dead = DEAD_LETTERS.raw_writer(txn)?;
    for event in batch {
        if event.seq <= position {
            report.skipped += 1;
            continue;
        }
        if event.seq != position + 1 {
            return Err(EngineError::Invalid(format!(
                "the register's change stream continues from change {}; change {} cannot be applied before it",
                position + 1,
                event.seq
            )));
        }
        match one(&mut register, event) {
            Ok(()) => report.applied += 1,
            Err(Step::Refused(refusal)) => {
                dead.insert(
                    event.seq,
                    &DeadLetter {
                        event: event.clone(),
                        refusal,
                    },
                )?;
                report.dead += 1;
            }
            Err(Step::Failed(e)) => return Err(e),
        }
        position = event.seq;
    }
    txn.open_table(FEED_POSITION)?
        .insert("position", position)?;
    report.position = position;
    Ok((report, Some((first, position))))
}

/// One change, checked whole before anything of it is written.
fn one(r: &mut Register<'_>, event: &ChangeEvent) -> Result<(), Step> {
    let recorded = event.recorded.date_in_finland();
    if event.change.effective() > recorded {
        return refuse(ChangeRefusal::ImpossibleDate);
    }
    match &event.change {
        RegisterChange::Birth {
            hetu,
            surname,
            first_names,
            sex,
            mother,
            father,
        } => birth(
            r,
            hetu,
            (surname, first_names),
            *sex,
            mother,
            father.as_ref(),
        ),
        RegisterChange::Death { hetu, date } => death(r, hetu, *date),
        RegisterChange::Move { hetu, date, to } => move_to(r, hetu, *date, to),
        RegisterChange::NameChange {
            hetu,
            date,
            surname,
            first_names,
        } => rename(r, hetu, *date, surname.as_deref(), first_names.as_deref()),
        RegisterChange::Marriage {
            a,
            b,
            date,
            b_takes_surname,
        } => marry(r, a, b, *date, *b_takes_surname),
        RegisterChange::Divorce { a, b, date } => divorce(r, a, b, *date),
        RegisterChange::ProtectionOrderSet { hetu, since, ends } => {
            let mut p = living(r, hetu, *since)?;
            if p.protected_on(*since) {
                return refuse(ChangeRefusal::NoSuchOrder);
            }
            if ends.is_some_and(|end| end < *since) {
                return refuse(ChangeRefusal::ImpossibleDate);
            }
            let before = p.clone();
            p.protection_order = Some(ProtectionOrder {
                since: *since,
                ends: *ends,
                contact_address: None,
            });
            Ok(r.put(Some(&before), &p)?)
        }
        RegisterChange::ProtectionOrderLifted { hetu, date } => {
            let mut p = living(r, hetu, *date)?;
            let before = p.clone();
            match p.protection_order.as_mut() {
                Some(order) if before.protected_on(*date) => {
                    order.ends = Some(date.add_days(-1).max(order.since));
                }
                _ => return refuse(ChangeRefusal::NoSuchOrder),
            }
            // In force through the day before: lifted from `date` on.
            if p.protected_on(*date) {
                p.protection_order = None;
            }
            Ok(r.put(Some(&before), &p)?)
        }
        RegisterChange::HetuChanged { old, new, date } => {
            let mut p = living(r, old, *date)?;
            if p.hetu != *old {
                // A passive code: only the active one changes.
                return refuse(ChangeRefusal::UnknownPerson);
            }
            if r.person(new)?.is_some() || new == old {
                return refuse(ChangeRefusal::Duplicate);
            }
            let before = p.clone();
            p.hetu_history.push(domain::model::PassiveHetu {
                hetu: *old,
                passivated: *date,
            });
            p.hetu = *new;
            p.birth.date = new.birth_date();
            Ok(r.put(Some(&before), &p)?)
        }
        RegisterChange::CustodyChanged {
            child,
            custodians,
            date,
        } => care::custody(r, child, custodians, *date),
        RegisterChange::GuardianAppointed {
            hetu,
            guardian,
            restriction,
            date,
        } => care::appoint_guardian(r, hetu, guardian, *restriction, *date),
        RegisterChange::GuardianshipEnded { hetu, date } => care::end_guardianship(r, hetu, *date),
        RegisterChange::BuildingCompleted { building, date } => {
            places::complete(r, building, *date)
        }
        RegisterChange::BuildingAltered {
            building,
            figures,
            date,
        } => places::alter(r, *building, figures, *date),
        RegisterChange::BuildingDemolished {
            building,
            reason,
            date,
        } => places::demolish(r, *building, *reason, *date),
        RegisterChange::DwellingAdded { dwelling, date } => {
            places::add_dwelling(r, dwelling, *date)
        }
        RegisterChange::PropertyDivided {
            unit,
            new,
            name,
            area_m2,
            buildings,
            date,
        } => places::divide(
            r,
            *unit,
            places::Parcelled {
                id: *new,
                name,
                area_m2: *area_m2,
                buildings,
            },
            *date,
        ),
        RegisterChange::PropertyMerged { into, from, date } => {
            places::merge(r, *into, *from, *date)
        }
        RegisterChange::OwnerChanged {
            property,
            owners,
            date,
        } => places::change_owners(r, *property, owners, *date),
    }
}

/// The person with `hetu`, alive, born by `date`.
fn living(r: &Register<'_>, hetu: &Hetu, date: Date) -> Result<Person, Step> {
    let p = r.known(hetu)?;
    if p.is_dead() {
        return refuse(ChangeRefusal::Deceased);
    }
    if date < p.birth.date {
        return refuse(ChangeRefusal::ImpossibleDate);
    }
    Ok(p)
}

fn birth(
    r: &mut Register<'_>,
    hetu: &Hetu,
    (surname, first_names): (&str, &str),
    sex: domain::codes::Sex,
    mother: &Hetu,
    father: Option<&Hetu>,
) -> Result<(), Step> {
    if r.person(hetu)?.is_some() {
        return refuse(ChangeRefusal::Duplicate);
    }
    let born = hetu.birth_date();
    let (surname, first_names) = match (register_name(surname), register_name(first_names)) {
        (Ok(s), Ok(f)) => (s, f),
        _ => return refuse(ChangeRefusal::BadName),
    };
    let mut mother = living(r, mother, born)?;
    let mut father = match father {
        Some(f) => Some(living(r, f, born)?),
        None => None,
    };
    if father.as_ref().is_some_and(|f| f.id == mother.id) {
        return refuse(ChangeRefusal::Duplicate);
    }
    let id = PersonId(r.persons.last_key()?.map_or(1, |k| k + 1));
    let from = Period::from(born);
    let mut relations = Vec::new();
    for parent in std::iter::once(&mother).chain(father.as_ref()) {
        relations.push(Relation::Parent {
            other: parent.id,
            adopted: false,
            period: from,
        });
        relations.push(Relation::Custodian {
            other: parent.id,
            kind: CustodianKind::Parent,
            division: None,
            period: from,
        });
    }
    let home = mother.home_municipality().map(str::to_owned);
    let child = Person {
        id,
        hetu: *hetu,
        hetu_history: Vec::new(),
        satu: None,
        names: Names {
            surname,
            first_names,
            call_name: None,
            middle_name: None,
            history: Vec::new(),
        },
        sex,
        birth: Birth {
            date: born,
            country: FINLAND,
            municipality: home.clone().filter(|c| c != ABROAD),
            foreign_place: None,
        },
        death: None,
        declared_dead: None,
        mother_tongue: mother.mother_tongue.clone(),
        service_language: mother.service_language.clone(),
        citizenships: vec![Citizenship {
            country: FINLAND,
            acquired: Some(born.into()),
        }],
        home_municipalities: home
            .map(|code| HomeMunicipality { code, since: born })
            .into_iter()
            .collect(),
        addresses: mother
            .permanent_address()
            .map(|a| AddressRecord {
                kind: AddressKind::Permanent,
                place: a.place.clone(),
                period: from,
            })
            .into_iter()
            .collect(),
        residence: mother.residence.clone(),
        voting_district: None,
        marital_status: MaritalStatus::Unmarried,
        relations,
        taken_into_care: None,
        guardianship: None,
        power_of_attorney: None,
        bans: Bans::default(),
        protection_order: None,
        occupation: None,
        email: None,
        religion: None,
        absence: None,
    };
    for parent in std::iter::once(&mut mother).chain(father.as_mut()) {
        let before = parent.clone();
        parent.relations.push(Relation::Child {
            other: id,
            adopted: false,
            period: from,
        });
        parent.relations.push(Relation::Dependant {
            other: id,
            kind: CustodianKind::Parent,
            division: None,
            period: from,
        });
        r.put(Some(&before), parent)?;
    }
    Ok(r.put(None, &child)?)
}

/// The open marriage (or partnership) of `p`, if any: the spouse and whether a partnership.
fn open_spouse(p: &Person) -> Option<(PersonId, bool)> {
    p.relations.iter().find_map(|rel| match rel {
        Relation::Spouse {
            other,
            partnership,
            end_way: None,
            ..
        } => Some((*other, *partnership)),
        _ => None,
    })
}

/// Ends the open marriage of `p` with `other` on `date`, as `way`.
fn end_marriage(p: &mut Person, other: PersonId, date: Date, way: MarriageEnd) {
    for rel in &mut p.relations {
        if let Relation::Spouse {
            other: o,
            end_way,
            period,
            ..
        } = rel
            && *o == other
            && end_way.is_none()
        {
            *end_way = Some(way);
            period.end = Some(date.into());
        }
    }
}

fn death(r: &mut Register<'_>, hetu: &Hetu, date: Date) -> Result<(), Step> {
    let mut p = living(r, hetu, date)?;
    let before = p.clone();
    p.death = Some(date.into());
    if let Some((spouse_id, partnership)) = open_spouse(&p) {
        let way = if partnership {
            MarriageEnd::PartnerDied
        } else {
            MarriageEnd::SpouseDied
        };
        end_marriage(&mut p, spouse_id, date, way);
        if let Some(mut spouse) = r.persons.get(spouse_id.0)? {
            let spouse_before = spouse.clone();
            end_marriage(&mut spouse, p.id, date, way);
            spouse.marital_status = if partnership {
                MaritalStatus::PartnerDeceased
            } else {
                MaritalStatus::Widowed
            };
            r.put(Some(&spouse_before), &spouse)?;
        }
    }
    Ok(r.put(Some(&before), &p)?)
}

fn move_to(r: &mut Register<'_>, hetu: &Hetu, date: Date, to: &NewHome) -> Result<(), Step> {
    let mut p = living(r, hetu, date)?;
    if p.permanent_address()
        .and_then(|a| a.period.start)
        .and_then(|s| s.earliest())
        .is_some_and(|start| date <= start)
    {
        // Before (or on) the day the person moved to where they live now.
        return refuse(ChangeRefusal::ImpossibleDate);
    }
    let (place, residence, municipality) = match to {
        NewHome::Dwelling {
            building,
            address_number,
            dwelling,
        } => {
            let Some(b) = r.buildings.get(building.number())? else {
                return refuse(ChangeRefusal::UnknownHome);
            };
            let address = b.addresses.iter().find(|a| a.order == *address_number);
            let flat = r.dwellings.get((building.number(), dwelling.as_str()))?;
            let (Some(address), Some(_), None) = (address, flat, &b.demolition) else {
                return refuse(ChangeRefusal::UnknownHome);
            };
            let office = post_office(&address.postal_code);
            let place = AddressPlace::Domestic {
                street: address.street_line(),
                dwelling: dwelling.clone(),
                postal_code: address.postal_code.clone(),
                post_office_fi: office.map(|o| o.0.clone()).unwrap_or_default(),
                post_office_sv: office.map(|o| o.1.clone()).unwrap_or_default(),
            };
            let residence = Residence {
                building: *building,
                address_number: *address_number,
                dwelling: dwelling.clone(),
            };
            (place, Some(residence), b.municipality.to_string())
        }
        NewHome::Abroad {
            country,
            street,
            place,
        } => {
            let place = AddressPlace::Foreign {
                street: street.trim().to_owned(),
                place: place.trim().to_owned(),
                country: *country,
            };
            (place, None, ABROAD.to_owned())
        }
    };
    let before = p.clone();
    let last_day = date.add_days(-1);
    for a in &mut p.addresses {
        if a.kind == AddressKind::Permanent && a.period.is_open() {
            a.period.end = Some(last_day.into());
        }
    }
    p.addresses.push(AddressRecord {
        kind: AddressKind::Permanent,
        place,
        period: Period::from(date),
    });
    if p.home_municipality() != Some(municipality.as_str()) {
        p.home_municipalities.push(HomeMunicipality {
            code: municipality,
            since: date,
        });
    }
    p.residence = residence;
    Ok(r.put(Some(&before), &p)?)
}

fn rename(
    r: &mut Register<'_>,
    hetu: &Hetu,
    date: Date,
    surname: Option<&str>,
    first_names: Option<&str>,
) -> Result<(), Step> {
    let mut p = living(r, hetu, date)?;
    let new = |name: Option<&str>, now: &str| match name.map(register_name) {
        None => Ok(None),
        Some(Ok(n)) if n != now => Ok(Some(n)),
        Some(_) => Err(Step::Refused(ChangeRefusal::BadName)),
    };
    let surname = new(surname, &p.names.surname)?;
    let first_names = new(first_names, &p.names.first_names)?;
    if surname.is_none() && first_names.is_none() {
        return refuse(ChangeRefusal::BadName);
    }
    let before = p.clone();
    if let Some(s) = surname {
        let former = std::mem::replace(&mut p.names.surname, s);
        keep_former(
            &mut p,
            former,
            NameKind::FormerSurname,
            NameChangeWay::SurnameByNotice,
            date,
        );
    }
    if let Some(f) = first_names {
        let former = std::mem::replace(&mut p.names.first_names, f);
        keep_former(
            &mut p,
            former,
            NameKind::FormerFirstNames,
            NameChangeWay::FirstNameChange,
            date,
        );
    }
    Ok(r.put(Some(&before), &p)?)
}

/// Keeps `name`, given up on `date`, among `p`'s former names.
fn keep_former(p: &mut Person, name: String, kind: NameKind, way: NameChangeWay, date: Date) {
    p.names.history.push(FormerName {
        name,
        kind,
        change_way: Some(way),
        period: Period {
            start: None,
            end: Some(date.add_days(-1).into()),
        },
    });
}

fn marry(
    r: &mut Register<'_>,
    a: &Hetu,
    b: &Hetu,
    date: Date,
    b_takes_surname: bool,
) -> Result<(), Step> {
    let (mut pa, mut pb) = (living(r, a, date)?, living(r, b, date)?);
    let adult = |p: &Person| p.birth.date.years_until(date) >= 18;
    if pa.id == pb.id
        || !adult(&pa)
        || !adult(&pb)
        || open_spouse(&pa).is_some()
        || open_spouse(&pb).is_some()
    {
        return refuse(ChangeRefusal::CannotMarry);
    }
    let ordinal = pa
        .relations
        .iter()
        .chain(&pb.relations)
        .filter_map(|rel| match rel {
            Relation::Spouse { ordinal, .. } => Some(*ordinal),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    let (before_a, before_b) = (pa.clone(), pb.clone());
    for (p, other) in [(&mut pa, before_b.id), (&mut pb, before_a.id)] {
        p.relations.push(Relation::Spouse {
            other,
            ordinal,
            partnership: false,
            start_way: MarriageStart::Civil,
            end_way: None,
            period: Period::from(date),
        });
        p.marital_status = MaritalStatus::Married;
    }
    if b_takes_surname && pb.names.surname != pa.names.surname {
        let former = std::mem::replace(&mut pb.names.surname, pa.names.surname.clone());
        keep_former(
            &mut pb,
            former,
            NameKind::FormerSurname,
            NameChangeWay::SpousesName,
            date,
        );
    }
    r.put(Some(&before_a), &pa)?;
    Ok(r.put(Some(&before_b), &pb)?)
}

fn divorce(r: &mut Register<'_>, a: &Hetu, b: &Hetu, date: Date) -> Result<(), Step> {
    let (mut pa, mut pb) = (living(r, a, date)?, living(r, b, date)?);
    let married_since = pa.relations.iter().find_map(|rel| match rel {
        Relation::Spouse {
            other,
            end_way: None,
            period,
            ..
        } if *other == pb.id => Some(period.start.and_then(|s| s.earliest())),
        _ => None,
    });
    match married_since {
        None => return refuse(ChangeRefusal::NotMarried),
        Some(Some(since)) if date <= since => return refuse(ChangeRefusal::ImpossibleDate),
        Some(_) => {}
    }
    let (before_a, before_b) = (pa.clone(), pb.clone());
    end_marriage(&mut pa, pb.id, date, MarriageEnd::Divorce);
    end_marriage(&mut pb, pa.id, date, MarriageEnd::Divorce);
    pa.marital_status = MaritalStatus::Divorced;
    pb.marital_status = MaritalStatus::Divorced;
    r.put(Some(&before_a), &pa)?;
    Ok(r.put(Some(&before_b), &pb)?)
}
