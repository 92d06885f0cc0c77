//! The one error type that crosses the wire. It says what the user can do and never carries
//! internal detail: on the server, the conversion from `EngineError` logs the detail under a
//! reference id and sets the HTTP status.

use domain::{Denied, Lang, Text, ValidationError};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A field the user typed and the rule it broke.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub error: ValidationError,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden: {reason}")]
    Forbidden { reason: Denied, reference: String },
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("temporarily unavailable ({reference})")]
    Unavailable { reference: String },
    #[error("internal error ({reference})")]
    Internal { reference: String },
    /// The request did not reach the service or its answer could not be read.
    #[error("network")]
    Network,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        tracing::warn!(error = %value, "server function transport error");
        #[cfg(not(feature = "ssr"))]
        let _ = value;
        AppError::Network
    }
}

impl AppError {
    /// What the user reads.
    pub fn message(&self, lang: Lang) -> String {
        let t = match self {
            AppError::Unauthenticated => Text::new(
                "Istuntosi on päättynyt. Kirjaudu uudelleen.",
                "Din session har gått ut. Logga in på nytt.",
                "Your session has ended. Please sign in again.",
            ),
            AppError::Forbidden { reason, .. } => return reason.message(lang).to_owned(),
            AppError::NotFound => Text::new(
                "Tietoja ei löytynyt.",
                "Inga uppgifter hittades.",
                "Nothing was found.",
            ),
            AppError::Invalid(fields) => {
                return fields
                    .iter()
                    .map(|f| f.error.message(lang))
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            AppError::Unavailable { .. } => Text::new(
                "Palvelu ei juuri nyt pysty kirjaamaan hakuja, joten tietoja ei näytetä. Yritä hetken kuluttua uudelleen.",
                "Tjänsten kan just nu inte logga sökningar, så inga uppgifter visas. Försök igen om en stund.",
                "The service cannot log queries right now, so no data is shown. Please try again in a moment.",
            ),
            AppError::Internal { .. } => Text::new(
                "Palvelussa tapahtui virhe. Yritä uudelleen; jos virhe toistuu, kerro tukeen viitetunnus.",
                "Ett fel inträffade i tjänsten. Försök igen; om felet upprepas, ge supporten referensnumret.",
                "Something went wrong in the service. Try again; if it keeps happening, give support the reference.",
            ),
            AppError::Network => Text::new(
                "Palveluun ei saatu yhteyttä. Tarkista verkkoyhteys ja yritä uudelleen.",
                "Tjänsten kunde inte nås. Kontrollera nätverket och försök igen.",
                "The service could not be reached. Check your connection and try again.",
            ),
        };
        t.get(lang).to_owned()
    }

    /// The reference to quote to support, if any.
    pub fn reference(&self) -> Option<&str> {
        match self {
            AppError::Forbidden { reference, .. }
            | AppError::Unavailable { reference }
            | AppError::Internal { reference } => Some(reference),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use engine::EngineError;
    use http::StatusCode;
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    impl AppError {
        /// The HTTP status the error is answered with.
        pub fn status(&self) -> StatusCode {
            match self {
                AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
                AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
                AppError::Internal { .. } | AppError::Network => StatusCode::INTERNAL_SERVER_ERROR,
            }
        }

        /// Sets this error's status on the current response, when there is one.
        pub fn with_status(self) -> AppError {
            if let Some(res) = use_context::<ResponseOptions>() {
                res.set_status(self.status());
            }
            self
        }

        /// The single place where engine detail is logged and replaced by a reference.
        pub fn from_engine(e: EngineError, reference: &str) -> AppError {
            let reference = reference.to_owned();
            let err = match e {
                EngineError::Denied(reason) => {
                    tracing::info!(%reference, ?reason, "access denied");
                    AppError::Forbidden { reason, reference }
                }
                EngineError::NotFound => AppError::NotFound,
                EngineError::Unavailable(detail) => {
                    tracing::error!(%reference, %detail, "audit trail unavailable; request failed closed");
                    AppError::Unavailable { reference }
                }
                other => {
                    tracing::error!(%reference, error = %other, "internal error");
                    AppError::Internal { reference }
                }
            };
            err.with_status()
        }
    }
}
