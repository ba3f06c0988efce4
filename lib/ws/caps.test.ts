import { describe, expect, it } from 'vitest';
import { capReason, ConsoleCaps } from './caps';

describe('ConsoleCaps', () => {
  it('refuses the N+1th console of a user, and frees a slot once per release', () => {
    const caps = new ConsoleCaps({ perUser: 2, total: 10 });
    const a = caps.acquire('alice');
    const b = caps.acquire('alice');
    expect(a.ok && b.ok).toBe(true);
    expect(caps.acquire('alice')).toEqual({ ok: false, cap: 'user', limit: 2 });
    expect(caps.acquire('bob').ok).toBe(true);
    if (!a.ok) throw new Error('unreachable');
    a.release();
    a.release(); // twice is once
    expect(caps.usage('alice')).toEqual({ user: 1, total: 2 });
    expect(caps.acquire('alice').ok).toBe(true);
    expect(caps.acquire('alice').ok).toBe(false);
  });

  it('refuses past the total, whoever asks', () => {
    const caps = new ConsoleCaps({ perUser: 5, total: 2 });
    expect(caps.acquire('a').ok).toBe(true);
    expect(caps.acquire('b').ok).toBe(true);
    expect(caps.acquire('c')).toEqual({ ok: false, cap: 'total', limit: 2 });
    expect(caps.usage('c')).toEqual({ user: 0, total: 2 });
  });

  it('says which cap refused', () => {
    expect(capReason({ cap: 'user', limit: 8 })).toMatch(/at most 8/);
    expect(capReason({ cap: 'total', limit: 256 })).toMatch(/portal has too many consoles/);
  });
});
