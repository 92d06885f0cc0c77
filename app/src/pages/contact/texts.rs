//! The words of `contact` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use domain::Text;

pub const TITLE: Text = Text::new("Yhteydenotto", "Kontakt", "Contact");
pub const INTRO: Text = Text::new(
    "Kysy Digi- ja väestötietoviraston asiantuntijoilta luvista, käyttöoikeuksista, teknisistä ongelmista tai maksuista. Vastaus tulee tälle sivulle.",
    "Fråga Myndigheten för digitalisering och befolkningsdatas experter om tillstånd, behörigheter, tekniska problem eller avgifter. Svaret kommer till denna sida.",
    "Ask the Digital and Population Data Services Agency's experts about permits, user rights, technical problems or fees. The answer comes to this page.",
);
pub const ASK: Text = Text::new("Uusi kysymys", "Ny fråga", "New question");
pub const SEND: Text = Text::new("Lähetä", "Skicka", "Send");
pub const SENT: Text = Text::new(
    "Kysymys lähetetty. Vastaus näkyy alla olevassa luettelossa.",
    "Frågan har skickats. Svaret syns i listan nedan.",
    "Question sent. The answer appears in the list below.",
);
pub const MINE: Text = Text::new("Omat kysymykset", "Mina frågor", "My questions");
pub const ALL_QUESTIONS: Text = Text::new("Kysymykset", "Frågor", "Questions");
pub const NO_QUESTIONS: Text = Text::new("Ei kysymyksiä.", "Inga frågor.", "No questions.");
pub const STATE: Text = Text::new("Tila", "Status", "State");
pub const UPDATED: Text = Text::new("Päivitetty", "Uppdaterad", "Updated");
pub const ASKER: Text = Text::new("Kysyjä", "Frågeställare", "Asked by");
pub const REGISTRY: Text = Text::new("DVV", "MDB", "DVV");
pub const REPLY: Text = Text::new("Vastaa", "Svara", "Reply");
pub const CLOSE: Text = Text::new("Sulje kysymys", "Stäng frågan", "Close the question");
pub const BACK: Text = Text::new(
    "Takaisin yhteydenottoihin",
    "Tillbaka till kontakt",
    "Back to contact",
);
pub const CLOSED_NOTE: Text = Text::new(
    "Kysymys on suljettu. Lähetä uusi kysymys, jos asia jatkuu.",
    "Frågan är stängd. Skicka en ny fråga om ärendet fortsätter.",
    "The question is closed. Send a new question if the matter continues.",
);
pub const SUBSCRIBE_H: Text = Text::new(
    "Palvelutiedotteet sähköpostiin",
    "Driftmeddelanden per e-post",
    "Service notices by e-mail",
);
pub const SUBSCRIBED: Text = Text::new(
    "Tiedotteet lähetetään osoitteeseen",
    "Meddelandena skickas till",
    "Notices are sent to",
);
pub const AWAITING: Text = Text::new(
    "Vahvista tilaus: lähetimme vahvistuslinkin osoitteeseen",
    "Bekräfta beställningen: vi skickade en bekräftelselänk till",
    "Confirm the subscription: we sent a confirmation link to",
);
pub const AWAITING_HINT: Text = Text::new(
    "Tiedotteita lähetetään vasta, kun linkki on avattu ja tilaus vahvistettu tällä tunnuksella.",
    "Meddelanden skickas först när länken har öppnats och beställningen bekräftats med detta konto.",
    "Notices are sent only once the link has been opened and the subscription confirmed with this account.",
);
pub const CONFIRM_H: Text = Text::new(
    "Sähköpostitilauksen vahvistus",
    "Bekräftelse av e-postbeställningen",
    "Confirming the e-mail subscription",
);
pub const CONFIRM: Text = Text::new(
    "Vahvista tilaus",
    "Bekräfta beställningen",
    "Confirm the subscription",
);
pub const CONFIRMED: Text = Text::new(
    "Tilaus vahvistettu. Tiedotteet lähetetään osoitteeseen",
    "Beställningen är bekräftad. Meddelandena skickas till",
    "Subscription confirmed. Notices are sent to",
);
pub const SUBSCRIBE: Text = Text::new("Tilaa", "Beställ", "Subscribe");
pub const UNSUBSCRIBE: Text = Text::new("Peru tilaus", "Avsluta beställningen", "Unsubscribe");
pub const SUBSCRIBE_HINT: Text = Text::new(
    "Saat käyttökatkot ja häiriötiedotteet sähköpostiin tällä kielellä.",
    "Du får driftavbrott och störningsmeddelanden per e-post på detta språk.",
    "You get planned breaks and incident notices by e-mail in this language.",
);
pub const NOTICES_H: Text = Text::new("Palvelutiedotteet", "Driftmeddelanden", "Service notices");
pub const PUBLISH: Text = Text::new(
    "Julkaise tiedote",
    "Publicera meddelandet",
    "Publish the notice",
);
pub const PUBLISHED: Text = Text::new(
    "Tiedote julkaistu; sähköposteja jonossa:",
    "Meddelandet publicerat; e-postmeddelanden i kö:",
    "Notice published; e-mails queued:",
);
pub const WITHDRAW: Text = Text::new("Poista näkyvistä", "Ta bort från visning", "Withdraw");
pub const WITHDRAWN: Text = Text::new("poistettu", "borttaget", "withdrawn");
pub const TEXT_IN: Text = Text::new("Teksti", "Text", "Text");
pub const NOTICE_LANGS_HINT: Text = Text::new(
    "Kirjoita tiedote yhdellä, kahdella tai kaikilla kolmella kielellä. Lukija näkee sen omalla kielellään; jos sitä ei ole kirjoitettu hänen kielellään, hän näkee ensimmäisen kirjoitetun kielen ja maininnan siitä.",
    "Skriv meddelandet på ett, två eller alla tre språken. Läsaren ser det på sitt eget språk; finns det inte på hens språk, ser hen det första språket som skrivits och en uppgift om vilket språk det är.",
    "Write the notice in one, two or all three languages. Readers see it in their own language; where it is not written in theirs, they see the first language written, marked as such.",
);
pub const KIND: Text = Text::new("Laji", "Typ", "Kind");
pub const UNTIL: Text = Text::new(
    "Näkyy asti (p.k.vvvv, tyhjä: kunnes poistetaan)",
    "Visas till (d.m.åååå, tomt: tills det tas bort)",
    "Shown until (d.m.yyyy, blank: until withdrawn)",
);
pub const OUTBOX: Text = Text::new("Lähtevät sähköpostit", "Utgående e-post", "Outgoing e-mail");
pub const NO_SMTP: Text = Text::new(
    "Sähköpostipalvelinta (SMTP) ei ole määritetty: viestit odottavat tässä, eikä niitä lähetetä.",
    "Ingen e-postserver (SMTP) har konfigurerats: meddelandena väntar här och skickas inte.",
    "No mail server (SMTP) is configured: messages wait here and are not sent.",
);
pub const TO: Text = Text::new("Vastaanottaja", "Mottagare", "To");
pub const WAITING: Text = Text::new("Odottaa", "Väntar", "Waiting");
pub const SENT_AT: Text = Text::new("Lähetetty", "Skickat", "Sent");
pub const FAILED: Text = Text::new(
    "Epäonnistui, yritetään uudelleen",
    "Misslyckades, försöker igen",
    "Failed, will retry",
);
pub const GAVE_UP: Text = Text::new(
    "Ei voitu lähettää",
    "Kunde inte skickas",
    "Could not be sent",
);
pub const EMPTY_OUTBOX: Text = Text::new(
    "Ei lähteviä viestejä.",
    "Inga utgående meddelanden.",
    "No outgoing messages.",
);
pub const PREVIOUS: Text = Text::new("Edellinen", "Föregående", "Previous");
pub const NEXT: Text = Text::new("Seuraava", "Nästa", "Next");
