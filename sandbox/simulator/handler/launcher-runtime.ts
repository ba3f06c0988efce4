// virt-handler's side of a virt-launcher pod: when the pod lands on a simulated node, start the VMI's domain as a
// real QEMU process; watch it (QMP events, guest agent) and stop it when the pod goes away.
import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClient } from '../kube/client.ts';
import type { Pod, PodRuntime, RunningPod } from '../nodes/kubelet.ts';
import type { SimNode } from '../nodes/fleet.ts';
import { claimVolumes, guestCpus, guestMemoryBytes } from '../kubevirt/launcher-pod.ts';
import { vmiPath } from '../kubevirt/paths.ts';
import type { VMI } from '../kubevirt/types.ts';
import type { GuestView } from '../kubevirt/vmi-status.ts';
import { makeNoCloudDisk, resolveNoCloudSecrets } from './cloud-init.ts';
import { Domain, hotplugPorts, type DomainDisk, type DomainNic } from './domain.ts';
import { domains } from './domains.ts';
import { guestImageById, guestImageFor } from './guest-images.ts';
import { diskLabel } from '../cdi/datavolumes.ts';
import { volumeFile } from '../storage/provisioner.ts';
import type { Attachment, Multus } from '../network/multus.ts';
import { secondaryInterfaces } from '../network/secondary.ts';
import { unplugDevice, unplugDisk } from './unplug.ts';

/**
 * Guest memory is held between what the sandbox's kernel needs to boot and a cap that lets many VMs fit this
 * machine, and vCPUs are capped; the API keeps reporting the spec's values (the guest is a stand-in either way).
 */
export const caps = {
  minMemoryMiB: 128,
  memoryMiB: Number(process.env.SANDBOX_GUEST_MEMORY_MIB ?? 160),
  cpus: Number(process.env.SANDBOX_GUEST_CPUS ?? 1),
};

