//! The words of `error` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile), and the messages put together from them and from each
//! identifier's grammatical forms. A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use super::{IdError, IdKind, capitalise};
use crate::lang::{Lang, Text};

pub const ID_PART_SATU_NUMBER: Text = Text::new(
    "Sähköisen asiointitunnuksen numero on välillä 10000001–89999999.",
    "Numret i en elektronisk kommunikationskod ligger mellan 10000001 och 89999999.",
    "The number in an electronic transaction id is between 10000001 and 89999999.",
);
pub const ID_PART_MUNICIPALITY: Text = Text::new(
    "Kiinteistötunnuksen ensimmäinen osa on kunnan numero, 1–3 numeroa (198, 199 ja 200 eivät ole kuntia).",
    "Fastighetsbeteckningens första del är kommunens nummer, 1–3 siffror (198, 199 och 200 är inga kommuner).",
    "The first part of a property id is the municipality number, 1 to 3 digits (198, 199 and 200 are not municipalities).",
);
pub const ID_PART_AREA: Text = Text::new(
    "Kiinteistötunnuksen toinen osa on kylän tai kaupunginosan numero, 1–3 numeroa.",
    "Fastighetsbeteckningens andra del är byns eller stadsdelens nummer, 1–3 siffror.",
    "The second part of a property id is the village or district number, 1 to 3 digits.",
);
pub const ID_PART_GROUP: Text = Text::new(
    "Kiinteistötunnuksen kolmas osa on ryhmän (talon tai korttelin) numero, 1–4 numeroa.",
    "Fastighetsbeteckningens tredje del är gruppens (hemmanets eller kvarterets) nummer, 1–4 siffror.",
    "The third part of a property id is the group (house or block) number, 1 to 4 digits.",
);
pub const ID_PART_UNIT: Text = Text::new(
    "Kiinteistötunnuksen neljäs osa on yksikön (tilan tai tontin) numero, 1–4 numeroa.",
    "Fastighetsbeteckningens fjärde del är enhetens (lägenhetens eller tomtens) nummer, 1–4 siffror.",
    "The fourth part of a property id is the unit (holding or plot) number, 1 to 4 digits.",
);
pub const ID_PART_PARCEL: Text = Text::new(
    "Määräalan numero on M ja 1–4 numeroa (1–9999), esim. M601.",
    "Ett outbrutet områdes nummer är M och 1–4 siffror (1–9999), t.ex. M601.",
    "A parcel number is M and 1 to 4 digits (1–9999), e.g. M601.",
);
pub const ID_PART_CHECK_LETTER: Text = Text::new(
    "Vanhan rakennustunnuksen tarkistuskirjain on yksi kirjain A–Z kiinteistötunnuksen jälkeen.",
    "Kontrollbokstaven i en gammal byggnadsbeteckning är en bokstav A–Z efter fastighetsbeteckningen.",
    "The check letter of an old building id is one letter A–Z after the property id.",
);
pub const ID_PART_BUILDING_NUMBER: Text = Text::new(
    "Vanhan rakennustunnuksen lopussa on rakennusnumero, 1–3 numeroa (000–999).",
    "En gammal byggnadsbeteckning slutar med byggnadsnumret, 1–3 siffror (000–999).",
    "An old building id ends in the building number, 1 to 3 digits (000–999).",
);
pub const ID_PART_ADDRESS_NUMBER: Text = Text::new(
    "Pysyvän rakennustunnuksen jälkeen tulee osoitenumero 1–4.",
    "Efter den permanenta byggnadsbeteckningen kommer adressnumret 1–4.",
    "The permanent building id is followed by the address number 1 to 4.",
);
pub const ID_PART_STAIRCASE: Text = Text::new(
    "Porras on yksi kirjain A–Z, Å, Ä tai Ö.",
    "Trappan är en bokstav A–Z, Å, Ä eller Ö.",
    "The staircase is one letter A–Z, Å, Ä or Ö.",
);
pub const ID_PART_FLAT_NUMBER: Text = Text::new(
    "Huoneiston numero on 1–3 numeroa (0–999).",
    "Lägenhetsnumret är 1–3 siffror (0–999).",
    "The flat number is 1 to 3 digits (0–999).",
);
pub const ID_PART_DIVISION_LETTER: Text = Text::new(
    "Jakokirjain on yksi kirjain a–z, å, ä tai ö huoneiston numeron perässä, esim. 12a.",
    "Delningsbokstaven är en bokstav a–z, å, ä eller ö efter lägenhetsnumret, t.ex. 12a.",
    "The division letter is one letter a–z, å, ä or ö after the flat number, e.g. 12a.",
);
pub const ID_PART_COUNTRY_CODE: Text = Text::new(
    "Ulkomaan asuinpaikan maatunnus on kolme numeroa 001–999.",
    "Landskoden för en bostad utomlands är tre siffror 001–999.",
    "The country code of a residence abroad is three digits 001–999.",
);
pub const ID_ERROR_BUSINESS_ID_REMAINDER_ONE: Text = Text::new(
    "Näillä seitsemällä numerolla ei ole Y-tunnusta: tarkistuslaskennan jakojäännös on 1, eikä sellaisia tunnuksia anneta.",
    "Det finns inget FO-nummer med de här sju siffrorna: kontrollräkningen ger resten 1, och sådana nummer ges inte ut.",
    "No business id has these seven digits: the check calculation leaves remainder 1, and such ids are never issued.",
);
pub const ID_ERROR_UNKNOWN_MUNICIPALITY_NAME: Text = Text::new(
    "Tämännimistä kuntaa ei ole. Kirjoita kunnan nimi tai kuntanumero, esim. Espoo tai 049.",
    "Det finns ingen kommun med det namnet. Skriv kommunens namn eller nummer, t.ex. Esbo eller 049.",
    "There is no municipality of that name. Type the municipality's name or number, e.g. Espoo or 049.",
);

