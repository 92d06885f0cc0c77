//! The register's code lists, each value with its Finnish, Swedish and English text. Records
//! store the compact enum (one byte on disk); screens turn it into a `CodeValue` with texts.

use crate::lang::{Text, Texts};
use serde::{Deserialize, Serialize};

/// A coded value with its texts, e.g. mother tongue `fi` / suomi / finska / Finnish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeValue {
    pub code: String,
    pub text: Texts,
}

/// Declares a code list: an enum whose variants carry the register's code and three texts.
macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal : $fi:literal, $sv:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The register's code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn text(self) -> Text {
                match self { $($name::$variant => Text::new($fi, $sv, $en)),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            pub fn code_value(self) -> CodeValue {
                CodeValue { code: self.code().to_owned(), text: Texts::from(self.text()) }
            }
        }
    };
}

code_list! {
    /// Legal sex (Sukupuolikoodi).
    Sex {
        Male = "1": "mies", "man", "male";
        Female = "2": "nainen", "kvinna", "female";
    }
}

code_list! {
    /// Kinds of name (Nimilajikoodi).
    NameKind {
        Surname = "01": "sukunimi", "efternamn", "surname";
        FirstNames = "02": "etunimet", "förnamn", "first names";
        MiddleName = "03": "välinimi", "mellannamn", "middle name";
        CallName = "04": "kutsumanimi", "tilltalsnamn", "call name";
        FormerSurname = "05": "entinen sukunimi", "tidigare efternamn", "former surname";
        FormerFirstNames = "06": "entiset etunimet", "tidigare förnamn", "former first names";
        UnmarriedSurname = "07": "sukunimi viimeksi naimattomana", "efternamn som ogift", "surname when last unmarried";
        FormerMiddleName = "08": "entinen välinimi", "tidigare mellannamn", "former middle name";
        FormerCallName = "09": "entinen kutsumanimi", "tidigare tilltalsnamn", "former call name";
    }
}

code_list! {
    /// How a name changed (Muutostapa).
    NameChangeWay {
        FirstNameChange = "1": "etunimen muutos", "ändring av förnamn", "first name change";
        BackToUnmarried = "4": "paluu viimeksi naimattomana olleeseen sukunimeen", "återtagande av efternamn som ogift", "back to last unmarried surname";
        SurnameByNotice = "6": "sukunimen muutos ilmoituksella", "ändring av efternamn genom anmälan", "surname change by notice";
        SpousesName = "9": "puolison sukunimen ottaminen", "tagande av makes efternamn", "spouse's surname taken";
        CallNameChange = "N": "kutsumanimen muutos", "ändring av tilltalsnamn", "call name change";
    }
}

code_list! {
    /// Kinds of address, in the precedence of the "best address" rule.
    AddressKind {
        Permanent = "1": "vakinainen osoite", "stadigvarande adress", "permanent address";
        Postal = "3": "postiosoite", "postadress", "postal address";
        Temporary = "5": "tilapäinen osoite", "tillfällig adress", "temporary address";
    }
}

code_list! {
    /// How a marriage or registered partnership began.
    MarriageStart {
        Church = "1": "kirkollinen vihkiminen", "kyrklig vigsel", "church wedding";
        Civil = "2": "siviilivihkiminen", "borgerlig vigsel", "civil wedding";
        Unknown = "3": "tuntematon", "okänd", "unknown";
        PartnershipRegistered = "4": "parisuhde rekisteröity", "partnerskap registrerat", "partnership registered";
        FromPartnership = "5": "parisuhde muutettu avioliitoksi", "partnerskap omvandlat till äktenskap", "partnership turned into marriage";
    }
}

