import { describe, expect, it } from 'vitest';
import { errorsUnder, flattenErrors } from './errors';

describe('flattenErrors', () => {
  it('lists nested, array and root errors by dotted path', () => {
    const input = { nodeName: 'INPUT' };
    const errors = {
      name: { type: 'custom', message: 'name.dns1123', ref: input },
      networks: {
        root: { type: 'custom', message: 'networks.podTwice' },
        1: { binding: { type: 'server', message: 'networks.sriovOnPod' } },
      },
      cloudInit: { sshKeys: [undefined, { type: 'custom', message: 'sshKey.format' }] },
      '': { type: 'custom', message: 'form.broken' },
    };
    expect(flattenErrors(errors)).toEqual([
      { path: 'name', message: 'name.dns1123', type: 'custom' },
      { path: 'networks.1.binding', message: 'networks.sriovOnPod', type: 'server' },
      { path: 'networks', message: 'networks.podTwice', type: 'custom' },
      { path: 'cloudInit.sshKeys.1', message: 'sshKey.format', type: 'custom' },
      { path: '', message: 'form.broken', type: 'custom' },
    ]);
  });
  it('does not walk into DOM references or report a message twice', () => {
    const ref = { message: 'not an error', self: null as unknown };
    ref.self = ref;
    const errors = { name: { type: 'x', message: 'm', ref }, size: { root: { type: 'x', message: 'm' }, message: 'm', type: 'x' } };
    expect(flattenErrors(errors)).toEqual([
      { path: 'name', message: 'm', type: 'x' },
      { path: 'size', message: 'm', type: 'x' },
    ]);
    expect(flattenErrors(undefined)).toEqual([]);
  });
  it('selects the errors under a path', () => {
    const list = [
      { path: 'networks', message: 'a' },
      { path: 'networks.0.name', message: 'b' },
      { path: 'networksX', message: 'c' },
      { path: 'name', message: 'd' },
    ];
    expect(errorsUnder(list, 'networks').map((e) => e.message)).toEqual(['a', 'b']);
    expect(errorsUnder(list, 'networks.0').map((e) => e.message)).toEqual(['b']);
  });
});
