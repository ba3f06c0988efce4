import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { projectForm, projectPatch, refusesVms, type ProjectFormInput } from './project-form';
import {
  buildProjectManifests,
  limitsFromObject,
  manifestList,
  membersFromBindings,
  networkFromPolicies,
  ownedByPart,
  partObjects,
  projectYaml,
  quotaFromObject,
  readProjectParts,
  type KubeObject,
  type RoleBindingObject,
} from './project-manifests';

const form = (over: Partial<ProjectFormInput> = {}) =>
  projectForm.parse({
    name: 'team-c',
    members: [
      { kind: 'User', name: 'dev-b', role: 'edit' },
      { kind: 'Group', name: 'team-c-admins', role: 'admin', migrate: true },
      { kind: 'Group', name: 'viewers', role: 'view' },
    ],
    quota: { requestsCpu: '8', requestsMemory: '16Gi', limitsCpu: '16', limitsMemory: '32Gi', requestsStorage: '100Gi', persistentVolumeClaims: 10, virtualMachines: 2 },
    limits: { defaultCpu: '2', defaultMemory: '4Gi', defaultRequestCpu: '100m', defaultRequestMemory: '256Mi' },
    podSecurity: 'privileged',
    network: { isolate: true, allowFrom: ['monitoring'], allowDnsEgress: true },
    ...over,
  });

const kindName = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

describe('project manifests', () => {
  it('a full form: the Namespace, bindings per ClusterRole, quota, limits and three policies, in creation order', () => {
    const m = buildProjectManifests(form());
    expect(m.namespace).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-c', labels: { 'portal.kubevirt.io/team': 'team-c', 'pod-security.kubernetes.io/enforce': 'privileged', 'app.kubernetes.io/managed-by': 'kubevirt-portal' } },
    });
    expect(m.objects.map(kindName)).toEqual([
      'RoleBinding/portal-kubevirt-admin',
      'RoleBinding/portal-admin',
      'RoleBinding/portal-kubevirt-edit',
      'RoleBinding/portal-edit',
      'RoleBinding/portal-kubevirt-view',
      'RoleBinding/portal-view',
      'RoleBinding/portal-kubevirt-migrate',
      'ResourceQuota/project-quota',
      'LimitRange/project-limits',
      'NetworkPolicy/portal-isolate',
      'NetworkPolicy/portal-allow-from-namespaces',
      'NetworkPolicy/portal-allow-dns-egress',
    ]);
    for (const o of m.objects) expect(o.metadata).toMatchObject({ namespace: 'team-c', labels: { 'app.kubernetes.io/managed-by': 'kubevirt-portal' } });
  });

  it('each role is KubeVirt\'s ClusterRole and the built-in one; migrate is its own binding', () => {
    const rb = (name: string) => buildProjectManifests(form()).objects.find((o) => o.metadata.name === name) as RoleBindingObject;
    expect(rb('portal-kubevirt-edit')).toMatchObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubevirt.io:edit' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'dev-b' }],
    });
    expect(rb('portal-edit').roleRef.name).toBe('edit');
    expect(rb('portal-kubevirt-migrate')).toMatchObject({ roleRef: { name: 'kubevirt.io:migrate' }, subjects: [{ kind: 'Group', name: 'team-c-admins' }] });
    expect(rb('portal-view').subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'viewers' }]);
  });

  it('the quota names the resources the issue lists; counts are strings', () => {
    const q = buildProjectManifests(form()).objects.find((o) => o.kind === 'ResourceQuota')!;
    expect(q.spec).toEqual({
      hard: {
        'requests.cpu': '8',
        'requests.memory': '16Gi',
        'limits.cpu': '16',
        'limits.memory': '32Gi',
        'requests.storage': '100Gi',
        persistentvolumeclaims: '10',
        'count/virtualmachines.kubevirt.io': '2',
      },
    });
  });

  it('the limit range gives containers default limits and requests', () => {
    const l = buildProjectManifests(form()).objects.find((o) => o.kind === 'LimitRange')!;
    expect(l.spec).toEqual({ limits: [{ type: 'Container', default: { cpu: '2', memory: '4Gi' }, defaultRequest: { cpu: '100m', memory: '256Mi' } }] });
  });

  it('isolation denies other namespaces and lets the chosen ones in; DNS egress also allows the namespace itself', () => {
    const byName = (n: string) => buildProjectManifests(form()).objects.find((o) => o.metadata.name === n)!;
    expect(byName('portal-isolate').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    expect(byName('portal-allow-from-namespaces').spec).toMatchObject({
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring'] }] } }] }],
    });
    const dns = byName('portal-allow-dns-egress').spec as { policyTypes: string[]; egress: { to: unknown[]; ports?: unknown[] }[] };
    expect(dns.policyTypes).toEqual(['Egress']);
    expect(dns.egress[0]!.ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
    expect(dns.egress[1]).toEqual({ to: [{ podSelector: {} }] });
  });

  it('an empty form is only the Namespace', () => {
    const m = buildProjectManifests(projectForm.parse({ name: 'team-d' }));
    expect(m.objects).toEqual([]);
    expect(m.namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  it('the YAML is every object as one multi-document file, which reads back the same', () => {
    const list = manifestList(buildProjectManifests(form()));
    const docs = parseAllDocuments(projectYaml(list)).map((d) => d.toJS());
    expect(docs).toEqual(JSON.parse(JSON.stringify(list)));
    expect(parse(projectYaml([list[0]!]))).toMatchObject({ kind: 'Namespace' });
  });

  it('reads its own objects back into the forms, and ignores everyone else\'s', () => {
    const f = form();
    const m = buildProjectManifests(f);
    const foreign: RoleBindingObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'team-a-edit', namespace: 'team-c' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'team-a' }],
    };
    const parts = readProjectParts({
      namespace: m.namespace,
      bindings: [...(m.objects.filter((o) => o.kind === 'RoleBinding') as RoleBindingObject[]), foreign],
      quotas: [...m.objects.filter((o) => o.kind === 'ResourceQuota'), { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'other' }, spec: { hard: { pods: '5' } } }],
      limitRanges: m.objects.filter((o) => o.kind === 'LimitRange'),
      policies: m.objects.filter((o) => o.kind === 'NetworkPolicy'),
    });
    const sorted = [...f.members].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    expect(parts).toEqual({ members: sorted, quota: f.quota, limits: f.limits, podSecurity: 'privileged', network: f.network });
  });

  it('a subject bound with two roles is read as the higher one', () => {
    const two = partObjects('ns', { part: 'members', members: [{ kind: 'User', name: 'u', role: 'view', migrate: false }] }) as RoleBindingObject[];
    const more = partObjects('ns', { part: 'members', members: [{ kind: 'User', name: 'u', role: 'admin', migrate: false }] }) as RoleBindingObject[];
    expect(membersFromBindings([...two, ...more])).toEqual([{ kind: 'User', name: 'u', role: 'admin', migrate: false }]);
  });

  it('reads nothing from absent objects', () => {
    expect(quotaFromObject(undefined)).toEqual({});
    expect(limitsFromObject(undefined)).toEqual({});
    expect(networkFromPolicies([])).toEqual({ isolate: false, allowFrom: [], allowDnsEgress: false });
  });

  it('a part owns only the portal\'s objects; the quota and limit range by their fixed names', () => {
    const own = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'project-quota', labels: { 'app.kubernetes.io/managed-by': 'kubevirt-portal' } } };
    expect(ownedByPart('quota', own)).toBe(true);
    expect(ownedByPart('quota', { ...own, metadata: { ...own.metadata, name: 'team-quota' } })).toBe(false);
    expect(ownedByPart('quota', { ...own, metadata: { name: 'project-quota' } })).toBe(false);
  });
});

