// A kubelet for the simulated nodes: for each pod bound to one of them it asks a runtime to run it, then reports
// the pod's status the way a kubelet does (phase, IPs, conditions, container statuses), and finishes deletions.
// Runtimes are pluggable: virt-launcher pods get QEMU; KubeVirt's own component pods are the simulator itself.
import type { KubeClient, KubeObject } from '../kube/client.ts';
import { simNodes, type SimNode } from './fleet.ts';

export interface Pod extends KubeObject {
  spec: {
    nodeName?: string;
    containers: { name: string; image: string }[];
    restartPolicy?: string;
  };
  status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
}

export interface RunningPod {
  /** Called when the pod is deleted: stop its workload within the pod's grace period. */
  stop(graceSeconds?: number): Promise<void>;
}

export interface PodRuntime {
  name: string;
  handles(pod: Pod): boolean;
  /** Start the pod's workload; resolve once it runs. `exited` reports a workload that ends on its own. */
  start(pod: Pod, node: SimNode, ip: string, exited: (code: number) => void): Promise<RunningPod>;
}

/** Stands in for containers whose work the simulator itself does (virt-api, virt-controller, virt-handler). */
export const inProcessRuntime: PodRuntime = {
  name: 'in-process',
  handles: () => true,
  start: async () => ({ stop: async () => {} }),
};

class IpPool {
  private readonly used = new Map<string, Set<number>>();
  take(node: SimNode, preferred?: string): string {
    const base = node.podCidr.split('/')[0]!.split('.').slice(0, 3).join('.');
    const used = this.used.get(node.name) ?? new Set<number>();
    this.used.set(node.name, used);
    const pref = preferred?.startsWith(base + '.') ? Number(preferred.split('.')[3]) : undefined;
    if (pref !== undefined && !used.has(pref)) {
      used.add(pref);
      return preferred!;
    }
    for (let i = 2; i < 255; i++) {
      if (!used.has(i)) {
        used.add(i);
        return `${base}.${i}`;
      }
    }
    throw new Error(`no pod IPs left on ${node.name}`);
  }
  release(node: SimNode, ip: string) {
    this.used.get(node.name)?.delete(Number(ip.split('.')[3]));
  }
}

