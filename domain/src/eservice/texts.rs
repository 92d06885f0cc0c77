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

// Where a person stands before their first query (the landing page's next step).
pub const NEXT_CONTINUE_DRAFT: Text = Text::new(
    "Hakemuksesi on luonnos eikä vielä rekisterinpitäjällä. Täydennä ja lähetä se.",
    "Din ansökan är ett utkast och har inte skickats till den registeransvariga. Fyll i och skicka den.",
    "Your application is a draft and has not reached the registry. Complete it and send it.",
);
pub const NEXT_SUPPLEMENT: Text = Text::new(
    "Rekisterinpitäjä pyysi täydennystä hakemukseesi. Lue pyyntö ja lähetä täydennys; käsittely jatkuu sen jälkeen.",
    "Den registeransvariga begärde komplettering av din ansökan. Läs begäran och skicka kompletteringen; handläggningen fortsätter därefter.",
    "The registry asked for more on your application. Read the request and send the supplement; handling continues after that.",
);
pub const NEXT_NEGOTIATION: Text = Text::new(
    "Rekisterinpitäjä neuvottelee hakemuksesi sisällöstä. Lue viestit ja vastaa hakemuksella.",
    "Den registeransvariga förhandlar om innehållet i din ansökan. Läs meddelandena och svara i ansökan.",
    "The registry is negotiating the content of your application. Read the messages and answer on the application.",
);
pub const NEXT_WITH_REGISTRY: Text = Text::new(
    "Hakemuksesi on rekisterinpitäjän käsittelyssä. Saat sähköpostia, kun se etenee; sinun ei tarvitse tehdä mitään.",
    "Din ansökan handläggs av den registeransvariga. Du får e-post när den går vidare; du behöver inte göra något.",
    "Your application is with the registry. You will get an e-mail when it moves on; there is nothing for you to do.",
);
pub const NEXT_BLOCKED: Text = Text::new(
    "Käyttöoikeutesi on estetty. Ota yhteys organisaatiosi vastuukäyttäjään tai rekisterinpitäjään.",
    "Din behörighet är spärrad. Kontakta din organisations ansvariga användare eller den registeransvariga.",
    "Your right is blocked. Contact your organisation's responsible user or the registry.",
);
pub const NEXT_NOMINATE: Text = Text::new(
    "Tietolupa on myönnetty. Seuraava vaihe: nimeä organisaatiolle vastuukäyttäjä Asioinnissa. Vastuukäyttäjä hakee sitten oikeudet kollegoille.",
    "Tillståndet har beviljats. Nästa steg: utse en ansvarig användare för organisationen i E-tjänsten. Den ansvariga användaren ansöker sedan om behörigheter för kollegerna.",
    "The permit is granted. Next: nominate your organisation's responsible user in the e-service. The responsible user then applies for colleagues' rights.",
);
pub const NEXT_NOMINATION_PENDING: Text = Text::new(
    "Vastuukäyttäjän nimeäminen odottaa rekisterinpitäjän hyväksyntää. Saat käyttää Kyselyä, kun se on hyväksytty.",
    "Utnämningen av den ansvariga användaren väntar på den registeransvarigas godkännande. Du kan använda Kysely när den har godkänts.",
    "The nomination of the responsible user awaits the registry's approval. You can use Kysely once it is approved.",
);
pub const NEXT_COLLEAGUE_APPLIED: Text = Text::new(
    "Organisaatiosi hakemus on käsittelyssä. Kun lupa on myönnetty ja vastuukäyttäjä nimetty, hän voi hakea sinulle käyttöoikeuden.",
    "Din organisations ansökan handläggs. När tillståndet beviljats och en ansvarig användare utsetts kan hen ansöka om behörighet för dig.",
    "Your organisation's application is being handled. Once the permit is granted and a responsible user nominated, they can apply for your right.",
);
pub const NEXT_APPLY: Text = Text::new(
    "Organisaatiollasi ei ole tietolupaa. Hae lupaa Asioinnissa; käsittely kestää noin kuusi viikkoa.",
    "Din organisation har inget dataanvändningstillstånd. Ansök om tillstånd i E-tjänsten; handläggningen tar cirka sex veckor.",
    "Your organisation has no data permit. Apply for one in the e-service; handling takes about six weeks.",
);
pub const NEXT_APPLY_OR_ORDER: Text = Text::new(
    "Organisaatiollasi ei ole tietolupaa. Kunta tilaa kuntien valmiin luvan Asioinnissa (noin kaksi viikkoa); muut hakevat omaa lupaa (noin kuusi viikkoa).",
    "Din organisation har inget dataanvändningstillstånd. En kommun beställer kommunernas färdiga tillstånd i E-tjänsten (cirka två veckor); andra ansöker om eget tillstånd (cirka sex veckor).",
    "Your organisation has no data permit. A municipality orders the municipalities' ready permit in the e-service (about two weeks); others apply for a permit of their own (about six weeks).",
);
pub const NEXT_RIGHT_NOT_IN_FORCE: Text = Text::new(
    "Käyttöoikeutesi ei ole voimassa: ehdotettu oikeus odottaa rekisterinpitäjän hyväksyntää, tai oikeus on päättynyt. Vastuukäyttäjäsi tietää tilanteen.",
    "Din behörighet är inte i kraft: en föreslagen behörighet väntar på den registeransvarigas godkännande, eller så har den upphört. Din ansvariga användare känner till läget.",
    "Your right is not in force: a proposed right awaits the registry's approval, or the right has ended. Your responsible user knows where it stands.",
);
pub const NEXT_ASK_RESPONSIBLE: Text = Text::new(
    "Pyydä organisaatiosi vastuukäyttäjää ehdottamaan sinulle käyttöoikeutta.",
    "Be din organisations ansvariga användare att föreslå en behörighet för dig.",
    "Ask your organisation's responsible user to propose a right for you.",
);
pub const NEXT_NO_RESPONSIBLE_YET: Text = Text::new(
    "Organisaatiollasi ei ole vielä vastuukäyttäjää. Luvan hakija nimeää sen Asioinnissa; pyydä häntä tekemään se.",
    "Din organisation har ännu ingen ansvarig användare. Den som ansökte om tillståndet utser en i E-tjänsten; be hen göra det.",
    "Your organisation has no responsible user yet. Whoever applied for the permit nominates one in the e-service; ask them to.",
);
pub const NEXT_OPEN_APPLICATION: Text =
    Text::new("Avaa hakemus", "Öppna ansökan", "Open the application");
