import { z } from 'zod';

// What the migration routes answer, checked with zod in the browser.
//
//   GET /api/migrations/nodes                          the nodes a migration may target, for the node picker
//                                                       (as the user: a 403 when they may not list nodes)
//   GET /api/migrations/progress?namespace=&name=      KubeVirt's transfer gauges for one VMI being migrated

export const MAX_NODES = 1000;

export const nodesResponse = z.object({
  nodes: z.array(
    z.object({
      name: z.string(),
      ready: z.boolean(),
      unschedulable: z.boolean(),
      kubevirtSchedulable: z.boolean().optional(),
      taints: z.array(z.string()),
    }),
  ),
  // More nodes than MAX_NODES: the first ones only.
  truncated: z.boolean().optional(),
});
export type NodesResponse = z.infer<typeof nodesResponse>;

// not-configured: no metrics source is set (PORTAL_PROMETHEUS_URL, PORTAL_MIGRATION_METRICS_URL); unreachable: the
// source did not answer or answered nonsense; no-data: it answered, with no figures for this VMI (not copying yet,
// or done).
export const PROGRESS_UNAVAILABLE = ['not-configured', 'unreachable', 'no-data'] as const;

export const progressResponse = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    processedBytes: z.number().nonnegative(),
    remainingBytes: z.number().nonnegative(),
    dirtyRateBytes: z.number().nonnegative().optional(),
  }),
  z.object({ available: z.literal(false), reason: z.enum(PROGRESS_UNAVAILABLE) }),
]);
export type ProgressResponse = z.infer<typeof progressResponse>;
