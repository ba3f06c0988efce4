import { describe, expect, it, vi } from 'vitest';
import { VM_ACTIONS } from '../kubevirt/actions';
import { resources } from '../shared/resources';
import { collectionPath, objectPath } from './api-paths';

vi.mock('server-only', () => ({}));

describe('Kubernetes API paths', () => {
  it('lists per namespace or cluster-wide, core and named groups', () => {
    expect(collectionPath(resources.virtualmachines, 'team-a')).toBe('/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines');
    expect(collectionPath(resources.virtualmachines, '')).toBe('/apis/kubevirt.io/v1/virtualmachines');
    expect(collectionPath(resources.events, 'team-a')).toBe('/api/v1/namespaces/team-a/events');
  });

  it('sends each VM action where KubeVirt serves it', () => {
    const vm = { namespace: 'team-a', name: 'my vm', uid: 'u-1' };
    const path = (id: keyof typeof VM_ACTIONS) => objectPath({ ...vm, ...VM_ACTIONS[id].request(vm) });
    expect(path('start')).toBe('/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachines/my%20vm/start');
    expect(path('forceStop')).toBe('/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachines/my%20vm/stop');
    expect(path('pause')).toBe('/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachineinstances/my%20vm/pause');
    expect(path('unpause')).toBe('/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachineinstances/my%20vm/unpause');
    expect(path('delete')).toBe('/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/my%20vm');
    expect(path('migrate')).toBe('/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachines/my%20vm/migrate');
    const cancel = VM_ACTIONS.cancelMigration.request(vm, { migration: { name: 'kubevirt-migrate-vm-abc' } });
    expect(objectPath({ ...cancel, namespace: vm.namespace, name: cancel.name! })).toBe('/apis/kubevirt.io/v1/namespaces/team-a/virtualmachineinstancemigrations/kubevirt-migrate-vm-abc');
  });

  it('encodes names, and knows no subresources outside KubeVirt', () => {
    expect(objectPath({ resource: 'virtualmachines', namespace: 'team-a', name: '../x' })).toBe('/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/..%2Fx');
    expect(() => objectPath({ resource: 'events', namespace: 'team-a', name: 'e', subresource: 'status' })).toThrow();
  });
});

describe('the admin area\'s paths', () => {
  it('reads namespaces cluster-wide and project objects in their namespace, names encoded', async () => {
    const { adminResources, namedPath } = await import('./api-paths');
    expect(collectionPath(adminResources.namespaces, '')).toBe('/api/v1/namespaces');
    expect(namedPath(adminResources.namespaces, 'ignored', 'team-c')).toBe('/api/v1/namespaces/team-c');
    expect(collectionPath(adminResources.rolebindings, 'team-c')).toBe('/apis/rbac.authorization.k8s.io/v1/namespaces/team-c/rolebindings');
    expect(namedPath(adminResources.networkpolicies, 'team-c', 'a/b')).toBe('/apis/networking.k8s.io/v1/namespaces/team-c/networkpolicies/a%2Fb');
    expect(collectionPath(adminResources.resourcequotas, '')).toBe('/api/v1/resourcequotas');
  });
});
