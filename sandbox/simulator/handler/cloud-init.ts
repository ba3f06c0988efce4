// cloudInitNoCloud volumes become a NoCloud seed disk (volume label cidata), as virt-launcher makes them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../launcher/paths.ts';

export interface NoCloudSource {
  userData?: string;
  userDataBase64?: string;
  networkData?: string;
  networkDataBase64?: string;
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
