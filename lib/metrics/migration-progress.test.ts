import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clearMigrationMetricsCache, figuresOf, promQuery, readMigrationProgress, type Fetch } from './migration-progress';

vi.mock('server-only', () => ({}));

const text = [
  '# HELP kubevirt_vmi_migration_data_processed_bytes The total Guest OS data processed and migrated to the new VM.',
  '# TYPE kubevirt_vmi_migration_data_processed_bytes gauge',
  'kubevirt_vmi_migration_data_processed_bytes{name="vm-1",namespace="team-a",node="worker-1"} 3000',
  'kubevirt_vmi_migration_data_processed_bytes{name="vm-1",namespace="team-b",node="worker-1"} 9',
  '# TYPE kubevirt_vmi_migration_data_remaining_bytes gauge',
  'kubevirt_vmi_migration_data_remaining_bytes{name="vm-1",namespace="team-a",node="worker-1"} 7000',
  'kubevirt_vmi_migration_data_remaining_bytes{name="vm-1",namespace="team-b",node="worker-1"} 1',
  '# TYPE kubevirt_vmi_migration_dirty_memory_rate_bytes gauge',
  'kubevirt_vmi_migration_dirty_memory_rate_bytes{name="vm-1",namespace="team-a",node="worker-1"} 4096',
].join('\n');

function fakeFetch(respond: (url: string) => Response | Promise<Response>) {
  const urls: string[] = [];
  const f: Fetch = async (url) => {
    urls.push(url);
    return respond(url);
  };
  return { f, urls };
}

beforeEach(() => clearMigrationMetricsCache());

describe('migration progress from a text endpoint', () => {
  const source = { source: 'exposition' as const, url: 'http://127.0.0.1:8444/metrics' };

  it('gives the one VMI\'s figures and nothing of another namespace\'s VMI of the same name', async () => {
    const { f } = fakeFetch(() => new Response(text));
    expect(await readMigrationProgress(source, 'team-a', 'vm-1', f)).toEqual({ available: true, processedBytes: 3000, remainingBytes: 7000, dirtyRateBytes: 4096 });
    expect(await readMigrationProgress(source, 'team-b', 'vm-1', f)).toEqual({ available: true, processedBytes: 9, remainingBytes: 1 });
    expect(await readMigrationProgress(source, 'team-a', 'vm-2', f)).toEqual({ available: false, reason: 'no-data' });
  });

  it('reads the source once for every viewer within a moment', async () => {
    const { f, urls } = fakeFetch(() => new Response(text));
    await Promise.all([readMigrationProgress(source, 'team-a', 'vm-1', f), readMigrationProgress(source, 'team-b', 'vm-1', f), readMigrationProgress(source, 'team-a', 'vm-1', f)]);
    expect(urls).toEqual(['http://127.0.0.1:8444/metrics']);
  });

  it('a source that fails, answers an error or is too big is "unreachable", not an exception', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await readMigrationProgress(source, 'team-a', 'vm-1', fakeFetch(() => Promise.reject(new TypeError('fetch failed'))).f)).toEqual({ available: false, reason: 'unreachable' });
    clearMigrationMetricsCache();
    expect(await readMigrationProgress(source, 'team-a', 'vm-1', fakeFetch(() => new Response('no', { status: 503 })).f)).toEqual({ available: false, reason: 'unreachable' });
    clearMigrationMetricsCache();
    const huge = new ReadableStream({
      pull(c) {
        c.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    expect(await readMigrationProgress(source, 'team-a', 'vm-1', fakeFetch(() => new Response(huge)).f)).toEqual({ available: false, reason: 'unreachable' });
    // Logged without the URL's path or query (they may carry credentials).
    const logged = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(logged).toContain('"host":"127.0.0.1:8444"');
    expect(logged).not.toContain('/metrics');
    stderr.mockRestore();
  });

  it('no source configured: "not-configured", and nothing is fetched', async () => {
    const { f, urls } = fakeFetch(() => new Response(text));
    expect(await readMigrationProgress({ source: 'none' }, 'team-a', 'vm-1', f)).toEqual({ available: false, reason: 'not-configured' });
    expect(urls).toEqual([]);
  });
});

describe('migration progress from Prometheus', () => {
  const source = { source: 'prometheus' as const, url: 'http://prometheus.monitoring:9090' };
  const vector = (result: object[]) => new Response(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));

  it('asks the query API for the three gauges of that VMI', async () => {
    const { f, urls } = fakeFetch(() =>
      vector([
        { metric: { __name__: 'kubevirt_vmi_migration_data_processed_bytes', namespace: 'team-a', name: 'vm-1', node: 'w1' }, value: [1700000000.1, '100'] },
        { metric: { __name__: 'kubevirt_vmi_migration_data_remaining_bytes', namespace: 'team-a', name: 'vm-1', node: 'w1' }, value: [1700000000.1, '900'] },
      ]),
    );
    expect(await readMigrationProgress(source, 'team-a', 'vm-1', f)).toEqual({ available: true, processedBytes: 100, remainingBytes: 900 });
    const u = new URL(urls[0]!);
    expect(u.origin + u.pathname).toBe('http://prometheus.monitoring:9090/api/v1/query');
    expect(u.searchParams.get('query')).toBe(promQuery('team-a', 'vm-1'));
    expect(promQuery('team-a', 'vm-1')).toBe(
      '{__name__=~"kubevirt_vmi_migration_data_processed_bytes|kubevirt_vmi_migration_data_remaining_bytes|kubevirt_vmi_migration_dirty_memory_rate_bytes",namespace="team-a",name="vm-1"}',
    );
    expect(promQuery('a"b', 'c\\d')).toContain('namespace="a\\"b",name="c\\\\d"');
  });

  it('an empty vector is no data; an answer that is not a vector is unreachable', async () => {
    expect(await readMigrationProgress(source, 'team-a', 'vm-1', fakeFetch(() => vector([])).f)).toEqual({ available: false, reason: 'no-data' });
    clearMigrationMetricsCache();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await readMigrationProgress(source, 'team-a', 'vm-1', fakeFetch(() => new Response('{"status":"error","error":"bad query"}')).f)).toEqual({ available: false, reason: 'unreachable' });
    stderr.mockRestore();
  });
});

describe('figuresOf', () => {
  it('takes the node furthest along when several report, and ignores what is not a byte count', () => {
    const s = (name: string, node: string, value: number) => ({ name, labels: { namespace: 'n', name: 'v', node }, value });
    expect(
      figuresOf(
        [
          s('kubevirt_vmi_migration_data_processed_bytes', 'a', 10),
          s('kubevirt_vmi_migration_data_remaining_bytes', 'a', 5),
          s('kubevirt_vmi_migration_data_processed_bytes', 'b', 20),
          s('kubevirt_vmi_migration_data_remaining_bytes', 'b', 1),
          s('kubevirt_vmi_migration_data_processed_bytes', 'c', NaN),
          s('kubevirt_vmi_migration_data_remaining_bytes', 'c', -1),
        ],
        'n',
        'v',
      ),
    ).toEqual({ available: true, processedBytes: 20, remainingBytes: 1 });
    expect(figuresOf([s('kubevirt_vmi_migration_data_processed_bytes', 'a', 10)], 'n', 'v')).toEqual({ available: false, reason: 'no-data' });
  });
});
