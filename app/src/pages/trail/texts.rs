//! The words of `trail` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use domain::Text;

pub const TITLE: Text = Text::new("Lokitiedot", "Loggdata", "Audit log");
pub const INTRO_STAFF: Text = Text::new(
    "Lokitutkinta: hae koko lokista henkilön (millä tahansa hänen henkilötunnuksistaan), käyttäjän, organisaation, ajanjakson, käyttötarkoituksen, näytön tai haun ja tuloksen mukaan. Lokin lukeminen kirjataan lokiin.",
    "Logginspektion: sök i hela loggen efter person (med vilken som helst av personens personbeteckningar), användare, organisation, period, användningsändamål, skärm eller sökning och resultat. Läsningen av loggen loggas.",
    "Log investigation: search the whole trail by person (any identity code they have had), user, organisation, period, purpose of use, screen or search and outcome. Reading the log is itself logged.",
);
pub const INTRO_ORG: Text = Text::new(
    "Organisaatiosi käyttäjien kyselyt. Lokin lukeminen kirjataan lokiin.",
    "Frågorna som din organisations användare gjort. Läsningen av loggen loggas.",
    "The queries your organisation's users made. Reading the log is itself logged.",
);
pub const SEARCH: Text = Text::new("Hae", "Sök", "Search");
pub const ANY: Text = Text::new("Kaikki", "Alla", "Any");
pub const PURPOSE: Text = Text::new("Käyttötarkoitus", "Användningsändamål", "Purpose of use");
pub const OUTCOME: Text = Text::new("Tulos", "Resultat", "Outcome");
pub const SEARCHES: Text = Text::new("Haut", "Sökningar", "Searches");
pub const SCREENS: Text = Text::new("Näytöt", "Skärmar", "Screens");
pub const TIME: Text = Text::new("Aika", "Tid", "Time");
pub const ORGANISATION: Text = Text::new("Organisaatio", "Organisation", "Organisation");
pub const USER: Text = Text::new("Käyttäjä", "Användare", "User");
pub const WHAT: Text = Text::new("Näyttö tai haku", "Skärm eller sökning", "Screen or search");
pub const SUBJECT: Text = Text::new("Kohde", "Objekt", "Subject");
pub const OTHERS: Text = Text::new("Muut näytetyt", "Andra visade", "Others shown");
pub const CRITERIA: Text = Text::new("Hakuehdot", "Sökvillkor", "Search criteria");
pub const WITHHELD: Text = Text::new(
    "turvakieltotietoja pidätetty",
    "spärrade uppgifter undanhölls",
    "protected data withheld",
);
pub const CASE: Text = Text::new("asia", "ärende", "case");
pub const NONE: Text = Text::new(
    "Hakuehtoja vastaavia lokitietoja ei löytynyt.",
    "Inga loggdata motsvarar sökvillkoren.",
    "No log entries match the search.",
);
pub const OLDER: Text = Text::new("Vanhemmat", "Äldre", "Older entries");
pub const NEWEST: Text = Text::new("Uusimmat", "Nyaste", "Newest entries");
pub const PARTIAL: Text = Text::new(
    "Haku kävi läpi suuren määrän merkintöjä löytämättä täyttä sivua. Jatka vanhempiin merkintöihin tai rajaa hakua.",
    "Sökningen gick igenom ett stort antal poster utan att fylla en sida. Fortsätt till äldre poster eller avgränsa sökningen.",
    "The search went through a great many entries without filling a page. Go on to older entries or narrow the search.",
);
pub const CSV: Text = Text::new(
    "Lataa hakutulos (CSV, enintään 10 000 riviä)",
    "Ladda ner sökresultatet (CSV, högst 10 000 rader)",
    "Download the result (CSV, at most 10,000 rows)",
);
pub const ROWS: Text = Text::new("Lokimerkinnät", "Loggposter", "Log entries");
pub const ALERTS: Text = Text::new("Hälytykset", "Larm", "Alerts");
pub const ALERTS_INTRO: Text = Text::new(
    "Käytön tarkistussäännöt nostavat hälytyksen esimerkiksi peräkkäisistä henkilötunnushauista, turvakiellon alaisen henkilön hausta ja yöllisestä käytöstä. Tarkastele tapahtumia ja merkitse hälytys käsitellyksi merkinnän kanssa.",
    "Kontrollreglerna för användningen larmar till exempel om personbeteckningar sökta i följd, om sökningar av personer med spärrmarkering och om användning nattetid. Granska händelserna och markera larmet som behandlat med en anteckning.",
    "Rules watching the use raise an alert for, for example, identity codes searched in sequence, lookups of persons under a protection order and use at night. Read the entries and mark the alert handled with a note.",
);
pub const ALERTS_NONE: Text = Text::new("Ei hälytyksiä.", "Inga larm.", "No alerts.");
pub const RULE: Text = Text::new("Sääntö", "Regel", "Rule");
pub const STATE: Text = Text::new("Käsittely", "Behandling", "Handling");
pub const SHOW_ENTRIES: Text =
    Text::new("Näytä tapahtumat", "Visa händelserna", "Show the entries");
pub const NOTE: Text = Text::new("Merkintä", "Anteckning", "Note");
pub const MARK_HANDLED: Text = Text::new(
    "Merkitse käsitellyksi",
    "Markera som behandlat",
    "Mark handled",
);
pub const HANDLED_BY: Text = Text::new("Käsitelty", "Behandlat", "Handled");
pub const OLDER_ALERTS: Text = Text::new("Vanhemmat hälytykset", "Äldre larm", "Older alerts");
