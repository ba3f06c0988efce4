// Checks the generated CRDs (sandbox/manifests/crds) and the hand-written cluster roles (sandbox/manifests/rbac):
// the committed files are what the generator writes, every schema is structural and prunes unknown fields, and names,
// versions, scopes, subresources, categories and printer columns are those of KubeVirt 1.6 / CDI 1.62
// (API-REFERENCE.md section 1). The expectations below are written out independently of crds.ts on purpose.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buildCrds, jsonSize, MAX_CRD_JSON_BYTES, type CustomResourceDefinition } from './crds.ts';
import { DEFAULT_INPUT_DIR, generateFiles, INPUT_FILES, OUTPUT_DIR } from './generate.ts';
import { walk, type JSONSchema } from './schema.ts';

const here = dirname(fileURLToPath(import.meta.url));
const manifests = resolve(here, '..', 'manifests');
const inputsPresent = INPUT_FILES.every((f) => existsSync(join(DEFAULT_INPUT_DIR, f)));

const committed = new Map(
  readdirSync(OUTPUT_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, readFileSync(join(OUTPUT_DIR, f), 'utf8')] as const),
);
const crds = new Map([...committed].map(([f, text]) => [f, YAML.parse(text) as CustomResourceDefinition]));
const byName = (name: string) => {
  const crd = crds.get(`${name}.yaml`);
  if (!crd) throw new Error(`no CRD ${name}`);
  return crd;
};
const schemaOf = (name: string, version?: string) => {
  const crd = byName(name);
  const v = version ? crd.spec.versions.find((x) => x.name === version) : crd.spec.versions.find((x) => x.storage);
  return v!.schema.openAPIV3Schema;
};
const node = (schema: JSONSchema, path: string) =>
  path.split('.').reduce<JSONSchema | undefined>((n, p) => (p === '[]' ? n?.items : n?.properties?.[p]), schema);

// ---------------------------------------------------------------------------------------------------------------------
// A structural-schema checker: the rules kube-apiserver applies to apiextensions.k8s.io/v1 schemas that matter here.

