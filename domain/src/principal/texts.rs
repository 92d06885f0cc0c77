//! The words of `principal` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const ORG_KIND_STATE_AGENCY: Text =
    Text::new("Valtion virasto", "Statlig myndighet", "State agency");
pub const ORG_KIND_MUNICIPALITY: Text = Text::new("Kunta", "Kommun", "Municipality");
pub const ORG_KIND_JOINT_MUNICIPAL_AUTHORITY: Text =
    Text::new("Kuntayhtymä", "Samkommun", "Joint municipal authority");
pub const ORG_KIND_WELLBEING_SERVICES_COUNTY: Text = Text::new(
    "Hyvinvointialue",
    "Välfärdsområde",
    "Wellbeing services county",
);
pub const ORG_KIND_COMPANY: Text = Text::new("Yritys", "Företag", "Company");
pub const ORG_KIND_REGISTRY: Text = Text::new("Rekisterinpitäjä", "Registeransvarig", "Registry");
