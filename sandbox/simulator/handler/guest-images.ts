// Boot sources: every container-disk image name maps to one of the guest images the sandbox builds
// (sandbox/guest/build.sh): names containing "edge" boot Tiny Linux Edge, all others Tiny Linux.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, repoRoot } from '../../launcher/paths.ts';

export const guestDir = join(cacheDir, 'guest');

export interface GuestImage {
  id: string;
  prettyName: string;
  kernel: string;
  initrd: string;
}

/** Builds the guest images when missing or stale (a no-op otherwise). */
export function ensureGuestImages() {
  execFileSync('bash', [join(repoRoot, 'sandbox/guest/build.sh'), guestDir], { stdio: ['ignore', 'inherit', 'inherit'] });
}

let manifest: { kernel: { file: string }; images: { id: string; prettyName: string; initrd: string }[] } | undefined;

/** The built-in guest with this id (a boot disk's label), if any. */
export function guestImageById(id: string): GuestImage | undefined {
  manifest ??= JSON.parse(readFileSync(join(guestDir, 'manifest.json'), 'utf8'));
  const img = manifest!.images.find((i) => i.id === id);
  return img && { id: img.id, prettyName: img.prettyName, kernel: join(guestDir, manifest!.kernel.file), initrd: join(guestDir, img.initrd) };
}

export function guestImageFor(containerDiskImage: string): GuestImage {
  manifest ??= JSON.parse(readFileSync(join(guestDir, 'manifest.json'), 'utf8'));
  const want = /edge/i.test(containerDiskImage) ? 'tinylinux-edge' : 'tinylinux';
  const img = manifest!.images.find((i) => i.id === want) ?? manifest!.images[0]!;
  return { id: img.id, prettyName: img.prettyName, kernel: join(guestDir, manifest!.kernel.file), initrd: join(guestDir, img.initrd) };
}
