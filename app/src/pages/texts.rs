//! The words of `pages` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use domain::Text;

pub const CONTACT: Text = Text::new("Yhteydenotto", "Kontakt", "Contact");
pub const FEES: Text = Text::new("Maksut", "Avgifter", "Fees");
pub const LOG: Text = Text::new("Lokitiedot", "Loggdata", "Audit log");
pub const SESSIONS: Text = Text::new("Istunnot", "Sessioner", "Sessions");
pub const STEP_UP: Text = Text::new(
    "Kirjaudu uudelleen kertakäyttökoodilla ja jatka tästä",
    "Logga in igen med en engångskod och fortsätt här",
    "Sign in again with a one-time code and continue here",
);
pub const CONFIRM: Text = Text::new("Vahvista", "Bekräfta", "Confirm");
pub const CANCEL: Text = Text::new("Peruuta", "Avbryt", "Cancel");
pub const MENU: Text = Text::new("Valikko", "Meny", "Menu");
pub const SERVICES: Text = Text::new("Palvelut", "Tjänster", "Services");
