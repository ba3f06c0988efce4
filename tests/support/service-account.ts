// The portal's own credentials as a service account, for integration tests that act as the portal does in a pod:
// a kubeconfig with a one-hour token of `sa`, the sandbox's API server and its CA.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { paths, urls } from '../../sandbox/launcher/paths.ts';
import { kubectlOk } from '../../sandbox/test/helpers.ts';

/** Writes <dir>/kubeconfig for service account `sa` of `namespace` and returns its path. */
export async function serviceAccountKubeconfig(sa: string, namespace: string, dir: string): Promise<string> {
  const token = (await kubectlOk(['create', 'token', sa, '-n', namespace, '--duration=1h'])).trim();
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'sandbox', cluster: { server: urls.apiserver, 'certificate-authority': join(paths.pki, 'ca.crt') } }],
      users: [{ name: sa, user: { token } }],
      contexts: [{ name: 'portal', context: { cluster: 'sandbox', user: sa } }],
      'current-context': 'portal',
    }),
  );
  return kubeconfig;
}
