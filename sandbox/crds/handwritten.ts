// Schemas of the third-party CRDs a KubeVirt cluster relies on, written by hand because no Swagger document for them
// is at hand: Multus' NetworkAttachmentDefinition and the CSI external-snapshotter's VolumeSnapshot API (v8, the
// snapshot.storage.k8s.io/v1 kinds). Field names, types, required fields and enums follow the upstream CRDs.
import { QUANTITY_PATTERN, type JSONSchema } from './schema.ts';

const apiVersion: JSONSchema = {
  description:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
  type: 'string',
};
const kind: JSONSchema = {
  description:
    'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.',
  type: 'string',
};
const metadata: JSONSchema = { type: 'object' };

const immutable = (field: string) => [{ rule: 'self == oldSelf', message: `${field} is immutable` }];
const keptOnceSet = (field: string) => ({
  rule: `!has(oldSelf.${field}) || has(self.${field})`,
  message: `${field} cannot be removed once set`,
});
const exactlyOne = (a: string, b: string) => ({
  rule: `has(self.${a}) != has(self.${b})`,
  message: `exactly one of ${a} and ${b} must be set`,
});

const snapshotError: JSONSchema = {
  description:
    'error is the last error observed while creating the snapshot, if any. The snapshot controller keeps retrying; the field is cleared once it succeeds.',
  type: 'object',
  properties: {
    message: {
      description: 'message describes the error. It may be logged, so it must not contain sensitive information.',
      type: 'string',
    },
    time: { description: 'time is when the error was observed.', type: 'string', format: 'date-time' },
  },
};

const deletionPolicy = (what: string): JSONSchema => ({
  description: `deletionPolicy says whether ${what} are deleted (Delete) or kept (Retain) when the bound VolumeSnapshot is deleted.`,
  type: 'string',
  enum: ['Delete', 'Retain'],
});

export const networkAttachmentDefinitionSchema: JSONSchema = {
  description:
    'NetworkAttachmentDefinition (Network Plumbing Working Group multi-network specification) describes a network that pods and virtual machines can be attached to in addition to the cluster network, through a CNI plugin such as Multus.',
  type: 'object',
  properties: {
    apiVersion,
    kind,
    metadata,
    spec: {
      description: 'spec holds the desired attachment.',
      type: 'object',
      properties: {
        config: {
          description:
            'config is the CNI configuration of the network: a JSON document, given as a string.',
          type: 'string',
        },
      },
    },
  },
};

