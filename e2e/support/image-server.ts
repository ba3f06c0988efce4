import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A disk image on a loopback http server, for "import from a URL": an ext4 file system labelled like the sandbox's
// Tiny Linux disks (the simulator boots a disk by its label), sent slowly enough that the import's progress shows.

export interface ImageServer {
  url: string;
  bytes: number;
  // Requests the server has seen, so a test knows the import really came here.
  requests: () => number;
  close: () => Promise<void>;
}

export async function serveImage(opts: { sizeMiB?: number; seconds?: number } = {}): Promise<ImageServer> {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-image-'));
  const root = join(dir, 'root');
  execFileSync('mkdir', ['-p', root]);
  writeFileSync(join(root, 'os-release'), 'ID=tinylinux\nPRETTY_NAME="Tiny Linux (imported over http)"\n');
  const file = join(dir, 'disk.img');
  execFileSync('truncate', ['-s', `${opts.sizeMiB ?? 48}M`, file]);
  execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'tinylinux', '-d', root, file], { stdio: 'ignore' });
  const bytes = statSync(file).size;
  // Paced so the whole image takes about `seconds`: progress is reported every half second.
  const chunk = 256 * 1024;
  const delay = Math.max(1, Math.round(((opts.seconds ?? 6) * 1000) / Math.ceil(bytes / chunk)));
  let seen = 0;
  const server = http.createServer((req, res) => {
    seen++;
    if (req.url !== '/disk.img') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes });
    const stream = createReadStream(file, { highWaterMark: chunk });
    stream.on('data', (c) => {
      stream.pause();
      res.write(c, () => setTimeout(() => stream.resume(), delay));
    });
    stream.on('end', () => res.end());
    res.on('close', () => stream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/disk.img`,
    bytes,
    requests: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
