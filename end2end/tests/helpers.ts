// Shared steps of the browser journeys: the demo register's samples, signing in on the dev
// provider's page and out again, running a search from the form, and the accessibility check.
import { expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export type Samples = {
  ordinary: string[];
  ordinary_names: string[];
  protected: string[];
  new_century_sign: string[];
  passive: string[];
  deceased: string[];
  not_in_register: string;
  satu: string[];
  names: { surname: string; first_names: string; birth_date: string; municipality: string }[];
  families: string[];
  under_guardianship: string[];
  flats: { street: string; house_number: string; dwelling: string; postal_code: string; prt: string }[];
  old_building_ids: string[];
  properties: string[];
  parcels: string[];
  shared_addresses: { street: string; house_number: string }[];
};

export const samples: Samples = JSON.parse(
  readFileSync(process.env.KYSELY_SAMPLES ?? "../data/samples.json", "utf8"),
);
export const IDP = process.env.KYSELY_OIDC_ISSUER ?? "http://127.0.0.1:4444";
export const APP = process.env.KYSELY_URL ?? "http://127.0.0.1:3000";
const idpPage = new RegExp("^" + IDP.replace(/[.]/g, "\\.") + "/interaction/");

export async function signIn(page: Page, user: string, password: string, otp?: string) {
  await page.goto("/");
  await typeCredentials(page, user, password, otp);
}

/** On the provider's login page (the app sent the browser there): types and submits. */
export async function typeCredentials(page: Page, user: string, password: string, otp?: string) {
  // Not signed in: the app sends the browser to the provider's login page.
  await expect(page).toHaveURL(idpPage);
  await page.locator("#username").fill(user);
  await page.locator("#password").fill(password);
  if (otp) await page.locator("#otp").fill(otp);
  // The provider's page speaks the app's language (ui_locales).
  await page.getByRole("button", { name: /^(Kirjaudu sisään|Logga in|Sign in)$/ }).click();
  await page.waitForURL((u) => u.href.startsWith(APP));
  await expect(page.locator("#app-state")).toHaveAttribute("data-hydrated", "true");
}

/** Signs out of the app and the provider: no question on the way, and the app confirms it. */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: /^(Kirjaudu ulos|Logga ut|Sign out)$/ }).click();
  await expect(page.locator("#logged-out")).toBeVisible();
  await expect(page.locator("#logout-unconfirmed")).toHaveCount(0);
}

export const IDP_LOGIN = idpPage;

export async function expectSignedOut(page: Page) {
  await page.goto("/");
  await expect(page).toHaveURL(idpPage);
}

/** Opens a search tab by its visible name and fills the form by field label. */
export async function searchBy(page: Page, tab: string | RegExp, fields: [string | RegExp, string][]) {
  await page.getByRole("navigation", { name: /Hakutapa|Sökmetod|Search by/ }).getByRole("link", { name: tab, exact: true }).click();
  for (const [label, value] of fields) {
    await page.getByLabel(label).fill(value);
  }
  await page.getByRole("button", { name: /^(Hae|Sök|Search)$/ }).click();
}

/** No serious or critical accessibility violation on the page as it is now. */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  // Moderate findings fail too: only minor ones (best practice) are left to judgement.
  const bad = results.violations.filter((v) => v.impact === "moderate" || v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    what,
  ).toEqual([]);
  // What axe cannot see: a link in the content that calls itself the current page must lead
  // to this page (a router marks a link to /eservice current on /eservice/7 by prefix, so a
  // "back" link would announce itself as where the user already is).
  const falselyCurrent = await page.evaluate(() =>
    Array.from(document.querySelectorAll('main a[aria-current="page"]'))
      .map((a) => new URL((a as HTMLAnchorElement).href))
      .filter((u) => u.pathname !== location.pathname)
      .map((u) => u.pathname),
  );
  expect(falselyCurrent, `${what}: links marked current that lead elsewhere`).toEqual([]);
}

/** The page is no wider than the viewport: nothing scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page, what: string) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scroll, what).toBeLessThanOrEqual(client);
}

/** The text of each page of a PDF. */
export async function pdfPages(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf) }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  return pages;
}

export type Mail = { to: string; subject: string; body: string };

/** The mail the run's SMTP server (aiosmtpd, started by dev/test.sh) has received for `to`,
 * read as a mail client would (end2end/read-mail.py). */
export function mailTo(to: string): Mail[] {
  const maildir = process.env.KYSELY_MAILDIR;
  if (!maildir) throw new Error("KYSELY_MAILDIR is not set: dev/test.sh runs an SMTP server for the journeys");
  const all: Mail[] = JSON.parse(execFileSync("python3", ["read-mail.py", maildir], { encoding: "utf8" }));
  return all.filter((m) => m.to === to);
}

/** Waits until a mail to `to` whose subject contains `subject` has arrived (the server's mail
 * worker sends every five seconds), and answers it. */
export async function awaitMail(to: string, subject: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(() => {
      found = mailTo(to).find((m) => m.subject.includes(subject));
      return found !== undefined;
    }, { timeout: 20_000, intervals: [250, 500, 1000] })
    .toBe(true);
  return found as Mail;
}