export const volumeSnapshotSchema: JSONSchema = {
  description:
    'VolumeSnapshot is a request for a point-in-time snapshot of a PersistentVolumeClaim, or a binding to a snapshot that already exists on the storage system.',
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion,
    kind,
    metadata,
    spec: {
      description: 'spec is what the user asks for. It is required.',
      type: 'object',
      required: ['source'],
      properties: {
        source: {
          description:
            'source says what the snapshot is taken from: a PersistentVolumeClaim to snapshot now, or an existing VolumeSnapshotContent. Exactly one must be set, and it cannot change.',
          type: 'object',
          properties: {
            persistentVolumeClaimName: {
              description:
                'persistentVolumeClaimName names the PersistentVolumeClaim, in the namespace of the VolumeSnapshot, to take a snapshot of. Immutable.',
              type: 'string',
              'x-kubernetes-validations': immutable('persistentVolumeClaimName'),
            },
            volumeSnapshotContentName: {
              description:
                'volumeSnapshotContentName names a pre-provisioned VolumeSnapshotContent that represents a snapshot which already exists. Immutable.',
              type: 'string',
              'x-kubernetes-validations': immutable('volumeSnapshotContentName'),
            },
          },
          'x-kubernetes-validations': [
            keptOnceSet('persistentVolumeClaimName'),
            keptOnceSet('volumeSnapshotContentName'),
            exactlyOne('volumeSnapshotContentName', 'persistentVolumeClaimName'),
          ],
        },
        volumeSnapshotClassName: {
          description:
            "volumeSnapshotClassName names the VolumeSnapshotClass to use. When it is not set, the default class of the source volume's CSI driver is used. It must not be the empty string.",
          type: 'string',
          'x-kubernetes-validations': [{ rule: 'size(self) > 0', message: 'volumeSnapshotClassName must not be empty when set' }],
        },
      },
    },
    status: {
      description:
        'status is the observed state of the snapshot. Before using the snapshot, check that the VolumeSnapshot and its VolumeSnapshotContent point at each other.',
      type: 'object',
      properties: {
        boundVolumeSnapshotContentName: {
          description: 'boundVolumeSnapshotContentName names the VolumeSnapshotContent this VolumeSnapshot is bound to.',
          type: 'string',
        },
        creationTime: {
          description: 'creationTime is when the storage system took the point-in-time snapshot, if known.',
          type: 'string',
          format: 'date-time',
        },
        error: snapshotError,
        readyToUse: {
          description: 'readyToUse says whether the snapshot can be used to restore a volume.',
          type: 'boolean',
        },
        restoreSize: {
          description:
            'restoreSize is the minimum size of a volume created from this snapshot. A volume restored from it must not be smaller.',
          anyOf: [{ type: 'integer' }, { type: 'string' }],
          pattern: QUANTITY_PATTERN,
          'x-kubernetes-int-or-string': true,
        },
        volumeGroupSnapshotName: {
          description: 'volumeGroupSnapshotName names the VolumeGroupSnapshot this snapshot is part of, if any.',
          type: 'string',
        },
      },
    },
  },
};

export const volumeSnapshotContentSchema: JSONSchema = {
  description:
    'VolumeSnapshotContent represents a snapshot on the storage system: one the snapshot controller took for a VolumeSnapshot, or one an administrator imported. It is cluster-scoped.',
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion,
    kind,
    metadata,
    spec: {
      description: 'spec describes the snapshot and the VolumeSnapshot it is bound to.',
      type: 'object',
      required: ['deletionPolicy', 'driver', 'source', 'volumeSnapshotRef'],
      properties: {
        deletionPolicy: deletionPolicy('this VolumeSnapshotContent and the physical snapshot'),
        driver: {
          description: 'driver is the name of the CSI driver that manages the physical snapshot.',
          type: 'string',
        },
        source: {
          description:
            'source is either the handle of the volume to snapshot (dynamic provisioning) or the handle of an existing snapshot (pre-provisioned). Exactly one must be set, and it cannot change.',
          type: 'object',
          properties: {
            snapshotHandle: {
              description: 'snapshotHandle is the CSI handle of an existing snapshot on the storage system. Immutable.',
              type: 'string',
              'x-kubernetes-validations': immutable('snapshotHandle'),
            },
            volumeHandle: {
              description: 'volumeHandle is the CSI handle of the volume to take the snapshot of. Immutable.',
              type: 'string',
              'x-kubernetes-validations': immutable('volumeHandle'),
            },
          },
          'x-kubernetes-validations': [keptOnceSet('volumeHandle'), keptOnceSet('snapshotHandle'), exactlyOne('volumeHandle', 'snapshotHandle')],
        },
        sourceVolumeMode: {
          description: 'sourceVolumeMode is the volume mode (Filesystem or Block) of the volume the snapshot was taken from. Immutable.',
          type: 'string',
          'x-kubernetes-validations': immutable('sourceVolumeMode'),
        },
        volumeSnapshotClassName: {
          description: 'volumeSnapshotClassName names the VolumeSnapshotClass the snapshot was created with.',
          type: 'string',
        },
        volumeSnapshotRef: {
          description:
            'volumeSnapshotRef points at the VolumeSnapshot this content is bound to; its name and namespace are required.',
          type: 'object',
          properties: {
            apiVersion: { description: 'API version of the referent.', type: 'string' },
            fieldPath: { description: 'If referring to a piece of an object instead of an entire object, the path to it.', type: 'string' },
            kind: { description: 'Kind of the referent.', type: 'string' },
            name: { description: 'Name of the referent.', type: 'string' },
            namespace: { description: 'Namespace of the referent.', type: 'string' },
            resourceVersion: { description: 'Specific resourceVersion to which this reference is made, if any.', type: 'string' },
            uid: { description: 'UID of the referent.', type: 'string' },
          },
          'x-kubernetes-map-type': 'atomic',
          'x-kubernetes-validations': [
            { rule: 'has(self.name) && has(self.__namespace__)', message: 'volumeSnapshotRef needs both name and namespace' },
          ],
        },
      },
      'x-kubernetes-validations': [keptOnceSet('sourceVolumeMode')],
    },
    status: {
      description: 'status is the observed state of the physical snapshot.',
      type: 'object',
      properties: {
        creationTime: {
          description: 'creationTime is when the storage system took the snapshot, in Unix nanoseconds.',
          type: 'integer',
          format: 'int64',
        },
        error: snapshotError,
        readyToUse: { description: 'readyToUse says whether the snapshot can be used to restore a volume.', type: 'boolean' },
        restoreSize: {
          description: 'restoreSize is the size of the snapshot in bytes.',
          type: 'integer',
          format: 'int64',
          minimum: 0,
        },
        snapshotHandle: { description: 'snapshotHandle is the CSI handle of the snapshot on the storage system.', type: 'string' },
        volumeGroupSnapshotHandle: {
          description: 'volumeGroupSnapshotHandle is the CSI handle of the group snapshot this snapshot is part of, if any.',
          type: 'string',
        },
      },
    },
  },
};

