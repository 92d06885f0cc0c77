//! The words of `fees` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use super::{Fees, euros};
use crate::lang::Text;

pub const FEES_STATUTORY: Text = Text::new(
    "Maksuton: viranomaisen lakisääteinen tehtävä.",
    "Avgiftsfri: myndighetens lagstadgade uppgift.",
    "Free of charge: an authority's statutory task.",
);

/// The invoice basis's header line: the registry's invoicing reads the CSV in Finnish whatever
/// the language of the person who downloads it.
pub const CSV_HEADER: &str = "kuukausi;organisaatio;y-tunnus;lupa;maksullisuus;tietoyksiköt;käyttäjät;yksikköhinta;käyttäjähinta;vähimmäismaksu;yhteensä\r\n";

impl Fees {
    /// How the permit page states them.
    pub fn describe(self, lang: crate::Lang) -> String {
        match self {
            Fees::Statutory => FEES_STATUTORY.get(lang).to_owned(),
            Fees::Charged(t) => match lang {
                crate::Lang::Fi => format!(
                    "{} € / tietoyksikkö, {} € / käyttäjä / kk, vähintään {} € / kk (VM:n maksuasetus).",
                    euros(u64::from(t.per_unit)),
                    euros(u64::from(t.per_user_month)),
                    euros(u64::from(t.monthly_minimum))
                ),
                crate::Lang::Sv => format!(
                    "{} € / uppgiftsenhet, {} € / användare / mån, minst {} € / mån (FM:s avgiftsförordning).",
                    euros(u64::from(t.per_unit)),
                    euros(u64::from(t.per_user_month)),
                    euros(u64::from(t.monthly_minimum))
                ),
                crate::Lang::En => format!(
                    "€{} per data unit, €{} per user per month, at least €{} a month (Ministry of Finance fee decree).",
                    euros(u64::from(t.per_unit)),
                    euros(u64::from(t.per_user_month)),
                    euros(u64::from(t.monthly_minimum))
                ),
            },
        }
    }
}
