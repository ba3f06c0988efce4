import { describe, expect, it, vi } from 'vitest';
import { stripManagedFields, trimObject } from './trim';

vi.mock('server-only', () => ({}));

// managedFields as the API server writes them: fieldsV1 keys hold escaped quotes, braces and brackets.
const managed = [
  { manager: 'kubectl-create', operation: 'Update', apiVersion: 'kubevirt.io/v1', fieldsType: 'FieldsV1',
    fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:networks': { 'k:{"name":"default"}': { '.': {}, 'f:pod': {} } } } } } } },
  { manager: 'odd "manager" ]}', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:a]': {} } } } },
];

const vm = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name, namespace: 'team-a', annotations: { note: 'a "managedFields": [ value in a string' }, managedFields: managed, ...extra },
  spec: { runStrategy: 'Halted' },
});

const strip = (o: unknown) => JSON.parse(stripManagedFields(Buffer.from(JSON.stringify(o))).toString());

describe('stripManagedFields', () => {
  it('gives what trimObject gives, item by item, for a whole list', () => {
    const list = { apiVersion: 'kubevirt.io/v1', items: [vm('a'), vm('b'), vm('c')], kind: 'VirtualMachineList', metadata: { resourceVersion: '42' } };
    expect(strip(list)).toEqual({ ...list, items: list.items.map(trimObject) });
  });

  it('handles managedFields as the first key, alone, or with spaces, and leaves a list without it as it is', () => {
    expect(strip({ metadata: { managedFields: managed, name: 'x' } })).toEqual({ metadata: { name: 'x' } });
    expect(strip({ metadata: { managedFields: managed } })).toEqual({ metadata: {} });
    expect(JSON.parse(stripManagedFields(Buffer.from('{"metadata":{"name":"x","managedFields": [{"a":"]"}]}}')).toString())).toEqual({ metadata: { name: 'x' } });
    const plain = Buffer.from(JSON.stringify({ items: [], metadata: { resourceVersion: '1' } }));
    expect(stripManagedFields(plain)).toBe(plain);
  });

  it('leaves a managedFields that is not a list or object, and a key that only ends in the name', () => {
    const o = { metadata: { name: 'x', managedFields: null }, spec: { a: 1 } };
    expect(strip(o)).toEqual(o);
    const escaped = { metadata: { name: 'x', annotations: { 'a\\"managedFields': '[' } }, spec: { a: 1 } };
    expect(strip(escaped)).toEqual(escaped);
    const spaced = Buffer.from('{"metadata":{"name":"x","managedFields":\n\t[{"a":1}]},"spec":{}}');
    expect(JSON.parse(stripManagedFields(spaced).toString())).toEqual({ metadata: { name: 'x' }, spec: {} });
  });

  it('keeps escaped text that looks like the key', () => {
    const o = vm('a');
    expect(strip(o).metadata.annotations.note).toBe('a "managedFields": [ value in a string');
  });

  it('refuses a truncated body rather than passing on broken JSON', () => {
    expect(() => stripManagedFields(Buffer.from('{"metadata":{"name":"x","managedFields":[{"a":1}'))).toThrow('unterminated JSON value');
  });
});