export const volumeSnapshotClassSchema: JSONSchema = {
  description:
    'VolumeSnapshotClass names a CSI driver and the parameters it takes snapshots with. It is cluster-scoped and has no spec: its fields are at the top level.',
  type: 'object',
  required: ['deletionPolicy', 'driver'],
  properties: {
    apiVersion,
    deletionPolicy: deletionPolicy('VolumeSnapshotContents created through this class'),
    driver: { description: 'driver is the name of the CSI driver that takes the snapshots.', type: 'string' },
    kind,
    metadata,
    parameters: {
      description: 'parameters are driver-specific key/value pairs passed on to the CSI driver.',
      type: 'object',
      additionalProperties: { type: 'string' },
    },
  },
};

// CDI's StorageProfile (cdi.kubevirt.io/v1beta1), absent from CDI's published Swagger document: CDI keeps one per
// StorageClass, and its status says which access and volume modes the class's storage serves (claimPropertySets).
const claimPropertySets: JSONSchema = {
  description: 'claimPropertySets: the access modes and volume mode pairs the storage serves, best first.',
  type: 'array',
  items: {
    type: 'object',
    required: ['accessModes', 'volumeMode'],
    properties: {
      accessModes: { type: 'array', items: { type: 'string' } },
      volumeMode: { type: 'string', enum: ['Block', 'Filesystem'] },
    },
  },
};
const storageProfileFields: Record<string, JSONSchema> = {
  claimPropertySets,
  cloneStrategy: { type: 'string', enum: ['copy', 'snapshot', 'csi-clone'] },
  dataImportCronSourceFormat: { type: 'string', enum: ['pvc', 'snapshot'] },
  snapshotClass: { type: 'string' },
};

export const storageProfileSchema: JSONSchema = {
  description: 'StorageProfile provides a CDI specific recommendation for storage parameters of one StorageClass.',
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion,
    kind,
    metadata,
    spec: { description: 'spec: overrides of what CDI detected.', type: 'object', properties: storageProfileFields },
    status: {
      description: 'status: what CDI recommends for claims of the class.',
      type: 'object',
      properties: { ...storageProfileFields, provisioner: { type: 'string' }, storageClass: { type: 'string' } },
    },
  },
};
