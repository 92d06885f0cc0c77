//! The words of `trail` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const LOG_READ: Text = Text::new("Lokitietojen luku", "Läsning av loggen", "Log read");
pub const OUTCOME_SHOWN: Text = Text::new("Näytetty", "Visad", "Shown");
pub const OUTCOME_REVEALED: Text = Text::new(
    "Turvakieltotiedot avattu perustellen",
    "Spärrade uppgifter öppnade med motivering",
    "Protected data revealed with a reason",
);
pub const OUTCOME_NOT_FOUND: Text = Text::new("Ei löytynyt", "Hittades inte", "Not found");
pub const OUTCOME_TOO_MANY: Text = Text::new(
    "Liikaa osumia, ei listattu",
    "För många träffar, inte listade",
    "Too many hits, none listed",
);
pub const OUTCOME_REFUSED: Text = Text::new("Evätty", "Nekad", "Refused");
pub const OUTCOME_FAILED: Text = Text::new(
    "Epäonnistui, mitään ei luovutettu",
    "Misslyckades, inget lämnades ut",
    "Failed, nothing disclosed",
);
pub const MASKED: Text = Text::new(
    "turvakiellon alainen henkilö",
    "person med spärrmarkering",
    "person under a protection order",
);
pub const YES: Text = Text::new("kyllä", "ja", "yes");
pub const CSV_HEADER: [Text; 14] = [
    Text::new("Numero", "Nummer", "Number"),
    Text::new("Aika", "Tid", "Time"),
    Text::new("Organisaatio", "Organisation", "Organisation"),
    Text::new("Käyttäjätunnus", "Användar-id", "User id"),
    Text::new("Käyttäjä", "Användare", "User"),
    Text::new("Käyttötarkoitus", "Användningsändamål", "Purpose of use"),
    Text::new("Asiatunnus", "Ärendenummer", "Case reference"),
    Text::new("Näyttö tai haku", "Skärm eller sökning", "Screen or search"),
    Text::new("Tulos", "Resultat", "Outcome"),
    Text::new("Kohde", "Objekt", "Subject"),
    Text::new("Muut näytetyt", "Andra visade", "Others shown"),
    Text::new("Muita yhteensä", "Andra totalt", "Others in all"),
    Text::new(
        "Tietoja pidätetty",
        "Uppgifter undanhållna",
        "Data withheld",
    ),
    Text::new("Hakuehdot", "Sökvillkor", "Search criteria"),
];