const ALLOWED_KEYS = new Set([
  'description',
  'type',
  'format',
  'enum',
  'default',
  'nullable',
  'pattern',
  'minimum',
  'maxLength',
  'anyOf',
  'items',
  'properties',
  'additionalProperties',
  'required',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

function structuralProblems(root: JSONSchema): string[] {
  const problems: string[] = [];
  const fail = (path: string, msg: string) => problems.push(`${path || '<root>'}: ${msg}`);
  if (root.type !== 'object') fail('', 'root must be type object');
  if (root.additionalProperties) fail('', 'additionalProperties at the root');
  if (root.nullable) fail('', 'nullable at the root');
  const meta = root.properties?.metadata;
  if (meta && JSON.stringify(meta) !== JSON.stringify({ type: 'object' })) fail('.metadata', 'root metadata must be {type: object}');

  walk(root, (n, path) => {
    if (path.includes('|anyOf')) return; // checked with their parent
    for (const k of Object.keys(n)) if (!ALLOWED_KEYS.has(k)) fail(path, `key ${k} is not allowed`);
    const intOrString = n['x-kubernetes-int-or-string'] === true;
    const preserve = n['x-kubernetes-preserve-unknown-fields'] === true;
    if (n.type === undefined && !intOrString && !preserve) fail(path, 'no type');
    if (n.type !== undefined && !TYPES.has(n.type)) fail(path, `bad type ${n.type}`);
    if (intOrString) {
      if (n.type !== undefined) fail(path, 'int-or-string with a type');
      if (JSON.stringify(n.anyOf) !== JSON.stringify([{ type: 'integer' }, { type: 'string' }])) fail(path, 'int-or-string without anyOf [integer, string]');
      if (preserve) fail(path, 'int-or-string with preserve-unknown-fields');
    } else if (n.anyOf) fail(path, 'anyOf outside of int-or-string');
    if (n.properties && n.additionalProperties) fail(path, 'properties together with additionalProperties');
    if ((n.properties || n.additionalProperties) && n.type !== 'object') fail(path, 'properties on a non-object');
    if (n.type === 'array' && !n.items) fail(path, 'array without items');
    if (n.items && n.type !== 'array') fail(path, 'items on a non-array');
    if (n.required) for (const r of n.required) if (!n.properties?.[r]) fail(path, `required ${r} is not a property`);
    if (n['x-kubernetes-map-type'] && n.type !== 'object') fail(path, 'map-type on a non-object');
    const listType = n['x-kubernetes-list-type'];
    if (listType !== undefined) {
      if (n.type !== 'array') fail(path, 'list-type on a non-array');
      if (!['atomic', 'set', 'map'].includes(listType)) fail(path, `bad list-type ${listType}`);
      const items = n.items!;
      if ((listType === 'set' || listType === 'map') && items.nullable) fail(path, 'nullable items in a set/map list');
      if (listType === 'set') {
        const ok =
          SCALARS.has(items.type ?? '') ||
          (items.type === 'object' && items['x-kubernetes-map-type'] === 'atomic') ||
          (items.type === 'array' && (items['x-kubernetes-list-type'] ?? 'atomic') === 'atomic');
        if (!ok) fail(path, 'set items must be scalars or atomic');
      }
      if (listType === 'map') {
        const keys = n['x-kubernetes-list-map-keys'] ?? [];
        if (keys.length === 0) fail(path, 'map list without keys');
        for (const k of keys) {
          const p = items.properties?.[k];
          if (!p || !SCALARS.has(p.type ?? '')) fail(path, `map key ${k} is not a scalar property`);
          else if (!items.required?.includes(k) && p.default === undefined) fail(path, `map key ${k} is neither required nor defaulted`);
        }
      }
    } else if (n['x-kubernetes-list-map-keys']) fail(path, 'list-map-keys without list-type map');
    if (n.enum && n.type && SCALARS.has(n.type)) {
      for (const v of n.enum) {
        const t = typeof v;
        const ok = n.type === 'integer' ? Number.isInteger(v) : n.type === 'number' ? t === 'number' : t === n.type;
        if (!ok) fail(path, `enum value ${JSON.stringify(v)} is not a ${n.type}`);
      }
    }
    if (n.default !== undefined && n.type === 'string' && typeof n.default !== 'string') fail(path, 'default of the wrong type');
  });
  if (JSON.stringify(root).includes('"$ref"')) problems.push('$ref present');
  return problems;
}

/**
 * Fields of `obj` that the schema would prune (what `kubectl create --validate=strict` reports), as paths. The root
 * `metadata` is ObjectMeta, which the API server checks itself.
 */
function unknownFields(obj: unknown, schema: JSONSchema, path = ''): string[] {
  if (obj === null || typeof obj !== 'object' || schema['x-kubernetes-preserve-unknown-fields']) return [];
  if (Array.isArray(obj)) return schema.items ? obj.flatMap((x, i) => unknownFields(x, schema.items!, `${path}[${i}]`)) : [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (path === '' && k === 'metadata') continue;
    const sub = schema.properties?.[k] ?? schema.additionalProperties;
    if (!sub) out.push(`${path}.${k}`);
    else out.push(...unknownFields(v, sub, `${path}.${k}`));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------

describe('generated CRD files', () => {
  // Generating all CRDs is seconds of CPU (more on a busy machine): done once here and once more for determinism,
  // with room for a loaded CI machine, rather than three times under the default 5 s.
  let first: ReturnType<typeof generateFiles> | undefined;
  const generated = () => (first ??= generateFiles(DEFAULT_INPUT_DIR));
  const generatorTimeout = 60_000;

  it.skipIf(!inputsPresent)('are exactly what the generator produces (run npx tsx sandbox/crds/generate.ts)', () => {
    expect([...committed.keys()]).toEqual([...generated().keys()].sort());
    for (const [name, content] of generated()) expect(committed.get(name), name).toBe(content);
  }, generatorTimeout);

  it.skipIf(!inputsPresent)('are deterministic', () => {
    const again = generateFiles(DEFAULT_INPUT_DIR);
    expect([...again.entries()]).toEqual([...generated().entries()]);
  }, generatorTimeout);

  it('are one CRD per file named <plural>.<group>.yaml, apiextensions.k8s.io/v1', () => {
    expect(crds.size).toBe(24);
    for (const [file, crd] of crds) {
      expect(YAML.parseAllDocuments(committed.get(file)!)).toHaveLength(1);
      expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
      expect(crd.kind).toBe('CustomResourceDefinition');
      expect(file).toBe(`${crd.spec.names.plural}.${crd.spec.group}.yaml`);
      expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.${crd.spec.group}`);
      expect(crd.spec.versions.filter((v) => v.storage)).toHaveLength(1);
      expect(crd.spec.names.listKind).toBe(`${crd.spec.names.kind}List`);
    }
  }, generatorTimeout);

  it('have structural schemas, identical for every version of a CRD', () => {
    for (const [file, crd] of crds) {
      const first = JSON.stringify(crd.spec.versions[0]!.schema.openAPIV3Schema);
      for (const v of crd.spec.versions) {
        expect(structuralProblems(v.schema.openAPIV3Schema), `${file} ${v.name}`).toEqual([]);
        expect(JSON.stringify(v.schema.openAPIV3Schema), `${file} ${v.name}`).toBe(first);
      }
    }
  });

  it('prune unknown fields: only embedded ObjectMeta keeps unknown fields', () => {
    for (const [file, crd] of crds) {
      walk(crd.spec.versions[0]!.schema.openAPIV3Schema, (n, path) => {
        if (n['x-kubernetes-preserve-unknown-fields']) {
          expect(path, file).toMatch(/\.metadata$/);
          const { description: _description, ...rest } = n;
          expect(rest, `${file} ${path}`).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
        }
      });
    }
    const vm = schemaOf('virtualmachines.kubevirt.io');
    for (const p of ['spec', 'spec.template', 'spec.template.spec', 'spec.template.spec.domain', 'spec.template.spec.domain.devices', 'status']) {
      const n = node(vm, p)!;
      expect(n.type, p).toBe('object');
      expect(n['x-kubernetes-preserve-unknown-fields'], p).toBeUndefined();
      expect(Object.keys(n.properties ?? {}).length, p).toBeGreaterThan(0);
    }
    expect(node(vm, 'spec.template.metadata')).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(node(vm, 'spec.dataVolumeTemplates.[].metadata')).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    const content = schemaOf('virtualmachinesnapshotcontents.snapshot.kubevirt.io');
    expect(node(content, 'spec.source.virtualMachine.metadata')?.['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(node(content, 'spec.source.virtualMachine.spec.template.spec.domain')?.['x-kubernetes-preserve-unknown-fields']).toBeUndefined();
  });

  it('model the special Kubernetes types', () => {
    const vm = schemaOf('virtualmachines.kubevirt.io');
    const memory = node(vm, 'spec.template.spec.domain.resources.requests')!.additionalProperties!;
    expect(memory['x-kubernetes-int-or-string']).toBe(true);
    expect(memory.pattern).toMatch(/^\^/);
    expect(node(vm, 'spec.template.spec.domain.memory.guest')?.['x-kubernetes-int-or-string']).toBe(true);
    expect(node(vm, 'status.conditions.[].lastTransitionTime')).toMatchObject({ type: 'string', format: 'date-time' });
    expect(node(vm, 'spec.template.spec.readinessProbe.httpGet.port')?.['x-kubernetes-int-or-string']).toBe(true);
    const kv = schemaOf('kubevirts.kubevirt.io');
    expect(node(kv, 'spec.certificateRotateStrategy.selfSigned.ca.duration')).toMatchObject({ type: 'string' });
    const dv = schemaOf('datavolumes.cdi.kubevirt.io');
    expect(node(dv, 'spec.storage.resources.requests')!.additionalProperties!['x-kubernetes-int-or-string']).toBe(true);
    expect(node(dv, 'status.conditions.[].lastTransitionTime')).toMatchObject({ type: 'string', format: 'date-time' });
  });

  it('support kubectl explain virtualmachine.spec.runStrategy and keep required fields', () => {
    const vm = schemaOf('virtualmachines.kubevirt.io');
    const runStrategy = node(vm, 'spec.runStrategy')!;
    expect(runStrategy.type).toBe('string');
    expect(runStrategy.description).toBeTruthy();
    expect(vm.required).toEqual(['spec']);
    expect(node(vm, 'spec')!.required).toContain('template');
    expect(node(vm, 'spec.template.spec')!.required).toContain('domain');
    expect(node(vm, 'spec.template.spec.domain.devices.disks.[]')!.required).toContain('name');
  });

  it('default only the VirtualMachine printableStatus to Stopped (and LocalObjectReference names to "")', () => {
    expect(node(schemaOf('virtualmachines.kubevirt.io'), 'status.printableStatus')?.default).toBe('Stopped');
    expect(
      node(schemaOf('virtualmachinesnapshotcontents.snapshot.kubevirt.io'), 'spec.source.virtualMachine.status.printableStatus')?.default,
    ).toBe('Stopped');
    for (const [file, crd] of crds) {
      walk(crd.spec.versions[0]!.schema.openAPIV3Schema, (n, path) => {
        if (n.default === undefined) return;
        if (path.endsWith('.printableStatus')) expect(n.default).toBe('Stopped');
        else expect([file, path, n.default]).toEqual([file, expect.stringMatching(/\.name$/), '']);
      });
    }
  });

  it('stay small enough for etcd', () => {
    for (const [file, crd] of crds) expect(jsonSize(crd), file).toBeLessThanOrEqual(MAX_CRD_JSON_BYTES);
  });

  it.skipIf(!inputsPresent)('drop deep descriptions, and only those, when a CRD is too big', () => {
    const small = buildCrds(DEFAULT_INPUT_DIR, 200_000).find((g) => g.crd.metadata.name === 'virtualmachines.kubevirt.io')!;
    expect(small.descriptionDepth).toBeDefined();
    expect(jsonSize(small.crd)).toBeLessThanOrEqual(200_000);
    const schema = small.crd.spec.versions[0]!.schema.openAPIV3Schema;
    expect(structuralProblems(schema)).toEqual([]);
    expect(schema.description).toBeTruthy();
    walk(schema, (n, _path, depth) => {
      if (depth > small.descriptionDepth!) expect(n.description).toBeUndefined();
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// The reference table (API-REFERENCE.md section 1, crds.go of KubeVirt v1.6.0, CDI v1.62.0, Multus, external-snapshotter).

interface Expected {
  kind: string;
  shortNames?: string[];
  scope: 'Namespaced' | 'Cluster';
  versions: [name: string, served: boolean, storage: boolean][];
  status: boolean;
  /** The scale subresource on .spec.replicas, .status.replicas and .status.labelSelector. */
  scale?: boolean;
  categories?: string[];
  columns?: [name: string, jsonPath: string, priority?: number][];
}

const V1_V1ALPHA3: Expected['versions'] = [
  ['v1', true, true],
  ['v1alpha3', true, false],
];
const V1ALPHA1_V1BETA1: Expected['versions'] = [
  ['v1alpha1', true, false],
  ['v1beta1', true, true],
];
const AGE = ['Age', '.metadata.creationTimestamp'] as [string, string];

const expected: Record<string, Expected> = {
  'kubevirts.kubevirt.io': {
    kind: 'KubeVirt',
    shortNames: ['kv', 'kvs'],
    scope: 'Namespaced',
    versions: V1_V1ALPHA3,
    status: true,
    categories: ['all'],
    columns: [AGE, ['Phase', '.status.phase']],
  },
  'virtualmachines.kubevirt.io': {
    kind: 'VirtualMachine',
    shortNames: ['vm', 'vms'],
    scope: 'Namespaced',
    versions: V1_V1ALPHA3,
    status: true,
    categories: ['all'],
    columns: [AGE, ['Status', '.status.printableStatus'], ['Ready', ".status.conditions[?(@.type=='Ready')].status"]],
  },
  'virtualmachineinstances.kubevirt.io': {
    kind: 'VirtualMachineInstance',
    shortNames: ['vmi', 'vmis'],
    scope: 'Namespaced',
    versions: V1_V1ALPHA3,
    status: false,
    categories: ['all'],
    columns: [
      AGE,
      ['Phase', '.status.phase'],
      ['IP', '.status.interfaces[0].ipAddress'],
      ['NodeName', '.status.nodeName'],
      ['Ready', ".status.conditions[?(@.type=='Ready')].status"],
      ['Live-Migratable', ".status.conditions[?(@.type=='LiveMigratable')].status", 1],
      ['Paused', ".status.conditions[?(@.type=='Paused')].status", 1],
    ],
  },
  'virtualmachineinstancemigrations.kubevirt.io': {
    kind: 'VirtualMachineInstanceMigration',
    shortNames: ['vmim', 'vmims'],
    scope: 'Namespaced',
    versions: V1_V1ALPHA3,
    status: true,
    categories: ['all'],
    columns: [
      ['Phase', '.status.phase'],
      ['VMI', '.spec.vmiName'],
    ],
  },
  'virtualmachinesnapshots.snapshot.kubevirt.io': {
    kind: 'VirtualMachineSnapshot',
    shortNames: ['vmsnapshot', 'vmsnapshots'],
    scope: 'Namespaced',
    versions: V1ALPHA1_V1BETA1,
    status: true,
    categories: ['all'],
    columns: [
      ['SourceKind', '.spec.source.kind'],
      ['SourceName', '.spec.source.name'],
      ['Phase', '.status.phase'],
      ['ReadyToUse', '.status.readyToUse'],
      ['CreationTime', '.status.creationTime'],
      ['Error', '.status.error.message'],
    ],
  },
  'virtualmachinesnapshotcontents.snapshot.kubevirt.io': {
    kind: 'VirtualMachineSnapshotContent',
    shortNames: ['vmsnapshotcontent', 'vmsnapshotcontents'],
    scope: 'Namespaced',
    versions: V1ALPHA1_V1BETA1,
    status: true,
    categories: ['all'],
    columns: [
      ['ReadyToUse', '.status.readyToUse'],
      ['CreationTime', '.status.creationTime'],
      ['Error', '.status.error.message'],
    ],
  },
  'virtualmachinerestores.snapshot.kubevirt.io': {
    kind: 'VirtualMachineRestore',
    shortNames: ['vmrestore', 'vmrestores'],
    scope: 'Namespaced',
    versions: V1ALPHA1_V1BETA1,
    status: true,
    categories: ['all'],
    columns: [
      ['TargetKind', '.spec.target.kind'],
      ['TargetName', '.spec.target.name'],
      ['Complete', '.status.complete'],
      ['RestoreTime', '.status.restoreTime'],
    ],
  },
  'virtualmachineclones.clone.kubevirt.io': {
    kind: 'VirtualMachineClone',
    shortNames: ['vmclone', 'vmclones'],
    scope: 'Namespaced',
    versions: V1ALPHA1_V1BETA1,
    status: true,
    categories: ['all'],
    columns: [
      ['Phase', '.status.phase'],
      ['SourceVirtualMachine', '.spec.source.name'],
      ['TargetVirtualMachine', '.spec.target.name'],
    ],
  },
  'virtualmachineinstancereplicasets.kubevirt.io': {
    kind: 'VirtualMachineInstanceReplicaSet',
    shortNames: ['vmirs', 'vmirss'],
    scope: 'Namespaced',
    versions: V1_V1ALPHA3,
    status: true,
    scale: true,
    categories: ['all'],
    columns: [['Desired', '.spec.replicas'], ['Current', '.status.replicas'], ['Ready', '.status.readyReplicas'], AGE],
  },
  'virtualmachineinstancepresets.kubevirt.io': {
    kind: 'VirtualMachineInstancePreset',
    shortNames: ['vmipreset', 'vmipresets'],
    scope: 'Namespaced',
    versions: [['v1', true, false], ['v1alpha3', true, true]],
    status: false,
    categories: ['all'],
  },
  'virtualmachinepools.pool.kubevirt.io': {
    kind: 'VirtualMachinePool',
    shortNames: ['vmpool', 'vmpools'],
    scope: 'Namespaced',
    versions: [['v1alpha1', true, true]],
    status: true,
    scale: true,
    categories: ['all'],
    columns: [['Desired', '.spec.replicas'], ['Current', '.status.replicas'], ['Ready', '.status.readyReplicas'], AGE],
  },
  'virtualmachineexports.export.kubevirt.io': {
    kind: 'VirtualMachineExport',
    shortNames: ['vmexport', 'vmexports'],
    scope: 'Namespaced',
    versions: V1ALPHA1_V1BETA1,
    status: true,
    categories: ['all'],
    columns: [['SourceKind', '.spec.source.kind'], ['SourceName', '.spec.source.name'], ['Phase', '.status.phase']],
  },
  'virtualmachineinstancetypes.instancetype.kubevirt.io': {
    kind: 'VirtualMachineInstancetype',
    shortNames: ['vminstancetype', 'vminstancetypes', 'vmf', 'vmfs'],
    scope: 'Namespaced',
    versions: [['v1beta1', true, true]],
    status: false,
    categories: ['all'],
  },
  'virtualmachineclusterinstancetypes.instancetype.kubevirt.io': {
    kind: 'VirtualMachineClusterInstancetype',
    shortNames: ['vmclusterinstancetype', 'vmclusterinstancetypes', 'vmcf', 'vmcfs'],
    scope: 'Cluster',
    versions: [['v1beta1', true, true]],
    status: false,
  },
  'virtualmachinepreferences.instancetype.kubevirt.io': {
    kind: 'VirtualMachinePreference',
    shortNames: ['vmpref', 'vmprefs', 'vmp', 'vmps'],
    scope: 'Namespaced',
    versions: [['v1beta1', true, true]],
    status: false,
    categories: ['all'],
  },
  'virtualmachineclusterpreferences.instancetype.kubevirt.io': {
    kind: 'VirtualMachineClusterPreference',
    shortNames: ['vmcp', 'vmcps'],
    scope: 'Cluster',
    versions: [['v1beta1', true, true]],
    status: false,
  },
  'migrationpolicies.migrations.kubevirt.io': {
    kind: 'MigrationPolicy',
    scope: 'Cluster',
    versions: [['v1alpha1', true, true]],
    status: true,
  },
  'datavolumes.cdi.kubevirt.io': {
    kind: 'DataVolume',
    shortNames: ['dv', 'dvs'],
    scope: 'Namespaced',
    versions: [['v1beta1', true, true]],
    status: true,
    categories: ['all'],
    columns: [['Phase', '.status.phase'], ['Progress', '.status.progress'], ['Restarts', '.status.restartCount'], AGE],
  },
  'datasources.cdi.kubevirt.io': {
    kind: 'DataSource',
    shortNames: ['das'],
    scope: 'Namespaced',
    versions: [['v1beta1', true, true]],
    status: false,
    categories: ['all'],
  },
  'storageprofiles.cdi.kubevirt.io': {
    kind: 'StorageProfile',
    scope: 'Cluster',
    versions: [['v1beta1', true, true]],
    status: true,
  },
  'network-attachment-definitions.k8s.cni.cncf.io': {
    kind: 'NetworkAttachmentDefinition',
    shortNames: ['net-attach-def'],
    scope: 'Namespaced',
    versions: [['v1', true, true]],
    status: false,
  },
  'volumesnapshots.snapshot.storage.k8s.io': {
    kind: 'VolumeSnapshot',
    shortNames: ['vs'],
    scope: 'Namespaced',
    versions: [['v1', true, true]],
    status: true,
    columns: [
      ['ReadyToUse', '.status.readyToUse'],
      ['SourcePVC', '.spec.source.persistentVolumeClaimName'],
      ['SourceSnapshotContent', '.spec.source.volumeSnapshotContentName'],
      ['RestoreSize', '.status.restoreSize'],
      ['SnapshotClass', '.spec.volumeSnapshotClassName'],
      ['SnapshotContent', '.status.boundVolumeSnapshotContentName'],
      ['CreationTime', '.status.creationTime'],
      AGE,
    ],
  },
  'volumesnapshotcontents.snapshot.storage.k8s.io': {
    kind: 'VolumeSnapshotContent',
    shortNames: ['vsc', 'vscs'],
    scope: 'Cluster',
    versions: [['v1', true, true]],
    status: true,
    columns: [
      ['ReadyToUse', '.status.readyToUse'],
      ['RestoreSize', '.status.restoreSize'],
      ['DeletionPolicy', '.spec.deletionPolicy'],
      ['Driver', '.spec.driver'],
      ['VolumeSnapshotClass', '.spec.volumeSnapshotClassName'],
      ['VolumeSnapshot', '.spec.volumeSnapshotRef.name'],
      ['VolumeSnapshotNamespace', '.spec.volumeSnapshotRef.namespace'],
      AGE,
    ],
  },
  'volumesnapshotclasses.snapshot.storage.k8s.io': {
    kind: 'VolumeSnapshotClass',
    shortNames: ['vsclass', 'vsclasses'],
    scope: 'Cluster',
    versions: [['v1', true, true]],
    status: false,
    columns: [['Driver', '.driver'], ['DeletionPolicy', '.deletionPolicy'], AGE],
  },
};

describe('CRD names, versions and table facts', () => {
  it('cover exactly the expected CRDs', () => {
    expect([...crds.keys()].map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, exp] of Object.entries(expected)) {
    it(name, () => {
      const crd = byName(name);
      const plural = name.slice(0, name.indexOf('.'));
      expect(crd.spec.names.kind).toBe(exp.kind);
      expect(crd.spec.names.plural).toBe(plural);
      const singular = plural === 'network-attachment-definitions' ? 'network-attachment-definition' : exp.kind.toLowerCase();
      expect(crd.spec.names.singular).toBe(singular);
      expect(crd.spec.names.shortNames).toEqual(exp.shortNames);
      expect(crd.spec.names.categories).toEqual(exp.categories);
      expect(crd.spec.scope).toBe(exp.scope);
      expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual(exp.versions);
      for (const v of crd.spec.versions) {
        const scale = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' };
        expect(v.subresources, `${name} ${v.name}`).toEqual(exp.status ? { status: {}, ...(exp.scale ? { scale } : {}) } : undefined);
        const cols = (v.additionalPrinterColumns ?? []).map((c) => (c.priority ? [c.name, c.jsonPath, c.priority] : [c.name, c.jsonPath]));
        expect(cols, `${name} ${v.name}`).toEqual(exp.columns ?? []);
      }
    });
  }

  it('deprecate kubevirt.io/v1alpha3 with KubeVirt\'s warning', () => {
    for (const name of ['kubevirts', 'virtualmachines', 'virtualmachineinstances', 'virtualmachineinstancemigrations']) {
      const v = byName(`${name}.kubevirt.io`).spec.versions.find((x) => x.name === 'v1alpha3')!;
      expect(v.deprecated).toBe(true);
      expect(v.deprecationWarning).toBe('kubevirt.io/v1alpha3 is now deprecated and will be removed in a future release.');
      expect(byName(`${name}.kubevirt.io`).spec.versions.find((x) => x.name === 'v1')!.deprecated).toBeUndefined();
    }
  });

  it('give the printer columns valid types', () => {
    for (const [, crd] of crds) {
      for (const v of crd.spec.versions) {
        for (const c of v.additionalPrinterColumns ?? []) expect(['string', 'integer', 'number', 'boolean', 'date']).toContain(c.type);
      }
    }
    const dv = byName('datavolumes.cdi.kubevirt.io').spec.versions[0]!.additionalPrinterColumns!;
    expect(dv.find((c) => c.name === 'Restarts')!.type).toBe('integer');
    expect(dv.find((c) => c.name === 'Age')!.type).toBe('date');
  });

  it('carry the API approval annotation on the protected snapshot.storage.k8s.io group', () => {
    for (const [, crd] of crds) {
      if (crd.spec.group.endsWith('.k8s.io') || crd.spec.group.endsWith('.kubernetes.io')) {
        expect(crd.metadata.annotations?.['api-approved.kubernetes.io'], crd.metadata.name).toMatch(/^https:\/\//);
      }
    }
  });

  it('describe NetworkAttachmentDefinition spec.config as a string', () => {
    expect(node(schemaOf('network-attachment-definitions.k8s.cni.cncf.io'), 'spec.config')!.type).toBe('string');
    const crd = byName('network-attachment-definitions.k8s.cni.cncf.io');
    expect(crd.spec.names.singular).toBe('network-attachment-definition');
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('manifests validate against the schemas', () => {
  const byKind = new Map<string, JSONSchema>(
    [...crds.values()].flatMap((crd) =>
      crd.spec.versions.map((v): [string, JSONSchema] => [`${crd.spec.group}/${v.name}:${crd.spec.names.kind}`, v.schema.openAPIV3Schema]),
    ),
  );
  const schemaFor = (o: { apiVersion: string; kind: string }) => byKind.get(`${o.apiVersion}:${o.kind}`);

  it('the seed objects of CRD kinds have no unknown fields', () => {
    const dir = join(manifests, 'seed');
    let checked = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
      for (const doc of YAML.parseAllDocuments(readFileSync(join(dir, f), 'utf8'))) {
        const o = doc.toJS() as { apiVersion: string; kind: string } | null;
        if (!o) continue;
        const schema = schemaFor(o);
        if (!schema) continue;
        expect(unknownFields(o, schema), `${f} ${o.kind}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('a typical VirtualMachine passes, and misspelt fields are reported', () => {
    const vm = YAML.parse(`
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm1, namespace: team-a}
spec:
  runStrategy: Always
  instancetype: {kind: VirtualMachineClusterInstancetype, name: u1.medium}
  preference: {kind: VirtualMachineClusterPreference, name: fedora}
  dataVolumeTemplates:
    - metadata: {name: vm1-root, anything: goes}
      spec:
        sourceRef: {kind: DataSource, name: fedora, namespace: kubevirt-os-images}
        storage: {resources: {requests: {storage: 30Gi}}, storageClassName: sandbox-shared}
  template:
    metadata: {labels: {app: vm1}}
    spec:
      domain:
        devices:
          disks: [{name: root, disk: {bus: virtio}}]
          interfaces: [{name: default, masquerade: {}}]
        resources: {requests: {memory: 2Gi}}
      networks: [{name: default, pod: {}}]
      volumes: [{name: root, dataVolume: {name: vm1-root}}]
status:
  printableStatus: Running
  ready: true
  conditions: [{type: Ready, status: "True", lastProbeTime: null, lastTransitionTime: "2025-01-01T00:00:00Z"}]
`) as { apiVersion: string; kind: string; spec: Record<string, unknown> };
    const schema = schemaFor(vm)!;
    expect(unknownFields(vm, schema)).toEqual([]);
    (vm.spec as { runStrategyy?: string }).runStrategyy = 'Always';
    expect(unknownFields(vm, schema)).toEqual(['.spec.runStrategyy']);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}
interface RbacObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  rules?: Rule[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: { kind: string; name: string }[];
}

const readRbac = (file: string) =>
  YAML.parseAllDocuments(readFileSync(join(manifests, 'rbac', file), 'utf8')).map((d) => d.toJS() as RbacObject);

/** The verbs a role grants on group/resource. */
const verbsFor = (role: RbacObject, group: string, resource: string) =>
  new Set((role.rules ?? []).filter((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource)).flatMap((r) => r.verbs));

describe('cluster roles', () => {
  const kubevirt = readRbac('kubevirt-clusterroles.yaml');
  const role = (objs: RbacObject[], name: string) => {
    const r = objs.find((o) => o.kind === 'ClusterRole' && o.metadata.name === name);
    if (!r) throw new Error(`no ClusterRole ${name}`);
    return r;
  };

  it('all RBAC files parse into rbac.authorization.k8s.io/v1 objects', () => {
    for (const f of readdirSync(join(manifests, 'rbac')).filter((x) => x.endsWith('.yaml'))) {
      for (const o of readRbac(f)) {
        expect(o.apiVersion, f).toBe('rbac.authorization.k8s.io/v1');
        expect(['ClusterRole', 'ClusterRoleBinding'], f).toContain(o.kind);
        for (const r of o.rules ?? []) {
          expect(r.apiGroups?.length, `${f} ${o.metadata.name}`).toBeGreaterThan(0);
          expect(r.resources?.length, `${f} ${o.metadata.name}`).toBeGreaterThan(0);
          expect(r.verbs.length, `${f} ${o.metadata.name}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('aggregate kubevirt.io:admin/edit/view and leave kubevirt.io:migrate alone', () => {
    expect(role(kubevirt, 'kubevirt.io:admin').metadata.labels).toMatchObject({ 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' });
    expect(role(kubevirt, 'kubevirt.io:edit').metadata.labels).toMatchObject({ 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' });
    expect(role(kubevirt, 'kubevirt.io:view').metadata.labels).toMatchObject({ 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
    const migrateLabels = Object.keys(role(kubevirt, 'kubevirt.io:migrate').metadata.labels ?? {});
    expect(migrateLabels.filter((l) => l.startsWith('rbac.authorization.k8s.io/aggregate'))).toEqual([]);
  });

  it('grant the subresources of section 2.6', () => {
    const sub = 'subresources.kubevirt.io';
    const getVmi = ['console', 'vnc', 'vnc/screenshot', 'portforward', 'guestosinfo', 'filesystemlist', 'userlist', 'sev/fetchcertchain', 'sev/querylaunchmeasurement', 'usbredir', 'objectgraph'];
    const updateVmi = ['pause', 'unpause', 'addvolume', 'removevolume', 'freeze', 'unfreeze', 'softreboot', 'reset', 'sev/setupsession', 'sev/injectlaunchsecret'];
    const getVm = ['expand-spec', 'portforward', 'objectgraph'];
    const updateVm = ['start', 'stop', 'restart', 'addvolume', 'removevolume', 'memorydump'];
    for (const name of ['kubevirt.io:admin', 'kubevirt.io:edit']) {
      const r = role(kubevirt, name);
      for (const s of getVmi) expect([...verbsFor(r, sub, `virtualmachineinstances/${s}`)], `${name} ${s}`).toEqual(['get']);
      for (const s of updateVmi) expect([...verbsFor(r, sub, `virtualmachineinstances/${s}`)], `${name} ${s}`).toEqual(['update']);
      for (const s of getVm) expect([...verbsFor(r, sub, `virtualmachines/${s}`)], `${name} ${s}`).toEqual(['get']);
      for (const s of updateVm) expect([...verbsFor(r, sub, `virtualmachines/${s}`)], `${name} ${s}`).toEqual(['update']);
      expect([...verbsFor(r, sub, 'expand-vm-spec')]).toEqual(['update']);
      expect(verbsFor(r, sub, 'virtualmachines/migrate').size, name).toBe(0);
      expect([...verbsFor(r, 'kubevirt.io', 'virtualmachineinstancemigrations')].sort(), name).toEqual(['get', 'list', 'watch']);
    }
    const view = role(kubevirt, 'kubevirt.io:view');
    for (const s of ['guestosinfo', 'userlist', 'filesystemlist']) expect([...verbsFor(view, sub, `virtualmachineinstances/${s}`)]).toEqual(['get']);
    expect([...verbsFor(view, sub, 'virtualmachines/expand-spec')]).toEqual(['get']);
    for (const s of ['console', 'vnc', 'portforward']) expect(verbsFor(view, sub, `virtualmachineinstances/${s}`).size, s).toBe(0);
    for (const s of updateVm) expect(verbsFor(view, sub, `virtualmachines/${s}`).size, s).toBe(0);
    const migrate = role(kubevirt, 'kubevirt.io:migrate');
    expect([...verbsFor(migrate, sub, 'virtualmachines/migrate')]).toEqual(['update']);
    expect(verbsFor(migrate, 'kubevirt.io', 'virtualmachineinstancemigrations').has('create')).toBe(true);
  });

  it('give admin deletecollection on VMs and edit only the usual write verbs', () => {
    expect(verbsFor(role(kubevirt, 'kubevirt.io:admin'), 'kubevirt.io', 'virtualmachines').has('deletecollection')).toBe(true);
    const edit = verbsFor(role(kubevirt, 'kubevirt.io:edit'), 'kubevirt.io', 'virtualmachines');
    expect([...edit].sort()).toEqual(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    expect([...verbsFor(role(kubevirt, 'kubevirt.io:view'), 'kubevirt.io', 'virtualmachines')].sort()).toEqual(['get', 'list', 'watch']);
    expect([...verbsFor(role(kubevirt, 'kubevirt.io:view'), 'snapshot.kubevirt.io', 'virtualmachinesnapshots')].sort()).toEqual(['get', 'list', 'watch']);
  });

  it('aggregate CDI, Multus and snapshot roles into admin/edit/view', () => {
    const cdi = readRbac('cdi-clusterroles.yaml');
    for (const [name, agg] of [
      ['cdi.kubevirt.io:admin', 'admin'],
      ['cdi.kubevirt.io:edit', 'edit'],
      ['cdi.kubevirt.io:view', 'view'],
    ] as const) {
      expect(role(cdi, name).metadata.labels?.[`rbac.authorization.k8s.io/aggregate-to-${agg}`]).toBe('true');
    }
    expect([...verbsFor(role(cdi, 'cdi.kubevirt.io:edit'), 'cdi.kubevirt.io', 'datavolumes')]).toEqual(['*']);
    expect([...verbsFor(role(cdi, 'cdi.kubevirt.io:view'), 'cdi.kubevirt.io', 'datasources')].sort()).toEqual(['get', 'list', 'watch']);

    const others = readRbac('network-snapshot-clusterroles.yaml');
    const aggregated = (agg: string) => others.filter((o) => o.metadata.labels?.[`rbac.authorization.k8s.io/aggregate-to-${agg}`] === 'true');
    for (const agg of ['view', 'edit', 'admin']) {
      const roles = aggregated(agg);
      expect(roles.length, agg).toBeGreaterThan(0);
      const verbs = (group: string, res: string) => [...new Set(roles.flatMap((r) => [...verbsFor(r, group, res)]))].sort();
      const want = agg === 'view' ? ['get', 'list', 'watch'] : ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
      expect(verbs('k8s.cni.cncf.io', 'network-attachment-definitions'), agg).toEqual(want);
      expect(verbs('snapshot.storage.k8s.io', 'volumesnapshots'), agg).toEqual(want);
    }
  });
});
