import { describe, expect, it } from 'vitest';
import { apiPaths } from './api-paths';

describe('portal API paths', () => {
  it('puts a list query in the parameters the list route reads', () => {
    expect(apiPaths.list({ resource: 'virtualmachines' })).toBe('/api/list?resource=virtualmachines');
    expect(apiPaths.list({ resource: 'events', namespaces: ['team-a', 'team-b'], fieldSelector: 'involvedObject.name=vm-1' })).toBe(
      '/api/list?resource=events&namespace=team-a&namespace=team-b&fieldSelector=involvedObject.name%3Dvm-1',
    );
  });

  it('encodes path segments, so a name cannot add a segment', () => {
    expect(apiPaths.vmAction('team-a', 'my vm', 'start')).toBe('/api/vms/team-a/my%20vm/actions/start');
    expect(apiPaths.vmAction('team-a', '../../x', 'start')).toBe('/api/vms/team-a/..%2F..%2Fx/actions/start');
  });
});
