import { parseQuantity } from '../kubevirt/quantity';
import type { QuotaLine } from '../kubevirt/create/quota-impact';
import type { QuotaOption } from '../shared/create-api';
import { isManaged, POLICY_NAMES, type KubeObject, type ProjectParts, type RoleBindingObject } from './project-manifests';

// The admin area's view of projects, on the wire between /api/admin/projects and its pages, and the pure functions
// that make it from a namespace's objects: members and policies at a glance, usage against quota.

export interface MemberView {
  kind: string; // User, Group, ServiceAccount
  name: string;
  namespace?: string;
  // The ClusterRoles (or Roles) bound to the subject in the namespace.
  roles: string[];
  // Bound (also) by the portal's own bindings, so editable on the project's page.
  managed: boolean;
}

export type PolicyPreset = keyof typeof POLICY_NAMES;

export interface PolicyView {
  name: string;
  managed: boolean;
  preset?: PolicyPreset;
}

export interface ProjectSummary {
  name: string;
  phase: string; // Active, Terminating
  created?: string;
  // The pod-security.kubernetes.io/enforce label as it is; absent: the cluster's default level.
  podSecurity?: string;
  quotas: QuotaOption[];
  members: MemberView[];
  policies: PolicyView[];
  limitRanges: string[];
}

export interface BindingView {
  name: string;
  role: string;
  roleKind: string;
  subjects: { kind: string; name: string; namespace?: string }[];
  managed: boolean;
}

// What deleting the project takes with it, VMs and claims first.
export interface ProjectContents {
  vms: { name: string; status?: string }[];
  claims: { kind: 'PersistentVolumeClaim' | 'DataVolume'; name: string; size?: string }[];
}

export interface ProjectDetail extends ProjectSummary {
  parts: ProjectParts;
  bindings: BindingView[];
  contents: ProjectContents;
  // The portal's own objects as they are now (the Namespace first), for download.
  manifests: Record<string, unknown>[];
}

export interface ProjectsResponse {
  projects: ProjectSummary[];
}

// A DELETE's answer: one step of the deletion (lib/k8s/projects.ts deleteProjectStep).
export interface DeleteProjectResponse {
  // vms: VMs are still going (the namespace is deleted once they are gone); namespace: the namespace is being deleted.
  state: 'vms' | 'namespace';
  remainingVms: string[];
  // What this step asked the API server to delete.
  deleted: { vms: string[]; vmis: string[]; namespace: boolean };
}

export interface AdminAccessResponse {
  admin: boolean;
  // The first review that said no, for the "not allowed" page.
  denied?: { verb: string; resource: string; reason?: string };
}

export interface ProjectObjects {
  namespace: KubeObject & { status?: { phase?: string } };
  bindings: RoleBindingObject[];
  quotas: (KubeObject & { status?: { hard?: Record<string, string>; used?: Record<string, string> } })[];
  limitRanges: KubeObject[];
  policies: KubeObject[];
}

const presetOf = (name: string): PolicyPreset | undefined => (Object.keys(POLICY_NAMES) as PolicyPreset[]).find((k) => POLICY_NAMES[k] === name);

export function membersOf(bindings: RoleBindingObject[]): MemberView[] {
  const out = new Map<string, MemberView>();
  for (const b of bindings) {
    for (const s of b.subjects ?? []) {
      const key = `${s.kind}/${s.namespace ?? ''}/${s.name}`;
      const m = out.get(key) ?? { kind: s.kind, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}), roles: [], managed: false };
      if (!m.roles.includes(b.roleRef.name)) m.roles.push(b.roleRef.name);
      m.managed ||= isManaged(b);
      out.set(key, m);
    }
  }
  return [...out.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

export function summariseProject(o: ProjectObjects): ProjectSummary {
  const ns = o.namespace;
  return {
    name: ns.metadata.name,
    phase: ns.status?.phase ?? 'Active',
    ...(typeof ns.metadata.creationTimestamp === 'string' ? { created: ns.metadata.creationTimestamp } : {}),
    ...(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'] ? { podSecurity: ns.metadata.labels['pod-security.kubernetes.io/enforce'] } : {}),
    quotas: o.quotas.map((q) => ({ name: q.metadata.name, hard: q.status?.hard ?? ((q.spec as { hard?: Record<string, string> })?.hard ?? {}), used: q.status?.used ?? {} })),
    members: membersOf(o.bindings),
    policies: o.policies.map((p) => ({ name: p.metadata.name, managed: isManaged(p), ...(isManaged(p) && presetOf(p.metadata.name) ? { preset: presetOf(p.metadata.name) } : {}) })),
    limitRanges: o.limitRanges.map((l) => l.metadata.name),
  };
}

export function bindingsOf(bindings: RoleBindingObject[]): BindingView[] {
  return bindings.map((b) => ({
    name: b.metadata.name,
    role: b.roleRef.name,
    roleKind: b.roleRef.kind,
    subjects: (b.subjects ?? []).map((s) => ({ kind: s.kind, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) })),
    managed: isManaged(b),
  }));
}

// What the list shows against quota, in this order: VMs, CPU, memory, storage, claims.
const USAGE: { resource: string; unit: QuotaLine['unit'] }[] = [
  { resource: 'count/virtualmachines.kubevirt.io', unit: 'count' },
  { resource: 'requests.cpu', unit: 'cores' },
  { resource: 'cpu', unit: 'cores' },
  { resource: 'limits.cpu', unit: 'cores' },
  { resource: 'requests.memory', unit: 'bytes' },
  { resource: 'memory', unit: 'bytes' },
  { resource: 'limits.memory', unit: 'bytes' },
  { resource: 'requests.storage', unit: 'bytes' },
  { resource: 'persistentvolumeclaims', unit: 'count' },
];

// Usage against each quota's limits, as the create wizard's quota lines (nothing added): "fits" is false for a
// resource already at or over its limit, where nothing more of it can be created.
export function usageLines(quotas: QuotaOption[]): QuotaLine[] {
  const lines: QuotaLine[] = [];
  for (const { resource, unit } of USAGE) {
    for (const q of quotas) {
      const hard = parseQuantity(q.hard[resource]);
      if (hard === undefined) continue;
      const used = parseQuantity(q.used[resource]) ?? 0;
      lines.push({ quota: q.name, resource, adds: 0, used, hard, unit, fits: used < hard });
    }
  }
  return lines;
}

// The share of a line's limit in use, 0 to 1 (a limit of 0 is full as soon as anything is used, and full when not).
export function usedShare(line: Pick<QuotaLine, 'used' | 'hard'>): number {
  if (line.hard <= 0) return 1;
  return Math.min(1, Math.max(0, line.used / line.hard));
}

// A member's ClusterRoles in the project's words: the highest of admin, edit and view either role of the pair gives
// (kubevirt.io:edit, edit), whether they may migrate, and any other role as it is.
export function roleSummary(roles: string[]): { role?: 'admin' | 'edit' | 'view'; migrate: boolean; other: string[] } {
  const levels = ['admin', 'edit', 'view'] as const;
  const role = levels.find((r) => roles.includes(r) || roles.includes(`kubevirt.io:${r}`));
  const known = new Set([...levels, ...levels.map((r) => `kubevirt.io:${r}`), 'kubevirt.io:migrate']);
  return { ...(role ? { role } : {}), migrate: roles.includes('kubevirt.io:migrate'), other: roles.filter((r) => !known.has(r)) };
}
