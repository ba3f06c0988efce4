import { test as base } from '@playwright/test';
import { publicUrl, startFleet, type Fleet } from './fleet';

// The specs share one fleet of two replicas per worker (the suite runs in one): starting production portals is the
// slowest part of a run on a small machine. A spec that stops or restarts a replica leaves it running again.
// Pages open on the public address (the fleet's balancer).
export const test = base.extend<object, { fleet: Fleet }>({
  baseURL: async ({}, use) => use(publicUrl),
  fleet: [
    async ({}, use) => {
      const fleet = await startFleet({ replicas: 2 });
      await use(fleet);
      await fleet.close();
    },
    // auto: a page on the public address needs it even when the test never names it.
    { scope: 'worker', timeout: 240_000, auto: true },
  ],
});

// e2e's signIn checks that the identity provider's pages come from this origin.
process.env.PORTAL_URL ??= publicUrl;

export { expect } from '@playwright/test';