code_list! {
    /// How a marriage or registered partnership ended.
    MarriageEnd {
        Divorce = "1": "avioero", "skilsmässa", "divorce";
        SpouseDied = "2": "puolison kuolema", "makens död", "death of spouse";
        Annulment = "3": "peruutus", "återgång", "annulment";
        PartnershipDissolved = "6": "parisuhde purettu", "partnerskap upplöst", "partnership dissolved";
        PartnerDied = "7": "parisuhteen osapuolen kuolema", "partnerns död", "death of partner";
        IntoMarriage = "9": "parisuhde muutettu avioliitoksi", "partnerskap omvandlat till äktenskap", "partnership turned into marriage";
    }
}

code_list! {
    /// Marital status (Siviilisääty).
    MaritalStatus {
        Unknown = "0": "tuntematon", "okänd", "unknown";
        Unmarried = "1": "naimaton", "ogift", "unmarried";
        Married = "2": "avioliitossa", "gift", "married";
        Separated = "3": "asumuserossa", "hemskillnad", "separated";
        Divorced = "4": "eronnut", "frånskild", "divorced";
        Widowed = "5": "leski", "änka/änkling", "widowed";
        Partnership = "6": "rekisteröidyssä parisuhteessa", "i registrerat partnerskap", "in a registered partnership";
        PartnershipDissolved = "7": "eronnut rekisteröidystä parisuhteesta", "skild från registrerat partnerskap", "divorced from a partnership";
        PartnerDeceased = "8": "leski rekisteröidystä parisuhteesta", "efterlevande partner", "widowed from a partnership";
    }
}

code_list! {
    /// The kind of a custodian (huoltaja).
    CustodianKind {
        Parent = "03": "vanhempi huoltajana", "förälder som vårdnadshavare", "parent as custodian";
        Other = "06": "muu huoltaja", "annan vårdnadshavare", "other custodian";
        ParentByOrder = "36": "vanhempi huoltajana määräyksellä", "förälder som vårdnadshavare genom beslut", "parent as custodian by order";
    }
}

code_list! {
    /// How custody tasks are divided (Huollonjakokoodi).
    CustodyDivision {
        TasksDivided = "1": "määräys huoltajien tehtävänjaosta", "beslut om vårdnadshavarnas uppgiftsfördelning", "order dividing the custodians' tasks";
        ContentAgreed = "2": "päätös tai sopimus huollon sisällöstä", "beslut eller avtal om vårdnadens innehåll", "order or agreement on custody content";
        ResidenceOnly = "3": "vain asuminen", "endast boende", "residence only";
    }
}

code_list! {
    /// Restriction of legal capacity under guardianship (Rajoituskoodi).
    Restriction {
        NotRestricted = "1": "toimintakelpoisuutta ei rajoitettu", "handlingsbehörigheten inte begränsad", "legal capacity not restricted";
        PartlyRestricted = "2": "toimintakelpoisuutta rajoitettu", "handlingsbehörigheten begränsad", "legal capacity restricted";
        Incompetent = "3": "julistettu vajaavaltaiseksi", "omyndigförklarad", "declared incompetent";
    }
}

code_list! {
    /// Religious community (UskontokuntaLaji).
    Religion {
        None = "1": "ei uskonnollista yhdyskuntaa", "inget religionssamfund", "no religious community";
        Lutheran = "2": "evankelis-luterilainen kirkko", "evangelisk-lutherska kyrkan", "Evangelical Lutheran Church";
        Orthodox = "3": "ortodoksinen kirkkokunta", "ortodoxa kyrkosamfundet", "Orthodox Church";
        Other = "9": "muu uskonnollinen yhdyskunta", "annat religionssamfund", "other religious community";
    }
}

code_list! {
    /// Absence from Finland (Poissaolokoodi).
    Absence {
        Nordic = "0": "kotikunta toisessa Pohjoismaassa", "hemkommun i ett annat nordiskt land", "home in another Nordic country";
        Abroad = "1": "asuu Pohjoismaiden ulkopuolella", "bor utanför Norden", "lives outside the Nordic countries";
        RegisteredAbsent = "7": "merkitty poissaolevaksi", "antecknad som frånvarande", "registered as absent";
    }
}

