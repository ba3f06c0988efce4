// Small helpers shared by the admission rules and the instancetype expansion: field paths formatted the way
// k8s.io/apimachinery's field.Path prints them, StatusCauses, Kubernetes quantities and JSON plumbing.
import { parseMilliQuantity, parseQuantity } from '../../../lib/kubevirt/quantity.ts';

/** Loose JSON object: the rules read and write KubeVirt objects as plain JSON. */
export type Obj = Record<string, any>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const arr = <T = Obj>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** metav1.CauseType values the admitters use. */
export const CauseType = {
  invalid: 'FieldValueInvalid',
  required: 'FieldValueRequired',
  duplicate: 'FieldValueDuplicate',
  notSupported: 'FieldValueNotSupported',
  notFound: 'FieldValueNotFound',
  unexpectedServerResponse: 'UnexpectedServerResponse',
} as const;

/** A metav1.StatusCause. `type` is serialized as `reason` on the wire (see toWireCause). */
export interface StatusCause {
  type: string;
  message: string;
  field: string;
}

export const cause = (type: string, message: string, field = ''): StatusCause => ({ type, message, field });

/** The JSON form of a StatusCause (metav1.StatusCause: `reason`, `message`, `field`, all omitempty). */
export function toWireCause(c: StatusCause): { reason?: string; message?: string; field?: string } {
  return { ...(c.type ? { reason: c.type } : {}), ...(c.message ? { message: c.message } : {}), ...(c.field ? { field: c.field } : {}) };
}

/** k8s.io/apimachinery/pkg/util/validation/field.Path, as far as its String() goes. */
export class FieldPath {
  private constructor(private readonly text: string) {}
  static of(name: string, ...more: string[]): FieldPath {
    return new FieldPath([name, ...more].join('.'));
  }
  child(name: string, ...more: string[]): FieldPath {
    const tail = [name, ...more].join('.');
    return new FieldPath(this.text ? `${this.text}.${tail}` : tail);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  toString(): string {
    return this.text;
  }
}

/** Go's %q for the plain strings the admitters quote. */
export const goQuote = (s: string) => JSON.stringify(s);

// ---------------------------------------------------------------------------------------------------------------
// Quantities (k8s.io/apimachinery/pkg/api/resource)

const binarySuffix: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** resource.Quantity.Value(): rounded up to an integer. 0 when unset or malformed (as Requests.Memory() is). */
export const quantityInt = (q: unknown) => Math.ceil(parseQuantity(q) ?? 0);
/** resource.Quantity.MilliValue(). */
export const quantityMilli = (q: unknown) => Math.ceil(parseMilliQuantity(q) ?? 0);

/** Formats a byte count as BinarySI the way Quantity.String() does for whole multiples. */
export function formatBinary(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [suffix, mult] of Object.entries(binarySuffix).reverse()) {
    if (bytes % mult === 0) return `${bytes / mult}${suffix}`;
  }
  return String(bytes);
}

/** A quantity as Quantity.String() would print it: the original spelling for strings, canonical for numbers. */
export const quantityString = (q: unknown) => (typeof q === 'string' ? q : typeof q === 'number' ? String(q) : '0');

// ---------------------------------------------------------------------------------------------------------------
// Validation helpers from k8s.io/apimachinery/pkg/util/validation

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;

/** validation.IsDNS1123Label: the error strings, empty when valid. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!new RegExp(`^${dns1123LabelFmt}$`).test(value)) {
    errs.push(
      `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${dns1123LabelFmt}')`,
    );
  }
  return errs;
}

/** validation.IsDNS1123Subdomain. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!new RegExp(`^${dns1123SubdomainFmt}$`).test(value)) {
    errs.push(
      `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${dns1123SubdomainFmt}')`,
    );
  }
  return errs;
}

/** validation.IsValidPortName (IANA_SVC_NAME): true when valid. */
export function isValidPortName(port: string): boolean {
  return (
    port.length >= 1 &&
    port.length <= 15 &&
    /^[-a-z0-9]+$/.test(port) &&
    /[a-z]/.test(port) &&
    !port.includes('--') &&
    !port.startsWith('-') &&
    !port.endsWith('-')
  );
}

/** net.ParseMAC: 6, 8 or 20 octets separated by ':' or '-', or dot-separated groups of four hex digits. */
export function parseMacLength(mac: string): number | undefined {
  if (/^([0-9A-Fa-f]{2}[:-])+[0-9A-Fa-f]{2}$/.test(mac)) {
    const sep = mac[2];
    const parts = mac.split(sep ?? ':');
    if (mac.includes(sep === ':' ? '-' : ':')) return undefined;
    return [6, 8, 20].includes(parts.length) ? parts.length : undefined;
  }
  if (/^([0-9A-Fa-f]{4}\.)+[0-9A-Fa-f]{4}$/.test(mac)) {
    const n = mac.split('.').length * 2;
    return [6, 8, 20].includes(n) ? n : undefined;
  }
  return undefined;
}

/** hardware.ParsePciAddress: "dddd:bb:ss.f" (hex). */
export const isPciAddress = (s: string) => /^[\da-fA-F]{4}:[\da-fA-F]{2}:[\da-fA-F]{2}\.[0-7]$/.test(s);

/** net.ParseIP(ip).To4() != nil */
export function isIPv4(ip: string): boolean {
  const parts = ip.split('.');
  if (parts.length === 4) return parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
  // IPv4-mapped IPv6 addresses also convert to 4 bytes.
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return !!m && isIPv4(m[1] ?? '');
}
