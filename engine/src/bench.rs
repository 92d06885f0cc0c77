//! In-engine lookup latencies for the benchmark command. An operator command: it opens a
//! register file itself (an `OperatorSnapshot`, not the gate) and returns only timings, never
//! register data; the keys it looks up are drawn from the register with a seeded generator.

use crate::error::EngineError;
use crate::store::{self, BUILDINGS, OperatorSnapshot, PERSONS, PROPERTIES};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use redb::{Database, ReadableTable, ReadableTableMetadata};
use std::path::Path;
use std::time::Instant;

/// Latency of one kind of lookup, in microseconds.
#[derive(Clone, Debug)]
pub struct Latency {
    pub lookup: &'static str,
    pub samples: usize,
    pub p50_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Runs `lookup` once per key to warm the cache, then again timed; each call opens its own
/// read transaction, as a request does.
fn measure<K>(
    db: &Database,
    name: &'static str,
    keys: &[K],
    lookup: impl Fn(&OperatorSnapshot, &K) -> Result<usize, EngineError>,
) -> Result<Latency, EngineError> {
    for k in keys {
        let snap = OperatorSnapshot::begin(db)?;
        lookup(&snap, k)?;
    }
    let mut times = Vec::with_capacity(keys.len());
    let mut found = 0usize;
    for k in keys {
        let start = Instant::now();
        let snap = OperatorSnapshot::begin(db)?;
        found += lookup(&snap, k)?;
        drop(snap);
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    if found < keys.len() {
        return Err(EngineError::Storage(format!(
            "{name}: {} of {} keys found nothing",
            keys.len() - found,
            keys.len()
        )));
    }
    times.sort_by(f64::total_cmp);
    Ok(Latency {
        lookup: name,
        samples: keys.len(),
        p50_us: percentile(&times, 0.5),
        p99_us: percentile(&times, 0.99),
        max_us: times.last().copied().unwrap_or(0.0),
    })
}

/// `n` keys drawn with replacement, so a small register still gets `n` lookups.
fn draw_from<T: Clone>(pool: &[T], n: usize, rng: &mut ChaCha8Rng) -> Vec<T> {
    (0..n).filter_map(|_| pool.choose(rng).cloned()).collect()
}

/// Measures the six lookups over `samples` random keys each.
pub fn lookup_latencies(
    path: &Path,
    samples: usize,
    seed: u64,
) -> Result<Vec<Latency>, EngineError> {
    let db = Database::open(path)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Draw keys: every record has the same chance (reservoir over one scan per table).
    let snap = OperatorSnapshot::begin(&db)?;
    let persons = PERSONS.open_existing(&snap)?;
    let total = persons.len()?;
    let stride = (total / (samples as u64 * 4)).max(1);
    let mut people = Vec::new();
    for (i, item) in persons.iter()?.enumerate() {
        if i as u64 % stride != rng.random_range(0..stride) {
            continue;
        }
        let (_, v) = item?;
        people.push(PERSONS.decode(v.value())?);
    }
    let people = draw_from(&people, samples, &mut rng);
    let buildings_table = BUILDINGS.open_existing(&snap)?;
    let mut buildings = Vec::new();
    let stride = (buildings_table.len()? / (samples as u64 * 4)).max(1);
    for (i, item) in buildings_table.iter()?.enumerate() {
        if (i as u64).is_multiple_of(stride) {
            let (_, v) = item?;
            buildings.push(BUILDINGS.decode(v.value())?);
        }
    }
    let buildings = draw_from(&buildings, samples, &mut rng);
    let properties_table = PROPERTIES.open_existing(&snap)?;
    let mut properties = Vec::new();
    let stride = (properties_table.len()? / (samples as u64 * 4)).max(1);
    for (i, item) in properties_table.iter()?.enumerate() {
        if (i as u64).is_multiple_of(stride) {
            let (k, _) = item?;
            properties.push(k.value().to_owned());
        }
    }
    let properties = draw_from(&properties, samples, &mut rng);
    let homes: Vec<(u32, String)> = people
        .iter()
        .filter(|p| p.death.is_none())
        .filter_map(|p| {
            p.residence
                .as_ref()
                .map(|r| (r.building.number(), r.dwelling.clone()))
        })
        .collect();
    let homes = draw_from(&homes, samples, &mut rng);
    drop((persons, buildings_table, properties_table, snap));

    let mut out = Vec::new();
    out.push(measure(&db, "identity code", &people, |txn, p| {
        let id = store::person_id_by_hetu(txn, &p.hetu.to_string())?;
        Ok(match id {
            Some(id) => usize::from(PERSONS.get(txn, id)?.is_some()),
            None => 0,
        })
    })?);
    out.push(measure(&db, "name + birth date", &people, |txn, p| {
        let ids = store::persons_by_name(
            txn,
            &p.names.surname,
            p.birth.date,
            &p.names.first_names,
            50,
        )?;
        let mut n = 0;
        for id in ids {
            n += usize::from(PERSONS.get(txn, id)?.is_some());
        }
        Ok(usize::from(n > 0))
    })?);
    out.push(measure(&db, "address", &buildings, |txn, b| {
        // A building without an address counts as a miss, which `measure` reports.
        let Some(a) = b.addresses.first() else {
            return Ok(0);
        };
        let ids = store::buildings_by_address(
            txn,
            &a.street_fi,
            &a.number,
            Some(&a.postal_code),
            None,
            50,
        )?;
        let mut n = 0;
        for id in ids {
            n += usize::from(BUILDINGS.get(txn, id)?.is_some());
        }
        Ok(usize::from(n > 0))
    })?);
    out.push(measure(&db, "building id (PRT)", &buildings, |txn, b| {
        Ok(usize::from(BUILDINGS.get(txn, b.id.number())?.is_some()))
    })?);
    out.push(measure(&db, "property id", &properties, |txn, p| {
        Ok(usize::from(PROPERTIES.get(txn, p.as_str())?.is_some()))
    })?);
    out.push(measure(
        &db,
        "dwelling residents",
        &homes,
        |txn, (b, d)| {
            let ids = store::dwelling_resident_ids(txn, *b, d)?;
            let mut n = 0;
            for id in ids {
                n += usize::from(PERSONS.get(txn, id)?.is_some());
            }
            Ok(usize::from(n > 0))
        },
    )?);
    Ok(out)
}

/// Request bodies for the HTTP benchmark, one JSON body per line, drawn at random from the
/// whole register (not one hot key) with a seeded generator.
#[derive(Clone, Debug, Default)]
pub struct RequestBodies {
    /// `load_screen` of `person.basic` over random persons.
    pub person_screens: Vec<String>,
    /// `load_screen` of a random screen of a random subject of its kind.
    pub all_screens: Vec<String>,
    /// `search` bodies by search kind (its short slug).
    pub searches: Vec<(&'static str, Vec<String>)>,
}

fn json(value: serde_json::Value) -> String {
    value.to_string()
}

/// Draws `count` bodies of each workload. An operator command for benchmarking a synthetic
/// register: it opens the file itself and writes keys (subject references and the identifiers a
/// search is typed with; never of a person under a protection order) to files on the
/// operator's machine for the load generator. It serves nothing and shows no register data.
pub fn request_bodies(path: &Path, count: usize, seed: u64) -> Result<RequestBodies, EngineError> {
    use domain::search::SearchForm;
    use domain::{DwellingRef, Field, ScreenId, SearchKind, SubjectKind, SubjectRef};
    let db = Database::open(path)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let snap = OperatorSnapshot::begin(&db)?;
    let pick_stride = |len: u64| (len / (count as u64 * 2)).max(1);
    let persons_table = PERSONS.open_existing(&snap)?;
    let stride = pick_stride(persons_table.len()?);
    let mut people = Vec::new();
    for (i, item) in persons_table.iter()?.enumerate() {
        if (i as u64).is_multiple_of(stride) {
            let (_, v) = item?;
            let p = PERSONS.decode(v.value())?;
            // Never a key of a person under a protection order, not even in a test file.
            if p.protection_order.is_none() {
                people.push(p);
            }
        }
    }
    let buildings_table = BUILDINGS.open_existing(&snap)?;
    let stride = pick_stride(buildings_table.len()?);
    let mut buildings = Vec::new();
    for (i, item) in buildings_table.iter()?.enumerate() {
        if (i as u64).is_multiple_of(stride) {
            let (_, v) = item?;
            buildings.push(BUILDINGS.decode(v.value())?);
        }
    }
    let properties_table = PROPERTIES.open_existing(&snap)?;
    let stride = pick_stride(properties_table.len()?);
    let mut properties = Vec::new();
    for (i, item) in properties_table.iter()?.enumerate() {
        if (i as u64).is_multiple_of(stride) {
            let (k, _) = item?;
            if let Ok(id) = k.value().parse::<domain::PropertyId>() {
                properties.push(id);
            }
        }
    }
    let dwellings: Vec<DwellingRef> = people
        .iter()
        .filter_map(|p| p.residence.as_ref())
        .filter_map(|r| DwellingRef::from_label(r.building, &r.dwelling))
        .collect();
    // The links the browser would hold: sealed with the register's key.
    let links = crate::links::Links::stored(&db)?
        .ok_or_else(|| EngineError::Invalid("the register has no link key".into()))?;
    let screen_body = |subject: SubjectRef, screen: ScreenId| {
        links
            .seal(subject)
            .map(|link| json(serde_json::json!({ "subject": link, "screen": screen })))
    };
    let person = |rng: &mut ChaCha8Rng| people.choose(rng).map(|p| SubjectRef::Person(p.id));
    let mut out = RequestBodies::default();
    for _ in 0..count {
        if let Some(s) = person(&mut rng) {
            out.person_screens
                .push(screen_body(s, ScreenId::PersonBasic)?);
        }
        let Some(&screen) = ScreenId::ALL.choose(&mut rng) else {
            continue;
        };
        let subject = match screen.spec().subject() {
            SubjectKind::Person => person(&mut rng),
            SubjectKind::Building => buildings
                .choose(&mut rng)
                .map(|b| SubjectRef::Building(b.id)),
            SubjectKind::Dwelling => dwellings.choose(&mut rng).map(|d| SubjectRef::Dwelling(*d)),
            SubjectKind::Property => properties
                .choose(&mut rng)
                .map(|p| SubjectRef::Property(*p)),
        };
        if let Some(subject) = subject {
            out.all_screens.push(screen_body(subject, screen)?);
        }
    }
    let form_body = |form: SearchForm| json(serde_json::json!({ "form": form }));
    let satus: Vec<String> = people
        .iter()
        .filter_map(|p| p.satu.map(|s| s.to_string()))
        .collect();
    let old_ids: Vec<String> = buildings
        .iter()
        .filter_map(|b| b.old_id.map(|o| o.to_string()))
        .collect();
    let flats: Vec<DwellingRef> = dwellings
        .iter()
        .copied()
        .filter(|d| d.dwelling.is_some())
        .collect();
    for &kind in SearchKind::ALL {
        let mut bodies = Vec::with_capacity(count);
        for _ in 0..count {
            let form = SearchForm::new(kind);
            let form = match kind {
                SearchKind::Hetu => people
                    .choose(&mut rng)
                    .map(|p| form.with(Field::Hetu, p.hetu.to_string())),
                SearchKind::Satu => satus
                    .choose(&mut rng)
                    .map(|s| form.with(Field::Satu, s.clone())),
                SearchKind::Name => people.choose(&mut rng).map(|p| {
                    form.with(Field::Surname, p.names.surname.clone())
                        .with(Field::FirstNames, p.names.first_names.clone())
                        .with(Field::BirthDate, p.birth.date.to_finnish())
                }),
                SearchKind::Address => buildings.choose(&mut rng).and_then(|b| {
                    b.addresses.first().map(|a| {
                        form.with(Field::Street, a.street_fi.clone())
                            .with(Field::HouseNumber, a.number.clone())
                            .with(Field::PostalCode, a.postal_code.clone())
                    })
                }),
                SearchKind::Building => buildings
                    .choose(&mut rng)
                    .map(|b| form.with(Field::BuildingId, b.id.to_string())),
                SearchKind::OldBuilding => old_ids
                    .choose(&mut rng)
                    .map(|old| form.with(Field::OldBuildingId, old.clone())),
                SearchKind::Dwelling => flats.choose(&mut rng).map(|d| {
                    form.with(Field::BuildingId, d.building.to_string())
                        .with(Field::Dwelling, d.label())
                }),
                SearchKind::Property => properties
                    .choose(&mut rng)
                    .map(|p| form.with(Field::PropertyId, p.short_form())),
            };
            if let Some(form) = form {
                bodies.push(form_body(form));
            }
        }
        out.searches.push((kind.short_slug(), bodies));
    }
    Ok(out)
}
