//! The three user-interface languages and a trilingual text triple. Every text a user reads
//! exists in Finnish, Swedish and English; code values carry all three.

use serde::{Deserialize, Serialize};

/// A user-interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    Fi,
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    /// The BCP 47 tag, as used in `<html lang>` and the language cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// Parses a tag such as `fi`, `sv-FI` or `en-GB`; anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fi" => Some(Lang::Fi),
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// "In this language", worded in each language: marks a text shown to a reader of
    /// another language, and names the language a form section is written in.
    pub fn in_words(self) -> Text {
        match self {
            Lang::Fi => Text::new("suomeksi", "på finska", "in Finnish"),
            Lang::Sv => Text::new("ruotsiksi", "på svenska", "in Swedish"),
            Lang::En => Text::new("englanniksi", "på engelska", "in English"),
        }
    }

    /// The language's own name, for the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fi => "suomi",
            Lang::Sv => "svenska",
            Lang::En => "English",
        }
    }
}

/// A static text in the three languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub fi: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn new(fi: &'static str, sv: &'static str, en: &'static str) -> Text {
        Text { fi, sv, en }
    }

    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fi => self.fi,
            Lang::Sv => self.sv,
            Lang::En => self.en,
        }
    }
}

/// An owned trilingual text, for code values that travel inside data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    pub fi: String,
    pub sv: String,
    pub en: String,
}

impl Texts {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }
}

impl From<Text> for Texts {
    fn from(t: Text) -> Texts {
        Texts {
            fi: t.fi.to_owned(),
            sv: t.sv.to_owned(),
            en: t.en.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_regional_variants_parse() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("sv-FI"), Some(Lang::Sv));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
