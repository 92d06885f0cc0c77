// What new users stumbled on (issue 21), each as the step that failed before its fix.
import { test, expect, Page } from "@playwright/test";
import { expectNoSidewaysScroll, samples, searchBy, signIn, signOut } from "./helpers";

/** The links in `nav` that say they are the current page. */
function current(page: Page, nav: string) {
  return page.getByRole("navigation", { name: nav }).locator('[aria-current="page"]');
}

test("one search tab and one screen are current, and the current one moves with a switch", async ({ page }) => {
  await signIn(page, "bob", "bob-pw");
  // Every tab links to "/" with its own ?kind=: the router's own link marked them all current.
  await expect(current(page, "Hakutapa")).toHaveCount(1);
  await expect(current(page, "Hakutapa")).toHaveText("Henkilötunnus");
  await page.getByRole("navigation", { name: "Hakutapa" }).getByRole("link", { name: "Nimi ja syntymäaika" }).click();
  await expect(page).toHaveURL(/\?kind=name$/);
  await expect(current(page, "Hakutapa")).toHaveCount(1);
  await expect(current(page, "Hakutapa")).toHaveText("Nimi ja syntymäaika");

  // A subject's screens menu: the screen on view, and only it.
  await page.getByRole("navigation", { name: "Hakutapa" }).getByRole("link", { name: "Henkilötunnus", exact: true }).click();
  await page.getByLabel("Henkilötunnus").fill(samples.ordinary[0]);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/basic$/);
  await expect(current(page, "Näkymät")).toHaveCount(1);
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Osoitteet", exact: true }).click();
  await expect(page).toHaveURL(/\/addresses$/);
  await expect(current(page, "Näkymät")).toHaveCount(1);
  await expect(current(page, "Näkymät")).toHaveText("Osoitteet");
  await signOut(page);
});

test("a responsible user with nobody to propose is told why and what the colleague must do", async ({ page }) => {
  // Hanna is her county's only user: nobody of it has signed in without a right.
  await signIn(page, "hanna", "hanna-pw");
  await page.getByRole("link", { name: "Käyttöoikeudet" }).click();
  await expect(page.getByRole("heading", { name: "Ehdota käyttäjää" })).toBeVisible();
  await expect(page.locator("#no-candidates")).toContainText("kirjautunut Kyselyyn kerran");
  // No form with an empty list to choose from.
  await expect(page.getByRole("combobox", { name: "Kollega" })).toHaveCount(0);
  await expect(page.getByRole("combobox", { name: "Henkilö" })).toHaveCount(0);
  await signOut(page);
});

test("a hit list offers a new search that empties the form and puts the cursor in its first field", async ({ page }) => {
  await signIn(page, "bob", "bob-pw");
  const shared = samples.shared_addresses[0];
  await searchBy(page, "Osoite", [["Katuosoite", shared.street], ["Talonumero", shared.house_number]]);
  await expect(page.locator("#several")).toBeVisible();
  await page.getByRole("button", { name: "Uusi haku" }).click();
  await expect(page.getByRole("table", { name: "Osumat" })).toHaveCount(0);
  await expect(page.getByLabel("Katuosoite")).toHaveValue("");
  await expect(page.getByLabel("Talonumero")).toHaveValue("");
  await expect(page.getByLabel("Katuosoite")).toBeFocused();
  await signOut(page);
});

