// How long a broken watch waits before it tries again. Doubling from 1 s, but capped low: a restarted API server
// must be watched again within seconds of being back (the page is to be right again within 10 s), so the wait
// may not have grown to half a minute over an outage. Jittered (50-100 %), so the watches of every open page do
// not all come back at the same moment.
export const WATCH_RETRY_CAP_MS = 5_000;

export function watchRetryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(WATCH_RETRY_CAP_MS, 500 * 2 ** Math.max(1, failures));
  return Math.round(base * (0.5 + random() / 2));
}

// A refusal (401, 403) is final: the browser resubscribes after refreshing the session. Except right after the API
// server could not be reached: a server that has just (re)started answers 403 until its RBAC caches have synced
// and 401 until its OIDC authenticator has, so a refusal then is retried a few times before it is believed.
export const REFUSALS_AFTER_OUTAGE = 3;

export function refusalIsFinal(failuresBefore: number, refusalsSoFar: number): boolean {
  return failuresBefore === 0 || refusalsSoFar >= REFUSALS_AFTER_OUTAGE;
}
