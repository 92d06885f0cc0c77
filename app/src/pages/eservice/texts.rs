//! The e-service pages' own words in Finnish, Swedish and English, beside the pages that use
//! them (each a `Text`: a missing translation does not compile). Field labels and validation
//! messages come from `domain` with the rules they belong to.

use domain::Text;

pub const TITLE: Text = Text::new("Asiointi", "E-tjänst", "E-service");
pub const INTRO: Text = Text::new(
    "Hae organisaatiollesi tietolupaa tai tilaa kuntien valmis lupa. Luonnos tallentuu sitä mukaa kuin kirjoitat; rekisteri näkee hakemuksen vasta, kun lähetät sen.",
    "Ansök om datatillstånd för din organisation eller beställ kommunernas färdiga tillstånd. Utkastet sparas medan du skriver; registret ser ansökan först när du skickar den.",
    "Apply for a data permit for your organisation or order the municipalities' ready permit. The draft is saved as you type; the registry sees the application only once you submit it.",
);
pub const START_PERMIT: Text = Text::new(
    "Hae tietolupaa",
    "Ansök om datatillstånd",
    "Apply for a data permit",
);
pub const START_ORDER: Text = Text::new(
    "Tilaa kuntien lupa",
    "Beställ kommunernas tillstånd",
    "Order the municipal permit",
);
pub const START_CHANGE: Text = Text::new(
    "Hae muutosta tietolupaan",
    "Ansök om ändring av datatillståndet",
    "Apply to change the data permit",
);
pub const MY_APPLICATIONS: Text =
    Text::new("Omat hakemukset", "Mina ansökningar", "My applications");
pub const NONE_YET: Text = Text::new(
    "Sinulla ei ole vielä hakemuksia.",
    "Du har inga ansökningar ännu.",
    "You have no applications yet.",
);
pub const NUMBER: Text = Text::new("Numero", "Nummer", "Number");
pub const KIND: Text = Text::new("Asia", "Ärende", "Matter");
pub const STARTED: Text = Text::new("Aloitettu", "Påbörjad", "Started");
pub const SUBMITTED: Text = Text::new("Jätetty", "Inlämnad", "Submitted");
pub const RESPONSIBLE_USER: Text =
    Text::new("Vastuukäyttäjä", "Ansvarig användare", "Responsible user");
pub const NOMINATE_INTRO: Text = Text::new(
    "Lupa on myönnetty. Hae vastuukäyttäjän oikeutta nimetylle henkilölle; rekisteri hyväksyy sen. Vastuukäyttäjä hakee sen jälkeen kyselyoikeudet kollegoille. Valittavana ovat organisaatiosi henkilöt, jotka ovat kirjautuneet palveluun kerran.",
    "Tillståndet är beviljat. Ansök om rätten som ansvarig användare för en namngiven person; registret godkänner den. Den ansvariga användaren ansöker sedan om rättigheter för kollegerna. Valbara är personer i din organisation som har loggat in en gång.",
    "The permit is granted. Apply for the responsible-user right for a named person; the registry approves it. The responsible user then applies for colleagues' query rights. You can choose people of your organisation who have signed in once.",
);
pub const NOMINEE: Text = Text::new("Henkilö", "Person", "Person");
pub const NOMINATE: Text = Text::new(
    "Hae vastuukäyttäjän oikeutta",
    "Ansök om rätt som ansvarig användare",
    "Apply for the responsible-user right",
);
pub const QUEUE: Text = Text::new("Työjono", "Arbetskö", "Work queue");
pub const ALL: Text = Text::new("Kaikki", "Alla", "All");
pub const CLOCK: Text = Text::new("Käsittelyaika", "Handläggningstid", "Handling time");
pub const WAITED: Text = Text::new(
    "odotettu hakijaa",
    "väntat på sökanden",
    "waited for the applicant",
);
pub const DAYS: Text = Text::new("pv", "d", "days");
pub const OVERDUE: Text = Text::new("myöhässä", "försenad", "overdue");
pub const PAGES: Text = Text::new("Sivut", "Sidor", "Pages");
pub const PAGE: Text = Text::new("Sivu", "Sida", "Page");
pub const PREVIOUS: Text = Text::new("Edellinen", "Föregående", "Previous");
pub const NEXT: Text = Text::new("Seuraava", "Nästa", "Next");

