// Journeys through a real browser against the real server and the dev identity provider:
// signing in lands the cursor in the search field; every search type; walking person →
// dwelling → building → real-estate unit → owner and back to a resident; the language switch;
// the print view; refusals; protection orders; keyboard use; narrow screens; accessibility.
import { test, expect } from "@playwright/test";
import {
  samples, signIn, signOut, expectSignedOut, searchBy, expectAccessible, expectNoSidewaysScroll, pdfPages,
  typeCredentials,
} from "./helpers";

test("a clerk signs in, types a code with a typo, searches, reads a person and signs out", async ({ page }) => {
  await signIn(page, "bob", "bob-pw");
  await expect(page.locator("#user-name")).toHaveText("Bob Backman");
  // The cursor is already in the search field.
  await expect(page.getByLabel("Henkilötunnus")).toBeFocused();

  // Validation as you type, in the browser: a wrong check character is a typo somewhere,
  // and the message does not tell which character would make the code valid.
  const good = samples.ordinary[0];
  const last = good.slice(-1);
  const wrong = good.slice(0, 10) + (last === "0" ? "1" : "0");
  await page.getByLabel("Henkilötunnus").fill(wrong);
  await expect(page.locator("#hetu-error")).toContainText("kirjoitusvirhe");
  await expect(page.locator("#hetu-error")).not.toContainText(last);
  await expect(page.getByLabel("Henkilötunnus")).toHaveAttribute("aria-invalid", "true");

  // A valid code that belongs to nobody.
  await page.getByLabel("Henkilötunnus").fill(samples.not_in_register);
  await expect(page.locator("#hetu-ok")).toBeVisible();
  await page.getByRole("button", { name: "Hae" }).click();
  await expect(page.locator("#not-found")).toBeVisible();

  // A hit opens the basic screen with the cursor on the person's name.
  await page.getByLabel("Henkilötunnus").fill(good);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/person\/[A-Za-z0-9_-]{55}\/basic$/);
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText(samples.ordinary_names[0]);
  await expect(heading).toBeFocused();
  await expect(page.locator('[data-key="hetu"] dd')).toHaveText(good);
  // No personal data in the tab title (shared terminals keep a history).
  await expect(page).toHaveTitle(/^Perustiedot – Kysely$/);

  // The menu offers only what Espoo's permit opens: no wide screens, no resident lists.
  const menu = page.getByRole("navigation", { name: "Näkymät" });
  await expect(menu.getByRole("link", { name: "Perustiedot", exact: true })).toBeVisible();
  await expect(menu.getByRole("link", { name: "Perustiedot, laaja" })).toHaveCount(0);
  await menu.getByRole("link", { name: "Asuinpaikka", exact: true }).click();
  await page.getByRole("region", { name: "Asuinpaikka" }).getByRole("link").nth(1).click();
  await expect(page).toHaveURL(/\/building\/[A-Za-z0-9_-]{55}\/basic$/);
  await expect(page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Asukkaat" })).toHaveCount(0);

  // The recent subjects are one click away from the search page.
  const building = page.url();
  await page.getByRole("link", { name: "Uusi haku" }).click();
  const recent = page.getByRole("navigation", { name: "Viimeksi katsotut" });
  await expect(recent.getByRole("link", { name: samples.ordinary_names[0] })).toBeVisible();
  await recent.getByRole("link", { name: samples.ordinary_names[0] }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(samples.ordinary_names[0]);

  // A typed URL to a screen outside the permit is refused by the server, and said so.
  await page.goto(building.replace(/\/basic$/, "/residents"));
  await expect(page.locator("#no-permission")).toContainText("tietolupa ei kata");

  await signOut(page);
  await expectSignedOut(page);
});

test("every search type opens its subject, and the register can be walked and printed", async ({ page }) => {
  await signIn(page, "dora", "dora-pw");
  const flat = samples.flats[0];

  // Identity code of a family: person → children → parents back → dwelling → building →
  // real-estate unit → owner → and back to a resident of the building.
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", samples.families[0]]]);
  await expect(page).toHaveURL(/\/person\/[A-Za-z0-9_-]{55}\/basic$/);
  const parent = await page.getByRole("heading", { level: 1 }).textContent();
  const menu = page.getByRole("navigation", { name: "Näkymät" });
  await menu.getByRole("link", { name: "Lapset", exact: true }).click();
  await page.getByRole("table", { name: "Lapset" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/person\/[A-Za-z0-9_-]{55}\/basic$/);
  await menu.getByRole("link", { name: "Vanhemmat", exact: true }).click();
  await page.getByRole("table", { name: "Vanhemmat" }).getByRole("link", { name: parent ?? "" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(parent ?? "");
  await menu.getByRole("link", { name: "Asuinpaikka", exact: true }).click();
  await page.locator('[data-key="dwelling"] a').click();
  await expect(page).toHaveURL(/\/dwelling\/[A-Za-z0-9_-]{55}\/basic$/);
  await page.locator('[data-key="building"] a').click();
  await expect(page).toHaveURL(/\/building\/.*\/basic$/);
  await page.locator('[data-key="location_property"] a').click();
  await expect(page).toHaveURL(/\/property\/[A-Za-z0-9_-]{55}\/basic$/);
  await expectAccessible(page, "real-estate screen");
  await menu.getByRole("link", { name: "Kiinteistön omistajat", exact: true }).click();
  await expect(page.getByRole("table", { name: "Kiinteistön omistajat" })).toBeVisible();
  await menu.getByRole("link", { name: "Kiinteistön rakennukset", exact: true }).click();
  await page.getByRole("table", { name: "Kiinteistön rakennukset" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/building\/.*\/basic$/);
  await expectAccessible(page, "building screen");
  await menu.getByRole("link", { name: "Asukkaat", exact: true }).click();
  await page.getByRole("table", { name: "Asukkaat" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/person\/[A-Za-z0-9_-]{55}\/basic$/);
  await expectAccessible(page, "person screen");

  // A history is drawn as a timeline.
  await menu.getByRole("link", { name: "Osoitehistoria", exact: true }).click();
  await expect(page.locator("ol.timeline li").first()).toBeVisible();

  // The language switches without losing the page; dates keep their local form.
  const url = page.url();

  // The id in the address bar cannot be walked: one character changed opens nothing.
  const tampered = url.replace(/(\/person\/.{20})(.)/, (_, head, c) => head + (c === "A" ? "B" : "A"));
  expect(tampered).not.toBe(url);
  await page.goto(tampered);
  await expect(page.getByRole("heading", { level: 1, name: "Sivua ei löytynyt" })).toBeVisible();
  await page.goto(url);
  await page.getByRole("button", { name: "svenska" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Adresshistorik" })).toBeVisible();
  await expect(page).toHaveURL(url);
  // Code values follow the language too.
  await expect(page.locator("ol.timeline").getByText("stadigvarande adress").first()).toBeVisible();
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Address history" })).toBeVisible();
  await expect(page.locator("ol.timeline time").first()).toHaveText(/^\d{1,2}\.\d{1,2}\.\d{4}$/);
  await page.getByRole("button", { name: "suomi" }).click();

  // The print view of the whole subject, marked with whose data, who, when and why.
  await page.getByRole("link", { name: "Tulosta kaikki tiedot" }).click();
  await expect(page).toHaveURL(/\/print\/person\/[A-Za-z0-9_-]{55}$/);
  await expect(page.locator(".print-screen").first()).toBeVisible();
  expect(await page.locator(".print-screen").count()).toBeGreaterThan(40);
  await expectAccessible(page, "print view");
  await page.emulateMedia({ media: "print" });
  const mark = page.locator(".print-mark");
  await expect(mark).toBeVisible();
  await expect(mark).toContainText("Dora Dahl");
  await expect(mark).toContainText("Rekisterin ylläpito");
  await expect(mark).toContainText(/\d{1,2}\.\d{1,2}\.\d{4} \d{2}\.\d{2}/);
  await expect(page.getByRole("navigation", { name: "Näkymät" })).toBeHidden();
  // On paper every page carries the mark, not just the first.
  const identifier = (await page.locator("#subject-identifier").textContent()) ?? "";
  const pages = await pdfPages(await page.pdf({ format: "A4" }));
  await page.emulateMedia({ media: "screen" });
  expect(pages.length).toBeGreaterThan(3);
  for (const [i, text] of pages.entries()) {
    expect(text, `page ${i + 1}`).toContain(identifier);
    expect(text, `page ${i + 1}`).toContain("Dora Dahl");
    expect(text, `page ${i + 1}`).toContain("Luottamuksellinen");
  }

  // SATU, name and birth date, address (a hit list), address with a flat, PRT, old building
  // id, building and dwelling, real-estate unit in its short form, a parcel.
  await page.getByRole("link", { name: "Uusi haku" }).first().click();
  await searchBy(page, "Sähköinen asiointitunnus", [["Sähköinen asiointitunnus", samples.satu[0]]]);
  await expect(page).toHaveURL(/\/person\//);
  const n = samples.names[0];
  await page.getByRole("link", { name: "Uusi haku" }).first().click();
  await searchBy(page, "Nimi ja syntymäaika", [
    ["Sukunimi", n.surname], [/^Etunimet/, n.first_names.split(" ")[0]], ["Syntymäaika", n.birth_date],
  ]);
  await expect(page).toHaveURL(/\/person\//);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(n.surname);

  await page.getByRole("link", { name: "Uusi haku" }).first().click();
  const shared = samples.shared_addresses[0];
  await searchBy(page, "Osoite", [["Katuosoite", shared.street], ["Talonumero", shared.house_number]]);
  await expect(page.locator("#several")).toBeVisible();
  const hits = page.getByRole("table", { name: "Osumat" });
  expect(await hits.getByRole("row").count()).toBeGreaterThan(2);
  await expectAccessible(page, "hit list");
  await hits.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/building\//);

  await page.getByRole("link", { name: "Uusi haku" }).first().click();
  await searchBy(page, "Osoite", [
    ["Katuosoite", flat.street], ["Talonumero", flat.house_number],
    [/^Porras ja huoneisto/, flat.dwelling], [/^Postinumero/, flat.postal_code],
  ]);
  await expect(page).toHaveURL(/\/dwelling\//);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(flat.dwelling);

  for (const [tab, label, value, kind] of [
    ["Rakennustunnus", "Pysyvä rakennustunnus", flat.prt.toLowerCase(), "building"],
    ["Vanha rakennustunnus", "Vanha rakennustunnus", samples.old_building_ids[0], "building"],
    ["Kiinteistötunnus", "Kiinteistötunnus", samples.properties[0].replace(/-0+(\d)/g, "-$1"), "property"],
    ["Kiinteistötunnus", "Kiinteistötunnus", samples.parcels[0], "property"],
  ]) {
    await page.getByRole("link", { name: "Uusi haku" }).first().click();
    await searchBy(page, tab, [[label, value]]);
    await expect(page).toHaveURL(new RegExp(`/${kind}/`));
  }
  await page.getByRole("link", { name: "Uusi haku" }).first().click();
  await searchBy(page, "Rakennus ja huoneisto", [["Pysyvä rakennustunnus", flat.prt], [/^Porras ja huoneisto/, flat.dwelling]]);
  await expect(page).toHaveURL(/\/dwelling\//);

  // A passivated code opens the person and says what the code changed to.
  if (samples.passive.length > 0) {
    await page.getByRole("link", { name: "Uusi haku" }).first().click();
    await searchBy(page, "Henkilötunnus", [["Henkilötunnus", samples.passive[0]]]);
    await expect(page.locator("#hetu-changed")).toContainText(samples.passive[0]);
  }
  // A dead person is shown as dead in the heading.
  await page.getByRole("link", { name: "Uusi haku" }).first().click();
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", samples.deceased[0]]]);
  await expect(page.locator("#deceased")).toContainText("Kuollut");
  await signOut(page);
});

test("the same protected person, opened by each organisation, shows what its permit allows and says why", async ({ page }) => {
  const code = samples.protected[0];
  const municipality = '[data-key="home_municipality"]';
  // [user, password, one-time code, what the notice says, withheld?]
  const viewers: [string, string, string | undefined, string, boolean][] = [
    ["bob", "bob-pw", undefined, "ei luovuteta ilman oikeutta", true],
    // The county may reveal protected data in an emergency, after a two-factor sign-in.
    ["hanna", "hanna-pw", undefined, "vain vahvasti tunnistautuneelle", true],
    ["hanna", "hanna-pw", "222222", "ei luovuteta ilman oikeutta", true],
    ["dora", "dora-pw", undefined, "vain vahvasti tunnistautuneelle", true],
    ["dora", "dora-pw", "111111", "Sinulla on oikeus nähdä", false],
  ];
  for (const [user, password, otp, notice, withheld] of viewers) {
    await signIn(page, user, password, otp);
    await searchBy(page, "Henkilötunnus", [["Henkilötunnus", code]]);
    await expect(page.locator(".notice.protection")).toContainText(notice);
    await expect(page.locator(`${municipality} .withheld`)).toHaveCount(withheld ? 1 : 0);
    await expect(page.locator(`${municipality} .protected-mark`)).toHaveCount(withheld ? 0 : 1);
    await signOut(page);
  }
  // The property manager's permit opens no person screen at all.
  await signIn(page, "carol", "carol-pw");
  await expect(page.getByRole("navigation", { name: "Hakutapa" }).getByRole("link", { name: "Henkilötunnus", exact: true })).toHaveCount(0);
  await signOut(page);
});

test("break glass: a social worker reveals a protected child's address with a reason, and the registry is told", async ({ page }) => {
  const code = samples.protected[0];
  await signIn(page, "hanna", "hanna-pw", "222222");
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", code]]);
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Osoitteet", exact: true }).click();
  const screen = page.getByRole("region", { name: "Osoitteet" });
  await expect(screen.getByText("sallii niiden avaamisen painavasta syystä")).toBeVisible();
  await expect(screen.locator(".withheld").first()).toBeVisible();
  // Screens closed to the county say why instead of vanishing.
  await page.getByText("Näkymät, joita et voi avata").click();
  await expect(page.locator(".closed-screens li", { hasText: "Perustiedot, laaja" })).toContainText("ei organisaatiosi tietoluvassa");
  // No reason, no reveal.
  const reveal = page.getByRole("button", { name: "Avaa turvakiellon alaiset tiedot" });
  await reveal.click();
  await expect(page.getByRole("alert").filter({ hasText: "perustelu" })).toBeVisible();
  await page.getByLabel("Perustelu").fill("kiireellinen lastensuojeluasia");
  await reveal.click();
  await expect(page.locator(".notice.protection")).toContainText("Avasit turvakiellon alaiset tiedot perustelulla");
  await expect(screen.locator(".withheld")).toHaveCount(0);
  await expect(screen.locator(".protected-mark").first()).toBeVisible();
  // Another screen of the same child: the reason is offered again, not typed again (the
  // reveal is still her own act, recorded on its own).
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Perustiedot", exact: true }).click();
  await expect(page.getByLabel("Perustelu")).toHaveValue("kiireellinen lastensuojeluasia");
  await signOut(page);

  // The registry sees who revealed what, and why.
  await signIn(page, "dora", "dora-pw", "111111");
  await page.getByRole("link", { name: "Käyttöoikeudet" }).click();
  const reveals = page.getByRole("table", { name: "Turvakiellon alaisten tietojen avaamiset" });
  await expect(reveals.getByRole("row", { name: /Hanna Heikkilä/ }).getByText("kiireellinen lastensuojeluasia")).toBeVisible();
  await signOut(page);
});

test("a user known to the provider but without a right is told so and whom to ask", async ({ page }) => {
  await signIn(page, "eve", "eve-pw");
  await expect(page.locator("#no-searches")).toContainText("Sinulla ei ole Kyselyn käyttöoikeutta");
  await expect(page.getByText("Organisaatiosi vastuukäyttäjä: Bob Backman")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Hakutapa" })).toHaveCount(0);
  await signOut(page);
});

test("a responsible user blocks a colleague whose open session ends at once; the registry lifts the block", async ({ page, browser }) => {
  // Frank is signed in and searching in his own browser.
  const frankContext = await browser.newContext();
  const frank = await frankContext.newPage();
  await signIn(frank, "frank", "frank-pw");
  await searchBy(frank, "Henkilötunnus", [["Henkilötunnus", samples.ordinary[0]]]);
  await expect(frank.getByRole("heading", { level: 1 })).toHaveText(samples.ordinary_names[0]);

  // Bob, Espoo's responsible user, blocks him with a reason from the management page.
  await signIn(page, "bob", "bob-pw");
  await page.getByRole("link", { name: "Käyttöoikeudet" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Käyttöoikeudet ja tietoluvat" })).toBeVisible();
  const rights = page.getByRole("table", { name: "Käyttäjät" });
  const frankRow = rights.getByRole("row", { name: /Frank Forsman/ });
  await expect(frankRow.getByRole("cell", { name: "Voimassa", exact: true })).toBeVisible();
  // Bob may not approve Gus's proposed right, nor change his own.
  await expect(rights.getByRole("row", { name: /Gus Grönroos/ }).getByRole("button", { name: "Hyväksy" })).toHaveCount(0);
  await expect(rights.getByRole("row", { name: /Bob Backman/ }).getByRole("button")).toHaveCount(0);
  // A block needs a reason: without one it is refused before anything is sent.
  await frankRow.getByRole("button", { name: "Estä heti" }).click();
  await expect(frankRow.getByRole("alert")).toContainText("perustelu");
  await frankRow.getByRole("textbox", { name: "Perustelu: Frank Forsman" }).fill("epäilty uteliaisuushaku");
  await frankRow.getByRole("button", { name: "Estä heti" }).click();
  // A block asks once more, saying what it does to whom; Escape takes it back.
  const confirm = frankRow.getByRole("alertdialog", { name: "Vahvista" });
  await expect(confirm).toContainText("Frank Forsman");
  await expect(confirm).toContainText("istuntonsa päättyvät");
  await page.keyboard.press("Escape");
  await expect(frankRow.getByRole("alertdialog", { name: "Vahvista" })).toHaveCount(0);
  await expect(frankRow.getByRole("cell", { name: "Voimassa", exact: true })).toBeVisible();
  await frankRow.getByRole("button", { name: "Estä heti" }).click();
  await frankRow.getByRole("alertdialog", { name: "Vahvista" }).getByRole("button", { name: "Vahvista: Estä heti" }).click();
  await expect(frankRow.getByRole("cell", { name: "Estetty", exact: true })).toBeVisible();
  await frankRow.getByText("Muutoshistoria").click();
  await expect(frankRow.getByText(/Bob Backman: Estä heti, Voimassa → Estetty – epäilty uteliaisuushaku/)).toBeVisible();
  await expectAccessible(page, "management page");
  // Loaded directly, the page (a lazily loaded chunk of the WASM) renders and hydrates too.
  await page.reload();
  await expect(page.locator("#app-state")).toHaveAttribute("data-hydrated", "true");
  await expect(frankRow.getByRole("cell", { name: "Estetty", exact: true })).toBeVisible();
  await signOut(page);

  // The block ended Frank's session: the page he had open finds it gone and leaves for the
  // signed-out page, with nothing of the person he was reading.
  await frank.waitForURL(/\/auth\/expired$/, { timeout: 30_000 });
  expect(await frank.content()).not.toContain(samples.ordinary_names[0]);
  // The page that ends his session says it was a block, and by whom.
  await expect(frank.getByRole("heading", { level: 1 })).toHaveText("Käyttöoikeutesi on estetty");
  await expect(frank.locator("#blocked-by")).toContainText("Bob Backman esti käyttöoikeutesi");
  // Signing in again, he is told why he cannot search, and whom to ask.
  await frank.getByRole("link", { name: "Kirjaudu sisään" }).click();
  await typeCredentials(frank, "frank", "frank-pw");
  await expect(frank.locator("#no-searches")).toContainText("Käyttöoikeutesi on estetty");
  await expect(frank.getByText("Organisaatiosi vastuukäyttäjä: Bob Backman")).toBeVisible();

  // Only the registry lifts a block; Frank can then search again.
  await signIn(page, "dora", "dora-pw", "111111");
  await page.getByRole("link", { name: "Käyttöoikeudet" }).click();
  const row = page.getByRole("table", { name: "Käyttäjät" }).getByRole("row", { name: /Frank Forsman/ });
  await row.getByRole("textbox", { name: "Perustelu: Frank Forsman" }).fill("selvitetty, ei väärinkäyttöä");
  await row.getByRole("button", { name: "Poista esto" }).click();
  await expect(row.getByRole("cell", { name: "Voimassa", exact: true })).toBeVisible();
  // The registry also sees every organisation's permit.
  await expect(page.getByRole("table", { name: "Tietoluvat" }).getByRole("row", { name: /Espoon kaupunki/ })).toBeVisible();
  await signOut(page);
  await frank.reload();
  await expect(frank.getByRole("navigation", { name: "Hakutapa" })).toBeVisible();
  await frankContext.close();
});

test("protection order: location withheld without the right, shown with it", async ({ page }) => {
  const code = samples.protected[0];
  await signIn(page, "bob", "bob-pw");
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", code]]);
  await expect(page.locator(".notice.protection")).toContainText("ei luovuteta");
  await expect(page.locator('[data-key="home_municipality"] .withheld')).toBeVisible();
  await expect(page.locator('[data-key="hetu"] dd')).toHaveText(code);
  await signOut(page);

  // The police permit has two purposes of use: nothing is searched before one is chosen.
  await signIn(page, "alice", "alice-pw", "123456");
  await expect(page.locator("#no-searches")).toContainText("Valitse käyttötarkoitus");
  const purpose = page.getByRole("form", { name: "Käyttötarkoitus" });
  await purpose.getByLabel("Asiaviite").fill("<R/2026>");
  await purpose.getByRole("button", { name: "Valitse" }).click();
  await expect(purpose.getByRole("alert")).toContainText("Valitse käyttötarkoitus");
  // A choice takes effect as it is made; with a malformed case reference it cannot, says
  // why, and the control shows what is in force (nothing yet).
  await purpose.getByLabel("Käyttötarkoitus").selectOption({ label: "Rikostutkinta" });
  await expect(purpose.getByRole("alert")).toContainText("Asiaviite");
  await expect(purpose.getByLabel("Käyttötarkoitus")).toHaveValue("");
  await purpose.getByLabel("Asiaviite").fill("R/2026/77");
  await purpose.getByLabel("Käyttötarkoitus").selectOption({ label: "Rikostutkinta" });
  await expect(purpose.getByRole("alert")).toHaveCount(0);
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", code]]);
  await expect(page.locator(".notice.protection")).toContainText("Sinulla on oikeus nähdä");
  await expect(page.locator('[data-key="home_municipality"] .withheld')).toHaveCount(0);
  // Shown to the entitled, and marked so that it is handled with care.
  await expect(page.locator('[data-key="home_municipality"] .protected-mark')).toHaveText("turvakielto");
  await expect(page.locator('[data-key="hetu"] .protected-mark')).toHaveCount(0);
  await signOut(page);

  // Remembered for the next sign-in: the search opens at once.
  await signIn(page, "alice", "alice-pw", "123456");
  const again = page.getByRole("form", { name: "Käyttötarkoitus" });
  await expect(again.getByLabel("Käyttötarkoitus")).toHaveValue("police-investigation");
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", code]]);
  await expect(page.locator(".notice.protection")).toBeVisible();
  // The purpose decides the screens: licence administration does not open addresses.
  const menu = page.getByRole("navigation", { name: "Näkymät" });
  await expect(menu.getByRole("link", { name: "Osoitteet", exact: true })).toHaveCount(1);
  await again.getByLabel("Käyttötarkoitus").selectOption({ label: "Lupahallinto" });
  await expect(menu.getByRole("link", { name: "Osoitteet", exact: true })).toHaveCount(0);
  await expect(menu.getByRole("link", { name: "Perustiedot", exact: true })).toHaveCount(1);
  await signOut(page);
});

test("a property manager searches by address, sees residents, and is offered no person search", async ({ page }) => {
  await signIn(page, "carol", "carol-pw");
  const tabs = page.getByRole("navigation", { name: "Hakutapa" });
  await expect(tabs.getByRole("link", { name: "Henkilötunnus" })).toHaveCount(0);
  const flat = samples.flats[0];
  await searchBy(page, "Osoite", [["Katuosoite", flat.street], ["Talonumero", flat.house_number], [/^Postinumero/, flat.postal_code]]);
  await expect(page).toHaveURL(/\/building\//);
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Asukkaat", exact: true }).click();
  const residents = page.getByRole("table", { name: "Asukkaat" });
  await expect(residents).toBeVisible();
  // Residents are names, not links: the manager may open no person screen (the dwellings
  // are links: those screens are in the permit).
  await expect(residents.locator('td[data-key="resident"]').first()).toBeVisible();
  await expect(residents.locator('td[data-key="resident"] a')).toHaveCount(0);
  await expect(residents.locator('td[data-key="dwelling"] a').first()).toBeVisible();
  await expect(page.getByText("Osa riveistä")).toHaveCount(0);
  await signOut(page);
});

test("keyboard only: skip link, search, menus; and a 375 px screen does not scroll sideways", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, "dora", "dora-pw");
  await expectNoSidewaysScroll(page, "search page");
  await expectAccessible(page, "search page");
  // The skip link moves the focus to the content.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Home");
  await page.locator(".skip").focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("#main")).toBeFocused();
  // Search with the keyboard alone.
  await page.getByLabel("Henkilötunnus").focus();
  await page.keyboard.type(samples.families[0]);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  await expectNoSidewaysScroll(page, "person screen");
  // On a narrow screen the screens fold under a button; a choice moves the focus to the screen.
  await page.getByRole("button", { name: /^Näkymät/ }).press("Enter");
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Asuinpaikka", exact: true }).press("Enter");
  await expect(page.locator("#screen-title")).toBeFocused();
  await page.locator('[data-key="building"] a').press("Enter");
  await expect(page.locator("#subject-heading")).toBeFocused();
  await page.getByRole("button", { name: /^Näkymät/ }).press("Enter");
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Asukkaat, laaja" }).press("Enter");
  await expect(page.getByRole("table", { name: "Asukkaat, laaja" })).toBeVisible();
  await expectNoSidewaysScroll(page, "residents table");
  await signOut(page);
});

test("the first screen is visible within a second of signing in (measured, printed)", async ({ page }) => {
  // The WASM comes compressed at build time, under a hashed name cached for a year.
  const wasm = page.waitForResponse((r) => r.url().endsWith(".wasm"));
  await page.goto("/");
  await page.locator("#username").fill("bob");
  await page.locator("#password").fill("bob-pw");
  const started = Date.now();
  await page.getByRole("button", { name: "Kirjaudu sisään" }).click();
  await expect(page.getByLabel("Henkilötunnus")).toBeVisible();
  const visible = Date.now() - started;
  await expect(page.locator("#app-state")).toHaveAttribute("data-hydrated", "true");
  const interactive = Date.now() - started;
  console.log(`first screen visible ${visible} ms after the sign-in click; interactive after ${interactive} ms`);
  const w = await wasm;
  expect(w.url()).toMatch(/\/pkg\/kysely\.[A-Za-z0-9_-]{10,}\.wasm$/);
  expect(await w.headerValue("content-encoding")).toBe("br");
  expect(await w.headerValue("cache-control")).toContain("immutable");
  console.log(`WASM transferred: ${(await w.body()).length} bytes decoded, ${await w.headerValue("content-length")} bytes brotli`);
  await signOut(page);
});
