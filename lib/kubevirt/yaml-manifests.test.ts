import { describe, expect, it } from 'vitest';
import { lineOfField, parseManifests } from './yaml-manifests';

// Line numbers are written out (the VM text has 32 lines, the Secret 9) rather than computed, so the test checks the
// numbers a user sees, not the parser's own idea of them.
const secret = `apiVersion: v1
kind: Secret
metadata:
  name: demo-cloudinit
  namespace: team-a
stringData:
  userdata: |
    #cloud-config
    password: secret
`;

const vm = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: demo
  namespace: team-a
spec:
  runStrategy: Always
  instancetype:
    kind: VirtualMachineClusterInstancetype
    name: u1.nano
  template:
    spec:
      domain:
        devices:
          interfaces:
            - name: default
              masquerade: {}
          disks:
            - name: rootdisk
              disk:
                bus: virtio
      networks:
        - name: default
          pod: {}
      volumes:
        - name: rootdisk
          containerDisk:
            image: quay.io/containerdisks/tinylinux:1.0
        - name: cloudinit
          cloudInitNoCloud:
            secretRef:
              name: demo-cloudinit
`;

const errors = (text: string, namespace = 'team-a') => parseManifests(text, { namespace }).problems.filter((p) => p.severity === 'error');

describe('parseManifests', () => {
  it('accepts a VirtualMachine with its Secret, in document order', () => {
    const { objects, problems } = parseManifests(`${secret}---\n${vm}`, { namespace: 'team-a' });
    expect(problems).toEqual([]);
    expect(objects.map((o) => o.kind)).toEqual(['Secret', 'VirtualMachine']);
    expect((objects[1]!.spec as { runStrategy: string }).runStrategy).toBe('Always');
  });

  it('ignores empty documents and a trailing separator', () => {
    const { objects, problems } = parseManifests(`---\n# the VM\n---\n${vm}---\n`, { namespace: 'team-a' });
    expect(problems).toEqual([]);
    expect(objects).toHaveLength(1);
  });

  it('places a syntax error on its line and column', () => {
    // The Secret has 9 lines and "---" is line 10, so the VM's runStrategy (its line 7) is line 17.
    const text = `${secret}---\n${vm.replace('runStrategy: Always', 'runStrategy: Always: true')}`;
    expect(errors(text)).toEqual([{ message: 'Nested mappings are not allowed in compact mappings', line: 17, column: 16, severity: 'error' }]);
    // The first of the errors a tab causes is the one on its line.
    expect(errors(vm.replace('          pod: {}', '\t  pod: {}'))[0]).toEqual({ message: 'Tabs are not allowed as indentation', line: 24, column: 1, severity: 'error' });
  });

  it('reports a mapping nested where a scalar was, on the line YAML gives', () => {
    const text = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n   labels: {}\n';
    expect(errors(text)[0]?.line).toBe(4);
  });

  it('places a schema error on the line of the offending field', () => {
    const text = vm.replace('          interfaces:\n', '          interfaces: true\n').replace(/            - name: default\n              masquerade: \{\}\n/, '');
    expect(errors(text)).toEqual([{ message: 'spec.template.spec.domain.devices.interfaces must be a list', line: 15, column: 11, severity: 'error' }]);
  });

  it('names the allowed values of an enum, and places a missing field on its nearest existing parent', () => {
    const text = vm.replace('runStrategy: Always', 'runStrategy: Sometimes').replace(/      domain:\n        devices:\n/, '      hostname: demo\n      ddomain:\n        devices:\n');
    const problems = parseManifests(text, { namespace: 'team-a' }).problems;
    expect(problems).toContainEqual({ message: 'spec.runStrategy must be one of Always, RerunOnFailure, Manual, Halted, Once', line: 7, column: 3, severity: 'error' });
    expect(problems).toContainEqual({ message: 'spec.template.spec.domain is required', line: 12, column: 5, severity: 'error' });
    // An unknown field is pruned by the API server, so it is a warning, on the field itself.
    expect(problems).toContainEqual({ message: 'spec.template.spec.ddomain is not a field of VirtualMachine; the API server drops or refuses it', line: 14, column: 7, severity: 'warning' });
  });

  it('says an int-or-string once, and a quantity in words', () => {
    const text = vm.replace('  instancetype:\n    kind: VirtualMachineClusterInstancetype\n    name: u1.nano\n', '').replace('        devices:\n', '        resources:\n          requests:\n            memory: lots\n            cpu: [1]\n        devices:\n');
    expect(errors(text).map((p) => [p.line, p.message])).toEqual([
      [13, 'spec.template.spec.domain.resources.requests.memory must be a quantity such as 2Gi, 512Mi or 500m'],
      [14, 'spec.template.spec.domain.resources.requests.cpu must be an integer or a string'],
    ]);
  });

  it('warns about an empty field, which the API server drops', () => {
    const { problems } = parseManifests(vm.replace('          pod: {}', '          pod:'), { namespace: 'team-a' });
    expect(problems).toEqual([
      { message: 'spec.template.spec.networks[0].pod has no value, so the API server drops it; write {} for an empty mapping', line: 24, column: 11, severity: 'warning' },
    ]);
  });

  it('refuses a kind the create route does not take', () => {
    const text = `${vm}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n`;
    expect(errors(text)).toEqual([{ message: 'kind ConfigMap cannot be created here; the allowed kinds are VirtualMachine, Secret, DataVolume', line: 35, column: 1, severity: 'error' }]);
  });

  it('refuses a second VirtualMachine, on its kind', () => {
    const text = `${vm}---\n${vm.replace('name: demo\n', 'name: demo2\n')}`;
    expect(errors(text)).toEqual([{ message: 'Only one VirtualMachine can be created at once; this is a second one.', line: 35, column: 1, severity: 'error' }]);
  });

  it('needs a VirtualMachine, apiVersion, kind and metadata.name, and a mapping per document', () => {
    expect(errors(secret).map((p) => p.message)).toEqual(['There is no VirtualMachine: the manifests need exactly one.']);
    expect(errors('')[0]?.message).toMatch(/no manifests/);
    expect(errors(`${vm}---\n- a\n- b\n`)).toEqual([{ message: 'Manifest 2 must be a mapping with apiVersion, kind and metadata.', line: 34, column: 1, severity: 'error' }]);
    expect(errors(`${vm}---\nkind: Secret\nmetadata:\n  namespace: team-a\n`).map((p) => [p.line, p.message])).toEqual([
      [34, 'apiVersion is required'],
      [35, 'metadata.name is required'],
    ]);
    expect(errors(vm.replace('apiVersion: kubevirt.io/v1', 'apiVersion: kubevirt.io/v2'))[0]).toMatchObject({ line: 1, message: 'VirtualMachine needs apiVersion kubevirt.io/v1, not kubevirt.io/v2' });
    expect(errors(vm.replace('name: demo\n', 'name: Demo_1\n'))[0]).toMatchObject({ line: 4 });
  });

  it('checks metadata.namespace against the chosen namespace', () => {
    expect(errors(vm, 'team-b')).toEqual([
      { message: 'metadata.namespace is "team-a" but the chosen namespace is "team-b": change one of them or remove metadata.namespace', line: 5, column: 3, severity: 'error' },
    ]);
    expect(errors(vm.replace('  namespace: team-a\n', ''), 'team-b')).toEqual([]);
  });

  it('refuses the same object twice and more manifests than the route takes', () => {
    expect(errors(`${vm}---\n${secret}---\n${secret}`).map((p) => [p.line, p.message])).toEqual([[47, 'Secret demo-cloudinit is already manifest 2']]);
    const many = [vm, ...Array.from({ length: 16 }, (_, i) => secret.replace('demo-cloudinit', `s${i}`))].join('---\n');
    expect(errors(many).map((p) => p.message)).toEqual(['At most 16 manifests can be created at once.']);
  });
});

