// How long a console waits before its next attempt after an unexpected close: exponential from 1 s, capped at 30 s,
// with jitter (each wait is between half and all of the exponential step) so that the consoles of a portal that
// restarted do not all come back at the same moment. Pure.

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, capMs: 30_000 };

/** The wait before attempt n (1 = the first retry); random() in [0, 1). */
export function backoffDelay(attempt: number, random: () => number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempt));
  const step = Math.min(opts.capMs, opts.baseMs * 2 ** Math.min(n - 1, 30));
  return Math.round(step / 2 + (step / 2) * Math.min(Math.max(random(), 0), 1));
}
