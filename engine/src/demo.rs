//! The synthetic register: persons with valid identity codes, names and addresses, living in
//! buildings with valid permanent building ids, plus the demo organisations' data permits.
//! Deterministic for a seed. The file is written beside the target and renamed into place, so
//! an interrupted run never leaves a half-written register.

use crate::error::EngineError;
use crate::store::{BUILDINGS, PERMITS, PERSON_BY_HETU, PERSONS, RESIDENTS_BY_BUILDING};
use domain::access::{DataGroup, Permit, Purpose};
use domain::lang::Texts;
use domain::model::{Address, Building, Municipality, Person, Residence, Sex};
use domain::principal::OrgId;
use domain::screen::{CodeValue, PersonId};
use domain::{BuildingId, CenturySign, Date, Hetu};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use redb::Database;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenerateOptions {
    pub persons: u64,
    pub seed: u64,
    /// The register's "today": nobody is born after it.
    pub today: Date,
}

/// Identity codes of a few kinds of generated person, for the README, demos and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Samples {
    pub ordinary: Vec<String>,
    /// The full names of the `ordinary` persons, in the same order.
    pub ordinary_names: Vec<String>,
    pub protected: Vec<String>,
    pub new_century_sign: Vec<String>,
    /// A valid code that belongs to nobody in the register.
    pub not_in_register: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub persons: u64,
    pub buildings: u64,
    pub samples: Samples,
}

struct Place {
    code: &'static str,
    fi: &'static str,
    sv: &'static str,
    postal: &'static [&'static str],
    weight: u32,
}

/// Real municipality numbers, names and postal codes of their centres.
const PLACES: &[Place] = &[
    Place {
        code: "091",
        fi: "Helsinki",
        sv: "Helsingfors",
        postal: &["00100", "00510", "00930"],
        weight: 680,
    },
    Place {
        code: "049",
        fi: "Espoo",
        sv: "Esbo",
        postal: &["02100", "02600", "02230"],
        weight: 310,
    },
    Place {
        code: "837",
        fi: "Tampere",
        sv: "Tammerfors",
        postal: &["33100", "33500"],
        weight: 260,
    },
    Place {
        code: "092",
        fi: "Vantaa",
        sv: "Vanda",
        postal: &["01300", "01600"],
        weight: 250,
    },
    Place {
        code: "564",
        fi: "Oulu",
        sv: "Uleåborg",
        postal: &["90100", "90500"],
        weight: 215,
    },
    Place {
        code: "853",
        fi: "Turku",
        sv: "Åbo",
        postal: &["20100", "20500"],
        weight: 205,
    },
    Place {
        code: "179",
        fi: "Jyväskylä",
        sv: "Jyväskylä",
        postal: &["40100"],
        weight: 148,
    },
    Place {
        code: "398",
        fi: "Lahti",
        sv: "Lahtis",
        postal: &["15100"],
        weight: 121,
    },
    Place {
        code: "297",
        fi: "Kuopio",
        sv: "Kuopio",
        postal: &["70100"],
        weight: 126,
    },
    Place {
        code: "905",
        fi: "Vaasa",
        sv: "Vasa",
        postal: &["65100"],
        weight: 68,
    },
    Place {
        code: "599",
        fi: "Pedersören kunta",
        sv: "Pedersöre",
        postal: &["68820"],
        weight: 11,
    },
    Place {
        code: "478",
        fi: "Maarianhamina",
        sv: "Mariehamn",
        postal: &["22100"],
        weight: 12,
    },
];

const STREETS: &[&str] = &[
    "Mannerheimintie",
    "Hämeenkatu",
    "Kauppakatu",
    "Koulukatu",
    "Rantatie",
    "Kirkkokatu",
    "Puistokatu",
    "Asemakatu",
    "Myllytie",
    "Koivukuja",
    "Pihlajatie",
    "Kalliotie",
    "Rinnetie",
    "Metsätie",
    "Järvenrannantie",
    "Ratakatu",
    "Satamakatu",
    "Urheilutie",
    "Tehtaankatu",
    "Sibeliuksenkatu",
    "Aleksis Kiven katu",
    "Kuusitie",
    "Lehtikuja",
    "Niittytie",
    "Peltotie",
];