test("what is typed in an application survives leaving at once, and leaving breaks nothing", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  // Hanna, her county's responsible user, drafts a change to its permit.
  await signIn(page, "hanna", "hanna-pw");
  await page.getByRole("link", { name: "Asiointi", exact: true }).click();
  await page.getByRole("button", { name: "Hae muutosta tietolupaan" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("H-");
  // A change starts from what the permit holds, not from an empty form.
  await expect(page.getByLabel("Henkilön perustiedot", { exact: true })).toBeChecked();
  await expect(page.getByLabel("Henkilötunnus", { exact: true })).toBeChecked();
  const draft = page.url();
  // Typed, and the page left within the pause after which a draft is saved.
  await page.getByLabel("Postiosoite").fill("Kauppakatu 1, 02100 Espoo");
  await page.getByRole("banner").getByRole("link", { name: "Asiointi", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Asiointi" })).toBeVisible();
  await page.goto(draft);
  await expect(page.getByLabel("Postiosoite")).toHaveValue("Kauppakatu 1, 02100 Espoo");
  // Typed, and the page reloaded at once (the browser leaves it).
  await page.getByLabel("Postiosoite").fill("Kauppakatu 2, 02100 Espoo");
  await page.reload();
  await expect(page.locator("#app-state")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByLabel("Postiosoite")).toHaveValue("Kauppakatu 2, 02100 Espoo");
  // Nothing read a value of the page it left.
  await page.waitForTimeout(1000);
  expect(errors.filter((e) => /disposed|panicked|unreachable/i.test(e))).toEqual([]);
});

test("a switch of purpose loads the open screen again under it, and the control shows only the purpose in force", async ({ page }) => {
  await signIn(page, "alice", "alice-pw", "123456");
  const purpose = page.getByRole("form", { name: "Käyttötarkoitus" });
  const choice = purpose.getByLabel("Käyttötarkoitus");
  await purpose.getByLabel("Asiaviite").fill("R/2026/78");
  await choice.selectOption({ label: "Rikostutkinta" });
  await expect(choice).toHaveValue("police-investigation");
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", samples.protected[0]]]);
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Osoitteet", exact: true }).click();
  await expect(page).toHaveURL(/\/addresses$/);
  await expect(page.locator(".print-mark")).toContainText("Rikostutkinta");

  // A choice the server cannot take (a malformed case reference) leaves the one in force shown.
  await purpose.getByLabel("Asiaviite").fill("<R/2026>");
  await choice.selectOption({ label: "Lupahallinto" });
  await expect(purpose.getByRole("alert")).toContainText("Asiaviite");
  await expect(choice).toHaveValue("police-investigation");

  // Licence administration does not open addresses: the screen is refused, not left on view.
  await purpose.getByLabel("Asiaviite").fill("R/2026/78");
  await choice.selectOption({ label: "Lupahallinto" });
  await expect(page.locator("#no-permission")).toContainText("Valittu käyttötarkoitus ei avaa tätä näyttöä");
  await expect(page.locator("#asked")).toContainText("Osoitteet");
  await expect(page.locator("#asked")).toContainText("Lupahallinto");
  await expect(page.locator(".screen-column")).toHaveCount(0);
  await expect(page.locator(".print-mark")).toHaveCount(0);

  // Back to the investigation for the journeys that remember Alice's purpose.
  await choice.selectOption({ label: "Rikostutkinta" });
  await expect(page.locator(".print-mark")).toContainText("Rikostutkinta");
  await signOut(page);
});

/** With KYSELY_SCREENS set (a directory), the page as it looks, for the docs (docs/screens/). */
async function shot(page: Page, name: string) {
  const dir = process.env.KYSELY_SCREENS;
  if (dir) await page.screenshot({ path: `${dir}/${name}-375.png`, fullPage: true });
}

/** Table captions and column headers keep their words whole: a one-word header is one line,
 * and no caption runs to more than two. */
async function expectWordsWhole(page: Page, what: string) {
  const broken = await page.evaluate(() => {
    const out: string[] = [];
    for (const e of Array.from(document.querySelectorAll("caption, thead th"))) {
      const style = getComputedStyle(e);
      if (style.display === "none" || e.getBoundingClientRect().width === 0) continue;
      const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
      const text = (e.textContent ?? "").trim();
      const lines = (e.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / line;
      if ((!text.includes(" ") && lines > 1.5) || lines > 2.5) out.push(`${text} (${lines.toFixed(1)} lines)`);
    }
    return out;
  });
  expect(broken, what).toEqual([]);
}

/** Every cell of a stacked table says what it is (its column's label before the value). */
async function expectStackedLabels(page: Page, table: string | RegExp) {
  const unlabelled = await page.getByRole("table", { name: table }).evaluate((t) =>
    Array.from(t.querySelectorAll("tbody td"))
      .filter((td) => (td.textContent ?? "").trim() !== "")
      .filter((td) => {
        const before = getComputedStyle(td, "::before").content;
        return before === "none" || before === "normal" || before === '""';
      })
      .map((td) => (td.textContent ?? "").trim().slice(0, 30)),
  );
  expect(unlabelled, `${table}: cells without their label`).toEqual([]);
}

test("headers keep their words at 1280 px; at 375 px the pages fit, menus fold and a choice moves to the content", async ({ page }) => {
  await signIn(page, "dora", "dora-pw", "111111");
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", samples.ordinary[0]]]);
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Osoitteet", exact: true }).click();
  await expect(page).toHaveURL(/\/addresses$/);
  await expectWordsWhole(page, "a person's addresses at 1280 px");

  // About 950 px wide the header keeps to two rows: the service links fold under a button.
  await page.setViewportSize({ width: 950, height: 740 });
  await page.goto("/");
  await expect(page.locator("#app-state")).toHaveAttribute("data-hydrated", "true");
  const band = await page.getByRole("banner").boundingBox();
  expect(band && band.height, "header height at 950 px").toBeLessThanOrEqual(100);

  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/");
  await expect(page.locator("#app-state")).toHaveAttribute("data-hydrated", "true");
  // The search button is in view without scrolling: the header folds its links away.
  const hae = await page.getByRole("button", { name: "Hae", exact: true }).boundingBox();
  expect(hae && hae.y + hae.height).toBeLessThanOrEqual(740);
  await shot(page, "search");
  const services = page.getByRole("button", { name: "Valikko" });
  await expect(services).toHaveAttribute("aria-expanded", "false");
  await services.click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Käyttöoikeudet" })).toBeVisible();
  await services.click();

  // A person: the screens menu is folded under a button; a choice closes it and moves the
  // focus to the screen chosen.
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", samples.ordinary[0]]]);
  const screens = page.getByRole("button", { name: /^Näkymät/ });
  await expect(screens).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Osoitteet", exact: true })).toBeHidden();
  await screens.click();
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Osoitteet", exact: true }).click();
  await expect(page.locator("#screen-title")).toBeFocused();
  await expect(page.locator("#screen-title")).toHaveText("Osoitteet");
  await expect(page.locator("#screen-title")).toBeInViewport();
  await expect(screens).toHaveAttribute("aria-expanded", "false");
  await expectNoSidewaysScroll(page, "a person's addresses at 375 px");
  await shot(page, "person");

  // The management page and the work queue: captions across, stacked cells labelled.
  await page.goto("/manage");
  await expect(page.getByRole("table", { name: "Käyttäjät" })).toBeVisible();
  await expectWordsWhole(page, "management at 375 px");
  await expectStackedLabels(page, "Käyttäjät");
  await expectNoSidewaysScroll(page, "management at 375 px");
  await shot(page, "manage");
  await page.goto("/eservice");
  await expect(page.getByRole("table", { name: /Työjono/ })).toBeVisible();
  await expectWordsWhole(page, "work queue at 375 px");
  await expectStackedLabels(page, "Työjono");
  await expectNoSidewaysScroll(page, "work queue at 375 px");
  await shot(page, "work-queue");
  // And every other table of the service pages the registry reads.
  const others: [string, string | RegExp][] = [
    ["/sessions", "Istunnot"],
    ["/contact", /^Kysymykset/],
    ["/contact", /^Lähtevät sähköpostit/],
    ["/fees", /^Maksut/],
    ["/library", "Asiakirjat"],
  ];
  for (const [path, table] of others) {
    await page.goto(path);
    await expect(page.getByRole("table", { name: table })).toBeVisible();
    expect(await page.getByRole("table", { name: table }).locator("tbody td").count(), `${path}: rows to check`).toBeGreaterThan(0);
    await expectStackedLabels(page, table);
    await expectWordsWhole(page, `${path} at 375 px`);
    await expectNoSidewaysScroll(page, `${path} at 375 px`);
  }
  await signOut(page);
});

test("an address typed whole is split, a misspelt street offers the street meant, and a long list can be filtered", async ({ page }) => {
  const flat = samples.flats[0];
  await signIn(page, "carol", "carol-pw");
  // "Street 12" in the street field: the fields show the split, and the building opens.
  await page.getByRole("navigation", { name: "Hakutapa" }).getByRole("link", { name: "Osoite", exact: true }).click();
  await page.getByLabel("Katuosoite").fill(`${flat.street} ${flat.house_number}`);
  await page.getByLabel(/^Postinumero/).fill(flat.postal_code);
  await page.getByRole("button", { name: "Hae", exact: true }).click();
  await expect(page).toHaveURL(/\/building\//);

  // Two letters swapped: nothing found, the street meant offered, one click searches it.
  await page.getByRole("link", { name: "Uusi haku" }).click();
  await page.getByRole("navigation", { name: "Hakutapa" }).getByRole("link", { name: "Osoite", exact: true }).click();
  const typo = flat.street.slice(0, 2) + flat.street[3] + flat.street[2] + flat.street.slice(4);
  await page.getByLabel("Katuosoite").fill(typo);
  await page.getByLabel("Talonumero").fill(flat.house_number);
  await page.getByLabel(/^Postinumero/).fill(flat.postal_code);
  await page.getByRole("button", { name: "Hae", exact: true }).click();
  await expect(page.locator("#not-found")).toContainText("ei ole tämännimistä katua");
  await page.getByRole("navigation", { name: "Tarkoititko" }).getByRole("button", { name: flat.street, exact: true }).click();
  await expect(page).toHaveURL(/\/building\//);

  // The building's residents: a filter above the list keeps the rows with the words typed.
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Asukkaat", exact: true }).click();
  const residents = page.getByRole("table", { name: "Asukkaat" });
  await expect(residents).toBeVisible();
  const all = await residents.locator("tbody tr").count();
  const name = ((await residents.locator('td[data-key="resident"]').first().textContent()) ?? "").trim();
  await page.getByLabel("Rajaa: Asukkaat").fill(name);
  await expect(page.getByRole("status").filter({ hasText: /Näytetään \d+ \/ \d+ riviä/ })).toBeVisible();
  await expect(residents.locator("tbody tr:visible").first()).toContainText(name);
  expect(await residents.locator("tbody tr:visible").count()).toBeLessThan(all);
  await signOut(page);
});
