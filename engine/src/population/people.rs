//! Persons and households: age, sex, names from the public name statistics, identity codes,
//! language by the municipality's language status, marriages, children, custody, the widowed
//! and the divorced, adult children living elsewhere, guardianship, powers of attorney, bans
//! and protection orders at realistic rates. Every relation is written on both sides.

use super::places::{self, Counters, MunicipalityPlan, Places};
use super::reference::REFERENCE;
use super::writer::Writer;
use super::{AddressSample, FlatSample, GenerateOptions, NameSample, Samples, Summary};
use crate::error::EngineError;
use domain::codes::{
    AddressKind, CustodianKind, MaritalStatus, MarriageEnd, MarriageStart, NameChangeWay, NameKind,
    Religion, Restriction, Sex,
};
use domain::model::{
    AddressPlace, AddressRecord, Bans, Birth, Building, Citizenship, Dwelling, FormerName,
    Guardian, GuardianParty, Guardianship, HomeMunicipality, Names, Owner, PartialDate,
    PassiveHetu, Period, Person, PowerOfAttorney, Property, ProtectionOrder, Relation, Residence,
};
use domain::screen::PersonId;
use domain::{CenturySign, Date, Hetu};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};

pub(crate) struct Chunk {
    pub persons: Vec<Person>,
    pub buildings: Vec<domain::model::Building>,
    pub dwellings: Vec<domain::model::Dwelling>,
    pub properties: Vec<domain::model::Property>,
}

pub(crate) struct World {
    seed: u64,
    today: Date,
    codes: HashSet<u64>,
    next_person: u64,
    next_satu: u32,
    counters: Counters,
    samples: Samples,
    /// How many buildings have each (street, number), while looking for shared addresses.
    addresses_seen: HashMap<(String, String), u32>,
    /// Whether any household so far has a protection order (the demo must show one).
    any_protected: bool,
}

const OCCUPATIONS: &[&str] = &[
    "sairaanhoitaja",
    "opettaja",
    "myyjä",
    "insinööri",
    "lähihoitaja",
    "kirjanpitäjä",
    "ohjelmistokehittäjä",
    "kuljettaja",
    "siivooja",
    "rakennusmies",
    "yrittäjä",
    "eläkeläinen",
    "opiskelija",
    "lääkäri",
    "poliisi",
    "kokki",
    "asentaja",
    "maanviljelijä",
];

/// Packs a code for the uniqueness set (the sign is part of identity).
/// A protected household's contact address: a PO box at a large town's post office other than
/// the household's own, as people under a protection order choose one that does not give away
/// where they live. `number` (the box) also picks the town and its postal code, so the address
/// costs the generator one draw.
fn contact_address(number: u32, plan: &MunicipalityPlan, home: &AddressPlace) -> AddressPlace {
    // Helsinki, Tampere, Turku, Oulu, Jyväskylä, Kuopio.
    const TOWNS: [&str; 6] = ["091", "837", "853", "564", "179", "297"];
    let mut home_parts = home.location_parts();
    home_parts.push(plan.name_fi.to_uppercase());
    let own = plan.code.to_string();
    let n = number as usize;
    (0..TOWNS.len())
        .map(|i| TOWNS[(n + i) % TOWNS.len()])
        .filter(|town| **town != own)
        .filter_map(|town| {
            let codes = REFERENCE.postal.get(town)?;
            let p = codes.get(n % codes.len().max(1))?;
            Some(AddressPlace::Domestic {
                street: format!("PL {number}"),
                dwelling: String::new(),
                postal_code: p.code.clone(),
                post_office_fi: p.office_fi.clone(),
                post_office_sv: p.office_sv.clone(),
            })
        })
        .find(|c| {
            !c.location_parts()
                .iter()
                .any(|part| home_parts.contains(part))
        })
        .unwrap_or_else(|| AddressPlace::Domestic {
            street: format!("PL {number}"),
            dwelling: String::new(),
            postal_code: "00101".into(),
            post_office_fi: "HELSINKI".into(),
            post_office_sv: "HELSINGFORS".into(),
        })
}

fn packed(h: &Hetu) -> u64 {
    let days = (h.birth_date().days_since_epoch() + 100_000) as u64;
    (days << 16) | ((h.sign() as u64) << 10) | u64::from(h.individual_number())
}

/// Household member being planned: birth date, sex, role.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Adult,
    Child,
}

impl World {
    pub(crate) fn new(options: &GenerateOptions) -> World {
        World {
            seed: options.seed,
            today: options.today,
            codes: HashSet::with_capacity(options.persons as usize + options.persons as usize / 8),
            next_person: 0,
            next_satu: 10_000_001,
            counters: Counters {
                buildings: 0,
                companies: 0,
            },
            samples: Samples::default(),
            addresses_seen: HashMap::new(),
            any_protected: false,
        }
    }

