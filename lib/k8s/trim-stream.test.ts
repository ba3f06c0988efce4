import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { stripManagedFields } from './trim';
import { ManagedFieldsStripper } from './trim-stream';

vi.mock('server-only', () => ({}));

// managedFields as the API server writes them: fieldsV1 keys hold escaped quotes, braces and brackets.
const managed = [
  { manager: 'kubectl-create', operation: 'Update', fieldsV1: { 'f:spec': { 'k:{"name":"default"}': { '.': {}, 'f:pod': {} } } } },
  { manager: 'odd "manager" ]}\\', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:a]': {} } } } },
];

const vm = (name: string, first: boolean) => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: first
    ? { managedFields: managed, name, annotations: { note: 'a ,"managedFields":[ in a string' } }
    : { name, annotations: { note: 'a ,"managedFields":[ in a string' }, managedFields: managed },
  spec: { runStrategy: 'Halted' },
});

const list = (n: number) =>
  Buffer.from(`${JSON.stringify({ kind: 'VirtualMachineList', metadata: { resourceVersion: '42' }, items: Array.from({ length: n }, (_, i) => vm(`vm-${i}`, i % 2 === 0)) })}\n`);

/** `body` cut at `cuts`, through one stripper. */
function streamed(body: Buffer, cuts: number[]): Buffer {
  const s = new ManagedFieldsStripper();
  const out: Buffer[] = [];
  let from = 0;
  for (const at of [...new Set(cuts)].sort((a, b) => a - b)) {
    out.push(...s.push(body.subarray(from, at)));
    from = at;
  }
  out.push(...s.push(body.subarray(from)), ...s.end());
  return Buffer.concat(out);
}

describe('ManagedFieldsStripper', () => {
  it('gives what stripManagedFields gives for the whole body, whatever the chunk boundaries', () => {
    const body = list(4);
    const whole = stripManagedFields(body);
    expect(JSON.parse(whole.toString()).items.every((o: { metadata: object }) => !('managedFields' in o.metadata))).toBe(true);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: body.length }), { maxLength: 40 }), (cuts) => {
        expect(streamed(body, cuts).equals(whole)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same for one byte at a time', () => {
    const body = list(3);
    expect(streamed(body, Array.from({ length: body.length }, (_, i) => i)).equals(stripManagedFields(body))).toBe(true);
  });

  it('passes a body without managedFields through unchanged', () => {
    const body = Buffer.from('{"items":[{"metadata":{"name":"a","managedFieldsX":[1]}}],"managedFields":null}');
    expect(streamed(body, [5, 20, 21, 60]).equals(body)).toBe(true);
  });

  it('refuses a body that ends inside a managedFields value', () => {
    const body = list(1);
    const s = new ManagedFieldsStripper();
    s.push(body.subarray(0, body.indexOf('"f:spec"')));
    expect(() => s.end()).toThrow(/ended inside/);
  });
});
