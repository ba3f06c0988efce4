// What virt-operator and virt-handler report about the installation: the KubeVirt object's status (a healthy
// deployment of the version the simulator implements) and the schedulable label on the nodes that can run VMs.
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { simNodes } from '../nodes/fleet.ts';

export const kubevirtVersion = 'v1.6.0';
const kvPath = '/apis/kubevirt.io/v1/namespaces/kubevirt/kubevirts/kubevirt';

export class InstallReporter {
  private timer?: NodeJS.Timeout;
  private stopWatch?: () => void;
  private reporting: Promise<void> = Promise.resolve();
  constructor(private readonly kube: KubeClient) {}

  async start() {
    await this.report();
    this.timer = setInterval(() => this.schedule(), 30_000);
    // virt-operator reconciles every spec change: a new generation is observed at once, not on the next heartbeat.
    this.stopWatch = this.kube.informer('/apis/kubevirt.io/v1/kubevirts', (type, o) => {
      if (type !== 'ADDED' && type !== 'MODIFIED') return;
      const observed = (o?.status as { observedGeneration?: number } | undefined)?.observedGeneration;
      if (o?.metadata.generation !== undefined && observed !== o.metadata.generation) this.schedule();
    });
  }

  /** One report at a time, in order. */
  private schedule() {
    this.reporting = this.reporting.then(() => this.report()).catch(() => {});
  }

  private async report() {
    for (const n of simNodes.filter((n) => n.role === 'worker')) {
      await this.kube.patch(`/api/v1/nodes/${n.name}`, {
        metadata: { labels: { 'kubevirt.io/schedulable': 'true', 'cpumanager': 'false' } },
      });
    }
    const kv = await this.kube.find<KubeObject>(kvPath);
    if (!kv) return;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const existing = (kv.status as { conditions?: { type: string; lastTransitionTime?: string }[] } | undefined)?.conditions;
    const since = (type: string) => existing?.find((c) => c.type === type)?.lastTransitionTime ?? now;
    const cond = (type: string, status: string, reason: string, message: string) => ({
      type, status, reason, message, lastProbeTime: now, lastTransitionTime: since(type),
    });
    const generation = kv.metadata.generation ?? 1;
    await this.kube.patch(`${kvPath}/status`, {
      status: {
        phase: 'Deployed',
        conditions: [
          cond('Available', 'True', 'AllComponentsReady', 'All components are ready.'),
          cond('Progressing', 'False', 'AllComponentsReady', 'All components are ready.'),
          cond('Degraded', 'False', 'AllComponentsReady', 'All components are ready.'),
          cond('Created', 'True', 'AllResourcesCreated', 'All resources were created.'),
        ],
        observedGeneration: generation,
        observedKubeVirtVersion: kubevirtVersion,
        targetKubeVirtVersion: kubevirtVersion,
        observedKubeVirtRegistry: 'quay.io/kubevirt',
        targetKubeVirtRegistry: 'quay.io/kubevirt',
        operatorVersion: kubevirtVersion,
        observedDeploymentID: 'sandbox',
        targetDeploymentID: 'sandbox',
        defaultArchitecture: 'amd64',
        outdatedVirtualMachineInstanceWorkloads: 0,
      },
    });
  }

  stop() {
    clearInterval(this.timer);
    this.stopWatch?.();
  }
}
