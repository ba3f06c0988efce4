import { stringify } from 'yaml';
import {
  LIMIT_FIELDS,
  PROJECT_ROLES,
  QUOTA_FIELDS,
  type PodSecurityLevel,
  type ProjectForm,
  type ProjectLimits,
  type ProjectMember,
  type ProjectNetwork,
  type ProjectPart,
  type ProjectQuota,
  type ProjectRole,
} from './project-form';

// The objects a project is made of, built from the admin's form: its Namespace (with the team and Pod Security
// labels), RoleBindings per role, a ResourceQuota, a LimitRange and NetworkPolicies. Pure, so the form shows and
// downloads exactly what the server applies. Every object but the Namespace carries the managed-by label: edits
// replace the portal's own objects of a part and never touch bindings, quotas or policies made by someone else.
// readProjectParts() is the way back, from the objects in a namespace to the edit forms.

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const PORTAL = 'kubevirt-portal';
// The label that makes a namespace a team's project (the sandbox's team namespaces carry it too).
export const TEAM_LABEL = 'portal.kubevirt.io/team';
export const PSS_ENFORCE = 'pod-security.kubernetes.io/enforce';

export const QUOTA_NAME = 'project-quota';
export const LIMITS_NAME = 'project-limits';
export const POLICY_NAMES = { isolate: 'portal-isolate', allowFrom: 'portal-allow-from-namespaces', dnsEgress: 'portal-allow-dns-egress' } as const;

const RBAC = 'rbac.authorization.k8s.io';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export interface RbacSubject {
  kind: string;
  name: string;
  apiGroup?: string;
  namespace?: string;
}

export interface RoleBindingObject extends KubeObject {
  roleRef: { apiGroup: string; kind: string; name: string };
  subjects?: RbacSubject[];
}

const managed = (namespace: string, name: string) => ({ name, namespace, labels: { [MANAGED_BY]: PORTAL } });

export function isManaged(o: { metadata?: { labels?: Record<string, string> } }): boolean {
  return o.metadata?.labels?.[MANAGED_BY] === PORTAL;
}

export function namespaceObject(name: string, level: PodSecurityLevel): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [TEAM_LABEL]: name, [PSS_ENFORCE]: level, [MANAGED_BY]: PORTAL } } };
}

// Each role is two ClusterRoles: KubeVirt's for VMs and the built-in one for everything else in the namespace (claims,
// secrets, services), as the sandbox's teams are bound. One RoleBinding per ClusterRole holds every member who has it.
export const ROLE_CLUSTER_ROLES: Record<ProjectRole, [string, string]> = {
  admin: ['kubevirt.io:admin', 'admin'],
  edit: ['kubevirt.io:edit', 'edit'],
  view: ['kubevirt.io:view', 'view'],
};
export const MIGRATE_CLUSTER_ROLE = 'kubevirt.io:migrate';

// Binding names as DNS labels ("kubevirt.io:admin" is not one), fixed per ClusterRole so an edit finds them again.
export function bindingName(clusterRole: string): string {
  return `portal-${clusterRole.replace(/^kubevirt\.io:/, 'kubevirt-')}`;
}

const subjectOf = (m: Pick<ProjectMember, 'kind' | 'name'>): RbacSubject => ({ kind: m.kind, apiGroup: RBAC, name: m.name });

export function roleBindings(namespace: string, members: ProjectMember[]): RoleBindingObject[] {
  const holders = new Map<string, ProjectMember[]>();
  const add = (role: string, m: ProjectMember) => holders.set(role, [...(holders.get(role) ?? []), m]);
  for (const m of members) {
    for (const role of ROLE_CLUSTER_ROLES[m.role]) add(role, m);
    if (m.migrate) add(MIGRATE_CLUSTER_ROLE, m);
  }
  const order = [...PROJECT_ROLES.flatMap((r) => ROLE_CLUSTER_ROLES[r]), MIGRATE_CLUSTER_ROLE];
  return order
    .filter((role) => holders.has(role))
    .map((role) => ({
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: managed(namespace, bindingName(role)),
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
      subjects: holders.get(role)!.map(subjectOf),
    }));
}

export function resourceQuota(namespace: string, q: ProjectQuota): KubeObject | undefined {
  const hard: Record<string, string> = {};
  for (const f of QUOTA_FIELDS) {
    const v = q[f.key];
    if (v !== undefined && v !== '') hard[f.resource] = String(v);
  }
  if (!Object.keys(hard).length) return undefined;
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: managed(namespace, QUOTA_NAME), spec: { hard } };
}

