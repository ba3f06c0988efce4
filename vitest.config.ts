import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// unit: pure code, no processes. integration: against the running sandbox (global setup brings it up once).
// packaging: a production install of the built portal. lifecycle: stops and restarts the sandbox, so it runs alone
// and last.
export default defineConfig({
  test: {
    projects: [
      {
        // The portal's own import alias (tsconfig.portal.json), so route handlers in app/ can be tested as they are.
        resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL('./', import.meta.url)) }] },
        test: {
          name: 'unit',
          include: ['sandbox/**/*.test.ts', 'lib/**/*.test.ts', 'components/**/*.test.ts?(x)', 'app/**/*.test.ts', 'tests/**/*.test.ts', 'bench/**/*.test.ts', 'reliability/**/*.test.ts'],
          exclude: ['sandbox/test/**', 'tests/integration/**', 'node_modules/**', 'tests/production-install.test.ts', 'tests/chart-portal.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          // tests/integration: the portal's own server code against the sandbox (the sandbox's tests may not import
          // the portal's lib, tests/walls.test.ts).
          include: ['sandbox/test/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          exclude: ['sandbox/test/lifecycle.test.ts'],
          globalSetup: ['sandbox/test/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 1_800_000,
        },
      },
      {
        // A production install in a scratch copy (npm ci --omit=dev, then the production start): after the e2e build.
        test: {
          name: 'packaging',
          // The production install, and the portal run from the Helm chart's settings against the sandbox.
          include: ['tests/production-install.test.ts', 'tests/chart-portal.test.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'lifecycle',
          include: ['sandbox/test/lifecycle.test.ts'],
          testTimeout: 600_000,
        },
      },
    ],
  },
});
