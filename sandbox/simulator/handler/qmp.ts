// A QEMU Machine Protocol client over a unix socket: one command at a time, in order, with a timeout each.
import net from 'node:net';

export class QmpError extends Error {
  constructor(readonly qmpClass: string, desc: string) {
    super(desc);
  }
}

export class Qmp {
  private socket?: net.Socket;
  private buf = '';
  private waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  private ready?: Promise<void>;
  private readonly listeners: ((event: { event: string; data?: unknown }) => void)[] = [];

  constructor(private readonly path: string) {}

  /** Calls `fn` for each QMP event; returns a function that stops it. */
  onEvent(fn: (event: { event: string; data?: unknown }) => void): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Connects once; an attempt that ended before the connection was ready can be made again. */
  connect(): Promise<void> {
    this.ready ??= new Promise<void>((resolve, reject) => {
      const s = net.connect(this.path);
      this.socket = s;
      this.buf = '';
      let greeted = false;
      let connected = false;
      // Only the current attempt speaks: a refused or closed earlier one must not touch its successor.
      const ended = (e: Error) => {
        if (this.socket !== s) return;
        if (!connected) this.ready = undefined;
        reject(e);
        this.failAll(e);
      };
      s.setEncoding('utf8');
      s.on('data', (chunk: string) => {
        if (this.socket !== s) return;
        this.buf += chunk;
        let nl: number;
        while ((nl = this.buf.indexOf('\n')) >= 0) {
          const line = this.buf.slice(0, nl).trim();
          this.buf = this.buf.slice(nl + 1);
          if (!line) continue;
          const msg = JSON.parse(line) as { QMP?: unknown; return?: unknown; error?: { class: string; desc: string }; event?: string; data?: unknown };
          if (msg.QMP && !greeted) {
            greeted = true;
            this.send({ execute: 'qmp_capabilities' }).then(() => ((connected = true), resolve()), ended);
          } else if (msg.event) {
            for (const l of this.listeners) l({ event: msg.event, data: msg.data });
          } else {
            const w = this.waiting.shift();
            if (msg.error) w?.reject(new QmpError(msg.error.class, msg.error.desc));
            else w?.resolve(msg.return);
          }
        }
      });
      s.on('error', ended);
      s.on('close', () => ended(new Error('QMP connection closed')));
    });
    return this.ready;
  }

  private failAll(e: Error) {
    for (const w of this.waiting.splice(0)) w.reject(e);
  }

  private send(cmd: object, timeoutMs = 10_000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`QMP timeout: ${JSON.stringify(cmd)}`)), timeoutMs);
      this.waiting.push({
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.socket!.write(JSON.stringify(cmd) + '\n');
    });
  }

  async execute<T = unknown>(command: string, args?: object, timeoutMs?: number): Promise<T> {
    await this.connect();
    return (await this.send(args ? { execute: command, arguments: args } : { execute: command }, timeoutMs)) as T;
  }

  close() {
    this.socket?.destroy();
  }
}
