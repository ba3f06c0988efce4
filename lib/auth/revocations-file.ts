// No 'server-only' marker: server.ts loads the revocation store (through lib/ws) outside Next's bundler.
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pruned, revocationKey, type RevocationStore } from './revocation-store';

// Revoked sessions in a file: one process, or several on one host sharing PORTAL_STATE_DIR. One line per
// revocation ("<key> <until>"), appended with a single write (O_APPEND: two processes never interleave a line), and
// read back by every process when the file's size or identity changed (one stat per check). When most lines have
// expired the file is rewritten to a new one and renamed over the old (a reader never sees half a file); an append
// by another process in that instant can be lost, and only then.

type Stamp = { ino: number; size: number };

export class FileRevocations implements RevocationStore {
  private entries = new Map<string, number>();
  private lines = 0;
  private seen: Stamp | undefined;

  constructor(
    private readonly file: string,
    // The list of an older portal (raw session ids, JSON), taken over once.
    legacyFile?: string,
  ) {
    if (legacyFile) this.takeOver(legacyFile);
  }

  ready(): boolean {
    return true;
  }

  stop(): void {}

  has(key: string, nowS: number): boolean {
    this.follow();
    const until = this.entries.get(key);
    return until !== undefined && until > nowS;
  }

  async add(key: string, untilS: number): Promise<void> {
    this.follow();
    this.entries.set(key, untilS);
    try {
      mkdirSync(/*turbopackIgnore: true*/ dirname(this.file), { recursive: true, mode: 0o700 });
      if (this.lines > 64) {
        const live = pruned(this.entries, Date.now() / 1000);
        if (this.lines > 2 * live.size) return this.rewrite(live);
      }
      // Counted (with everyone else's lines) when follow() next reads the file.
      appendFileSync(/*turbopackIgnore: true*/ this.file, `${key} ${untilS}\n`, { mode: 0o600 });
    } catch {
      // In-memory revocation still holds for this process.
    }
  }

  // Reads what other processes appended (or everything, after a rewrite).
  private follow(): void {
    let st: Stamp;
    try {
      st = statSync(/*turbopackIgnore: true*/ this.file);
    } catch {
      return;
    }
    const seen = this.seen;
    if (seen && seen.ino === st.ino && seen.size === st.size) return;
    const from = seen && seen.ino === st.ino && st.size > seen.size ? seen.size : 0;
    if (from === 0) {
      this.entries = pruned(this.entries, Date.now() / 1000);
      this.lines = 0;
    }
    const text = this.read(from, st.size);
    // A line still being written by another process is left for the next check.
    const end = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(0, end).split('\n')) {
      const m = /^([A-Za-z0-9_-]{22}) (\d+)$/.exec(line);
      if (!m) continue;
      this.entries.set(m[1]!, Math.max(Number(m[2]), this.entries.get(m[1]!) ?? 0));
      this.lines++;
    }
    this.seen = { ino: st.ino, size: from + Buffer.byteLength(text.slice(0, end)) };
  }

  private read(from: number, to: number): string {
    const fd = openSync(/*turbopackIgnore: true*/ this.file, 'r');
    try {
      const buf = Buffer.alloc(Math.max(0, to - from));
      const n = readSync(fd, buf, 0, buf.length, from);
      return buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  }

  private rewrite(live: Map<string, number>): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(/*turbopackIgnore: true*/ tmp, [...live].map(([k, until]) => `${k} ${until}\n`).join(''), { mode: 0o600 });
    renameSync(/*turbopackIgnore: true*/ tmp, /*turbopackIgnore: true*/ this.file);
    this.entries = live;
    this.lines = live.size;
    this.seen = undefined;
    this.follow();
  }

  private takeOver(legacy: string): void {
    if (!existsSync(/*turbopackIgnore: true*/ legacy)) return;
    try {
      const raw = JSON.parse(readFileSync(/*turbopackIgnore: true*/ legacy, 'utf8')) as unknown;
      const now = Date.now() / 1000;
      if (Array.isArray(raw)) {
        for (const e of raw) {
          if (Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number' && e[1] > now) void this.add(revocationKey(e[0]), e[1]);
        }
      }
      unlinkSync(/*turbopackIgnore: true*/ legacy);
    } catch {
      // A damaged list only loses revocations of sessions that also expire on their own.
    }
  }
}
