// The service around the queries: a question to the registry answered in its thread, a
// subscription confirmed from the link mailed to the address, a service notice shown to
// everyone and mailed to its subscriber (through the run's real SMTP server), fees with the
// registry's CSV, a document uploaded by the registry and
// downloaded by a clerk, the usage statistics, an attestation round and a change of screens
// proposed by the responsible user and approved by the registry.
import { expect, Page, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { APP, awaitMail, expectAccessible, signIn, signOut, typeCredentials } from "./helpers";

async function openContact(page: Page) {
  await page.getByRole("link", { name: "Yhteydenotto", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Yhteydenotto" })).toBeVisible();
}

/** A day `days` from now as d.m.yyyy (Finnish time is at most three hours ahead of UTC). */
function daysAhead(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000 + 3 * 3_600_000);
  return `${d.getUTCDate()}.${d.getUTCMonth() + 1}.${d.getUTCFullYear()}`;
}

test("a question is answered, a notice reaches everyone and its subscriber's mailbox, and fees are shown", async ({ page }) => {
  // Bob subscribes to notices: nothing but a confirmation goes to the address until he opens
  // its link and confirms, signed in as himself.
  await signIn(page, "bob", "bob-pw");
  await openContact(page);
  await page.getByRole("textbox", { name: "Sähköposti" }).fill("bob@espoo.example");
  await page.getByRole("button", { name: "Tilaa" }).click();
  await expect(page.locator("#subscribed-email")).toHaveText("bob@espoo.example");
  await expect(page.getByRole("status").filter({ hasText: "Vahvista tilaus" })).toBeVisible();
  const confirmation = await awaitMail("bob@espoo.example", "vahvista");
  const link = confirmation.body.match(/https?:\/\/\S+\/contact\?confirm=\S+/)?.[0];
  expect(link, confirmation.body).toBeTruthy();
  expect(link!.startsWith(APP)).toBe(true);
  await page.goto(link!);
  await page.getByRole("button", { name: "Vahvista tilaus" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Tilaus vahvistettu" })).toContainText("bob@espoo.example");
  await expect(page.getByRole("region", { name: "Palvelutiedotteet sähköpostiin" })).toContainText("Tiedotteet lähetetään osoitteeseen");
  // Asks about fees.
  // Sent without a subject, the form says what is missing and keeps the text.
  await page.getByLabel("Aihe").selectOption({ label: "Maksut ja laskutus" });
  await page.getByLabel("Viesti").fill("Onko kunnan käyttö maksutonta?");
  await page.getByRole("button", { name: "Lähetä" }).click();
  await expect(page.getByRole("alert")).toContainText("Otsikko");
  await expect(page.getByLabel("Viesti")).toHaveValue("Onko kunnan käyttö maksutonta?");
  await page.getByLabel("Otsikko").fill("Kunnan maksut");
  await page.getByRole("button", { name: "Lähetä" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Kysymys lähetetty" })).toBeVisible();
  const mine = page.getByRole("table", { name: /Omat kysymykset/ });
  await expect(mine.getByRole("row", { name: /Kunnan maksut/ })).toContainText("Odottaa vastausta");
  await expectAccessible(page, "the contact page");
  await signOut(page);

  // The registry answers, publishes a notice (with its one-time code: a notice is the
  // registry's word) and the notice reaches Bob's mailbox.
  await signIn(page, "dora", "dora-pw", "111111");
  await openContact(page);
  await page.getByRole("table", { name: /Kysymykset/ }).getByRole("link", { name: "Kunnan maksut" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Kunnan maksut" })).toBeVisible();
  await page.getByLabel("Viesti").fill("Kyllä: lakisääteiset tehtävät ovat maksuttomia.");
  await page.getByRole("button", { name: "Vastaa" }).click();
  await expect(page.locator("#question-state")).toHaveText("Vastattu");
  await page.getByRole("link", { name: "Takaisin yhteydenottoihin" }).click();
  const notices = page.getByRole("region", { name: "Palvelutiedotteet" });
  // Written in Finnish and Swedish; a Swedish title without its text is named at its language.
  const finnish = notices.getByRole("group", { name: "Teksti suomeksi" });
  const swedish = notices.getByRole("group", { name: "Teksti ruotsiksi" });
  await finnish.getByLabel("Otsikko").fill("Huoltokatko lauantaina");
  await finnish.getByLabel("Viesti").fill("Kysely on poissa käytöstä klo 18–20.");
  await swedish.getByLabel("Otsikko").fill("Driftavbrott på lördag");
  await notices.getByLabel(/Näkyy asti/).fill(daysAhead(5));
  await notices.getByRole("button", { name: "Julkaise tiedote" }).click();
  await expect(notices.getByRole("alert")).toContainText("Täytä kenttä ”Viesti” myös ruotsiksi");
  await swedish.getByLabel("Viesti").fill("Kysely är ur bruk kl. 18–20.");
  await notices.getByRole("button", { name: "Julkaise tiedote" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Tiedote julkaistu" })).toContainText("sähköposteja jonossa: 1");
  const mail = await awaitMail("bob@espoo.example", "Huoltokatko lauantaina");
  expect(mail.body).toContain("Kysely on poissa käytöstä klo 18–20.");
  const outbox = page.getByRole("region", { name: "Lähtevät sähköpostit" });
  await page.reload();
  await expect(outbox.getByRole("row", { name: /Huoltokatko lauantaina/ })).toContainText("Lähetetty");
  await page.reload();
  await expect(page.getByRole("complementary", { name: "Palvelutiedotteet" })).toContainText("Huoltokatko lauantaina");
  // Every organisation's invoice basis, and the month as CSV.
  await page.getByRole("link", { name: "Maksut", exact: true }).click();
  const fees = page.getByRole("table", { name: /Maksut/ });
  await expect(fees.getByRole("row", { name: /Isännöinti Oy Esimerkki/ })).toContainText("0,06 €");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /Lataa kaikkien laskutusperuste/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^kysely-laskutus-\d{4}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), "utf8");
  expect(csv.split("\r\n")[0]).toContain("kuukausi;organisaatio;y-tunnus");
  expect(csv).toContain(";Espoon kaupunki;");
  await expectAccessible(page, "the fees page");
  await signOut(page);

  // Bob sees the notice, the answer, and his organisation's fees.
  await signIn(page, "bob", "bob-pw");
  const banner = page.getByRole("complementary", { name: "Palvelutiedotteet" });
  await expect(banner).toContainText("Käyttökatko: Huoltokatko lauantaina");
  await expect(banner).not.toContainText("Driftavbrott på lördag");
  // In Swedish he reads the Swedish words; in English (not written) the Finnish ones, marked
  // as Finnish for the eye and for a screen reader.
  await page.getByRole("button", { name: "svenska" }).click();
  const bannerSv = page.getByRole("complementary", { name: "Driftmeddelanden" });
  await expect(bannerSv).toContainText("Driftavbrott: Driftavbrott på lördag");
  await expect(bannerSv).toContainText("Kysely är ur bruk kl. 18–20.");
  await page.getByRole("button", { name: "English" }).click();
  const bannerEn = page.getByRole("complementary", { name: "Service notices" });
  await expect(bannerEn).toContainText("Planned break: Huoltokatko lauantaina");
  await expect(bannerEn).toContainText("(in Finnish)");
  await expect(bannerEn.locator('[lang="fi"]').first()).toHaveText("Huoltokatko lauantaina");
  await page.getByRole("button", { name: "suomi" }).click();
  await openContact(page);
  await page.getByRole("table", { name: /Omat kysymykset/ }).getByRole("link", { name: "Kunnan maksut" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "lakisääteiset tehtävät ovat maksuttomia" })).toContainText("Dora");
  await page.getByRole("link", { name: "Maksut", exact: true }).click();
  const own = page.getByRole("table", { name: /Maksut/ });
  await expect(own.getByRole("row")).toHaveCount(2);
  await expect(own.getByRole("row", { name: /Espoon kaupunki/ })).toContainText("Maksuton");
  await expect(page.getByRole("link", { name: /Lataa kaikkien laskutusperuste/ })).toHaveCount(0);
  await signOut(page);
});

test("the registry adds a document to the library and a clerk downloads it", async ({ page }) => {
  // With a password only, the registry's documents are not saved: the page offers the step-up
  // and comes back to the library.
  await signIn(page, "dora", "dora-pw");
  await page.getByRole("link", { name: "Kirjasto", exact: true }).click();
  const pdf = Buffer.from("%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "latin1");
  const upload = async () => {
    await page.getByLabel("Otsikko").fill("Käyttöehdot 2027");
    await page.getByLabel("Laji").selectOption({ index: 1 });
    await page.getByLabel("Tiedosto").setInputFiles({ name: "ehdot.pdf", mimeType: "application/pdf", buffer: pdf });
    await page.getByRole("button", { name: "Tallenna" }).click();
  };
  await upload();
  await expect(page.getByRole("alert")).toContainText("kaksivaiheisen kirjautumisen");
  await page.getByRole("link", { name: /Kirjaudu uudelleen kertakäyttökoodilla/ }).click();
  await typeCredentials(page, "dora", "dora-pw", "111111");
  await expect(page).toHaveURL(/\/library$/);
  await upload();
  await expect(page.getByRole("status")).toHaveText("Asiakirja tallennettu.");
  // A web page dressed as a PDF is refused by its content.
  await page.getByLabel("Otsikko").fill("Haitallinen");
  await page.getByLabel("Tiedosto").setInputFiles({ name: "x.pdf", mimeType: "application/pdf", buffer: Buffer.from("<!DOCTYPE html><script>alert(1)</script>") });
  await page.getByRole("button", { name: "Tallenna" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByRole("table", { name: "Asiakirjat" }).getByRole("row", { name: /Haitallinen/ })).toHaveCount(0);
  await signOut(page);

  await signIn(page, "frank", "frank-pw");
  await page.getByRole("link", { name: "Kirjasto", exact: true }).click();
  const row = page.getByRole("table", { name: "Asiakirjat" }).getByRole("row", { name: /Käyttöehdot 2027/ });
  const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("link", { name: /Lataa versio 1/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync(await download.path()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  await signOut(page);
});

test("a responsible user runs an attestation round, reads the statistics and proposes a change the registry approves", async ({ page }) => {
  await signIn(page, "bob", "bob-pw");
  await page.getByRole("link", { name: "Käyttöoikeudet" }).click();
  const round = page.getByRole("region", { name: "Käyttötarpeen vahvistus" });
  // Too soon a day is refused with the rule.
  await round.getByLabel(/Vahvistettava viimeistään/).fill(daysAhead(2));
  await round.getByRole("button", { name: "Aloita vahvistuskierros" }).click();
  await expect(round.getByRole("alert")).toContainText("7–90");
  await round.getByLabel(/Vahvistettava viimeistään/).fill(daysAhead(21));
  await round.getByRole("button", { name: "Aloita vahvistuskierros" }).click();
  await expect(round.locator("#attestation-deadline")).toContainText("Vahvistamattomat oikeudet päättyvät");
  const rights = page.getByRole("table", { name: "Käyttäjät" });
  // Frank's right now ends on the round's last day, until Bob confirms it.
  await expect(rights.getByRole("row", { name: /Frank Forsman/ })).not.toContainText("toistaiseksi");
  await round.getByRole("button", { name: "Vahvista tarve: Frank Forsman" }).click();
  // Frank was the only colleague in force: the round is complete.
  await expect(round.locator("#attestation-last")).toContainText("vahvistettu 1 / 1");
  await expect(rights.getByRole("row", { name: /Frank Forsman/ })).toContainText("toistaiseksi");
  // The statistics load on request.
  await page.getByRole("button", { name: /Käyttötilastot/ }).click();
  await expect(page.getByRole("table", { name: /Käyttötilastot/ }).getByRole("row", { name: /Frank Forsman/ })).toBeVisible();
  // Frank is to see basic data only: proposed, then approved by the registry.
  const amend = page.getByRole("form", { name: "Ehdota muutosta käyttöoikeuteen" });
  await amend.getByLabel("Kollega").selectOption({ label: "Frank Forsman" });
  await amend.getByLabel("Vain valitut näytöt:").check();
  await amend.getByRole("listbox", { name: "Näytöt" }).selectOption(["person.basic"]);
  await amend.getByRole("button", { name: "Lähetä ehdotus" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Ehdotus lähetetty DVV:lle." })).toBeVisible();
  await expect(rights.getByRole("row", { name: /Frank Forsman/ })).toContainText("→ ehdotettu");
  await expectAccessible(page, "the management page of a responsible user");
  await signOut(page);

  await signIn(page, "dora", "dora-pw", "111111");
  await page.getByRole("link", { name: "Käyttöoikeudet" }).click();
  const frank = page.getByRole("table", { name: "Käyttäjät" }).getByRole("row", { name: /Frank Forsman/ });
  await frank.getByRole("button", { name: "Hyväksy muutos" }).click();
  await expect(frank).not.toContainText("→ ehdotettu");
  await expect(frank.getByRole("button", { name: "Hyväksy muutos" })).toHaveCount(0);
  await signOut(page);
});
