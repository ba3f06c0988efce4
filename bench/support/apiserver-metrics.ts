// The API server's count of open watches, from its own /metrics (read as admin): apiserver_longrunning_requests with
// verb WATCH is a gauge per group, resource and scope. Every client's watches are in it (controllers, the simulator),
// so a benchmark reads the difference from a baseline taken in the same run.

export interface WatchCount {
  total: number;
  /** By "resource.group" (core resources without a group), summed over scopes. */
  byResource: Record<string, number>;
}

const sample = /^apiserver_longrunning_requests\{([^}]*)\}\s+([0-9.eE+-]+)\s*$/;
const label = /(\w+)="((?:[^"\\]|\\.)*)"/g;

export function watchCounts(metrics: string): WatchCount {
  const out: WatchCount = { total: 0, byResource: {} };
  for (const line of metrics.split('\n')) {
    const m = sample.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[1]!.matchAll(label)].map((l) => [l[1]!, l[2]!]));
    if (labels.verb !== 'WATCH') continue;
    const n = Number(m[2]);
    if (!Number.isFinite(n)) continue;
    const key = labels.group ? `${labels.resource}.${labels.group}` : (labels.resource ?? '');
    out.total += n;
    out.byResource[key] = (out.byResource[key] ?? 0) + n;
  }
  return out;
}

/** What `now` holds beyond `base`, per resource (only those that moved). */
export function watchDelta(now: WatchCount, base: WatchCount): Record<string, number> {
  const keys = new Set([...Object.keys(now.byResource), ...Object.keys(base.byResource)]);
  const out: Record<string, number> = {};
  for (const k of [...keys].sort()) {
    const d = (now.byResource[k] ?? 0) - (base.byResource[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}
