//! The words of `registry` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const RIGHT_ACTION_APPROVE: Text = Text::new("Hyväksy", "Godkänn", "Approve");
pub const RIGHT_ACTION_REJECT: Text = Text::new("Hylkää", "Avslå", "Reject");
pub const RIGHT_ACTION_END: Text = Text::new("Lopeta", "Avsluta", "End");
pub const RIGHT_ACTION_RESTORE: Text = Text::new("Palauta", "Återställ", "Restore");
pub const RIGHT_ACTION_BLOCK: Text = Text::new("Estä heti", "Spärra genast", "Block now");
pub const RIGHT_ACTION_UNBLOCK: Text = Text::new("Poista esto", "Häv spärren", "Lift the block");
pub const RIGHT_ACTION_APPROVE_CHANGE: Text =
    Text::new("Hyväksy muutos", "Godkänn ändringen", "Approve the change");
pub const RIGHT_ACTION_REJECT_CHANGE: Text =
    Text::new("Hylkää muutos", "Avslå ändringen", "Reject the change");
pub const PERMIT_ACTION_SUSPEND: Text = Text::new("Keskeytä", "Avbryt tillfälligt", "Suspend");
pub const PERMIT_ACTION_RESUME: Text = Text::new("Palauta voimaan", "Återinför", "Resume");
pub const PERMIT_ACTION_END: Text = Text::new("Päätä", "Avsluta", "End");
pub const PERMIT_ACTION_CHANGE: Text = Text::new("Muutettu", "Ändrat", "Changed");
pub const PERMIT_ACTION_GRANT: Text = Text::new("Myönnetty", "Beviljat", "Granted");
pub const PERMIT_ACTION_REQUIRE_TWO_FACTOR: Text = Text::new(
    "Vaadi kaksivaiheinen kirjautuminen",
    "Kräv inloggning i två steg",
    "Require two-step sign-in",
);
pub const PERMIT_ACTION_ALLOW_ONE_FACTOR: Text = Text::new(
    "Salli kirjautuminen ilman kertakoodia",
    "Tillåt inloggning utan engångskod",
    "Allow sign-in without a one-time code",
);
pub const CHANGE_PROPOSE: Text = Text::new("Ehdotus", "Förslag", "Proposal");
pub const CHANGE_AMEND: Text = Text::new("Muutosehdotus", "Ändringsförslag", "Proposed change");
pub const RIGHT_STATE_PROPOSED: Text = Text::new("Ehdotettu", "Föreslagen", "Proposed");
pub const RIGHT_STATE_ACTIVE: Text = Text::new("Voimassa", "Gällande", "Active");
pub const RIGHT_STATE_ENDED: Text = Text::new("Päättynyt", "Avslutad", "Ended");
pub const RIGHT_STATE_BLOCKED: Text = Text::new("Estetty", "Spärrad", "Blocked");
pub const PERMIT_STATE_ACTIVE: Text = Text::new("Voimassa", "Gällande", "Active");
pub const PERMIT_STATE_SUSPENDED: Text = Text::new("Keskeytetty", "Avbrutet", "Suspended");
pub const PERMIT_STATE_ENDED: Text = Text::new("Päättynyt", "Avslutat", "Ended");
pub const ROLE_QUERY_USER: Text =
    Text::new("Kyselykäyttäjä", "Förfrågningsanvändare", "Query user");
pub const ROLE_RESPONSIBLE_USER: Text =
    Text::new("Vastuukäyttäjä", "Ansvarig användare", "Responsible user");
pub const ROLE_REGISTRY_STAFF: Text = Text::new(
    "Rekisterin henkilöstö",
    "Registrets personal",
    "Registry staff",
);
pub const ROLE_EXTRACTION_RESPONSIBLE_USER: Text = Text::new(
    "Poimintojen vastuukäyttäjä",
    "Ansvarig användare för uttag",
    "Extraction responsible user",
);

// What a weighty step does, named in its confirmation.
pub const CONFIRM_BLOCK: Text = Text::new(
    "Estetäänkö käyttäjä heti? Hänen avoimet istuntonsa päättyvät ja kyselyt estyvät, kunnes rekisterinpitäjä poistaa eston.",
    "Spärra användaren genast? Hens öppna sessioner avslutas och sökningar spärras tills den registeransvariga häver spärren.",
    "Block the user now? Their open sessions end and their queries stop until the registry lifts the block.",
);
pub const CONFIRM_END_RIGHT: Text = Text::new(
    "Lopetetaanko käyttöoikeus? Käyttäjä ei voi enää tehdä kyselyjä; oikeuden voi palauttaa ennen sen viimeistä voimassaolopäivää.",
    "Avsluta behörigheten? Användaren kan inte längre göra sökningar; behörigheten kan återställas före sista giltighetsdagen.",
    "End the right? The user can no longer query; the right can be restored before its last valid day.",
);
pub const CONFIRM_SUSPEND_PERMIT: Text = Text::new(
    "Keskeytetäänkö tietolupa? Kukaan organisaation käyttäjä ei voi tehdä kyselyjä, ennen kuin lupa palautetaan voimaan.",
    "Avbryt tillståndet tillfälligt? Ingen av organisationens användare kan göra sökningar förrän tillståndet återinförs.",
    "Suspend the permit? None of the organisation's users can query until the permit is resumed.",
);
pub const CONFIRM_END_PERMIT: Text = Text::new(
    "Päätetäänkö tietolupa? Kukaan organisaation käyttäjä ei voi enää tehdä kyselyjä; uusi lupa on haettava.",
    "Avsluta tillståndet? Ingen av organisationens användare kan längre göra sökningar; ett nytt tillstånd måste sökas.",
    "End the permit? None of the organisation's users can query any more; a new permit must be applied for.",
);
