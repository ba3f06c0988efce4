import { z } from 'zod';

// POST /api/access: SelfSubjectAccessReviews asked for a menu in one round trip. The browser splits larger sets
// (lib/live/access-batch.ts); the server runs them a few at a time (lib/k8s/access.ts).

export const MAX_ACCESS_CHECKS = 200;

export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface AccessResult extends AccessCheck {
  allowed: boolean;
  reason?: string;
}

const attribute = z.string().max(253).regex(/^[a-z0-9.*-]*$/);

export const accessRequest = z.object({
  checks: z
    .array(
      z.object({
        verb: z.enum(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
        group: attribute,
        resource: attribute,
        subresource: attribute.optional(),
        namespace: attribute.optional(),
        name: attribute.optional(),
      }),
    )
    .max(MAX_ACCESS_CHECKS),
});

export const accessResponse = z.object({
  results: z.array(
    z.object({
      verb: z.string(),
      group: z.string(),
      resource: z.string(),
      subresource: z.string().optional(),
      namespace: z.string().optional(),
      allowed: z.boolean(),
      reason: z.string().optional(),
    }),
  ),
});
