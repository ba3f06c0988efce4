import { z } from 'zod';

// Path segments name Kubernetes objects, so they are held to Kubernetes' own name rules before anything uses
// them: a segment that is not a valid name cannot name anything, and is refused rather than sent upstream.

export const namespaceName = z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'not a valid namespace name');
export const objectName = z.string().max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'not a valid object name');

export const vmPathParams = z.object({ namespace: namespaceName, name: objectName });

// Next may hand a page its segments still percent-encoded; a malformed escape (/vms/%E0/x) is "no such page",
// not an exception.
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

// A page's namespace/name segments, decoded and valid, or undefined for "no such page".
export function vmPageParams(raw: { namespace: string; name: string }): z.output<typeof vmPathParams> | undefined {
  const namespace = decodeSegment(raw.namespace);
  const name = decodeSegment(raw.name);
  if (namespace === undefined || name === undefined) return undefined;
  const parsed = vmPathParams.safeParse({ namespace, name });
  return parsed.success ? parsed.data : undefined;
}
