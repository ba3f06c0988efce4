// The CustomResourceDefinitions of the sandbox: KubeVirt 1.6 and CDI 1.62 (schemas converted from their Swagger
// documents), Multus' NetworkAttachmentDefinition and the CSI VolumeSnapshot kinds (schemas written by hand).
// Names, versions, scopes, subresources, printer columns and categories follow what virt-operator
// (pkg/virt-operator/resource/generate/components/crds.go at v1.6.0) and CDI's operator install.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  networkAttachmentDefinitionSchema,
  storageProfileSchema,
  volumeSnapshotClassSchema,
  volumeSnapshotContentSchema,
  volumeSnapshotSchema,
} from './handwritten.ts';
import {
  at,
  normalize,
  special,
  stripDescriptions,
  SwaggerConverter,
  type JSONSchema,
  type SwaggerDocument,
} from './schema.ts';

export const KUBEVIRT_SWAGGER = 'kubevirt-v1.6.0-swagger.json';
export const CDI_SWAGGER = 'cdi-v1.62.0-swagger.json';

/**
 * Largest CRD object, as compact JSON, before descriptions are dropped from deep schema nodes. etcd refuses values over
 * 1.5 MiB; kube-apiserver stores a CRD whose versions share one schema with that schema only once, so this is a
 * generous bound for the stored object.
 */
export const MAX_CRD_JSON_BYTES = 1_200_000;

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  description?: string;
  priority?: number;
  jsonPath: string;
}

interface Version {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
}

interface CrdSpec {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  scope: 'Namespaced' | 'Cluster';
  versions: Version[];
  /** Write `conversion: {strategy: None}` explicitly, as KubeVirt does for its multi-version snapshot CRDs. */
  explicitNoneConversion?: boolean;
  status: boolean;
  /** The scale subresource on .spec.replicas / .status.replicas / .status.labelSelector (replica sets, pools). */
  scale?: boolean;
  columns?: PrinterColumn[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Same schema for every version. */
  schema: JSONSchema;
  /** Where the schema came from, for the header of the generated file. */
  source: string;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
    scope: 'Namespaced' | 'Cluster';
    conversion?: { strategy: 'None' };
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      deprecated?: boolean;
      deprecationWarning?: string;
      schema: { openAPIV3Schema: JSONSchema };
      subresources?: { status: Record<string, never>; scale?: ScaleSubresource };
      additionalPrinterColumns?: PrinterColumn[];
    }[];
  };
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath: string;
}

const REPLICAS_SCALE: ScaleSubresource = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' };

export interface GeneratedCrd {
  crd: CustomResourceDefinition;
  source: string;
  /** Descriptions were dropped from schema nodes deeper than this (undefined: all descriptions kept). */
  descriptionDepth?: number;
}

const KUBEVIRT_V1_VERSIONS: Version[] = [
  { name: 'v1', served: true, storage: true },
  {
    name: 'v1alpha3',
    served: true,
    storage: false,
    deprecated: true,
    deprecationWarning: 'kubevirt.io/v1alpha3 is now deprecated and will be removed in a future release.',
  },
];
const V1BETA1_WITH_V1ALPHA1: Version[] = [
  { name: 'v1alpha1', served: true, storage: false },
  { name: 'v1beta1', served: true, storage: true },
];
const ONLY = (name: string): Version[] => [{ name, served: true, storage: true }];

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const PHASE: PrinterColumn = { name: 'Phase', type: 'string', jsonPath: '.status.phase' };
const condition = (name: string, type: string, priority?: number): PrinterColumn => ({
  name,
  type: 'string',
  ...(priority ? { priority } : {}),
  jsonPath: `.status.conditions[?(@.type=='${type}')].status`,
});

