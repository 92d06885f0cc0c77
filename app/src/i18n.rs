//! The UI language: a signal in context, set from the `kysely_lang` cookie or the browser's
//! languages on the server and read back from `<html lang>` when the page hydrates, so server
//! and browser start from the same value.

use domain::{Lang, Text};
use leptos::prelude::*;

/// The current language, in context.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

pub const LANG_COOKIE: &str = "kysely_lang";

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<I18n>().map_or_else(|| RwSignal::new(Lang::Fi), |i| i.0)
}

/// A reactive text in the current language.
pub fn tr(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || text.get(lang.get())
}

/// The language the page starts in.
pub fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<Lang>().unwrap_or_default()
    }
    #[cfg(all(not(feature = "ssr"), feature = "hydrate"))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }
    #[cfg(all(not(feature = "ssr"), not(feature = "hydrate")))]
    {
        Lang::default()
    }
}

/// Remembers the choice for a year (the cookie holds only the language tag).
pub fn remember(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = doc.set_cookie(&format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.tag()
            ));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

/// Today's date in Finland by the browser's clock (for validation as you type; event handlers
/// run only in the browser).
pub fn browser_today() -> domain::Date {
    #[cfg(feature = "hydrate")]
    let millis = js_sys::Date::now() as i64;
    #[cfg(not(feature = "hydrate"))]
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    domain::Timestamp(millis).date_in_finland()
}

/// Texts of the application frame and pages.
pub mod t {
    use domain::Text;

    pub const APP: Text = Text::new("Kysely", "Kysely", "Kysely");
    pub const TAGLINE: Text = Text::new(
        "Väestötietojärjestelmän kyselypalvelu",
        "Frågetjänst för befolkningsdatasystemet",
        "Population register query service",
    );
    pub const SKIP: Text = Text::new(
        "Siirry sisältöön",
        "Hoppa till innehållet",
        "Skip to content",
    );
    pub const SIGN_OUT: Text = Text::new("Kirjaudu ulos", "Logga ut", "Sign out");
    pub const LANGUAGE: Text = Text::new("Kieli", "Språk", "Language");
    pub const SEARCH_TITLE: Text = Text::new("Henkilöhaku", "Personsökning", "Find a person");
    pub const HETU_LABEL: Text = Text::new("Henkilötunnus", "Personbeteckning", "Identity code");
    pub const HETU_HINT: Text = Text::new(
        "Muoto PPKKVV-NNNT, esimerkiksi 131052-308T.",
        "Formen DDMMÅÅ-NNNT, till exempel 131052-308T.",
        "Format DDMMYY-NNNT, for example 131052-308T.",
    );
    pub const HETU_VALID: Text = Text::new(
        "Henkilötunnus on oikeaa muotoa.",
        "Personbeteckningen har rätt form.",
        "The identity code is well formed.",
    );
    pub const SEARCH: Text = Text::new("Hae", "Sök", "Search");
    pub const SEARCHING: Text = Text::new("Haetaan…", "Söker…", "Searching…");
    pub const PERSON_NOT_FOUND: Text = Text::new(
        "Tällä henkilötunnuksella ei löydy henkilöä. Tarkista tunnus.",
        "Ingen person hittades med den här personbeteckningen. Kontrollera beteckningen.",
        "No person has this identity code. Please check the code.",
    );
    pub const NO_PERMISSION: Text =
        Text::new("Ei käyttöoikeutta", "Ingen behörighet", "No permission");
    pub const DENIAL_LOGGED: Text = Text::new(
        "Yritys on kirjattu lokiin.",
        "Försöket har loggats.",
        "The attempt has been logged.",
    );
    pub const REFERENCE: Text = Text::new("Viitetunnus", "Referens", "Reference");
    pub const LOADING: Text = Text::new("Ladataan…", "Laddar…", "Loading…");
    pub const NOT_FOUND_TITLE: Text =
        Text::new("Sivua ei löytynyt", "Sidan hittades inte", "Page not found");
    pub const BACK_TO_SEARCH: Text = Text::new(
        "Takaisin hakuun",
        "Tillbaka till sökningen",
        "Back to search",
    );
    pub const SIGN_IN_AGAIN: Text =
        Text::new("Kirjaudu uudelleen", "Logga in på nytt", "Sign in again");
    pub const PROTECTION_NOTICE: Text = Text::new(
        "Henkilöllä on turvakielto. Osoite- ja kotikuntatietoja ei luovuteta ilman oikeutta turvakiellon alaisiin tietoihin.",
        "Personen har spärrmarkering. Adress- och hemkommunsuppgifter lämnas inte ut utan rätt till spärrade uppgifter.",
        "This person has a protection order. Address and home-municipality data are not disclosed without the right to protected data.",
    );
    pub const ROWS_WITHHELD: Text = Text::new(
        "Osa riveistä on jätetty pois turvakiellon vuoksi.",
        "Några rader har utelämnats på grund av spärrmarkering.",
        "Some rows were left out because of protection orders.",
    );
    pub const WITHHELD: Text = Text::new("Turvakielto", "Spärrmarkering", "Protected");
    pub const NO_ROWS: Text = Text::new("Ei tietoja.", "Inga uppgifter.", "No data.");
    pub const YES: Text = Text::new("Kyllä", "Ja", "Yes");
    pub const NO: Text = Text::new("Ei", "Nej", "No");
    pub const SCREENS: Text = Text::new("Näkymät", "Vyer", "Screens");
    pub const PRINT: Text = Text::new("Tulosta", "Skriv ut", "Print");
    pub const CONFIDENTIAL: Text = Text::new(
        "Luottamuksellinen – väestötietojärjestelmän tietoja",
        "Konfidentiellt – uppgifter ur befolkningsdatasystemet",
        "Confidential – population register data",
    );
}