code_list! {
    /// The five disclosure bans (kiellot).
    Ban {
        DirectMarketing = "1": "suoramarkkinointikielto", "direktmarknadsföringsspärr", "direct-marketing ban";
        ContactDetails = "2": "yhteystietojen luovutuskielto", "spärr för utlämnande av kontaktuppgifter", "ban on disclosing contact details";
        CustomerRegister = "3": "asiakasrekisterin päivityskielto", "spärr för uppdatering av kundregister", "ban on customer-register updates";
        Genealogy = "4": "sukututkimuskielto", "släktforskningsspärr", "genealogy ban";
        Directories = "5": "henkilömatrikkelikielto", "matrikelspärr", "ban on biographical directories";
    }
}

code_list! {
    /// Building use class, Rakennusluokitus 2018 (the classes the register uses most).
    UseClass {
        Detached = "0110": "erillinen pientalo", "fristående småhus", "detached house";
        SemiDetached = "0111": "paritalo", "parhus", "semi-detached house";
        RowHouse = "0112": "rivitalo", "radhus", "row house";
        SmallBlock = "0120": "pienkerrostalo", "litet flervåningshus", "small block of flats";
        Block = "0121": "asuinkerrostalo", "flervåningsbostadshus", "block of flats";
        Holiday = "0211": "vapaa-ajan asuinrakennus", "fritidsbostad", "holiday home";
        Shop = "0319": "muu myymälärakennus", "annan affärsbyggnad", "other shop building";
        Office = "0400": "toimistorakennus", "kontorsbyggnad", "office building";
        School = "0820": "opetusrakennus", "undervisningsbyggnad", "school building";
        Industrial = "0920": "teollisuushalli", "industrihall", "industrial hall";
        Storage = "1211": "varastorakennus", "lagerbyggnad", "storage building";
        Sauna = "1919": "muu rakennus", "annan byggnad", "other building";
    }
}

code_list! {
    /// Heating method (lämmitystapa).
    HeatingMethod {
        Water = "1": "vesikeskuslämmitys", "vattenburen centralvärme", "water central heating";
        Air = "2": "ilmakeskuslämmitys", "luftburen centralvärme", "air central heating";
        Electric = "3": "suora sähkölämmitys", "direkt elvärme", "direct electric heating";
        Stove = "4": "uunilämmitys", "ugnsvärme", "stove heating";
        None = "7": "ei kiinteää lämmityslaitetta", "ingen fast uppvärmning", "no fixed heating";
    }
}

code_list! {
    /// Main heating energy source (lämmitysenergia).
    EnergySource {
        DistrictHeat = "1": "kaukolämpö", "fjärrvärme", "district heating";
        Oil = "2": "kevyt polttoöljy", "lätt brännolja", "light fuel oil";
        Electricity = "4": "sähkö", "el", "electricity";
        Wood = "7": "puu", "ved", "wood";
        GroundHeat = "10": "maalämpö", "jordvärme", "ground-source heat";
        Other = "11": "muu", "annan", "other";
    }
}

code_list! {
    /// Whether a building is in use (käytössäolotilanne).
    BuildingState {
        Permanent = "01": "vakinaisessa asuinkäytössä", "i permanent boende", "in permanent residential use";
        Secondary = "02": "toimitila- tai tuotantokäytössä", "i affärs- eller produktionsbruk", "in business or production use";
        Holiday = "03": "loma-asuntona", "som fritidsbostad", "used as a holiday home";
        Empty = "07": "tyhjillään", "tom", "empty";
        Demolished = "08": "purettu", "riven", "demolished";
    }
}

code_list! {
    /// Why a building was removed (poistumisen syy).
    DemolitionReason {
        Demolished = "01": "purettu", "riven", "demolished";
        Fire = "02": "tuhoutunut tulipalossa", "förstörd i brand", "destroyed by fire";
        Other = "09": "muu syy", "annan orsak", "other reason";
    }
}

