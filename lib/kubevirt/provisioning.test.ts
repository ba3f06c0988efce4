import { describe, expect, it } from 'vitest';
import { diskProvisioning, isProvisioning, percentOf } from './provisioning';
import type { VirtualMachine } from './types';

const vm = {
  metadata: { name: 'web', namespace: 'team-a' },
  spec: {
    dataVolumeTemplates: [
      { metadata: { name: 'web-rootdisk' }, spec: { source: { http: { url: 'http://127.0.0.1:9/img' } } } },
      { metadata: { name: 'web-data' }, spec: { source: { blank: {} } } },
    ],
  },
} as unknown as VirtualMachine;

describe('disk provisioning', () => {
  it('reads CDI progress as a percentage', () => {
    expect(percentOf('42.50%')).toBe(42.5);
    expect(percentOf('N/A')).toBeUndefined();
    expect(percentOf(undefined)).toBeUndefined();
  });

  it('shows each template, waiting until its DataVolume exists', () => {
    const rows = diskProvisioning(vm, []);
    expect(rows.map((r) => [r.name, r.state, r.source])).toEqual([
      ['web-rootdisk', 'waiting', 'http://127.0.0.1:9/img'],
      ['web-data', 'waiting', 'blank'],
    ]);
    expect(isProvisioning(rows)).toBe(true);
  });

  it('follows an import in progress to success', () => {
    const importing = diskProvisioning(vm, [{ metadata: { name: 'web-rootdisk' }, status: { phase: 'ImportInProgress', progress: '12.00%' } }]);
    expect(importing[0]).toMatchObject({ state: 'inProgress', percent: 12, phase: 'ImportInProgress' });
    const done = diskProvisioning(vm, [
      { metadata: { name: 'web-rootdisk' }, status: { phase: 'Succeeded', progress: '100.0%' } },
      { metadata: { name: 'web-data' }, status: { phase: 'Succeeded', progress: 'N/A' } },
    ]);
    expect(done.map((d) => d.percent)).toEqual([100, 100]);
    expect(isProvisioning(done)).toBe(false);
  });

  it('says why an import failed', () => {
    const rows = diskProvisioning(vm, [
      { metadata: { name: 'web-rootdisk' }, status: { phase: 'Failed', conditions: [{ type: 'Running', status: 'False', reason: 'Error', message: 'GET http://127.0.0.1:9/img: 404' }] } },
    ]);
    expect(rows[0]).toMatchObject({ state: 'failed', message: 'GET http://127.0.0.1:9/img: 404' });
    expect(isProvisioning(rows)).toBe(true);
  });

  it('treats a retrying import with an Error condition as failed, as CDI reports it', () => {
    const rows = diskProvisioning(vm, [{ metadata: { name: 'web-rootdisk' }, status: { phase: 'ImportInProgress', conditions: [{ type: 'Running', status: 'False', reason: 'Error', message: 'unreachable' }] } }]);
    expect(rows[0]!.state).toBe('failed');
  });
});
