//! The words of `sessions` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use domain::Text;

pub const TITLE: Text = Text::new("Istunnot", "Sessioner", "Sessions");
pub const INTRO: Text = Text::new(
    "Olet kirjautuneena näissä istunnoissa. Päätä istunto, jota et tunnista tai jota et enää käytä; tämän selaimen istunnon päätät kirjautumalla ulos.",
    "Du är inloggad i dessa sessioner. Avsluta en session du inte känner igen eller inte längre använder; den här webbläsarens session avslutar du genom att logga ut.",
    "You are signed in in these sessions. End any session you do not recognise or no longer use; end this browser's session by signing out.",
);
pub const STARTED: Text = Text::new("Alkanut", "Började", "Started");
pub const LAST_USED: Text = Text::new("Viimeksi käytetty", "Senast använd", "Last used");
pub const ADDRESS: Text = Text::new("Osoite", "Adress", "Address");
pub const TERMINAL: Text = Text::new("Pääte", "Terminal", "Terminal");
pub const KIOSK: Text = Text::new("Asiointipiste", "Kundterminal", "Service-desk kiosk");
pub const DESKTOP: Text = Text::new("Työasema", "Arbetsstation", "Workstation");
pub const STATE: Text = Text::new("Tila", "Status", "Status");
pub const THIS: Text = Text::new("Tämä selain", "Den här webbläsaren", "This browser");
pub const END: Text = Text::new("Päätä", "Avsluta", "End");
pub const END_OTHERS: Text = Text::new(
    "Päätä kaikki muut istunnot",
    "Avsluta alla andra sessioner",
    "End all other sessions",
);
pub const ENDED: Text = Text::new(
    "Päätetty istuntoja: ",
    "Avslutade sessioner: ",
    "Sessions ended: ",
);
pub const ENDING: Text = Text::new(
    "Istunto päättymässä",
    "Sessionen håller på att avslutas",
    "Your session is ending",
);
pub const IDLE_LEFT: Text = Text::new(
    "Istuntosi päättyy käyttämättömyyden vuoksi, ja sinut kirjataan ulos. Aikaa jäljellä, sekuntia:",
    "Din session avslutas eftersom den inte har använts, och du loggas ut. Sekunder kvar:",
    "Your session is ending because it has not been used, and you will be signed out. Seconds left:",
);
pub const ABSOLUTE_LEFT: Text = Text::new(
    "Istunnon enimmäiskesto täyttyy, ja sinut kirjataan ulos. Kirjaudu sen jälkeen uudelleen. Aikaa jäljellä, sekuntia:",
    "Sessionens maximala längd nås och du loggas ut. Logga sedan in igen. Sekunder kvar:",
    "Your session reaches its maximum length and you will be signed out. Sign in again afterwards. Seconds left:",
);
pub const CONTINUE: Text = Text::new(
    "Jatka istuntoa",
    "Fortsätt sessionen",
    "Continue the session",
);