const MALE: &[&str] = &[
    "Juhani", "Johannes", "Olavi", "Antero", "Tapani", "Kalevi", "Mikael", "Matti", "Ilmari",
    "Pekka", "Mikko", "Timo", "Jari", "Juha", "Kari", "Ville", "Eino", "Onni", "Leo", "Elias",
    "Oliver", "Väinö", "Aleksi", "Lauri", "Tuomas", "Henrik", "Erik", "Anders",
];
const FEMALE: &[&str] = &[
    "Maria",
    "Helena",
    "Johanna",
    "Anneli",
    "Kaarina",
    "Marjatta",
    "Anna",
    "Liisa",
    "Sofia",
    "Emilia",
    "Aino",
    "Tuula",
    "Päivi",
    "Sari",
    "Anne",
    "Tiina",
    "Eeva",
    "Olivia",
    "Aada",
    "Ellen",
    "Venla",
    "Kristiina",
    "Linnea",
    "Ella",
    "Saara",
    "Ida",
    "Karin",
];
const SURNAMES: &[&str] = &[
    "Korhonen",
    "Virtanen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
    "Lindqvist",
    "Nyström",
    "Holmberg",
    "Söderberg",
    "Wikström",
];

fn texts(fi: &str, sv: &str, en: &str) -> Texts {
    Texts {
        fi: fi.into(),
        sv: sv.into(),
        en: en.into(),
    }
}

fn code_value(code: &str, fi: &str, sv: &str, en: &str) -> CodeValue {
    CodeValue {
        code: code.into(),
        text: texts(fi, sv, en),
    }
}

/// The demo organisations' permits; they match the development identity provider's accounts.
pub fn demo_permits() -> Vec<Permit> {
    use DataGroup::*;
    vec![
        Permit {
            organisation: OrgId("poliisi".into()),
            groups: vec![PersonBasic, PersonAddress, Building, Residents],
            purposes: vec![Purpose::PoliceInvestigation],
            protected_data: true,
            valid_until: None,
            suspended: false,
        },
        Permit {
            organisation: OrgId("espoo".into()),
            groups: vec![PersonBasic, PersonAddress, Building],
            purposes: vec![Purpose::MunicipalTasks],
            protected_data: false,
            valid_until: None,
            suspended: false,
        },
        Permit {
            organisation: OrgId("isannointi-oy".into()),
            groups: vec![Building, Residents],
            purposes: vec![Purpose::PropertyManagement],
            protected_data: false,
            valid_until: None,
            suspended: false,
        },
        Permit {
            organisation: OrgId("dvv".into()),
            groups: vec![PersonBasic, PersonAddress, Building, Residents],
            purposes: vec![Purpose::RegisterMaintenance],
            protected_data: true,
            valid_until: None,
            suspended: false,
        },
    ]
}

struct Dwelling {
    building: usize,
    flat: String,
}

struct Generator {
    rng: ChaCha8Rng,
    today: Date,
    codes: HashSet<Hetu>,
    ids: HashSet<u64>,
}

