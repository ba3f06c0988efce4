import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { BACKSPACE_ECHO, probeLetters, SerialProbe } from './consoles';

/** A serial console stand-in that answers like busybox ash's line editor. */
class FakeSerial extends EventEmitter {
  sent: string[] = [];
  constructor(private readonly host: string) {
    super();
  }
  resume() {}
  send(b: Buffer) {
    const s = b.toString('latin1');
    this.sent.push(s);
    const reply = s === '\r' ? `\r\nroot@${this.host}:~# ` : s === '\x7f' ? '\b\x1b[J' : s;
    setTimeout(() => this.emit('message', Buffer.from(reply, 'latin1'), true), 1);
  }
}

describe('serial probe', () => {
  it('types only letters that are not in the prompt', () => {
    const ls = probeLetters('con-0');
    for (const c of 'rootcn') expect(ls).not.toContain(c);
    expect(ls).toContain('a');
    expect(ls.every((c) => /^[a-z]$/.test(c))).toBe(true);
  });

  it('knows a backspace echo from what follows it', () => {
    expect(BACKSPACE_ECHO.test('\b\x1b[J')).toBe(true);
    expect(BACKSPACE_ECHO.test('\x1b[1D')).toBe(true);
    expect(BACKSPACE_ECHO.test('\x1b[J')).toBe(false);
  });

  it('gets the prompt, then times a letter to its echo and clears it with a backspace', async () => {
    const ws = new FakeSerial('con-0');
    const probe = new SerialProbe(ws as unknown as WebSocket);
    await probe.prompt('con-0', 5000);
    const ms = await probe.keystroke('a', 1000);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(1000);
    await probe.backspace(1000);
    expect(ws.sent.slice(-2)).toEqual(['a', '\x7f']);
  });

  it('rejects a wait when the console closes, with the close code', async () => {
    const ws = new FakeSerial('con-0');
    const probe = new SerialProbe(ws as unknown as WebSocket);
    const waiting = probe.waitFor('never', 5000);
    ws.emit('close', 4002, Buffer.from('Your session has expired.'));
    await expect(waiting).rejects.toThrow(/closed: 4002 Your session has expired/);
    expect(probe.closed).toMatchObject({ code: 4002 });
  });
});
