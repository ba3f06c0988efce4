// The shared store of revoked sessions (PORTAL_SESSION_STORE=kubernetes) against the sandbox's real API server: two
// store instances, as two portal replicas hold them, each with its own watch of the one ConfigMap, acting with a
// service account that has only the RBAC the store needs (create configmaps; get, list, watch and update of the one
// ConfigMap by name), as the Helm chart grants it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { urls } from '../../sandbox/launcher/paths.ts';
import { serviceAccountKubeconfig } from '../support/service-account.ts';
import { getJson, kubectl, kubectlOk, uniqueName } from '../../sandbox/test/helpers.ts';
import type { SharedRevocations } from '../../lib/auth/revocations-shared.ts';

const ns = 'default';
const sa = uniqueName('portal-sessions');
const store = uniqueName('portal-sessions-test');
let dir: string;
const replicas: SharedRevocations[] = [];

beforeAll(async () => {
  await kubectlOk(['create', '-f', '-'], {
    input: YAML.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns } },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: sa, namespace: ns },
          rules: [
            // create cannot be limited to a name (the object does not exist yet when it is authorized).
            { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
            { apiGroups: [''], resources: ['configmaps'], resourceNames: [store], verbs: ['get', 'list', 'watch', 'update'] },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: sa, namespace: ns },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa },
          subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
        },
      ],
    }),
  });
  dir = mkdtempSync(join(tmpdir(), 'portal-session-store-'));
  const kubeconfig = await serviceAccountKubeconfig(sa, ns, dir);
  const { portalEnv } = await import('../../lib/api/test-requests.ts');
  portalEnv({ PORTAL_KUBECONFIG: kubeconfig, K8S_API_SERVER: urls.apiserver, PORTAL_SESSION_STORE: 'kubernetes', PORTAL_SESSION_STORE_NAME: store });
});

afterAll(async () => {
  for (const r of replicas) r.stop();
  await Promise.all(replicas.map((r) => r.following));
  await kubectl(['delete', 'configmap', store, '-n', ns, '--ignore-not-found']);
  await kubectl(['delete', 'rolebinding,role,serviceaccount', sa, '-n', ns, '--ignore-not-found']);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function replica(): Promise<SharedRevocations> {
  const { SharedRevocations } = await import('../../lib/auth/revocations-shared.ts');
  const { sessionStoreMap } = await import('../../lib/k8s/session-store.ts');
  const { settings } = await import('../../lib/settings/index.ts');
  const s = settings().session.store;
  if (s.kind !== 'kubernetes') throw new Error('the test set PORTAL_SESSION_STORE=kubernetes');
  const r = new SharedRevocations({ access: sessionStoreMap(s.namespace, s.name) });
  replicas.push(r);
  return r;
}

// Resolves once the condition holds, checked after every change the replica's list or watch delivered; bounded.
function until(r: SharedRevocations, condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (condition()) return resolve();
    const timer = setTimeout(() => (off(), reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
    const off = r.onChange(() => {
      if (!condition()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

const configMap = () => getJson<{ data?: Record<string, string>; metadata: { labels?: Record<string, string> } }>(['configmap', store, '-n', ns]);

describe('the kubernetes session store', () => {
  it('tells a second replica, through its watch, about a sign-out the first wrote, and keeps only hashed ids', async () => {
    const { revocationKey } = await import('../../lib/auth/revocation-store.ts');
    const a = await replica();
    const b = await replica();
    await until(a, () => a.ready(), 'replica a listed');
    await until(b, () => b.ready(), 'replica b listed');
    const sid = `sid-${uniqueName('session')}`;
    const now = Date.now() / 1000;
    const untilS = Math.ceil(now) + 3600;
    expect(b.has(revocationKey(sid), now)).toBe(false);

    await a.add(revocationKey(sid), untilS);
    // Written before add resolved (sign-out answers only after this)...
    const cm = await configMap();
    expect(cm?.data).toEqual({ [revocationKey(sid)]: String(untilS) });
    expect(JSON.stringify(cm)).not.toContain(sid);
    expect(cm?.metadata.labels).toMatchObject({ 'app.kubernetes.io/component': 'session-revocations' });
    // ...and learnt by the other replica from its watch.
    await until(b, () => b.has(revocationKey(sid), Date.now() / 1000), 'replica b to see the revocation');
  });

  it('keeps both of two sign-outs written at once by two replicas (the loser of the update race retries)', async () => {
    const { revocationKey } = await import('../../lib/auth/revocation-store.ts');
    const [a, b] = replicas as [SharedRevocations, SharedRevocations];
    const untilS = Math.ceil(Date.now() / 1000) + 3600;
    const ka = revocationKey(uniqueName('sid-a'));
    const kb = revocationKey(uniqueName('sid-b'));
    await Promise.all([a.add(ka, untilS), b.add(kb, untilS)]);
    const data = (await configMap())?.data ?? {};
    expect(data[ka]).toBe(String(untilS));
    expect(data[kb]).toBe(String(untilS));
    await until(a, () => a.has(kb, Date.now() / 1000), 'replica a to see b\'s revocation');
    await until(b, () => b.has(ka, Date.now() / 1000), 'replica b to see a\'s revocation');
  });

  it('follows the ConfigMap being deleted and made again by the next sign-out', async () => {
    const { revocationKey } = await import('../../lib/auth/revocation-store.ts');
    const [a, b] = replicas as [SharedRevocations, SharedRevocations];
    const seen = revocationKey(uniqueName('sid-seen'));
    await a.add(seen, Math.ceil(Date.now() / 1000) + 3600);
    await until(b, () => b.has(seen, Date.now() / 1000), 'replica b to see it');
    await kubectlOk(['delete', 'configmap', store, '-n', ns]);
    await until(b, () => !b.has(seen, Date.now() / 1000), 'replica b to see the deletion');
    const again = revocationKey(uniqueName('sid-again'));
    await a.add(again, Math.ceil(Date.now() / 1000) + 3600);
    // a still holds its own revocations (this one and the earlier tests'), and the new map carries them, so b
    // learns them back.
    expect(Object.keys((await configMap())?.data ?? {})).toEqual(expect.arrayContaining([again, seen]));
    await until(b, () => b.has(again, Date.now() / 1000) && b.has(seen, Date.now() / 1000), 'replica b to see the new map');
  });

  it('keeps a quiet watch open past the request timeout (which covers only the answer\'s head)', async () => {
    const { SharedRevocations } = await import('../../lib/auth/revocations-shared.ts');
    const { sessionStoreMap } = await import('../../lib/k8s/session-store.ts');
    // The timeout must still cover the head of a watch on a busy machine, or a slow head would look like the bug.
    const access = sessionStoreMap(ns, store, 2500);
    let opened = 0;
    const warnings: string[] = [];
    const r = new SharedRevocations({
      access: { ...access, watch: (rv, signal, onEvent) => (opened++, access.watch(rv, signal, onEvent)) },
      log: (level, msg) => void (level !== 'info' && warnings.push(msg)),
    });
    replicas.push(r);
    await until(r, () => r.ready(), 'the replica listed');
    // Quiet for three request timeouts: nothing writes to the map during this test.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    expect(warnings).toEqual([]);
    expect(opened).toBe(1);
  });
});
