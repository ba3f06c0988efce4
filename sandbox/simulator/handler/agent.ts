// A client for the QEMU guest agent protocol on the guest's virtio-serial channel (exposed on the host as a unix
// socket). Each call first syncs with a random id, so a reply left over from an earlier, timed-out call is skipped.
import net from 'node:net';

export class GuestAgent {
  private socket?: net.Socket;
  private buf = '';
  private pending?: { resolve: (v: unknown) => void; reject: (e: Error) => void; syncId?: number };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  private ensureSocket(): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const s = net.connect(this.path, () => resolve(s));
      s.setEncoding('utf8');
      s.on('data', (chunk: string) => this.onData(chunk));
      s.on('error', (e) => {
        reject(e);
        this.pending?.reject(e);
      });
      s.on('close', () => {
        this.socket = undefined;
        this.pending?.reject(new Error('guest agent channel closed'));
      });
      this.socket = s;
    });
  }

  private onData(chunk: string) {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/^\xff/, '').trim();
      this.buf = this.buf.slice(nl + 1);
      if (!line || !this.pending) continue;
      let msg: { return?: unknown; error?: { class: string; desc: string } };
      try {
        msg = JSON.parse(line);
      } catch {
        continue; // noise on the channel (a guest that is still booting)
      }
      const p = this.pending;
      if (p.syncId !== undefined) {
        if (msg.return === p.syncId) p.resolve(msg.return);
        continue;
      }
      if (msg.error) p.reject(new Error(`${msg.error.class}: ${msg.error.desc}`));
      else p.resolve(msg.return);
    }
  }

  private exchange(payload: object, timeoutMs: number, syncId?: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new Error(`guest agent did not answer ${JSON.stringify(payload)}`));
      }, timeoutMs);
      this.pending = {
        syncId,
        resolve: (v) => (clearTimeout(timer), (this.pending = undefined), resolve(v)),
        reject: (e) => (clearTimeout(timer), (this.pending = undefined), reject(e)),
      };
      this.socket!.write(JSON.stringify(payload) + '\n');
    });
  }

  /** Runs one agent command; calls are serialised. */
  call<T = unknown>(command: string, args?: object, timeoutMs = 3000): Promise<T> {
    const run = async () => {
      await this.ensureSocket();
      const id = Math.floor(Math.random() * 2 ** 31);
      await this.exchange({ execute: 'guest-sync', arguments: { id } }, timeoutMs, id);
      return (await this.exchange(args ? { execute: command, arguments: args } : { execute: command }, timeoutMs)) as T;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  close() {
    this.socket?.destroy();
  }
}
