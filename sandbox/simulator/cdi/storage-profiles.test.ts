import { describe, expect, it } from 'vitest';
import { claimPropertySetsFor } from './storage-profiles.ts';

describe('StorageProfile claim property sets', () => {
  it('offers shared storage ReadWriteMany first, each with Filesystem and Block', () => {
    expect(claimPropertySetsFor('shared.csi.sandbox.kubevirt.io')).toEqual([
      { accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' },
      { accessModes: ['ReadWriteMany'], volumeMode: 'Block' },
      { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' },
      { accessModes: ['ReadWriteOnce'], volumeMode: 'Block' },
    ]);
  });
  it('offers node-local storage ReadWriteOnce only', () => {
    expect(claimPropertySetsFor('local.csi.sandbox.kubevirt.io').map((s) => s.accessModes[0])).toEqual(['ReadWriteOnce', 'ReadWriteOnce']);
  });
  it('leaves an unknown provisioner empty, as CDI does', () => {
    expect(claimPropertySetsFor('example.com/nfs')).toEqual([]);
  });
});
