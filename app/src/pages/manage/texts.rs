//! The words of `manage` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use domain::Text;

pub const ENDS_SOON: Text = Text::new("päättyy pian", "upphör snart", "ends soon");
pub const TWO_FACTOR: Text = Text::new(
    "kaksivaiheinen kirjautuminen vaaditaan",
    "inloggning i två steg krävs",
    "two-step sign-in required",
);
pub const PAGES: Text = Text::new("Sivut", "Sidor", "Pages");
pub const PREVIOUS: Text = Text::new("Edellinen", "Föregående", "Previous");
pub const NEXT: Text = Text::new("Seuraava", "Nästa", "Next");
pub const PROPOSED: Text = Text::new("ehdotettu", "föreslaget", "proposed");
pub const AMEND: Text = Text::new(
    "Ehdota muutosta käyttöoikeuteen",
    "Föreslå en ändring av behörigheten",
    "Propose a change to a right",
);
pub const AMEND_INTRO: Text = Text::new(
    "Uudet roolit tai näytöt tulevat voimaan, kun DVV hyväksyy ne. Siihen asti oikeus on ennallaan.",
    "Nya roller eller skärmar träder i kraft när MDB godkänner dem. Till dess är behörigheten oförändrad.",
    "New roles or screens take effect once DVV approves them. Until then the right stays as it is.",
);
pub const COLLEAGUE: Text = Text::new("Kollega", "Kollega", "Colleague");
pub const SCREENS: Text = Text::new("Näytöt", "Skärmar", "Screens");
pub const ALL_SCREENS: Text = Text::new(
    "Kaikki luvan näytöt",
    "Alla skärmar i tillståndet",
    "All of the permit's screens",
);
pub const CHOSEN_SCREENS: Text = Text::new(
    "Vain valitut näytöt:",
    "Endast valda skärmar:",
    "Only the screens chosen:",
);
pub const SEND_PROPOSAL: Text =
    Text::new("Lähetä ehdotus", "Skicka förslaget", "Send the proposal");
pub const PROPOSAL_SENT: Text = Text::new(
    "Ehdotus lähetetty DVV:lle.",
    "Förslaget har skickats till MDB.",
    "Proposal sent to DVV.",
);
pub const ATTEST: Text = Text::new(
    "Käyttötarpeen vahvistus",
    "Bekräftelse av behovet",
    "Attestation of need",
);
pub const ATTEST_INTRO: Text = Text::new(
    "Vahvista, että kollegat tarvitsevat yhä oikeutensa. Oikeudet, joita ei vahvisteta, päättyvät valittuna päivänä.",
    "Bekräfta att kollegerna fortfarande behöver sina behörigheter. Behörigheter som inte bekräftas upphör den valda dagen.",
    "Confirm that colleagues still need their rights. Rights not confirmed end on the day chosen.",
);
pub const ATTEST_DEADLINE: Text = Text::new(
    "Vahvistettava viimeistään (p.k.vvvv)",
    "Ska bekräftas senast (d.m.åååå)",
    "To be confirmed by (d.m.yyyy)",
);
pub const ATTEST_START: Text = Text::new(
    "Aloita vahvistuskierros",
    "Starta bekräftelserundan",
    "Start the round",
);
pub const ATTEST_RUNNING: Text = Text::new(
    "Vahvistamattomat oikeudet päättyvät",
    "Obekräftade behörigheter upphör",
    "Unconfirmed rights end on",
);
pub const ATTEST_LAST: Text = Text::new(
    "Edellinen kierros, viimeinen päivä",
    "Föregående runda, sista dag",
    "Last round, last day",
);
pub const CONFIRM: Text = Text::new("Vahvista tarve", "Bekräfta behovet", "Confirm the need");
pub const CONFIRMED: Text = Text::new("Vahvistettu", "Bekräftad", "Confirmed");
pub const USAGE: Text = Text::new(
    "Käyttötilastot, 30 päivää",
    "Användningsstatistik, 30 dagar",
    "Usage statistics, 30 days",
);
pub const USAGE_INTRO: Text = Text::new(
    "Seuraa käyttöä säännöllisesti: paljon tuloksettomia hakuja tai käyttöä virka-ajan ulkopuolella (ma–pe 7–18) kannattaa selvittää. Tilastojen katselu kirjataan lokiin.",
    "Följ användningen regelbundet: många sökningar utan träff eller användning utanför kontorstid (mån–fre 7–18) bör utredas. Visning av statistiken loggas.",
    "Monitor use regularly: many searches that find nothing, or use outside office hours (Mon–Fri 7–18), are worth looking into. Viewing the statistics is logged.",
);
pub const QUERIES: Text = Text::new("Kyselyt", "Förfrågningar", "Queries");
pub const NOT_FOUND: Text = Text::new("Ei löytynyt", "Ingen träff", "Not found");
pub const OFF_HOURS: Text = Text::new("Virka-ajan ulkopuolella", "Utanför kontorstid", "Off hours");
pub const REFUSED: Text = Text::new("Torjutut", "Avvisade", "Refused");
pub const ALERTS: Text = Text::new(
    "Hälytykset (läpikäynti, liikaa kyselyjä)",
    "Larm (genomsökning, för många sökningar)",
    "Alerts (sweep, too many queries)",
);
pub const PER_DAY: Text = Text::new("Päivittäin", "Per dag", "Per day");
pub const NO_PURPOSE: Text = Text::new("ei käyttötarkoitusta", "inget ändamål", "no purpose");
pub const NO_CANDIDATES: Text = Text::new(
    "Kukaan organisaatiostasi ei odota käyttöoikeutta. Kollegalle voi ehdottaa käyttöoikeutta vasta, kun hän on kirjautunut Kyselyyn kerran: pyydä häntä kirjautumaan, ja päivitä sitten tämä sivu.",
    "Ingen i din organisation väntar på en användarrättighet. En kollega kan föreslås först när hen har loggat in i Kysely en gång: be hen logga in och uppdatera sedan den här sidan.",
    "Nobody of your organisation is waiting for a right. A colleague can be proposed only once they have signed in to Kysely: ask them to sign in, then reload this page.",
);
