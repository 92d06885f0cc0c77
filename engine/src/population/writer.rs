//! Writes generated chunks into the register file with every index, all in one write
//! transaction committed by `finish`. One transaction matters at scale: keys (ids, codes, names)
//! arrive in random order, and every commit would copy each touched B-tree page again, so many
//! small commits rewrite the growing tree over and over (measured: over 100 GB written for a
//! 6 GB register). In one transaction a page is copied once and then updated in place; redb
//! spills dirty pages to the file when its cache is full, so memory stays bounded.

use super::people::Chunk;
use crate::error::EngineError;
use crate::store;
use crate::store::Generating;
use domain::access::{Permit, PersonalRight};
use domain::model::{Building, Dwelling, Owner, Person, Property};
use redb::Database;
use std::path::Path;

pub(crate) struct Writer {
    txn: Option<Generating>,
    /// Kept open for as long as the transaction (dropped after it).
    _db: Database,
    persons: u64,
    buildings: u64,
    dwellings: u64,
    properties: u64,
}

fn owner_key(owner: &Owner) -> String {
    store::owner_key(owner)
}

fn write_persons(txn: &Generating, persons: &[Person]) -> Result<(), EngineError> {
    let mut records = store::PERSONS.writer(txn)?;
    let mut by_hetu = store::PERSON_BY_HETU.writer(txn)?;
    let mut by_satu = store::PERSON_BY_SATU.writer(txn)?;
    let mut by_name = store::PERSON_BY_NAME.writer(txn)?;
    let mut by_building = store::RESIDENTS_BY_BUILDING.writer(txn)?;
    let mut by_dwelling = store::RESIDENTS_BY_DWELLING.writer(txn)?;
    for p in persons {
        records.insert(p.id.0, p)?;
        by_hetu.insert(p.hetu.to_string().as_str(), p.id.0)?;
        for old in &p.hetu_history {
            by_hetu.insert(old.hetu.to_string().as_str(), p.id.0)?;
        }
        if let Some(satu) = &p.satu {
            by_satu.insert(satu.to_string().as_str(), p.id.0)?;
        }
        by_name.insert(
            store::name_key(&p.names.surname, p.birth.date, &p.names.first_names, p.id).as_str(),
            (),
        )?;
        if let (Some(r), None) = (&p.residence, p.death) {
            by_building.insert((r.building.number(), p.id.0), ())?;
            by_dwelling.insert((r.building.number(), r.dwelling.as_str(), p.id.0), ())?;
        }
    }
    Ok(())
}

fn write_buildings(txn: &Generating, buildings: &[Building]) -> Result<(), EngineError> {
    let mut records = store::BUILDINGS.writer(txn)?;
    let mut by_old = store::BUILDING_BY_OLD_ID.writer(txn)?;
    let mut by_address = store::BUILDING_BY_ADDRESS.writer(txn)?;
    let mut owned = store::OWNED_BY.writer(txn)?;
    for b in buildings {
        records.insert(b.id.number(), b)?;
        if let Some(old) = &b.old_id {
            by_old.insert(old.to_string().as_str(), b.id.number())?;
        }
        for a in &b.addresses {
            for street in std::iter::once(&a.street_fi).chain(a.street_sv.as_ref()) {
                let key = store::address_key(
                    street,
                    &a.number,
                    &a.postal_code,
                    &b.municipality.to_string(),
                    b.id,
                );
                by_address.insert(key.as_str(), ())?;
            }
        }
        for o in &b.owners {
            owned.insert((owner_key(o).as_str(), format!("b:{}", b.id).as_str()), ())?;
        }
    }
    Ok(())
}

fn write_dwellings(txn: &Generating, dwellings: &[Dwelling]) -> Result<(), EngineError> {
    let mut records = store::DWELLINGS.writer(txn)?;
    for d in dwellings {
        records.insert((d.building.number(), d.label.as_str()), d)?;
    }
    Ok(())
}

fn write_properties(txn: &Generating, properties: &[Property]) -> Result<(), EngineError> {
    let mut records = store::PROPERTIES.writer(txn)?;
    let mut owned = store::OWNED_BY.writer(txn)?;
    for p in properties {
        records.insert(p.id.to_string().as_str(), p)?;
        for o in &p.owners {
            owned.insert((owner_key(o).as_str(), format!("k:{}", p.id).as_str()), ())?;
        }
    }
    Ok(())
}

impl Writer {
    pub(crate) fn create(path: &Path) -> Result<Writer, EngineError> {
        let db = Database::builder()
            .set_cache_size(1024 * 1024 * 1024)
            .create_with_backend(redb::backends::FileBackend::new(
                crate::private::private_file(path)?,
            )?)?;
        let txn = Generating::begin(&db)?;
        Ok(Writer {
            txn: Some(txn),
            _db: db,
            persons: 0,
            buildings: 0,
            dwellings: 0,
            properties: 0,
        })
    }

    fn txn(&self) -> Result<&Generating, EngineError> {
        self.txn
            .as_ref()
            .ok_or_else(|| EngineError::Storage("the register load has already finished".into()))
    }

    pub(crate) fn write(&mut self, chunk: &Chunk) -> Result<(), EngineError> {
        let txn = self.txn()?;
        write_persons(txn, &chunk.persons)?;
        write_buildings(txn, &chunk.buildings)?;
        write_dwellings(txn, &chunk.dwellings)?;
        write_properties(txn, &chunk.properties)?;
        self.persons += chunk.persons.len() as u64;
        self.buildings += chunk.buildings.len() as u64;
        self.dwellings += chunk.dwellings.len() as u64;
        self.properties += chunk.properties.len() as u64;
        Ok(())
    }

    /// Adds the organisations, permits and personal rights and commits everything durably.
    pub(crate) fn finish(
        &mut self,
        organisations: &[domain::registry::Organisation],
        permits: &[Permit],
        rights: &[PersonalRight],
    ) -> Result<(), EngineError> {
        let generating = self
            .txn
            .take()
            .ok_or_else(|| EngineError::Storage("the register load has already finished".into()))?;
        {
            let txn = generating.txn();
            let mut w = store::ORGANISATIONS.raw_writer(txn)?;
            for org in organisations {
                w.insert(org.id.as_str(), org)?;
            }
            let mut w = store::PERMITS.raw_writer(txn)?;
            for permit in permits {
                w.insert(permit.organisation.as_str(), permit)?;
            }
            let mut w = store::RIGHTS.raw_writer(txn)?;
            for right in rights {
                w.insert((right.organisation.as_str(), right.user.as_str()), right)?;
            }
            let mut meta = txn.open_table(store::META)?;
            meta.insert("schema", store::REGISTER_SCHEMA)?;
            // The key that seals subject links: random, never from the generator's seed.
            meta.insert(
                crate::links::KEY_ENTRY,
                crate::links::Links::fresh().to_hex().as_str(),
            )?;
        }
        generating.commit()
    }

    pub(crate) fn counts(&self) -> (u64, u64, u64, u64) {
        (
            self.persons,
            self.buildings,
            self.dwellings,
            self.properties,
        )
    }
}
