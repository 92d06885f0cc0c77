//! What a viewer is shown of data under a protection order: a basic word the policy decides
//! and every screen carries.

use serde::{Deserialize, Serialize};

/// Whether a viewer sees data covered by a protection order, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProtectedAccess {
    /// Shown, and marked as protected wherever it appears.
    Granted,
    /// The organisation's permit does not cover protected data.
    NotInPermit,
    /// The permit covers it (or lets it be revealed), but only after a two-factor sign-in.
    NeedsTwoFactor,
    /// Withheld, but the permit lets the user reveal it with a typed reason (break glass).
    Revealable,
    /// Shown because the user revealed it with a reason; marked, audited, reported.
    Revealed,
}

impl ProtectedAccess {
    /// Whether protected data is shown.
    pub fn shown(self) -> bool {
        matches!(self, ProtectedAccess::Granted | ProtectedAccess::Revealed)
    }
}
