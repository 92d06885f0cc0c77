//! The words of `library` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use domain::Text;

pub const TITLE: Text = Text::new("Kirjasto", "Bibliotek", "Library");
pub const INTRO: Text = Text::new(
    "Lomakkeet, luvan käyttöehdot ja ohjeet. Uusin versio on voimassa; vanhemmat versiot ovat tallessa.",
    "Blanketter, tillståndets villkor och anvisningar. Den senaste versionen gäller; äldre versioner finns kvar.",
    "Forms, the permit's terms and guides. The newest version is in force; older versions are kept.",
);
pub const DOCUMENTS: Text = Text::new("Asiakirjat", "Dokument", "Documents");
pub const KIND: Text = Text::new("Laji", "Typ", "Kind");
pub const UPDATED: Text = Text::new("Päivitetty", "Uppdaterad", "Updated");
pub const DOWNLOAD: Text = Text::new("Lataa", "Ladda ner", "Download");
pub const OLDER: Text = Text::new("Aiemmat versiot", "Tidigare versioner", "Earlier versions");
pub const VERSION: Text = Text::new("versio", "version", "version");
pub const NONE: Text = Text::new(
    "Kirjastossa ei ole vielä asiakirjoja.",
    "Biblioteket har inga dokument ännu.",
    "The library has no documents yet.",
);
pub const UPLOAD: Text = Text::new("Lisää asiakirja", "Lägg till dokument", "Add a document");
pub const NEW_VERSION_OF: Text = Text::new(
    "Uusi versio asiakirjasta",
    "Ny version av dokumentet",
    "New version of",
);
pub const NEW_DOCUMENT: Text = Text::new("(uusi asiakirja)", "(nytt dokument)", "(a new document)");
pub const SAVE: Text = Text::new("Tallenna", "Spara", "Save");
pub const SAVED: Text = Text::new(
    "Asiakirja tallennettu.",
    "Dokumentet sparat.",
    "Document saved.",
);
pub const ALLOWED: Text = Text::new(
    "PDF, PNG, JPEG tai pelkkä teksti, enintään 5 Mt.",
    "PDF, PNG, JPEG eller ren text, högst 5 MB.",
    "PDF, PNG, JPEG or plain text, at most 5 MB.",
);
