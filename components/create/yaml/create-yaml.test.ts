import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { downloadFileName, serverProblems, takeDraft, templateName, vmOf, vmTemplate, YAML_DRAFT_KEY } from './create-yaml';
import { positionOf, toDiagnostic } from './diagnostics';
import { parseManifests } from '@/lib/kubevirt/yaml-manifests';

function storage(initial: Record<string, string>) {
  const items = new Map(Object.entries(initial));
  return { items, getItem: (k: string) => items.get(k) ?? null, removeItem: (k: string) => void items.delete(k) };
}

describe('vmTemplate', () => {
  it('is a valid VM in the chosen namespace, as the editor checks it', () => {
    const text = vmTemplate('team-a', templateName());
    const { objects, problems } = parseManifests(text, { namespace: 'team-a' });
    expect(problems).toEqual([]);
    expect(vmOf(objects)).toEqual({ name: expect.stringMatching(/^tinylinux-[a-z0-9]{5}$/), namespace: 'team-a' });
    expect(objects[0]).toMatchObject({
      spec: {
        runStrategy: 'Always',
        instancetype: { name: 'u1.nano' },
        template: { spec: { networks: [{ name: 'default', pod: {} }], volumes: [{ containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } }] } },
      },
    });
  });

  it('makes names from the random source', () => {
    expect(templateName(() => 0)).toBe('tinylinux-aaaaa');
    expect(templateName(() => 35)).toBe('tinylinux-99999');
  });
});

describe('takeDraft', () => {
  it('reads the wizard hand-over once', () => {
    const s = storage({ [YAML_DRAFT_KEY]: JSON.stringify({ namespace: 'team-a', yaml: 'kind: VirtualMachine\n' }) });
    expect(takeDraft(s)).toEqual({ namespace: 'team-a', yaml: 'kind: VirtualMachine\n' });
    expect(s.items.has(YAML_DRAFT_KEY)).toBe(false);
    expect(takeDraft(s)).toBeUndefined();
  });

  it('ignores (and removes) a hand-over it cannot use', () => {
    for (const raw of ['{', JSON.stringify({ namespace: 'Team A', yaml: 'x' }), JSON.stringify({ namespace: 'team-a' }), 'null']) {
      const s = storage({ [YAML_DRAFT_KEY]: raw });
      expect(takeDraft(s)).toBeUndefined();
      expect(s.items.size).toBe(0);
    }
    const blocked = { getItem: () => { throw new Error('SecurityError'); }, removeItem: () => undefined };
    expect(takeDraft(blocked)).toBeUndefined();
  });
});

describe('serverProblems', () => {
  const text = vmTemplate('team-a', 'demo');

  it('places a field on its line, keeps a given line, and lists the rest without one', () => {
    const out = serverProblems(text, {
      problems: [
        { field: 'manifests.0.spec.template.spec.domain.devices.interfaces.0.name', message: 'Invalid value: "default"' },
        { field: 'manifests.0', message: 'admission webhook denied the request' },
        { message: 'about line 7', line: 7 },
        { field: 'manifests.3.spec', message: 'gone' },
        { message: 'nowhere' },
        { nonsense: true },
      ],
    });
    expect(out.placed).toEqual([
      { message: 'Invalid value: "default"', line: 20, severity: 'error' },
      { message: 'admission webhook denied the request', line: 1, severity: 'error' },
      { message: 'about line 7', line: 7, severity: 'error' },
    ]);
    expect(out.unplaced).toEqual([{ field: 'manifests.3.spec', message: 'gone' }, { message: 'nowhere' }]);
  });

  it('is empty without problems', () => {
    expect(serverProblems(text, undefined)).toEqual({ placed: [], unplaced: [] });
    expect(serverProblems(text, { problems: 'no' })).toEqual({ placed: [], unplaced: [] });
  });
});

describe('downloadFileName', () => {
  it('is the VM name, or a neutral name without one', () => {
    expect(downloadFileName([{ kind: 'Secret', metadata: { name: 's' } }, { kind: 'VirtualMachine', metadata: { name: 'demo' } }])).toBe('demo.yaml');
    expect(downloadFileName([{ kind: 'VirtualMachine', metadata: { name: '../x y' } }])).toBe('x-y.yaml');
    expect(downloadFileName([])).toBe('manifests.yaml');
  });
});

describe('diagnostics', () => {
  const doc = Text.of(['apiVersion: v1', 'kind: Secret', '']);

  it('marks from the column to the end of the line, and keeps a line past the end on the last line', () => {
    expect(toDiagnostic(doc, { message: 'm', line: 2, column: 7, severity: 'error' })).toEqual({ from: 21, to: 27, severity: 'error', message: 'm' });
    expect(toDiagnostic(doc, { message: 'w', line: 1, severity: 'warning' })).toEqual({ from: 0, to: 14, severity: 'warning', message: 'w' });
    expect(toDiagnostic(doc, { message: 'late', line: 40, severity: 'error' })).toMatchObject({ from: 28, to: 28 });
    expect(positionOf(doc, 2, 99)).toBe(27);
    expect(positionOf(doc, 0)).toBe(0);
  });
});
