//! In-engine lookup latencies for the benchmark command. It reads the register directly and
//! returns only timings, never register data; the keys it looks up are drawn from the register
//! itself with a seeded generator.

use crate::error::EngineError;
use crate::store::{self, BUILDINGS, PERSONS, PROPERTIES};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata};
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
    lookup: impl Fn(&redb::ReadTransaction, &K) -> Result<usize, EngineError>,
) -> Result<Latency, EngineError> {
    for k in keys {
        let txn = db.begin_read()?;
        lookup(&txn, k)?;
    }
    let mut times = Vec::with_capacity(keys.len());
    let mut found = 0usize;
    for k in keys {
        let start = Instant::now();
        let txn = db.begin_read()?;
        found += lookup(&txn, k)?;
        drop(txn);
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
    let txn = db.begin_read()?;
    let persons = txn.open_table(PERSONS.definition())?;
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
    let buildings_table = txn.open_table(BUILDINGS.definition())?;
    let mut buildings = Vec::new();
    let stride = (buildings_table.len()? / (samples as u64 * 4)).max(1);
    for (i, item) in buildings_table.iter()?.enumerate() {
        if (i as u64).is_multiple_of(stride) {
            let (_, v) = item?;
            buildings.push(BUILDINGS.decode(v.value())?);
        }
    }
    let buildings = draw_from(&buildings, samples, &mut rng);
    let properties_table = txn.open_table(PROPERTIES.definition())?;
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
    drop(txn);

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
        let a = &b.addresses[0];
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
