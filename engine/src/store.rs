//! Typed tables over redb. Values are postcard-encoded bytes; decoding is fallible and a bad
//! record is reported as `EngineError::Corrupt`, never a panic. Table names carry a schema
//! version (`person.v1`): a migration is a new table plus a copy in one write transaction.

use crate::error::EngineError;
use domain::access::Permit;
use domain::model::{Building, Person};
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

    fn def(&self) -> TableDefinition<'static, K, &'static [u8]> {
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
        let table = match txn.open_table(self.def()) {
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
            table: txn.open_table(self.def())?,
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
pub(crate) const PERSONS: TypedTable<u64, Person> = TypedTable::new("person.v1");
/// Buildings by the nine-digit PRT number.
pub(crate) const BUILDINGS: TypedTable<u32, Building> = TypedTable::new("building.v1");
/// Data permits by organisation id.
pub(crate) const PERMITS: TypedTable<&str, Permit> = TypedTable::new("permit.v1");
/// Identity code (canonical text) → person id.
pub(crate) const PERSON_BY_HETU: TableDefinition<&str, u64> =
    TableDefinition::new("person_by_hetu.v1");
/// (building number, person id) → (): the residents of a building, in one range scan.
pub(crate) const RESIDENTS_BY_BUILDING: TableDefinition<(u32, u64), ()> =
    TableDefinition::new("residents_by_building.v1");

/// Looks an identity code up in the index.
pub(crate) fn person_id_by_hetu(
    txn: &ReadTransaction,
    hetu: &str,
) -> Result<Option<u64>, EngineError> {
    let table = match txn.open_table(PERSON_BY_HETU) {
        Ok(t) => t,
        Err(TableError::TableDoesNotExist(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(table.get(hetu)?.map(|g| g.value()))
}

/// The ids of the persons living in a building.
pub(crate) fn resident_ids(txn: &ReadTransaction, building: u32) -> Result<Vec<u64>, EngineError> {
    let table = match txn.open_table(RESIDENTS_BY_BUILDING) {
        Ok(t) => t,
        Err(TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut ids = Vec::new();
    for item in table.range((building, 0u64)..=(building, u64::MAX))? {
        let (key, _) = item?;
        ids.push(key.value().1);
    }
    Ok(ids)
}
