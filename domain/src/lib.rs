//! Kysely's vocabulary and rules. Pure data and pure functions only: no I/O, no clock, no async,
//! so the same code validates input in the browser (WASM) and decides access on the server.

pub mod access;
pub mod alert_rule;
pub mod alerts;
pub mod audit;
pub mod catalogue;
pub mod changes;
pub mod check_char;
pub mod codes;
pub mod contact;
pub mod date;
pub mod disclosure;
pub mod eservice;
pub mod fees;
pub mod hetu;
pub mod ids;
pub mod lang;
pub mod library;
pub mod merkle;
pub mod model;
pub mod names;
pub mod principal;
pub mod purpose;
pub mod registry;
pub mod screen;
pub mod search;
pub mod signin;
pub mod subject;
pub mod trail;
pub mod usage;
pub mod validation;

pub use access::{
    Actor, Allowed, CaseRef, DataGroup, Denied, Grant, Permit, PermitState, PersonalRight,
    ProtectedAccess, Purpose, PurposeGrant, Request, RightState, authorize,
};
pub use catalogue::{ScreenId, ScreenSpec};
pub use date::{Date, Timestamp};
pub use hetu::{CenturySign, Hetu, HetuError};
pub use ids::BuildingId;
pub use ids::building_id;
pub use ids::{
    BusinessId, DwellingId, IdError, IdKind, IdPart, MunicipalityCode, MunicipalityLanguage,
    OldBuildingId, PostalCode, PropertyId, PublicArea, ResidenceId, Satu,
};
pub use lang::{Lang, Text};
pub use principal::{Acr, IdClaims, Principal, Role, TimeLeft};
pub use screen::{
    Cell, DwellingRef, PersonId, ScreenData, SubjectHeader, SubjectKind, SubjectLink, SubjectRef,
};
pub use search::{Search, SearchForm, SearchKind, SearchOutcome};
pub use validation::{Field, FieldError, ValidationError};
