//! Typed tables over redb. Values are postcard-encoded bytes; decoding is fallible and a bad
//! record is reported as `EngineError::Corrupt`, never a panic. Table names carry a schema
//! version (`person.v1`): a migration is a new table plus a copy in one write transaction.

use crate::error::EngineError;
use domain::access::Permit;
use domain::model::{Building, Dwelling, Person, Property, normalise_name};
use domain::screen::PersonId;
use domain::{BuildingId, Date};
use redb::{Key, ReadTransaction, TableDefinition, TableError, WriteTransaction};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::borrow::Borrow;
use std::marker::PhantomData;

/// A table whose values are one serde type.
pub(crate) struct TypedTable<K: Key + 'static, V> {
    name: &'static str,
    _types: PhantomData<fn() -> (K, V)>,
}

impl<K: Key + 'static, V: Serialize + DeserializeOwned> TypedTable<K, V> {
    pub(crate) const fn new(name: &'static str) -> Self {
        TypedTable {
            name,
            _types: PhantomData,
        }
    }

    pub(crate) fn definition(&self) -> TableDefinition<'static, K, &'static [u8]> {
        TableDefinition::new(self.name)
    }

    pub(crate) fn decode(&self, bytes: &[u8]) -> Result<V, EngineError> {
        postcard::from_bytes(bytes).map_err(|e| EngineError::Corrupt {
            table: self.name,
            detail: e.to_string(),
        })
    }

    pub(crate) fn encode(&self, value: &V) -> Result<Vec<u8>, EngineError> {
        postcard::to_allocvec(value)
            .map_err(|e| EngineError::Storage(format!("encoding for {}: {e}", self.name)))
    }

    /// One value; a table that was never created reads as empty.
    pub(crate) fn get<'k>(
        &self,
        txn: &ReadTransaction,
        key: impl Borrow<K::SelfType<'k>>,
    ) -> Result<Option<V>, EngineError> {
        let table = match txn.open_table(self.definition()) {
            Ok(t) => t,
            Err(TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        match table.get(key)? {
            Some(guard) => self.decode(guard.value()).map(Some),
            None => Ok(None),
        }
    }

    /// Opens the table for many inserts in one write transaction.
    pub(crate) fn writer<'txn>(
        &self,
        txn: &'txn WriteTransaction,
    ) -> Result<TypedWriter<'txn, K, V>, EngineError> {
        Ok(TypedWriter {
            table: txn.open_table(self.definition())?,
            typed: TypedTable::new(self.name),
        })
    }
}

pub(crate) struct TypedWriter<'txn, K: Key + 'static, V> {
    table: redb::Table<'txn, K, &'static [u8]>,
    typed: TypedTable<K, V>,
}

impl<K: Key + 'static, V: Serialize + DeserializeOwned> TypedWriter<'_, K, V> {
    pub(crate) fn insert<'k>(
        &mut self,
        key: impl Borrow<K::SelfType<'k>>,
        value: &V,
    ) -> Result<(), EngineError> {
        let bytes = self.typed.encode(value)?;
        self.table.insert(key, bytes.as_slice())?;
        Ok(())
    }

    pub(crate) fn remove<'k>(
        &mut self,
        key: impl Borrow<K::SelfType<'k>>,
    ) -> Result<(), EngineError> {
        self.table.remove(key)?;
        Ok(())
    }
}

/// Persons by their opaque id.
pub(crate) const PERSONS: TypedTable<u64, Person> = TypedTable::new("person.v2");
/// Buildings by the nine-digit PRT number.
pub(crate) const BUILDINGS: TypedTable<u32, Building> = TypedTable::new("building.v2");
/// Dwellings by (building number, label such as `B 12a`; empty for a detached house).
pub(crate) const DWELLINGS: TypedTable<(u32, &str), Dwelling> = TypedTable::new("dwelling.v1");
/// Real-estate units by canonical id.
pub(crate) const PROPERTIES: TypedTable<&str, Property> = TypedTable::new("property.v1");
/// Facts about the register file itself, e.g. `schema`.
pub(crate) const META: TableDefinition<&str, &str> = TableDefinition::new("meta.v1");
/// The schema this version reads and writes; a register with another one must be regenerated
/// (or migrated: a new table plus a copy in one write transaction).
pub const REGISTER_SCHEMA: &str = "register.v2";

/// The schema recorded in a register, if any.
pub(crate) fn schema(txn: &ReadTransaction) -> Result<Option<String>, EngineError> {
    let Some(table) = open_or_empty(txn, META)? else {
        return Ok(None);
    };
    Ok(table.get("schema")?.map(|v| v.value().to_owned()))
}

/// Data permits by organisation id.
pub(crate) const PERMITS: TypedTable<&str, Permit> = TypedTable::new("permit.v1");
/// Identity code (canonical text), active or passivated → person id.
pub(crate) const PERSON_BY_HETU: TableDefinition<&str, u64> =
    TableDefinition::new("person_by_hetu.v2");
