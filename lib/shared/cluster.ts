import { z } from 'zod';

// GET /api/admin/cluster: the nodes with what they offer and what is asked of them, checked with zod in the browser.
// Amounts are plain numbers: millicores, bytes, pods.

export const MAX_CLUSTER_PODS = 20_000;

const amounts = z.object({ cpuMillis: z.number(), memory: z.number(), pods: z.number() });

export const clusterNode = z.object({
  name: z.string(),
  roles: z.array(z.string()),
  ready: z.boolean(),
  unschedulable: z.boolean(),
  kubevirtSchedulable: z.boolean().optional(),
  taints: z.array(z.string()),
  // Conditions that stand in the way: Ready not True, or a pressure or unavailability condition True.
  problems: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() })),
  allocatable: amounts,
  // Absent when the user may not list pods cluster-wide.
  requested: amounts.optional(),
});
export type ClusterNode = z.infer<typeof clusterNode>;
export type Amounts = z.infer<typeof amounts>;

export const clusterResponse = z.object({
  nodes: z.array(clusterNode),
  // counted: every running or pending pod with a node was summed; forbidden: the user may not list pods everywhere.
  pods: z.enum(['counted', 'forbidden']),
  // More nodes or pods than the portal reads at once: the figures cover the first ones only.
  truncated: z.boolean().optional(),
});
export type ClusterResponse = z.infer<typeof clusterResponse>;