/** The columns of KubeVirt's replica-set-like kinds (VMI replica sets, VM pools), with its descriptions. */
const replicaColumns = (what: string): PrinterColumn[] => [
  { name: 'Desired', type: 'integer', description: `Number of desired ${what}`, jsonPath: '.spec.replicas' },
  { name: 'Current', type: 'integer', description: `Number of managed and not final or deleted ${what}`, jsonPath: '.status.replicas' },
  { name: 'Ready', type: 'integer', description: `Number of managed ${what} which are ready to receive traffic`, jsonPath: '.status.readyReplicas' },
  AGE,
];

/** KubeVirt's own CRDs carry the `kubevirt.io` label (the KubeVirt CRD itself `operator.kubevirt.io`). */
const KUBEVIRT_LABELS = { 'kubevirt.io': '' };

function readSwagger(dir: string, file: string): SwaggerDocument {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as SwaggerDocument;
}

function kubevirtConverter(dir: string) {
  return new SwaggerConverter(readSwagger(dir, KUBEVIRT_SWAGGER), {
    source: KUBEVIRT_SWAGGER,
    objectMeta: 'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    specials: {
      'k8s.io.apimachinery.pkg.api.resource.Quantity': special.quantity,
      'k8s.io.apimachinery.pkg.util.intstr.IntOrString': special.intOrString,
      'k8s.io.apimachinery.pkg.apis.meta.v1.Time': special.time,
      'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': special.time,
      'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': special.duration,
      'k8s.io.apimachinery.pkg.runtime.RawExtension': special.freeFormObject,
      'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': special.freeFormObject,
    },
    // KubeVirt's CRDs default LocalObjectReference.name (also inlined in ConfigMapVolumeSource) to "", from the core type's +default marker.
    keepDefaults: { 'k8s.io.api.core.v1.LocalObjectReference': ['name'], 'v1.ConfigMapVolumeSource': ['name'] },
  });
}

function cdiConverter(dir: string) {
  return new SwaggerConverter(readSwagger(dir, CDI_SWAGGER), {
    source: CDI_SWAGGER,
    objectMeta: 'v1.ObjectMeta',
    specials: {
      'resource.Quantity': special.quantity,
      'intstr.IntOrString': special.intOrString,
      'v1.Time': special.time,
      'v1.MicroTime': special.time,
      'v1.Duration': special.duration,
      'runtime.RawExtension': special.freeFormObject,
      'v1.FieldsV1': special.freeFormObject,
    },
  });
}

/** The VirtualMachine status' printableStatus defaults to Stopped (it applies once a status object exists). */
function withPrintableStatusDefault(schema: JSONSchema, statusPath: string): JSONSchema {
  const printable = at(schema, `${statusPath}.printableStatus`);
  printable.default = 'Stopped';
  return schema;
}