    /// A unique, scattered person id: an odd multiplier is a bijection of u64.
    fn person_id(&mut self) -> PersonId {
        self.next_person += 1;
        PersonId((self.next_person ^ self.seed.rotate_left(17)).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn date_between(rng: &mut ChaCha8Rng, from: Date, to: Date) -> Date {
        let (a, b) = (from.days_since_epoch(), to.days_since_epoch());
        Date::from_days_since_epoch(if b > a { rng.random_range(a..=b) } else { a })
    }

    fn born_aged(&self, rng: &mut ChaCha8Rng, min: i32, max: i32) -> Date {
        let age = rng.random_range(min..=max);
        let latest = self.today.add_days(-i64::from(age) * 365 - 1);
        Self::date_between(rng, latest.add_days(-364), latest)
    }

    fn hetu(&mut self, rng: &mut ChaCha8Rng, born: Date, sex: Sex) -> Result<Hetu, EngineError> {
        let original = CenturySign::original_for_year(born.year())
            .ok_or_else(|| EngineError::Storage(format!("no century sign for {born}")))?;
        for attempt in 0..2_000 {
            // The 2023 signs are issued only when a day's numbers run out; show a few anyway.
            let sign = if attempt > 400 || rng.random_ratio(1, 400) {
                match original {
                    CenturySign::Minus => *[CenturySign::Y, CenturySign::X, CenturySign::W]
                        .choose(rng)
                        .unwrap_or(&original),
                    CenturySign::A => *[CenturySign::B, CenturySign::C]
                        .choose(rng)
                        .unwrap_or(&original),
                    other => other,
                }
            } else {
                original
            };
            let n = rng.random_range(1u16..=449) * 2 + u16::from(sex == Sex::Male);
            if n > 899 {
                continue;
            }
            let h = Hetu::new(born, sign, n).map_err(|e| EngineError::Storage(e.to_string()))?;
            if self.codes.insert(packed(&h)) {
                return Ok(h);
            }
        }
        Err(EngineError::Storage(format!(
            "no free identity code on {born}"
        )))
    }

    fn first_names(rng: &mut ChaCha8Rng, sex: Sex) -> String {
        let list = if sex == Sex::Male {
            &REFERENCE.male
        } else {
            &REFERENCE.female
        };
        let count = match rng.random_range(0..10) {
            0 => 1,
            1..=6 => 2,
            _ => 3,
        };
        let mut names: Vec<&str> = Vec::new();
        while names.len() < count {
            let Some(n) = list.pick(rng) else { break };
            if !names.contains(&n.as_str()) {
                names.push(n);
            }
            if list.len() < 4 {
                break;
            }
        }
        names.join(" ")
    }

    /// A person with everything that does not depend on the household.
    fn person(
        &mut self,
        rng: &mut ChaCha8Rng,
        plan: &MunicipalityPlan,
        born: Date,
        sex: Sex,
        surname: &str,
        language: &str,
    ) -> Result<Person, EngineError> {
        let id = self.person_id();
        let hetu = self.hetu(rng, born, sex)?;
        let mut hetu_history = Vec::new();
        if rng.random_ratio(1, 1000) {
            let old = self.hetu(rng, born, sex)?;
            hetu_history.push(PassiveHetu {
                hetu: old,
                passivated: Self::date_between(rng, born, self.today),
            });
        }
        let satu = if rng.random_bool(0.4) {
            let n = self.next_satu;
            self.next_satu += 1;
            domain::Satu::from_number(n)
        } else {
            None
        };
        let first_names = Self::first_names(rng, sex);
        let email = (born.years_until(self.today) >= 16 && rng.random_bool(0.3)).then(|| {
            let first = domain::model::normalise_name(first_names.split(' ').next().unwrap_or(""));
            let last = domain::model::normalise_name(surname).replace(' ', "");
            format!("{first}.{last}{}@example.fi", rng.random_range(1..99))
        });
        let call_name = rng
            .random_bool(0.3)
            .then(|| {
                first_names
                    .split(' ')
                    .nth(rng.random_range(0..2))
                    .map(str::to_owned)
            })
            .flatten();
        let (country, citizenship) = match language {
            "fi" | "sv" | "se" => (
                246,
                vec![Citizenship {
                    country: 246,
                    acquired: None,
                }],
            ),
            other => {
                let origin = match other {
                    "ru" => 643,
                    "et" => 233,
                    "ar" => 368,
                    "so" => 706,
                    "fa" => 364,
                    "uk" => 804,
                    "zh" => 156,
                    "vi" => 704,
                    _ => 826,
                };
                let mut c = vec![Citizenship {
                    country: origin,
                    acquired: Some(PartialDate::Day(born)),
                }];
                if rng.random_bool(0.45) {
                    let year = (born.year() + 20).min(self.today.year());
                    c.push(Citizenship {
                        country: 246,
                        acquired: Some(PartialDate::Year(year)),
                    });
                }
                (origin, c)
            }
        };
        let age = born.years_until(self.today);
        let bans = Bans {
            direct_marketing: rng.random_ratio(5, 100),
            contact_details: rng.random_ratio(4, 100),
            customer_register: rng.random_ratio(2, 100),
            genealogy: rng.random_ratio(2, 100),
            directories: rng.random_ratio(25, 1000),
        };
        let religion = match rng.random_range(0..1000) {
            0..=629 => Religion::Lutheran,
            630..=640 => Religion::Orthodox,
            641..=655 => Religion::Other,
            _ => Religion::None,
        };
        Ok(Person {
            id,
            hetu,
            hetu_history,
            satu,
            names: Names {
                surname: surname.to_owned(),
                first_names,
                call_name,
                middle_name: None,
                history: Vec::new(),
            },
            sex,
            birth: Birth {
                date: born,
                country,
                municipality: (country == 246).then(|| plan.code.to_string()),
                foreign_place: (country != 246).then(|| domain::codes::country(country).text.fi),
            },
            death: None,
            declared_dead: None,
            mother_tongue: language.to_owned(),
            service_language: (!matches!(language, "fi" | "sv")).then(|| "fi".to_owned()),
            citizenships: citizenship,
            home_municipalities: Vec::new(),
            addresses: Vec::new(),
            residence: None,
            voting_district: None,
            marital_status: if age < 18 {
                MaritalStatus::Unmarried
            } else {
                MaritalStatus::Unknown
            },
            relations: Vec::new(),
            taken_into_care: None,
            guardianship: None,
            power_of_attorney: None,
            bans,
            protection_order: None,
            occupation: (18..68)
                .contains(&age)
                .then(|| OCCUPATIONS.choose(rng).map(|s| (*s).to_owned()))
                .flatten(),
            email,
            religion: Some(religion),
            absence: None,
        })
    }

    fn language(rng: &mut ChaCha8Rng, plan: &MunicipalityPlan) -> &'static str {
        let other_share = if plan.urban { 0.12 } else { 0.04 };
        let x: f64 = rng.random();
        if x < plan.swedish_share {
            "sv"
        } else if x < plan.swedish_share + other_share {
            [
                "ru", "et", "ar", "en", "so", "fa", "uk", "zh", "vi", "ku", "sq",
            ][rng.random_range(0..11)]
        } else if rng.random_ratio(1, 500) {
            "se"
        } else {
            "fi"
        }
    }

    fn marry(
        persons: &mut [Person],
        a: usize,
        b: usize,
        start: Date,
        ordinal: u8,
        end: Option<(MarriageEnd, Date)>,
        church: bool,
    ) {
        let partnership = persons[a].sex == persons[b].sex && start.year() < 2017;
        let start_way = if partnership {
            MarriageStart::PartnershipRegistered
        } else if church {
            MarriageStart::Church
        } else {
            MarriageStart::Civil
        };
        let period = match end {
            Some((_, e)) => Period::between(start, e),
            None => Period::from(start),
        };
        for (x, y) in [(a, b), (b, a)] {
            let other = persons[y].id;
            persons[x].relations.push(Relation::Spouse {
                other,
                ordinal,
                partnership,
                start_way,
                end_way: end.map(|e| e.0),
                period,
            });
        }
    }

    fn parent_child(
        persons: &mut [Person],
        parent: usize,
        child: usize,
        custody: bool,
        today: Date,
    ) {
        let adopted = persons[child].hetu.individual_number().is_multiple_of(211);
        let born = persons[child].birth.date;
        let (p, c) = (persons[parent].id, persons[child].id);
        persons[parent].relations.push(Relation::Child {
            other: c,
            adopted,
            period: Period::from(born),
        });
        persons[child].relations.push(Relation::Parent {
            other: p,
            adopted,
            period: Period::from(born),
        });
        if custody && born.years_until(today) < 18 {
            let period = Period::from(born);
            persons[child].relations.push(Relation::Custodian {
                other: p,
                kind: CustodianKind::Parent,
                division: None,
                period,
            });
            persons[parent].relations.push(Relation::Dependant {
                other: c,
                kind: CustodianKind::Parent,
                division: None,
                period,
            });
        }
    }

    /// One municipality's places and people.
    pub(crate) fn municipality(&mut self, plan: &MunicipalityPlan) -> Result<Chunk, EngineError> {
        let mut rng = ChaCha8Rng::seed_from_u64(
            self.seed ^ (plan.index as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407),
        );
        let today = self.today;
        // Households first: their sizes decide how many dwellings are needed.
        let mut households: Vec<Vec<(Date, Sex, Role)>> = Vec::new();
        let mut planned = 0u64;
        let abroad = plan.persons / 100;
        while planned + abroad < plan.persons {
            let roll = rng.random_range(0..100);
            let sex = if rng.random_bool(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            let other = if rng.random_ratio(1, 100) {
                sex
            } else if sex == Sex::Male {
                Sex::Female
            } else {
                Sex::Male
            };
            let mut h = Vec::new();
            if roll < 40 {
                let age_roll = rng.random_range(0..10);
                let (min, max) = if age_roll < 4 {
                    (18, 35)
                } else if age_roll < 7 {
                    (36, 64)
                } else {
                    (65, 98)
                };
                h.push((self.born_aged(&mut rng, min, max), sex, Role::Adult));
            } else if roll < 67 {
                let a = self.born_aged(&mut rng, 24, 88);
                let b_age = (a.years_until(today) + rng.random_range(-4..=4)).clamp(20, 95);
                h.push((a, sex, Role::Adult));
                h.push((self.born_aged(&mut rng, b_age, b_age), other, Role::Adult));
            } else {
                let single = roll >= 95;
                let a = self.born_aged(&mut rng, 26, 54);
                h.push((a, sex, Role::Adult));
                if !single {
                    let b_age = (a.years_until(today) + rng.random_range(-4..=4)).clamp(22, 60);
                    h.push((self.born_aged(&mut rng, b_age, b_age), other, Role::Adult));
                }
                let eldest_max = (a.years_until(today) - 20).clamp(0, 22);
                for _ in 0..rng.random_range(1..=3) {
                    h.push((
                        self.born_aged(&mut rng, 0, eldest_max),
                        if rng.random_bool(0.5) {
                            Sex::Male
                        } else {
                            Sex::Female
                        },
                        Role::Child,
                    ));
                }
            }
            let room = (plan.persons - abroad - planned) as usize;
            h.truncate(room);
            planned += h.len() as u64;
            households.push(h);
        }
        let Places {
            mut buildings,
            dwellings,
            mut properties,
            mut homes,
        } = places::build(
            plan,
            households.len() as u64,
            &mut rng,
            &mut self.counters,
            self.seed,
            today,
        );
        // Households move into dwellings scattered over the town, so that the fifth left over
        // is empty flats here and there and empty houses, as in Finland, not whole buildings
        // at the end of the street: an empty flat or house must not stand out (a protected
        // household's home looks empty to whoever may not see them). Its own generator, so
        // the rest of the register is drawn as before.
        homes.shuffle(&mut ChaCha8Rng::seed_from_u64(
            self.seed ^ (plan.index as u64 + 1).wrapping_mul(0x5851_F42D_4C95_7F2D),
        ));
        let building_at: HashMap<domain::BuildingId, usize> = buildings
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id, i))
            .collect();
        let property_at: HashMap<domain::PropertyId, usize> = properties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id, i))
            .collect();

        let mut persons: Vec<Person> =
            Vec::with_capacity(plan.persons as usize + plan.persons as usize / 10);
        let mut divorced_pool: Vec<usize> = Vec::new();
        let mut by_birth_year: HashMap<i32, Vec<usize>> = HashMap::new();
        let mut older: Vec<Vec<usize>> = Vec::new();
        let protect_household = |rng: &mut ChaCha8Rng| rng.random_ratio(1, 1000);
        for (hi, members) in households.iter().enumerate() {
            let Some(&dwelling_index) = homes.get(hi % homes.len().max(1)) else {
                break;
            };
            let dwelling = &dwellings[dwelling_index];
            let b = &buildings[building_at[&dwelling.building]];
            let address = &b.addresses[0];
            let surname = REFERENCE
                .surnames
                .pick(&mut rng)
                .cloned()
                .unwrap_or_else(|| "Virtanen".into());
            let language = Self::language(&mut rng, plan);
            let moved_in = Self::date_between(
                &mut rng,
                b.completed
                    .and_then(|c| c.earliest())
                    .unwrap_or(today)
                    .max(today.add_days(-30 * 365)),
                today.add_days(-7),
            );
            let postal = REFERENCE
                .postal
                .get(&plan.code.to_string())
                .and_then(|v| v.iter().find(|p| p.code == address.postal_code));
            let place = AddressPlace::Domestic {
                street: address.street_line(),
                dwelling: dwelling.label.clone(),
                postal_code: address.postal_code.clone(),
                post_office_fi: postal
                    .map_or_else(|| plan.name_fi.to_uppercase(), |p| p.office_fi.clone()),
                post_office_sv: postal
                    .map_or_else(|| plan.name_fi.to_uppercase(), |p| p.office_sv.clone()),
            };
            let protected = protect_household(&mut rng) || (!self.any_protected && hi == 3);
            self.any_protected |= protected;
            let contact =
                protected.then(|| contact_address(rng.random_range(1..900), plan, &place));
            let first = persons.len();
            for (born, sex, role) in members {
                // Some spouses took the other's surname at marriage; children take the family's.
                let mut p = self.person(&mut rng, plan, *born, *sex, &surname, language)?;
                let since = moved_in.max(*born);
                p.home_municipalities.push(HomeMunicipality {
                    code: plan.code.to_string(),
                    since,
                });
                if rng.random_ratio(1, 4) && since.year() > born.year() + 18 {
                    p.home_municipalities.insert(
                        0,
                        HomeMunicipality {
                            code: "091".into(),
                            since: since.add_days(-365 * 3),
                        },
                    );
                    p.addresses.push(AddressRecord {
                        kind: AddressKind::Permanent,
                        place: AddressPlace::Domestic {
                            street: "Kaivokatu 1".into(),
                            dwelling: "A 1".into(),
                            postal_code: "00100".into(),
                            post_office_fi: "HELSINKI".into(),
                            post_office_sv: "HELSINGFORS".into(),
                        },
                        period: Period::between(since.add_days(-365 * 3), since.add_days(-1)),
                    });
                }
                p.addresses.push(AddressRecord {
                    kind: AddressKind::Permanent,
                    place: place.clone(),
                    period: Period::from(since),
                });
                if rng.random_ratio(3, 100) {
                    p.addresses.push(AddressRecord {
                        kind: AddressKind::Temporary,
                        place: AddressPlace::Foreign {
                            street: "Calle Mayor 3".into(),
                            place: "Málaga, Espanja".into(),
                            country: 724,
                        },
                        period: Period::between(today.add_days(-90), today.add_days(90)),
                    });
                }
                if rng.random_ratio(2, 100) {
                    // A postal address the person gave, e.g. a PO box at the local post office.
                    p.addresses.push(AddressRecord {
                        kind: AddressKind::Postal,
                        place: AddressPlace::Domestic {
                            street: format!("PL {}", rng.random_range(1..900)),
                            dwelling: String::new(),
                            postal_code: address.postal_code.clone(),
                            post_office_fi: postal.map_or_else(
                                || plan.name_fi.to_uppercase(),
                                |p| p.office_fi.clone(),
                            ),
                            post_office_sv: postal.map_or_else(
                                || plan.name_fi.to_uppercase(),
                                |p| p.office_sv.clone(),
                            ),
                        },
                        period: Period::from(since),
                    });
                }
                p.residence = Some(Residence {
                    building: b.id,
                    address_number: 1,
                    dwelling: dwelling.label.clone(),
                });
                p.voting_district = Some(format!("{:03}", 1 + (b.id.number() % 40)));
                if protected {
                    p.protection_order = Some(ProtectionOrder {
                        since: since.min(today),
                        ends: Some(today.add_days(rng.random_range(30..5 * 365))),
                        contact_address: contact.clone(),
                    });
                }
                if *role == Role::Child && rng.random_ratio(3, 1000) {
                    p.taken_into_care =
                        Some(Period::from(Self::date_between(&mut rng, *born, today)));
                }
                persons.push(p);
            }
            let adults: Vec<usize> = (first..persons.len())
                .filter(|&i| members[i - first].2 == Role::Adult)
                .collect();
            let children: Vec<usize> = (first..persons.len())
                .filter(|&i| members[i - first].2 == Role::Child)
                .collect();
            if let [a, b] = adults[..] {
                if rng.random_bool(0.75) {
                    let young = persons[a].birth.date.max(persons[b].birth.date);
                    let wedding =
                        Self::date_between(&mut rng, young.add_days(20 * 365), today.add_days(-30));
                    let church = rng.random_bool(0.55);
                    Self::marry(&mut persons, a, b, wedding, 1, None, church);
                    persons[a].marital_status = MaritalStatus::Married;
                    persons[b].marital_status = MaritalStatus::Married;
                    let wife = if persons[b].sex == Sex::Female { b } else { a };
                    if persons[a].sex != persons[b].sex && rng.random_bool(0.6) {
                        let husband = if wife == a { b } else { a };
                        let (old, new) = (
                            REFERENCE
                                .surnames
                                .pick(&mut rng)
                                .cloned()
                                .unwrap_or_default(),
                            persons[husband].names.surname.clone(),
                        );
                        let period = Period::between(persons[wife].birth.date, wedding);
                        persons[wife].names.history.push(FormerName {
                            name: old,
                            kind: NameKind::UnmarriedSurname,
                            change_way: Some(NameChangeWay::SpousesName),
                            period,
                        });
                        persons[wife].names.surname = new;
                    }
                } else {
                    persons[a].marital_status = MaritalStatus::Unmarried;
                    persons[b].marital_status = MaritalStatus::Unmarried;
                }
            } else if let [a] = adults[..] {
                let age = persons[a].birth.date.years_until(today);
                persons[a].marital_status = match rng.random_range(0..100) {
                    0..=54 => MaritalStatus::Unmarried,
                    55..=84 => MaritalStatus::Divorced,
                    _ if age >= 55 => MaritalStatus::Widowed,
                    _ => MaritalStatus::Divorced,
                };
                if persons[a].marital_status == MaritalStatus::Divorced {
                    divorced_pool.push(a);
                }
            }
            for &c in &children {
                for &a in &adults {
                    Self::parent_child(&mut persons, a, c, true, today);
                }
            }
            for &a in &adults {
                by_birth_year
                    .entry(persons[a].birth.date.year())
                    .or_default()
                    .push(a);
            }
            if adults
                .iter()
                .any(|&a| persons[a].birth.date.years_until(today) >= 50)
                && children.is_empty()
            {
                older.push(adults.clone());
            }
            // Owners of detached houses are the adults who live there.
            if dwelling.label.is_empty() && !adults.is_empty() {
                let bi = building_at[&b.id];
                let n = adults.len() as u16;
                let owners: Vec<Owner> = adults
                    .iter()
                    .map(|&a| Owner::Person {
                        id: persons[a].id,
                        share: (1, n),
                    })
                    .collect();
                buildings[bi].owners = owners.clone();
                if let Some(&pi) = property_at.get(&buildings[bi].property) {
                    properties[pi].owners = owners;
                }
            }
        }
        // The widowed: a deceased spouse in the register, the marriage ended by death.
        let widowed: Vec<usize> = (0..persons.len())
            .filter(|&i| persons[i].marital_status == MaritalStatus::Widowed)
            .collect();
        for w in widowed {
            let born = persons[w].birth.date;
            let sex = if persons[w].sex == Sex::Male {
                Sex::Female
            } else {
                Sex::Male
            };
            let surname = persons[w].names.surname.clone();
            let dead_born = born
                .add_days(rng.random_range(-1500..1500))
                .min(today.add_days(-365 * 40));
            let tongue = persons[w].mother_tongue.clone();
            let mut dead = self.person(&mut rng, plan, dead_born, sex, &surname, &tongue)?;
            let wedding = born.add_days(rng.random_range(22..35) * 365);
            let died = Self::date_between(&mut rng, wedding.add_days(365), today.add_days(-30));
            dead.death = Some(PartialDate::Day(died));
            dead.home_municipalities.push(HomeMunicipality {
                code: plan.code.to_string(),
                since: wedding,
            });
            dead.marital_status = MaritalStatus::Married;
            dead.occupation = None;
            dead.email = None;
            persons.push(dead);
            let d = persons.len() - 1;
            Self::marry(
                &mut persons,
                w,
                d,
                wedding,
                1,
                Some((MarriageEnd::SpouseDied, died)),
                true,
            );
        }
        // The divorced: pair some of them up as each other's former spouse.
        divorced_pool.sort_by_key(|&i| (persons[i].sex as u8, persons[i].birth.date));
        let (men, women): (Vec<usize>, Vec<usize>) = divorced_pool
            .iter()
            .partition(|&&i| persons[i].sex == Sex::Male);
        for (&m, &w) in men.iter().zip(women.iter()) {
            if rng.random_bool(0.5) {
                let young = persons[m].birth.date.max(persons[w].birth.date);
                let wedding =
                    Self::date_between(&mut rng, young.add_days(20 * 365), today.add_days(-800));
                let divorce =
                    Self::date_between(&mut rng, wedding.add_days(365), today.add_days(-30));
                Self::marry(
                    &mut persons,
                    m,
                    w,
                    wedding,
                    1,
                    Some((MarriageEnd::Divorce, divorce)),
                    false,
                );
            }
        }
        // Adult children who live elsewhere: born 20–40 years after the younger parent.
        let mut has_parents: HashSet<usize> = (0..persons.len())
            .filter(|&i| {
                persons[i]
                    .relations
                    .iter()
                    .any(|r| matches!(r, Relation::Parent { .. }))
            })
            .collect();
        for parents in older {
            let youngest = parents
                .iter()
                .map(|&p| persons[p].birth.date.year())
                .max()
                .unwrap_or(1950);
            let wanted = rng.random_range(0..=3);
            let mut found = 0;
            for _ in 0..12 {
                if found >= wanted {
                    break;
                }
                let year = youngest + rng.random_range(20..=40);
                let Some(candidates) = by_birth_year.get(&year) else {
                    continue;
                };
                let Some(&c) = candidates.choose(&mut rng) else {
                    continue;
                };
                if has_parents.contains(&c) || parents.contains(&c) {
                    continue;
                }
                for &p in &parents {
                    Self::parent_child(&mut persons, p, c, false, today);
                }
                has_parents.insert(c);
                found += 1;
            }
        }
        // Guardianship and continuing powers of attorney for some of the elderly.
        for person in &mut persons {
            let age = person.birth.date.years_until(today);
            if person.death.is_some() || age < 70 {
                continue;
            }
            let child = person.relations.iter().find_map(|r| match r {
                Relation::Child { other, .. } => Some(*other),
                _ => None,
            });
            if age >= 75 && rng.random_ratio(1, 200) {
                let start =
                    Self::date_between(&mut rng, today.add_days(-3650), today.add_days(-30));
                let party = match child {
                    Some(c) if rng.random_bool(0.5) => GuardianParty::Person(c),
                    _ => GuardianParty::LegalAidOffice {
                        number: format!("{:06}", 100_000 + plan.index * 7),
                        name_fi: format!("{} oikeusaputoimisto", plan.name_fi),
                        name_sv: format!("Rättshjälpsbyrån i {}", plan.name_fi),
                    },
                };
                person.guardianship = Some(Guardianship {
                    period: Period::from(start),
                    restriction: if rng.random_ratio(1, 10) {
                        Restriction::PartlyRestricted
                    } else {
                        Restriction::NotRestricted
                    },
                    tasks_divided: false,
                    guardians: vec![Guardian {
                        party,
                        period: Period::from(start),
                    }],
                });
            } else if let Some(c) = child.filter(|_| rng.random_ratio(1, 150)) {
                let start =
                    Self::date_between(&mut rng, today.add_days(-2000), today.add_days(-30));
                person.power_of_attorney = Some(PowerOfAttorney {
                    period: Period::from(start),
                    tasks_divided: false,
                    attorneys: vec![(c, Period::from(start))],
                });
            }
        }
        // Finns abroad: home municipality 200, a foreign permanent address, no residence here.
        for _ in 0..abroad {
            let sex = if rng.random_bool(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            let born = self.born_aged(&mut rng, 20, 80);
            let surname = REFERENCE
                .surnames
                .pick(&mut rng)
                .cloned()
                .unwrap_or_default();
            let mut p = self.person(&mut rng, plan, born, sex, &surname, "fi")?;
            let since = Self::date_between(&mut rng, born.add_days(20 * 365).min(today), today);
            p.home_municipalities.push(HomeMunicipality {
                code: plan.code.to_string(),
                since: born,
            });
            p.home_municipalities.push(HomeMunicipality {
                code: "200".into(),
                since,
            });
            p.addresses.push(AddressRecord {
                kind: AddressKind::Permanent,
                place: AddressPlace::Foreign {
                    street: "Storgatan 12".into(),
                    place: "Stockholm, Ruotsi".into(),
                    country: 752,
                },
                period: Period::from(since),
            });
            p.absence = Some(domain::codes::Absence::Nordic);
            p.marital_status = MaritalStatus::Unmarried;
            persons.push(p);
        }
        // Holiday homes, saunas and unbuilt units without owners get a random adult owner.
        let adults: Vec<PersonId> = persons
            .iter()
            .filter(|p| p.death.is_none() && p.birth.date.years_until(today) >= 25)
            .map(|p| p.id)
            .collect();
        for b in buildings.iter_mut().filter(|b| b.owners.is_empty()) {
            if let Some(&id) = adults.choose(&mut rng) {
                b.owners.push(Owner::Person { id, share: (1, 1) });
            }
        }
        for p in properties.iter_mut().filter(|p| p.owners.is_empty()) {
            if let Some(&id) = adults.choose(&mut rng) {
                p.owners.push(Owner::Person { id, share: (1, 1) });
            }
        }
        self.collect_samples(&persons);
        self.collect_place_samples(&buildings, &dwellings, &properties);
        Ok(Chunk {
            persons,
            buildings,
            dwellings,
            properties,
        })
    }

    fn collect_samples(&mut self, persons: &[Person]) {
        let s = &mut self.samples;
        for p in persons {
            let original =
                CenturySign::original_for_year(p.birth.date.year()) == Some(p.hetu.sign());
            if s.ordinary.len() < 5
                && p.death.is_none()
                && p.residence.is_some()
                && p.protection_order.is_none()
                && original
                && p.birth.date.years_until(self.today) >= 18
            {
                s.ordinary.push(p.hetu.to_string());
                s.ordinary_names.push(p.full_name());
            }
            if s.protected.len() < 3 && p.protection_order.is_some() && p.residence.is_some() {
                s.protected.push(p.hetu.to_string());
            }
            if s.new_century_sign.len() < 3 && !original {
                s.new_century_sign.push(p.hetu.to_string());
            }
            if s.passive.len() < 3
                && let Some(old) = p.hetu_history.first()
            {
                s.passive.push(old.hetu.to_string());
            }
            if s.deceased.len() < 3 && p.death.is_some() {
                s.deceased.push(p.hetu.to_string());
            }
            let living_adult = p.death.is_none()
                && p.protection_order.is_none()
                && p.birth.date.years_until(self.today) >= 18;
            if s.satu.len() < 3
                && living_adult
                && let Some(satu) = &p.satu
            {
                s.satu.push(satu.to_string());
            }
            if s.names.len() < 3 && living_adult && original {
                s.names.push(NameSample {
                    surname: p.names.surname.clone(),
                    first_names: p.names.first_names.clone(),
                    birth_date: p.birth.date.to_finnish(),
                    municipality: p.home_municipality().unwrap_or_default().to_owned(),
                });
            }
            let parent = p
                .relations
                .iter()
                .any(|r| matches!(r, domain::model::Relation::Child { .. }));
            let married = p
                .relations
                .iter()
                .any(|r| matches!(r, domain::model::Relation::Spouse { end_way: None, .. }));
            if s.families.len() < 3 && living_adult && parent && married && p.residence.is_some() {
                s.families.push(p.hetu.to_string());
            }
            if s.singles.len() < 3
                && living_adult
                && original
                && p.marital_status == domain::codes::MaritalStatus::Unmarried
                && !p
                    .relations
                    .iter()
                    .any(|r| matches!(r, domain::model::Relation::Spouse { .. }))
            {
                s.singles.push(p.hetu.to_string());
            }
            if s.under_guardianship.len() < 3 && p.guardianship.is_some() && p.death.is_none() {
                s.under_guardianship.push(p.hetu.to_string());
            }
        }
    }

    fn collect_place_samples(
        &mut self,
        buildings: &[Building],
        dwellings: &[Dwelling],
        properties: &[Property],
    ) {
        let s = &mut self.samples;
        for d in dwellings.iter().filter(|d| d.label.contains(' ')) {
            if s.flats.len() >= 3 {
                break;
            }
            let Some(b) = buildings.iter().find(|b| b.id == d.building) else {
                continue;
            };
            let Some(a) = b.addresses.iter().find(|a| a.order == d.address_number) else {
                continue;
            };
            s.flats.push(FlatSample {
                street: a.street_fi.clone(),
                house_number: a.number.clone(),
                dwelling: d.label.clone(),
                postal_code: a.postal_code.clone(),
                prt: b.id.to_string(),
            });
        }
        for b in buildings {
            if s.old_building_ids.len() < 3
                && let Some(old) = &b.old_id
            {
                s.old_building_ids.push(old.to_string());
            }
            // Street addresses that more than one building has (in different towns): the
            // address search then lists them. Looked for among the first buildings only, to
            // keep memory flat at Finland scale.
            if s.shared_addresses.len() < 3 && self.addresses_seen.len() < 200_000 {
                for a in &b.addresses {
                    let key = (
                        domain::model::normalise_name(&a.street_fi),
                        a.number.clone(),
                    );
                    let count = self.addresses_seen.entry(key).or_insert(0);
                    *count += 1;
                    if *count == 2 && s.shared_addresses.len() < 3 {
                        s.shared_addresses.push(AddressSample {
                            street: a.street_fi.clone(),
                            house_number: a.number.clone(),
                        });
                    }
                }
            }
        }
        for p in properties {
            if s.parcels.len() < 3 && p.id.is_parcel() {
                s.parcels.push(p.id.to_string());
            }
            if s.properties.len() < 3 && !p.buildings.is_empty() && !p.id.is_parcel() {
                s.properties.push(p.id.to_string());
            }
        }
    }

    pub(crate) fn summary(&self, out: &Writer) -> Summary {
        let mut samples = self.samples.clone();
        if let Ok(day) = Date::new(1970, 1, 1) {
            samples.not_in_register = (2u16..=899)
                .rev()
                .filter_map(|n| Hetu::new(day, CenturySign::Minus, n).ok())
                .find(|h| !self.codes.contains(&packed(h)))
                .map(|h| h.to_string())
                .unwrap_or_default();
        }
        let counts = out.counts();
        Summary {
            persons: counts.0,
            buildings: counts.1,
            dwellings: counts.2,
            properties: counts.3,
            samples,
        }
    }
}
