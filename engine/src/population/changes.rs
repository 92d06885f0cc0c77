//! A realistic stream of register changes for an existing register, as the population
//! information system would send it: Finland's yearly volumes in proportion (about 850,000
//! moves, 61,000 deaths, 43,000 births, 45,000 name changes, 22,000 marriages, 12,000
//! divorces, a few thousand protection orders and identity-code changes), drawn from the
//! register as it stands: movers, the dying, mothers and couples are living persons of the
//! register, homes are its dwellings. Deterministic from the seed and the register. The plan
//! is applied by the engine's feed and never leaves it: it holds register data.

use super::reference::REFERENCE;
use crate::error::EngineError;
use crate::store::{self, BUILDINGS, OperatorSnapshot, PERSONS};
use domain::changes::{ChangeEvent, NewHome, RegisterChange};
use domain::codes::{MaritalStatus, Sex};
use domain::hetu::CenturySign;
use domain::model::{Person, Relation};
use domain::{Date, Hetu, Timestamp};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use redb::ReadableTable;
use std::collections::HashSet;

/// The kinds in proportion to their yearly volume (per mille of all changes).
const MIX: [(Kind, u32); 9] = [
    (Kind::Move, 815),
    (Kind::Death, 59),
    (Kind::Birth, 41),
    (Kind::Name, 43),
    (Kind::Marriage, 21),
    (Kind::Divorce, 12),
    (Kind::ProtectionSet, 5),
    (Kind::ProtectionLifted, 2),
    (Kind::Hetu, 2),
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
}

/// How many persons to look at for one change before giving it up (a register with few of
/// the kind sought, e.g. no protected person to lift an order from).
const TRIES: usize = 40;

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
}

impl Planner<'_> {
    fn pick(
        &mut self,
        fits: impl Fn(&Person, Date) -> bool,
    ) -> Result<Option<Person>, EngineError> {
        for _ in 0..TRIES {
            let from = self.rng.random_range(self.person_ids.0..=self.person_ids.1);
            let Some(item) = self.persons.range(from..)?.next() else {
                continue;
            };
            let (key, value) = item?;
            let id = key.value();
            if self.used.contains(&id) {
                continue;
            }
            let p = PERSONS.decode(value.value())?;
            if !p.is_dead() && fits(&p, self.today) {
                self.used.insert(id);
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
            let from = self.rng.random_range(self.buildings.0..=self.buildings.1);
            let Some(item) = table.range(from..)?.next() else {
                continue;
            };
            let (key, value) = item?;
            let b = BUILDINGS.decode(value.value())?;
            let (Some(address), None) = (b.addresses.first(), &b.demolition) else {
                continue;
            };
            let dwellings = store::dwellings_of(self.snap, key.value())?;
            if dwellings.is_empty() {
                continue;
            }
            let d = &dwellings[self.rng.random_range(0..dwellings.len())];
            return Ok(Some(NewHome::Dwelling {
                building: b.id,
                address_number: address.order,
                dwelling: d.label.clone(),
            }));
        }
        Ok(None)
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
            Kind::ProtectionLifted => self.pick(|p, today| p.protected_on(today))?.map(|p| {
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
        })
    }
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
