import { summarizeNode } from '../kubevirt/migrations';
import { parseMilliQuantity, parseQuantity } from '../kubevirt/quantity';
import type { Amounts, ClusterNode } from '../shared/cluster';

// The cluster view's figures, from nodes and pods as the API server returns them: what each node can give
// (status.allocatable) and what the pods bound to it ask for, summed the way the scheduler sums them.

interface ResourceList {
  cpu?: string;
  memory?: string;
  [k: string]: string | undefined;
}

interface ContainerLike {
  resources?: { requests?: ResourceList };
  restartPolicy?: string;
}

export interface PodLike {
  spec?: { nodeName?: string; containers?: ContainerLike[]; initContainers?: ContainerLike[]; overhead?: ResourceList };
  status?: { phase?: string };
}

export interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean; taints?: { key?: string; effect?: string }[] };
  status?: { allocatable?: ResourceList; conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

type Req = { cpuMillis: number; memory: number };
const zero = (): Req => ({ cpuMillis: 0, memory: 0 });
const of = (r: ResourceList | undefined): Req => ({ cpuMillis: parseMilliQuantity(r?.cpu) ?? 0, memory: parseQuantity(r?.memory) ?? 0 });
const plus = (a: Req, b: Req): Req => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memory: a.memory + b.memory });
const max = (a: Req, b: Req): Req => ({ cpuMillis: Math.max(a.cpuMillis, b.cpuMillis), memory: Math.max(a.memory, b.memory) });

/**
 * A pod's effective request, as the scheduler counts it (k8s.io/component-helpers resource.PodRequests): its
 * containers and sidecars (restartable init containers) together, or its largest init step if that is more, plus
 * the RuntimeClass overhead.
 */
export function podRequests(pod: PodLike): Req {
  let sum = (pod.spec?.containers ?? []).reduce((s, c) => plus(s, of(c.resources?.requests)), zero());
  let sidecars = zero();
  let init = zero();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = of(c.resources?.requests);
    if (c.restartPolicy === 'Always') {
      sum = plus(sum, r);
      sidecars = plus(sidecars, r);
      init = max(init, sidecars);
    } else init = max(init, plus(r, sidecars));
  }
  return plus(max(sum, init), of(pod.spec?.overhead));
}

// A finished pod's requests are free again; the scheduler no longer counts them.
const holds = (p: PodLike) => Boolean(p.spec?.nodeName) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/** Requests summed per node name. */
export function requestsByNode(pods: readonly PodLike[]): Map<string, Amounts> {
  const out = new Map<string, Amounts>();
  for (const p of pods) {
    if (!holds(p)) continue;
    const node = p.spec!.nodeName!;
    const r = podRequests(p);
    const had = out.get(node) ?? { cpuMillis: 0, memory: 0, pods: 0 };
    out.set(node, { cpuMillis: had.cpuMillis + r.cpuMillis, memory: had.memory + r.memory, pods: had.pods + 1 });
  }
  return out;
}

const PRESSURE = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']);

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** One node's row; `requested` undefined when the pods could not be read. */
export function clusterNode(n: NodeLike, requested: Map<string, Amounts> | undefined): ClusterNode {
  const base = summarizeNode(n);
  const labels = n.metadata?.labels ?? {};
  const alloc = n.status?.allocatable;
  const problems = (n.status?.conditions ?? [])
    .filter((c) => (c.type === 'Ready' ? c.status !== 'True' : PRESSURE.has(c.type ?? '') && c.status === 'True'))
    .map((c) => ({ type: c.type ?? '', status: c.status ?? 'Unknown', ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) }));
  if (!(n.status?.conditions ?? []).some((c) => c.type === 'Ready')) problems.unshift({ type: 'Ready', status: 'Unknown' });
  return {
    ...base,
    roles: Object.keys(labels).filter((k) => k.startsWith(ROLE_PREFIX)).map((k) => k.slice(ROLE_PREFIX.length)).filter(Boolean).sort(),
    problems,
    allocatable: { cpuMillis: parseMilliQuantity(alloc?.cpu) ?? 0, memory: parseQuantity(alloc?.memory) ?? 0, pods: parseQuantity(alloc?.pods) ?? 0 },
    ...(requested ? { requested: requested.get(base.name) ?? { cpuMillis: 0, memory: 0, pods: 0 } } : {}),
  };
}

export type SchedulingBlock = 'notReady' | 'cordoned' | 'noVms' | 'noHandler';

/**
 * Why new VMs will not be placed on a node, in the order a person would fix them; empty: they may be. KubeVirt's
 * launcher pods select kubevirt.io/schedulable=true, so a node without the label (no virt-handler there) takes no VMs,
 * and one where virt-handler set it to false (it stopped reporting) takes none either.
 */
export function schedulingBlocks(n: Pick<ClusterNode, 'ready' | 'unschedulable' | 'kubevirtSchedulable'>): SchedulingBlock[] {
  const blocks: SchedulingBlock[] = [];
  if (!n.ready) blocks.push('notReady');
  if (n.unschedulable) blocks.push('cordoned');
  if (n.kubevirtSchedulable === false) blocks.push('noVms');
  if (n.kubevirtSchedulable === undefined) blocks.push('noHandler');
  return blocks;
}

/** used / total as a fraction for a bar, 0 when there is no total. */
export const share = (used: number, total: number) => (total > 0 ? used / total : 0);
