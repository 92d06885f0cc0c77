//! What an alert of the audit trail is about: the names of the rules, below the trail's own
//! events (an alert handled is recorded by its rule). The rule table, what each rule counts
//! and how the trail is watched live in `alerts`.

use serde::{Deserialize, Serialize};

/// What an alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rule {
    /// Identity codes searched one after another whose individual numbers run in sequence
    /// (someone walking through the codes of a birth date).
    SequentialCodes,
    /// Many identity codes of one birth date in a short time.
    OneBirthDate,
    /// Most of many lookups found nobody.
    NotFound,
    /// A person under a protection order was looked up.
    Protected,
    /// A person who works in the user's own organisation was looked up.
    Colleague,
    /// The user looked themselves up.
    Own,
    /// A person sharing the user's surname and address was looked up.
    Household,
    /// Far more lookups in an hour than the user's own usual.
    Burst,
    /// Lookups at night.
    Night,
}