code_list! {
    /// Kind of dwelling (huoneiston tyyppi).
    DwellingKind {
        Dwelling = "1": "asuinhuoneisto", "bostadslägenhet", "dwelling";
        Business = "2": "toimitila", "affärslokal", "business premises";
        Other = "9": "muu", "annan", "other";
    }
}

code_list! {
    /// Kitchen type (keittiötyyppi).
    KitchenKind {
        Kitchen = "1": "keittiö", "kök", "kitchen";
        Kitchenette = "2": "keittokomero", "kokvrå", "kitchenette";
        KitchenCorner = "3": "tupakeittiö", "stugkök", "kitchen-living room";
        None = "4": "ei keittiötä", "inget kök", "no kitchen";
    }
}

code_list! {
    /// Tenure (hallintaperuste).
    Tenure {
        Owned = "1": "omistusasunto", "ägarbostad", "owner-occupied";
        Rented = "2": "vuokra-asunto", "hyresbostad", "rented";
        RightOfOccupancy = "3": "asumisoikeusasunto", "bostadsrättsbostad", "right-of-occupancy";
        Other = "9": "muu", "annan", "other";
    }
}

code_list! {
    /// Whether a dwelling is lived in (käytössäolo).
    DwellingState {
        Permanent = "1": "vakinaisesti asuttu", "permanent bebodd", "permanently occupied";
        Empty = "2": "tyhjä", "tom", "empty";
        Holiday = "3": "vapaa-ajan käytössä", "i fritidsbruk", "holiday use";
    }
}

code_list! {
    /// Whether an identity code is the person's active one (voimassaolokoodi).
    HetuState {
        Active = "1": "voimassa", "gällande", "active";
        Passive = "2": "passivoitu", "passiverad", "passivated";
    }
}

code_list! {
    /// The kind of a relationship between spouses.
    UnionKind {
        Marriage = "1": "avioliitto", "äktenskap", "marriage";
        Partnership = "2": "rekisteröity parisuhde", "registrerat partnerskap", "registered partnership";
    }
}

code_list! {
    /// Who a guardian (edunvalvoja) is.
    GuardianKind {
        Person = "1": "henkilö", "person", "person";
        Company = "2": "yritys tai yhteisö", "företag eller sammanslutning", "company or organisation";
        LegalAidOffice = "3": "oikeusaputoimisto", "rättshjälpsbyrå", "legal aid office";
    }
}

code_list! {
    /// Who an owner of a building or a real-estate unit is.
    OwnerKind {
        Person = "1": "henkilö", "person", "person";
        Organisation = "2": "yritys tai yhteisö", "företag eller sammanslutning", "company or organisation";
    }
}

code_list! {
    /// What a person owns.
    OwnedKind {
        Building = "1": "rakennus", "byggnad", "building";
        Property = "2": "kiinteistö", "fastighet", "real-estate unit";
    }
}

code_list! {
    /// An event in a building's life, for its history screen.
    BuildingEvent {
        Completed = "1": "valmistunut", "färdigställd", "completed";
        InUse = "2": "käytössäolotilanne", "användningsläge", "state of use";
        Removed = "3": "poistunut", "avförd", "removed";
    }
}

/// A language: ISO 639-1 code and names. `98`/`99` mean "given as text" and "unknown".
pub const LANGUAGES: &[(&str, Text)] = &[
    ("fi", Text::new("suomi", "finska", "Finnish")),
    ("sv", Text::new("ruotsi", "svenska", "Swedish")),
    ("se", Text::new("saame", "samiska", "Sami")),
    ("ru", Text::new("venäjä", "ryska", "Russian")),
    ("et", Text::new("viro", "estniska", "Estonian")),
    ("ar", Text::new("arabia", "arabiska", "Arabic")),
    ("en", Text::new("englanti", "engelska", "English")),
    ("so", Text::new("somali", "somaliska", "Somali")),
    ("fa", Text::new("persia", "persiska", "Persian")),
    ("uk", Text::new("ukraina", "ukrainska", "Ukrainian")),
    ("zh", Text::new("kiina", "kinesiska", "Chinese")),
    ("ku", Text::new("kurdi", "kurdiska", "Kurdish")),
    ("sq", Text::new("albania", "albanska", "Albanian")),
    ("vi", Text::new("vietnam", "vietnamesiska", "Vietnamese")),
    ("99", Text::new("tuntematon", "okänt", "unknown")),
];

