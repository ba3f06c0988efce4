import { describe, expect, it, vi } from 'vitest';
import { decodeSegment, vmPageParams, vmPathParams } from './path-params';

vi.mock('server-only', () => ({}));

describe('path segments', () => {
  it('a malformed percent-escape is no segment, not an exception', () => {
    expect(decodeSegment('%E0')).toBeUndefined();
    expect(decodeSegment('team%2Da')).toBe('team-a');
  });
  it('the VM page accepts Kubernetes names, encoded or not', () => {
    expect(vmPageParams({ namespace: 'team-a', name: 'vm-1.x' })).toEqual({ namespace: 'team-a', name: 'vm-1.x' });
    expect(vmPageParams({ namespace: 'team%2Da', name: 'vm' })).toEqual({ namespace: 'team-a', name: 'vm' });
  });
  it('the VM page refuses bad escapes and what cannot be a Kubernetes name', () => {
    expect(vmPageParams({ namespace: '%E0', name: 'x' })).toBeUndefined();
    expect(vmPageParams({ namespace: 'team-a', name: '%' })).toBeUndefined();
    expect(vmPageParams({ namespace: 'Team_A', name: 'x' })).toBeUndefined();
    expect(vmPageParams({ namespace: '..', name: 'x' })).toBeUndefined();
    expect(vmPageParams({ namespace: 'a'.repeat(64), name: 'x' })).toBeUndefined();
  });
  it('route path parameters follow the same rules', () => {
    expect(vmPathParams.safeParse({ namespace: 'team-a', name: 'a/b' }).success).toBe(false);
    expect(vmPathParams.safeParse({ namespace: '-a', name: 'b' }).success).toBe(false);
  });
});
