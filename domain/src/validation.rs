//! Validation errors for user input, with the message a clerk reads in each UI language.
//! They are serialisable so the server can return one and the browser can word it.

use crate::hetu::HetuError;
use crate::ids::IdError;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Something typed into a field broke a rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValidationError {
    Hetu(HetuError),
    /// Any other identifier: the error names which one ([`IdError::kind`]).
    Id(IdError),
}

impl ValidationError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ValidationError::Hetu(e) => e.message(lang),
            ValidationError::Id(e) => e.message(lang),
        }
    }
}

impl From<HetuError> for ValidationError {
    fn from(e: HetuError) -> Self {
        ValidationError::Hetu(e)
    }
}

impl From<IdError> for ValidationError {
    fn from(e: IdError) -> Self {
        ValidationError::Id(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{BusinessId, IdKind, PropertyId};

    #[test]
    fn identifier_errors_reach_the_browser_with_their_message() {
        let e: ValidationError = "0245437-3"
            .parse::<BusinessId>()
            .map(|_| ())
            .map_err(ValidationError::from)
            .err()
            .unwrap_or_else(|| unreachable!("a wrong check digit was accepted"));
        assert_eq!(
            e.message(Lang::Fi),
            "Y-tunnuksen tarkistusnumeron pitäisi olla 2."
        );
        let json = serde_json::to_string(&e).unwrap_or_default();
        assert_eq!(serde_json::from_str::<ValidationError>(&json).ok(), Some(e));

        let unknown = "999-1-1-1"
            .parse::<PropertyId>()
            .err()
            .map(ValidationError::from);
        assert_eq!(
            unknown.map(|e| e.message(Lang::En)),
            Some(
                "There is no municipality number 999: it belongs to no current or former municipality."
                    .to_owned()
            )
        );
        let empty = ValidationError::from(IdError::Empty {
            kind: IdKind::PostalCode,
        });
        assert_eq!(empty.message(Lang::Sv), "Skriv ett postnummer.");
    }

    #[test]
    fn identity_code_errors_keep_their_messages() {
        let e = ValidationError::from(HetuError::Empty);
        assert_eq!(e.message(Lang::Fi), HetuError::Empty.message(Lang::Fi));
    }
}
