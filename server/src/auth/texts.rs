//! The words of `auth` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use domain::Text;

pub const LOGIN_FAILED: Text = Text::new(
    "Kirjautuminen epäonnistui",
    "Inloggningen misslyckades",
    "Sign-in failed",
);
pub const UNAVAILABLE: Text = Text::new(
    "Palvelu ei ole juuri nyt käytettävissä. Yritä hetken kuluttua uudelleen.",
    "Tjänsten är inte tillgänglig just nu. Försök igen om en stund.",
    "The service is unavailable right now. Please try again in a moment.",
);
pub const TRY_AGAIN: Text = Text::new("Kirjaudu uudelleen", "Logga in på nytt", "Sign in again");
pub const TOO_MANY: Text = Text::new(
    "Liian monta yritystä lyhyessä ajassa. Odota hetki ja yritä uudelleen.",
    "För många försök på kort tid. Vänta en stund och försök igen.",
    "Too many attempts in a short time. Wait a moment and try again.",
);
pub const PROVIDER_UNREACHABLE: Text = Text::new(
    "Tunnistuspalveluun ei saatu yhteyttä. Yritä hetken kuluttua uudelleen.",
    "Identifieringstjänsten kunde inte nås. Försök igen om en stund.",
    "The identity provider could not be reached. Please try again in a moment.",
);
pub const CANCELLED_TITLE: Text = Text::new(
    "Kirjautuminen peruttiin",
    "Inloggningen avbröts",
    "Sign-in cancelled",
);
pub const CANCELLED_DETAIL: Text = Text::new(
    "Peruit kirjautumisen tunnistuspalvelussa. Et ole kirjautunut sisään.",
    "Du avbröt inloggningen i identifieringstjänsten. Du är inte inloggad.",
    "You cancelled the sign-in at the identity provider. You are not signed in.",
);
pub const SIGN_IN: Text = Text::new("Kirjaudu sisään", "Logga in", "Sign in");
pub const FLOW_EXPIRED: Text = Text::new(
    "Kirjautuminen vanheni tai sitä ei aloitettu tästä palvelusta. Aloita alusta.",
    "Inloggningen gick ut eller startades inte från den här tjänsten. Börja om.",
    "The sign-in expired or was not started from this service. Please start again.",
);
pub const OTHER_BROWSER: Text = Text::new(
    "Kirjautuminen aloitettiin toisessa selaimessa. Aloita kirjautuminen tästä selaimesta.",
    "Inloggningen startades i en annan webbläsare. Börja logga in från den här webbläsaren.",
    "The sign-in was started in another browser. Start signing in from this browser.",
);
pub const NOT_ACCEPTED: Text = Text::new(
    "Tunnistuspalvelun vastausta ei hyväksytty.",
    "Identifieringstjänstens svar godkändes inte.",
    "The identity provider's answer was not accepted.",
);
pub const NO_ORGANISATION: Text = Text::new(
    "Käyttäjätunnukseesi ei liity organisaatiota. Ota yhteys vastuukäyttäjään.",
    "Ditt användar-id är inte kopplat till någon organisation. Kontakta den ansvariga användaren.",
    "Your account is not linked to an organisation. Contact your responsible user.",
);
pub const MALFORMED_IDENTITY: Text = Text::new(
    "Tunnistuspalvelu antoi käyttäjä- tai organisaatiotunnuksen, jota Kysely ei voi käyttää. Kirjautuminen ei onnistu ennen kuin tunnus korjataan: ilmoita viitenumero tuelle.",
    "Identifieringstjänsten gav ett användar- eller organisations-id som Kysely inte kan använda. Inloggningen lyckas inte förrän id:t rättats: uppge referensen till supporten.",
    "The identity provider gave a user or organisation id that Kysely cannot use. Signing in will not work until it is corrected: give support the reference.",
);
pub const LOGOUT_FAILED_TITLE: Text = Text::new(
    "Uloskirjautuminen epäonnistui",
    "Utloggningen misslyckades",
    "Sign-out failed",
);
pub const LOGOUT_FAILED_DETAIL: Text = Text::new(
    "Istuntoa ei saatu päätettyä. Yritä uudelleen. Jos tämä toistuu, sulje selain ja ilmoita viitenumero tuelle.",
    "Sessionen kunde inte avslutas. Försök igen. Om det upprepas, stäng webbläsaren och uppge referensen till supporten.",
    "The session could not be ended. Try again. If this keeps happening, close the browser and give support the reference.",
);
pub const SIGN_OUT: Text = Text::new("Kirjaudu ulos", "Logga ut", "Sign out");
pub const LOGGED_OUT_TITLE: Text = Text::new(
    "Olet kirjautunut ulos",
    "Du har loggat ut",
    "You have signed out",
);
pub const SESSION_ENDED_TITLE: Text = Text::new(
    "Kyselyn istunto on päättynyt",
    "Sessionen i Kysely har avslutats",
    "Your Kysely session has ended",
);
pub const LOGOUT_UNCONFIRMED: Text = Text::new(
    "Tunnistuspalvelu ei vahvistanut uloskirjautumista. Sulje selain, jos muut käyttävät tätä laitetta.",
    "Identifieringstjänsten bekräftade inte utloggningen. Stäng webbläsaren om andra använder den här enheten.",
    "The identity provider did not confirm the sign-out. Close the browser if others use this device.",
);
pub const EXPIRED_TITLE: Text = Text::new(
    "Istunto on päättynyt",
    "Sessionen har avslutats",
    "Your session has ended",
);
pub const BLOCKED_TITLE: Text = Text::new(
    "Käyttöoikeutesi on estetty",
    "Din behörighet har spärrats",
    "Your right has been blocked",
);
pub const BLOCKED_DETAIL: Text = Text::new(
    "{} esti käyttöoikeutesi {}. Avoimet istuntosi päättyivät, eikä kyselyjä voi tehdä ennen kuin rekisterinpitäjä poistaa eston. Kysy syytä häneltä tai organisaatiosi vastuukäyttäjältä.",
    "{} spärrade din behörighet {}. Dina öppna sessioner avslutades och sökningar kan inte göras förrän den registeransvariga häver spärren. Fråga hen eller din organisations ansvariga användare om orsaken.",
    "{} blocked your right on {}. Your open sessions ended, and no queries can be made until the registry lifts the block. Ask them, or your organisation's responsible user, why.",
);
pub const EXPIRED_DETAIL: Text = Text::new(
    "Sinut kirjattiin ulos: istuntoa ei käytetty, sen enimmäiskesto täyttyi tai se päätettiin. Kirjaudu uudelleen jatkaaksesi.",
    "Du loggades ut: sessionen användes inte, nådde sin maximala längd eller avslutades. Logga in igen för att fortsätta.",
    "You were signed out: the session was not used, reached its maximum length or was ended. Sign in again to continue.",
);
