// The audit log read by those who must read it: a clerk's lookups (one of a person under a
// protection order, one of a code nobody has) appear in the log of her organisation's
// responsible user, the protected person masked, filtered by user and outcome with the
// criteria typed, and downloaded as CSV; registry staff are sent to sign in with their
// one-time code first, then find the person's log by the identity code, named.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { awaitMail, expectAccessible, samples, searchBy, signIn, signOut, typeCredentials } from "./helpers";

test("a responsible user reads the organisation's log and the registry investigates a person's", async ({ page }) => {
  const protectedCode = samples.protected[1];
  const nobody = samples.not_in_register;
  await signIn(page, "frank", "frank-pw");
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", protectedCode]]);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/");
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", nobody]]);
  await expect(page.locator("#not-found")).toBeVisible();
  await signOut(page);

  // Bob, Espoo's responsible user: his organisation's log, newest first.
  await signIn(page, "bob", "bob-pw");
  await page.getByRole("link", { name: "Lokitiedot", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Lokitiedot" })).toBeVisible();
  const log = page.getByRole("table", { name: "Lokimerkinnät" });
  const franks = log.getByRole("row", { name: /Frank Forsman/ });
  await expect(franks.first()).toBeVisible();
  // The protected person is masked for an organisation whose permit does not cover them.
  await expect(log).toContainText("turvakiellon alainen henkilö");
  await expect(log).not.toContainText(protectedCode);
  // No organisation field: his own organisation's log is all he reads.
  await expect(page.getByLabel("Organisaation tunnus")).toHaveCount(0);
  // A period that ends before it starts is refused in words, and nothing is lost.
  await page.getByLabel("Käyttäjätunnus").fill("u-frank");
  await page.getByLabel("Alkaen").fill("2.12.2026");
  await page.getByLabel("Päättyen").fill("1.12.2026");
  await page.getByRole("button", { name: "Hae", exact: true }).click();
  await expect(page.getByText("Jakson loppu on ennen sen alkua")).toBeVisible();
  await expect(page.getByLabel("Käyttäjätunnus")).toHaveValue("u-frank");
  await page.getByLabel("Alkaen").fill("");
  await page.getByLabel("Päättyen").fill("");
  await page.getByLabel("Tulos").selectOption({ label: "Ei löytynyt" });
  await page.getByRole("button", { name: "Hae", exact: true }).click();
  await expect(log.getByRole("row")).toHaveCount(2);
  await expect(log.getByRole("row").nth(1)).toContainText(`Henkilötunnus: ${nobody}`);
  await expectAccessible(page, "the organisation's log");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /Lataa hakutulos/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("kysely-loki.csv");
  const csv = readFileSync(await download.path(), "utf8").split("\r\n");
  expect(csv[0]).toContain("Numero;Aika;Organisaatio;Käyttäjätunnus");
  expect(csv[1]).toContain(`Henkilötunnus: ${nobody}`);
  await signOut(page);

  // Dora, registry staff: with a password only the log offers the step-up first.
  await signIn(page, "dora", "dora-pw");
  await page.getByRole("link", { name: "Lokitiedot", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("kaksivaiheinen kirjautuminen");
  await page.getByRole("link", { name: /Kirjaudu uudelleen kertakäyttökoodilla/ }).click();
  await typeCredentials(page, "dora", "dora-pw", "111111");
  await expect(page).toHaveURL(/\/log$/);
  await page.getByLabel("Henkilötunnus, rakennustunnus tai kiinteistötunnus").fill(protectedCode);
  await page.getByRole("button", { name: "Hae", exact: true }).click();
  const person = page.getByRole("table", { name: "Lokimerkinnät" });
  await expect(person.getByRole("row", { name: /Frank Forsman/ }).first()).toContainText(protectedCode);
  await expect(person).not.toContainText("turvakiellon alainen henkilö");
  // Her own read of the log is on record and in the person's log.
  await page.getByRole("button", { name: "Hae", exact: true }).click();
  await expect(person.getByRole("row").nth(1)).toContainText("Lokitietojen luku");
  await expect(person.getByRole("row").nth(1)).toContainText("Dora");
  await signOut(page);
});

/** Identity code of 1 January 1900 with individual number `n` (its check character computed
 * as the register does). */
function code1900(n: number): string {
  const digits = `010100${String(n).padStart(3, "0")}`;
  return `010100-${String(n).padStart(3, "0")}${"0123456789ABCDEFHJKLMNPRSTUVWXY"[Number(digits) % 31]}`;
}

test("a scripted sweep raises an alert that the responsible user reads, is mailed of, and handles with a note", async ({ page }) => {
  // Bob's address is confirmed (by the service journey, or here when this one runs alone).
  await signIn(page, "bob", "bob-pw");
  await page.getByRole("link", { name: "Yhteydenotto", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Yhteydenotto" })).toBeVisible();
  if (!(await page.locator("#subscribed-email").isVisible())) {
    await page.getByRole("textbox", { name: "Sähköposti" }).fill("bob@espoo.example");
    await page.getByRole("button", { name: "Tilaa" }).click();
    const confirmation = await awaitMail("bob@espoo.example", "vahvista");
    await page.goto(confirmation.body.match(/https?:\/\/\S+\/contact\?confirm=\S+/)![0]);
    await page.getByRole("button", { name: "Vahvista tilaus" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Tilaus vahvistettu" })).toBeVisible();
  }
  await signOut(page);

  // Frank walks through eight identity codes of one birth date, one after another.
  const codes = [200, 202, 204, 206, 208, 210, 212, 214].map(code1900);
  await signIn(page, "frank", "frank-pw");
  for (const code of codes) {
    await page.goto("/");
    await searchBy(page, "Henkilötunnus", [["Henkilötunnus", code]]);
    await expect(page.locator("#not-found").or(page.locator("h1:not(#search-heading)")).first()).toBeVisible();
  }
  await signOut(page);

  // Bob sees the alert on the log page, with the way to its entries.
  await signIn(page, "bob", "bob-pw");
  await page.getByRole("link", { name: "Lokitiedot", exact: true }).click();
  const alerts = page.getByRole("table", { name: "Hälytykset" });
  const sweep = alerts.getByRole("row", { name: /henkilötunnuksia haettu peräkkäin/ });
  await expect(sweep).toHaveCount(1);
  await expect(sweep).toContainText("Frank Forsman");
  await sweep.getByRole("button", { name: "Näytä tapahtumat" }).click();
  const log = page.getByRole("table", { name: "Lokimerkinnät" });
  for (const code of codes) {
    await expect(log).toContainText(`Henkilötunnus: ${code}`);
  }
  await expect(page.getByLabel("Käyttäjätunnus")).toHaveValue("u-frank");
  await expectAccessible(page, "the alerts and the log");
  // Mailed to him, naming the rule and the user, never a code searched.
  const mail = await awaitMail("bob@espoo.example", "käyttölokin hälytys");
  expect(mail.body).toContain("Frank Forsman");
  expect(mail.body).toMatch(/https?:\/\/\S+\/log/);
  for (const code of codes) expect(mail.body).not.toContain(code);
  // Handled only with a note; then it says by whom and why.
  await sweep.getByRole("button", { name: "Merkitse käsitellyksi" }).click();
  await expect(sweep.getByRole("alert")).toBeVisible();
  await sweep.getByRole("textbox", { name: "Merkintä" }).fill("Koulutusharjoitus, selvitetty Frankin kanssa.");
  await sweep.getByRole("button", { name: "Merkitse käsitellyksi" }).click();
  await expect(sweep).toContainText("Koulutusharjoitus, selvitetty Frankin kanssa.");
  await expect(sweep).toContainText("Bob");
  await expect(sweep.getByRole("button", { name: "Merkitse käsitellyksi" })).toHaveCount(0);
  await signOut(page);
});
