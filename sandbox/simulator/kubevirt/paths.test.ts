import { describe, expect, it } from 'vitest';
import { vmPath, vmiPath } from './paths.ts';

describe('paths', () => {
  it('name an object, or the collection without a name', () => {
    expect(vmPath('ns', 'v')).toBe('/apis/kubevirt.io/v1/namespaces/ns/virtualmachines/v');
    expect(vmiPath('ns', 'v')).toBe('/apis/kubevirt.io/v1/namespaces/ns/virtualmachineinstances/v');
    expect(vmPath('ns')).toBe('/apis/kubevirt.io/v1/namespaces/ns/virtualmachines');
    expect(vmiPath('ns')).toBe('/apis/kubevirt.io/v1/namespaces/ns/virtualmachineinstances');
  });

  it('escape what a request URL can carry', () => {
    expect(vmPath('a/b', 'x?y')).toBe('/apis/kubevirt.io/v1/namespaces/a%2Fb/virtualmachines/x%3Fy');
  });
});
