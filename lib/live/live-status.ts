// How live a list is, for the page to show: connecting (no LIVE yet), live (every scope watched), reconnecting (the
// stream dropped; it comes back by itself), or an error with its reason: retrying when the server keeps trying
// (an upstream failure, a cap that may free up), not when only the user can change it (permission, sign-in).
export interface LiveError {
  code: string;
  message: string;
  retrying: boolean;
}

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | { error: LiveError };

const rank = (s: LiveStatus) => (typeof s === 'object' ? (s.error.retrying ? 3 : 4) : s === 'reconnecting' ? 2 : s === 'connecting' ? 1 : 0);

/** One status for several lists shown together: the worst of them (a stopped one over a retrying one, and so on). */
export function combineLive(statuses: readonly LiveStatus[]): LiveStatus {
  let worst: LiveStatus = 'live';
  for (const s of statuses) if (rank(s) > rank(worst)) worst = s;
  return worst;
}
