//! The words of `municipality` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const MUNICIPALITY_LANGUAGE_FINNISH: Text =
    Text::new("suomenkielinen", "finskspråkig", "Finnish-speaking");
pub const MUNICIPALITY_LANGUAGE_SWEDISH: Text =
    Text::new("ruotsinkielinen", "svenskspråkig", "Swedish-speaking");
pub const MUNICIPALITY_LANGUAGE_BILINGUAL_FINNISH_MAJORITY: Text = Text::new(
    "kaksikielinen, enemmistö suomenkielinen",
    "tvåspråkig, finskspråkig majoritet",
    "bilingual, Finnish-speaking majority",
);
pub const MUNICIPALITY_LANGUAGE_BILINGUAL_SWEDISH_MAJORITY: Text = Text::new(
    "kaksikielinen, enemmistö ruotsinkielinen",
    "tvåspråkig, svenskspråkig majoritet",
    "bilingual, Swedish-speaking majority",
);
pub const NO_HOME_MUNICIPALITY: Text = Text::new(
    "Ei kotikuntaa Suomessa",
    "Ingen hemkommun i Finland",
    "No home municipality in Finland",
);
pub const HOME_MUNICIPALITY_UNKNOWN: Text = Text::new(
    "Kotikunta tuntematon",
    "Hemkommunen okänd",
    "Home municipality unknown",
);
pub const ABROAD: Text = Text::new("Ulkomaat", "Utlandet", "Abroad");
