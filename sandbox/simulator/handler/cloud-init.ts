// cloudInitNoCloud volumes become a NoCloud seed disk (volume label cidata), as virt-launcher makes them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../launcher/paths.ts';
import type { KubeClient } from '../kube/client.ts';

export interface NoCloudSource {
  userData?: string;
  userDataBase64?: string;
  networkData?: string;
  networkDataBase64?: string;
  secretRef?: { name?: string };
  networkDataSecretRef?: { name?: string };
}

interface SecretLike {
  data?: Record<string, string>;
}

/**
 * A volume the kubelet cannot mount yet (a Secret that does not exist): the pod stays Pending, the kubelet says why in
 * a FailedMount event and tries again, as it does for a launcher pod whose cloud-init Secret is missing.
 */
export class MountError extends Error {
  override readonly name = 'MountError';
}

// virt-launcher reads secret-backed user-data and network-data from the VMI's namespace (the Secrets are mounted
// into its pod), under either key spelling KubeVirt accepts.
export async function resolveNoCloudSecrets(kube: KubeClient, ns: string, volume: string, src: NoCloudSource): Promise<NoCloudSource> {
  const out: NoCloudSource = { ...src };
  const read = async (name: string, keys: string[]): Promise<string> => {
    const secret = await kube.find<SecretLike>(`/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(name)}`);
    if (!secret) throw new MountError(`MountVolume.SetUp failed for volume "${volume}" : secret "${name}" not found`);
    const key = keys.find((k) => secret.data?.[k] !== undefined);
    if (!key) throw new MountError(`MountVolume.SetUp failed for volume "${volume}" : secret "${name}" has none of the keys ${keys.join(', ')}`);
    return Buffer.from(secret.data![key]!, 'base64').toString('utf8');
  };
  if (src.secretRef?.name) out.userData = await read(src.secretRef.name, ['userdata', 'userData']);
  if (src.networkDataSecretRef?.name) out.networkData = await read(src.networkDataSecretRef.name, ['networkdata', 'networkData']);
  return out;
}

export function makeNoCloudDisk(dir: string, vmiName: string, uid: string, src: NoCloudSource): string {
  const seed = join(dir, 'cidata');
  mkdirSync(seed, { recursive: true });
  const userData = src.userData ?? (src.userDataBase64 ? Buffer.from(src.userDataBase64, 'base64').toString('utf8') : '');
  writeFileSync(join(seed, 'user-data'), userData);
  // virt-launcher's meta-data: the instance id is the VMI's UID and the hostname its name.
  writeFileSync(join(seed, 'meta-data'), `instance-id: ${uid}\nlocal-hostname: ${vmiName}\n`);
  const net = src.networkData ?? (src.networkDataBase64 ? Buffer.from(src.networkDataBase64, 'base64').toString('utf8') : undefined);
  if (net) writeFileSync(join(seed, 'network-config'), net);
  const out = join(dir, 'cidata.iso');
  execFileSync('bash', [join(repoRoot, 'sandbox/guest/make-cidata.sh'), seed, out], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}
