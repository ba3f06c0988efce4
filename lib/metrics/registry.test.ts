import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { parseExposition, parseSampleLine } from './exposition';
import { countIdpError, countUpstreamError, metrics, scrape } from './registry';
import { sampleValue } from './test-samples';

const PORTAL_METRICS: Record<string, string> = {
  portal_http_request_duration_seconds: 'histogram',
  portal_console_sessions_open: 'gauge',
  portal_live_streams_open: 'gauge',
  portal_live_watch_scopes: 'gauge',
  portal_upstream_watches_open: 'gauge',
  portal_upstream_errors_total: 'counter',
  portal_idp_errors_total: 'counter',
};

describe('the metrics registry', () => {
  it('is one per process: a second instance of the module (another Next bundle) finds the same metrics', async () => {
    const first = metrics();
    vi.resetModules();
    const again = await import('./registry');
    expect(again.metrics()).toBe(first);
    expect(again.metrics().registry).toBe(first.registry);
  });

  it('exposes Prometheus text 0.0.4 that the project’s reader reads line by line, every sample of a declared family', async () => {
    metrics().httpDuration.observe({ method: 'GET', route: '/vms/[namespace]/[name]', status: '200' }, 0.042);
    countUpstreamError({ status: '403', reason: 'Forbidden' });
    const { contentType, text } = await scrape();
    expect(contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);

    const types = new Map<string, string>();
    for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(m[1]!, m[2]!);
    for (const [name, type] of Object.entries(PORTAL_METRICS)) expect(types.get(name), name).toBe(type);
    // prom-client's process metrics: memory, event loop lag, GC pauses.
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_gc_duration_seconds']) {
      expect(types.has(name), name).toBe(true);
    }

    const family = (sample: string) => [...types.keys()].find((f) => sample === f || (sample.startsWith(`${f}_`) && /^(bucket|count|sum|total|created)$/.test(sample.slice(f.length + 1))));
    let samples = 0;
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      const s = parseSampleLine(line);
      expect(s, line).toBeDefined();
      expect(family(s!.name), line).toBeDefined();
      samples++;
    }
    expect(samples).toBe(parseExposition(text).length);

    const buckets = parseExposition(text, new Set(['portal_http_request_duration_seconds_bucket'])).filter((s) => s.labels.route === '/vms/[namespace]/[name]');
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' } });
    expect(buckets.find((b) => b.labels.le === '0.05')!.value).toBeGreaterThanOrEqual(1);
    expect(buckets.find((b) => b.labels.le === '0.025')!.value).toBe(0);
  });

  it('shows both console kinds and every identity-provider error kind from the start, at zero', async () => {
    expect(parseExposition((await scrape()).text, new Set(['portal_console_sessions_open'])).map((s) => s.labels.kind).sort()).toEqual(['serial', 'vnc']);
    const kinds = parseExposition((await scrape()).text, new Set(['portal_idp_errors_total'])).map((s) => s.labels.kind);
    expect(kinds.sort()).toEqual(['browser_proxy', 'discovery', 'profile', 'sign_in', 'token_exchange', 'token_refresh']);
  });

  it('counts upstream and identity-provider errors by their labels', async () => {
    const before = await sampleValue('portal_idp_errors_total', { kind: 'discovery' });
    const upstream = await sampleValue('portal_upstream_errors_total', { status: 'transport', reason: 'ECONNREFUSED' });
    countIdpError('discovery');
    countUpstreamError({ status: 'transport', reason: 'ECONNREFUSED' });
    countUpstreamError({ status: 'transport', reason: 'ECONNREFUSED' });
    expect(await sampleValue('portal_idp_errors_total', { kind: 'discovery' })).toBe(before + 1);
    expect(await sampleValue('portal_upstream_errors_total', { status: 'transport', reason: 'ECONNREFUSED' })).toBe(upstream + 2);
  });
});
