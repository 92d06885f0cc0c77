// Signs a demo user in through the real dev identity provider in headless Chromium and
// prints the session cookie as `name=value`, for load tests that must run signed in.
// Usage: node sign-in.mjs <user> <password> [otp]
import { chromium } from "@playwright/test";

const [user, password, otp] = process.argv.slice(2);
const app = process.env.KYSELY_URL ?? "http://127.0.0.1:3000";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  await page.goto(app + "/");
  await page.locator("#username").fill(user);
  await page.locator("#password").fill(password);
  if (otp) await page.locator("#otp").fill(otp);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.href.startsWith(app));
  const cookie = (await page.context().cookies(app)).find((c) => c.name.includes("kysely_session"));
  if (!cookie) throw new Error("no session cookie after signing in");
  console.log(`${cookie.name}=${cookie.value}`);
} finally {
  await browser.close();
}