export function limitRange(namespace: string, l: ProjectLimits): KubeObject | undefined {
  const item: Record<string, Record<string, string>> = {};
  for (const f of LIMIT_FIELDS) {
    const v = l[f.key];
    if (v) item[f.section] = { ...item[f.section], [f.resource]: v };
  }
  if (!Object.keys(item).length) return undefined;
  // The API server keeps the order default, defaultRequest in what it returns; the same order here reads alike.
  const limit = { type: 'Container', ...(item.default ? { default: item.default } : {}), ...(item.defaultRequest ? { defaultRequest: item.defaultRequest } : {}) };
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: managed(namespace, LIMITS_NAME), spec: { limits: [limit] } };
}

const NS_NAME_LABEL = 'kubernetes.io/metadata.name';

export function networkPolicies(namespace: string, n: ProjectNetwork): KubeObject[] {
  const policy = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: managed(namespace, name), spec });
  const out: KubeObject[] = [];
  if (n.isolate) {
    // Every pod is selected for ingress, and only pods of this namespace are let in: other namespaces are denied.
    out.push(policy(POLICY_NAMES.isolate, { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] }));
    if (n.allowFrom.length) {
      out.push(
        policy(POLICY_NAMES.allowFrom, {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: NS_NAME_LABEL, operator: 'In', values: [...n.allowFrom] }] } }] }],
        }),
      );
    }
  }
  if (n.allowDnsEgress) {
    // A policy for Egress denies every egress it does not allow: DNS, and the namespace's own pods so VMs of the
    // project still reach each other.
    out.push(
      policy(POLICY_NAMES.dnsEgress, {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { [NS_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
          { to: [{ podSelector: {} }] },
        ],
      }),
    );
  }
  return out;
}

export interface ProjectManifests {
  namespace: KubeObject;
  // Namespaced objects, in the order they are created.
  objects: KubeObject[];
}

export function buildProjectManifests(form: ProjectForm): ProjectManifests {
  const ns = form.name;
  return {
    namespace: namespaceObject(ns, form.podSecurity),
    objects: [
      ...roleBindings(ns, form.members),
      ...[resourceQuota(ns, form.quota), limitRange(ns, form.limits)].filter((o): o is KubeObject => o !== undefined),
      ...networkPolicies(ns, form.network),
    ],
  };
}

export const manifestList = (m: ProjectManifests): KubeObject[] => [m.namespace, ...m.objects];

// Multi-document YAML in YAML 1.1, as kubectl reads it (see lib/kubevirt/create/builders.ts toYaml).
export function projectYaml(objects: KubeObject[]): string {
  return objects.map((o) => stringify(o, { version: '1.1', lineWidth: 0 })).join('---\n');
}

// The kinds a part owns, and the portal's desired objects of a part: what an edit applies.
export const PART_KINDS: Record<Exclude<ProjectPart, 'podSecurity'>, string> = {
  members: 'RoleBinding',
  quota: 'ResourceQuota',
  limits: 'LimitRange',
  network: 'NetworkPolicy',
};

export type PartValue =
  | { part: 'members'; members: ProjectMember[] }
  | { part: 'quota'; quota: ProjectQuota }
  | { part: 'limits'; limits: ProjectLimits }
  | { part: 'network'; network: ProjectNetwork };

export function partObjects(namespace: string, v: PartValue): KubeObject[] {
  switch (v.part) {
    case 'members':
      return roleBindings(namespace, v.members);
    case 'quota':
      return [resourceQuota(namespace, v.quota)].filter((o): o is KubeObject => o !== undefined);
    case 'limits':
      return [limitRange(namespace, v.limits)].filter((o): o is KubeObject => o !== undefined);
    case 'network':
      return networkPolicies(namespace, v.network);
  }
}

// Which existing objects of a kind belong to the portal's part: its labelled bindings and policies, and the quota and
// limit range of the fixed names (a quota someone else made stays theirs).
export function ownedByPart(part: keyof typeof PART_KINDS, o: KubeObject): boolean {
  if (!isManaged(o)) return false;
  if (part === 'quota') return o.metadata.name === QUOTA_NAME;
  if (part === 'limits') return o.metadata.name === LIMITS_NAME;
  return true;
}

