//! The words of `usage` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const ALERT_KIND_SWEEP_SLOWED: Text = Text::new(
    "henkilötunnusten läpikäynti epäiltynä: haut hidastettu",
    "misstänkt genomsökning av personbeteckningar: sökningarna fördröjda",
    "suspected sweep through identity codes: searches slowed",
);
pub const ALERT_KIND_SWEEP_BLOCKED: Text = Text::new(
    "henkilötunnusten läpikäynti epäiltynä: kyselyt estetty tunniksi",
    "misstänkt genomsökning av personbeteckningar: sökningarna spärrade i en timme",
    "suspected sweep through identity codes: queries blocked for an hour",
);
pub const ALERT_KIND_THROTTLED: Text = Text::new(
    "liikaa kyselyjä lyhyessä ajassa",
    "för många sökningar på kort tid",
    "too many queries in a short time",
);
