// Device hot-unplug through QMP, as virt-handler leaves it to libvirt: ask QEMU, then wait for the guest to let go.
import { QmpError, type Qmp } from './qmp.ts';

type QmpLike = Pick<Qmp, 'execute' | 'onEvent'>;

/**
 * device_del, then wait for QEMU's DEVICE_DELETED. True once the device is gone, false when the guest has not let it
 * go within `timeoutMs` (the caller retries later). A retry must not be stuck on its own earlier request: a device
 * that is already gone (its DEVICE_DELETED came while nobody waited) counts as unplugged, and one still in the
 * middle of an unplug is waited for again rather than taken for an error.
 */
export async function unplugDevice(qmp: QmpLike, id: string, timeoutMs = 15_000): Promise<boolean> {
  let done!: (ok: boolean) => void;
  const deleted = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const off = qmp.onEvent((e) => {
      if (e.event === 'DEVICE_DELETED' && (e.data as { device?: string } | undefined)?.device === id) done(true);
    });
    done = (ok) => (clearTimeout(timer), off(), resolve(ok));
  });
  try {
    await qmp.execute('device_del', { id });
  } catch (e) {
    if (e instanceof QmpError && e.qmpClass === 'DeviceNotFound') done(true);
    else if (!(e instanceof QmpError && /already in the process of unplug/.test(e.message))) {
      done(false);
      throw e;
    }
  }
  return deleted;
}

/**
 * A hot-plugged disk leaves: its device once the guest lets it go, then its block node. Throws while the guest still
 * holds it, so the volume stays plugged (and reported) until a retry finds it released.
 */
export async function unplugDisk(qmp: QmpLike, node: string, volume: string, timeoutMs?: number): Promise<void> {
  if (!(await unplugDevice(qmp, `dev-${node}`, timeoutMs))) throw new Error(`the guest has not released volume ${volume} yet`);
  // Already gone is done: a retry after a try that removed the node but failed later.
  await qmp.execute('blockdev-del', { 'node-name': node }).catch((e: unknown) => {
    if (!(e instanceof QmpError && /Failed to find node/.test(e.message))) throw e;
  });
}