impl Generator {
    fn weighted_place(&mut self) -> &'static Place {
        let total: u32 = PLACES.iter().map(|p| p.weight).sum();
        let mut pick = self.rng.random_range(0..total);
        for p in PLACES {
            if pick < p.weight {
                return p;
            }
            pick -= p.weight;
        }
        &PLACES[0]
    }

    fn date_between(&mut self, from: Date, to: Date) -> Date {
        let (a, b) = (from.days_since_epoch(), to.days_since_epoch());
        Date::from_days_since_epoch(if b > a {
            self.rng.random_range(a..=b)
        } else {
            a
        })
    }

    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list.choose(&mut self.rng).copied().unwrap_or("")
    }

    /// A unique identity code; about 1 in 200 gets one of the 2023 century signs.
    fn hetu(&mut self, born: Date, sex: Sex) -> Result<Hetu, EngineError> {
        let original = CenturySign::original_for_year(born.year())
            .ok_or_else(|| EngineError::Storage(format!("no century sign for {born}")))?;
        for _ in 0..10_000 {
            let sign = if self.rng.random_ratio(1, 200) {
                match original {
                    CenturySign::Minus => *[CenturySign::Y, CenturySign::X]
                        .choose(&mut self.rng)
                        .unwrap_or(&original),
                    CenturySign::A => *[CenturySign::B, CenturySign::C]
                        .choose(&mut self.rng)
                        .unwrap_or(&original),
                    other => other,
                }
            } else {
                original
            };
            let base = self.rng.random_range(1u16..=449) * 2;
            let n = if sex == Sex::Male { base + 1 } else { base };
            if !(2..=899).contains(&n) {
                continue;
            }
            let h = Hetu::new(born, sign, n).map_err(|e| EngineError::Storage(e.to_string()))?;
            if self.codes.insert(h) {
                return Ok(h);
            }
        }
        Err(EngineError::Storage(format!(
            "no free identity code on {born}"
        )))
    }

    fn person_id(&mut self) -> PersonId {
        loop {
            let id = self.rng.random::<u64>();
            if self.ids.insert(id) {
                return PersonId(id);
            }
        }
    }

    fn mother_tongue(&mut self, place: &Place) -> (CodeValue, CodeValue) {
        let finnish = code_value("246", "Suomi", "Finland", "Finland");
        let swedish_area = matches!(place.code, "599" | "478" | "905");
        let r = self.rng.random_range(0..100);
        let sv_share = if swedish_area { 55 } else { 5 };
        if r < sv_share {
            (code_value("sv", "ruotsi", "svenska", "Swedish"), finnish)
        } else if r < 91 {
            (code_value("fi", "suomi", "finska", "Finnish"), finnish)
        } else {
            let others = [
                (
                    code_value("ru", "venäjä", "ryska", "Russian"),
                    code_value("643", "Venäjä", "Ryssland", "Russia"),
                ),
                (
                    code_value("et", "viro", "estniska", "Estonian"),
                    code_value("233", "Viro", "Estland", "Estonia"),
                ),
                (
                    code_value("ar", "arabia", "arabiska", "Arabic"),
                    code_value("368", "Irak", "Irak", "Iraq"),
                ),
                (
                    code_value("so", "somali", "somaliska", "Somali"),
                    code_value("706", "Somalia", "Somalia", "Somalia"),
                ),
                (
                    code_value("en", "englanti", "engelska", "English"),
                    code_value("826", "Iso-Britannia", "Storbritannien", "United Kingdom"),
                ),
            ];
            let i = self.rng.random_range(0..others.len());
            let (tongue, country) = others[i].clone();
            // Many long-term residents have become Finnish citizens.
            if self.rng.random_bool(0.4) {
                (tongue, finnish)
            } else {
                (tongue, country)
            }
        }
    }
}

