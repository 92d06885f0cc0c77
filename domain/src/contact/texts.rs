//! The words of `contact` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const TOPIC_PERMIT: Text = Text::new("Tietolupa", "Uppgiftstillstånd", "Data permit");
pub const TOPIC_RIGHTS: Text = Text::new("Käyttöoikeudet", "Behörigheter", "User rights");
pub const TOPIC_TECHNICAL: Text =
    Text::new("Tekninen ongelma", "Tekniskt problem", "Technical problem");
pub const TOPIC_FEES: Text = Text::new(
    "Maksut ja laskutus",
    "Avgifter och fakturering",
    "Fees and invoicing",
);
pub const TOPIC_OTHER: Text = Text::new("Muu asia", "Annat ärende", "Something else");
pub const QUESTION_STATE_OPEN: Text =
    Text::new("Odottaa vastausta", "Väntar på svar", "Awaiting an answer");
pub const QUESTION_STATE_ANSWERED: Text = Text::new("Vastattu", "Besvarad", "Answered");
pub const QUESTION_STATE_CLOSED: Text = Text::new("Suljettu", "Stängd", "Closed");
pub const NOTICE_KIND_PLANNED_BREAK: Text =
    Text::new("Käyttökatko", "Driftavbrott", "Planned break");
pub const NOTICE_KIND_INCIDENT: Text = Text::new("Häiriö", "Störning", "Incident");
pub const NOTICE_KIND_INFO: Text = Text::new("Tiedote", "Meddelande", "Notice");
pub const CONFIRMATION_SUBJECT: Text = Text::new(
    "Kysely: vahvista palvelutiedotteiden tilaus",
    "Kysely: bekräfta beställningen av driftmeddelanden",
    "Kysely: confirm your subscription to service notices",
);
pub const CONFIRMATION_BODY: Text = Text::new(
    "Tähän osoitteeseen on tilattu Kyselyn palvelutiedotteet. Vahvista tilaus avaamalla linkki ja painamalla Vahvista tilaus (kirjaudu sisään samalla tunnuksella, jolla tilasit):",
    "Kyselys driftmeddelanden har beställts till den här adressen. Bekräfta beställningen genom att öppna länken och trycka på Bekräfta beställningen (logga in med samma konto som du beställde med):",
    "Kysely's service notices were subscribed to at this address. Confirm by opening the link and pressing Confirm the subscription (sign in with the account you subscribed with):",
);
pub const CONFIRMATION_IGNORE: Text = Text::new(
    "Jos et tilannut tiedotteita, voit jättää tämän viestin huomiotta: osoitteeseen ei lähetetä mitään ilman vahvistusta.",
    "Om du inte beställde meddelandena kan du bortse från detta meddelande: inget skickas till adressen utan bekräftelse.",
    "If you did not subscribe, ignore this message: nothing is sent to this address without confirmation.",
);
pub const NOTICE_IN_EFFECT_UNTIL: Text =
    Text::new("Voimassa", "Gäller till och med", "In effect until");
pub const NOTICE_FOOTER: Text = Text::new(
    "Sait tämän viestin, koska tilasit Kyselyn palvelutiedotteet. Tilauksen voi perua Kyselyn Yhteydenotto-sivulla.",
    "Du får detta meddelande eftersom du beställt Kyselys driftmeddelanden. Beställningen kan avslutas på sidan Kontakt i Kysely.",
    "You receive this because you subscribed to Kysely's service notices. You can unsubscribe on Kysely's Contact page.",
);
