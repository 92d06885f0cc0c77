//! Integrity check of a whole register: every relation has its mirror, every residence,
//! ownership and building reference points at something that exists (a unit and its buildings
//! from both sides), every record is found by each index that should find it, and no index
//! entry outlives what it says (a name, a code, a home, an owner). Used by the tests and by `server register check`, an
//! operator command that opens the file itself and reports counts and problems (ids, never
//! register data) instead of panicking on a broken record.

use crate::error::EngineError;
use crate::store::{self, BUILDINGS, DWELLINGS, OperatorSnapshot, PERSONS, PROPERTIES};
use domain::model::{AddressPlace, Owner, Person, Relation};
use domain::screen::PersonId;
use domain::{DwellingId, MunicipalityCode, PostalCode, PropertyId};
use redb::{Database, ReadableTable};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What the check found. `problems` holds the first few, `problem_count` all of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub persons: u64,
    pub buildings: u64,
    pub dwellings: u64,
    pub properties: u64,
    pub relations: u64,
    pub problem_count: u64,
    pub problems: Vec<String>,
}

impl Report {
    fn problem(&mut self, what: String) {
        self.problem_count += 1;
        if self.problems.len() < 50 {
            self.problems.push(what);
        }
    }
}

/// The relation the other side must hold for `r` held by `holder`.
fn mirrors(r: &Relation, holder: PersonId, other_side: &Relation) -> bool {
    match (r, other_side) {
        (
            Relation::Spouse {
                ordinal: a,
                end_way: ea,
                ..
            },
            Relation::Spouse {
                other,
                ordinal: b,
                end_way: eb,
                ..
            },
        ) => *other == holder && a == b && ea == eb,
        (
            Relation::Child { adopted: a, .. },
            Relation::Parent {
                other, adopted: b, ..
            },
        )
        | (
            Relation::Parent { adopted: a, .. },
            Relation::Child {
                other, adopted: b, ..
            },
        ) => *other == holder && a == b,
        (Relation::Custodian { kind: a, .. }, Relation::Dependant { other, kind: b, .. })
        | (Relation::Dependant { kind: a, .. }, Relation::Custodian { other, kind: b, .. }) => {
            *other == holder && a == b
        }
        _ => false,
    }
}

/// Every identifier a record holds as text must parse with its domain type.
fn check_ids<E: std::fmt::Display, T: std::str::FromStr<Err = E>>(
    report: &mut Report,
    what: &str,
    value: &str,
) {
    if let Err(e) = value.parse::<T>() {
        report.problem(format!("invalid {what} {value:?}: {e}"));
    }
}

/// Checks the register file at `path` (no server may have it open).
pub fn check_register(path: &Path) -> Result<Report, EngineError> {
    // Pages first: a damaged file is reported as such, never decoded.
    let db = crate::store::open_checked(path, 64 * 1024 * 1024)?;
    check_database(&db)
}

