import { describe, expect, it } from 'vitest';
import { createHref, parseCreateQuery } from './query';

describe('the wizard address', () => {
  it('reads a namespace and a VM to start from, ignoring what is not a name', () => {
    expect(parseCreateQuery({})).toEqual({});
    expect(parseCreateQuery({ namespace: 'team-a' })).toEqual({ namespace: 'team-a' });
    expect(parseCreateQuery({ namespace: ['a', 'b'] })).toEqual({});
    expect(parseCreateQuery({ namespace: 'Team_A' })).toEqual({});
    expect(parseCreateQuery({ from: 'team-a/web1' })).toEqual({ from: { namespace: 'team-a', name: 'web1' } });
    expect(parseCreateQuery({ from: 'team-a/../x' })).toEqual({});
    expect(parseCreateQuery({ from: 'web1' })).toEqual({});
    expect(parseCreateQuery({ from: '/web1' })).toEqual({});
    expect(parseCreateQuery({ from: 'team-a/' })).toEqual({});
  });
  it('builds it back', () => {
    expect(createHref()).toBe('/vms/create');
    expect(createHref({ namespace: 'team-a' })).toBe('/vms/create?namespace=team-a');
    expect(createHref({ from: { namespace: 'team-a', name: 'web1' } })).toBe('/vms/create?from=team-a%2Fweb1');
    expect(parseCreateQuery(Object.fromEntries(new URLSearchParams(createHref({ namespace: 'b', from: { namespace: 'a', name: 'v.1' } }).split('?')[1])))).toEqual({
      namespace: 'b',
      from: { namespace: 'a', name: 'v.1' },
    });
  });
});
