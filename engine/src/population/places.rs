//! Municipalities, properties, buildings and dwellings. Each municipality gets persons in
//! proportion to its population, and the buildings, dwellings and real-estate units to house
//! them in Finland's proportions: towns build blocks of flats, the countryside detached houses,
//! saunas, storage and holiday homes; many real-estate units (forest, fields) hold no building.

use super::GenerateOptions;
use super::reference::REFERENCE;
use domain::codes::{
    BuildingState, DwellingKind, DwellingState, EnergySource, HeatingMethod, KitchenKind, Tenure,
    UseClass,
};
use domain::model::{Building, BuildingAddress, Dwelling, Equipment, PartialDate, Property};
use domain::{BuildingId, Date, Lang, MunicipalityCode, OldBuildingId, PropertyId};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// Approximate populations (2023) of the largest municipalities; the rest share what remains
/// in proportion to how many postal codes they have.
const POPULATION: &[(&str, u64)] = &[
    ("091", 664_000),
    ("049", 305_000),
    ("837", 249_000),
    ("092", 242_000),
    ("564", 212_000),
    ("853", 201_000),
    ("179", 147_000),
    ("297", 124_000),
    ("398", 121_000),
    ("609", 83_000),
    ("286", 80_000),
    ("167", 77_000),
    ("405", 73_000),
    ("109", 68_000),
    ("905", 68_000),
    ("743", 65_000),
    ("698", 65_000),
    ("491", 52_000),
    ("638", 51_000),
    ("734", 51_000),
    ("285", 51_000),
    ("272", 48_000),
    ("106", 47_000),
    ("444", 46_000),
    ("186", 46_000),
    ("543", 44_000),
    ("257", 41_000),
    ("858", 40_000),
    ("684", 39_000),
    ("245", 38_000),
    ("205", 36_000),
    ("478", 12_000),
];
const FINLAND: u64 = 5_600_000;

#[derive(Clone, Debug)]
pub(crate) struct MunicipalityPlan {
    pub index: usize,
    pub code: MunicipalityCode,
    pub name_fi: String,
    pub swedish_share: f64,
    pub urban: bool,
    pub persons: u64,
    pub buildings: u64,
    pub properties: u64,
    /// Running number of this part's first real-estate unit within the municipality (large
    /// municipalities are generated in parts to bound memory).
    pub property_base: u64,
}

/// Persons generated (and held in memory) at once at most.
const PART: u64 = 50_000;

/// Splits `total` over `weights` exactly (largest remainder).
fn apportion(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut out: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut rest = total - out.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for i in order {
        if rest == 0 {
            break;
        }
        out[i] += 1;
        rest -= 1;
    }
    out
}

pub(crate) fn plan_municipalities(options: &GenerateOptions) -> Vec<MunicipalityPlan> {
    let all: Vec<MunicipalityCode> = MunicipalityCode::all_current()
        .filter(|m| REFERENCE.postal.contains_key(&m.to_string()))
        .collect();
    let known: u64 = POPULATION.iter().map(|(_, p)| p).sum();
    let others_postal: usize = all
        .iter()
        .filter(|m| !POPULATION.iter().any(|(c, _)| *c == m.to_string()))
        .map(|m| REFERENCE.postal.get(&m.to_string()).map_or(0, Vec::len))
        .sum();
    let population: Vec<f64> = all
        .iter()
        .map(|m| {
            let code = m.to_string();
            match POPULATION.iter().find(|(c, _)| *c == code) {
                Some((_, p)) => *p as f64,
                None => {
                    let codes = REFERENCE.postal.get(&code).map_or(1, Vec::len) as f64;
                    (FINLAND - known) as f64 * codes / others_postal.max(1) as f64
                }
            }
        })
        .collect();
    let persons = apportion(options.persons, &population);
    // The countryside has more buildings and real-estate units per person than towns.
    let urban: Vec<bool> = population.iter().map(|p| *p >= 60_000.0).collect();
    let building_weights: Vec<f64> = population
        .iter()
        .zip(&urban)
        .map(|(p, u)| p * if *u { 0.45 } else { 1.25 })
        .collect();
    let buildings = apportion(options.buildings(), &building_weights);
    let properties = apportion(options.properties(), &building_weights);
    let whole: Vec<MunicipalityPlan> = all
        .into_iter()
        .enumerate()
        .map(|(index, code)| {
            use domain::ids::MunicipalityLanguage as L;
            let swedish_share = match code.language() {
                Some(L::Swedish) => 0.88,
                Some(L::BilingualSwedishMajority) => 0.6,
                Some(L::BilingualFinnishMajority) => 0.07,
                _ => 0.005,
            };
            MunicipalityPlan {
                index,
                name_fi: code.name(Lang::Fi).to_owned(),
                code,
                swedish_share,
                urban: urban[index],
                persons: persons[index],
                buildings: buildings[index],
                properties: properties[index],
                property_base: 0,
            }
        })
        .filter(|p| p.persons > 0 || p.buildings > 0)
        .collect();
    let mut parts = Vec::new();
    for m in whole {
        let n = m.persons.div_ceil(PART).max(1);
        let share = |total: u64, i: u64| total / n + u64::from(i < total % n);
        let mut property_base = 0;
        for i in 0..n {
            let part = MunicipalityPlan {
                index: parts.len(),
                persons: share(m.persons, i),
                buildings: share(m.buildings, i),
                properties: share(m.properties, i),
                property_base,
                ..m.clone()
            };
            // Every unit a part can make: one per building at most, plus the unbuilt ones.
            property_base += part.properties + part.buildings + part.persons;
            parts.push(part);
        }
    }
    parts
}

