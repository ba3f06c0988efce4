import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import type { z } from 'zod';
import { portalCookie, repoRoot, runCleanups, startPortal } from '../bench/support';
import { kubectlOk, vmManifest } from '../e2e/support/cluster';
import { createNadRequest } from '../lib/admin/nad';
import { createProjectRequest, deleteProjectRequest, projectPatch } from '../lib/admin/project-form';
import { createRequest } from '../lib/kubevirt/create/request';
import { addDiskRequest, expandDiskRequest } from '../lib/kubevirt/disks';
import { editRequest } from '../lib/kubevirt/edits';
import { attachRequest } from '../lib/kubevirt/interfaces';
import { cloneRequest, deleteSnapshotRequest, restoreRequest, takeSnapshotRequest } from '../lib/kubevirt/snapshot-requests';
import { accessRequest } from '../lib/shared/access-review';
import { subscriptionsRequest } from '../lib/shared/live-protocol';
import { inventoryDiff, objectInventory } from './support/cluster';
import { arbitrarySegment, hostileBody, RAW_SEGMENTS, TEXT_SEGMENTS, TRICKY_NAMES, type HostileBody } from './support/hostile';
import { anonymousCsrf, errorCode, hasErrorShape, send, signedHeaders, type Answer } from './support/http';
import { apiRoutes, fillTemplate, type ApiRoute, type HttpMethod } from './support/routes';

// Every API route of the portal, found on the file system, fed hostile input as a signed-in admin (who passes every
// RBAC check, so the input reaches the route's own validation): path segments no object can be named, bodies of the
// wrong shape, size, encoding and type, junk query strings. Each answer must be a 4xx in the error shape, never a
// 5xx, and the cluster must hold exactly the objects it held before. Then the same routes without the cross-site
// proof (403) and without a session (401). FUZZ_SEED reproduces a run; FUZZ_RUNS sets the bodies per route.

const SEED = Number(process.env.FUZZ_SEED ?? 13_2026);
const BODY_RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const PORT = Number(process.env.PORTAL_E2E_PORT ?? 3000);
const CONCURRENCY = 6;
const NAMESPACE = 'team-a';
const TARGET = 'fuzz-target'; // a real, stopped VM: bodies its schema refuses go to it
const ABSENT = 'fuzz-absent'; // no such VM: bodies that might be valid go here, so they cannot act

// The schema of each route's body (the route reads it with ctx.body), where the test can know it: generated bodies
// it would accept are sent to absent objects only. A route not listed is fuzzed against absent objects alone.
const BODY_SCHEMAS: Record<string, z.ZodType> = {
  'POST /api/access': accessRequest,
  'POST /api/admin/networks': createNadRequest,
  'POST /api/admin/projects': createProjectRequest,
  'PATCH /api/admin/projects/[namespace]': projectPatch,
  'DELETE /api/admin/projects/[namespace]': deleteProjectRequest,
  'POST /api/stream/subscriptions': subscriptionsRequest,
  'POST /api/vms/create': createRequest,
  'POST /api/vms/[namespace]/[name]/clones': cloneRequest,
  'POST /api/vms/[namespace]/[name]/disks': addDiskRequest,
  'PATCH /api/vms/[namespace]/[name]/disks/[disk]': expandDiskRequest,
  'POST /api/vms/[namespace]/[name]/edit': editRequest,
  'POST /api/vms/[namespace]/[name]/interfaces': attachRequest,
  'POST /api/vms/[namespace]/[name]/restores': restoreRequest,
  'POST /api/vms/[namespace]/[name]/snapshots': takeSnapshotRequest,
  'DELETE /api/vms/[namespace]/[name]/snapshots/[snapshot]': deleteSnapshotRequest,
};

// Routes whose body is their whole input even without path parameters: a body their schema accepts could act, so
// only refused ones are sent (there is no absent object to aim at).
const routeKey = (method: string, r: ApiRoute) => `${method} ${r.template}`;

// The value each parameter has when it is not the one under attack: a real object (live) or none (absent).
function paramValues(r: ApiRoute, live: boolean): Record<string, string> {
  const known: Record<string, string> = {
    namespace: NAMESPACE,
    name: live ? TARGET : ABSENT,
    action: 'start',
    kind: 'serial',
    disk: live ? 'containerdisk' : 'fuzz-disk',
    interface: live ? 'default' : 'fuzz-nic',
    snapshot: 'fuzz-snap',
    nextauth: 'fuzz-action', // not one of next-auth's own (a POST to session would update the admin's)
  };
  // On a namespace-only route (a project) the namespace is the object: absent means one that does not exist.
  if (!live && r.params.length === 1 && r.params[0] === 'namespace') known.namespace = 'fuzz-absent-ns';
  return Object.fromEntries(r.params.map((p) => [p, known[p] ?? 'fuzz-x']));
}

