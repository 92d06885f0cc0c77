//! The words of `purpose` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const PURPOSE_POLICE_INVESTIGATION: Text =
    Text::new("Rikostutkinta", "Brottsutredning", "Criminal investigation");
pub const PURPOSE_MUNICIPAL_TASKS: Text = Text::new(
    "Kunnan lakisääteiset tehtävät",
    "Kommunens lagstadgade uppgifter",
    "Statutory municipal tasks",
);
pub const PURPOSE_PROPERTY_MANAGEMENT: Text =
    Text::new("Isännöinti", "Fastighetsförvaltning", "Property management");
pub const PURPOSE_REGISTER_MAINTENANCE: Text = Text::new(
    "Rekisterin ylläpito",
    "Registerföring",
    "Register maintenance",
);
pub const PURPOSE_LICENCE_ADMINISTRATION: Text = Text::new(
    "Lupahallinto",
    "Tillståndsförvaltning",
    "Licence administration",
);
pub const PURPOSE_SOCIAL_AND_HEALTH_SERVICES: Text = Text::new(
    "Sosiaali- ja terveyspalvelut",
    "Social- och hälsovårdstjänster",
    "Social and health services",
);
