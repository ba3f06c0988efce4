// The sandbox's simulated nodes: registered like kubelets register themselves, and kept Ready by status heartbeats
// and node leases (the way KWOK keeps fake nodes alive), so the node lifecycle controller never taints them.
import type { KubeClient, KubeObject } from '../kube/client.ts';

export interface SimNode {
  name: string;
  role: 'worker' | 'control-plane';
  cpu: string;
  memory: string;
  pods: string;
  /** Pod IPs on this node come from this /24. */
  podCidr: string;
  internalIp: string;
  /** Device-plugin resources the node advertises (KubeVirt's devices, SR-IOV virtual functions for the sriov NADs). */
  devices?: Record<string, string>;
}

/** The resource an SR-IOV NAD names in its k8s.v1.cni.cncf.io/resourceName annotation. */
export const sriovResource = 'sandbox.kubevirt.io/sriov-vf';

/** What virt-handler's device plugins advertise on a node that can run VMs (1000 each, as KubeVirt's do). */
export const virtDevices = { 'devices.kubevirt.io/kvm': '1k', 'devices.kubevirt.io/tun': '1k', 'devices.kubevirt.io/vhost-net': '1k' };

export const simNodes: SimNode[] = [
  { name: 'control-plane', role: 'control-plane', cpu: '4', memory: '8Gi', pods: '110', podCidr: '10.244.0.0/24', internalIp: '192.0.2.10' },
  { name: 'worker-1', role: 'worker', cpu: '16', memory: '64Gi', pods: '110', podCidr: '10.244.1.0/24', internalIp: '192.0.2.11', devices: { ...virtDevices, [sriovResource]: '8' } },
  { name: 'worker-2', role: 'worker', cpu: '16', memory: '64Gi', pods: '110', podCidr: '10.244.2.0/24', internalIp: '192.0.2.12', devices: { ...virtDevices, [sriovResource]: '8' } },
];

const kubeletVersion = 'v1.34.4';

function nodeObject(n: SimNode): object {
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
    'sandbox.kubevirt.io/simulated': 'true',
  };
  if (n.role === 'control-plane') labels['node-role.kubernetes.io/control-plane'] = '';
  else labels['node-role.kubernetes.io/worker'] = '';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0' } },
    spec: {
      podCIDR: n.podCidr,
      podCIDRs: [n.podCidr],
      taints: n.role === 'control-plane' ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : [],
    },
  };
}

function nodeStatus(n: SimNode, now: string, since: string): object {
  const resources = { cpu: n.cpu, memory: n.memory, pods: n.pods, 'ephemeral-storage': '100Gi', ...n.devices };
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: since,
  });
  return {
    status: {
      capacity: resources,
      allocatable: resources,
      addresses: [
        { type: 'InternalIP', address: n.internalIp },
        { type: 'Hostname', address: n.name },
      ],
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: n.name,
        systemUUID: n.name,
        bootID: n.name,
        kernelVersion: '6.1.0-sandbox',
        osImage: 'KubeVirt sandbox node',
        containerRuntimeVersion: 'sandbox://1.0',
        kubeletVersion,
        kubeProxyVersion: kubeletVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export class NodeFleet {
  private readonly since = new Date().toISOString();
  private timer?: NodeJS.Timeout;
  healthy = false;

  constructor(private readonly kube: KubeClient) {}

  async register() {
    for (const n of simNodes) {
      const existing = await this.kube.find(`/api/v1/nodes/${n.name}`);
      if (!existing) await this.kube.create('/api/v1/nodes', nodeObject(n));
    }
    await this.heartbeat();
    this.timer = setInterval(() => void this.heartbeat(), 10_000);
  }

  private async heartbeat() {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const micro = new Date().toISOString().replace('Z', '000Z');
    try {
      for (const n of simNodes) {
        await this.kube.patch(`/api/v1/nodes/${n.name}/status`, nodeStatus(n, now, this.since), 'strategic');
        await this.renewLease(n.name, micro);
      }
      this.healthy = true;
    } catch (e) {
      this.healthy = false;
      console.error(JSON.stringify({ msg: 'node heartbeat failed', error: String(e) }));
    }
  }

  private async renewLease(node: string, renewTime: string) {
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`;
    const lease = await this.kube.find<KubeObject>(path);
    const spec = { holderIdentity: node, leaseDurationSeconds: 40, renewTime };
    if (lease) await this.kube.patch(path, { spec }, 'merge');
    else
      await this.kube.create('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: node, namespace: 'kube-node-lease' },
        spec,
      });
  }

  stop() {
    clearInterval(this.timer);
  }
}