// Query parameters the GET routes read; a route not listed ignores its query string.
const QUERY_ROUTES: Record<string, string[]> = {
  '/api/list': ['resource', 'namespace', 'fieldSelector'],
  '/api/create/options': ['namespace'],
  '/api/migrations/progress': ['namespace', 'name'],
  '/api/migrations/nodes': [],
};

type Expectation = 'client-error' | 'no-server-error';

interface Failure {
  input: string;
  status: number;
  why: string;
  answer: string;
}

function judge(a: Answer, expectation: Expectation, wantCode?: string): string | undefined {
  if (a.status >= 500) return 'server error';
  if (expectation === 'client-error' && (a.status < 400 || a.status >= 500)) return `not a 4xx`;
  if (a.status >= 400 && !hasErrorShape(a)) return 'not the error shape';
  if (wantCode && errorCode(a) !== wantCode) return `error code ${errorCode(a)}, not ${wantCode}`;
  return undefined;
}

const seedOf = (key: string) => (SEED + createHash('sha256').update(key).digest().readUInt32BE(0)) % 2 ** 31;

// Segments as sent, with what each must get: no name can be a hostile segment (4xx); a tricky one is a valid name of
// nothing (any answer but a 5xx: an access check, say, may well answer 200 for an admin).
const wireSegments = (key: string): { wire: string; expectation: Expectation }[] => [
  ...[...RAW_SEGMENTS, ...TEXT_SEGMENTS.map(encodeURIComponent), ...fc.sample(arbitrarySegment, { seed: seedOf(`${key} segments`), numRuns: 6 }).map(encodeURIComponent)].map((wire) => ({ wire, expectation: 'client-error' as const })),
  ...TRICKY_NAMES.map((n) => ({ wire: encodeURIComponent(n), expectation: 'no-server-error' as const })),
];

function schemaAccepts(schema: z.ZodType | undefined, body: HostileBody): boolean | undefined {
  if (!schema) return undefined;
  if (!body.json) return false;
  return schema.safeParse(body.json.value).success;
}

