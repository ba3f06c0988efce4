// Issue 4 (storage, the part without CDI and snapshots): claims on the two storage classes, PVC-backed disks the
// guest formats and keeps across restarts, and live migration decided by the claims' access modes.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { api, subresource, serialShell } from './api.ts';
import { waitForMigration } from './migrations.ts';
import { createClaim, docExampleVm, eventually, getJson, kubectl, kubectlOk, uniqueName, waitForPrintableStatus } from './helpers.ts';

const ns = 'team-a';
const vms: string[] = [];
const pvcs: string[] = [];
// Restores and clones make claims of their own that nothing owns: they go with the test's.
async function removeVms() {
  const done = vms.splice(0);
  for (const name of done) {
    const vm = await getJson(['vm', name, '-n', ns]);
    for (const v of vm?.spec?.template?.spec?.volumes ?? []) if (v.persistentVolumeClaim) pvcs.push(v.persistentVolumeClaim.claimName);
  }
  for (const name of done) await kubectl(['delete', 'vm', name, '-n', ns, '--wait=false']);
}
// Each test's VMs stop when it ends: guests left running under software emulation take the CPU from the next test's
// boots (the clone test, last, boots two guests and timed out behind the earlier tests' five on a loaded machine).
afterEach(removeVms);
afterAll(async () => {
  await removeVms();
  for (const name of new Set(pvcs)) await kubectl(['delete', 'pvc', name, '-n', ns, '--wait=false', '--ignore-not-found']);
});

async function claim(storageClassName: string, accessModes: string[], size = '1Gi') {
  const name = await createClaim(ns, storageClassName, accessModes, size);
  pvcs.push(name);
  return name;
}

async function vmWithDisk(claimName: string) {
  const name = uniqueName('pvcvm');
  const vm = docExampleVm(name, ns) as any;
  vm.spec.template.spec.domain.devices.disks.push({ name: 'datadisk', disk: { bus: 'virtio' } });
  vm.spec.template.spec.volumes.push({ name: 'datadisk', persistentVolumeClaim: { claimName } });
  await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vm) });
  vms.push(name);
  await waitForPrintableStatus(ns, name, 'Running', 60_000);
  return name;
}

// Generous: a guest with several disks formats the blank ones while it boots, and CI machines are busy.
const console = (name: string, hostname = name) => serialShell(ns, name, { hostname, timeoutMs: 90_000 });

describe('storage classes', () => {
  it('binds a ReadWriteMany claim on the shared class at once', async () => {
    const name = await claim('sandbox-shared', ['ReadWriteMany']);
    const pvc = await eventually('the claim to bind', async () => {
      const c = await getJson(['pvc', name, '-n', ns]);
      return c?.status?.phase === 'Bound' && c;
    });
    const pv = await getJson(['pv', pvc.spec.volumeName]);
    expect(pv.spec.csi.driver).toBe('shared.csi.sandbox.kubevirt.io');
    expect(pv.spec.accessModes).toEqual(['ReadWriteMany']);
  });

  it('refuses ReadWriteMany on the local class, with the reason in an event', async () => {
    const name = await claim('sandbox-local', ['ReadWriteMany']);
    // The local class binds at first use: a pod asks for it.
    const vm = docExampleVm(uniqueName('rwxlocal'), ns) as any;
    vm.spec.template.spec.domain.devices.disks.push({ name: 'datadisk', disk: { bus: 'virtio' } });
    vm.spec.template.spec.volumes.push({ name: 'datadisk', persistentVolumeClaim: { claimName: name } });
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vm) });
    vms.push(vm.metadata.name);
    const event = await eventually('a ProvisioningFailed event', async () => {
      const events = (await getJson(['events', '-n', ns, '--field-selector', `involvedObject.name=${name}`]))?.items ?? [];
      return events.find((e: { reason: string }) => e.reason === 'ProvisioningFailed');
    }, 30_000, 500);
    expect(event.message).toContain('access mode ReadWriteMany is not supported');
    expect((await getJson(['pvc', name, '-n', ns])).status.phase).toBe('Pending');
  });
});