// The application page.
pub const SECTIONS: Text = Text::new(
    "Hakemuksen osat",
    "Ansökans delar",
    "Parts of the application",
);
pub const SECTION_DONE: Text = Text::new("valmis", "klar", "done");
pub const SECTION_TODO: Text = Text::new("täytettävää", "att fylla i", "to fill in");
pub const ORGANISATION: Text = Text::new("Organisaatio", "Organisation", "Organisation");
pub const CONTACTS: Text = Text::new("Yhteyshenkilöt", "Kontaktpersoner", "Contact persons");
pub const ADD_CONTACT: Text = Text::new(
    "Lisää yhteyshenkilö",
    "Lägg till kontaktperson",
    "Add a contact person",
);
pub const REMOVE: Text = Text::new("Poista", "Ta bort", "Remove");
pub const CHOOSE: Text = Text::new("Valitse…", "Välj…", "Choose…");
pub const PURPOSES_INTRO: Text = Text::new(
    "Valitse käyttötarkoitukset ja kerro kunkin oikeusperuste ja miksi tietoja tarvitaan.",
    "Välj användningsändamålen och ange för vart och ett den rättsliga grunden och varför uppgifterna behövs.",
    "Choose the purposes of use and give each one's legal basis and why the data is needed.",
);
pub const GROUPS_INTRO: Text = Text::new(
    "Valitse tarvittavat tietoryhmät ja perustele kukin. Pyydä vain sitä, mitä tehtävä vaatii.",
    "Välj de uppgiftsgrupper som behövs och motivera var och en. Begär bara det uppgiften kräver.",
    "Choose the data groups needed and justify each. Ask only for what the task requires.",
);
pub const WHY: Text = Text::new("Miksi tarpeen", "Varför det behövs", "Why needed");
pub const PROTECTION: Text = Text::new(
    "Selvitys käytöstä ja suojaamisesta",
    "Redogörelse för användning och skydd",
    "Account of use and protection",
);
pub const TWO_FACTOR: Text = Text::new(
    "Edellytämme käyttäjiltämme kaksivaiheista kirjautumista (salasana ja kertakäyttökoodi)",
    "Vi kräver inloggning i två steg av våra användare (lösenord och engångskod)",
    "We require our users to sign in in two steps (password and one-time code)",
);
pub const REQUIRE_TWO_FACTOR: Text = Text::new(
    "Edellytä kaksivaiheista kirjautumista",
    "Kräv inloggning i två steg",
    "Require a two-step sign-in",
);
pub const NO_ONWARD: Text = Text::new(
    "Vahvistamme, ettei tietoja luovuteta eteenpäin kolmansille osapuolille.",
    "Vi bekräftar att uppgifterna inte lämnas vidare till tredje parter.",
    "We confirm that the data is not passed on to third parties.",
);
pub const OTHER: Text = Text::new(
    "Muuta (esim. tietojärjestelmän kuvaus)",
    "Övrigt (t.ex. beskrivning av informationssystemet)",
    "Other (e.g. a description of the information system)",
);
pub const TERMS_INTRO: Text = Text::new(
    "Luvan käyttöehdot, versio",
    "Tillståndets villkor, version",
    "The permit's terms, version",
);
pub const ACCEPT_TERMS: Text = Text::new(
    "Hyväksymme luvan käyttöehdot",
    "Vi godkänner tillståndets villkor",
    "We accept the permit's terms",
);
pub const NOMINEE_INTRO: Text = Text::new(
    "Hallintapalvelun oikeus: kunnan vastuukäyttäjä (henkilö, joka on kirjautunut palveluun kerran).",
    "Rätt till förvaltningstjänsten: kommunens ansvariga användare (en person som har loggat in en gång).",
    "Management rights: the municipality's responsible user (a person who has signed in once).",
);
pub const SAVING: Text = Text::new("Tallennetaan…", "Sparar…", "Saving…");
pub const SAVED: Text = Text::new("Luonnos tallennettu", "Utkastet sparat", "Draft saved");
pub const NOT_SAVED: Text = Text::new(
    "Luonnosta ei tallennettu",
    "Utkastet sparades inte",
    "The draft was not saved",
);
pub const FIX_FIRST: Text = Text::new(
    "Hakemuksesta puuttuu vielä tietoja:",
    "Ansökan saknar ännu uppgifter:",
    "The application still lacks:",
);
pub const THREAD: Text = Text::new("Viestit", "Meddelanden", "Messages");
pub const NO_MESSAGES: Text = Text::new("Ei viestejä.", "Inga meddelanden.", "No messages.");
pub const SEND: Text = Text::new("Lähetä viesti", "Skicka meddelandet", "Send the message");
pub const REGISTRY: Text = Text::new("Rekisteri", "Registret", "Registry");
pub const HISTORY: Text = Text::new(
    "Käsittelyhistoria",
    "Handläggningshistorik",
    "Handling history",
);
pub const STEPS: Text = Text::new("Käsittely", "Handläggning", "Handling");
pub const STEP_MESSAGE: Text = Text::new(
    "Viesti hakijalle / rekisterille (täydennyspyyntö, hylkäyksen perustelu, täydennys)",
    "Meddelande till sökanden / registret (begäran om komplettering, motivering, komplettering)",
    "Message to the applicant / the registry (what to supplement, why rejected, the supplement)",
);
pub const DECISION: Text = Text::new("Päätös", "Beslut", "Decision");
pub const DECISION_GROUPS: Text = Text::new(
    "Myönnettävät tietoryhmät",
    "Uppgiftsgrupper som beviljas",
    "Data groups granted",
);
pub const DECISION_UNTIL: Text = Text::new(
    "Voimassa asti (tyhjä: toistaiseksi)",
    "Giltigt till (tomt: tills vidare)",
    "Valid until (blank: until further notice)",
);
pub const PERMIT_NUMBER: Text = Text::new("Luvan numero", "Tillståndets nummer", "Permit number");
pub const SUMMARY: Text = Text::new("Hakemuksen sisältö", "Ansökans innehåll", "The application");
pub const YES: Text = Text::new("Kyllä", "Ja", "Yes");
pub const NO: Text = Text::new("Ei", "Nej", "No");
pub const BACK: Text = Text::new("Asiointi", "E-tjänst", "E-service");

