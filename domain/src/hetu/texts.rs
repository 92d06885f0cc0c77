//! The words of `hetu` in Finnish, Swedish and English: the messages for a mistyped identity code. A user-interface text
//! lives only in a table like this one; the workspace test `texts_live_only_in_the_tables`
//! fails on one anywhere else.

use super::HetuError;
use crate::lang::Lang;

impl HetuError {
    /// The message shown under the identity-code field.
    pub fn message(&self, lang: Lang) -> String {
        use HetuError::*;
        match (self, lang) {
            (Empty, Lang::Fi) => "Kirjoita henkilötunnus.".into(),
            (Empty, Lang::Sv) => "Skriv en personbeteckning.".into(),
            (Empty, Lang::En) => "Enter an identity code.".into(),
            (Length { found }, Lang::Fi) => {
                format!("Henkilötunnuksessa on 11 merkkiä, tässä on {found}.")
            }
            (Length { found }, Lang::Sv) => {
                format!("En personbeteckning har 11 tecken, den här har {found}.")
            }
            (Length { found }, Lang::En) => {
                format!("An identity code has 11 characters; this one has {found}.")
            }
            (DateNotDigits, Lang::Fi) => {
                "Kuuden ensimmäisen merkin pitää olla syntymäaika numeroina (PPKKVV).".into()
            }
            (DateNotDigits, Lang::Sv) => {
                "De sex första tecknen ska vara födelsedatumet med siffror (DDMMÅÅ).".into()
            }
            (DateNotDigits, Lang::En) => {
                "The first six characters must be the birth date in digits (DDMMYY).".into()
            }
            (Month { month }, Lang::Fi) => format!("Kuukautta {month} ei ole."),
            (Month { month }, Lang::Sv) => format!("Månad {month} finns inte."),
            (Month { month }, Lang::En) => format!("Month {month} does not exist."),
            (Day { day, month }, Lang::Fi) => format!("Päivää {day}.{month}. ei ole."),
            (Day { day, month }, Lang::Sv) => format!("Dagen {day}.{month}. finns inte."),
            (Day { day, month }, Lang::En) => {
                format!("Day {day} does not exist in month {month}.")
            }
            (NotLeapYear { year }, Lang::Fi) => {
                format!("Päivää 29.2.{year} ei ole: {year} ei ole karkausvuosi.")
            }
            (NotLeapYear { year }, Lang::Sv) => {
                format!("Dagen 29.2.{year} finns inte: {year} är inget skottår.")
            }
            (NotLeapYear { year }, Lang::En) => {
                format!("29 February {year} does not exist: {year} is not a leap year.")
            }
            (CenturySign { found }, Lang::Fi) => {
                format!("”{found}” ei ole välimerkki. Sallitut: + - Y X W V U A B C D E F.")
            }
            (CenturySign { found }, Lang::Sv) => format!(
                "”{found}” är inget sekelskiljetecken. Tillåtna: + - Y X W V U A B C D E F."
            ),
            (CenturySign { found }, Lang::En) => {
                format!("“{found}” is not a century sign. Allowed: + - Y X W V U A B C D E F.")
            }
            (IndividualNotDigits, Lang::Fi) => {
                "Merkkien 8–10 pitää olla yksilönumero numeroina.".into()
            }
            (IndividualNotDigits, Lang::Sv) => {
                "Tecknen 8–10 ska vara individnumret med siffror.".into()
            }
            (IndividualNotDigits, Lang::En) => {
                "Characters 8 to 10 must be the individual number in digits.".into()
            }
            (IndividualTooLow { number }, Lang::Fi) => {
                format!("Yksilönumeroa {number:03} ei käytetä (sallitut 002–899).")
            }
            (IndividualTooLow { number }, Lang::Sv) => {
                format!("Individnummer {number:03} används inte (tillåtna 002–899).")
            }
            (IndividualTooLow { number }, Lang::En) => {
                format!("Individual number {number:03} is not used (allowed 002–899).")
            }
            (Temporary { number }, Lang::Fi) => format!(
                "Yksilönumero {number} kuuluu väliaikaiseen tunnukseen (900–999), jota ei ole väestötietojärjestelmässä."
            ),
            (Temporary { number }, Lang::Sv) => format!(
                "Individnummer {number} hör till en tillfällig beteckning (900–999) som inte finns i befolkningsdatasystemet."
            ),
            (Temporary { number }, Lang::En) => format!(
                "Individual number {number} belongs to a temporary code (900–999), which is never in the register."
            ),
            (CheckCharacterInvalid { found }, Lang::Fi) => format!(
                "”{found}” ei voi olla tarkistusmerkki (G, I, O, Q ja Z eivät ole käytössä)."
            ),
            (CheckCharacterInvalid { found }, Lang::Sv) => format!(
                "”{found}” kan inte vara ett kontrolltecken (G, I, O, Q och Z används inte)."
            ),
            (CheckCharacterInvalid { found }, Lang::En) => {
                format!("“{found}” cannot be a check character (G, I, O, Q and Z are not used).")
            }
            (CheckCharacter, Lang::Fi) => "Henkilötunnuksessa on kirjoitusvirhe: jokin numeroista tai tarkistusmerkki on väärin. Tarkista koko tunnus.".into(),
            (CheckCharacter, Lang::Sv) => "Personbeteckningen har ett skrivfel: någon siffra eller kontrolltecknet är fel. Kontrollera hela beteckningen.".into(),
            (CheckCharacter, Lang::En) => "The identity code has a typo: a digit or the check character is wrong. Check the whole code.".into(),
            (Future { date }, Lang::Fi) => {
                format!("Syntymäaika {} on tulevaisuudessa.", date.to_finnish())
            }
            (Future { date }, Lang::Sv) => {
                format!("Födelsedatumet {} ligger i framtiden.", date.to_finnish())
            }
            (Future { date }, Lang::En) => format!("The birth date {date} is in the future."),
        }
    }
}
