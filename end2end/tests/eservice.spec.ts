// The e-service journeys: a new company's data-permit application from its first draft through
// a supplement request and the grant to the responsible user's approval, the proposal of a
// colleague and that colleague's first query; and a municipality's order of the blanket permit.
import { expect, Page, test } from "@playwright/test";
import { awaitMail, expectAccessible, samples, searchBy, signIn, signOut, typeCredentials } from "./helpers";

/** The landing page's next step for someone who may not query yet. */
function nextStep(page: Page) {
  return page.getByRole("region", { name: "Seuraava vaihe" });
}

/** Opens the e-service from the header. */
async function openEservice(page: Page) {
  await page.getByRole("link", { name: "Asiointi", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Asiointi" })).toBeVisible();
}

/** Opens an application from the registry's work queue by the organisation's name. */
async function openFromQueue(page: Page, organisation: string) {
  const queue = page.getByRole("table", { name: /Työjono/ });
  await queue.getByRole("row", { name: new RegExp(organisation) }).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(organisation);
}

/** The account of use and protection, the no-onward-disclosure promise and the terms. */
async function fillProtectionAndTerms(page: Page) {
  await page.getByLabel("Ketkä tietoja käyttävät").fill("Kaksi työntekijää asiakaspalvelussa.");
  await page.getByLabel("Missä tietoja käytetään").fill("Lukittu toimisto, oma verkko.");
  await page.getByLabel("Miten pääsy rajataan").fill("Henkilökohtaiset tunnukset ja kaksivaiheinen tunnistus.");
  await page.getByLabel("Kuinka kauan tietoja säilytetään").fill("Ei tallenneta; tulosteet tuhotaan heti.");
  await page.getByLabel("Vahvistamme, ettei tietoja luovuteta").check();
  await page.getByLabel(/Hyväksymme luvan käyttöehdot/).check();
}

/** The registry approves a proposed right on the management page. */
async function approveRight(page: Page, name: string) {
  // Signed in with a password only: the registry's decision asks for the second factor first,
  // changes nothing, and the step-up comes back to this page.
  await signIn(page, "dora", "dora-pw");
  await page.getByRole("link", { name: "Käyttöoikeudet" }).click();
  const here = page.url();
  const row = page.getByRole("table", { name: "Käyttäjät" }).getByRole("row", { name: new RegExp(name) });
  await expect(row.getByRole("cell", { name: "Ehdotettu", exact: true })).toBeVisible();
  await row.getByRole("button", { name: "Hyväksy" }).click();
  await expect(row.getByRole("alert")).toContainText("Rekisterinpitäjän päätökset edellyttävät vahvaa tunnistautumista");
  await expect(row.getByRole("cell", { name: "Ehdotettu", exact: true })).toBeVisible();
  await row.getByRole("link", { name: "Kirjaudu uudelleen kertakäyttökoodilla ja jatka tästä" }).click();
  await typeCredentials(page, "dora", "dora-pw", "111111");
  await expect(page).toHaveURL(here);
  await row.getByRole("button", { name: "Hyväksy" }).click();
  await expect(row.getByRole("cell", { name: "Voimassa", exact: true })).toBeVisible();
  await signOut(page);
}

test("a new company applies, supplements, is granted, and its responsible user's colleague makes the first query", async ({ page, browser }) => {
  // Jaana signs in once (so the registry knows her) and finds she has no right yet.
  const jaanaContext = await browser.newContext();
  const jaana = await jaanaContext.newPage();
  await signIn(jaana, "jaana", "jaana-pw");
  await expect(jaana.locator("#no-searches")).toContainText("Sinulla ei ole Kyselyn käyttöoikeutta");
  await expect(nextStep(jaana)).toContainText("Organisaatiollasi ei ole tietolupaa");

  // Ilkka lands where he stands: no permit, and the way to apply.
  await signIn(page, "ilkka", "ilkka-pw");
  await expect(nextStep(page)).toContainText("Organisaatiollasi ei ole tietolupaa");
  await nextStep(page).getByRole("link", { name: "Siirry Asiointiin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Asiointi" })).toBeVisible();
  // He starts an application; what he types is saved as a draft and survives a reload.
  await page.getByRole("button", { name: "Hae tietolupaa" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Tietolupa");
  await expect(page.getByLabel("Organisaation nimi")).toHaveValue("Kotiapu Oy");
  await page.getByLabel("Y-tunnus").fill("1234567-2");
  await page.getByLabel("Postiosoite").click();
  await expect(page.getByRole("alert").filter({ hasText: "Y-tunnuksessa on kirjoitusvirhe" })).toBeVisible();
  await page.getByLabel("Y-tunnus").fill("1234567-1");
  await page.getByLabel("Postiosoite").fill("Esimerkkikatu 1, 00100 Helsinki");
  await expect(page.getByRole("status")).toHaveText("Luonnos tallennettu");
  await page.reload();
  await expect(page.locator("#app-state")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByLabel("Y-tunnus")).toHaveValue("1234567-1");
  await expect(page.getByLabel("Postiosoite")).toHaveValue("Esimerkkikatu 1, 00100 Helsinki");

  const orgPart = page.getByRole("navigation", { name: "Hakemuksen osat" }).getByRole("listitem").filter({ hasText: "Organisaatio" });
  await expect(orgPart).toContainText("täytettävää: 2");
  // Sent too early, it says what is missing and keeps everything typed.
  await page.getByRole("button", { name: "Lähetä hakemus" }).click();
  const missing = page.locator("#form-errors");
  await expect(missing).toContainText("Valitse tai vahvista: ”Käyttöehdot”");
  await expect(missing).toContainText("Valitse tai vahvista: ”Organisaation laji”");
  await expect(page.getByLabel("Y-tunnus")).toHaveValue("1234567-1");
  // Each missing answer is marked at its field, with its message tied to it, and the cursor
  // is on the first of them.
  const orgKind = page.getByLabel("Organisaation laji");
  await expect(orgKind).toHaveAttribute("aria-invalid", "true");
  await expect(orgKind).toBeFocused();
  await expect(page.locator("#" + (await orgKind.getAttribute("aria-describedby")))).toContainText("Organisaation laji");
  await expect(page.getByLabel(/Hyväksymme luvan käyttöehdot/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Y-tunnus")).not.toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Organisaation laji").selectOption({ label: "Yritys" });
  await page.getByRole("button", { name: "Lisää yhteyshenkilö" }).click();
  await page.getByLabel("Yhteyshenkilön nimi 1").fill("Ilkka Ilmarinen");
  await page.getByLabel("Sähköposti 1").fill("ilkka@kotiapu.example");
  // The overview at the top counts what is left in each part as he types, and leads there.
  const parts = page.getByRole("navigation", { name: "Hakemuksen osat" });
  await expect(parts.getByRole("listitem").filter({ hasText: "Organisaatio" })).toContainText("valmis");
  await expect(parts.getByRole("listitem").filter({ hasText: "Käyttötarkoitukset" })).toContainText("täytettävää: 1");
  await parts.getByRole("link", { name: "Käyttöehdot" }).click();
  await expect(page).toHaveURL(/#section-terms$/);
  await expect(page.getByLabel(/Hyväksymme luvan käyttöehdot/)).toBeInViewport();
  await page.getByLabel("Isännöinti", { exact: true }).check();
  await page.getByLabel("Oikeusperuste: Isännöinti").fill("661/2009 16 §");
  await page.getByLabel("Miksi tietoja tarvitaan: Isännöinti").fill("Vuokralaisten henkilöllisyyden tarkistaminen sopimuksia tehtäessä.");
  await page.getByLabel("Henkilön perustiedot", { exact: true }).check();
  await page.getByLabel("Miksi tarpeen: Henkilön perustiedot").fill("Nimi ja henkilötunnus vuokrasopimukseen.");
  await page.getByLabel("Henkilötunnus", { exact: true }).check();
  await fillProtectionAndTerms(page);
  await expectAccessible(page, "application form");
  await page.getByRole("button", { name: "Lähetä hakemus" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("(Jätetty)");
  // The link back to the e-service's front page is not "the current page" here.
  await expect(page.getByRole("main").getByRole("link", { name: "Asiointi" })).not.toHaveAttribute("aria-current", /.*/);
  await expectAccessible(page, "a submitted application");
  await awaitMail("ilkka@kotiapu.example", "Jätetty");
  await signOut(page);
  // His colleague learns the organisation's application is on its way, and from whom.
  await jaana.reload();
  await expect(nextStep(jaana)).toContainText("Organisaatiosi hakemus on käsittelyssä");
  await expect(nextStep(jaana)).toContainText("Ilkka Ilmarinen");

  // The registry finds it in its work queue and asks for a description of the system.
  await signIn(page, "dora", "dora-pw", "111111");
  await openEservice(page);
  await expect(page.getByRole("table", { name: /Työjono/ })).toBeVisible();
  await expectAccessible(page, "work queue");
  await openFromQueue(page, "Kotiapu Oy");
  await expect(page.getByText("Käsittelyaika: 0 / 42 pv")).toBeVisible();
  await page.getByLabel(/Viesti hakijalle/).fill("Kuvatkaa tietojärjestelmä, jolla tietoja käsitellään.");
  await page.getByRole("button", { name: "Pyydä täydennystä" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("(Täydennystä pyydetty)");
  await signOut(page);

  // Ilkka is told by mail and on landing; the request is at the top of his application.
  const request = await awaitMail("ilkka@kotiapu.example", "Täydennystä pyydetty");
  expect(request.body).toContain("Rekisterinpitäjä pyytää täydennystä");
  expect(request.body).not.toContain("http");
  await signIn(page, "ilkka", "ilkka-pw");
  await expect(nextStep(page)).toContainText("Rekisterinpitäjä pyysi täydennystä hakemukseesi");
  await nextStep(page).getByRole("link", { name: "Avaa hakemus" }).click();
  await expect(page.getByRole("region", { name: "Rekisterinpitäjän avoin pyyntö" }))
    .toContainText("Kuvatkaa tietojärjestelmä, jolla tietoja käsitellään.");
  await page.getByLabel(/Muuta \(esim. tietojärjestelmän kuvaus\)/).fill("Selainkäyttö toimiston työasemilta, ei tallennusta.");
  await page.getByLabel(/Viesti hakijalle/).fill("Järjestelmän kuvaus lisätty hakemukseen.");
  await page.getByRole("button", { name: "Lähetä täydennys" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("(Jätetty)");
  await signOut(page);

  // The registry grants: the decision becomes the permit the gate enforces.
  await signIn(page, "dora", "dora-pw", "111111");
  await openEservice(page);
  await openFromQueue(page, "Kotiapu Oy");
  await expect(page.getByText("Selainkäyttö toimiston työasemilta")).toBeVisible();
  await expect(page.getByLabel("Henkilön perustiedot")).toBeChecked();
  // A decision asks once more, naming what it grants to whom; cancelled, nothing changes.
  await page.getByRole("button", { name: "Myönnä", exact: true }).click();
  const confirm = page.getByRole("alertdialog", { name: "Vahvista" });
  await expect(confirm).toContainText("Kotiapu Oy");
  await expect(confirm).toContainText("Henkilön perustiedot");
  await expect(confirm.getByRole("button", { name: "Vahvista: Myönnä" })).toBeFocused();
  await confirm.getByRole("button", { name: "Peruuta" }).click();
  await expect(page.getByRole("alertdialog", { name: "Vahvista" })).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("(Jätetty)");
  await page.getByRole("button", { name: "Myönnä", exact: true }).click();
  await page.getByRole("alertdialog", { name: "Vahvista" }).getByRole("button", { name: "Vahvista: Myönnä" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("(Myönnetty)");
  await expect(page.getByText(/Luvan numero: DVV\/\d+\/\d{4}/)).toBeVisible();
  await signOut(page);
  await awaitMail("ilkka@kotiapu.example", "Myönnetty");

  // Ilkka applies for the responsible-user right for himself (his landing page says so and
  // leads there); the registry approves.
  await signIn(page, "ilkka", "ilkka-pw");
  await expect(nextStep(page)).toContainText("nimeä organisaatiolle vastuukäyttäjä");
  await nextStep(page).getByRole("link", { name: "Siirry Asiointiin" }).click();
  const responsible = page.getByRole("region", { name: "Vastuukäyttäjä" });
  await responsible.getByLabel("Henkilö").selectOption({ label: "Ilkka Ilmarinen" });
  await responsible.getByRole("button", { name: "Hae vastuukäyttäjän oikeutta" }).click();
  await expect(responsible.getByText("Ilkka Ilmarinen: Ehdotettu")).toBeVisible();
  await page.goto("/");
  await expect(nextStep(page)).toContainText("odottaa rekisterinpitäjän hyväksyntää");
  await signOut(page);
  await approveRight(page, "Ilkka Ilmarinen");

  // Now the responsible user proposes Jaana; nothing opens to her before the registry approves.
  await signIn(page, "ilkka", "ilkka-pw");
  await page.getByRole("link", { name: "Käyttöoikeudet" }).click();
  const propose = page.getByRole("form", { name: "Ehdota käyttäjää" });
  await propose.getByLabel("Henkilö").selectOption({ label: "Jaana Jokinen" });
  await propose.getByRole("button", { name: "Ehdota" }).click();
  const jaanaRow = page.getByRole("table", { name: "Käyttäjät" }).getByRole("row", { name: /Jaana Jokinen/ });
  await expect(jaanaRow.getByRole("cell", { name: "Ehdotettu", exact: true })).toBeVisible();
  await signOut(page);
  await jaana.reload();
  await expect(jaana.locator("#no-searches")).toContainText("Käyttöoikeutesi ei ole voimassa");
  await approveRight(page, "Jaana Jokinen");

  // Jaana's first query: the permit's one screen and search, nothing else.
  await jaana.reload();
  await searchBy(jaana, "Henkilötunnus", [["Henkilötunnus", samples.ordinary[0]]]);
  await expect(jaana.getByRole("heading", { level: 1 })).toHaveText(samples.ordinary_names[0]);
  await expect(jaana.getByRole("navigation", { name: "Hakutapa" }).getByRole("link", { name: "Nimi", exact: true })).toHaveCount(0);
  await jaanaContext.close();
});

test("a municipality orders the blanket permit; once activated, its responsible user proposes a colleague who queries", async ({ page, browser }) => {
  const nikoContext = await browser.newContext();
  const niko = await nikoContext.newPage();
  await signIn(niko, "niko", "niko-pw");

  await signIn(page, "mirja", "mirja-pw");
  await expect(nextStep(page)).toContainText("Kunta tilaa kuntien valmiin luvan");
  await nextStep(page).getByRole("link", { name: "Siirry Asiointiin" }).click();
  await page.getByRole("button", { name: "Tilaa kuntien lupa" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Kunnan tilaus");
  // An order carries no purposes or data groups of its own: the blanket permit has them.
  await expect(page.getByText("Pyydetyt tiedot")).toHaveCount(0);
  await page.getByLabel("Y-tunnus").fill("0124610-9");
  await page.getByLabel("Organisaation laji").selectOption({ label: "Kunta" });
  await page.getByLabel("Postiosoite").fill("Asematie 7, 01300 Vantaa");
  await page.getByRole("button", { name: "Lisää yhteyshenkilö" }).click();
  await page.getByLabel("Yhteyshenkilön nimi 1").fill("Mirja Mäkinen");
  await page.getByLabel("Sähköposti 1").fill("mirja@vantaa.example");
  await page.getByRole("group", { name: "Vastuukäyttäjä" }).getByLabel("Vastuukäyttäjä").selectOption({ label: "Mirja Mäkinen" });
  await fillProtectionAndTerms(page);
  await page.getByRole("button", { name: "Lähetä hakemus" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("(Jätetty)");
  await page.goto("/");
  await expect(nextStep(page)).toContainText("Hakemuksesi on rekisterinpitäjän käsittelyssä");
  await signOut(page);
  await niko.reload();
  await expect(nextStep(niko)).toContainText("Organisaatiosi hakemus on käsittelyssä");

  // The registry filters its queue to municipalities: a two-week target.
  await signIn(page, "dora", "dora-pw", "111111");
  await openEservice(page);
  await page.getByLabel("Organisaation laji").selectOption({ label: "Kunta" });
  await expect(page.getByRole("table", { name: /Työjono/ }).getByRole("row", { name: /Kotiapu/ })).toHaveCount(0);
  await openFromQueue(page, "Vantaan kaupunki");
  await expect(page.getByText("Käsittelyaika: 0 / 14 pv")).toBeVisible();
  await page.getByRole("button", { name: "Myönnä", exact: true }).click();
  await expect(page.getByRole("alertdialog", { name: "Vahvista" })).toContainText("Vantaan kaupunki");
  await page.getByRole("alertdialog", { name: "Vahvista" }).getByRole("button", { name: "Vahvista: Myönnä" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("(Myönnetty)");
  await signOut(page);
  await awaitMail("mirja@vantaa.example", "Myönnetty");
  // Niko is told whom to ask now.
  await niko.reload();
  await expect(nextStep(niko)).toContainText("Pyydä organisaatiosi vastuukäyttäjää");

  // Mirja is the municipality's responsible user at once and proposes Niko.
  await signIn(page, "mirja", "mirja-pw");
  await page.getByRole("link", { name: "Käyttöoikeudet" }).click();
  const propose = page.getByRole("form", { name: "Ehdota käyttäjää" });
  await propose.getByLabel("Henkilö").selectOption({ label: "Niko Nieminen" });
  await propose.getByRole("button", { name: "Ehdota" }).click();
  await expect(page.getByRole("table", { name: "Käyttäjät" }).getByRole("row", { name: /Niko Nieminen/ }).getByRole("cell", { name: "Ehdotettu", exact: true })).toBeVisible();
  await signOut(page);
  await approveRight(page, "Niko Nieminen");

  await niko.reload();
  await searchBy(niko, "Henkilötunnus", [["Henkilötunnus", samples.ordinary[1]]]);
  await expect(niko.getByRole("heading", { level: 1 })).toHaveText(samples.ordinary_names[1]);
  await nikoContext.close();
});
