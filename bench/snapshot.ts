// Benchmark: VM snapshot (create -> Succeeded) and restore (create -> complete) of a stopped VM with a 1Gi data disk
// on the shared class, 5 times; baseline, measured in the same run: a sparse copy of the same volume file with cp,
// the work the sandbox's CSI snapshotter does underneath.
// Run with the sandbox up: npx tsx bench/snapshot.ts [runs=5]
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import YAML from 'yaml';
import { paths } from '../sandbox/launcher/paths.ts';
import { volumeFile } from '../sandbox/simulator/storage/provisioner.ts';
import { docExampleVm, eventually, getJson, kubectl, kubectlOk } from '../sandbox/test/helpers.ts';

const runs = Number(process.argv[2] ?? 5);
const ns = 'team-a';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const name = 'bench-snap';
  await kubectl(['delete', 'vm', name, '-n', ns, '--wait=true']);
  await kubectl(['delete', 'pvc', `${name}-disk`, '-n', ns, '--wait=true']);
  await kubectlOk(['create', '-f', '-'], {
    input: YAML.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `${name}-disk`, namespace: ns }, spec: { storageClassName: 'sandbox-shared', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } } }),
  });
  const vm = docExampleVm(name, ns, 'Halted') as any;
  vm.spec.template.spec.domain.devices.disks.push({ name: 'datadisk', disk: { bus: 'virtio' } });
  vm.spec.template.spec.volumes.push({ name: 'datadisk', persistentVolumeClaim: { claimName: `${name}-disk` } });
  await kubectlOk(['create', '-f', '-'], { input: YAML.stringify(vm) });
  const pv = await eventually('bound', async () => (await getJson(['pvc', `${name}-disk`, '-n', ns]))?.spec?.volumeName);
  // Some data on the volume, so the copies have work to do.
  execFileSync('dd', ['if=/dev/urandom', `of=${volumeFile(paths.volumes, pv)}`, 'bs=1M', 'count=64', 'conv=notrunc'], { stdio: 'ignore' });

  const snap: number[] = [], restore: number[] = [], copy: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    execFileSync('cp', ['--sparse=always', volumeFile(paths.volumes, pv), `${paths.volumes}/bench-copy.img`]);
    copy.push(performance.now() - t);
    rmSync(`${paths.volumes}/bench-copy.img`);

    const s = `${name}-s${i}`;
    const t0 = performance.now();
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify({ apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineSnapshot', metadata: { name: s, namespace: ns }, spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name } } }) });
    await eventually('snapshot', async () => (await getJson(['vmsnapshot', s, '-n', ns]))?.status?.phase === 'Succeeded', 60_000, 50);
    snap.push(performance.now() - t0);
    const t1 = performance.now();
    await kubectlOk(['create', '-f', '-'], { input: YAML.stringify({ apiVersion: 'snapshot.kubevirt.io/v1beta1', kind: 'VirtualMachineRestore', metadata: { name: `${s}-r`, namespace: ns }, spec: { target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name }, virtualMachineSnapshotName: s } }) });
    await eventually('restore', async () => (await getJson(['vmrestore', `${s}-r`, '-n', ns]))?.status?.complete === true, 60_000, 50);
    restore.push(performance.now() - t1);
  }
  console.log(`runs: ${runs} (VM stopped, 1Gi data disk with 64 MiB written)`);
  console.log(`baseline, sparse copy of the volume file: median ${median(copy).toFixed(0)} ms`);
  console.log(`VirtualMachineSnapshot create -> Succeeded: median ${median(snap).toFixed(0)} ms (${(median(snap) / median(copy)).toFixed(1)}x baseline)`);
  console.log(`VirtualMachineRestore create -> complete:   median ${median(restore).toFixed(0)} ms (${(median(restore) / median(copy)).toFixed(1)}x baseline)`);
  await kubectl(['delete', 'vm', name, '-n', ns, '--wait=false']);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