// The management page's proposal form.
pub const PROPOSE: Text = Text::new("Ehdota käyttäjää", "Föreslå en användare", "Propose a user");
pub const PROPOSE_INTRO: Text = Text::new(
    "Ehdota kyselyoikeutta kollegalle, joka on kirjautunut palveluun kerran. Oikeus tulee voimaan, kun rekisteri hyväksyy sen.",
    "Föreslå en rättighet för en kollega som har loggat in en gång. Rättigheten träder i kraft när registret godkänner den.",
    "Propose a right for a colleague who has signed in once. It takes effect when the registry approves it.",
);
pub const PROPOSE_BUTTON: Text = Text::new("Ehdota", "Föreslå", "Propose");

// Attachments.
pub const ATTACHMENTS: Text = Text::new("Liitteet", "Bilagor", "Attachments");
pub const NO_ATTACHMENTS: Text = Text::new("Ei liitteitä.", "Inga bilagor.", "No attachments.");
pub const ATTACH: Text = Text::new("Lisää liite", "Lägg till bilaga", "Attach a document");
pub const ATTACH_BUTTON: Text = Text::new("Tallenna liite", "Spara bilagan", "Save the attachment");
pub const ATTACH_ALLOWED: Text = Text::new(
    "Esimerkiksi tietojärjestelmän kuvaus. PDF, PNG, JPEG tai pelkkä teksti, enintään 5 Mt. Kirjoita ensin lomakkeeseen: sivu latautuu tallennuksen jälkeen uudelleen (luonnos on tallessa).",
    "Till exempel en beskrivning av informationssystemet. PDF, PNG, JPEG eller ren text, högst 5 MB. Skriv först i blanketten: sidan laddas om efter sparandet (utkastet finns kvar).",
    "For example a description of the information system. PDF, PNG, JPEG or plain text, at most 5 MB. The page reloads after saving (the draft is kept).",
);
pub const NEXT_STEP: Text = Text::new("Seuraava vaihe", "Nästa steg", "Next step");
pub const APPLICANT: Text = Text::new("hakija", "sökande", "applicant");
pub const OPEN_REQUEST: Text = Text::new(
    "Rekisterinpitäjän avoin pyyntö",
    "Den registeransvarigas öppna begäran",
    "The registry's open request",
);
pub const OPEN_REQUEST_HOW: Text = Text::new(
    "Muokkaa hakemusta tarvittavilta osin ja lähetä se sitten sivun lopusta; voit kirjoittaa vastauksen viestiin.",
    "Ändra ansökan där det behövs och skicka den sedan längst ned på sidan; du kan skriva ditt svar i meddelandet.",
    "Change the application where needed, then send it at the end of the page; you can write your answer in the message.",
);
pub const CONFIRM_GRANT: Text = Text::new(
    "Myönnetäänkö hakemus {} organisaatiolle {}? Tietoryhmät: {}. Lupa tulee voimaan heti, ja hakija saa siitä tiedon.",
    "Bevilja ansökan {} för {}? Datagrupper: {}. Tillståndet träder i kraft genast och sökanden underrättas.",
    "Grant application {} to {}? Data groups: {}. The permit comes into force at once and the applicant is told.",
);
pub const CONFIRM_GRANT_ORDER: Text = Text::new(
    "Myönnetäänkö tilaus {}: {} liittyy kuntien lupaan? Lupa ja nimetyn vastuukäyttäjän oikeus tulevat voimaan heti.",
    "Bevilja beställningen {}: {} ansluter sig till kommunernas tillstånd? Tillståndet och den utsedda ansvariga användarens behörighet träder i kraft genast.",
    "Grant order {}: {} joins the municipalities' permit? The permit and the named responsible user's right come into force at once.",
);
pub const CONFIRM_REJECT: Text = Text::new(
    "Hylätäänkö hakemus {} ({})? Hakija saa viestisi perusteluna. Päätöstä ei voi perua; hakija voi hakea uudelleen.",
    "Avslå ansökan {} ({})? Sökanden får ditt meddelande som motivering. Beslutet kan inte ångras; sökanden kan ansöka på nytt.",
    "Reject application {} ({})? The applicant gets your message as the reason. The decision cannot be undone; they may apply again.",
);
