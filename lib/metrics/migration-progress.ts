import 'server-only';
import { z } from 'zod';
import { log } from '../log';
import { readCapped } from '../server/read-capped';
import type { MigrationMetricsSettings } from '../settings';
import type { ProgressResponse } from '../shared/migrations';
import { parseExposition, type Sample } from './exposition';

// KubeVirt's live-migration gauges for one VMI, read from the configured source with the portal's own network
// access (no user credential goes there). The caller has already checked, as the user, that the user may get that
// VMI; nothing about any other VMI leaves this module. Every viewer of a running migration asks once a second, so
// one read of the source serves them all for a moment (CACHE_MS), and a source that fails is logged once a minute.

export const GAUGES = {
  processed: 'kubevirt_vmi_migration_data_processed_bytes',
  remaining: 'kubevirt_vmi_migration_data_remaining_bytes',
  dirtyRate: 'kubevirt_vmi_migration_dirty_memory_rate_bytes',
} as const;
const NAMES: ReadonlySet<string> = new Set(Object.values(GAUGES));

const TIMEOUT_MS = 3000;
const CACHE_MS = 750;
const MAX_TEXT_BYTES = 32 * 1024 * 1024; // a text endpoint of a large cluster (a federation endpoint) can be big
const MAX_JSON_BYTES = 1024 * 1024;
const LOG_EVERY_MS = 60_000;

export type Fetch = (url: string, init: { signal: AbortSignal; headers: Record<string, string>; cache: 'no-store'; redirect: 'error' }) => Promise<Response>;

/** The figures of one VMI among the samples: per node (the gauges carry a node label), the one furthest along. */
export function figuresOf(samples: readonly Sample[], namespace: string, name: string): ProgressResponse {
  const byNode = new Map<string, { processed?: number; remaining?: number; dirtyRate?: number }>();
  for (const s of samples) {
    if (s.labels.namespace !== namespace || s.labels.name !== name || !Number.isFinite(s.value) || s.value < 0) continue;
    const node = s.labels.node ?? '';
    const f = byNode.get(node) ?? {};
    if (s.name === GAUGES.processed) f.processed = s.value;
    else if (s.name === GAUGES.remaining) f.remaining = s.value;
    else if (s.name === GAUGES.dirtyRate) f.dirtyRate = s.value;
    byNode.set(node, f);
  }
  const best = [...byNode.values()].filter((f) => f.processed !== undefined && f.remaining !== undefined).sort((a, b) => b.processed! - a.processed!)[0];
  if (!best) return { available: false, reason: 'no-data' };
  return { available: true, processedBytes: best.processed!, remainingBytes: best.remaining!, ...(best.dirtyRate !== undefined ? { dirtyRateBytes: best.dirtyRate } : {}) };
}

async function get(fetchImpl: Fetch, url: string, accept: string, max: number): Promise<string> {
  // Never Next's fetch cache; no redirect followed to wherever the source points.
  const res = await fetchImpl(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept }, cache: 'no-store', redirect: 'error' });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  return (await readCapped(res.body, max, () => new Error(`metrics response larger than ${max} bytes`))).toString('utf8');
}

// PromQL string literals: namespace and name are Kubernetes names already, escaped anyway.
const promString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function promQuery(namespace: string, name: string): string {
  return `{__name__=~${promString([...NAMES].join('|'))},namespace=${promString(namespace)},name=${promString(name)}}`;
}

const promAnswer = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
});

async function prometheusSamples(fetchImpl: Fetch, base: string, namespace: string, name: string): Promise<Sample[]> {
  const url = `${base}/api/v1/query?${new URLSearchParams({ query: promQuery(namespace, name) }).toString()}`;
  const answer = promAnswer.parse(JSON.parse(await get(fetchImpl, url, 'application/json', MAX_JSON_BYTES)));
  return answer.data.result.map((r) => ({ name: r.metric.__name__ ?? '', labels: r.metric, value: Number(r.value[1]) }));
}

async function expositionSamples(fetchImpl: Fetch, url: string): Promise<Sample[]> {
  return parseExposition(await get(fetchImpl, url, 'text/plain;version=0.0.4;q=1,*/*;q=0.1', MAX_TEXT_BYTES), NAMES);
}

type Cache = Map<string, { at: number; samples: Promise<Sample[]> }>;
const cache: Cache = ((globalThis as { __portalMigrationMetrics?: Cache }).__portalMigrationMetrics ??= new Map());
const lastLogged = new Map<string, number>();

/** For tests: forget cached reads and logged failures. */
export function clearMigrationMetricsCache(): void {
  cache.clear();
  lastLogged.clear();
}

// One read per key in flight and for CACHE_MS after: a text endpoint is one key for every VMI, a Prometheus query
// one per VMI.
function cached(key: string, read: () => Promise<Sample[]>): Promise<Sample[]> {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.samples;
  const samples = read();
  cache.set(key, { at: now, samples });
  if (cache.size > 1000) for (const [k, v] of cache) if (now - v.at >= CACHE_MS) cache.delete(k);
  return samples;
}

export async function readMigrationProgress(source: MigrationMetricsSettings, namespace: string, name: string, fetchImpl: Fetch = fetch): Promise<ProgressResponse> {
  if (source.source === 'none') return { available: false, reason: 'not-configured' };
  try {
    const samples =
      source.source === 'prometheus'
        ? await cached(`prometheus|${source.url}|${namespace}/${name}`, () => prometheusSamples(fetchImpl, source.url, namespace, name))
        : await cached(`exposition|${source.url}`, () => expositionSamples(fetchImpl, source.url));
    return figuresOf(samples, namespace, name);
  } catch (err) {
    const host = (() => {
      try {
        return new URL(source.url).host; // never the whole URL: it may carry credentials
      } catch {
        return '';
      }
    })();
    const now = Date.now();
    if (now - (lastLogged.get(source.url) ?? 0) > LOG_EVERY_MS) {
      lastLogged.set(source.url, now);
      const e = err as { name?: string; message?: string };
      log('warn', 'migration metrics could not be read', { source: source.source, host, error: e?.name === 'TimeoutError' ? 'timeout' : e?.name === 'ZodError' ? 'unexpected answer' : String(e?.message ?? err).slice(0, 200) });
    }
    return { available: false, reason: 'unreachable' };
  }
}