describe('VMs with PVC disks', () => {
  it('formats a blank data disk, and keeps its files across a restart', async () => {
    const name = await vmWithDisk(await claim('sandbox-shared', ['ReadWriteMany']));
    const c1 = await console(name);
    await c1.run('until grep -q /mnt/datadisk /proc/mounts; do sleep 1; done; echo kept > /mnt/datadisk/proof; sync; echo wrote', /\nwrote\r?\n/, 40_000);
    c1.close();
    const first = (await getJson(['vmi', name, '-n', ns])).metadata.uid;
    expect((await api('PUT', subresource(ns, 'virtualmachines', name, 'restart'))).status).toBe(202);
    await eventually('a new VMI', async () => {
      const vmi = await getJson(['vmi', name, '-n', ns]);
      return vmi?.status?.phase === 'Running' && vmi.metadata.uid !== first && vmi;
    }, 90_000, 500);
    const c2 = await console(name);
    const out = await c2.run('until grep -q /mnt/datadisk /proc/mounts; do sleep 1; done; echo got=$(cat /mnt/datadisk/proof)', /got=\w+\r?\n/, 40_000);
    c2.close();
    expect(out).toContain('got=kept');
    const vmi = await getJson(['vmi', name, '-n', ns]);
    const vs = vmi.status.volumeStatus.find((v: { name: string }) => v.name === 'datadisk');
    expect(vs.persistentVolumeClaimInfo.accessModes).toEqual(['ReadWriteMany']);
  });

  it('refuses to migrate a VM with a ReadWriteOnce disk: DisksNotLiveMigratable', async () => {
    const claimName = await claim('sandbox-local', ['ReadWriteOnce']);
    const name = await vmWithDisk(claimName);
    const vmi = await eventually('LiveMigratable=False', async () => {
      const v = await getJson(['vmi', name, '-n', ns]);
      return v?.status?.conditions?.find((c: { type: string; status: string }) => c.type === 'LiveMigratable' && c.status === 'False') && v;
    });
    const cond = vmi.status.conditions.find((c: { type: string }) => c.type === 'LiveMigratable');
    expect(cond.reason).toBe('DisksNotLiveMigratable');
    const r = await api('PUT', subresource(ns, 'virtualmachines', name, 'migrate'));
    expect(r.status).toBe(500);
    expect(JSON.parse(r.text).message).toBe(
      `Internal error occurred: admission webhook "migration-create-validator.kubevirt.io" denied the request: Cannot migrate VMI, Reason: DisksNotLiveMigratable, Message: cannot migrate VMI: PVC ${claimName} is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)`,
    );
  });

  it('live-migrates a VM whose disk is on the shared class', async () => {
    const name = await vmWithDisk(await claim('sandbox-shared', ['ReadWriteMany']));
    const before = await getJson(['vmi', name, '-n', ns]);
    expect((await api('PUT', subresource(ns, 'virtualmachines', name, 'migrate'))).status).toBe(202);
    await waitForMigration(before);
  });
});

describe('volume expansion', () => {
  it('grows a claim on the shared class', async () => {
    const shared = await claim('sandbox-shared', ['ReadWriteOnce']);
    await eventually('bound', async () => (await getJson(['pvc', shared, '-n', ns]))?.status?.phase === 'Bound');
    await kubectlOk(['patch', 'pvc', shared, '-n', ns, '--type=merge', '-p', '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}']);
    await eventually('the new capacity', async () => (await getJson(['pvc', shared, '-n', ns]))?.status?.capacity?.storage === '2Gi');
    const pv = (await getJson(['pvc', shared, '-n', ns])).spec.volumeName;
    expect((await getJson(['pv', pv])).spec.capacity.storage).toBe('2Gi');
  });
});

