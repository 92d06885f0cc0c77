//! Validation errors for user input, with the message a clerk reads in each UI language.
//! They are serialisable so the server can return one and the browser can word it.

use crate::hetu::HetuError;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Something typed into a field broke a rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValidationError {
    Hetu(HetuError),
    BuildingId(crate::building_id::BuildingIdError),
}

impl ValidationError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ValidationError::Hetu(e) => e.message(lang),
            ValidationError::BuildingId(e) => e.message(lang),
        }
    }
}

impl From<HetuError> for ValidationError {
    fn from(e: HetuError) -> Self {
        ValidationError::Hetu(e)
    }
}
