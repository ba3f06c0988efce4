// KubeVirt types come from @kubevirt-ui-ext/kubevirt-api; re-exported here so the rest of the portal imports one name.
export type {
  V1VirtualMachine as VirtualMachine,
  V1VirtualMachineInstance as VirtualMachineInstance,
  V1VirtualMachineCondition as VMCondition,
  V1VirtualMachineInstanceCondition as VMICondition,
  V1VirtualMachineInstanceMigration as VirtualMachineInstanceMigration,
  V1VirtualMachineInstanceMigrationState as MigrationState,
} from '@kubevirt-ui-ext/kubevirt-api/kubevirt';

// core/v1 Event, the fields the portal shows.
export interface KubeEvent {
  metadata?: { name?: string; namespace?: string; uid?: string; creationTimestamp?: string; resourceVersion?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
  reportingComponent?: string;
}

// Snapshots, restores and clones (snapshot.kubevirt.io/v1beta1, clone.kubevirt.io/v1beta1): the Snapshots tab.
export type {
  V1beta1VirtualMachineSnapshot as VirtualMachineSnapshot,
  V1beta1VirtualMachineSnapshotContent as VirtualMachineSnapshotContent,
  V1beta1VirtualMachineRestore as VirtualMachineRestore,
  V1beta1VirtualMachineClone as VirtualMachineClone,
  V1VolumeSnapshotStatus as VolumeSnapshotStatus,
} from '@kubevirt-ui-ext/kubevirt-api/kubevirt';
