import 'server-only';
import { z } from 'zod';
import { namespaceName, objectName } from '../shared/names';

// Path segments name Kubernetes objects, so they are held to Kubernetes' own name rules (lib/shared/names.ts)
// before anything uses them.

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
