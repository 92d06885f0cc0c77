//! The words of `library` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const DOCUMENT_CATEGORY_FORM: Text = Text::new("Lomake", "Blankett", "Form");
pub const DOCUMENT_CATEGORY_TERMS: Text = Text::new("Käyttöehdot", "Villkor", "Terms");
pub const DOCUMENT_CATEGORY_GUIDE: Text = Text::new("Ohje", "Anvisning", "Guide");
pub const UPLOAD_PROBLEM_NO_FILE: Text = Text::new(
    "Valitse tallennettava tiedosto.",
    "Välj filen som ska sparas.",
    "Choose the file to save.",
);
pub const UPLOAD_PROBLEM_FILE_TYPE: Text = Text::new(
    "Tiedostoa ei tallennettu: sallittuja ovat PDF, PNG, JPEG ja pelkkä teksti (tyyppi tarkistetaan sisällöstä).",
    "Filen sparades inte: tillåtna är PDF, PNG, JPEG och ren text (typen kontrolleras från innehållet).",
    "The file was not saved: PDF, PNG, JPEG and plain text are allowed (the type is checked from the content).",
);
pub const UPLOAD_PROBLEM_TOO_LARGE: Text = Text::new(
    "Tiedostoa ei tallennettu: se on yli 5 Mt.",
    "Filen sparades inte: den är större än 5 MB.",
    "The file was not saved: it is over 5 MB.",
);
pub const UPLOAD_PROBLEM_TITLE: Text = Text::new(
    "Kirjoita otsikko (3–120 merkkiä) ja valitse laji.",
    "Skriv en rubrik (3–120 tecken) och välj typ.",
    "Write a title (3–120 characters) and choose the kind.",
);
pub const UPLOAD_PROBLEM_NOT_ALLOWED: Text = Text::new(
    "Sinulla ei ole oikeutta tallentaa tätä tiedostoa.",
    "Du har inte rätt att spara den här filen.",
    "You may not save this file.",
);
pub const UPLOAD_PROBLEM_STEP_UP: Text = Text::new(
    "Asiakirjan tallentaminen vaatii kaksivaiheisen kirjautumisen (kertakoodi). Kirjaudu uudelleen kertakoodilla ja tallenna sitten.",
    "Att spara dokumentet kräver inloggning i två steg (engångskod). Logga in på nytt med engångskoden och spara sedan.",
    "Saving a document needs a two-step sign-in (one-time code). Sign in again with the code, then save.",
);
pub const UPLOAD_PROBLEM_UNAVAILABLE: Text = Text::new(
    "Tallennus ei juuri nyt onnistu. Yritä hetken kuluttua uudelleen.",
    "Det går inte att spara just nu. Försök igen om en stund.",
    "Saving is not possible just now. Try again in a moment.",
);
