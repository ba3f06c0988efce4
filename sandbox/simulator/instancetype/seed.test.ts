// The seeded cluster instancetypes and preferences (sandbox/manifests/seed/40-instancetypes.yaml): valid against the
// instancetype.kubevirt.io/v1beta1 CRDs, shaped like common-instancetypes' u1 series, and usable together.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Obj } from '../webhooks/util.ts';
import { validateVirtualMachine } from '../webhooks/vm-rules.ts';
import { expandVirtualMachine } from './expand.ts';
import { schemaErrors } from './schema.ts';

const file = (rel: string) => readFileSync(new URL(rel, import.meta.url), 'utf8');
const docs = YAML.parseAllDocuments(file('../../manifests/seed/40-instancetypes.yaml')).map((d) => d.toJS() as Obj);
const crdSchema = (plural: string) => {
  const crd = YAML.parse(file(`../../manifests/crds/${plural}.instancetype.kubevirt.io.yaml`)) as Obj;
  const v = (crd.spec.versions as Obj[]).find((x) => x.name === 'v1beta1');
  return { scope: crd.spec.scope as string, kind: crd.spec.names.kind as string, schema: v?.schema.openAPIV3Schema as Obj, served: v?.served };
};
const crds = [crdSchema('virtualmachineclusterinstancetypes'), crdSchema('virtualmachineclusterpreferences')];
const instancetypes = docs.filter((d) => d.kind === 'VirtualMachineClusterInstancetype');
const preferences = docs.filter((d) => d.kind === 'VirtualMachineClusterPreference');

describe('seeded instancetypes and preferences', () => {
  it('are all v1beta1 cluster-scoped objects valid against their CRD schemas', () => {
    expect(docs.length).toBe(instancetypes.length + preferences.length);
    for (const d of docs) {
      expect(d.apiVersion).toBe('instancetype.kubevirt.io/v1beta1');
      const crd = crds.find((c) => c.kind === d.kind);
      expect(crd?.served).toBe(true);
      expect(crd?.scope).toBe('Cluster');
      expect(d.metadata.namespace).toBeUndefined();
      expect(schemaErrors(crd?.schema.properties.spec, d.spec, 'spec'), d.metadata.name).toEqual([]);
    }
  });

  it('provide the u1 sizes with common-instancetypes labels', () => {
    const sizes = Object.fromEntries(instancetypes.map((i) => [i.metadata.name, [i.spec.cpu.guest, i.spec.memory.guest]]));
    expect(sizes).toEqual({
      'u1.nano': [1, '512Mi'],
      'u1.micro': [1, '1Gi'],
      'u1.small': [1, '2Gi'],
      'u1.medium': [1, '4Gi'],
      'u1.large': [2, '8Gi'],
    });
    for (const i of instancetypes) {
      expect(i.metadata.labels).toMatchObject({
        'instancetype.kubevirt.io/class': 'general.purpose',
        'instancetype.kubevirt.io/cpu': String(i.spec.cpu.guest),
        'instancetype.kubevirt.io/memory': i.spec.memory.guest,
        'instancetype.kubevirt.io/size': i.metadata.name.split('.')[1],
        'instancetype.kubevirt.io/vendor': 'kubevirt.io',
        'instancetype.kubevirt.io/version': '1',
      });
      expect(i.metadata.annotations['instancetype.kubevirt.io/displayName']).toBe('General Purpose');
    }
  });

  it('provide preferences for the sandbox guests with virtio disks and NICs', () => {
    const byName = Object.fromEntries(preferences.map((p) => [p.metadata.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['fedora', 'linux', 'tinylinux', 'tinylinux-edge']);
    expect(byName.tinylinux?.metadata.annotations['openshift.io/display-name']).toBe('Tiny Linux');
    expect(byName['tinylinux-edge']?.metadata.annotations['openshift.io/display-name']).toBe('Tiny Linux Edge');
    for (const p of preferences) {
      expect(p.spec.devices).toMatchObject({ preferredDiskBus: 'virtio', preferredInterfaceModel: 'virtio' });
      expect(p.metadata.annotations['openshift.io/display-name']).toBeTruthy();
    }
  });

  it('combine into valid VMs', () => {
    const tiny = preferences.find((p) => p.metadata.name === 'tinylinux')?.spec;
    const fedora = preferences.find((p) => p.metadata.name === 'fedora')?.spec;
    for (const it of instancetypes) {
      const vm = {
        metadata: { name: 'vm', namespace: 'default' },
        spec: {
          runStrategy: 'Halted',
          instancetype: { name: it.metadata.name },
          preference: { name: 'tinylinux' },
          template: { spec: { domain: { devices: {} }, volumes: [{ name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } }] } },
        },
      };
      expect(validateVirtualMachine(vm, { instancetype: it.spec, preference: tiny }).causes, it.metadata.name).toEqual([]);
      const { vm: out, conflicts } = expandVirtualMachine(vm, it.spec, tiny);
      expect(conflicts).toEqual([]);
      expect((out as Obj).spec.template.spec.domain.memory.guest).toBe(it.spec.memory.guest);
    }
    // Fedora needs 2Gi: u1.micro is too small.
    const micro = instancetypes.find((i) => i.metadata.name === 'u1.micro')?.spec;
    const small = { metadata: { name: 'f' }, spec: { runStrategy: 'Halted', template: { spec: { domain: { devices: {} } } } } };
    expect(validateVirtualMachine(small, { instancetype: micro, preference: fedora }).causes[0]?.message).toBe(
      'failure checking preference requirements: insufficient Memory resources of 1Gi provided by instance type, preference requires 2Gi',
    );
  });
});
