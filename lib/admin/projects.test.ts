import { describe, expect, it } from 'vitest';
import { membersOf, summariseProject, usageLines, usedShare } from './projects';
import type { RoleBindingObject } from './project-manifests';

const rb = (name: string, role: string, subjects: RoleBindingObject['subjects'], managed = false): RoleBindingObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace: 'team-a', ...(managed ? { labels: { 'app.kubernetes.io/managed-by': 'kubevirt-portal' } } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects,
});

describe('projects at a glance', () => {
  it('members: one line per subject with every role bound to it, and whether the portal manages it', () => {
    const members = membersOf([
      rb('team-a-kubevirt-edit', 'kubevirt.io:edit', [{ kind: 'Group', name: 'team-a' }]),
      rb('team-a-edit', 'edit', [{ kind: 'Group', name: 'team-a' }]),
      rb('portal-view', 'view', [{ kind: 'User', name: 'viewer' }], true),
      rb('sa', 'view', [{ kind: 'ServiceAccount', name: 'default', namespace: 'team-a' }]),
    ]);
    expect(members).toEqual([
      { kind: 'Group', name: 'team-a', roles: ['kubevirt.io:edit', 'edit'], managed: false },
      { kind: 'ServiceAccount', name: 'default', namespace: 'team-a', roles: ['view'], managed: false },
      { kind: 'User', name: 'viewer', roles: ['view'], managed: true },
    ]);
  });

  it('a summary takes the quota\'s status, the PSS label, and names the portal\'s policy presets', () => {
    const s = summariseProject({
      namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } }, status: { phase: 'Active' } },
      bindings: [],
      quotas: [{ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'team-quota' }, spec: { hard: { pods: '9' } }, status: { hard: { pods: '10' }, used: { pods: '1' } } }],
      limitRanges: [{ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr' } }],
      policies: [
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'portal-isolate', labels: { 'app.kubernetes.io/managed-by': 'kubevirt-portal' } } },
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'portal-allow-dns-egress' } },
      ],
    });
    expect(s).toEqual({
      name: 'team-a',
      phase: 'Active',
      created: '2026-01-01T00:00:00Z',
      podSecurity: 'baseline',
      quotas: [{ name: 'team-quota', hard: { pods: '10' }, used: { pods: '1' } }],
      members: [],
      policies: [
        { name: 'portal-isolate', managed: true, preset: 'isolate' },
        { name: 'portal-allow-dns-egress', managed: false },
      ],
      limitRanges: ['lr'],
    });
  });

  it('usage: VMs, CPU, memory, storage and claims against each quota, full when nothing more fits', () => {
    const lines = usageLines([
      {
        name: 'team-quota',
        hard: { 'requests.cpu': '16', 'requests.memory': '32Gi', 'requests.storage': '500Gi', persistentvolumeclaims: '20', 'count/virtualmachines.kubevirt.io': '2', pods: '10' },
        used: { 'requests.cpu': '1500m', 'requests.memory': '1Gi', 'count/virtualmachines.kubevirt.io': '2' },
      },
    ]);
    expect(lines.map((l) => [l.resource, l.used, l.hard, l.unit, l.fits])).toEqual([
      ['count/virtualmachines.kubevirt.io', 2, 2, 'count', false],
      ['requests.cpu', 1.5, 16, 'cores', true],
      ['requests.memory', 1024 ** 3, 32 * 1024 ** 3, 'bytes', true],
      ['requests.storage', 0, 500 * 1024 ** 3, 'bytes', true],
      ['persistentvolumeclaims', 0, 20, 'count', true],
    ]);
    expect(usedShare(lines[1]!)).toBeCloseTo(1.5 / 16);
    expect(usedShare({ used: 3, hard: 2 })).toBe(1);
    expect(usedShare({ used: 0, hard: 0 })).toBe(1);
  });
});

describe('roleSummary', () => {
  it('names the highest project role, migrate, and any other role as it is', async () => {
    const { roleSummary } = await import('./projects');
    expect(roleSummary(['kubevirt.io:edit', 'edit'])).toEqual({ role: 'edit', migrate: false, other: [] });
    expect(roleSummary(['view', 'kubevirt.io:admin', 'kubevirt.io:migrate'])).toEqual({ role: 'admin', migrate: true, other: [] });
    expect(roleSummary(['custom-role'])).toEqual({ migrate: false, other: ['custom-role'] });
  });
});
