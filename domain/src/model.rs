//! Read models of the register as the engine stores them: persons and buildings with their
//! code values. Fields may be empty: empty means "no data", which is not the same as "no".

use crate::building_id::BuildingId;
use crate::date::Date;
use crate::hetu::Hetu;
use crate::lang::Texts;
use crate::screen::{CodeValue, PersonId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn code_value(self) -> CodeValue {
        let (code, fi, sv, en) = match self {
            Sex::Male => ("1", "mies", "man", "male"),
            Sex::Female => ("2", "nainen", "kvinna", "female"),
        };
        CodeValue {
            code: code.into(),
            text: Texts {
                fi: fi.into(),
                sv: sv.into(),
                en: en.into(),
            },
        }
    }
}

/// A municipality as referenced from a record: number and names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    /// Three digits with leading zeros, e.g. `091`.
    pub code: String,
    pub name_fi: String,
    pub name_sv: String,
}

impl Municipality {
    pub fn code_value(&self) -> CodeValue {
        CodeValue {
            code: self.code.clone(),
            text: Texts {
                fi: self.name_fi.clone(),
                sv: self.name_sv.clone(),
                en: self.name_fi.clone(),
            },
        }
    }
}

/// A permanent domestic address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street, number, staircase and flat in one line, e.g. `Mannerheimintie 5 B 12`.
    pub street: String,
    pub postal_code: String,
    pub post_office: String,
    pub since: Date,
}

/// Where a person lives: the building and the flat in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Residence {
    pub building: BuildingId,
    /// Staircase and flat, e.g. `B 12`; empty in a single-family house.
    pub flat: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub hetu: Hetu,
    pub surname: String,
    pub first_names: String,
    pub sex: Sex,
    pub birth_date: Date,
    pub death_date: Option<Date>,
    pub mother_tongue: CodeValue,
    pub citizenship: CodeValue,
    pub home_municipality: Option<Municipality>,
    pub address: Option<Address>,
    pub residence: Option<Residence>,
    pub protection_order: bool,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_names, self.surname)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Building {
    pub id: BuildingId,
    /// Street and number, e.g. `Mannerheimintie 5`.
    pub street_address: String,
    pub postal_code: String,
    pub post_office: String,
    pub municipality: Municipality,
    /// Rakennusluokitus 2018 class, e.g. `0110` detached house.
    pub use_class: CodeValue,
    pub completed: Option<Date>,
    pub floors: u8,
    pub dwellings: u16,
}
