// The sandbox's CSI drivers and what each one's volumes can do, the way real drivers differ.
export interface DriverTraits {
  accessModes: string[];
  volumeModes: string[];
  /** Volumes are tied to the node they were made on (local disks). */
  nodeLocal: boolean;
  snapshots: boolean;
}

export const drivers: Record<string, DriverTraits> = {
  'shared.csi.sandbox.kubevirt.io': {
    accessModes: ['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOncePod'],
    volumeModes: ['Filesystem', 'Block'],
    nodeLocal: false,
    snapshots: true,
  },
  'local.csi.sandbox.kubevirt.io': {
    accessModes: ['ReadWriteOnce', 'ReadWriteOncePod'],
    volumeModes: ['Filesystem', 'Block'],
    nodeLocal: true,
    snapshots: false,
  },
};

/** Why a claim cannot be provisioned by this driver, or undefined when it can. */
export function unsupported(driver: DriverTraits, accessModes: string[], volumeMode: string): string | undefined {
  const bad = accessModes.filter((m) => !driver.accessModes.includes(m));
  if (bad.length) return `access mode ${bad.join(', ')} is not supported (supported: ${driver.accessModes.join(', ')})`;
  if (!driver.volumeModes.includes(volumeMode)) return `volume mode ${volumeMode} is not supported`;
  return undefined;
}
