//! The words of `alerts` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const SEQUENTIAL_CODES: Text = Text::new(
    "henkilötunnuksia haettu peräkkäin järjestyksessä",
    "personbeteckningar sökta i följd efter varandra",
    "identity codes searched one after another in sequence",
);
pub const ONE_BIRTH_DATE: Text = Text::new(
    "useita saman syntymäpäivän henkilötunnuksia lyhyessä ajassa",
    "många personbeteckningar med samma födelsedatum på kort tid",
    "many identity codes of one birth date in a short time",
);
pub const NOT_FOUND: Text = Text::new(
    "suurin osa hauista ei löytänyt ketään",
    "de flesta sökningarna hittade ingen",
    "most lookups found nobody",
);
pub const PROTECTED: Text = Text::new(
    "turvakiellon alaisen henkilön tietoja haettu",
    "uppgifter om en person med spärrmarkering sökta",
    "a person under a protection order looked up",
);
pub const COLLEAGUE: Text = Text::new(
    "oman organisaation työntekijän tietoja haettu",
    "uppgifter om en anställd i den egna organisationen sökta",
    "a person working in the user's own organisation looked up",
);
pub const OWN: Text = Text::new(
    "käyttäjä haki omia tietojaan",
    "användaren sökte sina egna uppgifter",
    "the user looked themselves up",
);
pub const HOUSEHOLD: Text = Text::new(
    "haettu henkilöä, jolla on sama sukunimi ja osoite kuin käyttäjällä",
    "sökt en person med samma efternamn och adress som användaren",
    "a person sharing the user's surname and address looked up",
);
pub const BURST: Text = Text::new(
    "tunnissa moninkertaisesti hakuja käyttäjän tavalliseen nähden",
    "många gånger fler sökningar på en timme än användaren brukar göra",
    "many times the user's usual lookups in an hour",
);
pub const NIGHT: Text = Text::new(
    "hakuja yöllä (klo 23–5)",
    "sökningar på natten (kl. 23–5)",
    "lookups at night (23.00–05.00)",
);
pub const MAIL_SUBJECT: Text = Text::new(
    "käyttölokin hälytys",
    "larm i användningsloggen",
    "an alert in the log of use",
);
pub const MAIL_INTRO: Text = Text::new(
    "Käyttölokin tarkistussääntö on tunnistanut käytön, jota kannattaa tarkastella. Katso lokitiedot ja merkitse hälytys käsitellyksi Kyselyn Lokitiedot-sivulla.",
    "En kontrollregel för användningsloggen har upptäckt användning som bör granskas. Se loggen och markera larmet som behandlat på sidan Logguppgifter i Kysely.",
    "A rule watching the log of use has found use worth a look. Read the entries and mark the alert handled on Kysely's Log page.",
);
pub const MAIL_RULE: Text = Text::new("Sääntö", "Regel", "Rule");
pub const MAIL_USER: Text = Text::new("Käyttäjä", "Användare", "User");
pub const MAIL_PERIOD: Text = Text::new("Aika", "Tid", "Period");
pub const MAIL_READ: Text = Text::new("Lokitiedot:", "Logguppgifter:", "The log:");