// An object to compare or send: the fields the portal sets, without what the API server adds (uid, status...).
export function desiredShape(o: KubeObject): Record<string, unknown> {
  const { metadata, status: _status, ...rest } = o as KubeObject & { status?: unknown };
  return { ...rest, metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels } };
}

// The edit forms' values, read from what the namespace holds now (only the portal's own objects are editable).
export interface ProjectParts {
  members: ProjectMember[];
  quota: ProjectQuota;
  limits: ProjectLimits;
  podSecurity: PodSecurityLevel | undefined;
  network: ProjectNetwork;
}

const RANK: Record<ProjectRole, number> = { view: 0, edit: 1, admin: 2 };

export function membersFromBindings(bindings: RoleBindingObject[]): ProjectMember[] {
  const found = new Map<string, ProjectMember & { seen: boolean }>();
  const roleOf = (clusterRole: string): ProjectRole | undefined => PROJECT_ROLES.find((r) => ROLE_CLUSTER_ROLES[r].includes(clusterRole));
  for (const b of bindings) {
    if (!isManaged(b) || b.roleRef.kind !== 'ClusterRole') continue;
    const role = roleOf(b.roleRef.name);
    const migrate = b.roleRef.name === MIGRATE_CLUSTER_ROLE;
    if (!role && !migrate) continue;
    for (const s of b.subjects ?? []) {
      if (s.kind !== 'User' && s.kind !== 'Group') continue;
      const key = `${s.kind}/${s.name}`;
      const m = found.get(key) ?? { kind: s.kind, name: s.name, role: 'view' as ProjectRole, migrate: false, seen: false };
      if (role && (!m.seen || RANK[role] > RANK[m.role])) Object.assign(m, { role, seen: true });
      if (migrate) m.migrate = true;
      found.set(key, m);
    }
  }
  return [...found.values()].map(({ seen: _seen, ...m }) => m).sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

export function quotaFromObject(o: KubeObject | undefined): ProjectQuota {
  const hard = ((o?.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {}) as Record<string, string>;
  const q: Record<string, string | number> = {};
  for (const f of QUOTA_FIELDS) {
    const v = hard[f.resource];
    if (v === undefined) continue;
    q[f.key] = f.unit === 'count' && /^\d+$/.test(v) ? Number(v) : v;
  }
  return q as ProjectQuota;
}

export function limitsFromObject(o: KubeObject | undefined): ProjectLimits {
  const items = ((o?.spec as { limits?: { type?: string; default?: Record<string, string>; defaultRequest?: Record<string, string> }[] } | undefined)?.limits ?? []).filter(
    (l) => l.type === 'Container',
  );
  const l: Record<string, string> = {};
  for (const f of LIMIT_FIELDS) {
    const v = items[0]?.[f.section]?.[f.resource];
    if (v !== undefined) l[f.key] = v;
  }
  return l as ProjectLimits;
}

export function networkFromPolicies(policies: KubeObject[]): ProjectNetwork {
  const own = policies.filter(isManaged);
  const byName = (n: string) => own.find((p) => p.metadata.name === n);
  const allow = byName(POLICY_NAMES.allowFrom)?.spec as { ingress?: { from?: { namespaceSelector?: { matchExpressions?: { values?: string[] }[] } }[] }[] } | undefined;
  const allowFrom = allow?.ingress?.[0]?.from?.[0]?.namespaceSelector?.matchExpressions?.[0]?.values ?? [];
  const isolate = byName(POLICY_NAMES.isolate) !== undefined;
  return { isolate, allowFrom: isolate ? [...allowFrom] : [], allowDnsEgress: byName(POLICY_NAMES.dnsEgress) !== undefined };
}

export function podSecurityOf(ns: { metadata?: { labels?: Record<string, string> } } | undefined): PodSecurityLevel | undefined {
  const v = ns?.metadata?.labels?.[PSS_ENFORCE];
  return v === 'privileged' || v === 'baseline' || v === 'restricted' ? v : undefined;
}

export function readProjectParts(o: { namespace: KubeObject; bindings: RoleBindingObject[]; quotas: KubeObject[]; limitRanges: KubeObject[]; policies: KubeObject[] }): ProjectParts {
  return {
    members: membersFromBindings(o.bindings),
    quota: quotaFromObject(o.quotas.find((q) => ownedByPart('quota', q))),
    limits: limitsFromObject(o.limitRanges.find((l) => ownedByPart('limits', l))),
    podSecurity: podSecurityOf(o.namespace),
    network: networkFromPolicies(o.policies),
  };
}