describe('volume hotplug', () => {
  async function runningVmAndSharedClaim(prefix: string) {
    const name = uniqueName(prefix);
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(docExampleVm(name, ns)) });
    vms.push(name);
    await waitForPrintableStatus(ns, name, 'Running', 30_000);
    const claimName = await claim('sandbox-shared', ['ReadWriteMany']);
    await eventually('bound', async () => (await getJson(['pvc', claimName, '-n', ns]))?.status?.phase === 'Bound');
    return { name, claimName, c: await console(name) };
  }
  const addVolume = (vm: string, volume: string, claimName: string) =>
    api('PUT', subresource(ns, 'virtualmachines', vm, 'addvolume'), {
      as: 'dev-a',
      body: { name: volume, disk: { disk: { bus: 'virtio' } }, volumeSource: { persistentVolumeClaim: { claimName } } },
    });

  it('adds a disk to a running VM with addvolume, keeps it through a live migration, and takes it away with removevolume', async () => {
    const { name, claimName, c } = await runningVmAndSharedClaim('hotvm');
    expect((await addVolume(name, 'hotdisk', claimName)).status).toBe(202);
    await eventually('the volume attached', async () => {
      const vmi = await getJson(['vmi', name, '-n', ns]);
      return vmi?.status?.volumeStatus?.find((v: { name: string; phase?: string }) => v.name === 'hotdisk' && v.phase === 'Ready');
    }, 30_000, 300);
    const seen = await c.run('sleep 1; echo found=$(cat /sys/block/vd*/serial 2>/dev/null | grep -c hotdisk)', /found=\d/, 20_000);
    expect(seen).toContain('found=1');
    const vm = await getJson(['vm', name, '-n', ns]);
    expect(vm.spec.template.spec.volumes.map((v: { name: string }) => v.name)).toContain('hotdisk');

    // ExpandDisks: the claim grows and the running guest sees the new capacity without a restart (1Gi → 2Gi in
    // 512-byte sectors).
    const sectors = async () => {
      const out = await c.run('echo SECTORS=$(cat $(dirname $(grep -l hotdisk /sys/block/vd*/serial))/size)=E$((1+1))ND', /=E2ND/, 10_000);
      return Number(/SECTORS=(\d+)=E2ND/.exec(out)?.[1]);
    };
    expect(await sectors()).toBe(2097152);
    await kubectlOk(['patch', 'pvc', claimName, '-n', ns, '--type=merge', '-p', '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}']);
    await eventually('the guest to see the grown disk', async () => (await sectors()) === 4194304, 30_000, 1000);

    const again = await addVolume(name, 'hotdisk', claimName);
    expect(again.status).toBe(409);
    expect(JSON.parse(again.text).message).toContain('Unable to add volume [hotdisk] because volume with that name already exists');

    // The disk moves with the guest: the migration target plugs it where the source had it.
    c.close();
    const before = await getJson(['vmi', name, '-n', ns]);
    expect((await api('PUT', subresource(ns, 'virtualmachines', name, 'migrate'), { as: 'admin' })).status).toBe(202);
    await waitForMigration(before);
    const moved = await console(name);
    expect(await moved.run('echo found=$(cat /sys/block/vd*/serial 2>/dev/null | grep -c hotdisk)', /found=\d/, 20_000)).toContain('found=1');

    expect((await api('PUT', subresource(ns, 'virtualmachines', name, 'removevolume'), { as: 'dev-a', body: { name: 'hotdisk' } })).status).toBe(202);
    await eventually('the volume gone from the VMI', async () => {
      const vmi = await getJson(['vmi', name, '-n', ns]);
      return vmi && !vmi.status.volumeStatus.some((v: { name: string }) => v.name === 'hotdisk');
    }, 30_000, 300);
    const gone = await moved.run('sleep 1; echo found=$(cat /sys/block/vd*/serial 2>/dev/null | grep -c hotdisk)', /found=\d/, 20_000);
    moved.close();
    expect(gone).toContain('found=0');
    const notThere = await api('PUT', subresource(ns, 'virtualmachines', name, 'removevolume'), { as: 'dev-a', body: { name: 'hotdisk' } });
    expect(notThere.status).toBe(409);
  });

  // A paused guest cannot answer the unplug request: the disk stays on the VMI as Detaching (QEMU still has it) and
  // the reason is said in an event, until the guest runs again and lets it go. Added back while it is on its way out,
  // it leaves first and comes back as a new device; plugged in again after it left, it works too.
  it('keeps a disk the guest has not let go, says why, and finishes the unplug once the guest does', async () => {
    const { name, claimName, c } = await runningVmAndSharedClaim('holdvm');
    try {
      const phaseOf = async () => {
        const vmi = await getJson(['vmi', name, '-n', ns]);
        return (vmi?.status?.volumeStatus ?? []).find((v: { name: string }) => v.name === 'holddisk')?.phase ?? 'gone';
      };
      // The guest's kernel probes a plugged disk a moment after QEMU has it: counted until it shows what is expected.
      // Each count is tagged, so a late answer to an earlier one is not taken for it.
      let asked = 0;
      const guestSees = (count: number) =>
        eventually(`the guest to see ${count} holddisk`, async () => {
          const tag = `n${++asked}`;
          const out = await c.run(`echo ${tag}=$(cat /sys/block/vd*/serial 2>/dev/null | grep -c holddisk)=`, new RegExp(`${tag}=\\d+=`), 10_000);
          return out.includes(`${tag}=${count}=`);
        }, 30_000, 1000);
      const vmiUrl = (sub: string) => subresource(ns, 'virtualmachineinstances', name, sub);
      const removeVolume = () => api('PUT', subresource(ns, 'virtualmachines', name, 'removevolume'), { as: 'dev-a', body: { name: 'holddisk' } });
      const pauseAndRemove = async () => {
        expect((await api('PUT', vmiUrl('pause'), { as: 'dev-a' })).status).toBe(200);
        await waitForPrintableStatus(ns, name, 'Paused');
        expect((await removeVolume()).status).toBe(202);
        await eventually('the volume reported as Detaching', async () => (await phaseOf()) === 'Detaching', 30_000, 300);
      };

      expect((await addVolume(name, 'holddisk', claimName)).status).toBe(202);
      await eventually('the volume attached', async () => (await phaseOf()) === 'Ready', 30_000, 300);
      await guestSees(1);

      await pauseAndRemove();
      const held = await eventually('the unplug to be reported as waiting for the guest', async () => {
        const events = (await getJson(['events', '-n', ns, '--field-selector', `involvedObject.name=${name},involvedObject.kind=VirtualMachineInstance,reason=SyncFailed`]))?.items ?? [];
        return events.find((e: { message: string }) => e.message.includes('the guest has not released volume holddisk yet'));
      }, 60_000, 500);
      expect(held.type).toBe('Warning');
      expect(await phaseOf()).toBe('Detaching');
      expect((await api('PUT', vmiUrl('unpause'), { as: 'dev-a' })).status).toBe(200);
      await eventually('the volume gone from the VMI', async () => (await phaseOf()) === 'gone', 60_000, 300);
      await guestSees(0);

      // QEMU no longer has the disk's block node either: the same volume plugs in again.
      expect((await addVolume(name, 'holddisk', claimName)).status).toBe(202);
      await eventually('the volume attached again', async () => (await phaseOf()) === 'Ready', 30_000, 300);
      await guestSees(1);

      // Added back while the paused guest still holds it: it waits, then the old device leaves and a new one comes.
      await pauseAndRemove();
      expect((await addVolume(name, 'holddisk', claimName)).status).toBe(202);
      await eventually('the volume waiting to be attached', async () => (await phaseOf()) === 'Pending', 30_000, 300);
      expect((await api('PUT', vmiUrl('unpause'), { as: 'dev-a' })).status).toBe(200);
      await eventually('the volume attached once more', async () => (await phaseOf()) === 'Ready', 60_000, 300);
      await guestSees(1);
    } finally {
      c.close();
    }
  });
});

