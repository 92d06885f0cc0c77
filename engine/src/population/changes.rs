//! A realistic stream of register changes for an existing register, as the population
//! information system would send it: Finland's yearly volumes in proportion (about 850,000
//! moves, 61,000 deaths, 43,000 births, 45,000 name changes, 22,000 marriages, 12,000
//! divorces, 25,000 custody decisions, some 8,000 guardianships begun or ended, a few thousand
//! protection orders and identity-code changes; 25,000 buildings completed, 15,000 altered,
//! 5,000 demolished, 35,000 dwellings added, 15,000 units divided or merged, 70,000 changes of
//! owner), drawn from the register as it stands: movers, the dying, mothers and couples are
//! living persons of the register, homes are its dwellings, buildings and units its own. Deterministic from the seed and the register. The plan
//! is applied by the engine's feed and never leaves it: it holds register data.

use super::reference::REFERENCE;
use crate::error::EngineError;
use crate::store::{self, BUILDINGS, OperatorSnapshot, PERSONS};
use domain::changes::{
    BuildingFigures, ChangeEvent, NewBuilding, NewDwelling, NewHome, NewOwner, RegisterChange,
};
use domain::codes::{
    DemolitionReason, DwellingKind, KitchenKind, MaritalStatus, Restriction, Sex, Tenure, UseClass,
};
use domain::hetu::CenturySign;
use domain::model::{Building, BuildingAddress, Equipment, Person, Property, Relation};
use domain::{BuildingId, Date, Hetu, PropertyId, Timestamp};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use redb::ReadableTable;
use std::collections::HashSet;

/// The kinds in proportion to their yearly volume (per mille of all changes).
const MIX: [(Kind, u32); 19] = [
    (Kind::Move, 685),
    (Kind::Death, 49),
    (Kind::Birth, 35),
    (Kind::Name, 36),
    (Kind::Marriage, 18),
    (Kind::Divorce, 10),
    (Kind::ProtectionSet, 4),
    (Kind::ProtectionLifted, 2),
    (Kind::Hetu, 2),
    (Kind::Custody, 20),
    (Kind::GuardianAppointed, 4),
    (Kind::GuardianshipEnded, 3),
    (Kind::BuildingCompleted, 20),
    (Kind::BuildingAltered, 12),
    (Kind::BuildingDemolished, 4),
    (Kind::DwellingAdded, 28),
    (Kind::PropertyDivided, 10),
    (Kind::PropertyMerged, 2),
    (Kind::Owner, 56),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Move,
    Death,
    Birth,
    Name,
    Marriage,
    Divorce,
    ProtectionSet,
    ProtectionLifted,
    Hetu,
    Custody,
    GuardianAppointed,
    GuardianshipEnded,
    BuildingCompleted,
    BuildingAltered,
    BuildingDemolished,
    DwellingAdded,
    PropertyDivided,
    PropertyMerged,
    Owner,
}

/// How many persons to look at for one change before giving it up (a register with few of
/// the kind sought, e.g. no protected person to lift an order from).
const TRIES: usize = 40;

/// How many persons in a row to look at for a change of the few (a protection order lifted, a
/// guardianship ended).
const RARE_SCAN: usize = 5_000;

struct Planner<'a> {
    snap: &'a OperatorSnapshot,
    rng: ChaCha8Rng,
    today: Date,
    persons: redb::ReadOnlyTable<u64, &'static [u8]>,
    /// The lowest and the highest person id (ids are opaque: drawn between them).
    person_ids: (u64, u64),
    buildings: (u32, u32),
    /// Persons a change of this plan already touches: one change each, so that the plan's
    /// changes do not contradict one another.
    used: HashSet<u64>,
    /// Identity codes this plan hands out.
    codes: HashSet<Hetu>,
    /// Buildings a change of this plan already touches (moved into, altered, demolished, a
    /// dwelling added, a unit's change), and units: one change of each kind that could
    /// contradict another.
    buildings_used: HashSet<u32>,
    units_used: HashSet<PropertyId>,
    /// Buildings this plan moves people into, and demolishes: never both.
    lived_in: HashSet<u32>,
    demolished: HashSet<u32>,
    /// Building numbers and unit ids this plan hands out.
    new_buildings: HashSet<u32>,
    new_units: HashSet<PropertyId>,
}

