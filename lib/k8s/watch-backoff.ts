// How long a broken watch waits before it tries again. Doubling from 1 s, but capped low: a restarted API server
// must be watched again within seconds of being back (the page is to be right again within 10 s), so the wait
// may not have grown to half a minute over an outage. Jittered (50-100 %), so the watches of every open page do
// not all come back at the same moment.
export const WATCH_RETRY_CAP_MS = 5_000;

export function watchRetryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(WATCH_RETRY_CAP_MS, 500 * 2 ** Math.max(1, failures));
  return Math.round(base * (0.5 + random() / 2));
}