describe('lineOfField', () => {
  const text = `${secret}---\n${vm}`;

  it('maps a server problem in a nested list to its line', () => {
    expect(lineOfField(text, 'manifests.1.spec.template.spec.domain.devices.interfaces.0.name')).toBe(26);
    expect(lineOfField(text, 'manifests.1.spec.template.spec.volumes.1.cloudInitNoCloud.secretRef.name')).toBe(42);
    // The API server's own style of path.
    expect(lineOfField(text, 'manifests.1.spec.template.spec.volumes[1].cloudInitNoCloud')).toBe(40);
  });

  it('falls back to the nearest existing parent, and a manifest to its first line', () => {
    expect(lineOfField(text, 'manifests.1.spec.template.spec.domain.cpu.cores')).toBe(23);
    expect(lineOfField(text, 'manifests.1.spec.template.spec.volumes.7.name')).toBe(35);
    expect(lineOfField(text, 'manifests.0')).toBe(1);
    expect(lineOfField(text, 'manifests.1')).toBe(11);
  });

  it('finds keys with dots in them', () => {
    const labelled = vm.replace('  namespace: team-a\n', '  labels:\n    kubevirt.io/domain: demo\n');
    expect(lineOfField(labelled, 'manifests.0.metadata.labels.kubevirt.io/domain')).toBe(6);
  });

  it('is undefined for other fields and for manifests that are gone', () => {
    expect(lineOfField(text, 'name')).toBeUndefined();
    expect(lineOfField(text, 'manifests.2.spec')).toBeUndefined();
  });
});