describe('project form', () => {
  const issues = (input: unknown) => {
    const r = projectForm.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('refuses names Kubernetes would, and the cluster\'s own', () => {
    expect(issues({ name: 'Team_C' })).toEqual(['name: name.dns1123']);
    expect(issues({ name: '' })).toContain('name: name.required');
    expect(issues({ name: 'kube-team' })).toEqual(['name: name.reserved']);
    expect(issues({ name: 'default' })).toEqual(['name: name.reserved']);
  });

  it('refuses a member twice, an empty name, and spaces or control characters around it; e-mail names are fine', () => {
    const m = (name: string, kind = 'User') => ({ kind, name, role: 'edit' });
    expect(issues({ name: 'p', members: [m('dev-b'), m('dev-b')] })).toEqual(['members.1.name: member.duplicate']);
    expect(issues({ name: 'p', members: [m('dev-b'), m('dev-b', 'Group')] })).toEqual([]);
    expect(issues({ name: 'p', members: [m('')] })).toContain('members.0.name: member.required');
    expect(issues({ name: 'p', members: [m(' dev-b')] })).toEqual(['members.0.name: member.invalid']);
    expect(issues({ name: 'p', members: [m('dev\u0000b')] })).toEqual(['members.0.name: member.invalid']);
    expect(issues({ name: 'p', members: [m('dev-b@sandbox.test'), m('Team C', 'Group')] })).toEqual([]);
  });

  it('checks quantities and counts', () => {
    expect(issues({ name: 'p', quota: { requestsCpu: '500m', requestsMemory: '1.5Gi', virtualMachines: 0 } })).toEqual([]);
    expect(issues({ name: 'p', quota: { requestsCpu: 'lots', requestsMemory: '2 GB', virtualMachines: -1, persistentVolumeClaims: 1.5 } })).toEqual([
      'quota.requestsCpu: cpu.invalid',
      'quota.requestsMemory: size.invalid',
      'quota.persistentVolumeClaims: count.invalid',
      'quota.virtualMachines: count.invalid',
    ]);
  });

  it('a default request above its default limit is refused where it is typed', () => {
    expect(issues({ name: 'p', limits: { defaultCpu: '1', defaultRequestCpu: '1500m', defaultMemory: '1Gi', defaultRequestMemory: '2Gi' } })).toEqual([
      'limits.defaultRequestCpu: limits.requestAboveLimit',
      'limits.defaultRequestMemory: limits.requestAboveLimit',
    ]);
  });

  it('namespaces allowed in only beside isolation, each once', () => {
    expect(issues({ name: 'p', network: { isolate: false, allowFrom: ['team-a'] } })).toEqual(['network.allowFrom: network.allowWithoutIsolate']);
    expect(issues({ name: 'p', network: { isolate: true, allowFrom: ['team-a', 'team-a'] } })).toEqual(['network.allowFrom: network.duplicate']);
  });

  it('baseline and restricted refuse KubeVirt\'s launcher pods', () => {
    expect(refusesVms('privileged')).toBe(false);
    expect(refusesVms('baseline')).toBe(true);
    expect(refusesVms('restricted')).toBe(true);
  });

  it('an edit names one part, with that part\'s value', () => {
    expect(projectPatch.parse({ part: 'quota', quota: { virtualMachines: 3 } })).toEqual({ part: 'quota', quota: { virtualMachines: 3 }, dryRun: false });
    expect(projectPatch.safeParse({ part: 'quota', members: [] }).success).toBe(false);
    expect(projectPatch.safeParse({ part: 'owner', owner: 'x' }).success).toBe(false);
    expect(projectPatch.safeParse({ part: 'podSecurity', podSecurity: 'lax' }).success).toBe(false);
  });
});
