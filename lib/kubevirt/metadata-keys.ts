import type { MessageKey } from '../i18n/locales';

// Kubernetes' own rules for label and annotation keys and values (k8s.io/apimachinery validation: IsQualifiedName,
// IsValidLabelValue, ValidateAnnotationsSize), checked in the form and again by the route, so a bad key is refused
// with a sentence that says what is wrong instead of the API server's 422.

// The name part of a key, and a label value: alphanumeric at both ends, '-', '_' and '.' inside.
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const MAX_NAME = 63;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_PREFIX = 253;
/** ValidateAnnotationsSize: keys and values together, in bytes. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

export type MetadataProblem = Extract<MessageKey, `edit.error.key.${string}` | `edit.error.value.${string}` | `edit.error.annotations.${string}`>;

function prefixOf(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

/**
 * Keys in KubeVirt's own domains (kubevirt.io/…, vm.kubevirt.io/…, instancetype.kubevirt.io/…) are KubeVirt's: its
 * controllers write and read them, so the portal shows them and never changes them.
 */
export function isManagedKey(key: string): boolean {
  const prefix = prefixOf(key);
  return prefix === 'kubevirt.io' || prefix.endsWith('.kubevirt.io');
}

/** IsQualifiedName: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
export function qualifiedNameProblem(key: string): MetadataProblem | undefined {
  if (key === '') return 'edit.error.key.required';
  const parts = key.split('/');
  if (parts.length > 2) return 'edit.error.key.slashes';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]!];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > MAX_PREFIX || !DNS1123_SUBDOMAIN.test(prefix))) return 'edit.error.key.prefix';
  if (!name || name.length > MAX_NAME || !NAME.test(name)) return 'edit.error.key.name';
  return undefined;
}

export function labelKeyProblem(key: string): MetadataProblem | undefined {
  return qualifiedNameProblem(key) ?? (isManagedKey(key) ? 'edit.error.key.managed' : undefined);
}

// ValidateAnnotations checks the lower-cased key: an annotation's prefix may carry capitals, a label's may not.
export function annotationKeyProblem(key: string): MetadataProblem | undefined {
  return qualifiedNameProblem(key.toLowerCase()) ?? (isManagedKey(key) ? 'edit.error.key.managed' : undefined);
}

export function labelValueProblem(value: string): MetadataProblem | undefined {
  return value.length > MAX_NAME || (value !== '' && !NAME.test(value)) ? 'edit.error.value.label' : undefined;
}

const utf8 = new TextEncoder();

/** The size the API server counts: every key and value, in UTF-8 bytes. */
export function annotationsBytes(annotations: Record<string, string>): number {
  let n = 0;
  for (const [k, v] of Object.entries(annotations)) n += utf8.encode(k).length + utf8.encode(v).length;
  return n;
}

export interface KeyedProblem {
  /** The key the problem is about; '' for the map as a whole. */
  key: string;
  part: 'key' | 'value' | 'map';
  problem: MetadataProblem;
}

/**
 * Every problem of a map of labels or annotations the user wants (KubeVirt's own keys are refused here). `kept`: the
 * entries that stay beside it (KubeVirt's own), which count towards the annotations' size too.
 */
export function metadataProblems(which: 'labels' | 'annotations', map: Record<string, string>, kept: Record<string, string> = {}): KeyedProblem[] {
  const out: KeyedProblem[] = [];
  for (const [k, v] of Object.entries(map)) {
    const kp = which === 'labels' ? labelKeyProblem(k) : annotationKeyProblem(k);
    if (kp) out.push({ key: k, part: 'key', problem: kp });
    const vp = which === 'labels' ? labelValueProblem(v) : undefined;
    if (vp) out.push({ key: k, part: 'value', problem: vp });
  }
  if (which === 'annotations' && annotationsBytes(map) + annotationsBytes(kept) > MAX_ANNOTATIONS_BYTES) out.push({ key: '', part: 'map', problem: 'edit.error.annotations.tooLarge' });
  return out;
}
