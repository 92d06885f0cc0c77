//! The words of `notices` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use domain::Text;

pub const LABEL: Text = Text::new("Palvelutiedotteet", "Driftmeddelanden", "Service notices");
