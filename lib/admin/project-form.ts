import { z } from 'zod';
import { parseMilliQuantity, parseQuantity } from '../kubevirt/quantity';
import { sizeQuantity } from '../kubevirt/create/form';
import { namespaceName } from '../shared/names';

// The admin's model of a project (a team namespace): what the admin chooses, not the objects it becomes
// (project-manifests.ts makes those). The same schemas check the create form and each edit form in the browser and
// the bodies of /api/admin/projects on the server. Messages are keys, shown through admin.error.<key>.

export const PROJECT_ROLES = ['admin', 'edit', 'view'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];
export const SUBJECT_KINDS = ['User', 'Group'] as const;
export const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

// KubeVirt's launcher pods carry an SELinux type of their own (virt_launcher.process) and run as a fixed user with
// NET_BIND_SERVICE: the baseline and restricted levels refuse them, so a VM in such a namespace never starts.
export function refusesVms(level: PodSecurityLevel): boolean {
  return level !== 'privileged';
}

// A new namespace's name: Kubernetes' rules, and none of the names the cluster keeps for itself.
export const projectName = z
  .string()
  .min(1, 'name.required')
  .max(63, 'name.tooLong')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'name.dns1123')
  .refine((n) => !/^kube-/.test(n) && !['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(n), 'name.reserved');

// To Kubernetes an RBAC subject's name is any text (an OIDC user may be an e-mail address, a group may have spaces
// inside); only what no identity provider issues is refused: nothing, control characters, spaces at either end.
const subjectName = z
  .string()
  .min(1, 'member.required')
  .max(253, 'member.tooLong')
  .regex(/^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u, 'member.invalid');

export const member = z.object({
  kind: z.enum(SUBJECT_KINDS),
  name: subjectName,
  role: z.enum(PROJECT_ROLES),
  // kubevirt.io:migrate is aggregated into no role since KubeVirt 1.5: live migration is granted on its own.
  migrate: z.boolean().default(false),
});
export type ProjectMember = z.output<typeof member>;

export const members = z
  .array(member)
  .max(100)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((m, i) => {
      const key = `${m.kind}/${m.name}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'member.duplicate' });
      seen.add(key);
    });
  });

// CPU as Kubernetes writes it: cores ("4", "0.5") or millicores ("500m").
export const cpuQuantity = z.string().regex(/^(\d+(\.\d{1,3})?|\d+m)$/, 'cpu.invalid');
const count = z.number({ error: 'count.invalid' }).int('count.invalid').min(0, 'count.invalid').max(1_000_000, 'count.invalid');

// Each quota field and the ResourceQuota resource it sets; empty: not limited.
export const QUOTA_FIELDS = [
  { key: 'requestsCpu', resource: 'requests.cpu', unit: 'cores' },
  { key: 'requestsMemory', resource: 'requests.memory', unit: 'bytes' },
  { key: 'limitsCpu', resource: 'limits.cpu', unit: 'cores' },
  { key: 'limitsMemory', resource: 'limits.memory', unit: 'bytes' },
  { key: 'requestsStorage', resource: 'requests.storage', unit: 'bytes' },
  { key: 'persistentVolumeClaims', resource: 'persistentvolumeclaims', unit: 'count' },
  { key: 'virtualMachines', resource: 'count/virtualmachines.kubevirt.io', unit: 'count' },
] as const;
export type QuotaKey = (typeof QUOTA_FIELDS)[number]['key'];

export const quota = z.object({
  requestsCpu: cpuQuantity.optional(),
  requestsMemory: sizeQuantity.optional(),
  limitsCpu: cpuQuantity.optional(),
  limitsMemory: sizeQuantity.optional(),
  requestsStorage: sizeQuantity.optional(),
  persistentVolumeClaims: count.optional(),
  virtualMachines: count.optional(),
});
export type ProjectQuota = z.output<typeof quota>;

// A LimitRange for containers: what a container that says nothing is given. KubeVirt's launcher pods set their own
// requests, so for VMs mostly the default limits matter (see the form's hint).
export const LIMIT_FIELDS = [
  { key: 'defaultRequestCpu', section: 'defaultRequest', resource: 'cpu', unit: 'cores' },
  { key: 'defaultRequestMemory', section: 'defaultRequest', resource: 'memory', unit: 'bytes' },
  { key: 'defaultCpu', section: 'default', resource: 'cpu', unit: 'cores' },
  { key: 'defaultMemory', section: 'default', resource: 'memory', unit: 'bytes' },
] as const;
export type LimitKey = (typeof LIMIT_FIELDS)[number]['key'];

export const limits = z
  .object({
    defaultRequestCpu: cpuQuantity.optional(),
    defaultRequestMemory: sizeQuantity.optional(),
    defaultCpu: cpuQuantity.optional(),
    defaultMemory: sizeQuantity.optional(),
  })
  .superRefine((l, ctx) => {
    // The API server refuses a LimitRange whose default request is above its default limit.
    if (l.defaultRequestCpu && l.defaultCpu && (parseMilliQuantity(l.defaultRequestCpu) ?? 0) > (parseMilliQuantity(l.defaultCpu) ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['defaultRequestCpu'], message: 'limits.requestAboveLimit' });
    }
    if (l.defaultRequestMemory && l.defaultMemory && (parseQuantity(l.defaultRequestMemory) ?? 0) > (parseQuantity(l.defaultMemory) ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['defaultRequestMemory'], message: 'limits.requestAboveLimit' });
    }
  });
export type ProjectLimits = z.output<typeof limits>;

export const podSecurity = z.enum(POD_SECURITY_LEVELS);

export const network = z
  .object({
    // Deny ingress from other namespaces (the namespace's own pods still reach each other).
    isolate: z.boolean().default(false),
    // Namespaces still allowed in while isolated.
    allowFrom: z.array(namespaceName).max(50).default([]),
    // Egress limited to DNS and the namespace itself.
    allowDnsEgress: z.boolean().default(false),
  })
  .superRefine((n, ctx) => {
    // Policies only add what they allow: an allow list means something only beside the isolation it opens.
    if (n.allowFrom.length && !n.isolate) ctx.addIssue({ code: 'custom', path: ['allowFrom'], message: 'network.allowWithoutIsolate' });
    if (new Set(n.allowFrom).size !== n.allowFrom.length) ctx.addIssue({ code: 'custom', path: ['allowFrom'], message: 'network.duplicate' });
  });
export type ProjectNetwork = z.output<typeof network>;

export const projectForm = z.object({
  name: projectName,
  members: members.default([]),
  quota: quota.default({}),
  limits: limits.default({}),
  podSecurity: podSecurity.default('privileged'),
  network: network.default({ isolate: false, allowFrom: [], allowDnsEgress: false }),
});
export type ProjectForm = z.output<typeof projectForm>;
export type ProjectFormInput = z.input<typeof projectForm>;

// The parts of a project that can be edited on its page, one at a time.
export const PROJECT_PARTS = ['members', 'quota', 'limits', 'podSecurity', 'network'] as const;
export type ProjectPart = (typeof PROJECT_PARTS)[number];

// Each edit section's own form: the part under the same path as in the create form, so the fields are shared.
export const partForms = {
  members: z.object({ members }),
  quota: z.object({ quota }),
  limits: z.object({ limits }),
  podSecurity: z.object({ podSecurity }),
  network: z.object({ network }),
} as const satisfies Record<ProjectPart, z.ZodType>;

export const projectPatch = z.discriminatedUnion('part', [
  z.object({ part: z.literal('members'), members, dryRun: z.boolean().default(false) }),
  z.object({ part: z.literal('quota'), quota, dryRun: z.boolean().default(false) }),
  z.object({ part: z.literal('limits'), limits, dryRun: z.boolean().default(false) }),
  z.object({ part: z.literal('podSecurity'), podSecurity, dryRun: z.boolean().default(false) }),
  z.object({ part: z.literal('network'), network, dryRun: z.boolean().default(false) }),
]);
export type ProjectPatch = z.output<typeof projectPatch>;
export type ProjectPatchInput = z.input<typeof projectPatch>;

export const createProjectRequest = z.object({ form: projectForm, dryRun: z.boolean().default(false) });
export type CreateProjectRequest = z.input<typeof createProjectRequest>;

// Deleting a project is confirmed by typing its name; the server checks it too, so a stray request deletes nothing.
export const deleteProjectRequest = z.object({ confirm: namespaceName });

// A new project starts with the sandbox teams' quota, which fits a handful of small VMs.
export const emptyProjectForm = (): ProjectFormInput => ({
  name: '',
  members: [],
  quota: { requestsCpu: '16', requestsMemory: '32Gi', requestsStorage: '500Gi', persistentVolumeClaims: 20, virtualMachines: 20 },
  limits: {},
  podSecurity: 'privileged',
  network: { isolate: false, allowFrom: [], allowDnsEgress: false },
});
