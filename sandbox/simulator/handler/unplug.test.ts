import { describe, expect, it } from 'vitest';
import { QmpError } from './qmp.ts';
import { unplugDevice, unplugDisk } from './unplug.ts';

type Listener = (e: { event: string; data?: unknown }) => void;

// QMP as the unplug sees it: device_del answers as told, and the test emits the guest's DEVICE_DELETED.
function fakeQmp(answer: () => unknown) {
  const listeners = new Set<Listener>();
  return {
    listeners,
    emit: (device: string) => [...listeners].forEach((l) => l({ event: 'DEVICE_DELETED', data: { device, path: `/machine/peripheral/${device}` } })),
    onEvent(fn: Listener) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
    async execute<T>(command: string): Promise<T> {
      expect(command).toBe('device_del');
      return answer() as T;
    },
  };
}

describe('unplugDevice', () => {
  it('is done when the guest lets this device go, not another', async () => {
    const qmp = fakeQmp(() => ({}));
    const unplugged = unplugDevice(qmp, 'dev-nic-lab', 5_000);
    await Promise.resolve();
    qmp.emit('dev-other');
    qmp.emit('dev-nic-lab');
    await expect(unplugged).resolves.toBe(true);
    expect(qmp.listeners.size).toBe(0);
  });

  it('gives up after the timeout without the guest, and stops listening', async () => {
    const qmp = fakeQmp(() => ({}));
    await expect(unplugDevice(qmp, 'dev-nic-lab', 20)).resolves.toBe(false);
    expect(qmp.listeners.size).toBe(0);
  });

  // The retry after a wait that gave up: the guest let go in between, so QEMU no longer knows the device.
  it('counts a device QEMU no longer has as unplugged', async () => {
    const qmp = fakeQmp(() => {
      throw new QmpError('DeviceNotFound', "Device 'dev-nic-lab' not found");
    });
    await expect(unplugDevice(qmp, 'dev-nic-lab', 5_000)).resolves.toBe(true);
    expect(qmp.listeners.size).toBe(0);
  });

  it('waits again for a device whose earlier unplug is still under way', async () => {
    const qmp = fakeQmp(() => {
      throw new QmpError('GenericError', 'Device dev-nic-lab is already in the process of unplug');
    });
    const unplugged = unplugDevice(qmp, 'dev-nic-lab', 5_000);
    await new Promise((r) => setTimeout(r, 0));
    qmp.emit('dev-nic-lab');
    await expect(unplugged).resolves.toBe(true);
  });

  it('passes on any other refusal', async () => {
    const qmp = fakeQmp(() => {
      throw new QmpError('GenericError', 'Bus does not support hotplugging');
    });
    await expect(unplugDevice(qmp, 'dev-nic-lab', 5_000)).rejects.toThrow('Bus does not support hotplugging');
    expect(qmp.listeners.size).toBe(0);
  });
});

// QMP as a disk's unplug sees it: commands are recorded, device_del's DEVICE_DELETED comes when the guest lets go.
function diskQmp(guestLetsGo: boolean, blockdevDel: () => unknown = () => ({})) {
  const listeners = new Set<Listener>();
  const commands: string[] = [];
  return {
    commands,
    onEvent(fn: Listener) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
    async execute<T>(command: string, args?: { id?: string }): Promise<T> {
      commands.push(command);
      if (command === 'device_del' && guestLetsGo) queueMicrotask(() => [...listeners].forEach((l) => l({ event: 'DEVICE_DELETED', data: { device: args?.id } })));
      return (command === 'blockdev-del' ? blockdevDel() : {}) as T;
    },
  };
}

describe('unplugDisk', () => {
  it('removes the block node once the guest has let the device go', async () => {
    const qmp = diskQmp(true);
    await unplugDisk(qmp, 'hp-data', 'data', 5_000);
    expect(qmp.commands).toEqual(['device_del', 'blockdev-del']);
  });

  // The volume must stay plugged and reported: its node still backs a device the guest uses.
  it('fails, keeping the block node, while the guest holds the device', async () => {
    const qmp = diskQmp(false);
    await expect(unplugDisk(qmp, 'hp-data', 'data', 20)).rejects.toThrow('the guest has not released volume data yet');
    expect(qmp.commands).toEqual(['device_del']);
  });

  it('counts a block node already removed as done, and passes on other refusals', async () => {
    const gone = diskQmp(true, () => {
      throw new QmpError('GenericError', "Failed to find node with node-name='hp-data'");
    });
    await expect(unplugDisk(gone, 'hp-data', 'data', 5_000)).resolves.toBeUndefined();
    const busy = diskQmp(true, () => {
      throw new QmpError('GenericError', "Node 'hp-data' is busy: node is used as backing hd of 'dev-hp-data'");
    });
    await expect(unplugDisk(busy, 'hp-data', 'data', 5_000)).rejects.toThrow('is busy');
  });
});
