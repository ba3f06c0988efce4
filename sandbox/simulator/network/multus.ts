// Multus and the CNI plugins behind it, for virt-launcher pods: find the NADs a VMI's networks name, give each
// secondary interface an address from the NAD's IPAM (unique on its segment), put the NIC on the segment's wire and
// report the result in the pod's `k8s.v1.cni.cncf.io/network-status` annotation, as Multus does.
import { ApiError, type KubeClient } from '../kube/client.ts';
import type { VMI } from '../kubevirt/types.ts';
import { networksAnnotation, networkSelection, networkStatusAnnotation, podInterfaceName, secondaryInterfaces } from './secondary.ts';
import { allocate, broadcast, netmask, type Address } from './ipam.ts';
import { nadRef, planOf, type Nad, type NadPlan, type NadRef } from './nad.ts';
import { netdevFor, type Fabric } from './fabric.ts';

export interface Attachment {
  network: string;
  ref: NadRef;
  plan: NadPlan;
  mac: string;
  address?: Address;
  /** QEMU -netdev argument (without the id). */
  netdev: string;
}

interface Owner {
  attachment: Attachment;
  pods: Set<string>;
}

export class Multus {
  /** Attachments by `<vmi uid>/<network>`: a migration target shares its source's addresses. */
  private readonly owners = new Map<string, Owner>();

  constructor(
    private readonly kube: KubeClient,
    private readonly fabric: Fabric,
  ) {}

  /**
   * The NADs of the VMI's secondary networks. Throws what virt-controller reports when one is missing or unusable
   * (the VMI then shows FailedCreate, and no pod is made).
   */
  async resolve(vmi: VMI, only?: ReadonlySet<string>): Promise<Map<string, { ref: NadRef; plan: NadPlan }>> {
    const out = new Map<string, { ref: NadRef; plan: NadPlan }>();
    for (const s of secondaryInterfaces(vmi)) {
      if (only && !only.has(s.network)) continue;
      const ref = nadRef(vmi.metadata.namespace!, s.networkName);
      let nad: Nad;
      try {
        nad = await this.kube.get<Nad>(`/apis/k8s.cni.cncf.io/v1/namespaces/${ref.namespace}/network-attachment-definitions/${ref.name}`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) throw new Error(`failed to locate network attachment definition ${ref.namespace}/${ref.name}`);
        throw e;
      }
      out.set(s.network, { ref, plan: planOf(nad) });
    }
    return out;
  }

  /** Device-plugin resources the pod must request for its secondary networks (SR-IOV VFs), by resource name. */
  async resources(vmi: VMI): Promise<Record<string, string>> {
    const counts: Record<string, number> = {};
    for (const { plan } of (await this.resolve(vmi)).values()) {
      if (plan.resourceName) counts[plan.resourceName] = (counts[plan.resourceName] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)]));
  }

  /** Plugs one secondary interface of `podUid` (CNI ADD): address, wire, DHCP lease. */
  async attach(podUid: string, vmi: VMI, network: string, mac: string, nad: { ref: NadRef; plan: NadPlan }): Promise<Attachment> {
    const key = `${vmi.metadata.uid}/${network}`;
    let owner = this.owners.get(key);
    if (!owner) {
      const used = new Set<string>();
      for (const o of this.owners.values()) {
        if (o.attachment.plan.segment === nad.plan.segment && o.attachment.address) used.add(o.attachment.address.ip);
      }
      const address = allocate(nad.plan.ipam, used);
      const endpoint = this.fabric.endpoint(nad.plan.segment);
      owner = { attachment: { network, ref: nad.ref, plan: nad.plan, mac, address, netdev: netdevFor(endpoint) }, pods: new Set() };
      this.owners.set(key, owner);
    }
    owner.pods.add(podUid);
    const a = owner.attachment;
    await this.fabric.plug(a.plan.segment, a.mac, a.address && {
      ip: a.address.ip,
      netmask: netmask(a.address.prefix),
      broadcast: broadcast(a.address.ip, a.address.prefix),
      hostname: vmi.spec?.hostname ?? vmi.metadata.name,
    });
    return a;
  }

  /** CNI DEL for one interface of one pod; the address goes back to the pool when no pod of the VMI holds it. */
  detach(podUid: string, vmiUid: string, network: string) {
    const key = `${vmiUid}/${network}`;
    const owner = this.owners.get(key);
    if (!owner) return;
    owner.pods.delete(podUid);
    if (owner.pods.size) return;
    this.fabric.unplug(owner.attachment.plan.segment, owner.attachment.mac);
    this.owners.delete(key);
  }

  /** CNI DEL for every interface of a pod that is gone. */
  detachPod(podUid: string, vmiUid: string) {
    for (const [key, owner] of [...this.owners]) {
      if (key.startsWith(`${vmiUid}/`) && owner.pods.has(podUid)) this.detach(podUid, vmiUid, owner.attachment.network);
    }
  }

  /**
   * The pod's Multus annotations after a change: the interfaces it asks for (`networks`, which virt-controller
   * keeps in step with hotplug) and what Multus attached (`network-status`: the default network, then each secondary).
   */
  async reportStatus(pod: { namespace: string; name: string; uid: string }, vmiUid: string, podIp: string | undefined) {
    const requested: object[] = [];
    const entries: object[] = [{ name: 'sandbox-pod-network', interface: 'eth0', ips: podIp ? [podIp] : [], default: true, dns: {} }];
    for (const [key, owner] of this.owners) {
      if (!key.startsWith(`${vmiUid}/`) || !owner.pods.has(pod.uid)) continue;
      const a = owner.attachment;
      requested.push(networkSelection(a.ref, a.network));
      entries.push({
        name: `${a.ref.namespace}/${a.ref.name}`,
        interface: podInterfaceName(a.network),
        ...(a.address ? { ips: [a.address.ip] } : {}),
        mac: a.mac,
        dns: {},
      });
    }
    const annotations = { [networksAnnotation]: requested.length ? JSON.stringify(requested) : null, [networkStatusAnnotation]: JSON.stringify(entries) };
    await this.kube
      .patch(`/api/v1/namespaces/${pod.namespace}/pods/${pod.name}`, { metadata: { annotations } })
      .catch(() => {}); // the pod may be going away
  }
}
