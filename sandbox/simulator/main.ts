// The KubeVirt simulator: one process that plays the sandbox's nodes (kubelets), virt-handler, virt-controller and
// virt-api against the real API server. It exits cleanly on SIGTERM, stopping every workload it started.
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { KubeClient } from './kube/client.ts';
import { NodeFleet } from './nodes/fleet.ts';
import { Kubelet, inProcessRuntime } from './nodes/kubelet.ts';
import { InstallReporter } from './kubevirt/install.ts';
import { LauncherRuntime } from './handler/launcher-runtime.ts';
import { Fabric } from './network/fabric.ts';
import { Multus } from './network/multus.ts';
import { ensureGuestImages } from './handler/guest-images.ts';
import { VmController } from './controller/vm-controller.ts';
import { VmiController } from './controller/vmi-controller.ts';
import { MigrationController } from './controller/migration-controller.ts';
import { Provisioner } from './storage/provisioner.ts';
import { Snapshotter } from './storage/snapshotter.ts';
import { SnapshotController } from './controller/snapshot-controller.ts';
import { CloneController } from './controller/clone-controller.ts';
import { DataVolumeController } from './cdi/datavolumes.ts';
import { StorageProfileController } from './cdi/storage-profiles.ts';
import { metricsText } from './handler/migration-metrics.ts';
import { startVirtApi } from './virt-api/server.ts';
import { virtApiHandlers } from './virt-api/routes.ts';
import { admissionHandlers, webhookConfigurations } from './webhooks/admission.ts';
import { expandSpecRoutes } from './instancetype/routes.ts';
import { expandVirtualMachine } from './instancetype/expand.ts';
import { findInstancetypeSpec, findPreferenceSpec } from './instancetype/find.ts';
import type { VM } from './kubevirt/types.ts';
import { paths, ports } from '../launcher/paths.ts';
import { guestPids } from '../launcher/procs.ts';

const log = (msg: string, extra: object = {}) => console.log(JSON.stringify({ time: new Date().toISOString(), msg, ...extra }));

/** The VMI spec a VM asks for: its template, with the instance type and preference applied as KubeVirt does. */
async function expandTemplate(kube: KubeClient, vm: VM): Promise<Record<string, unknown>> {
  const [instancetype, preference] = await Promise.all([findInstancetypeSpec(kube, vm), findPreferenceSpec(kube, vm)]);
  const result = expandVirtualMachine(vm, instancetype, preference);
  if (result.error) throw new Error(result.error);
  if (result.conflicts.length) throw new Error(`instancetype conflicts: ${JSON.stringify(result.conflicts)}`);
  return structuredClone(result.vm.spec?.template?.spec ?? {}) as Record<string, unknown>;
}

async function main() {
  const kubeconfig = process.env.SANDBOX_KUBECONFIG;
  if (!kubeconfig) throw new Error('SANDBOX_KUBECONFIG is not set');
  const kube = new KubeClient(kubeconfig);

  const fleet = new NodeFleet(kube);
  await fleet.register();
  ensureGuestImages();
  // Domains never outlive the simulator: a guest left by one that was killed alone is stopped, its files cleared.
  for (const pid of guestPids(paths.vms)) process.kill(pid, 'SIGKILL');
  rmSync(paths.vms, { recursive: true, force: true });
  let vmiController: VmiController | undefined;
  const fabric = new Fabric(ports.networkFabric);
  const launcher = new LauncherRuntime(kube, paths.vms, paths.volumes, (ns, name) => vmiController?.domainChanged(ns, name), new Multus(kube, fabric));
  vmiController = new VmiController(kube, launcher);
  const vmController = new VmController(kube, vmiController.vmis, (vm) => expandTemplate(kube, vm));
  vmiController.onVmiChange = (vmi) => vmController.vmiChanged(vmi);
  const kubelet = new Kubelet(kube, [launcher, inProcessRuntime]);
  kubelet.start();
  const migrations = new MigrationController(kube, vmiController.vmis, launcher);
  const provisioner = new Provisioner(kube, paths.volumes);
  provisioner.start();
  const snapshotter = new Snapshotter(kube, paths.volumes);
  snapshotter.start();
  const vmSnapshots = new SnapshotController(kube);
  vmSnapshots.start();
  const clones = new CloneController(kube);
  clones.start();
  const dataVolumes = new DataVolumeController(kube, paths.volumes);
  dataVolumes.start();
  const storageProfiles = new StorageProfileController(kube);
  storageProfiles.start();
  vmiController.start();
  vmController.start();
  migrations.start();
  const install = new InstallReporter(kube);
  await install.start();

  const pki = (n: string) => join(paths.pki, n);
  const subresources = virtApiHandlers(kube);
  const virtApi = await startVirtApi(
    { port: ports.virtApi, cert: pki('virt-api.crt'), key: pki('virt-api.key'), requestHeaderCa: pki('front-proxy-ca.crt') },
    // The webhooks' own reads (preferences, instancetypes, the KubeVirt CR) go through a client of their own: on the
    // controllers' client they queued behind the controllers' writes, which wait on these same webhooks, and a few
    // hundred VMs created at once timed the webhooks out (10 s) over and over.
    { routes: [...subresources.routes, expandSpecRoutes(kube)], upgrades: subresources.upgrades, admission: admissionHandlers(new KubeClient(kubeconfig)) },
  );
  // Like virt-operator, register the webhooks once virt-api serves them.
  const caBundle = readFileSync(pki('ca.crt')).toString('base64');
  for (const cfg of webhookConfigurations(caBundle, `https://127.0.0.1:${ports.virtApi}`) as { kind: string; metadata: { name: string } }[]) {
    const plural = cfg.kind === 'MutatingWebhookConfiguration' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations';
    await kube.patch(`/apis/admissionregistration.k8s.io/v1/${plural}/${cfg.metadata.name}`, cfg, 'apply');
  }

  const health = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metricsText());
      return;
    }
    const ok = fleet.healthy;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ok ? 'ok' : 'node heartbeats failing');
  });
  health.listen(ports.simulatorHealth, '127.0.0.1');
  log('simulator running', { virtApi: ports.virtApi });

  const shutdown = async (signal: string) => {
    log('shutting down', { signal });
    fleet.stop();
    install.stop();
    vmController.stop();
    migrations.stop();
    provisioner.stop();
    snapshotter.stop();
    vmSnapshots.stop();
    clones.stop();
    dataVolumes.stop();
    storageProfiles.stop();
    vmiController.stop();
    await kubelet.stopAll();
    fabric.close();
    await subresources.closeStreams();
    virtApi.close();
    health.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  log('simulator failed', { error: String(e) });
  process.exit(1);
});