pub(crate) fn check_database(db: &Database) -> Result<Report, EngineError> {
    let snap = OperatorSnapshot::begin(db)?;
    let mut report = Report::default();
    let persons_table = PERSONS.open_existing(&snap)?;
    let mut persons: HashMap<u64, Person> = HashMap::new();
    for item in persons_table.iter()? {
        let (k, v) = item?;
        persons.insert(k.value(), PERSONS.decode(v.value())?);
    }
    report.persons = persons.len() as u64;
    let mut buildings = HashMap::new();
    for item in BUILDINGS.open_existing(&snap)?.iter()? {
        let (k, v) = item?;
        buildings.insert(k.value(), BUILDINGS.decode(v.value())?);
    }
    report.buildings = buildings.len() as u64;
    let mut dwellings: HashSet<(u32, String)> = HashSet::new();
    for item in DWELLINGS.open_existing(&snap)?.iter()? {
        let (k, v) = item?;
        let (b, label) = k.value();
        let d = DWELLINGS.decode(v.value())?;
        if !d.label.is_empty() {
            check_ids::<_, DwellingId>(&mut report, "dwelling id", &d.label);
        }
        if d.building.number() != b || d.label != label {
            report.problem(format!(
                "dwelling key ({b}, {label}) holds {} {}",
                d.building, d.label
            ));
        }
        if !buildings.contains_key(&b) {
            report.problem(format!("dwelling {label} of missing building {b}"));
        }
        dwellings.insert((b, label.to_owned()));
    }
    report.dwellings = dwellings.len() as u64;
    let mut properties = HashSet::new();
    // Each unit's buildings and owners (as `owned_by` keys), for the checks from the other side.
    let mut unit_buildings: HashMap<PropertyId, HashSet<u32>> = HashMap::new();
    let mut unit_owners: HashMap<String, HashSet<String>> = HashMap::new();
    for item in PROPERTIES.open_existing(&snap)?.iter()? {
        let (k, v) = item?;
        let p = PROPERTIES.decode(v.value())?;
        unit_buildings.insert(p.id, p.buildings.iter().map(|b| b.number()).collect());
        unit_owners.insert(
            format!("k:{}", p.id),
            p.owners.iter().map(store::owner_key).collect(),
        );
        // Its id, and its owners' business ids, are typed: a record with an invalid one does
        // not decode.
        for b in &p.buildings {
            match buildings.get(&b.number()) {
                Some(building) if building.property == p.id => {}
                Some(building) => report.problem(format!(
                    "property {} lists building {b} which stands on {}",
                    p.id, building.property
                )),
                None => report.problem(format!("property {} lists missing building {b}", p.id)),
            }
        }
        for o in &p.owners {
            if let Owner::Person { id, .. } = o
                && !persons.contains_key(&id.0)
            {
                report.problem(format!("property {} owned by missing person {id}", p.id));
            }
        }
        if k.value() != p.id.to_string() {
            report.problem(format!("property {} stored under {}", p.id, k.value()));
        }
        properties.insert(p.id);
    }
    report.properties = properties.len() as u64;
    for b in buildings.values() {
        // The location property, municipality and old id are typed (checked by decoding).
        for a in &b.addresses {
            check_ids::<_, PostalCode>(&mut report, "postal code", &a.postal_code);
        }
        match unit_buildings.get(&b.property) {
            None => report.problem(format!(
                "building {} stands on missing property {}",
                b.id, b.property
            )),
            Some(listed) if !listed.contains(&b.id.number()) => report.problem(format!(
                "building {} is not listed by its property {}",
                b.id, b.property
            )),
            Some(_) => {}
        }
        for o in &b.owners {
            if let Owner::Person { id, .. } = o
                && !persons.contains_key(&id.0)
            {
                report.problem(format!("building {} owned by missing person {id}", b.id));
            }
            if !store::owned_by(&snap, &store::owner_key(o))?.contains(&format!("b:{}", b.id)) {
                report.problem(format!(
                    "building {} not found among its owner's property",
                    b.id
                ));
            }
        }
        let listed = store::dwellings_of(&snap, b.id.number())?;
        if listed.len() != usize::from(b.dwellings) {
            report.problem(format!(
                "building {} says {} dwellings, {} are recorded",
                b.id,
                b.dwellings,
                listed.len()
            ));
        }
        match b.addresses.first() {
            None => report.problem(format!("building {} has no address", b.id)),
            Some(a) => {
                let found = store::buildings_by_address(
                    &snap,
                    &a.street_fi,
                    &a.number,
                    Some(&a.postal_code),
                    None,
                    10_000,
                )?;
                if !found.contains(&b.id.number()) {
                    report.problem(format!("building {} not found by its address", b.id));
                }
            }
        }
        if let Some(old) = &b.old_id
            && store::building_by_old_id(&snap, &old.to_string())? != Some(b.id.number())
        {
            report.problem(format!("building {} not found by its old id {old}", b.id));
        }
    }
    let mut residents_by_building: HashMap<u32, HashSet<u64>> = HashMap::new();
    for (&id, p) in &persons {
        for h in &p.home_municipalities {
            check_ids::<_, MunicipalityCode>(&mut report, "home municipality", &h.code);
        }
        for a in &p.addresses {
            if let AddressPlace::Domestic { postal_code, .. } = &a.place {
                check_ids::<_, PostalCode>(&mut report, "postal code", postal_code);
            }
        }
        if store::person_id_by_hetu(&snap, &p.hetu.to_string())? != Some(id) {
            report.problem(format!("person {} not found by identity code", p.id));
        }
        for old in &p.hetu_history {
            if store::person_id_by_hetu(&snap, &old.hetu.to_string())? != Some(id) {
                report.problem(format!(
                    "passive code of {} does not lead to the person",
                    p.id
                ));
            }
        }
        if let Some(satu) = &p.satu
            && store::person_id_by_satu(&snap, &satu.to_string())? != Some(id)
        {
            report.problem(format!("person {} not found by SATU", p.id));
        }
        let (surname, born, first) = (&p.names.surname, p.birth.date, &p.names.first_names);
        if !store::persons_by_name(&snap, surname, born, first, 1000)?.contains(&id) {
            report.problem(format!("person {} not found by name and birth date", p.id));
        }
        let municipality = p.home_municipality();
        if !store::persons_by_name_in(&snap, surname, born, first, municipality, 1000)?
            .contains(&id)
        {
            report.problem(format!(
                "person {} not found by name, birth date and municipality",
                p.id
            ));
        }
        if let (Some(r), None) = (&p.residence, p.death) {
            if !buildings.contains_key(&r.building.number()) {
                report.problem(format!(
                    "person {} lives in missing building {}",
                    p.id, r.building
                ));
            }
            if !dwellings.contains(&(r.building.number(), r.dwelling.clone())) {
                report.problem(format!(
                    "person {} lives in missing dwelling {} {}",
                    p.id, r.building, r.dwelling
                ));
            }
            if !store::dwelling_resident_ids(&snap, r.building.number(), &r.dwelling)?.contains(&id)
            {
                report.problem(format!(
                    "person {} not among the residents of their dwelling",
                    p.id
                ));
            }
            residents_by_building
                .entry(r.building.number())
                .or_default()
                .insert(id);
        }
        for r in &p.relations {
            report.relations += 1;
            match persons.get(&r.other().0) {
                None => report.problem(format!(
                    "person {} has a relation to missing person {}",
                    p.id,
                    r.other()
                )),
                Some(other) => {
                    if !other.relations.iter().any(|o| mirrors(r, p.id, o)) {
                        report.problem(format!(
                            "relation of {} to {} has no mirror: {r:?}",
                            p.id, other.id
                        ));
                    }
                }
            }
        }
    }
    for (b, ids) in &residents_by_building {
        let indexed: HashSet<u64> = store::resident_ids(&snap, *b)?.into_iter().collect();
        if &indexed != ids {
            report.problem(format!(
                "residents index of building {b} differs from the persons' residences"
            ));
        }
    }
    stale_entries(&snap, &persons, &mut report)?;
    let mut owners = unit_owners;
    for b in buildings.values() {
        owners.insert(
            format!("b:{}", b.id),
            b.owners.iter().map(store::owner_key).collect(),
        );
    }
    stale_ownership(&snap, &owners, &mut report)?;
    merged_units(&snap, &properties, &mut report)?;
    Ok(report)
}

