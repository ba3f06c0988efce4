// How many console sockets one user and the whole portal hold open. Pure bookkeeping: a slot is taken before
// anything is dialled and given back exactly once, however the console ends.

export type CapVerdict = { ok: true; release: () => void } | { ok: false; cap: 'user' | 'total'; limit: number };

export class ConsoleCaps {
  private readonly perUser = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: { perUser: number; total: number }) {}

  acquire(user: string): CapVerdict {
    const held = this.perUser.get(user) ?? 0;
    if (held >= this.limits.perUser) return { ok: false, cap: 'user', limit: this.limits.perUser };
    if (this.total >= this.limits.total) return { ok: false, cap: 'total', limit: this.limits.total };
    this.perUser.set(user, held + 1);
    this.total++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const n = (this.perUser.get(user) ?? 0) - 1;
        if (n > 0) this.perUser.set(user, n);
        else this.perUser.delete(user);
        this.total--;
      },
    };
  }

  usage(user: string): { user: number; total: number } {
    return { user: this.perUser.get(user) ?? 0, total: this.total };
  }
}

/** The close reason of a refusal by cap, for the browser. */
export function capReason(v: { cap: 'user' | 'total'; limit: number }): string {
  return v.cap === 'user'
    ? `Too many consoles are open for your account (at most ${v.limit}); close another console first.`
    : 'The portal has too many consoles open at the moment; try again later.';
}
