//! The one error type that crosses the wire. It says what the user can do and never carries
//! internal detail: on the server, the conversion from `EngineError` logs the detail under a
//! reference id and sets the HTTP status.

use crate::i18n::strings;
use domain::{Denied, FieldError, Lang};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

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
    /// The request could not be read (no page of this application sends such a body), or
    /// asked for a route that does not exist.
    #[error("bad request")]
    BadRequest,
    /// Too many requests: wait `retry_after` seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        {
            tracing::warn!(error = %value, "server function transport error");
            // A body no page of this application sends (a forged link, a field of the wrong
            // type) is the caller's error, not the service's.
            if matches!(
                value,
                ServerFnErrorErr::Args(_)
                    | ServerFnErrorErr::Deserialization(_)
                    | ServerFnErrorErr::MissingArg(_)
                    | ServerFnErrorErr::Request(_)
                    | ServerFnErrorErr::UnsupportedRequestMethod(_)
            ) {
                return AppError::BadRequest.with_status();
            }
        }
        #[cfg(not(feature = "ssr"))]
        let _ = value;
        AppError::Network
    }
}

/// What a refusal says to the user, and whom to ask.
pub fn denied_message(reason: Denied, lang: Lang) -> &'static str {
    let s = strings(lang);
    match reason {
        Denied::NotAUser | Denied::NoQueryRight => s.denied_no_query_right,
        Denied::NoPermit => s.denied_no_permit,
        Denied::PermitExpired => s.denied_permit_expired,
        Denied::PermitSuspended => s.denied_permit_suspended,
        Denied::PermitEnded => s.denied_permit_ended,
        Denied::PermitNotYetValid => s.denied_permit_not_yet_valid,
        Denied::NotResponsibleUser => s.denied_not_responsible,
        Denied::RegistryStaffOnly => s.denied_registry_only,
        Denied::OwnRight => s.denied_own_right,
        Denied::RevealNotInPermit => s.denied_reveal_not_in_permit,
        Denied::ReasonRequired => s.denied_reason_required,
        Denied::NoSuchRecord => s.denied_no_such_record,
        Denied::NotFromThisState => s.denied_not_from_state,
        Denied::NotRestorable => s.denied_not_restorable,
        Denied::NotApplicant => s.denied_not_applicant,
        Denied::AlreadyApplied => s.denied_already_applied,
        Denied::RoleNotProposable => s.denied_role_not_proposable,
        Denied::TooManyOpen => s.denied_too_many_open,
        Denied::TooManyToday => s.denied_too_many_today,
        Denied::TooManyConfirmations => s.denied_too_many_confirmations,
        Denied::ConfirmationInvalid => s.denied_confirmation_invalid,
        Denied::ScreenNotInPermit(_) => s.denied_screen,
        Denied::SearchNotInPermit(_) => s.denied_search,
        Denied::PurposeNotInPermit => s.denied_purpose_not_in_permit,
        Denied::PurposeRequired => s.denied_purpose_required,
        Denied::NotForPurpose(_) => s.denied_not_for_purpose,
        Denied::TwoFactorRequired => s.denied_two_factor_required,
        Denied::ScreenNeedsTwoFactor(_) => s.denied_screen_two_factor,
        Denied::RoleNeedsTwoFactor(_) => s.denied_role_two_factor,
        Denied::QueriesBlocked => s.denied_queries_blocked,
        Denied::NoRight => s.denied_no_right,
        Denied::RightNotActive => s.denied_right_not_active,
        Denied::RightExpired => s.denied_right_expired,
        Denied::UserBlocked => s.denied_user_blocked,
        Denied::ScreenNotInRight(_) => s.denied_screen_not_in_right,
    }
}

impl AppError {
    /// A refusal a sign-in with a second factor mends: the page offers the step-up.
    pub fn asks_for_step_up(&self) -> bool {
        matches!(self, AppError::Forbidden { reason, .. } if reason.asks_for_step_up())
    }

    /// What the user reads.
    pub fn message(&self, lang: Lang) -> String {
        let s = strings(lang);
        match self {
            AppError::Unauthenticated => s.err_unauthenticated.to_owned(),
            AppError::Forbidden { reason, .. } => denied_message(*reason, lang).to_owned(),
            AppError::NotFound => s.err_not_found.to_owned(),
            AppError::Invalid(fields) => fields
                .iter()
                .map(|f| f.error.message(lang))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::Unavailable { .. } => s.err_unavailable.to_owned(),
            AppError::Internal { .. } => s.err_internal.to_owned(),
            AppError::Network => s.err_network.to_owned(),
            AppError::BadRequest => s.err_bad_request.to_owned(),
            AppError::TooManyRequests { .. } => s.err_too_many.to_owned(),
        }
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
                AppError::BadRequest => StatusCode::BAD_REQUEST,
                AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
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
                EngineError::Throttled { retry_after } => {
                    tracing::info!(%reference, retry_after, "query rate over the limit");
                    AppError::TooManyRequests { retry_after }
                }
                EngineError::Rejected(fields) => AppError::Invalid(fields),
                EngineError::Unavailable(detail) => {
                    tracing::error!(%reference, %detail, "the audit trail, a store or the journal is unavailable; request failed closed");
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
