// The walking skeleton through a real browser: sign in on the dev provider's page, validate an
// identity code as you type, search, read the person's screen, see a denied screen, sign out.
import { test, expect, Page } from "@playwright/test";
import { readFileSync } from "node:fs";

type Samples = {
  ordinary: string[];
  ordinary_names: string[];
  protected: string[];
  new_century_sign: string[];
  not_in_register: string;
};

const samples: Samples = JSON.parse(readFileSync(process.env.KYSELY_SAMPLES ?? "../data/samples.json", "utf8"));
const IDP = process.env.KYSELY_OIDC_ISSUER ?? "http://127.0.0.1:4444";
const APP = process.env.KYSELY_URL ?? "http://127.0.0.1:3000";

async function signIn(page: Page, user: string, password: string, otp?: string) {
  await page.goto("/");
  // Not signed in: the app sends the browser to the provider's login page.
  await expect(page).toHaveURL(new RegExp("^" + IDP.replace(/[.]/g, "\\.") + "/interaction/"));
  await page.locator("#username").fill(user);
  await page.locator("#password").fill(password);
  if (otp) await page.locator("#otp").fill(otp);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.href.startsWith(APP));
  await expect(page.locator("#app-state")).toHaveAttribute("data-hydrated", "true");
}

async function search(page: Page, code: string) {
  await page.locator("#hetu").fill(code);
  await expect(page.locator("#hetu-ok")).toBeVisible();
  await page.locator("#search").click();
}

async function signOut(page: Page) {
  await page.locator("#logout").click();
  await page.locator("#logout-yes").click();
  await expect(page.locator("#logged-out")).toBeVisible();
}

test("official signs in, searches, reads a person, is refused a screen, signs out", async ({ page }) => {
  await signIn(page, "bob", "bob-pw");
  await expect(page.locator("#user-name")).toHaveText("Bob Backman");

  // Validation as you type, in the browser, with the rule that broke.
  const good = samples.ordinary[0];
  const last = good.slice(-1);
  const wrong = good.slice(0, 10) + (last === "0" ? "1" : "0");
  await page.locator("#hetu").fill(wrong);
  await expect(page.locator("#hetu-error")).toContainText("Tarkistusmerkin pitäisi olla");
  await expect(page.locator("#hetu")).toHaveAttribute("aria-invalid", "true");

  // A valid code that belongs to nobody.
  await search(page, samples.not_in_register);
  await expect(page.locator("#not-found")).toBeVisible();

  // A hit opens the basic screen.
  await search(page, good);
  await expect(page).toHaveURL(/\/person\/[0-9a-f]{16}\/basic$/);
  await expect(page.locator("#subject-heading")).toHaveText(samples.ordinary_names[0]);
  await expect(page.locator('[data-key="hetu"] dd')).toHaveText(good);

  // Addresses, then the building, whose resident list Espoo's permit does not cover.
  await page.getByRole("link", { name: "Osoitetiedot" }).click();
  await expect(page.locator('[data-screen="person.addresses"]')).toBeVisible();
  await page.locator('[data-key="building"] a').click();
  await expect(page.locator('[data-screen="building.basic"]')).toBeVisible();
  await page.getByRole("link", { name: "Asukkaat" }).click();
  await expect(page.locator("#no-permission")).toBeVisible();
  await expect(page.locator("#no-permission")).toContainText("tietolupa ei kata");

  // Language switch keeps the page and changes the words.
  await page.getByRole("button", { name: "svenska" }).click();
  await expect(page.locator("#no-permission h2")).toHaveText("Ingen behörighet");
  await page.getByRole("button", { name: "suomi" }).click();

  await signOut(page);
  // The session is gone: the app sends us to the provider again.
  await page.goto("/");
  await expect(page).toHaveURL(new RegExp("^" + IDP.replace(/[.]/g, "\\.") + "/interaction/"));
});

test("protection order: location withheld without the right, shown with it", async ({ page }) => {
  const code = samples.protected[0];
  await signIn(page, "bob", "bob-pw");
  await search(page, code);
  await expect(page.locator(".notice.protection")).toBeVisible();
  await expect(page.locator('[data-key="home_municipality"] .withheld')).toBeVisible();
  await signOut(page);

  await signIn(page, "alice", "alice-pw", "123456");
  await search(page, code);
  await expect(page.locator(".notice.protection")).toBeVisible();
  await expect(page.locator('[data-key="home_municipality"] .withheld')).toHaveCount(0);
  await signOut(page);
});

test("an organisation without a person permit sees a clear no-permission view", async ({ page }) => {
  await signIn(page, "carol", "carol-pw");
  await search(page, samples.ordinary[1]);
  await expect(page.locator("#no-permission")).toBeVisible();
  await expect(page.locator("#no-permission")).toContainText("Yritys on kirjattu lokiin");
  await signOut(page);
});
