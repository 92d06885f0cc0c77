//! The words of `eservice` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const TERM_NO_ONWARD_DISCLOSURE: Text = Text::new(
    "Tietoja ei luovuteta edelleen kolmansille osapuolille.",
    "Uppgifterna lämnas inte vidare till tredje parter.",
    "The data is not passed on to third parties.",
);
pub const TERM_OWN_REGISTER_ONLY_BY_LAW: Text = Text::new(
    "Tietoja tallennetaan omaan rekisteriin vain, jos laki sen sallii.",
    "Uppgifterna sparas i eget register endast om lagen tillåter det.",
    "The data is stored in a register of one's own only where the law allows it.",
);
pub const TERM_PURPOSE_ONLY: Text = Text::new(
    "Käyttö vain luvassa mainittuun käyttötarkoitukseen ja virka- tai työtehtäviin.",
    "Användning endast för ändamålet i tillståndet och i tjänste- eller arbetsuppgifter.",
    "Use only for the purpose in the permit and in official or work duties.",
);
pub const TERM_SECURITY: Text = Text::new(
    "Tietoturvasta huolehditaan 661/2009 44 §:n mukaisesti.",
    "Informationssäkerheten sköts enligt 661/2009 44 §.",
    "Information security is maintained as 661/2009 §44 requires.",
);
pub const TERM_ACCOUNT_ON_REQUEST: Text = Text::new(
    "Rekisterinpitäjä voi pyytää kirjallisen selvityksen käsittelystä ja keskeyttää käytön väärinkäyttöepäilyssä.",
    "Registeransvarig kan begära en skriftlig redogörelse och avbryta användningen vid misstänkt missbruk.",
    "The registry may ask for a written account of the processing and suspend use on suspected misuse.",
);
pub const APPLICATION_KIND_DATA_PERMIT: Text =
    Text::new("Tietolupa", "Datatillstånd", "Data permit");
pub const APPLICATION_KIND_MUNICIPAL_ORDER: Text =
    Text::new("Kunnan tilaus", "Kommunens beställning", "Municipal order");
pub const APPLICATION_KIND_PERMIT_CHANGE: Text = Text::new(
    "Tietoluvan muutos",
    "Ändring av datatillståndet",
    "Change of the data permit",
);
pub const APPLICATION_STATE_DRAFT: Text = Text::new("Luonnos", "Utkast", "Draft");
pub const APPLICATION_STATE_SUBMITTED: Text = Text::new("Jätetty", "Inlämnad", "Submitted");
pub const APPLICATION_STATE_SUPPLEMENT_REQUESTED: Text = Text::new(
    "Täydennystä pyydetty",
    "Komplettering begärd",
    "Supplement requested",
);
pub const APPLICATION_STATE_IN_NEGOTIATION: Text =
    Text::new("Neuvottelussa", "Under förhandling", "In negotiation");
pub const APPLICATION_STATE_TECHNICAL_EVALUATION: Text = Text::new(
    "Teknisessä arvioinnissa",
    "Under teknisk bedömning",
    "Technical evaluation",
);
pub const APPLICATION_STATE_GRANTED: Text = Text::new("Myönnetty", "Beviljad", "Granted");
pub const APPLICATION_STATE_REJECTED: Text = Text::new("Hylätty", "Avslagen", "Rejected");
pub const APPLICATION_ACTION_SUBMIT: Text = Text::new("Lähetä hakemus", "Skicka ansökan", "Submit");
pub const APPLICATION_ACTION_REQUEST_SUPPLEMENT: Text = Text::new(
    "Pyydä täydennystä",
    "Begär komplettering",
    "Ask for a supplement",
);
pub const APPLICATION_ACTION_SUPPLEMENT: Text = Text::new(
    "Lähetä täydennys",
    "Skicka kompletteringen",
    "Send the supplement",
);
pub const APPLICATION_ACTION_NEGOTIATE: Text = Text::new(
    "Aloita neuvottelu",
    "Inled förhandling",
    "Open a negotiation",
);
pub const APPLICATION_ACTION_EVALUATE: Text = Text::new(
    "Siirrä tekniseen arviointiin",
    "Till teknisk bedömning",
    "Move to technical evaluation",
);
pub const APPLICATION_ACTION_GRANT: Text = Text::new("Myönnä", "Bevilja", "Grant");
pub const APPLICATION_ACTION_REJECT: Text = Text::new("Hylkää", "Avslå", "Reject");
