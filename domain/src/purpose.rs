//! Purposes of use: why an organisation may query the register at all. A basic word: permits,
//! grants, audit entries and screens all name it.

mod texts;
use texts as t;

use crate::lang::Text;
use serde::{Deserialize, Serialize};

/// Why the data is needed, recorded with every query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Purpose {
    /// Crime prevention and investigation.
    PoliceInvestigation,
    /// Statutory municipal tasks.
    MunicipalTasks,
    /// Property and resident management.
    PropertyManagement,
    /// The registry's own maintenance of the register.
    RegisterMaintenance,
    /// Licences and permits a police unit grants (firearms, passports, security clearances).
    LicenceAdministration,
    /// Social and health services of a wellbeing services county.
    SocialAndHealthServices,
}

impl Purpose {
    /// A stable value for forms and logs, e.g. `police-investigation`.
    pub fn slug(self) -> &'static str {
        match self {
            Purpose::PoliceInvestigation => "police-investigation",
            Purpose::MunicipalTasks => "municipal-tasks",
            Purpose::PropertyManagement => "property-management",
            Purpose::RegisterMaintenance => "register-maintenance",
            Purpose::LicenceAdministration => "licence-administration",
            Purpose::SocialAndHealthServices => "social-and-health-services",
        }
    }

    pub const ALL: [Purpose; 6] = [
        Purpose::PoliceInvestigation,
        Purpose::MunicipalTasks,
        Purpose::PropertyManagement,
        Purpose::RegisterMaintenance,
        Purpose::LicenceAdministration,
        Purpose::SocialAndHealthServices,
    ];

    pub fn text(self) -> Text {
        match self {
            Purpose::PoliceInvestigation => t::PURPOSE_POLICE_INVESTIGATION,
            Purpose::MunicipalTasks => t::PURPOSE_MUNICIPAL_TASKS,
            Purpose::PropertyManagement => t::PURPOSE_PROPERTY_MANAGEMENT,
            Purpose::RegisterMaintenance => t::PURPOSE_REGISTER_MAINTENANCE,
            Purpose::LicenceAdministration => t::PURPOSE_LICENCE_ADMINISTRATION,
            Purpose::SocialAndHealthServices => t::PURPOSE_SOCIAL_AND_HEALTH_SERVICES,
        }
    }
}
