import { describe, expect, it } from 'vitest';
import { allocate, broadcast, netmask } from './ipam.ts';

describe('allocate', () => {
  it('host-local: skips the gateway (the first address by default) and what is in use', () => {
    const ipam = { type: 'host-local', subnet: '10.1.0.0/24' };
    expect(allocate(ipam, new Set())).toEqual({ ip: '10.1.0.2', prefix: 24, gateway: '10.1.0.1' });
    expect(allocate(ipam, new Set(['10.1.0.2', '10.1.0.3']))?.ip).toBe('10.1.0.4');
  });

  it('host-local: honours rangeStart/rangeEnd and the ranges form, and says when a range is exhausted', () => {
    expect(allocate({ type: 'host-local', subnet: '10.1.0.0/24', rangeStart: '10.1.0.50', rangeEnd: '10.1.0.51' }, new Set(['10.1.0.50']))?.ip).toBe('10.1.0.51');
    expect(() => allocate({ type: 'host-local', subnet: '10.1.0.0/24', rangeStart: '10.1.0.50', rangeEnd: '10.1.0.50' }, new Set(['10.1.0.50']))).toThrow(/exhausted/);
    expect(allocate({ type: 'host-local', ranges: [[{ subnet: '10.2.0.0/30' }], [{ subnet: '10.3.0.0/24', gateway: '10.3.0.254' }]] }, new Set(['10.2.0.2']))).toEqual({
      ip: '10.3.0.1', prefix: 24, gateway: '10.3.0.254',
    });
  });

  it('whereabouts: starts at the first host address, with range_start, exclusions and the a-b/len form', () => {
    expect(allocate({ type: 'whereabouts', range: '10.10.0.0/24' }, new Set())).toEqual({ ip: '10.10.0.1', prefix: 24 });
    expect(allocate({ type: 'whereabouts', range: '10.10.0.0/24', range_start: '10.10.0.100' }, new Set())?.ip).toBe('10.10.0.100');
    expect(allocate({ type: 'whereabouts', range: '10.10.0.0/24', exclude: ['10.10.0.0/29'] }, new Set())?.ip).toBe('10.10.0.8');
    expect(allocate({ type: 'whereabouts', range: '10.10.0.20-10.10.0.30/24' }, new Set(['10.10.0.20']))?.ip).toBe('10.10.0.21');
  });

  it('static gives its address; no IPAM or dhcp gives none; an unknown type is an error', () => {
    expect(allocate({ type: 'static', addresses: [{ address: '10.9.0.7/16', gateway: '10.9.0.1' }] }, new Set())).toEqual({ ip: '10.9.0.7', prefix: 16, gateway: '10.9.0.1' });
    expect(allocate(undefined, new Set())).toBeUndefined();
    expect(allocate({ type: 'dhcp' }, new Set())).toBeUndefined();
    expect(() => allocate({ type: 'calico-ipam' }, new Set())).toThrow('IPAM type calico-ipam is not supported by the sandbox');
    expect(() => allocate({ type: 'host-local', subnet: '10.1.0.0' }, new Set())).toThrow('bad IPv4 subnet 10.1.0.0');
  });
});

describe('netmask and broadcast', () => {
  it('derive from the prefix', () => {
    expect(netmask(24)).toBe('255.255.255.0');
    expect(netmask(20)).toBe('255.255.240.0');
    expect(broadcast('10.1.2.3', 24)).toBe('10.1.2.255');
    expect(broadcast('10.1.2.3', 16)).toBe('10.1.255.255');
  });
});
