import fc from 'fast-check';

// Hostile input for the portal's routes: path segments no Kubernetes name can be, and request bodies of the wrong
// shape, size, encoding or type, as fast-check arbitraries (so a run is reproducible from its seed).

// Kubernetes' rule for object and namespace names (lib/shared/names.ts holds the portal's copy).
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Whether a decoded segment could name a Kubernetes object; hostile segments never can. */
export function couldBeName(segment: string): boolean {
  return segment.length <= 253 && DNS_SUBDOMAIN.test(segment);
}

// Segments as they go on the wire: some already percent-encoded on purpose (traversal, NUL, double encoding, a
// broken escape), the rest encoded with encodeURIComponent by the caller.
export const RAW_SEGMENTS = ['..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2e', '%00', 'a%00b', '%252e%252e', '%2F', 'a%2Fb', '%5C..%5C', '%', '%zz', '%E0%A4%A', '%C0%AE%C0%AE', '%ff', '%EF%BF%BF'];

export const TEXT_SEGMENTS = [
  'a'.repeat(300),
  'x'.repeat(10_000),
  'TEAM-A',
  'Team-A',
  '-team-a',
  'team-a-',
  'team_a',
  'a b',
  ' ',
  'ünïcödé',
  'команда',
  '团队',
  '😀',
  'vm-😀',
  '\u202etxt.exe',
  'a\u0000b',
  '\u0000',
  'a\nb',
  "'; drop table vms; --",
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../etc/passwd',
  '..\\..\\windows',
  'a/b',
  '__proto__',
  'ℌ',
  'ａ',
];

// Names Kubernetes would take (so the route goes on to look them up, and finds nothing) that are traps for code
// that keys objects by name, or one past a namespace's 63 characters.
export const TRICKY_NAMES = ['null', 'undefined', 'constructor', 'hasownproperty', 'prototype', 'b'.repeat(64), '0', 'a..b', 'a.-b'];

/** More hostile segments from fast-check: any unicode text that is not a name. */
export const arbitrarySegment = fc
  .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), fc.string({ minLength: 254, maxLength: 400 }))
  .filter((s) => !couldBeName(s));

// The field names the portal's bodies use, so that generated objects look like requests and reach the fields'
// own checks instead of stopping at "unknown key".
const FIELD_NAMES = [
  'name', 'namespace', 'source', 'size', 'storageClass', 'claim', 'bus', 'snapshot', 'target', 'stopFirst', 'description',
  'failureDeadlineMinutes', 'uid', 'node', 'migration', 'checks', 'verb', 'resource', 'group', 'subresource', 'ops', 'op',
  'id', 'streamId', 'form', 'manifests', 'dryRun', 'nad', 'part', 'members', 'quota', 'limits', 'podSecurity', 'network',
  'confirm', 'binding', 'networkName', 'kind', 'metadata', 'spec', 'resourceVersion', 'labels', 'annotations', 'runStrategy',
  'cpu', 'memory', 'instancetype', 'vlan', 'cidr', 'range', 'type', 'sshKeys', 'userData', 'edits', 'sections',
];

const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...TEXT_SEGMENTS, '', '-1Gi', '1e999Ti', '99999999999999999999Gi', 'NaN', 'Infinity', '0x10', '1.5.5', '10Ki\u0000', '🙂Gi', 'pod', 'multus', 'blank', 'VirtualMachine'),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1, 0, -0.5, 1e308, -1e308, 2 ** 53 + 1, 2 ** 64, Number.MIN_VALUE));
const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const fieldKey = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) });

const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fieldKey, tie('v'), { maxKeys: 6 })),
})).v;

/** A request body as sent: its bytes and content type, and the JSON value it holds when it is JSON. */
export interface HostileBody {
  label: string;
  contentType: string;
  bytes: string | Buffer;
  json?: { value: unknown };
}

const asJson = (label: string, value: unknown, contentType = 'application/json'): HostileBody => ({ label, contentType, bytes: JSON.stringify(value) ?? 'null', json: { value } });

function nested(depth: number, open: string, close: string, inner = '1'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

export const MAX_BODY_BYTES = 1024 * 1024;

export const hostileBody: fc.Arbitrary<HostileBody> = fc.oneof(
  { weight: 10, arbitrary: hostileJson.map((v) => asJson('json', v)) },
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), hostileJson, { minKeys: 1, maxKeys: 8 }).map((v) => asJson('fields', v)) },
  { weight: 2, arbitrary: fc.tuple(hostileJson, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '')).map(([v, t]) => asJson('content-type', v, t)) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"form":', '}'])).map(([d, [o, c]]) => {
      // No value kept: no schema of the portal's takes this shape, and a value this deep overflows recursive code
      // (JSON.stringify among it), which is what this input is for.
      return { label: `nesting ${d}`, contentType: 'application/json', bytes: nested(d, o!, c!) };
    }),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4096 }).map((extra) => ({ label: 'oversize', contentType: 'application/json', bytes: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES + extra) }) })) },
  {
    weight: 3,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return s.trim() !== '';
      }
    }).map((s) => ({ label: 'not json', contentType: 'application/json', bytes: s })),
  },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ label: 'not utf-8', contentType: 'application/json', bytes: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from(b), Buffer.from('"}')]) })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('{"size":1e400}', '{"size":-1e400}', '{"failureDeadlineMinutes":123456789012345678901234567890}', '{"name":"a","name":"b"}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '[', '{"a":', '"\\ud800"', '{"name":"\\u0000"}').map((text) => {
      const body: HostileBody = { label: 'raw', contentType: 'application/json', bytes: text };
      try {
        body.json = { value: JSON.parse(text) };
      } catch {
        // not JSON: no value
      }
      return body;
    }),
  },
);