/// Generates a register at `path` (replacing any file there). `progress(done, total)` is called
/// as persons are made.
pub fn generate(
    path: &Path,
    options: &GenerateOptions,
    mut progress: impl FnMut(u64, u64),
) -> Result<Summary, EngineError> {
    if options.persons == 0 {
        return Err(EngineError::Storage(
            "the register needs at least one person".into(),
        ));
    }
    let mut g = Generator {
        rng: ChaCha8Rng::seed_from_u64(options.seed),
        today: options.today,
        codes: HashSet::new(),
        ids: HashSet::new(),
    };
    let mut buildings: Vec<Building> = Vec::new();
    let mut dwellings: Vec<Dwelling> = Vec::new();
    let mut prt_numbers = HashSet::new();
    let needed_dwellings = options.persons / 2 + 1;
    while (dwellings.len() as u64) < needed_dwellings {
        let place = g.weighted_place();
        let number = loop {
            let n = g.rng.random_range(BuildingId::FIRST..=BuildingId::LAST);
            if prt_numbers.insert(n) {
                break n;
            }
        };
        let id = BuildingId::from_number(number)
            .ok_or_else(|| EngineError::Storage("building number out of range".into()))?;
        let kind = g.rng.random_range(0..100);
        let (use_class, floors, count) = if kind < 55 {
            (
                code_value(
                    "0110",
                    "Erillinen pientalo",
                    "Fristående småhus",
                    "Detached house",
                ),
                g.rng.random_range(1..=2),
                1,
            )
        } else if kind < 70 {
            (
                code_value("0112", "Rivitalo", "Radhus", "Row house"),
                g.rng.random_range(1..=2),
                g.rng.random_range(3..=8),
            )
        } else {
            let floors = g.rng.random_range(3..=8);
            (
                code_value(
                    "0121",
                    "Asuinkerrostalo",
                    "Flervåningsbostadshus",
                    "Block of flats",
                ),
                floors,
                u16::from(floors) * g.rng.random_range(3..=9),
            )
        };
        let street = format!("{} {}", g.pick(STREETS), g.rng.random_range(1..=120));
        let postal = g.pick(place.postal).to_owned();
        let completed = g.date_between(
            Date::new(1920, 1, 1).map_err(|e| EngineError::Storage(e.to_string()))?,
            options.today.add_days(-365),
        );
        let index = buildings.len();
        for i in 0..count {
            let flat = match use_class.code.as_str() {
                "0110" => String::new(),
                "0112" => format!("{}", char::from(b'A' + (i % 8) as u8)),
                _ => format!("{} {}", char::from(b'A' + (i / 30) as u8), i % 30 + 1),
            };
            dwellings.push(Dwelling {
                building: index,
                flat,
            });
        }
        buildings.push(Building {
            id,
            street_address: street,
            postal_code: postal,
            post_office: place.fi.to_uppercase(),
            municipality: Municipality {
                code: place.code.into(),
                name_fi: place.fi.into(),
                name_sv: place.sv.into(),
            },
            use_class,
            completed: Some(completed),
            floors,
            dwellings: count,
        });
    }

    let mut persons: Vec<Person> = Vec::with_capacity(options.persons as usize);
    let mut residents: Vec<(u32, u64)> = Vec::new();
    let mut dwelling_index = 0usize;
    let total = options.persons;
    while (persons.len() as u64) < total {
        let d = &dwellings[dwelling_index % dwellings.len()];
        dwelling_index += 1;
        let b = &buildings[d.building];
        let place = PLACES
            .iter()
            .find(|p| p.code == b.municipality.code)
            .unwrap_or(&PLACES[0]);
        let surname = g.pick(SURNAMES).to_owned();
        let household = g.rng.random_range(0..100);
        // Ages of the adults, then the number of children.
        let adult_age = g.rng.random_range(19..=95);
        let (adults, children) = match household {
            0..=39 => (1, 0),
            40..=69 => (2, 0),
            _ => (2, g.rng.random_range(1..=3)),
        };
        let (tongue, citizenship) = g.mother_tongue(place);
        let moved_in = g.date_between(
            b.completed.unwrap_or(options.today),
            options.today.add_days(-1),
        );
        let mut members: Vec<(Date, Sex)> = Vec::new();
        for i in 0..adults {
            let age = if children > 0 {
                g.rng.random_range(24..=52)
            } else {
                adult_age
            };
            let sex = if i == 0 {
                if g.rng.random_bool(0.5) {
                    Sex::Male
                } else {
                    Sex::Female
                }
            } else if members[0].1 == Sex::Male {
                Sex::Female
            } else {
                Sex::Male
            };
            let year_start = options.today.add_days(-(i64::from(age) + 1) * 365);
            let born = g.date_between(year_start, year_start.add_days(364));
            members.push((born, sex));
        }
        for _ in 0..children {
            let born = g.date_between(
                options.today.add_days(-18 * 365),
                options.today.add_days(-1),
            );
            let sex = if g.rng.random_bool(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            members.push((born, sex));
        }
        for (born, sex) in members {
            if persons.len() as u64 >= total {
                break;
            }
            let born = born.min(g.today);
            let hetu = g.hetu(born, sex)?;
            let first = match sex {
                Sex::Male => format!("{} {}", g.pick(MALE), g.pick(MALE)),
                Sex::Female => format!("{} {}", g.pick(FEMALE), g.pick(FEMALE)),
            };
            let id = g.person_id();
            let protection_order = g.rng.random_ratio(1, 500);
            let since = moved_in.max(born);
            let street = if d.flat.is_empty() {
                b.street_address.clone()
            } else {
                format!("{} {}", b.street_address, d.flat)
            };
            persons.push(Person {
                id,
                hetu,
                surname: surname.clone(),
                first_names: first,
                sex,
                birth_date: born,
                death_date: None,
                mother_tongue: tongue.clone(),
                citizenship: citizenship.clone(),
                home_municipality: Some(b.municipality.clone()),
                address: Some(Address {
                    street,
                    postal_code: b.postal_code.clone(),
                    post_office: b.post_office.clone(),
                    since,
                }),
                residence: Some(Residence {
                    building: b.id,
                    flat: d.flat.clone(),
                }),
                protection_order,
            });
            residents.push((b.id.number(), id.0));
            let done = persons.len() as u64;
            if done.is_multiple_of(1000) || done == total {
                progress(done, total);
            }
        }
    }
    // The demo must show a protection order even when chance gave none.
    if !persons.iter().any(|p| p.protection_order)
        && let Some(p) = persons.get_mut(7)
    {
        p.protection_order = true;
    }

    let ordinary: Vec<&Person> = persons
        .iter()
        .filter(|p| {
            !p.protection_order
                && Some(p.hetu.sign()) == CenturySign::original_for_year(p.birth_date.year())
        })
        .take(5)
        .collect();
    let samples = Samples {
        ordinary: ordinary.iter().map(|p| p.hetu.to_string()).collect(),
        ordinary_names: ordinary.iter().map(|p| p.full_name()).collect(),
        protected: persons
            .iter()
            .filter(|p| p.protection_order)
            .take(3)
            .map(|p| p.hetu.to_string())
            .collect(),
        new_century_sign: persons
            .iter()
            .filter(|p| {
                !matches!(
                    p.hetu.sign(),
                    CenturySign::Plus | CenturySign::Minus | CenturySign::A
                )
            })
            .take(3)
            .map(|p| p.hetu.to_string())
            .collect(),
        not_in_register: {
            let day = Date::new(1970, 1, 1).map_err(|e| EngineError::Storage(e.to_string()))?;
            (2u16..=899)
                .rev()
                .filter_map(|n| Hetu::new(day, CenturySign::Minus, n).ok())
                .find(|h| !g.codes.contains(h))
                .map(|h| h.to_string())
                .unwrap_or_default()
        },
    };

    let tmp = temp_path(path);
    let _ = std::fs::remove_file(&tmp);
    {
        let db = Database::create(&tmp)?;
        let txn = db.begin_write()?;
        {
            let mut w = PERSONS.writer(&txn)?;
            let mut by_hetu = txn.open_table(PERSON_BY_HETU)?;
            for p in &persons {
                w.insert(p.id.0, p)?;
                by_hetu.insert(p.hetu.to_string().as_str(), p.id.0)?;
            }
            let mut w = BUILDINGS.writer(&txn)?;
            for b in &buildings {
                w.insert(b.id.number(), b)?;
            }
            let mut r = txn.open_table(RESIDENTS_BY_BUILDING)?;
            for key in &residents {
                r.insert(key, ())?;
            }
            let mut w = PERMITS.writer(&txn)?;
            for permit in demo_permits() {
                w.insert(permit.organisation.0.as_str(), &permit)?;
            }
        }
        txn.commit()?;
    }
    std::fs::rename(&tmp, path)?;
    Ok(Summary {
        persons: persons.len() as u64,
        buildings: buildings.len() as u64,
        samples,
    })
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}