/// Running numbers that must be unique across the whole register.
pub(crate) struct Counters {
    pub buildings: u64,
    pub companies: u32,
}

/// A bijection of 0..10^8 (odd multiplier coprime to 10, plus an offset): consecutive
/// buildings get scattered, never repeated, building numbers.
fn building_number(n: u64, seed: u64) -> u32 {
    const M: u64 = 100_000_000;
    ((n.wrapping_mul(48_271) + seed % M) % M) as u32 + BuildingId::FIRST
}

pub(crate) struct Places {
    pub buildings: Vec<Building>,
    pub dwellings: Vec<Dwelling>,
    pub properties: Vec<Property>,
    /// Dwellings people can live in, in the order households take them.
    pub homes: Vec<usize>,
}

struct Street {
    fi: String,
    sv: Option<String>,
    postal: String,
    next_number: u32,
}

fn swedish_street(fi: &str) -> String {
    for (suffix, sv) in [
        ("katu", "gatan"),
        ("tie", "vägen"),
        ("kuja", "gränden"),
        ("polku", "stigen"),
        ("raitti", "vägen"),
        ("väylä", "leden"),
        ("puistikko", "parken"),
        ("rinne", "backen"),
        ("ranta", "stranden"),
        ("aukio", "platsen"),
    ] {
        if let Some(stem) = fi.strip_suffix(suffix) {
            return format!("{stem}{sv}");
        }
    }
    format!("{fi}vägen")
}

fn street(plan: &MunicipalityPlan, rng: &mut ChaCha8Rng) -> Street {
    let fi = REFERENCE
        .streets
        .choose(rng)
        .cloned()
        .unwrap_or_else(|| "Kylätie".into());
    let sv = (plan.swedish_share > 0.05).then(|| swedish_street(&fi));
    let postal = REFERENCE
        .postal
        .get(&plan.code.to_string())
        .and_then(|codes| codes.choose(rng))
        .map_or_else(|| "00100".to_owned(), |p| p.code.clone());
    Street {
        fi,
        sv,
        postal,
        next_number: 1,
    }
}

fn property_id(code: MunicipalityCode, n: u64) -> PropertyId {
    // 999 areas × 9,999 groups × 40 units: unique per municipality for 400 million units.
    let area = (1 + (n / 40_000) % 999) as u16;
    let group = (1 + (n / 40) % 9_999) as u16;
    let unit = (1 + n % 40) as u16;
    // In range by construction, and the plan's municipalities are real ones.
    PropertyId::new(code, area, group, unit).unwrap_or_else(|| unreachable!())
}