export function macFor(vmiUid: string, iface: string): string {
  const h = createHash('sha256').update(`${vmiUid}/${iface}`).digest();
  // Locally administered, unicast.
  return ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** Label on a migration target's virt-launcher pod: the VirtualMachineInstanceMigration it serves. */
export const migrationJobLabel = 'kubevirt.io/migrationJobUID';

export interface DomainState {
  paused: boolean;
  /** The source of a live migration: QEMU stops its CPUs at the hand-over, which is not a user's pause. */
  migratingOut?: boolean;
  /** Hot-plugged volumes and the root port each sits in. */
  hotplugged: Map<string, string>;
  /** Hot-plugged volumes asked to leave whose guest has not let them go yet (still in `hotplugged`). */
  unplugging: Set<string>;
  /** Secondary NICs by network name, each in a root port so it can be unplugged. */
  nics: Map<string, { port: string; id: string; attachment: Attachment }>;
  /** The domain arrived by live migration: SR-IOV interfaces requested since the start are plugged now. */
  migratedIn?: boolean;
  pod: { namespace: string; name: string; uid: string; ip?: string };
  agent?: GuestView;
  /** Agent polls that failed in a row: a slow answer is not a disconnect. */
  agentFailures?: number;
  /** The guest's agent has answered this domain (not only the source of a migration it took over from). */
  agentAnswered?: boolean;
  /** Its going was logged: the log then says when it answers again. */
  agentLost?: boolean;
  macs: Record<string, string>;
}

/** Polls that must fail in a row before the agent counts as gone (AgentConnected drops, addresses go). */
export const agentMissedPolls = 3;

/** The QEMU id of a secondary NIC (its netdev; the device is `dev-<id>`): QEMU ids are short and plain. */
const nicId = (network: string) => `nic-${createHash('sha256').update(network).digest('hex').slice(0, 10)}`;

const hotplugNode = (volume: string) => `hp-${volume}`.slice(0, 31);

function freePort(state: Pick<DomainState, 'hotplugged' | 'nics'>): string | undefined {
  const used = new Set([...state.hotplugged.values(), ...[...state.nics.values()].map((n) => n.port)]);
  return [...Array(hotplugPorts).keys()].map((i) => `hp${i}`).find((p) => !used.has(p));
}

export class LauncherRuntime implements PodRuntime {
  readonly name = 'virt-launcher';
  private readonly states = new WeakMap<Domain, DomainState>();
  /** Migration targets waiting for their guest, by migration UID. */
  readonly targets = new Map<string, Domain>();
  private readonly polls = new WeakMap<Domain, NodeJS.Timeout>();

  constructor(
    private readonly kube: KubeClient,
    private readonly vmsDir: string,
    private readonly volumesDir: string,
    /** Tells the VMI controller that what the node sees of a domain changed. */
    private readonly changed: (namespace: string, name: string) => void,
    readonly multus: Multus,
  ) {}

  handles(pod: Pod) {
    return pod.metadata.labels?.['kubevirt.io'] === 'virt-launcher';
  }

  stateOf(d: Domain): DomainState | undefined {
    return this.states.get(d);
  }

  async start(pod: Pod, node: SimNode, ip: string, exited: (code: number) => void): Promise<RunningPod> {
    try {
      return await this.startDomain(pod, node, ip, exited);
    } catch (e) {
      // Whatever failed after Multus attached the pod's interfaces, their addresses go back to the pool.
      const vmiUid = pod.metadata.labels?.['kubevirt.io/created-by'];
      if (vmiUid) this.multus.detachPod(pod.metadata.uid!, vmiUid);
      throw e;
    }
  }

  private async startDomain(pod: Pod, _node: SimNode, ip: string, exited: (code: number) => void): Promise<RunningPod> {
    const ns = pod.metadata.namespace!;
    const vmiName = pod.metadata.annotations?.['kubevirt.io/domain'] ?? pod.metadata.labels?.['vm.kubevirt.io/name'];
    const vmi = vmiName ? await this.kube.find<VMI>(vmiPath(ns, vmiName)) : undefined;
    if (!vmi || vmi.metadata.uid !== pod.metadata.labels?.['kubevirt.io/created-by']) throw new Error('the VMI of this pod is gone');

    const dir = join(this.vmsDir, pod.metadata.uid!);
    mkdirSync(dir, { recursive: true });
    const containerDisk = vmi.spec?.volumes?.find((v) => v.containerDisk)?.containerDisk?.image;
    const macs: Record<string, string> = {};
    const nics: DomainNic[] = [];
    for (const iface of vmi.spec?.domain?.devices?.interfaces ?? []) {
      if ((iface as { state?: string }).state === 'absent') continue;
      const net = vmi.spec?.networks?.find((n) => n.name === iface.name);
      if (!net?.pod) continue; // secondary networks below
      macs[iface.name] = iface.macAddress ?? macFor(vmi.metadata.uid!, iface.name);
      // KubeVirt's DHCP answer on the pod network names the guest after the VMI (or its spec.hostname).
      const hostname = (vmi.spec as { hostname?: string } | undefined)?.hostname ?? vmi.metadata.name;
      nics.push({ name: iface.name, mac: macs[iface.name]!, netdev: `user,net=10.0.2.0/24,hostname=${hostname}`, id: `net${nics.length}` });
    }
    const migrationUid = pod.metadata.labels?.[migrationJobLabel];
    // A migration target must have the source's devices where the source has them: the same secondary NICs and
    // hot-plugged disks in the same root ports (what the source got later is plugged after the hand-over).
    const source = migrationUid ? domains.get(ns, vmi.metadata.name) : undefined;
    const sourceState = source && source.plan.vmiUid === vmi.metadata.uid ? this.states.get(source) : undefined;
    const state: DomainState = {
      paused: vmi.spec?.startStrategy === 'Paused',
      macs,
      hotplugged: new Map(),
      unplugging: new Set(),
      nics: new Map(),
      pod: { namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid!, ip },
    };
    // A target copies what the source has plugged (an interface marked absent but not yet unplugged included),
    // not what the spec asks for.
    const plan = migrationUid
      ? [...(sourceState?.nics ?? new Map())].map(([network, n]) => ({ network, mac: n.attachment.mac, port: n.port as string | undefined, nad: { ref: n.attachment.ref, plan: n.attachment.plan } }))
      : await this.multus.resolve(vmi).then((nads) =>
          secondaryInterfaces(vmi).map((s) => ({ network: s.network, mac: s.iface.macAddress ?? macFor(vmi.metadata.uid!, s.network), port: undefined, nad: nads.get(s.network)! })));
    for (const p of plan) {
      const port = p.port ?? freePort(state);
      if (!port) throw new Error(`no free PCIe slot for interface ${p.network}`);
      const attachment = await this.multus.attach(pod.metadata.uid!, vmi, p.network, p.mac, p.nad);
      const id = nicId(p.network);
      state.nics.set(p.network, { port, id, attachment });
      macs[p.network] = p.mac;
      nics.push({ name: p.network, mac: p.mac, netdev: attachment.netdev, id, bus: port });
    }
    await this.multus.reportStatus(state.pod, vmi.metadata.uid!, ip);
    const disks: DomainDisk[] = [];
    // In the order of the VMI's disks, so the guest sees them as KubeVirt would attach them.
    const order = (vmi.spec?.domain?.devices?.disks ?? []).map((d) => d.name);
    const volumes = [...(vmi.spec?.volumes ?? [])].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    for (const v of volumes) {
      const src = v.cloudInitNoCloud;
      if (src) {
        const resolved = await resolveNoCloudSecrets(this.kube, ns, v.name, src);
        disks.push({ name: v.name, file: makeNoCloudDisk(dir, vmi.metadata.name, vmi.metadata.uid!, resolved), format: 'raw', serial: 'cidata', bus: 'virtio', readonly: true });
      }
      const claim = v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
      const hotpluggable = v.persistentVolumeClaim?.hotpluggable ?? v.dataVolume?.hotpluggable;
      // Hot-pluggable volumes are attached once the domain runs (syncHotplug), as KubeVirt's attachment pods do.
      const carried = hotpluggable ? sourceState?.hotplugged.get(v.name) : undefined;
      if (claim && carried) {
        const pvc = await this.kube.get<{ spec: { volumeName?: string } }>(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${claim}`);
        const node = hotplugNode(v.name);
        disks.push({ name: v.name, file: volumeFile(this.volumesDir, pvc.spec.volumeName!), format: 'raw', serial: v.name.slice(0, 20), bus: 'virtio', hotplug: { bus: carried, node } });
        state.hotplugged.set(v.name, carried);
      }
      if (claim && !hotpluggable) {
        const pvc = await this.kube.get<{ spec: { volumeName?: string } }>(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${claim}`);
        if (!pvc.spec.volumeName) throw new Error(`PVC ${ns}/${claim} is not bound`);
        // virtio-blk serials hold 20 bytes; the guest mounts the disk under /mnt/<serial>.
        disks.push({ name: v.name, file: volumeFile(this.volumesDir, pvc.spec.volumeName), format: 'raw', serial: v.name.slice(0, 20), bus: 'virtio' });
      }
    }
    // A container disk boots its image; otherwise the first disk, when it holds one of the built-in guests.
    const bootDisk = disks.find((d) => d.serial !== 'cidata');
    const image = containerDisk !== undefined ? guestImageFor(containerDisk) : bootDisk && guestImageById(diskLabel(bootDisk.file));
    const { sockets, cores, threads } = guestCpus(vmi);
    const domain = new Domain(
      {
        vmiUid: vmi.metadata.uid!,
        namespace: ns,
        name: vmi.metadata.name,
        memoryMiB: Math.max(caps.minMemoryMiB, Math.min(caps.memoryMiB, Math.ceil(guestMemoryBytes(vmi) / 1024 ** 2))),
        cpus: Math.min(caps.cpus, sockets * cores * threads),
        kernel: image?.kernel,
        initrd: image?.initrd,
        nics,
        disks,
        paused: vmi.spec?.startStrategy === 'Paused',
        dirName: pod.metadata.uid,
        incoming: migrationUid ? join(dir, 'migration.sock') : undefined,
      },
      this.vmsDir,
    );
    this.states.set(domain, state);
    domain.qmp.onEvent((e) => {
      if ((e.event === 'STOP' || e.event === 'RESUME') && !state.migratingOut) {
        state.paused = e.event === 'STOP';
        this.changed(ns, vmi.metadata.name);
      }
    });
    domain.onExit(({ code, signal, requested }) => {
      clearInterval(this.polls.get(domain));
      if (migrationUid) this.targets.delete(migrationUid);
      domains.delete(ns, vmi.metadata.name, domain);
      domain.cleanup();
      this.multus.detachPod(pod.metadata.uid!, vmi.metadata.uid!);
      this.changed(ns, vmi.metadata.name);
      // A guest that shut itself down completes the pod; a QEMU that died fails it.
      if (!requested) exited(code === 0 && !signal ? 0 : 137);
    });
    await domain.start();
    if (migrationUid) {
      // A migration target waits for the guest's state to arrive; it serves the VMI once promoted.
      this.targets.set(migrationUid, domain);
      return { stop: (grace) => (domains.get(ns, vmi.metadata.name) === domain ? domain.shutdown(grace ?? 30) : domain.quit()) };
    }
    this.activate(domain);
    return { stop: (grace) => domain.shutdown(grace ?? (vmi.spec?.terminationGracePeriodSeconds ?? 30)) };
  }

  /** Makes a domain the one that serves its VMI (at start, or when a migration hands over to its target). */
  activate(domain: Domain, migrated = false) {
    const state = this.states.get(domain)!;
    state.migratedIn = migrated;
    const { namespace: ns, name } = domain.plan;
    domains.set(ns, name, domain);
    this.polls.set(domain, setInterval(() => void this.pollAgent(domain, state, ns, name), 2000));
    this.changed(ns, name);
  }

  /**
   * Detaches the hot-plugged volumes the VMI no longer has and attaches the ones the domain lacks. Each is tried, and
   * what could not be done yet is thrown together at the end, for the caller to try again. True when something
   * changed.
   */
  async syncHotplug(domain: Domain, vmi: VMI): Promise<boolean> {
    const state = this.states.get(domain);
    if (!state) return false;
    const ns = domain.plan.namespace;
    const want = claimVolumes(vmi).filter((c) => c.hotpluggable);
    let changed = false;
    const failures: string[] = [];
    // Detaches first: the slot one frees may be the one an attach needs. A volume added back while its unplug is
    // under way leaves first (its device is on its way out of the guest), then is plugged in again.
    for (const volume of [...state.hotplugged.keys()]) {
      if (want.some((c) => c.volume === volume) && !state.unplugging.has(volume)) continue;
      // A retry looks briefly: a guest that let go meanwhile is seen at once, and a held device must not hold up
      // the VMI's status for the full wait every time.
      const retry = state.unplugging.has(volume);
      state.unplugging.add(volume);
      try {
        await unplugDisk(domain.qmp, hotplugNode(volume), volume, retry ? 2_000 : undefined);
        state.hotplugged.delete(volume);
        state.unplugging.delete(volume);
        changed = true;
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e));
      }
    }
    for (const c of want) {
      if (state.hotplugged.has(c.volume)) continue;
      try {
        const port = freePort(state);
        if (!port) throw new Error(`no free hot-plug slot for volume ${c.volume}`);
        const pvc = await this.kube.get<{ spec: { volumeName?: string } }>(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${c.claim}`);
        if (!pvc.spec.volumeName) continue; // not bound yet
        const node = hotplugNode(c.volume);
        await domain.qmp.execute('blockdev-add', { driver: 'raw', 'node-name': node, file: { driver: 'file', filename: volumeFile(this.volumesDir, pvc.spec.volumeName) } });
        try {
          await domain.qmp.execute('device_add', { driver: 'virtio-blk-pci', drive: node, id: `dev-${node}`, serial: c.volume.slice(0, 20), bus: port });
        } catch (e) {
          // Leave no block node behind, or every retry fails on its name.
          await domain.qmp.execute('blockdev-del', { 'node-name': node }).catch(() => {});
          throw e;
        }
        state.hotplugged.set(c.volume, port);
        changed = true;
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e));
      }
    }
    if (failures.length) throw new Error(failures.join('; '));
    return changed;
  }

  /**
   * ExpandDisks (on in the sandbox's KubeVirt configuration): when a claim the domain uses has grown (the resizer
   * already grew its file), the running disk is resized as virt-handler does with virDomainBlockResize, and the
   * guest's virtio-blk driver sees the new capacity at once. Only claim-backed disks: container disks and
   * cloud-init images never grow. True when a disk was resized.
   */
  async syncDiskSizes(domain: Domain): Promise<boolean> {
    if (!this.states.has(domain)) return false;
    type Block = { device: string; inserted?: { 'node-name': string; file: string; ro: boolean; image: { 'virtual-size': number } } };
    const blocks = await domain.qmp.execute<Block[]>('query-block');
    let changed = false;
    for (const b of blocks) {
      const ins = b.inserted;
      if (!ins || ins.ro || !ins.file.startsWith(this.volumesDir)) continue;
      let size: number;
      try {
        size = statSync(ins.file).size;
      } catch {
        continue;
      }
      if (size <= ins.image['virtual-size']) continue;
      await domain.qmp.execute('block_resize', { ...(b.device ? { device: b.device } : { 'node-name': ins['node-name'] }), size });
      changed = true;
    }
    return changed;
  }

  /**
   * Interface hotplug on the node: plugs the VMI's new secondary interfaces (bridge in place, as with Multus's
   * dynamic networks controller; SR-IOV only on a domain that arrived by migration, as KubeVirt attaches VFs) and
   * unplugs the ones marked absent. Updates the pod's Multus annotations. True when something changed.
   */
  async syncInterfaces(domain: Domain, vmi: VMI): Promise<boolean> {
    const state = this.states.get(domain);
    if (!state) return false;
    const want = secondaryInterfaces(vmi);
    let changed = false;
    try {
      // Unplugs first: a NAD that is gone or a plug that fails must not hold them up.
      for (const [network, nic] of [...state.nics]) {
        if (want.some((s) => s.network === network)) continue;
        // Until the guest lets the device go, the interface stays (and is reported): a retry tries again.
        if (!(await unplugDevice(domain.qmp, `dev-${nic.id}`))) throw new Error(`the guest has not released interface ${network} yet`);
        await domain.qmp.execute('netdev_del', { id: nic.id }).catch(() => {});
        this.multus.detach(state.pod.uid, vmi.metadata.uid!, network);
        state.nics.delete(network);
        delete state.macs[network];
        changed = true;
      }
      // A VF joins a migrated guest once the guest runs on this node (its agent answered here): plugged during the
      // hand-over, before the guest resumed, the device could hang it.
      const toPlug = want.filter((s) => !state.nics.has(s.network) && (s.iface.bridge || (s.iface.sriov && state.migratedIn && state.agentAnswered)));
      const nads = toPlug.length ? await this.multus.resolve(vmi, new Set(toPlug.map((s) => s.network))) : undefined;
      for (const s of toPlug) {
        const port = freePort(state);
        if (!port) throw new Error(`no free PCIe slot for interface ${s.network}`);
        const mac = s.iface.macAddress ?? macFor(vmi.metadata.uid!, s.network);
        const attachment = await this.multus.attach(state.pod.uid, vmi, s.network, mac, nads!.get(s.network)!);
        const id = nicId(s.network);
        let netdevAdded = false;
        try {
          await domain.qmp.execute('netdev_add', netdevArgs(id, attachment.netdev));
          netdevAdded = true;
          await domain.qmp.execute('device_add', { driver: 'virtio-net-pci', netdev: id, id: `dev-${id}`, mac, bus: port });
        } catch (e) {
          // Leave nothing behind in QEMU, or every retry fails on a duplicate id.
          if (netdevAdded) await domain.qmp.execute('netdev_del', { id }).catch(() => {});
          this.multus.detach(state.pod.uid, vmi.metadata.uid!, s.network);
          throw e;
        }
        state.nics.set(s.network, { port, id, attachment });
        state.macs[s.network] = mac;
        changed = true;
      }
    } finally {
      if (changed) await this.multus.reportStatus(state.pod, vmi.metadata.uid!, state.pod.ip);
    }
    return changed;
  }

  /** A live migration of this VMI is under way (its target domain exists): devices must not change meanwhile. */
  migrating(vmiUid: string): boolean {
    return [...this.targets.values()].some((d) => d.plan.vmiUid === vmiUid);
  }

  private async pollAgent(domain: Domain, state: DomainState, ns: string, name: string) {
    if (state.paused) return;
    const before = JSON.stringify(state.agent);
    try {
      const os = await domain.agent.call<Record<string, string>>('guest-get-osinfo', undefined, 1500);
      const host = await domain.agent.call<{ 'host-name': string }>('guest-get-host-name', undefined, 1500);
      const nets = await domain.agent
        .call<{ name: string; 'hardware-address'?: string; 'ip-addresses'?: { 'ip-address': string; 'ip-address-type': string }[] }[]>('guest-network-get-interfaces', undefined, 1500)
        .catch(() => undefined);
      const previous = state.agent?.interfaces;
      if (state.agentLost) {
        console.log(JSON.stringify({ time: new Date().toISOString(), msg: 'guest agent answers again', namespace: ns, vm: name, missedPolls: state.agentFailures }));
        state.agentLost = false;
      }
      state.agentFailures = 0;
      if (!state.agentAnswered) {
        state.agentAnswered = true;
        this.changed(ns, name);
      }
      state.agent = {
        hostname: host['host-name'],
        osInfo: {
          name: os.name ?? '', id: os.id ?? '', version: os.version ?? '', versionId: os['version-id'] ?? '',
          prettyName: os['pretty-name'] ?? '', kernelRelease: os['kernel-release'] ?? '', kernelVersion: os['kernel-version'] ?? '',
          machine: os.machine ?? '',
        },
        // A busy guest that misses this one answer keeps the addresses it last reported, rather than losing them.
        interfaces: nets
          ? nets
              .filter((n) => n['hardware-address'] && n.name !== 'lo')
              .map((n) => ({
                name: n.name,
                mac: n['hardware-address']!,
                ips: (n['ip-addresses'] ?? []).filter((a) => a['ip-address-type'] === 'ipv4').map((a) => a['ip-address']),
              }))
          : (previous ?? []),
      };
    } catch (e) {
      // Under software emulation on a loaded machine an answer can take longer than the poll allows: only a run of
      // misses means the agent is gone (what it last said holds until then, also across a migration's hand-over).
      // Logged only for an agent that had answered (here, or on the source of a migration): not for a guest that boots.
      const known = state.agent !== undefined;
      state.agentFailures = (state.agentFailures ?? 0) + 1;
      if (state.agentFailures >= agentMissedPolls) state.agent = undefined;
      // Polls still queued when QEMU exits fail too: that is the domain ending, not its agent going.
      if (state.agentFailures === agentMissedPolls && known && domain.running) await this.logAgentGone(domain, state, ns, name, e);
    }
    if (JSON.stringify(state.agent) !== before) this.changed(ns, name);
  }

  /**
   * Says in the log what the guest was doing when its agent stopped answering: whether QEMU still runs it, and the
   * last of its serial output (a guest that hung prints nothing more; one that answers there has an agent problem).
   */
  private async logAgentGone(domain: Domain, state: DomainState, ns: string, name: string, error: unknown) {
    state.agentLost = true;
    const run = await domain.qmp.execute<{ status: string }>('query-status', undefined, 2000).then((r) => r.status, (err: unknown) => `unknown (${String(err)})`);
    console.log(JSON.stringify({
      time: new Date().toISOString(), msg: 'guest agent stopped answering', namespace: ns, vm: name, pod: state.pod.name,
      error: error instanceof Error ? error.message : String(error), qemuRunState: run, pausedHere: state.paused, migratedIn: !!state.migratedIn,
      serialTail: domain.serialTail(400),
    }));
  }
}

/** A `-netdev` argument as QMP netdev_add arguments. */
export function netdevArgs(id: string, netdev: string): Record<string, string> {
  const [type, ...opts] = netdev.split(',');
  return { type: type!, id, ...Object.fromEntries(opts.map((o) => o.split('=', 2) as [string, string])) };
}