describe('VM snapshots and restores', () => {
  it('snapshots a VM, and a restore brings a changed file back; a disk on the class without snapshots is excluded', async () => {
    const shared = await claim('sandbox-shared', ['ReadWriteMany']);
    const local = await claim('sandbox-local', ['ReadWriteOnce']);
    const name = uniqueName('snapvm');
    const vm = docExampleVm(name, ns) as any;
    vm.spec.template.spec.domain.devices.disks.push({ name: 'datadisk', disk: { bus: 'virtio' } }, { name: 'scratch', disk: { bus: 'virtio' } });
    vm.spec.template.spec.volumes.push({ name: 'datadisk', persistentVolumeClaim: { claimName: shared } }, { name: 'scratch', persistentVolumeClaim: { claimName: local } });
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vm) });
    vms.push(name);
    await waitForPrintableStatus(ns, name, 'Running', 60_000);
    const c1 = await console(name);
    await c1.run('until grep -q /mnt/datadisk /proc/mounts; do sleep 1; done; echo before > /mnt/datadisk/file; sync; echo done1', /\ndone1\r?\n/, 40_000);

    const snap = `${name}-snap`;
    await kubectlOk(['create', '-f', '-'], {
      input: YAML.stringify({ apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineSnapshot', metadata: { name: snap, namespace: ns }, spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name } } }),
    });
    const done = await eventually('the snapshot to succeed', async () => {
      const s = await getJson(['vmsnapshot', snap, '-n', ns]);
      return s?.status?.phase === 'Succeeded' && s;
    }, 60_000, 300);
    expect(done.status.readyToUse).toBe(true);
    expect(done.status.snapshotVolumes).toEqual({ includedVolumes: ['datadisk'], excludedVolumes: ['containerdisk', 'cloudinitdisk', 'scratch'] });
    expect(done.status.indications).toContain('Online');
    const statuses = (await getJson(['vm', name, '-n', ns])).status.volumeSnapshotStatuses;
    expect(statuses.find((s: { name: string }) => s.name === 'scratch')).toEqual({
      name: 'scratch', enabled: false, reason: 'No VolumeSnapshotClass: Volume snapshots are not configured for this StorageClass [sandbox-local] [scratch]',
    });

    await c1.run('echo after > /mnt/datadisk/file; sync; echo done2', /\ndone2\r?\n/);
    c1.close();
    expect((await api('PUT', subresource(ns, 'virtualmachines', name, 'stop'))).status).toBe(202);
    await waitForPrintableStatus(ns, name, 'Stopped', 60_000);
    await kubectlOk(['create', '-f', '-'], {
      input: YAML.stringify({ apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineRestore', metadata: { name: `${name}-restore`, namespace: ns }, spec: { target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name }, virtualMachineSnapshotName: snap } }),
    });
    const restored = await eventually('the restore to complete', async () => {
      const r = await getJson(['vmrestore', `${name}-restore`, '-n', ns]);
      return r?.status?.complete && r;
    }, 60_000, 300);
    expect(restored.status.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Operation complete' });
    expect((await api('PUT', subresource(ns, 'virtualmachines', name, 'start'))).status).toBe(202);
    await waitForPrintableStatus(ns, name, 'Running', 60_000);
    const c2 = await console(name);
    const out = await c2.run('until grep -q /mnt/datadisk /proc/mounts; do sleep 1; done; echo content=$(cat /mnt/datadisk/file)', /content=\w+\r?\n/, 40_000);
    c2.close();
    expect(out).toContain('content=before');
  });
});

describe('VM clones', () => {
  it('clones a VM with its data disk into a new VM that boots', async () => {
    const shared = await claim('sandbox-shared', ['ReadWriteMany']);
    const name = await vmWithDisk(shared);
    const c1 = await console(name);
    await c1.run('until grep -q /mnt/datadisk /proc/mounts; do sleep 1; done; echo original > /mnt/datadisk/file; sync; echo done1', /\ndone1\r?\n/, 40_000);
    c1.close();
    const target = `${name}-copy`;
    await kubectlOk(['create', '-f', '-'], {
      input: YAML.stringify({
        apiVersion: 'clone.kubevirt.io/v1beta1',
        kind: 'VirtualMachineClone',
        metadata: { name: `${name}-clone`, namespace: ns },
        spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name }, target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: target } },
      }),
    });
    vms.push(target);
    const clone = await eventually('the clone to succeed', async () => {
      const c = await getJson(['vmclone', `${name}-clone`, '-n', ns]);
      return ['Succeeded', 'Failed'].includes(c?.status?.phase) && c;
    }, 90_000, 500);
    expect(clone.status.phase).toBe('Succeeded');
    await waitForPrintableStatus(ns, target, 'Running', 60_000);
    const copy = await getJson(['vm', target, '-n', ns]);
    const claimName = copy.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'datadisk').persistentVolumeClaim.claimName;
    expect(claimName).not.toBe(shared);
    // The clone keeps the source's cloud-init user-data, which names the guest's host after the source.
    const c2 = await console(target, name);
    const out = await c2.run('until grep -q /mnt/datadisk /proc/mounts; do sleep 1; done; echo content=$(cat /mnt/datadisk/file)', /content=\w+\r?\n/, 40_000);
    c2.close();
    expect(out).toContain('content=original');
  });
});