/// Builds a municipality's properties, buildings and dwellings for `households` households.
pub(crate) fn build(
    plan: &MunicipalityPlan,
    households: u64,
    rng: &mut ChaCha8Rng,
    counters: &mut Counters,
    seed: u64,
    today: Date,
) -> Places {
    let code = plan.code.to_string();
    let mut buildings: Vec<Building> = Vec::new();
    let mut dwellings: Vec<Dwelling> = Vec::new();
    let mut properties: Vec<Property> = Vec::new();
    let mut homes = Vec::new();
    let mut streets: Vec<Street> = Vec::new();
    let prefix: u32 = code.parse().unwrap_or(0);
    let north_base = 6_640_000 + (prefix % 100) * 9_000;
    let east_base = 220_000 + (prefix * 7_919) % 450_000;
    // Finland has about 1.2 dwellings per household (second homes in town, empty flats).
    let wanted_dwellings = households + households / 4;
    let mut add_building = |rng: &mut ChaCha8Rng,
                            class: UseClass,
                            floors: u8,
                            labels: Vec<String>,
                            property: Option<usize>,
                            buildings: &mut Vec<Building>,
                            dwellings: &mut Vec<Dwelling>,
                            properties: &mut Vec<Property>,
                            homes: &mut Vec<usize>| {
        let id = BuildingId::from_number(building_number(counters.buildings, seed)).unwrap_or_else(
            || BuildingId::from_number(BuildingId::FIRST).unwrap_or_else(|| unreachable!()),
        );
        counters.buildings += 1;
        if streets.is_empty() || rng.random_ratio(1, 30) {
            streets.push(street(plan, rng));
        }
        let si = rng.random_range(streets.len().saturating_sub(3)..streets.len());
        let s = &mut streets[si];
        let number = s.next_number.to_string();
        s.next_number += if rng.random_bool(0.5) { 1 } else { 2 };
        let completed_year = rng.random_range(1900..=today.year() - 1);
        let completed = if completed_year < 1980 && rng.random_bool(0.5) {
            Some(PartialDate::Year(completed_year))
        } else {
            Date::new(
                completed_year,
                rng.random_range(1..=12),
                rng.random_range(1..=28),
            )
            .ok()
            .map(PartialDate::Day)
        };
        let property_index = match property {
            Some(i) => i,
            None => {
                let n = plan.property_base + properties.len() as u64;
                properties.push(Property {
                    id: property_id(plan.code, n),
                    name: format!(
                        "{} {}",
                        s.fi.trim_end_matches(|c: char| c.is_ascii_digit()).trim(),
                        number
                    ),
                    area_m2: 0,
                    registered: Date::new(completed_year.max(1920), 1, 1).unwrap_or(today),
                    owners: Vec::new(),
                    buildings: Vec::new(),
                });
                properties.len() - 1
            }
        };
        properties[property_index].buildings.push(id);
        let old_id = (completed_year < 2014)
            .then(|| {
                let letter = char::from(b'A' + rng.random_range(0..26u8));
                let number = u16::try_from(properties[property_index].buildings.len()).ok()?;
                OldBuildingId::new(properties[property_index].id, letter, number)
            })
            .flatten();
        let floor_area: u32 = match class {
            UseClass::Detached | UseClass::SemiDetached => rng.random_range(70..=220),
            UseClass::RowHouse => 60 * labels.len() as u32 + rng.random_range(0..100),
            UseClass::Block | UseClass::SmallBlock => {
                55 * labels.len() as u32 + rng.random_range(0..400)
            }
            UseClass::Holiday => rng.random_range(25..=110),
            UseClass::Sauna | UseClass::Storage => rng.random_range(8..=40),
            _ => rng.random_range(150..=5_000),
        };
        let residential = matches!(
            class,
            UseClass::Detached
                | UseClass::SemiDetached
                | UseClass::RowHouse
                | UseClass::SmallBlock
                | UseClass::Block
        );
        let demolished = rng.random_ratio(1, 150);
        let state = if demolished {
            BuildingState::Demolished
        } else if residential {
            BuildingState::Permanent
        } else if class == UseClass::Holiday {
            BuildingState::Holiday
        } else {
            BuildingState::Secondary
        };
        let (heating, energy) = if matches!(class, UseClass::Sauna | UseClass::Storage) {
            (Some(HeatingMethod::None), None)
        } else if plan.urban && residential && class != UseClass::Detached {
            (Some(HeatingMethod::Water), Some(EnergySource::DistrictHeat))
        } else {
            let e = *[
                EnergySource::Electricity,
                EnergySource::GroundHeat,
                EnergySource::Oil,
                EnergySource::Wood,
            ]
            .choose(rng)
            .unwrap_or(&EnergySource::Electricity);
            let h = if e == EnergySource::Electricity {
                HeatingMethod::Electric
            } else {
                HeatingMethod::Water
            };
            (Some(h), Some(e))
        };
        let address = BuildingAddress {
            order: 1,
            street_fi: s.fi.clone(),
            street_sv: s.sv.clone(),
            number,
            postal_code: s.postal.clone(),
        };
        let mut addresses = vec![address];
        if matches!(class, UseClass::Block) && rng.random_ratio(1, 5) {
            let other = street(plan, rng);
            addresses.push(BuildingAddress {
                order: 2,
                street_fi: other.fi,
                street_sv: other.sv,
                number: rng.random_range(1..60).to_string(),
                postal_code: s.postal.clone(),
            });
        }
        let count = labels.len() as u16;
        for label in labels {
            let rooms = if class == UseClass::Detached {
                rng.random_range(3..=6)
            } else {
                rng.random_range(1..=5)
            };
            dwellings.push(Dwelling {
                building: id,
                address_number: 1,
                label,
                kind: DwellingKind::Dwelling,
                floor_area: (20 + u16::from(rooms) * rng.random_range(12..=22)).min(400),
                rooms,
                kitchen: if rooms <= 1 {
                    KitchenKind::Kitchenette
                } else {
                    KitchenKind::Kitchen
                },
                equipment: Equipment {
                    sauna: class == UseClass::Detached || rng.random_ratio(1, 3),
                    balcony: class != UseClass::Detached && rng.random_bool(0.7),
                    bath_or_shower: true,
                    wc: true,
                    hot_water: true,
                },
                tenure: match rng.random_range(0..10) {
                    0..=5 => Tenure::Owned,
                    6..=8 => Tenure::Rented,
                    _ => Tenure::RightOfOccupancy,
                },
                state: DwellingState::Permanent,
            });
            if !demolished {
                homes.push(dwellings.len() - 1);
            } else if let Some(d) = dwellings.last_mut() {
                d.state = DwellingState::Empty;
            }
        }
        buildings.push(Building {
            id,
            old_id,
            property: properties[property_index].id,
            municipality: plan.code,
            addresses,
            coordinates: Some((
                north_base + rng.random_range(0..20_000),
                east_base + rng.random_range(0..15_000),
            )),
            use_class: class,
            completed,
            floors,
            floor_area,
            total_area: floor_area + floor_area / 8,
            volume: floor_area * 3 + floor_area / 2,
            heating,
            energy,
            state,
            owners: Vec::new(),
            demolition: demolished.then(|| domain::model::Demolition {
                date: PartialDate::Year(rng.random_range(completed_year..=today.year())),
                reason: domain::codes::DemolitionReason::Demolished,
            }),
            dwellings: count,
        });
        property_index
    };

    // Residential buildings until every household has a dwelling, with some to spare.
    let mut detached_properties = Vec::new();
    while (homes.len() as u64) < wanted_dwellings {
        let remaining = wanted_dwellings - homes.len() as u64;
        // A small town's last few households do not get a tower block.
        let (detached, row) = if plan.urban { (22, 38) } else { (70, 85) };
        let roll = if remaining < 3 {
            0
        } else if remaining < 24 {
            rng.random_range(0..row)
        } else {
            rng.random_range(0..100)
        };
        if roll < detached {
            let floors = rng.random_range(1..=2);
            let p = add_building(
                rng,
                UseClass::Detached,
                floors,
                vec![String::new()],
                None,
                &mut buildings,
                &mut dwellings,
                &mut properties,
                &mut homes,
            );
            detached_properties.push(p);
        } else if roll < row {
            let n = rng.random_range(3..=8).min(remaining.max(3) as u8);
            let labels = (0..n).map(|i| char::from(b'A' + i).to_string()).collect();
            add_building(
                rng,
                UseClass::RowHouse,
                1,
                labels,
                None,
                &mut buildings,
                &mut dwellings,
                &mut properties,
                &mut homes,
            );
        } else {
            let floors: u8 = rng.random_range(3..=8);
            let stairs: u8 = rng.random_range(1..=3);
            let per_floor: u16 = rng.random_range(2..=4);
            let mut labels = Vec::new();
            for s in 0..stairs {
                for flat in 1..=u16::from(floors) * per_floor {
                    let division = if rng.random_ratio(1, 200) { "a" } else { "" };
                    labels.push(format!("{} {flat}{division}", char::from(b'A' + s)));
                }
            }
            let class = if floors <= 3 {
                UseClass::SmallBlock
            } else {
                UseClass::Block
            };
            add_building(
                rng,
                class,
                floors,
                labels,
                None,
                &mut buildings,
                &mut dwellings,
                &mut properties,
                &mut homes,
            );
        }
    }
    // Other buildings: saunas and storage beside houses, holiday homes, business premises.
    while (buildings.len() as u64) < plan.buildings {
        let roll = rng.random_range(0..100);
        if roll < 55 && !detached_properties.is_empty() {
            let p = detached_properties[rng.random_range(0..detached_properties.len())];
            let class = if rng.random_bool(0.5) {
                UseClass::Sauna
            } else {
                UseClass::Storage
            };
            add_building(
                rng,
                class,
                1,
                Vec::new(),
                Some(p),
                &mut buildings,
                &mut dwellings,
                &mut properties,
                &mut homes,
            );
        } else if roll < 80 {
            add_building(
                rng,
                UseClass::Holiday,
                1,
                Vec::new(),
                None,
                &mut buildings,
                &mut dwellings,
                &mut properties,
                &mut homes,
            );
        } else {
            let class = *[
                UseClass::Shop,
                UseClass::Office,
                UseClass::Industrial,
                UseClass::School,
                UseClass::Storage,
            ]
            .choose(rng)
            .unwrap_or(&UseClass::Storage);
            let floors = rng.random_range(1..=4);
            add_building(
                rng,
                class,
                floors,
                Vec::new(),
                None,
                &mut buildings,
                &mut dwellings,
                &mut properties,
                &mut homes,
            );
        }
    }
    // Units without buildings: forest and fields; one in fifty is a parcel (määräala) of one.
    while (properties.len() as u64) < plan.properties {
        let n = plan.property_base + properties.len() as u64;
        let registered = Date::new(rng.random_range(1920..=today.year()), 1, 1).unwrap_or(today);
        let id = if n > 0 && rng.random_ratio(1, 50) {
            property_id(plan.code, n - 1)
                .with_parcel(rng.random_range(601..=9_999))
                .unwrap_or_else(|| unreachable!())
        } else {
            property_id(plan.code, n)
        };
        properties.push(Property {
            id,
            name: format!(
                "{} {}",
                REFERENCE
                    .surnames
                    .pick(rng)
                    .map_or("Mets", String::as_str)
                    .trim_end_matches("nen"),
                ["mäki", "niemi", "metsä", "pelto", "ranta"][rng.random_range(0..5)]
            ),
            area_m2: rng.random_range(5_000..2_000_000),
            registered,
            owners: Vec::new(),
            buildings: Vec::new(),
        });
    }
    for p in &mut properties {
        if p.area_m2 == 0 {
            p.area_m2 = rng.random_range(600..6_000) * (1 + p.buildings.len() as u64);
        }
    }
    // Blocks and row houses belong to housing companies, as do their properties.
    let property_at: std::collections::HashMap<PropertyId, usize> = properties
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    for b in &mut buildings {
        if matches!(
            b.use_class,
            UseClass::RowHouse
                | UseClass::Block
                | UseClass::SmallBlock
                | UseClass::Shop
                | UseClass::Office
                | UseClass::Industrial
                | UseClass::School
        ) {
            let business_id = loop {
                counters.companies += 1;
                if let Some(id) = domain::BusinessId::from_body(1_000_000 + counters.companies) {
                    break id;
                }
            };
            let name = match b.use_class {
                UseClass::RowHouse | UseClass::Block | UseClass::SmallBlock => {
                    format!("Asunto Oy {}", b.addresses[0].street_line())
                }
                _ => format!("Kiinteistö Oy {}", b.addresses[0].street_line()),
            };
            let owner = domain::model::Owner::Organisation {
                business_id,
                name,
                share: (1, 1),
            };
            b.owners.push(owner.clone());
            if let Some(&i) = property_at.get(&b.property) {
                properties[i].owners.push(owner);
            }
        }
    }
    Places {
        buildings,
        dwellings,
        properties,
        homes,
    }
}
