import 'server-only';
import type { KubeObject } from '../shared/kube-object';

// managedFields are large and useless to the UI; dropping them roughly halves what a VM list sends to the browser.
export function trimObject<T extends KubeObject>(o: T): T {
  if (!o.metadata || !('managedFields' in o.metadata)) return o;
  const { managedFields: _dropped, ...metadata } = o.metadata as Record<string, unknown>;
  return { ...o, metadata } as T;
}

const managedFieldsKey = Buffer.from('"managedFields":');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/** Index just past the JSON value (an array or object) that starts at `i`; strings are skipped whole. */
function endOfValue(b: Buffer, i: number): number {
  let depth = 0;
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (c === QUOTE) {
      for (i++; i < b.length && b[i] !== QUOTE; i++) if (b[i] === BACKSLASH) i++;
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      if (--depth === 0) return i + 1;
    }
  }
  throw new Error('unterminated JSON value');
}

/**
 * trimObject for a whole serialized list, without parsing it: parsing a 1,000-VM list and serializing it again
 * costs several times what the API server takes to send it, and the list route has a latency budget against the
 * raw list. Safe on the API server's JSON because an unescaped `"managedFields":` can only be an object key (quotes
 * inside strings are escaped), and on the resources the portal lists that key exists only in metadata.
 */
export function stripManagedFields(json: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = json.indexOf(managedFieldsKey); at >= 0; at = json.indexOf(managedFieldsKey, Math.max(at + 1, from))) {
    let start = at + managedFieldsKey.length;
    while ([0x20, 0x0a, 0x0d, 0x09].includes(json[start]!)) start++;
    // Only a key (after `{` or `,`) whose value is a list or object; anything else (null, the tail of an escaped
    // string) stays as it is.
    if ((json[at - 1] !== COMMA && json[at - 1] !== 0x7b) || (json[start] !== 0x5b && json[start] !== 0x7b)) continue;
    const end = endOfValue(json, start);
    if (json[at - 1] === COMMA) {
      // `,"managedFields":[…]` — the usual case: it is ObjectMeta's last field.
      parts.push(json.subarray(from, at - 1));
      from = end;
    } else {
      // `{"managedFields":[…],` — the first key: take the comma after it instead.
      parts.push(json.subarray(from, at));
      from = json[end] === COMMA ? end + 1 : end;
    }
  }
  if (from === 0) return json;
  parts.push(json.subarray(from));
  return Buffer.concat(parts);
}
