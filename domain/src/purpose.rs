//! Purposes of use: why an organisation may query the register at all. A basic word: permits,
//! grants, audit entries and screens all name it.

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
            Purpose::PoliceInvestigation => {
                Text::new("Rikostutkinta", "Brottsutredning", "Criminal investigation")
            }
            Purpose::MunicipalTasks => Text::new(
                "Kunnan lakisääteiset tehtävät",
                "Kommunens lagstadgade uppgifter",
                "Statutory municipal tasks",
            ),
            Purpose::PropertyManagement => {
                Text::new("Isännöinti", "Fastighetsförvaltning", "Property management")
            }
            Purpose::RegisterMaintenance => Text::new(
                "Rekisterin ylläpito",
                "Registerföring",
                "Register maintenance",
            ),
            Purpose::LicenceAdministration => Text::new(
                "Lupahallinto",
                "Tillståndsförvaltning",
                "Licence administration",
            ),
            Purpose::SocialAndHealthServices => Text::new(
                "Sosiaali- ja terveyspalvelut",
                "Social- och hälsovårdstjänster",
                "Social and health services",
            ),
        }
    }
}
