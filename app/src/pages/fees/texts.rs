//! The words of `fees` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use domain::Text;

pub const TITLE: Text = Text::new("Maksut", "Avgifter", "Fees");
pub const INTRO: Text = Text::new(
    "Laskutusperuste: luovutetut tietoyksiköt (yksi näyttö yhdestä kohteesta) ja kyselleet käyttäjät kuukausittain, luvassa todetuin hinnoin. Viranomaisen lakisääteiset tehtävät ovat maksuttomia.",
    "Faktureringsgrund: utlämnade uppgiftsenheter (en skärm om ett objekt) och användare som gjort sökningar per månad, till de priser tillståndet anger. Myndigheters lagstadgade uppgifter är avgiftsfria.",
    "Invoice basis: data units disclosed (one screen of one subject) and users who queried, per month, at the prices the permit states. Authorities' statutory tasks are free of charge.",
);
pub const SHOW: Text = Text::new("Näytä", "Visa", "Show");
pub const UNITS: Text = Text::new("Tietoyksiköt", "Uppgiftsenheter", "Data units");
pub const USERS: Text = Text::new("Käyttäjät", "Användare", "Users");
pub const PRICES: Text = Text::new("Hinnat", "Priser", "Prices");
pub const TOTAL: Text = Text::new("Yhteensä", "Totalt", "Total");
pub const ORGANISATION: Text = Text::new("Organisaatio", "Organisation", "Organisation");
pub const USER: Text = Text::new("Käyttäjä", "Användare", "User");
pub const CSV: Text = Text::new(
    "Lataa kaikkien laskutusperuste (CSV)",
    "Ladda ner allas faktureringsgrund (CSV)",
    "Download everyone's invoice basis (CSV)",
);
pub const NONE: Text = Text::new(
    "Ei luovutettuja tietoyksiköitä tässä kuussa.",
    "Inga utlämnade uppgiftsenheter denna månad.",
    "No data units disclosed this month.",
);