pub const NEXT_SEE_APPLICATION: Text =
    Text::new("Katso hakemus", "Visa ansökan", "See the application");
pub const NEXT_OPEN_ESERVICE: Text = Text::new(
    "Siirry Asiointiin",
    "Gå till E-tjänsten",
    "Go to the e-service",
);

// The mail an applicant's contacts get when their application moves.
pub const MAIL_APPLICATION: Text = Text::new("Hakemus", "Ansökan", "Application");
pub const MAIL_RECEIVED: Text = Text::new(
    "Rekisterinpitäjä on vastaanottanut hakemuksen ja käsittelee sen.",
    "Den registeransvariga har tagit emot ansökan och handlägger den.",
    "The registry has received the application and is handling it.",
);
pub const MAIL_SUPPLEMENT: Text = Text::new(
    "Rekisterinpitäjä pyytää täydennystä. Käsittely odottaa, kunnes lähetätte täydennyksen.",
    "Den registeransvariga begär komplettering. Handläggningen väntar tills ni skickar kompletteringen.",
    "The registry asks for a supplement. Handling waits until you send it.",
);
pub const MAIL_NEGOTIATION: Text = Text::new(
    "Rekisterinpitäjä haluaa neuvotella hakemuksen sisällöstä. Lukekaa viesti ja vastatkaa.",
    "Den registeransvariga vill förhandla om ansökans innehåll. Läs meddelandet och svara.",
    "The registry wants to negotiate the application's content. Read the message and answer.",
);
pub const MAIL_EVALUATION: Text = Text::new(
    "Rekisterinpitäjä arvioi tietojärjestelmänne teknisesti.",
    "Den registeransvariga utvärderar ert informationssystem tekniskt.",
    "The registry is evaluating your information system.",
);
pub const MAIL_GRANTED: Text = Text::new(
    "Tietolupa on myönnetty. Seuraavaksi hakija nimeää organisaation vastuukäyttäjän Asioinnissa.",
    "Tillståndet har beviljats. Därefter utser sökanden organisationens ansvariga användare i E-tjänsten.",
    "The permit is granted. Next, the applicant nominates the organisation's responsible user in the e-service.",
);
pub const MAIL_REJECTED: Text = Text::new(
    "Hakemus on hylätty. Perustelut ovat hakemuksen viesteissä.",
    "Ansökan har avslagits. Motiveringen finns i ansökans meddelanden.",
    "The application is rejected. The reasons are in the application's messages.",
);
pub const MAIL_HOW: Text = Text::new(
    "Kirjaudu Kyselyyn tavalliseen tapaan ja avaa Asiointi. Tässä viestissä ei ole linkkiä.",
    "Logga in i Kysely som vanligt och öppna E-tjänsten. Det här meddelandet innehåller ingen länk.",
    "Sign in to Kysely as usual and open the e-service. This message holds no link.",
);