/// SATU → person id.
pub(crate) const PERSON_BY_SATU: TableDefinition<&str, u64> =
    TableDefinition::new("person_by_satu.v1");
/// `surname ␟ yyyymmdd ␟ first names ␟ id` (normalised) → (): name and birth-date search.
pub(crate) const PERSON_BY_NAME: TableDefinition<&str, ()> =
    TableDefinition::new("person_by_name.v1");
/// Old property-based building id → building number.
pub(crate) const BUILDING_BY_OLD_ID: TableDefinition<&str, u32> =
    TableDefinition::new("building_by_old_id.v1");
/// `street ␟ number ␟ postal code ␟ municipality ␟ prt` (normalised) → (): address search.
pub(crate) const BUILDING_BY_ADDRESS: TableDefinition<&str, ()> =
    TableDefinition::new("building_by_address.v1");
/// (building number, person id) → (): the residents of a building, in one range scan.
pub(crate) const RESIDENTS_BY_BUILDING: TableDefinition<(u32, u64), ()> =
    TableDefinition::new("residents_by_building.v2");
/// (building number, dwelling label, person id) → (): the residents of a dwelling.
pub(crate) const RESIDENTS_BY_DWELLING: TableDefinition<(u32, &str, u64), ()> =
    TableDefinition::new("residents_by_dwelling.v1");
/// (owner `p:<person id>` or `y:<business id>`, thing `b:<prt>` or `k:<property id>`) → ().
pub(crate) const OWNED_BY: TableDefinition<(&str, &str), ()> = TableDefinition::new("owned_by.v1");

/// Separator inside composite string keys (the ASCII unit separator sorts before letters).
pub(crate) const SEP: char = '\u{1f}';

/// The name-search key of a person.
pub(crate) fn name_key(surname: &str, born: Date, first_names: &str, id: PersonId) -> String {
    format!(
        "{}{SEP}{:04}{:02}{:02}{SEP}{}{SEP}{id}",
        normalise_name(surname),
        born.year(),
        born.month(),
        born.day(),
        normalise_name(first_names)
    )
}

/// The address-search key of one building address.
pub(crate) fn address_key(
    street: &str,
    number: &str,
    postal_code: &str,
    municipality: &str,
    building: BuildingId,
) -> String {
    format!(
        "{}{SEP}{}{SEP}{postal_code}{SEP}{municipality}{SEP}{:09}",
        normalise_name(street),
        normalise_name(number),
        building.number()
    )
}