/// A country: ISO 3166-1 numeric code and names.
pub const COUNTRIES: &[(u16, Text)] = &[
    (246, Text::new("Suomi", "Finland", "Finland")),
    (752, Text::new("Ruotsi", "Sverige", "Sweden")),
    (578, Text::new("Norja", "Norge", "Norway")),
    (208, Text::new("Tanska", "Danmark", "Denmark")),
    (233, Text::new("Viro", "Estland", "Estonia")),
    (643, Text::new("Venäjä", "Ryssland", "Russia")),
    (804, Text::new("Ukraina", "Ukraina", "Ukraine")),
    (368, Text::new("Irak", "Irak", "Iraq")),
    (706, Text::new("Somalia", "Somalia", "Somalia")),
    (364, Text::new("Iran", "Iran", "Iran")),
    (156, Text::new("Kiina", "Kina", "China")),
    (704, Text::new("Vietnam", "Vietnam", "Vietnam")),
    (
        826,
        Text::new("Iso-Britannia", "Storbritannien", "United Kingdom"),
    ),
    (276, Text::new("Saksa", "Tyskland", "Germany")),
    (724, Text::new("Espanja", "Spanien", "Spain")),
    (
        840,
        Text::new("Yhdysvallat", "Förenta staterna", "United States"),
    ),
];

/// The code value of a language code (unknown codes keep their code as text).
pub fn language(code: &str) -> CodeValue {
    let text = LANGUAGES.iter().find(|(c, _)| *c == code).map_or_else(
        || Texts {
            fi: code.into(),
            sv: code.into(),
            en: code.into(),
        },
        |(_, t)| Texts::from(*t),
    );
    CodeValue {
        code: code.into(),
        text,
    }
}

/// The code value of a country code.
pub fn country(code: u16) -> CodeValue {
    let text = COUNTRIES.iter().find(|(c, _)| *c == code).map_or_else(
        || {
            let s = format!("{code:03}");
            Texts {
                fi: s.clone(),
                sv: s.clone(),
                en: s,
            }
        },
        |(_, t)| Texts::from(*t),
    );
    CodeValue {
        code: format!("{code:03}"),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_have_three_texts() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            code: fn(T) -> &'static str,
            from: fn(&str) -> Option<T>,
            text: fn(T) -> Text,
        ) {
            let mut seen = std::collections::HashSet::new();
            for &v in all {
                assert!(seen.insert(code(v)), "duplicate code {}", code(v));
                assert_eq!(from(code(v)), Some(v));
                let t = text(v);
                assert!(!t.fi.is_empty() && !t.sv.is_empty() && !t.en.is_empty());
            }
        }
        check(Sex::ALL, Sex::code, Sex::from_code, Sex::text);
        check(
            NameKind::ALL,
            NameKind::code,
            NameKind::from_code,
            NameKind::text,
        );
        check(
            MarriageEnd::ALL,
            MarriageEnd::code,
            MarriageEnd::from_code,
            MarriageEnd::text,
        );
        check(
            UseClass::ALL,
            UseClass::code,
            UseClass::from_code,
            UseClass::text,
        );
        check(Ban::ALL, Ban::code, Ban::from_code, Ban::text);
        check(
            EnergySource::ALL,
            EnergySource::code,
            EnergySource::from_code,
            EnergySource::text,
        );
        assert_eq!(language("sv").text.sv, "svenska");
        assert_eq!(country(246).text.fi, "Suomi");
        assert_eq!(country(4).code, "004");
    }
}
