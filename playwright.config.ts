import { defineConfig } from '@playwright/test';

// End-to-end specs against the production build of the portal and the running sandbox, in Debian's Chromium
// (no browser download). `npm run test:e2e` (e2e/run.ts) builds, starts the portal and runs these.
const reporter: NonNullable<Parameters<typeof defineConfig>[0]['reporter']> = [['list']];
// scripts/test.sh collects the counts from Playwright's JSON report.
if (process.env.PLAYWRIGHT_JSON_OUTPUT_NAME) reporter.push(['json']);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // The specs share one sandbox and one portal; running them one at a time keeps their VMs from interfering.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  outputDir: 'test-results',
  reporter,
  use: {
    baseURL: process.env.PORTAL_URL ?? 'http://localhost:3000',
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    // A browser that has never heard of the sandbox's private CA, as a newcomer's: the portal serves the identity
    // provider's pages from its own origin, so no certificate error is met, and none is ignored.
    ignoreHTTPSErrors: false,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
