// Register changes while the service serves: a move and a protection order fed in through
// `server changes` (the command an operator runs beside the serving process) are on the
// officials' screens at their next request.
import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { samples, searchBy, signIn, signOut } from "./helpers";

/** Today in Finland, as the register writes a day. */
function today(): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Helsinki" }).format(new Date());
}

/** Feeds `changes` (one register change each) through `server changes --file`, as an operator would. */
function feed(changes: object[]): string {
  const server = process.env.KYSELY_SERVER_BIN;
  const data = process.env.KYSELY_DATA_DIR;
  if (!server || !data) throw new Error("KYSELY_SERVER_BIN and KYSELY_DATA_DIR are set by dev/test.sh");
  const file = join(mkdtempSync(join(tmpdir(), "kysely-changes-")), "changes.jsonl");
  writeFileSync(file, changes.map((c) => JSON.stringify(c)).join("\n") + "\n");
  return execFileSync(server, ["changes", "--file", file, "--rate", "100"], {
    env: { ...process.env, KYSELY_DATA_DIR: data },
    encoding: "utf8",
    timeout: 30_000,
  });
}

async function addresses(page: Page, code: string) {
  await searchBy(page, "Henkilötunnus", [["Henkilötunnus", code]]);
  await page.getByRole("navigation", { name: "Näkymät" }).getByRole("link", { name: "Osoitteet", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Osoitteet" })).toBeVisible();
}

test("a move and a protection order fed in while serving are on the officials' screens at their next request", async ({ browser }) => {
  const [mover, guarded] = [samples.ordinary[3], samples.ordinary[4]];
  const flat = samples.flats[1];
  const newStreet = `${flat.street} ${flat.house_number}`;

  // The registry's official has the mover's addresses open.
  const dora = await (await browser.newContext()).newPage();
  await signIn(dora, "dora", "dora-pw", "111111");
  await addresses(dora, mover);
  const table = dora.getByRole("table", { name: "Osoitteet" });
  await expect(table).not.toContainText(newStreet);

  // Bob (Espoo, no right to protected data) has the other person open: nothing withheld.
  const bob = await (await browser.newContext()).newPage();
  await signIn(bob, "bob", "bob-pw");
  await searchBy(bob, "Henkilötunnus", [["Henkilötunnus", guarded]]);
  const municipality = bob.locator('[data-key="home_municipality"]');
  await expect(municipality).toBeVisible();
  await expect(municipality.locator(".withheld")).toHaveCount(0);

  // The population information system's changes arrive: the mover moves, the other person
  // gets a protection order.
  const said = feed([
    {
      Move: {
        hetu: mover,
        date: today(),
        to: { Dwelling: { building: flat.prt, address_number: 1, dwelling: flat.dwelling } },
      },
    },
    { ProtectionOrderSet: { hetu: guarded, since: today(), ends: null } },
  ]);
  expect(said).toContain("2 applied, 0 set aside");

  // The next request shows the new address as the permanent one, the old one as history.
  await dora.reload();
  await expect(table).toContainText(newStreet);
  await expect(table.getByRole("row").filter({ hasText: newStreet })).toContainText("vakinainen osoite");

  // Bob's next request: the home municipality is withheld, and the page says why.
  await bob.reload();
  await expect(municipality.locator(".withheld")).toHaveCount(1);
  await expect(bob.locator(".notice.protection")).toContainText("ei luovuteta ilman oikeutta");

  await signOut(dora);
  await signOut(bob);
});
