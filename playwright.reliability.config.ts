import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The reliability suite (issue 13): faults, hostile input, the RBAC matrix and load, in Debian's Chromium against
// the sandbox. Unlike the e2e specs, each spec starts the portal processes it needs (one portal, or two replicas
// behind one address) so that it can restart them; none is started for it. The public address is
// http://localhost:${PORTAL_E2E_PORT ?? 3000}, the port the sandbox's identity provider accepts redirects for.
export default defineConfig({
  ...base,
  testDir: 'reliability',
  testMatch: '*.spec.ts',
  timeout: 600_000,
  use: { ...base.use, baseURL: undefined },
});