/// The grammatical forms a message needs, and how the identifier is written.
pub(super) struct Forms {
    /// Finnish nominative, genitive and inessive.
    pub(super) fi: &'static str,
    fi_gen: &'static str,
    fi_ine: &'static str,
    /// Swedish bare, with the indefinite article, and definite.
    sv: &'static str,
    sv_indef: &'static str,
    sv_def: &'static str,
    /// English bare and with the indefinite article.
    en: &'static str,
    en_indef: &'static str,
    /// How the identifier is written, as a sentence without the example.
    shape: Text,
    /// A valid example in the canonical form.
    pub(super) example: &'static str,
}

impl IdKind {
    pub(super) fn forms(self) -> &'static Forms {
        match self {
            IdKind::Satu => &Forms {
                fi: "sähköinen asiointitunnus",
                fi_gen: "sähköisen asiointitunnuksen",
                fi_ine: "sähköisessä asiointitunnuksessa",
                sv: "elektronisk kommunikationskod",
                sv_indef: "en elektronisk kommunikationskod",
                sv_def: "den elektroniska kommunikationskoden",
                en: "electronic transaction id",
                en_indef: "an electronic transaction id",
                shape: Text {
                    fi: "Sähköinen asiointitunnus on kahdeksan numeroa ja tarkistusmerkki",
                    sv: "En elektronisk kommunikationskod är åtta siffror och ett kontrolltecken",
                    en: "An electronic transaction id is eight digits and a check character",
                },
                example: "12345678N",
            },
            IdKind::BuildingId => &Forms {
                fi: "pysyvä rakennustunnus",
                fi_gen: "pysyvän rakennustunnuksen",
                fi_ine: "pysyvässä rakennustunnuksessa",
                sv: "permanent byggnadsbeteckning",
                sv_indef: "en permanent byggnadsbeteckning",
                sv_def: "den permanenta byggnadsbeteckningen",
                en: "permanent building id",
                en_indef: "a permanent building id",
                shape: Text {
                    fi: "Pysyvä rakennustunnus on numero 1, kahdeksan numeroa ja tarkistusmerkki",
                    sv: "En permanent byggnadsbeteckning är siffran 1, åtta siffror och ett kontrolltecken",
                    en: "A permanent building id is the digit 1, eight more digits and a check character",
                },
                example: "100012345N",
            },
            IdKind::OldBuildingId => &Forms {
                fi: "vanha rakennustunnus",
                fi_gen: "vanhan rakennustunnuksen",
                fi_ine: "vanhassa rakennustunnuksessa",
                sv: "gammal byggnadsbeteckning",
                sv_indef: "en gammal byggnadsbeteckning",
                sv_def: "den gamla byggnadsbeteckningen",
                en: "old building id",
                en_indef: "an old building id",
                shape: Text {
                    fi: "Vanha rakennustunnus on kiinteistötunnus, tarkistuskirjain ja kolminumeroinen rakennusnumero väliviivoin erotettuina tai ilman väliviivoja",
                    sv: "En gammal byggnadsbeteckning är fastighetsbeteckningen, en kontrollbokstav och ett tresiffrigt byggnadsnummer, med eller utan bindestreck",
                    en: "An old building id is the property id, a check letter and a three-digit building number, with or without hyphens",
                },
                example: "091-401-0001-0002-A-001",
            },
            IdKind::PropertyId => &Forms {
                fi: "kiinteistötunnus",
                fi_gen: "kiinteistötunnuksen",
                fi_ine: "kiinteistötunnuksessa",
                sv: "fastighetsbeteckning",
                sv_indef: "en fastighetsbeteckning",
                sv_def: "fastighetsbeteckningen",
                en: "property id",
                en_indef: "a property id",
                shape: Text {
                    fi: "Kiinteistötunnus on neljä väliviivoin erotettua numero-osaa (kunta, kylä tai kaupunginosa, ryhmä, yksikkö), etunollat saa jättää pois, tai 14 numeroa ilman väliviivoja",
                    sv: "En fastighetsbeteckning är fyra nummer åtskilda med bindestreck (kommun, by eller stadsdel, grupp, enhet), inledande nollor får utelämnas, eller 14 siffror utan bindestreck",
                    en: "A property id is four numbers separated by hyphens (municipality, village or district, group, unit), leading zeros may be left out, or 14 digits without hyphens",
                },
                example: "091-401-0001-0002",
            },
            IdKind::MunicipalityCode => &Forms {
                fi: "kuntanumero",
                fi_gen: "kuntanumeron",
                fi_ine: "kuntanumerossa",
                sv: "kommunnummer",
                sv_indef: "ett kommunnummer",
                sv_def: "kommunnumret",
                en: "municipality number",
                en_indef: "a municipality number",
                shape: Text {
                    fi: "Kuntanumero kirjoitetaan kolmella numerolla",
                    sv: "Ett kommunnummer skrivs med tre siffror",
                    en: "A municipality number is written with three digits",
                },
                example: "091",
            },
            IdKind::BusinessId => &Forms {
                fi: "Y-tunnus",
                fi_gen: "Y-tunnuksen",
                fi_ine: "Y-tunnuksessa",
                sv: "FO-nummer",
                sv_indef: "ett FO-nummer",
                sv_def: "FO-numret",
                en: "business id",
                en_indef: "a business id",
                shape: Text {
                    fi: "Y-tunnus on seitsemän numeroa, väliviiva ja tarkistusnumero",
                    sv: "Ett FO-nummer är sju siffror, ett bindestreck och en kontrollsiffra",
                    en: "A business id is seven digits, a hyphen and a check digit",
                },
                example: "0245437-2",
            },
            IdKind::PostalCode => &Forms {
                fi: "postinumero",
                fi_gen: "postinumeron",
                fi_ine: "postinumerossa",
                sv: "postnummer",
                sv_indef: "ett postnummer",
                sv_def: "postnumret",
                en: "postal code",
                en_indef: "a postal code",
                shape: Text {
                    fi: "Postinumero on viisi numeroa etunollineen",
                    sv: "Ett postnummer är fem siffror med inledande nollor",
                    en: "A postal code is five digits, leading zeros included",
                },
                example: "00100",
            },
            IdKind::DwellingId => &Forms {
                fi: "huoneistotunnus",
                fi_gen: "huoneistotunnuksen",
                fi_ine: "huoneistotunnuksessa",
                sv: "lägenhetsbeteckning",
                sv_indef: "en lägenhetsbeteckning",
                sv_def: "lägenhetsbeteckningen",
                en: "dwelling id",
                en_indef: "a dwelling id",
                shape: Text {
                    fi: "Huoneistotunnus on porraskirjain, huoneiston numero ja mahdollinen jakokirjain",
                    sv: "En lägenhetsbeteckning är trappans bokstav, lägenhetsnumret och en eventuell delningsbokstav",
                    en: "A dwelling id is a staircase letter, a flat number and an optional division letter",
                },
                example: "B 12a",
            },
            IdKind::ResidenceId => &Forms {
                fi: "asuinpaikantunnus",
                fi_gen: "asuinpaikantunnuksen",
                fi_ine: "asuinpaikantunnuksessa",
                sv: "bostadsbeteckning",
                sv_indef: "en bostadsbeteckning",
                sv_def: "bostadsbeteckningen",
                en: "residence id",
                en_indef: "a residence id",
                shape: Text {
                    fi: "Asuinpaikantunnus on pysyvä rakennustunnus, osoitenumero ja huoneistotunnus (16 merkkiä) tai ulkomailla asuvalla 200, maatunnus ja kahdeksan nollaa (14 merkkiä)",
                    sv: "En bostadsbeteckning är den permanenta byggnadsbeteckningen, adressnumret och lägenhetsbeteckningen (16 tecken) eller, för den som bor utomlands, 200, landskoden och åtta nollor (14 tecken)",
                    en: "A residence id is the permanent building id, the address number and the dwelling id (16 characters) or, for a residence abroad, 200, the country code and eight zeros (14 characters)",
                },
                example: "100012345N1B012a",
            },
        }
    }

    /// The identifier's name, as a field label.
    pub fn name(self, lang: Lang) -> String {
        let f = self.forms();
        match lang {
            Lang::Fi => capitalise(f.fi),
            Lang::Sv => capitalise(f.sv),
            Lang::En => capitalise(f.en),
        }
    }

    /// How the identifier is written, with the example: one sentence.
    pub fn shape(self, lang: Lang) -> String {
        let for_example = match lang {
            Lang::Fi => "esim.",
            Lang::Sv => "t.ex.",
            Lang::En => "e.g.",
        };
        format!(
            "{}, {for_example} {}.",
            self.forms().shape.get(lang),
            self.example()
        )
    }

    /// Business ids end in a check *digit*; the mod-31 identifiers in a check *character*.
    fn check_word(self, lang: Lang) -> &'static str {
        match (self == IdKind::BusinessId, lang) {
            (true, Lang::Fi) => "tarkistusnumero",
            (true, Lang::Sv) => "kontrollsiffran",
            (true, Lang::En) => "check digit",
            (false, Lang::Fi) => "tarkistusmerkki",
            (false, Lang::Sv) => "kontrolltecknet",
            (false, Lang::En) => "check character",
        }
    }
}

