// The audit log read by those who must read it: a clerk's lookups (one of a person under a
// protection order, one of a code nobody has) appear in the log of her organisation's
// responsible user, the protected person masked, filtered by user and outcome with the
// criteria typed, and downloaded as CSV; registry staff are sent to sign in with their
// one-time code first, then find the person's log by the identity code, named.
import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { expectAccessible, samples, searchBy, signIn, signOut, typeCredentials } from "./helpers";

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