/// Every entry of the owners' index names an owner the thing (building or unit) still has: an
/// owner left behind by a change of owner, a division or a merger must have left the index.
fn stale_ownership(
    snap: &OperatorSnapshot,
    owners: &HashMap<String, HashSet<String>>,
    report: &mut Report,
) -> Result<(), EngineError> {
    let Some(index) = store::OWNED_BY.open(snap)? else {
        return Ok(());
    };
    for item in index.iter()? {
        let (key, _) = item?;
        let (owner, thing) = key.value();
        if !owners.get(thing).is_some_and(|held| held.contains(owner)) {
            report.problem(format!(
                "the owners' index says {owner} owns {thing}, which it does not"
            ));
        }
    }
    Ok(())
}

/// Every unit merged away is no longer a unit, and its id leads to one that is.
fn merged_units(
    snap: &OperatorSnapshot,
    properties: &HashSet<PropertyId>,
    report: &mut Report,
) -> Result<(), EngineError> {
    let Some(table) = store::PROPERTY_MERGED.open(snap)? else {
        return Ok(());
    };
    for item in table.iter()? {
        let (k, v) = item?;
        let merged = store::PROPERTY_MERGED.decode(v.value())?;
        if properties.contains(&merged.was.id) {
            report.problem(format!("unit {} is both merged and a unit", k.value()));
        }
        if !store::property(snap, merged.was.id)?.is_some_and(|p| properties.contains(&p.id)) {
            report.problem(format!("merged unit {} leads to no unit", k.value()));
        }
    }
    Ok(())
}