fn open_or_empty<K: Key + 'static, V: redb::Value + 'static>(
    txn: &ReadTransaction,
    def: TableDefinition<'static, K, V>,
) -> Result<Option<redb::ReadOnlyTable<K, V>>, EngineError> {
    match txn.open_table(def) {
        Ok(t) => Ok(Some(t)),
        Err(TableError::TableDoesNotExist(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Looks an identity code (active or passivated) up in the index.
pub(crate) fn person_id_by_hetu(
    txn: &ReadTransaction,
    hetu: &str,
) -> Result<Option<u64>, EngineError> {
    let Some(table) = open_or_empty(txn, PERSON_BY_HETU)? else {
        return Ok(None);
    };
    Ok(table.get(hetu)?.map(|g| g.value()))
}

pub(crate) fn person_id_by_satu(
    txn: &ReadTransaction,
    satu: &str,
) -> Result<Option<u64>, EngineError> {
    let Some(table) = open_or_empty(txn, PERSON_BY_SATU)? else {
        return Ok(None);
    };
    Ok(table.get(satu)?.map(|g| g.value()))
}

/// Persons whose normalised surname is `surname`, born on `born`, whose first names begin with
/// the given first names (normalised), optionally living in `municipality`, at most `limit`.
pub(crate) fn persons_by_name_in(
    txn: &ReadTransaction,
    surname: &str,
    born: Date,
    first_names: &str,
    municipality: Option<&str>,
    limit: usize,
) -> Result<Vec<u64>, EngineError> {
    let ids = persons_by_name(txn, surname, born, first_names, usize::MAX)?;
    let Some(m) = municipality else {
        return Ok(ids.into_iter().take(limit).collect());
    };
    let mut out = Vec::new();
    for id in ids {
        if out.len() >= limit {
            break;
        }
        if PERSONS
            .get(txn, id)?
            .is_some_and(|p| p.home_municipality() == Some(m))
        {
            out.push(id);
        }
    }
    Ok(out)
}

/// Persons whose normalised surname is `surname`, born on `born`, whose first names begin with
/// the given first names (normalised), at most `limit`.
pub(crate) fn persons_by_name(
    txn: &ReadTransaction,
    surname: &str,
    born: Date,
    first_names: &str,
    limit: usize,
) -> Result<Vec<u64>, EngineError> {
    let Some(table) = open_or_empty(txn, PERSON_BY_NAME)? else {
        return Ok(Vec::new());
    };
    let prefix = format!(
        "{}{SEP}{:04}{:02}{:02}{SEP}{}",
        normalise_name(surname),
        born.year(),
        born.month(),
        born.day(),
        normalise_name(first_names)
    );
    let mut ids = Vec::new();
    for item in table.range(prefix.as_str()..)? {
        let (key, _) = item?;
        let key = key.value();
        if !key.starts_with(&prefix) || ids.len() >= limit {
            break;
        }
        if let Some(id) = key
            .rsplit(SEP)
            .next()
            .and_then(|h| u64::from_str_radix(h, 16).ok())
        {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Buildings at a street address, optionally narrowed to a postal code or a municipality.
pub(crate) fn buildings_by_address(
    txn: &ReadTransaction,
    street: &str,
    number: &str,
    postal_code: Option<&str>,
    municipality: Option<&str>,
    limit: usize,
) -> Result<Vec<u32>, EngineError> {
    let Some(table) = open_or_empty(txn, BUILDING_BY_ADDRESS)? else {
        return Ok(Vec::new());
    };
    let mut prefix = format!(
        "{}{SEP}{}{SEP}",
        normalise_name(street),
        normalise_name(number)
    );
    if let Some(pc) = postal_code {
        prefix.push_str(pc);
        prefix.push(SEP);
    }
    let mut out = Vec::new();
    for item in table.range(prefix.as_str()..)? {
        let (key, _) = item?;
        let key = key.value();
        if !key.starts_with(&prefix) || out.len() >= limit {
            break;
        }
        let mut parts = key.rsplit(SEP);
        let building = parts.next().and_then(|b| b.parse::<u32>().ok());
        let kunta = parts.next();
        if municipality.is_some_and(|m| Some(m) != kunta) {
            continue;
        }
        if let Some(b) = building
            && !out.contains(&b)
        {
            out.push(b);
        }
    }
    Ok(out)
}

pub(crate) fn building_by_old_id(
    txn: &ReadTransaction,
    old: &str,
) -> Result<Option<u32>, EngineError> {
    let Some(table) = open_or_empty(txn, BUILDING_BY_OLD_ID)? else {
        return Ok(None);
    };
    Ok(table.get(old)?.map(|g| g.value()))
}

/// The ids of the persons living in a building.
pub(crate) fn resident_ids(txn: &ReadTransaction, building: u32) -> Result<Vec<u64>, EngineError> {
    let Some(table) = open_or_empty(txn, RESIDENTS_BY_BUILDING)? else {
        return Ok(Vec::new());
    };
    let mut ids = Vec::new();
    for item in table.range((building, 0u64)..=(building, u64::MAX))? {
        let (key, _) = item?;
        ids.push(key.value().1);
    }
    Ok(ids)
}

/// The ids of the persons living in one dwelling.
pub(crate) fn dwelling_resident_ids(
    txn: &ReadTransaction,
    building: u32,
    dwelling: &str,
) -> Result<Vec<u64>, EngineError> {
    let Some(table) = open_or_empty(txn, RESIDENTS_BY_DWELLING)? else {
        return Ok(Vec::new());
    };
    let mut ids = Vec::new();
    for item in table.range((building, dwelling, 0u64)..=(building, dwelling, u64::MAX))? {
        let (key, _) = item?;
        ids.push(key.value().2);
    }
    Ok(ids)
}

/// The dwellings of a building, in label order.
pub(crate) fn dwellings_of(
    txn: &ReadTransaction,
    building: u32,
) -> Result<Vec<Dwelling>, EngineError> {
    let Some(table) = open_or_empty(txn, DWELLINGS.definition())? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in table.range((building, "")..(building + 1, ""))? {
        let (_, value) = item?;
        out.push(DWELLINGS.decode(value.value())?);
    }
    Ok(out)
}

/// The owner part of an `owned_by.v1` key.
pub(crate) fn owner_key(owner: &domain::model::Owner) -> String {
    match owner {
        domain::model::Owner::Person { id, .. } => format!("p:{id}"),
        domain::model::Owner::Organisation { business_id, .. } => format!("y:{business_id}"),
    }
}

/// What an owner (`p:<person id>` or `y:<business id>`) owns: `b:<prt>` and `k:<property>` keys.
pub(crate) fn owned_by(txn: &ReadTransaction, owner: &str) -> Result<Vec<String>, EngineError> {
    let Some(table) = open_or_empty(txn, OWNED_BY)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in table.range((owner, "")..)? {
        let (key, _) = item?;
        let (o, thing) = key.value();
        if o != owner {
            break;
        }
        out.push(thing.to_owned());
    }
    Ok(out)
}
