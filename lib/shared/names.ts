import { z } from 'zod';

// Kubernetes' own name rules (DNS-1123), held to before a name reaches a path, a query or a subscription: a string
// that cannot be a name cannot name anything, and is refused rather than sent upstream.

export const namespaceName = z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'not a valid namespace name');
export const objectName = z.string().max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'not a valid object name');

// A node's name is a DNS-1123 subdomain too (kubernetes.io/hostname carries it), as a migration's target.
export const nodeName = z.string().max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'not a valid node name');