function specs(inputDir: string): CrdSpec[] {
  const kv = kubevirtConverter(inputDir);
  const cdi = cdiConverter(inputDir);
  const kvSource = `${KUBEVIRT_SWAGGER} definition`;
  const cdiSource = `${CDI_SWAGGER} definition`;
  const handSource = 'sandbox/crds/handwritten.ts';

  return [
    // kubevirt.io
    {
      group: 'kubevirt.io',
      kind: 'KubeVirt',
      plural: 'kubevirts',
      singular: 'kubevirt',
      shortNames: ['kv', 'kvs'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: KUBEVIRT_V1_VERSIONS,
      status: true,
      columns: [AGE, PHASE],
      labels: { 'operator.kubevirt.io': '' },
      schema: kv.root('v1.KubeVirt'),
      source: `${kvSource} v1.KubeVirt`,
    },
    {
      group: 'kubevirt.io',
      kind: 'VirtualMachine',
      plural: 'virtualmachines',
      singular: 'virtualmachine',
      shortNames: ['vm', 'vms'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: KUBEVIRT_V1_VERSIONS,
      status: true,
      columns: [
        AGE,
        { name: 'Status', type: 'string', description: 'Human Readable Status', jsonPath: '.status.printableStatus' },
        condition('Ready', 'Ready'),
      ],
      labels: KUBEVIRT_LABELS,
      schema: withPrintableStatusDefault(kv.root('v1.VirtualMachine'), 'status'),
      source: `${kvSource} v1.VirtualMachine`,
    },
    {
      group: 'kubevirt.io',
      kind: 'VirtualMachineInstance',
      plural: 'virtualmachineinstances',
      singular: 'virtualmachineinstance',
      shortNames: ['vmi', 'vmis'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: KUBEVIRT_V1_VERSIONS,
      // No status subresource: virt-controller and virt-handler write the status with the object.
      status: false,
      columns: [
        AGE,
        PHASE,
        { name: 'IP', type: 'string', jsonPath: '.status.interfaces[0].ipAddress' },
        { name: 'NodeName', type: 'string', jsonPath: '.status.nodeName' },
        condition('Ready', 'Ready'),
        condition('Live-Migratable', 'LiveMigratable', 1),
        condition('Paused', 'Paused', 1),
      ],
      labels: KUBEVIRT_LABELS,
      schema: kv.root('v1.VirtualMachineInstance'),
      source: `${kvSource} v1.VirtualMachineInstance`,
    },
    {
      group: 'kubevirt.io',
      kind: 'VirtualMachineInstanceMigration',
      plural: 'virtualmachineinstancemigrations',
      singular: 'virtualmachineinstancemigration',
      shortNames: ['vmim', 'vmims'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: KUBEVIRT_V1_VERSIONS,
      status: true,
      columns: [
        { ...PHASE, description: 'The current phase of the migration' },
        { name: 'VMI', type: 'string', description: 'The name of the VMI to migrate', jsonPath: '.spec.vmiName' },
      ],
      labels: KUBEVIRT_LABELS,
      schema: kv.root('v1.VirtualMachineInstanceMigration'),
      source: `${kvSource} v1.VirtualMachineInstanceMigration`,
    },
    {
      group: 'kubevirt.io',
      kind: 'VirtualMachineInstanceReplicaSet',
      plural: 'virtualmachineinstancereplicasets',
      singular: 'virtualmachineinstancereplicaset',
      shortNames: ['vmirs', 'vmirss'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: KUBEVIRT_V1_VERSIONS,
      status: true,
      scale: true,
      columns: replicaColumns('VirtualMachineInstances'),
      labels: KUBEVIRT_LABELS,
      schema: kv.root('v1.VirtualMachineInstanceReplicaSet'),
      source: `${kvSource} v1.VirtualMachineInstanceReplicaSet`,
    },
    {
      group: 'kubevirt.io',
      kind: 'VirtualMachineInstancePreset',
      plural: 'virtualmachineinstancepresets',
      singular: 'virtualmachineinstancepreset',
      shortNames: ['vmipreset', 'vmipresets'],
      categories: ['all'],
      scope: 'Namespaced',
      // Deprecated in both versions, and stored as v1alpha3, as virt-operator installs it.
      versions: [
        { name: 'v1', served: true, storage: false, deprecated: true, deprecationWarning: 'kubevirt.io/v1 VirtualMachineInstancePresets is now deprecated and will be removed in v2.' },
        { name: 'v1alpha3', served: true, storage: true, deprecated: true, deprecationWarning: 'kubevirt.io/v1alpha3 VirtualMachineInstancePresets is now deprecated and will be removed in v2.' },
      ],
      status: false,
      labels: KUBEVIRT_LABELS,
      schema: kv.root('v1.VirtualMachineInstancePreset'),
      source: `${kvSource} v1.VirtualMachineInstancePreset`,
    },

    // pool.kubevirt.io
    {
      group: 'pool.kubevirt.io',
      kind: 'VirtualMachinePool',
      plural: 'virtualmachinepools',
      singular: 'virtualmachinepool',
      shortNames: ['vmpool', 'vmpools'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: ONLY('v1alpha1'),
      status: true,
      scale: true,
      columns: replicaColumns('VirtualMachines'),
      labels: KUBEVIRT_LABELS,
      schema: kv.root('v1alpha1.VirtualMachinePool'),
      source: `${kvSource} v1alpha1.VirtualMachinePool`,
    },

    // export.kubevirt.io
    {
      group: 'export.kubevirt.io',
      kind: 'VirtualMachineExport',
      plural: 'virtualmachineexports',
      singular: 'virtualmachineexport',
      shortNames: ['vmexport', 'vmexports'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: V1BETA1_WITH_V1ALPHA1,
      explicitNoneConversion: true,
      status: true,
      columns: [
        { name: 'SourceKind', type: 'string', jsonPath: '.spec.source.kind' },
        { name: 'SourceName', type: 'string', jsonPath: '.spec.source.name' },
        PHASE,
      ],
      labels: KUBEVIRT_LABELS,
      schema: kv.root('v1beta1.VirtualMachineExport'),
      source: `${kvSource} v1beta1.VirtualMachineExport`,
    },

    // snapshot.kubevirt.io
    {
      group: 'snapshot.kubevirt.io',
      kind: 'VirtualMachineSnapshot',
      plural: 'virtualmachinesnapshots',
      singular: 'virtualmachinesnapshot',
      shortNames: ['vmsnapshot', 'vmsnapshots'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: V1BETA1_WITH_V1ALPHA1,
      explicitNoneConversion: true,
      status: true,
      columns: [
        { name: 'SourceKind', type: 'string', jsonPath: '.spec.source.kind' },
        { name: 'SourceName', type: 'string', jsonPath: '.spec.source.name' },
        PHASE,
        { name: 'ReadyToUse', type: 'boolean', jsonPath: '.status.readyToUse' },
        { name: 'CreationTime', type: 'date', jsonPath: '.status.creationTime' },
        { name: 'Error', type: 'string', jsonPath: '.status.error.message' },
      ],
      labels: KUBEVIRT_LABELS,
      schema: kv.root('v1beta1.VirtualMachineSnapshot'),
      source: `${kvSource} v1beta1.VirtualMachineSnapshot`,
    },
    {
      group: 'snapshot.kubevirt.io',
      kind: 'VirtualMachineSnapshotContent',
      plural: 'virtualmachinesnapshotcontents',
      singular: 'virtualmachinesnapshotcontent',
      shortNames: ['vmsnapshotcontent', 'vmsnapshotcontents'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: V1BETA1_WITH_V1ALPHA1,
      explicitNoneConversion: true,
      status: true,
      columns: [
        { name: 'ReadyToUse', type: 'boolean', jsonPath: '.status.readyToUse' },
        { name: 'CreationTime', type: 'date', jsonPath: '.status.creationTime' },
        { name: 'Error', type: 'string', jsonPath: '.status.error.message' },
      ],
      labels: KUBEVIRT_LABELS,
      schema: withPrintableStatusDefault(
        kv.root('v1beta1.VirtualMachineSnapshotContent'),
        'spec.source.virtualMachine.status',
      ),
      source: `${kvSource} v1beta1.VirtualMachineSnapshotContent`,
    },
    {
      group: 'snapshot.kubevirt.io',
      kind: 'VirtualMachineRestore',
      plural: 'virtualmachinerestores',
      singular: 'virtualmachinerestore',
      shortNames: ['vmrestore', 'vmrestores'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: V1BETA1_WITH_V1ALPHA1,
      explicitNoneConversion: true,
      status: true,
      columns: [
        { name: 'TargetKind', type: 'string', jsonPath: '.spec.target.kind' },
        { name: 'TargetName', type: 'string', jsonPath: '.spec.target.name' },
        { name: 'Complete', type: 'boolean', jsonPath: '.status.complete' },
        { name: 'RestoreTime', type: 'date', jsonPath: '.status.restoreTime' },
      ],
      labels: KUBEVIRT_LABELS,
      schema: kv.root('v1beta1.VirtualMachineRestore'),
      source: `${kvSource} v1beta1.VirtualMachineRestore`,
    },

    // clone.kubevirt.io
    {
      group: 'clone.kubevirt.io',
      kind: 'VirtualMachineClone',
      plural: 'virtualmachineclones',
      singular: 'virtualmachineclone',
      shortNames: ['vmclone', 'vmclones'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: V1BETA1_WITH_V1ALPHA1,
      status: true,
      columns: [
        PHASE,
        { name: 'SourceVirtualMachine', type: 'string', jsonPath: '.spec.source.name' },
        { name: 'TargetVirtualMachine', type: 'string', jsonPath: '.spec.target.name' },
      ],
      labels: KUBEVIRT_LABELS,
      schema: kv.root('v1beta1.VirtualMachineClone'),
      source: `${kvSource} v1beta1.VirtualMachineClone`,
    },

    // instancetype.kubevirt.io (v1alpha1 and v1alpha2 are not served in 1.6 and are left out)
    ...(
      [
        ['VirtualMachineInstancetype', 'Namespaced', ['vminstancetype', 'vminstancetypes', 'vmf', 'vmfs']],
        ['VirtualMachineClusterInstancetype', 'Cluster', ['vmclusterinstancetype', 'vmclusterinstancetypes', 'vmcf', 'vmcfs']],
        ['VirtualMachinePreference', 'Namespaced', ['vmpref', 'vmprefs', 'vmp', 'vmps']],
        ['VirtualMachineClusterPreference', 'Cluster', ['vmcp', 'vmcps']],
      ] as const
    ).map(
      ([kind, scope, shortNames]): CrdSpec => ({
        group: 'instancetype.kubevirt.io',
        kind,
        plural: `${kind.toLowerCase()}s`,
        singular: kind.toLowerCase(),
        shortNames: [...shortNames],
        ...(scope === 'Namespaced' ? { categories: ['all'] } : {}),
        scope,
        versions: ONLY('v1beta1'),
        explicitNoneConversion: true,
        status: false,
        labels: KUBEVIRT_LABELS,
        schema: kv.root(`v1beta1.${kind}`),
        source: `${kvSource} v1beta1.${kind}`,
      }),
    ),

    // migrations.kubevirt.io
    {
      group: 'migrations.kubevirt.io',
      kind: 'MigrationPolicy',
      plural: 'migrationpolicies',
      singular: 'migrationpolicy',
      scope: 'Cluster',
      versions: ONLY('v1alpha1'),
      status: true,
      labels: KUBEVIRT_LABELS,
      schema: kv.root('v1alpha1.MigrationPolicy'),
      source: `${kvSource} v1alpha1.MigrationPolicy`,
    },

    // cdi.kubevirt.io
    {
      group: 'cdi.kubevirt.io',
      kind: 'DataVolume',
      plural: 'datavolumes',
      singular: 'datavolume',
      shortNames: ['dv', 'dvs'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: ONLY('v1beta1'),
      status: true,
      columns: [
        { ...PHASE, description: 'The phase the data volume is in' },
        {
          name: 'Progress',
          type: 'string',
          description: 'Transfer progress in percentage if known, N/A otherwise',
          jsonPath: '.status.progress',
        },
        {
          name: 'Restarts',
          type: 'integer',
          description: 'The number of times the transfer has been restarted.',
          jsonPath: '.status.restartCount',
        },
        AGE,
      ],
      schema: cdi.root('v1beta1.DataVolume'),
      source: `${cdiSource} v1beta1.DataVolume`,
    },
    {
      group: 'cdi.kubevirt.io',
      kind: 'DataSource',
      plural: 'datasources',
      singular: 'datasource',
      shortNames: ['das'],
      categories: ['all'],
      scope: 'Namespaced',
      versions: ONLY('v1beta1'),
      // CDI 1.62's DataSource CRD has no subresources: the status is written with the object.
      status: false,
      schema: cdi.root('v1beta1.DataSource'),
      source: `${cdiSource} v1beta1.DataSource`,
    },
    {
      group: 'cdi.kubevirt.io',
      kind: 'StorageProfile',
      plural: 'storageprofiles',
      singular: 'storageprofile',
      scope: 'Cluster',
      versions: ONLY('v1beta1'),
      status: true,
      schema: storageProfileSchema,
      source: handSource,
    },

    // k8s.cni.cncf.io (Multus)
    {
      group: 'k8s.cni.cncf.io',
      kind: 'NetworkAttachmentDefinition',
      plural: 'network-attachment-definitions',
      singular: 'network-attachment-definition',
      shortNames: ['net-attach-def'],
      scope: 'Namespaced',
      versions: ONLY('v1'),
      status: false,
      schema: networkAttachmentDefinitionSchema,
      source: handSource,
    },

    // snapshot.storage.k8s.io (CSI external-snapshotter v8). A *.k8s.io group needs the API approval annotation.
    {
      group: 'snapshot.storage.k8s.io',
      kind: 'VolumeSnapshot',
      plural: 'volumesnapshots',
      singular: 'volumesnapshot',
      shortNames: ['vs'],
      scope: 'Namespaced',
      versions: ONLY('v1'),
      status: true,
      columns: [
        { name: 'ReadyToUse', type: 'boolean', description: 'Whether the snapshot can be used to restore a volume.', jsonPath: '.status.readyToUse' },
        { name: 'SourcePVC', type: 'string', description: 'The PVC the snapshot is taken from.', jsonPath: '.spec.source.persistentVolumeClaimName' },
        {
          name: 'SourceSnapshotContent',
          type: 'string',
          description: 'The pre-provisioned VolumeSnapshotContent the snapshot binds to.',
          jsonPath: '.spec.source.volumeSnapshotContentName',
        },
        { name: 'RestoreSize', type: 'string', description: 'Minimum size of a volume restored from the snapshot.', jsonPath: '.status.restoreSize' },
        { name: 'SnapshotClass', type: 'string', description: 'The VolumeSnapshotClass requested.', jsonPath: '.spec.volumeSnapshotClassName' },
        {
          name: 'SnapshotContent',
          type: 'string',
          description: 'The VolumeSnapshotContent the snapshot is bound to.',
          jsonPath: '.status.boundVolumeSnapshotContentName',
        },
        { name: 'CreationTime', type: 'date', description: 'When the storage system took the snapshot.', jsonPath: '.status.creationTime' },
        AGE,
      ],
      annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-csi/external-snapshotter/pull/814' },
      schema: volumeSnapshotSchema,
      source: handSource,
    },
    {
      group: 'snapshot.storage.k8s.io',
      kind: 'VolumeSnapshotContent',
      plural: 'volumesnapshotcontents',
      singular: 'volumesnapshotcontent',
      shortNames: ['vsc', 'vscs'],
      scope: 'Cluster',
      versions: ONLY('v1'),
      status: true,
      columns: [
        { name: 'ReadyToUse', type: 'boolean', description: 'Whether the snapshot can be used to restore a volume.', jsonPath: '.status.readyToUse' },
        { name: 'RestoreSize', type: 'integer', description: 'Size of the snapshot in bytes.', jsonPath: '.status.restoreSize' },
        { name: 'DeletionPolicy', type: 'string', description: 'Delete or Retain the physical snapshot with its VolumeSnapshot.', jsonPath: '.spec.deletionPolicy' },
        { name: 'Driver', type: 'string', description: 'The CSI driver of the snapshot.', jsonPath: '.spec.driver' },
        { name: 'VolumeSnapshotClass', type: 'string', description: 'The VolumeSnapshotClass of the snapshot.', jsonPath: '.spec.volumeSnapshotClassName' },
        { name: 'VolumeSnapshot', type: 'string', description: 'The bound VolumeSnapshot.', jsonPath: '.spec.volumeSnapshotRef.name' },
        {
          name: 'VolumeSnapshotNamespace',
          type: 'string',
          description: 'The namespace of the bound VolumeSnapshot.',
          jsonPath: '.spec.volumeSnapshotRef.namespace',
        },
        AGE,
      ],
      annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-csi/external-snapshotter/pull/955' },
      schema: volumeSnapshotContentSchema,
      source: handSource,
    },
    {
      group: 'snapshot.storage.k8s.io',
      kind: 'VolumeSnapshotClass',
      plural: 'volumesnapshotclasses',
      singular: 'volumesnapshotclass',
      shortNames: ['vsclass', 'vsclasses'],
      scope: 'Cluster',
      versions: ONLY('v1'),
      status: false,
      columns: [
        { name: 'Driver', type: 'string', jsonPath: '.driver' },
        {
          name: 'DeletionPolicy',
          type: 'string',
          description: 'Delete or Retain the VolumeSnapshotContents created through this class.',
          jsonPath: '.deletionPolicy',
        },
        AGE,
      ],
      annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-csi/external-snapshotter/pull/814' },
      schema: volumeSnapshotClassSchema,
      source: handSource,
    },
  ];
}

function assemble(spec: CrdSpec, schema: JSONSchema): CustomResourceDefinition {
  const metadata: CustomResourceDefinition['metadata'] = { name: `${spec.plural}.${spec.group}` };
  if (spec.labels) metadata.labels = { ...spec.labels };
  if (spec.annotations) metadata.annotations = { ...spec.annotations };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata,
    spec: {
      group: spec.group,
      names: {
        kind: spec.kind,
        listKind: `${spec.kind}List`,
        plural: spec.plural,
        singular: spec.singular,
        ...(spec.shortNames ? { shortNames: [...spec.shortNames] } : {}),
        ...(spec.categories ? { categories: [...spec.categories] } : {}),
      },
      scope: spec.scope,
      ...(spec.explicitNoneConversion ? { conversion: { strategy: 'None' as const } } : {}),
      versions: spec.versions.map((v) => ({
        name: v.name,
        served: v.served,
        storage: v.storage,
        ...(v.deprecated ? { deprecated: true } : {}),
        ...(v.deprecationWarning ? { deprecationWarning: v.deprecationWarning } : {}),
        schema: { openAPIV3Schema: schema },
        ...(spec.status ? { subresources: { status: {}, ...(spec.scale ? { scale: { ...REPLICAS_SCALE } } : {}) } } : {}),
        ...(spec.columns ? { additionalPrinterColumns: spec.columns.map((c) => ({ ...c })) } : {}),
      })),
    },
  };
}

export const jsonSize = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Depth of the deepest schema node (the root is 0). */
function maxDepth(schema: JSONSchema, depth = 0): number {
  let max = depth;
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(schema.additionalProperties ? [schema.additionalProperties] : []),
  ];
  for (const c of children) max = Math.max(max, maxDepth(c, depth + 1));
  return max;
}

/**
 * Builds every CRD. Deterministic: the same inputs always give the same objects. A CRD whose JSON exceeds
 * `maxJsonBytes` loses descriptions from its deepest schema levels, one level at a time, until it fits.
 */
export function buildCrds(inputDir: string, maxJsonBytes = MAX_CRD_JSON_BYTES): GeneratedCrd[] {
  return specs(inputDir).map((spec) => {
    const schema = normalize(spec.schema);
    let crd = assemble(spec, schema);
    if (jsonSize(crd) <= maxJsonBytes) return { crd, source: spec.source };
    for (let depth = maxDepth(schema) - 1; depth >= 0; depth--) {
      crd = assemble(spec, stripDescriptions(schema, depth));
      if (jsonSize(crd) <= maxJsonBytes) return { crd, source: spec.source, descriptionDepth: depth };
    }
    throw new Error(`${spec.plural}.${spec.group} does not fit in ${maxJsonBytes} bytes even without descriptions`);
  });
}