test('every API route answers hostile input with a 4xx in the error shape, and nothing is created', async () => {
  test.setTimeout(360_000);
  console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} reproduces this run), ${BODY_RUNS} bodies per route and method`);
  const routes = apiRoutes(join(repoRoot, 'app'));
  expect(routes.length).toBeGreaterThan(20);

  kubectlOk(['delete', 'vm', TARGET, '-n', NAMESPACE, '--ignore-not-found', '--wait=true']);
  kubectlOk(['create', '-f', '-'], JSON.stringify(vmManifest(TARGET, NAMESPACE, 'Halted')));
  try {
    // A loaded machine (CI's two cores) can take more than a minute to get Next ready.
    const portal = await startPortal({ port: PORT, readyTimeoutMs: 180_000 });
    const base = portal.url;
    const admin = await signedHeaders(base, await portalCookie(base, 'admin'));
    const anonymous = await anonymousCsrf(base);
    const before = objectInventory(['team-a', 'team-b']);

    const counts = new Map<string, number>();
    const failures: (Failure & { route: string })[] = [];
    const jobs: (() => Promise<void>)[] = [];
    const queue = (...args: Parameters<typeof tried>) => jobs.push(() => tried(...args));
    const tried = async (key: string, input: string, method: HttpMethod, path: string, headers: Record<string, string>, body: string | Buffer | undefined, expectation: Expectation, wantCode?: string) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      let a: Answer;
      try {
        a = await send(base, method, path, headers, body);
      } catch (err) {
        failures.push({ route: key, input, status: 0, why: `no answer: ${(err as Error).message}`, answer: '' });
        return;
      }
      const why = judge(a, expectation, wantCode);
      if (why) failures.push({ route: key, input, status: a.status, why, answer: a.text.slice(0, 300) });
    };

    for (const r of routes) {
      for (const method of r.methods) {
        const key = routeKey(method, r);
        const hasBody = method !== 'GET';
        // next-auth's own handler (not wrapped) answers in next-auth's format: only "never a 5xx" is asked of it.
        const jsonHeaders = (contentType: string) => ({ ...admin, ...(contentType ? { 'content-type': contentType } : {}) });

        // 1. Each hostile segment once, in each path parameter in turn; the others name absent objects.
        if (r.params.length) {
          for (const [i, { wire, expectation }] of wireSegments(key).entries()) {
            const param = r.params[i % r.params.length]!;
            const path = fillTemplate(r.template, { ...paramValues(r, false), [param]: wire });
            queue(key, `[${param}]=${wire.slice(0, 80)}`, method, path, jsonHeaders('application/json'), hasBody ? '{}' : undefined, r.wrapped ? expectation : 'no-server-error');
          }
        }

        // 2. Bodies: those the route's schema refuses go to a real object; the rest to absent ones.
        const schema = BODY_SCHEMAS[key];
        if (hasBody) {
          const bodies = fc.sample(hostileBody, { seed: seedOf(`${key} bodies`), numRuns: BODY_RUNS });
          for (const body of bodies) {
            const accepted = schemaAccepts(schema, body);
            // Without parameters there is no absent object to aim at: a body the schema accepts is not sent.
            if (accepted && r.params.length === 0) continue;
            const live = accepted === false;
            const path = fillTemplate(r.template, paramValues(r, live));
            const shown = `${body.label} ${live ? '(live)' : '(absent)'}: ${Buffer.from(body.bytes).toString('utf8').slice(0, 160)}`;
            queue(key, shown, method, path, jsonHeaders(body.contentType), body.bytes, r.wrapped ? 'client-error' : 'no-server-error');
          }
        }

        // 3. Query strings: hostile values for the parameters a GET reads (4xx), junk for one that reads none (any
        //    answer but a 5xx: it ignores its query string).
        if (!hasBody) {
          const names = QUERY_ROUTES[r.template];
          const values = fc.sample(fc.oneof(fc.constantFrom(...TEXT_SEGMENTS), arbitrarySegment), { seed: seedOf(`${key} query`), numRuns: 12 });
          for (const [i, v] of values.entries()) {
            const q = new URLSearchParams();
            if (names?.length) for (const n of names) q.append(n, n === names[i % names.length] ? v : n === 'resource' ? 'vms' : n === 'fieldSelector' ? 'metadata.name=x' : NAMESPACE);
            else q.append(['x', 'namespace', 'limit', 'continue'][i % 4]!, v);
            const path = `${fillTemplate(r.template, paramValues(r, false))}?${q}`;
            queue(key, `?${q.toString().slice(0, 120)}`, method, path, admin, undefined, names?.length && r.wrapped ? 'client-error' : 'no-server-error');
          }
        }

        if (!r.wrapped) continue;
        const path = fillTemplate(r.template, paramValues(r, false));
        // 4. A mutation without the cross-site proof is refused before anything else (403), with a session or not.
        if (hasBody) {
          const [cookie, token, origin] = [admin.cookie!, admin['x-csrf-token']!, admin.origin!];
          const forged: [string, Record<string, string>][] = [
            ['no origin, no token', { cookie }],
            ['no token', { cookie, origin }],
            ['foreign origin', { cookie, origin: 'http://evil.example', 'x-csrf-token': token }],
            ['cross-site fetch', { cookie, 'sec-fetch-site': 'cross-site', 'x-csrf-token': token }],
            ['token of another cookie', { cookie, origin, 'x-csrf-token': 'f'.repeat(64) }],
            ['no session, no token', { origin }],
          ];
          for (const [label, h] of forged) queue(key, `csrf: ${label}`, method, path, { ...h, 'content-type': 'application/json' }, '{}', 'client-error', 'csrf');
        }
        // 5. No session: 401 (with the cross-site proof of a session-less browser, where one is needed).
        queue(key, 'no session', method, path, hasBody ? { ...anonymous, 'content-type': 'application/json' } : {}, hasBody ? '{}' : undefined, 'client-error', 'unauthenticated');
      }
    }

    // A few requests in flight at once, as a browser has: the run stays short, and the portal's per-user caps on
    // upstream requests are met (their 429 is a 4xx in the error shape like any other refusal).
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }));
    const after = objectInventory(['team-a', 'team-b']);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`${'route and method'.padEnd(62)} inputs`);
    for (const [k, n] of counts) console.log(`${k.padEnd(62)} ${n}`);
    console.log(`${routes.length} route files, ${counts.size} routes and methods, ${total} inputs tried, ${failures.length} failed (seed ${SEED}); ${before.keys.length} objects before, ${after.keys.length} after`);
    const kinds = new Map<string, number>();
    for (const f of failures) kinds.set(`${f.route} -> ${f.status} ${f.why}`, (kinds.get(`${f.route} -> ${f.status} ${f.why}`) ?? 0) + 1);
    for (const [k, n] of kinds) console.log(`FAILED ${n}x ${k}`);
    for (const f of failures.slice(0, 40)) console.log(`FAIL ${f.route} ${f.input} -> ${f.status} ${f.why}: ${f.answer}`);
    expect.soft(failures, `seed ${SEED}: ${failures.length} answers were not a 4xx in the error shape (printed above)`).toEqual([]);
    expect(inventoryDiff(before, after), `seed ${SEED}: objects changed`).toEqual({ added: [], removed: [] });
  } finally {
    // Stops the portal too (startPortal registers its stop), also when it never became ready.
    await runCleanups();
    kubectlOk(['delete', 'vm', TARGET, '-n', NAMESPACE, '--ignore-not-found', '--wait=false']);
  }
});