const podPath = (p: KubeObject) => `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`;
const isoNow = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class Kubelet {
  private readonly nodes = new Map(simNodes.map((n) => [n.name, n]));
  private readonly running = new Map<string, { run?: RunningPod; ip: string; node: SimNode; starting: boolean }>();
  private readonly ips = new IpPool();
  // Pods waiting for a volume they cannot mount yet, by UID: the next try, and how long it waits after that.
  private readonly mountRetries = new Map<string, { timer: NodeJS.Timeout; delayMs: number }>();
  private stopInformer?: () => void;

  constructor(
    private readonly kube: KubeClient,
    private readonly runtimes: PodRuntime[],
  ) {}

  start() {
    this.stopInformer = this.kube.informer('/api/v1/pods?fieldSelector=spec.nodeName!%3D', (type, obj) => {
      if (!obj) return;
      const pod = obj as Pod;
      const node = pod.spec.nodeName ? this.nodes.get(pod.spec.nodeName) : undefined;
      if (!node) return;
      void this.sync(type, pod, node).catch((e) =>
        console.error(JSON.stringify({ msg: 'pod sync failed', pod: podPath(pod), error: String(e) })),
      );
    });
  }

  private async sync(type: string, pod: Pod, node: SimNode) {
    const uid = pod.metadata.uid!;
    const entry = this.running.get(uid);
    if (type === 'DELETED') {
      this.cancelMountRetry(uid);
      if (entry) await this.teardown(uid);
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      this.cancelMountRetry(uid);
      if (entry?.starting) return; // finish starting first; the next event tears it down
      await this.teardown(uid, pod.metadata.deletionGracePeriodSeconds);
      await this.kube.delete(podPath(pod), { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid } });
      return;
    }
    const phase = pod.status?.phase;
    if (entry || phase === 'Succeeded' || phase === 'Failed') return;
    if (phase === 'Running' && pod.spec.restartPolicy === 'Never') {
      // Running before this kubelet started: its workload died with the previous simulator, and is not restarted.
      await this.exitedBeforeStart(pod);
      return;
    }

    const runtime = this.runtimes.find((r) => r.handles(pod))!;
    const ip = this.ips.take(node, pod.status?.podIP);
    const record: { run?: RunningPod; ip: string; node: SimNode; starting: boolean } = { ip, node, starting: true };
    this.running.set(uid, record);
    try {
      record.run = await runtime.start(pod, node, ip, (code) => void this.exited(pod, code));
    } catch (e) {
      record.starting = false;
      if ((e as Error)?.name === 'MountError') {
        // The pod stays Pending (ContainerCreating) and is tried again, as the kubelet retries a volume mount.
        this.running.delete(uid);
        this.ips.release(node, ip);
        this.retryMount(pod, node, (e as Error).message);
        return;
      }
      await this.reportFailed(pod, node, ip, String(e));
      return;
    } finally {
      record.starting = false;
    }
    this.cancelMountRetry(uid);
    await this.reportRunning(pod, node, ip);
  }

  private retryMount(pod: Pod, node: SimNode, message: string) {
    const uid = pod.metadata.uid!;
    const delayMs = this.mountRetries.get(uid)?.delayMs ?? 1000;
    this.cancelMountRetry(uid, false);
    void this.kube
      .create(`/api/v1/namespaces/${pod.metadata.namespace}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${pod.metadata.name}.`, namespace: pod.metadata.namespace },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid },
        reason: 'FailedMount',
        message,
        type: 'Warning',
        source: { component: 'kubelet', host: node.name },
        firstTimestamp: isoNow(),
        lastTimestamp: isoNow(),
        count: 1,
      })
      .catch(() => {});
    const timer = setTimeout(() => {
      void this.kube
        .find<Pod>(podPath(pod))
        .then((now) => (now && now.metadata.uid === uid ? this.sync('MODIFIED', now, node) : undefined))
        .catch((e) => console.error(JSON.stringify({ msg: 'pod mount retry failed', pod: podPath(pod), error: String(e) })));
    }, delayMs);
    timer.unref();
    // The kubelet's volume manager backs off too, up to about two minutes; the sandbox stops at 16 s.
    this.mountRetries.set(uid, { timer, delayMs: Math.min(delayMs * 2, 16_000) });
  }

  private cancelMountRetry(uid: string, forget = true) {
    const r = this.mountRetries.get(uid);
    if (r) clearTimeout(r.timer);
    if (forget) this.mountRetries.delete(uid);
  }

  private async teardown(uid: string, graceSeconds?: number) {
    const entry = this.running.get(uid);
    if (!entry) return;
    this.running.delete(uid);
    await entry.run?.stop(graceSeconds);
    this.ips.release(entry.node, entry.ip);
  }

  private containerStatuses(pod: Pod, state: object, ready: boolean) {
    return pod.spec.containers.map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image}@sha256:${'0'.repeat(64)}`,
      containerID: `sandbox://${pod.metadata.uid}-${c.name}`,
      ready,
      started: ready,
      restartCount: 0,
      state,
    }));
  }

  private async reportRunning(pod: Pod, node: SimNode, ip: string) {
    const now = isoNow();
    const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
    await this.kube.patch(`${podPath(pod)}/status`, {
      status: {
        phase: 'Running',
        hostIP: node.internalIp,
        hostIPs: [{ ip: node.internalIp }],
        podIP: ip,
        podIPs: [{ ip }],
        startTime: now,
        conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), cond('PodScheduled')],
        containerStatuses: this.containerStatuses(pod, { running: { startedAt: now } }, true),
      },
    }, 'strategic');
  }

  private async reportFailed(pod: Pod, node: SimNode, ip: string, message: string) {
    const now = isoNow();
    // Said in the log too: the pod's own message goes with it when its owner deletes it (a failed migration's target).
    console.log(JSON.stringify({ time: now, msg: 'pod failed to start', namespace: pod.metadata.namespace, pod: pod.metadata.name, node: node.name, message }));
    await this.kube.patch(`${podPath(pod)}/status`, {
      status: {
        phase: 'Failed',
        hostIP: node.internalIp,
        podIP: ip,
        message,
        reason: 'StartError',
        containerStatuses: this.containerStatuses(pod, { terminated: { exitCode: 128, reason: 'StartError', message, finishedAt: now } }, false),
      },
    }, 'strategic');
  }

  private async exitedBeforeStart(pod: Pod) {
    const now = isoNow();
    await this.kube.patch(`${podPath(pod)}/status`, {
      status: {
        phase: 'Failed',
        reason: 'NodeRestarted',
        message: 'the node restarted and the pod\'s containers did not survive',
        containerStatuses: this.containerStatuses(pod, { terminated: { exitCode: 137, reason: 'Error', finishedAt: now } }, false),
      },
    }, 'strategic');
  }

  /** A workload ended on its own: the pod completes (exit 0) or fails, as for restartPolicy Never. */
  private async exited(pod: Pod, code: number) {
    const entry = this.running.get(pod.metadata.uid!);
    if (!entry) return; // we stopped it ourselves
    this.running.delete(pod.metadata.uid!);
    this.ips.release(entry.node, entry.ip);
    const now = isoNow();
    const reason = code === 0 ? 'Completed' : 'Error';
    if (code !== 0) console.log(JSON.stringify({ time: now, msg: 'pod exited', namespace: pod.metadata.namespace, pod: pod.metadata.name, node: entry.node.name, exitCode: code }));
    await this.kube
      .patch(`${podPath(pod)}/status`, {
        status: {
          phase: code === 0 ? 'Succeeded' : 'Failed',
          conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: now }],
          containerStatuses: this.containerStatuses(pod, { terminated: { exitCode: code, reason, finishedAt: now } }, false),
        },
      }, 'strategic')
      .catch(() => {});
  }

  async stopAll() {
    this.stopInformer?.();
    // The sandbox is going down: no time for guests to shut down cleanly.
    await Promise.all([...this.running.keys()].map((uid) => this.teardown(uid, 0)));
  }
}
