//! The words of `search` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const SEARCH_KIND_HETU: Text = Text::new("Henkilötunnus", "Personbeteckning", "Identity code");
pub const SEARCH_KIND_SATU: Text = Text::new(
    "Sähköinen asiointitunnus",
    "Elektronisk kommunikationskod",
    "Electronic transaction id",
);
pub const SEARCH_KIND_NAME: Text = Text::new(
    "Nimi ja syntymäaika",
    "Namn och födelsedatum",
    "Name and date of birth",
);
pub const SEARCH_KIND_ADDRESS: Text = Text::new("Osoite", "Adress", "Address");
pub const SEARCH_KIND_BUILDING: Text =
    Text::new("Rakennustunnus", "Byggnadsbeteckning", "Building id");
pub const SEARCH_KIND_OLD_BUILDING: Text = Text::new(
    "Vanha rakennustunnus",
    "Gammal byggnadsbeteckning",
    "Old building id",
);
pub const SEARCH_KIND_DWELLING: Text = Text::new(
    "Rakennus ja huoneisto",
    "Byggnad och lägenhet",
    "Building and dwelling",
);
pub const SEARCH_KIND_PROPERTY: Text = Text::new(
    "Kiinteistötunnus",
    "Fastighetsbeteckning",
    "Real-estate unit id",
);