/// Every entry of the person indexes leads to a record that still has what the entry says: a
/// name, a code or a home left behind by a change must have left its index too.
fn stale_entries(
    snap: &OperatorSnapshot,
    persons: &HashMap<u64, Person>,
    report: &mut Report,
) -> Result<(), EngineError> {
    let names: HashSet<String> = persons
        .values()
        .map(|p| store::name_key(&p.names.surname, p.birth.date, &p.names.first_names, p.id))
        .collect();
    if let Some(index) = store::PERSON_BY_NAME.open(snap)? {
        for item in index.iter()? {
            let (key, _) = item?;
            if !names.contains(key.value()) {
                report.problem("a name index entry leads to no person of that name".into());
            }
        }
    }
    if let Some(index) = store::PERSON_BY_HETU.open(snap)? {
        for item in index.iter()? {
            let (code, id) = item?;
            let holds = persons.get(&id.value()).is_some_and(|p| {
                p.hetu.to_string() == code.value()
                    || p.hetu_history
                        .iter()
                        .any(|h| h.hetu.to_string() == code.value())
            });
            if !holds {
                report.problem(format!(
                    "an identity code index entry leads to person {} who has no such code",
                    id.value()
                ));
            }
        }
    }
    let home = |id: u64| {
        persons
            .get(&id)
            .and_then(|p| match (&p.residence, p.death) {
                (Some(r), None) => Some((r.building.number(), r.dwelling.clone())),
                _ => None,
            })
    };
    if let Some(index) = store::RESIDENTS_BY_BUILDING.open(snap)? {
        for item in index.iter()? {
            let (b, id) = item?.0.value();
            if home(id).is_none_or(|(at, _)| at != b) {
                report.problem(format!(
                    "person {id} indexed as a resident of {b} lives elsewhere"
                ));
            }
        }
    }
    if let Some(index) = store::RESIDENTS_BY_DWELLING.open(snap)? {
        for item in index.iter()? {
            let (key, _) = item?;
            let (b, label, id) = key.value();
            if home(id) != Some((b, label.to_owned())) {
                report.problem(format!(
                    "person {id} indexed as a resident of a dwelling of {b} lives elsewhere"
                ));
            }
        }
    }
    Ok(())
}

/// SHA-256 over every record of every register table in key order: equal registers, equal
/// fingerprints (the determinism test compares two runs with one seed).
pub fn fingerprint(path: &Path) -> Result<[u8; 32], EngineError> {
    use sha2::{Digest, Sha256};
    let db = Database::open(path)?;
    let snap = OperatorSnapshot::begin(&db)?;
    let mut h = Sha256::new();
    for item in PERSONS.open_existing(&snap)?.iter()? {
        let (k, v) = item?;
        h.update(k.value().to_le_bytes());
        h.update(v.value());
    }
    for item in BUILDINGS.open_existing(&snap)?.iter()? {
        let (k, v) = item?;
        h.update(k.value().to_le_bytes());
        h.update(v.value());
    }
    for item in DWELLINGS.open_existing(&snap)?.iter()? {
        let (k, v) = item?;
        let (b, label) = k.value();
        h.update(b.to_le_bytes());
        h.update(label.as_bytes());
        h.update(v.value());
    }
    for item in PROPERTIES.open_existing(&snap)?.iter()? {
        let (k, v) = item?;
        h.update(k.value().as_bytes());
        h.update(v.value());
    }
    Ok(h.finalize().into())
}