impl IdError {
    /// The message shown under the field.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            IdError::Empty { kind } => {
                let f = kind.forms();
                match lang {
                    Lang::Fi => format!("Kirjoita {}.", f.fi),
                    Lang::Sv => format!("Skriv {}.", f.sv_indef),
                    Lang::En => format!("Enter {}.", f.en_indef),
                }
            }
            IdError::Length {
                kind,
                expected,
                found,
            } => {
                let f = kind.forms();
                let count = match lang {
                    Lang::Fi => format!(
                        "{} on {expected} merkkiä, ei {found}.",
                        capitalise(f.fi_ine)
                    ),
                    Lang::Sv => format!(
                        "{} har {expected} tecken, inte {found}.",
                        capitalise(f.sv_indef)
                    ),
                    Lang::En => format!(
                        "{} has {expected} characters, not {found}.",
                        capitalise(f.en_indef)
                    ),
                };
                format!("{count} {}", kind.shape(lang))
            }
            IdError::Format { kind } => kind.shape(lang),
            IdError::Part { part, .. } => part.rule().get(lang).to_owned(),
            IdError::CheckCharacterInvalid { kind, found } => {
                let f = kind.forms();
                match lang {
                    Lang::Fi => format!(
                        "”{found}” ei voi olla {} tarkistusmerkki (G, I, O, Q ja Z eivät ole käytössä).",
                        f.fi_gen
                    ),
                    Lang::Sv => format!(
                        "”{found}” kan inte vara kontrolltecknet i {} (G, I, O, Q och Z används inte).",
                        f.sv_def
                    ),
                    Lang::En => format!(
                        "“{found}” cannot be the {}'s check character (G, I, O, Q and Z are not used).",
                        f.en
                    ),
                }
            }
            IdError::CheckCharacter { kind } => {
                let f = kind.forms();
                let check = kind.check_word(lang);
                match lang {
                    Lang::Fi => format!(
                        "{} on kirjoitusvirhe: jokin numeroista tai {check} on väärin. Tarkista koko tunnus.",
                        capitalise(f.fi_ine)
                    ),
                    Lang::Sv => format!(
                        "{} har ett skrivfel: någon siffra eller {check} är fel. Kontrollera hela beteckningen.",
                        capitalise(f.sv_def)
                    ),
                    Lang::En => format!(
                        "The {} has a typo: a digit or the {check} is wrong. Check the whole id.",
                        f.en
                    ),
                }
            }
            IdError::BusinessIdRemainderOne => {
                ID_ERROR_BUSINESS_ID_REMAINDER_ONE.get(lang).to_owned()
            }
            IdError::UnknownMunicipalityName => {
                ID_ERROR_UNKNOWN_MUNICIPALITY_NAME.get(lang).to_owned()
            }
            IdError::UnknownMunicipality { code } => match lang {
                Lang::Fi => format!(
                    "Kuntanumeroa {code:03} ei ole: se ei ole nykyisen eikä entisen kunnan numero."
                ),
                Lang::Sv => format!(
                    "Kommunnummer {code:03} finns inte: det tillhör varken en nuvarande eller en tidigare kommun."
                ),
                Lang::En => format!(
                    "There is no municipality number {code:03}: it belongs to no current or former municipality."
                ),
            },
        }
    }
}
