// Playwright runs the Debian Chromium (no browser download) against a server and identity
// provider that the Makefile's test script starts and stops.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: "list",
  use: {
    baseURL: process.env.KYSELY_URL ?? "http://127.0.0.1:3000",
    browserName: "chromium",
    // Finnish officials: the app follows the browser's language until the user picks one.
    locale: "fi-FI",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