impl Planner<'_> {
    fn pick(
        &mut self,
        fits: impl Fn(&Person, Date) -> bool,
    ) -> Result<Option<Person>, EngineError> {
        self.pick_in(TRIES, fits)
    }

    /// [`Planner::pick`] for the few (the protected, those under guardianship): the persons
    /// from a random one on, in id order, up to [`RARE_SCAN`] of them (ids are opaque and
    /// uneven: a random draw alone would find some of the few almost never).
    fn pick_rare(
        &mut self,
        fits: impl Fn(&Person, Date) -> bool,
    ) -> Result<Option<Person>, EngineError> {
        let from = self.rng.random_range(self.person_ids.0..=self.person_ids.1);
        let after = self.persons.range(from..)?;
        let before = self.persons.range(..from)?;
        for item in after.chain(before).take(RARE_SCAN) {
            let (key, value) = item?;
            if let Some(p) = self.take_if(key.value(), value.value(), &fits)? {
                return Ok(Some(p));
            }
        }
        Ok(None)
    }

    /// The person stored as `bytes` under `id`, taken for this plan if no change of it has
    /// them yet, alive, and `fits`.
    fn take_if(
        &mut self,
        id: u64,
        bytes: &[u8],
        fits: &impl Fn(&Person, Date) -> bool,
    ) -> Result<Option<Person>, EngineError> {
        if self.used.contains(&id) {
            return Ok(None);
        }
        let p = PERSONS.decode(bytes)?;
        if !p.is_dead() && fits(&p, self.today) {
            self.used.insert(id);
            return Ok(Some(p));
        }
        Ok(None)
    }

    fn pick_in(
        &mut self,
        tries: usize,
        fits: impl Fn(&Person, Date) -> bool,
    ) -> Result<Option<Person>, EngineError> {
        for _ in 0..tries {
            let from = self.rng.random_range(self.person_ids.0..=self.person_ids.1);
            let Some(item) = self.persons.range(from..)?.next() else {
                continue;
            };
            let (key, value) = item?;
            if let Some(p) = self.take_if(key.value(), value.value(), &fits)? {
                return Ok(Some(p));
            }
        }
        Ok(None)
    }

    /// A dwelling of a standing building, with the building's first address.
    fn home(&mut self) -> Result<Option<NewHome>, EngineError> {
        let Some(table) = BUILDINGS.open(self.snap)? else {
            return Ok(None);
        };
        for _ in 0..TRIES {
            let Some(b) = self.draw_building(&table)? else {
                continue;
            };
            let (Some(address), None) = (b.addresses.first(), &b.demolition) else {
                continue;
            };
            let number = b.id.number();
            let dwellings = store::dwellings_of(self.snap, number)?;
            if dwellings.is_empty() || self.demolished.contains(&number) {
                continue;
            }
            self.lived_in.insert(number);
            let d = &dwellings[self.rng.random_range(0..dwellings.len())];
            return Ok(Some(NewHome::Dwelling {
                building: b.id,
                address_number: address.order,
                dwelling: d.label.clone(),
            }));
        }
        Ok(None)
    }

    /// A building drawn at random (numbers are uneven: the first at or after a random one).
    fn draw_building(
        &mut self,
        table: &redb::ReadOnlyTable<u32, &'static [u8]>,
    ) -> Result<Option<Building>, EngineError> {
        let from = self.rng.random_range(self.buildings.0..=self.buildings.1);
        match table.range(from..)?.next() {
            Some(item) => Ok(Some(BUILDINGS.decode(item?.1.value())?)),
            None => Ok(None),
        }
    }

    /// A standing building no other change of this plan touches, that `fits`.
    fn building(
        &mut self,
        fits: impl Fn(&Building) -> bool,
    ) -> Result<Option<Building>, EngineError> {
        let Some(table) = BUILDINGS.open(self.snap)? else {
            return Ok(None);
        };
        for _ in 0..TRIES {
            let Some(b) = self.draw_building(&table)? else {
                continue;
            };
            if b.demolition.is_none() && !self.buildings_used.contains(&b.id.number()) && fits(&b) {
                self.buildings_used.insert(b.id.number());
                return Ok(Some(b));
            }
        }
        Ok(None)
    }

    /// The unit a standing building stands on, when no other change of this plan touches it
    /// and it `fits`.
    fn unit(&mut self, fits: impl Fn(&Property) -> bool) -> Result<Option<Property>, EngineError> {
        for _ in 0..TRIES {
            let Some(b) = self.building(|_| true)? else {
                return Ok(None);
            };
            self.buildings_used.remove(&b.id.number());
            if self.units_used.contains(&b.property) {
                continue;
            }
            if let Some(p) = store::property(self.snap, b.property)?
                && p.id == b.property
                && fits(&p)
            {
                self.units_used.insert(p.id);
                // Its buildings move or change owner with it.
                self.buildings_used
                    .extend(p.buildings.iter().map(|b| b.number()));
                return Ok(Some(p));
            }
        }
        Ok(None)
    }

    /// A unit id of `like`'s municipality, area and group that no unit has.
    fn unit_id(&mut self, like: PropertyId) -> Result<Option<PropertyId>, EngineError> {
        for _ in 0..TRIES {
            let unit = self.rng.random_range(100..=9_999);
            let Some(id) = PropertyId::new(like.municipality(), like.area(), like.group(), unit)
            else {
                continue;
            };
            if !self.new_units.contains(&id) && store::property(self.snap, id)?.is_none() {
                self.new_units.insert(id);
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// A new building's figures, and what an alteration makes of `b`'s.
    fn figures(&mut self, b: Option<&Building>) -> BuildingFigures {
        let floor_area = match b {
            Some(b) => b.floor_area + self.rng.random_range(10..=60),
            None => self.rng.random_range(90..=220),
        };
        let floors = b.map_or(self.rng.random_range(1..=2), |b| b.floors);
        let total_area = floor_area + floor_area / 8;
        BuildingFigures {
            floors,
            floor_area,
            total_area,
            volume: total_area * 3,
            heating: b.map_or(Some(domain::codes::HeatingMethod::Water), |b| b.heating),
            energy: b.map_or(Some(domain::codes::EnergySource::GroundHeat), |b| b.energy),
        }
    }

    /// A code for someone born on `born` that no one has.
    fn code(&mut self, born: Date, sex: Sex) -> Result<Option<Hetu>, EngineError> {
        let Some(sign) = CenturySign::original_for_year(born.year()) else {
            return Ok(None);
        };
        for _ in 0..TRIES {
            // Odd for men, even for women; 002–899 (900 and above are temporary).
            let mut n = self.rng.random_range(2..=899u16);
            if (n % 2 == 1) != (sex == Sex::Male) {
                n = if n == 899 { 898 } else { n + 1 };
            }
            let Ok(code) = Hetu::new(born, sign, n) else {
                continue;
            };
            if !self.codes.contains(&code)
                && store::person_id_by_hetu(self.snap, &code.to_string())?.is_none()
            {
                self.codes.insert(code);
                return Ok(Some(code));
            }
        }
        Ok(None)
    }

    fn first_name(&mut self, sex: Sex) -> String {
        let names = if sex == Sex::Male {
            &REFERENCE.male
        } else {
            &REFERENCE.female
        };
        names
            .pick(&mut self.rng)
            .cloned()
            .unwrap_or_else(|| "Aino".into())
    }

    fn one(&mut self, kind: Kind) -> Result<Option<RegisterChange>, EngineError> {
        let today = self.today;
        Ok(match kind {
            Kind::Move => match (self.pick(|_, _| true)?, self.home()?) {
                (Some(p), Some(to))
                    if p.permanent_address().is_none_or(|a| {
                        a.period
                            .start
                            .and_then(|s| s.earliest())
                            .is_none_or(|s| s < today)
                    }) =>
                {
                    Some(RegisterChange::Move {
                        hetu: p.hetu,
                        date: today,
                        to,
                    })
                }
                _ => None,
            },
            Kind::Death => {
                // Deaths come mostly late in life: the oldest of a few looked at.
                let mut oldest: Option<Person> = None;
                for _ in 0..5 {
                    if let Some(p) = self.pick(|_, _| true)? {
                        self.used.remove(&p.id.0);
                        if oldest.as_ref().is_none_or(|o| p.birth.date < o.birth.date) {
                            oldest = Some(p);
                        }
                    }
                }
                oldest.map(|p| {
                    self.used.insert(p.id.0);
                    RegisterChange::Death {
                        hetu: p.hetu,
                        date: today,
                    }
                })
            }
            Kind::Birth => {
                let mother = self.pick(|p, today| {
                    p.sex == Sex::Female
                        && (18..=45).contains(&p.birth.date.years_until(today))
                        && p.residence.is_some()
                })?;
                let Some(mother) = mother else {
                    return Ok(None);
                };
                let father = spouse(&mother).and_then(|id| {
                    let f = PERSONS.get(self.snap, id).ok().flatten()?;
                    (!f.is_dead() && !self.used.contains(&id)).then_some(f)
                });
                if let Some(f) = &father {
                    self.used.insert(f.id.0);
                }
                let sex = if self.rng.random_bool(0.51) {
                    Sex::Male
                } else {
                    Sex::Female
                };
                let born = today.add_days(-self.rng.random_range(0..7));
                let Some(hetu) = self.code(born, sex)? else {
                    return Ok(None);
                };
                let first = self.first_name(sex);
                let second = self.first_name(sex);
                Some(RegisterChange::Birth {
                    hetu,
                    surname: mother.names.surname.clone(),
                    first_names: format!("{first} {second}"),
                    sex,
                    mother: mother.hetu,
                    father: father.map(|f| f.hetu),
                })
            }
            Kind::Name => {
                let surname = REFERENCE.surnames.pick(&mut self.rng).cloned();
                match (self.pick(|_, _| true)?, surname) {
                    (Some(p), Some(s)) if s != p.names.surname => {
                        Some(RegisterChange::NameChange {
                            hetu: p.hetu,
                            date: today,
                            surname: Some(s),
                            first_names: None,
                        })
                    }
                    _ => None,
                }
            }
            Kind::Marriage => {
                let single = |sex: Sex| {
                    move |p: &Person, today: Date| {
                        p.sex == sex
                            && p.birth.date.years_until(today) >= 20
                            && spouse(p).is_none()
                            && p.marital_status != MaritalStatus::Married
                    }
                };
                let a = self.pick(single(Sex::Male))?;
                let b = self.pick(single(Sex::Female))?;
                match (a, b) {
                    (Some(a), Some(b)) => Some(RegisterChange::Marriage {
                        a: a.hetu,
                        b: b.hetu,
                        date: today,
                        b_takes_surname: self.rng.random_bool(0.5),
                    }),
                    _ => None,
                }
            }
            Kind::Divorce => {
                let Some(p) = self.pick(|p, _| spouse(p).is_some())? else {
                    return Ok(None);
                };
                let other = spouse(&p).and_then(|id| PERSONS.get(self.snap, id).ok().flatten());
                match other {
                    Some(o) if !o.is_dead() && self.used.insert(o.id.0) => {
                        Some(RegisterChange::Divorce {
                            a: p.hetu,
                            b: o.hetu,
                            date: today,
                        })
                    }
                    _ => None,
                }
            }
            Kind::ProtectionSet => self.pick(|p, today| !p.protected_on(today))?.map(|p| {
                RegisterChange::ProtectionOrderSet {
                    hetu: p.hetu,
                    since: today,
                    ends: None,
                }
            }),
            Kind::ProtectionLifted => self.pick_rare(|p, today| p.protected_on(today))?.map(|p| {
                RegisterChange::ProtectionOrderLifted {
                    hetu: p.hetu,
                    date: today,
                }
            }),
            Kind::Hetu => {
                let Some(p) = self
                    .pick(|p, _| CenturySign::original_for_year(p.birth.date.year()).is_some())?
                else {
                    return Ok(None);
                };
                self.code(p.birth.date, p.sex)?
                    .map(|new| RegisterChange::HetuChanged {
                        old: p.hetu,
                        new,
                        date: today,
                    })
            }
            Kind::Custody => self.custody()?,
            Kind::GuardianAppointed => {
                let adult = |p: &Person, today: Date| {
                    p.birth.date.years_until(today) >= 18 && !under_guardianship(p, today)
                };
                match (self.pick(adult)?, self.pick(adult)?) {
                    (Some(p), Some(g)) => Some(RegisterChange::GuardianAppointed {
                        hetu: p.hetu,
                        guardian: g.hetu,
                        restriction: if self.rng.random_ratio(1, 10) {
                            Restriction::PartlyRestricted
                        } else {
                            Restriction::NotRestricted
                        },
                        date: today,
                    }),
                    _ => None,
                }
            }
            Kind::GuardianshipEnded => {
                self.pick(under_guardianship)?
                    .map(|p| RegisterChange::GuardianshipEnded {
                        hetu: p.hetu,
                        date: today,
                    })
            }
            Kind::BuildingCompleted => self.completed()?,
            Kind::BuildingAltered => match self.building(|b| b.floor_area < 60_000)? {
                Some(b) => Some(RegisterChange::BuildingAltered {
                    building: b.id,
                    figures: self.figures(Some(&b)),
                    date: today,
                }),
                None => None,
            },
            Kind::BuildingDemolished => {
                let snap = self.snap;
                let empty = |b: &Building| {
                    b.completed
                        .and_then(|c| c.latest())
                        .is_none_or(|c| c <= today)
                        && store::resident_ids(snap, b.id.number()).is_ok_and(|r| r.is_empty())
                };
                let lived_in = std::mem::take(&mut self.lived_in);
                let picked = self.building(|b| !lived_in.contains(&b.id.number()) && empty(b));
                self.lived_in = lived_in;
                picked?
                    .inspect(|b| {
                        self.demolished.insert(b.id.number());
                    })
                    .map(|b| RegisterChange::BuildingDemolished {
                        building: b.id,
                        reason: if self.rng.random_ratio(1, 8) {
                            DemolitionReason::Fire
                        } else {
                            DemolitionReason::Demolished
                        },
                        date: today,
                    })
            }
            Kind::DwellingAdded => self.dwelling_added()?,
            Kind::PropertyDivided => {
                let Some(unit) = self.unit(|p| !p.id.is_parcel() && p.area_m2 >= 1_200)? else {
                    return Ok(None);
                };
                let Some(new) = self.unit_id(unit.id)? else {
                    return Ok(None);
                };
                let share = self.rng.random_range(20..=45);
                // A unit of several buildings gives the last one to the new unit.
                let buildings = match unit.buildings.as_slice() {
                    [_, .., last] => vec![*last],
                    _ => Vec::new(),
                };
                Some(RegisterChange::PropertyDivided {
                    unit: unit.id,
                    new,
                    name: format!("{} {}", unit.name, new.unit()),
                    area_m2: unit.area_m2 * share / 100,
                    buildings,
                    date: today,
                })
            }
            Kind::PropertyMerged => self.merger()?,
            Kind::Owner => {
                let Some(unit) = self.unit(|p| !p.id.is_parcel())? else {
                    return Ok(None);
                };
                let buyer = |p: &Person, today: Date| p.birth.date.years_until(today) >= 20;
                let Some(a) = self.pick(buyer)? else {
                    return Ok(None);
                };
                let partner = spouse(&a).and_then(|id| {
                    let s = PERSONS.get(self.snap, id).ok().flatten()?;
                    (!s.is_dead() && !self.used.contains(&id)).then_some(s)
                });
                let owners = match partner {
                    Some(s) if unit.owners.len() != 2 => {
                        self.used.insert(s.id.0);
                        vec![
                            NewOwner::Person {
                                hetu: a.hetu,
                                share: (1, 2),
                            },
                            NewOwner::Person {
                                hetu: s.hetu,
                                share: (1, 2),
                            },
                        ]
                    }
                    _ => vec![NewOwner::Person {
                        hetu: a.hetu,
                        share: (1, 1),
                    }],
                };
                Some(RegisterChange::OwnerChanged {
                    property: unit.id,
                    owners,
                    date: today,
                })
            }
        })
    }

    /// Custody of a minor: of two custodians, one keeps it (a decision after a separation);
    /// of one, the other parent is given it too.
    fn custody(&mut self) -> Result<Option<RegisterChange>, EngineError> {
        let minor = self.pick(|p, today| {
            p.birth.date.years_until(today) < 18
                && p.birth.date < today
                && !open_custodians(p).is_empty()
        })?;
        let Some(minor) = minor else {
            return Ok(None);
        };
        let now = open_custodians(&minor);
        let living = |id: u64, planner: &Planner<'_>| -> Option<Person> {
            let p = PERSONS.get(planner.snap, id).ok().flatten()?;
            (!p.is_dead() && p.birth.date.years_until(planner.today) >= 18).then_some(p)
        };
        let custodians = match now.as_slice() {
            [a, b] => {
                let keep = if self.rng.random_bool(0.5) { a } else { b };
                vec![living(*keep, self)]
            }
            [a] => {
                let other = minor.relations.iter().find_map(|r| match r {
                    Relation::Parent { other, .. } if other.0 != *a => Some(other.0),
                    _ => None,
                });
                match other {
                    Some(o) => vec![living(*a, self), living(o, self)],
                    None => return Ok(None),
                }
            }
            _ => return Ok(None),
        };
        let Some(custodians) = custodians.into_iter().collect::<Option<Vec<Person>>>() else {
            return Ok(None);
        };
        // The custodians' own records change too: no other change of the plan may touch them.
        if custodians.iter().any(|c| self.used.contains(&c.id.0)) {
            return Ok(None);
        }
        self.used.extend(custodians.iter().map(|c| c.id.0));
        self.used.extend(now.iter().copied());
        Ok(Some(RegisterChange::CustodyChanged {
            child: minor.hetu,
            custodians: custodians.iter().map(|c| c.hetu).collect(),
            date: self.today,
        }))
    }

    /// A new detached house on the unit of a standing building, on its street.
    fn completed(&mut self) -> Result<Option<RegisterChange>, EngineError> {
        let Some(unit) = self.unit(|p| !p.id.is_parcel())? else {
            return Ok(None);
        };
        let Some(street) = unit
            .buildings
            .first()
            .and_then(|b| BUILDINGS.get(self.snap, b.number()).ok().flatten())
            .and_then(|b| b.addresses.into_iter().next())
        else {
            return Ok(None);
        };
        let mut id = None;
        for _ in 0..TRIES {
            let n = self.rng.random_range(BuildingId::FIRST..=BuildingId::LAST);
            if !self.new_buildings.contains(&n) && BUILDINGS.get(self.snap, n)?.is_none() {
                id = BuildingId::from_number(n);
                break;
            }
        }
        let Some(id) = id else {
            return Ok(None);
        };
        self.new_buildings.insert(id.number());
        let figures = self.figures(None);
        Ok(Some(RegisterChange::BuildingCompleted {
            building: NewBuilding {
                id,
                property: unit.id,
                addresses: vec![BuildingAddress {
                    order: 1,
                    number: self.rng.random_range(1..=250).to_string(),
                    ..street
                }],
                coordinates: None,
                use_class: UseClass::Detached,
                figures,
            },
            date: self.today,
        }))
    }

    /// A flat added to a standing block (an attic built), on the staircase of its last one.
    fn dwelling_added(&mut self) -> Result<Option<RegisterChange>, EngineError> {
        let snap = self.snap;
        let Some(b) = self.building(|b| b.dwellings >= 2 && b.dwellings < 500)? else {
            return Ok(None);
        };
        let dwellings = store::dwellings_of(snap, b.id.number())?;
        let Some(last) = dwellings.iter().map(|d| d.label.as_str()).max() else {
            return Ok(None);
        };
        let staircase = last.chars().next().filter(char::is_ascii_uppercase);
        let label = match staircase {
            Some(s) => (1..=999)
                .map(|n| format!("{s} {n}"))
                .find(|l| dwellings.iter().all(|d| &d.label != l)),
            None => None,
        };
        let Some(label) = label else {
            return Ok(None);
        };
        let rooms = self.rng.random_range(1..=4);
        Ok(Some(RegisterChange::DwellingAdded {
            dwelling: NewDwelling {
                building: b.id,
                address_number: 1,
                label,
                kind: DwellingKind::Dwelling,
                floor_area: 25 + u16::from(rooms) * 15,
                rooms,
                kitchen: KitchenKind::Kitchen,
                equipment: Equipment {
                    bath_or_shower: true,
                    wc: true,
                    hot_water: true,
                    ..Equipment::default()
                },
                tenure: Tenure::Rented,
            },
            date: self.today,
        }))
    }

    /// Two units of one municipality with the same owners, merged: an owner of the unit picked
    /// who owns another such unit.
    fn merger(&mut self) -> Result<Option<RegisterChange>, EngineError> {
        let Some(into) = self.unit(|p| !p.id.is_parcel() && !p.owners.is_empty())? else {
            return Ok(None);
        };
        let Some(owner) = into.owners.first() else {
            return Ok(None);
        };
        for thing in store::owned_by(self.snap, &store::owner_key(owner))? {
            let Some(Ok(id)) = thing.strip_prefix("k:").map(str::parse::<PropertyId>) else {
                continue;
            };
            if id == into.id
                || id.is_parcel()
                || id.municipality() != into.id.municipality()
                || self.units_used.contains(&id)
            {
                continue;
            }
            let Some(from) = store::property(self.snap, id)? else {
                continue;
            };
            let parcels = store::parcels_of(self.snap, id)?;
            if from.id == id
                && parcels.is_empty()
                && store::owner_set(&from.owners) == store::owner_set(&into.owners)
            {
                self.units_used.insert(id);
                self.buildings_used
                    .extend(from.buildings.iter().map(|b| b.number()));
                return Ok(Some(RegisterChange::PropertyMerged {
                    into: into.id,
                    from: id,
                    date: self.today,
                }));
            }
        }
        Ok(None)
    }
}

/// Whether `p` is under a guardianship in force on `today`.
fn under_guardianship(p: &Person, today: Date) -> bool {
    p.guardianship.as_ref().is_some_and(|g| {
        g.period
            .end
            .and_then(|e| e.latest())
            .is_none_or(|end| end >= today)
            && g.period
                .start
                .and_then(|s| s.earliest())
                .is_none_or(|s| s < today)
    })
}

/// The ids of `p`'s custodians now.
fn open_custodians(p: &Person) -> Vec<u64> {
    p.relations
        .iter()
        .filter_map(|r| match r {
            Relation::Custodian { other, period, .. } if period.is_open() => Some(other.0),
            _ => None,
        })
        .collect()
}

/// The current spouse (or partner) of `p`, if any.
fn spouse(p: &Person) -> Option<u64> {
    p.relations.iter().find_map(|r| match r {
        Relation::Spouse {
            other,
            end_way: None,
            ..
        } => Some(other.0),
        _ => None,
    })
}

/// Plans `count` changes numbered from `first_seq`, recorded at `recorded`, against the
/// register in `snap` (fewer when the register has too few of a kind: a change that finds no
/// one is left out).
pub(crate) fn plan(
    snap: &OperatorSnapshot,
    rng: ChaCha8Rng,
    count: usize,
    first_seq: u64,
    recorded: Timestamp,
) -> Result<Vec<ChangeEvent>, EngineError> {
    let Some(persons) = PERSONS.open(snap)? else {
        return Ok(Vec::new());
    };
    let person_ids = match (persons.first()?, persons.last()?) {
        (Some(a), Some(b)) => (a.0.value(), b.0.value()),
        _ => return Ok(Vec::new()),
    };
    let buildings = match BUILDINGS.open(snap)? {
        Some(t) => match (t.first()?, t.last()?) {
            (Some(a), Some(b)) => (a.0.value(), b.0.value()),
            _ => return Ok(Vec::new()),
        },
        None => return Ok(Vec::new()),
    };
    let mut planner = Planner {
        snap,
        rng,
        today: recorded.date_in_finland(),
        persons,
        person_ids,
        buildings,
        used: HashSet::new(),
        codes: HashSet::new(),
        buildings_used: HashSet::new(),
        units_used: HashSet::new(),
        lived_in: HashSet::new(),
        demolished: HashSet::new(),
        new_buildings: HashSet::new(),
        new_units: HashSet::new(),
    };
    let total: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut out = Vec::with_capacity(count);
    let mut seq = first_seq;
    for _ in 0..count {
        let mut roll = planner.rng.random_range(0..total);
        let kind = MIX
            .iter()
            .find(|(_, w)| {
                if roll < *w {
                    true
                } else {
                    roll -= w;
                    false
                }
            })
            .map_or(Kind::Move, |(k, _)| *k);
        if let Some(change) = planner.one(kind)? {
            out.push(ChangeEvent {
                seq,
                recorded,
                change,
            });
            seq += 1;
        }
    }
    Ok(out)
}
