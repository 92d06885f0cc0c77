// What new users stumbled on (issue 21), each as the step that failed before its fix.
import { test, expect, Page } from "@playwright/test";
import { samples, searchBy, signIn, signOut } from "./helpers";

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
