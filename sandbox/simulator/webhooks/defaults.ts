// KubeVirt v1.6's defaulting (pkg/defaults, pkg/network/vmispec, pkg/util, the generated API defaulters) as far as
// the sandbox needs it: what the VM and VMI mutating webhooks fill in, and what the VM validating webhook and the
// instancetype expansion apply to a copy of the template before validating or returning it.
import { randomUUID } from 'node:crypto';
import type { ClusterConfig } from './cluster-config.ts';
import { parseQuantity } from '../../../lib/kubevirt/quantity.ts';
import { arr, formatBinary, isObj, quantityInt, type Obj } from './util.ts';

/** vmispec.SetDefaultNetworkInterface. Returns an error message when the cluster default cannot be applied. */
export function setDefaultNetworkInterface(cfg: ClusterConfig, spec: Obj): string | undefined {
  spec.domain ??= {};
  spec.domain.devices ??= {};
  if (spec.domain.devices.autoattachPodInterface === false) return undefined;
  if (arr(spec.networks).length !== 0 || arr(spec.domain.devices.interfaces).length !== 0) return undefined;
  switch (cfg.defaultNetworkInterface) {
    case 'bridge':
      if (!cfg.permitBridgeInterfaceOnPodNetwork) return 'bridge interface is not enabled in kubevirt-config';
      spec.domain.devices.interfaces = [{ name: 'default', bridge: {} }];
      break;
    case 'masquerade':
      spec.domain.devices.interfaces = [{ name: 'default', masquerade: {} }];
      break;
    case 'slirp':
      return 'slirp interface is deprecated as of v1.3';
  }
  spec.networks = [{ name: 'default', pod: {} }];
  return undefined;
}

/** util.SetDefaultVolumeDisk: every volume without a disk or filesystem gets a disk of the same name. */
export function setDefaultVolumeDisk(spec: Obj): void {
  spec.domain ??= {};
  spec.domain.devices ??= {};
  const names = new Set([...arr(spec.domain.devices.disks), ...arr(spec.domain.devices.filesystems)].map((d) => d.name));
  for (const v of arr(spec.volumes)) {
    if (!names.has(v.name)) {
      spec.domain.devices.disks = [...arr(spec.domain.devices.disks), { name: v.name }];
      names.add(v.name);
    }
  }
}

function setGuestMemory(spec: Obj) {
  const domain = spec.domain;
  if (domain.memory?.guest !== undefined) return;
  domain.memory ??= {};
  const requests = domain.resources?.requests?.memory;
  const limits = domain.resources?.limits?.memory;
  if ((parseQuantity(requests) ?? 0) !== 0) domain.memory.guest = requests;
  else if ((parseQuantity(limits) ?? 0) !== 0) domain.memory.guest = limits;
  else if (domain.memory.hugepages?.pageSize && parseQuantity(domain.memory.hugepages.pageSize) !== undefined) {
    domain.memory.guest = domain.memory.hugepages.pageSize;
  }
}

function setDefaultResourceRequests(cfg: ClusterConfig, spec: Obj) {
  const domain = spec.domain;
  domain.resources ??= {};
  const res = domain.resources;
  const nonZero = (q: unknown) => (parseQuantity(q) ?? 0) !== 0;
  if (nonZero(res.limits?.cpu) && !nonZero(res.requests?.cpu)) {
    res.requests = { ...res.requests, cpu: res.limits.cpu };
  }
  if (nonZero(res.limits?.memory) && !nonZero(res.requests?.memory)) {
    res.requests = { ...res.requests, memory: res.limits.memory };
  }
  if (res.requests?.memory === undefined) {
    let memory: unknown = domain.memory?.guest;
    if (memory === undefined && domain.memory?.hugepages?.pageSize) memory = domain.memory.hugepages.pageSize;
    if (memory !== undefined && quantityInt(memory) > 0) {
      res.requests = {
        ...res.requests,
        memory: cfg.memoryOvercommit === 100 ? memory : formatBinary(Math.floor((quantityInt(memory) * 100) / cfg.memoryOvercommit)),
      };
    }
  }
}

/** defaults.SetDefaultGuestCPUTopology. */
function setDefaultGuestCPUTopology(spec: Obj) {
  const cpu = spec.domain.cpu;
  if (cpu && (cpu.cores || cpu.sockets || cpu.threads)) return;
  spec.domain.cpu ??= {};
  const res = spec.domain.resources ?? {};
  let sockets = 1;
  if (res.limits?.cpu !== undefined) sockets = quantityInt(res.limits.cpu);
  else if (res.requests?.cpu !== undefined) sockets = quantityInt(res.requests.cpu);
  Object.assign(spec.domain.cpu, { sockets, cores: 1, threads: 1 });
}

function setDefaultPullPolicies(spec: Obj) {
  for (const v of arr(spec.volumes)) {
    const cd = v.containerDisk;
    if (isObj(cd) && !cd.imagePullPolicy) {
      const image = String(cd.image ?? '');
      cd.imagePullPolicy = image.endsWith(':latest') || !/[:@]/.test(image) ? 'Always' : 'IfNotPresent';
    }
  }
}

/**
 * defaults.SetDefaultVirtualMachineInstanceSpec: architecture, machine type, memory requests and guest memory,
 * CPU topology, container disk pull policies, eviction strategy, the pod network and disks for bare volumes.
 * Returns an error message if the network default cannot be applied.
 */
export function setDefaultVmiSpec(cfg: ClusterConfig, spec: Obj): string | undefined {
  spec.domain ??= {};
  spec.domain.devices ??= {};
  if (!spec.architecture) spec.architecture = cfg.architecture;
  if (isObj(spec.domain.machine)) {
    if (!spec.domain.machine.type) spec.domain.machine.type = cfg.machineType;
  } else {
    spec.domain.machine = { type: cfg.machineType };
  }
  setDefaultResourceRequests(cfg, spec);
  setGuestMemory(spec);
  setDefaultGuestCPUTopology(spec);
  setDefaultPullPolicies(spec);
  if (spec.evictionStrategy === undefined && cfg.evictionStrategy) spec.evictionStrategy = cfg.evictionStrategy;
  const err = setDefaultNetworkInterface(cfg, spec);
  if (err) return err;
  setDefaultVolumeDisk(spec);
  return undefined;
}

const hotplugBlockAlignment = 0x200000;
const minHotplugGuestMemory = 0x40000000;

/** memory.ValidateLiveUpdateMemory: the reason memory hotplug cannot be used, or undefined. */
export function liveUpdateMemoryProblem(spec: Obj, maxGuest: unknown): string | undefined {
  const domain = spec.domain ?? {};
  if (domain.cpu?.realtime) return 'Memory hotplug is not compatible with realtime VMs';
  if (domain.cpu?.numa?.guestMappingPassthrough) return 'Memory hotplug is not compatible with guest mapping passthrough';
  if (domain.launchSecurity) return 'Memory hotplug is not compatible with encrypted VMs';
  const alignment = domain.memory?.hugepages?.pageSize === '1Gi' ? 0x40000000 : hotplugBlockAlignment;
  if (domain.memory?.guest === undefined) return 'Guest memory must be configured when memory hotplug is enabled';
  if (maxGuest === undefined) return 'Max guest memory must be configured when memory hotplug is enabled';
  const guest = quantityInt(domain.memory.guest);
  const max = quantityInt(maxGuest);
  if (guest > max) return 'Guest memory is greater than the configured maxGuest memory';
  if (guest % alignment !== 0) return `Guest memory must be ${formatBinary(alignment)} aligned`;
  if (max % alignment !== 0) return `MaxGuest must be ${formatBinary(alignment)} aligned`;
  if (spec.architecture !== 'amd64' && spec.architecture !== 'arm64') return 'Memory hotplug is only available for x86_64 and arm64 VMs';
  if (guest < minHotplugGuestMemory) return 'Memory hotplug is only available for VMs with at least 1Gi of guest memory';
  return undefined;
}

export interface VmiDefaultsOptions {
  /** Clock for status.phaseTransitionTimestamps (tests pin it). */
  now?: () => string;
  /** UUID source for spec.domain.firmware.uuid (tests pin it). */
  uuid?: () => string;
}

const featureStateKeys = ['relaxed', 'vapic', 'vpindex', 'runtime', 'synic', 'reset', 'vendorid', 'frequencies', 'reenlightenment', 'tlbflush', 'ipi', 'evmcs'];

/**
 * What the VMI mutating webhook does to a new VMI (defaults.SetDefaultVirtualMachineInstance plus the mutator's
 * own finalizer, Pending phase and non-root runtime user). Mutates `vmi` in place; returns an error message if the
 * network default cannot be applied.
 */
export function defaultNewVmi(cfg: ClusterConfig, vmi: Obj, opts: VmiDefaultsOptions = {}): string | undefined {
  vmi.spec ??= {};
  const spec = vmi.spec;
  const err = setDefaultVmiSpec(cfg, spec);
  if (err) return err;

  // SetObjectDefaults_VirtualMachineInstance
  spec.domain.firmware ??= {};
  if (!spec.domain.firmware.uuid) spec.domain.firmware.uuid = (opts.uuid ?? randomUUID)();
  spec.domain.features ??= {};
  const features = spec.domain.features;
  features.acpi ??= {};
  features.acpi.enabled ??= true;
  for (const k of ['apic', 'smm', 'pvspinlock']) if (isObj(features[k])) features[k].enabled ??= true;
  if (isObj(features.hyperv)) {
    const hv = features.hyperv;
    for (const k of featureStateKeys) if (isObj(hv[k])) hv[k].enabled ??= true;
    if (isObj(hv.synictimer)) {
      hv.synictimer.enabled ??= true;
      if (isObj(hv.synictimer.direct)) hv.synictimer.direct.enabled ??= true;
    }
    if (isObj(hv.spinlocks)) {
      hv.spinlocks.enabled ??= true;
      if (hv.spinlocks.enabled === true) hv.spinlocks.spinlocks ??= 4096;
    }
  }
  const timer = spec.domain.clock?.timer;
  if (isObj(timer)) for (const k of ['hpet', 'kvm', 'pit', 'rtc', 'hyperv']) if (isObj(timer[k])) timer[k].enabled ??= true;
  for (const d of arr(spec.domain.devices.disks)) {
    if (!isObj(d.disk) && !isObj(d.cdrom) && !isObj(d.lun)) d.disk = {};
    if (isObj(d.cdrom)) {
      d.cdrom.readonly ??= true;
      d.cdrom.tray ??= 'closed';
    }
  }
  for (const input of arr(spec.domain.devices.inputs)) {
    input.bus ||= 'usb';
    input.type ||= 'tablet';
  }
  for (const probe of [spec.readinessProbe, spec.livenessProbe]) {
    if (!isObj(probe)) continue;
    if (!(probe.timeoutSeconds >= 1)) probe.timeoutSeconds = 1;
    if (!(probe.periodSeconds >= 1)) probe.periodSeconds = 10;
    if (!(probe.successThreshold >= 1)) probe.successThreshold = 1;
    if (!(probe.failureThreshold >= 1)) probe.failureThreshold = 3;
  }

  // SetAmd64Defaults: SATA for disks without a bus, the i6300esb watchdog action.
  if (spec.architecture === 'amd64') {
    for (const d of arr(spec.domain.devices.disks)) {
      for (const k of ['disk', 'cdrom', 'lun']) if (isObj(d[k]) && !d[k].bus) d[k].bus = 'sata';
    }
    const wd = spec.domain.devices.watchdog;
    if (isObj(wd)) {
      wd.i6300esb ??= {};
      wd.i6300esb.action ||= 'reset';
    }
  }
  spec.domain.cpu ??= {};
  if (!spec.domain.cpu.model) spec.domain.cpu.model = cfg.cpuModel || 'host-model';
  // SetDefaultCPUTopology: an unset part of the topology is 1.
  for (const k of ['sockets', 'cores', 'threads']) if (!(spec.domain.cpu[k] >= 1)) spec.domain.cpu[k] = 1;

  // Status the mutator fills in.
  vmi.status ??= {};
  if (spec.domain.memory?.guest !== undefined) {
    vmi.status.memory = { guestAtBoot: spec.domain.memory.guest, guestCurrent: spec.domain.memory.guest, guestRequested: spec.domain.memory.guest };
  }
  if (isObj(spec.domain.cpu) && vmi.status.currentCPUTopology === undefined) {
    vmi.status.currentCPUTopology = { sockets: spec.domain.cpu.sockets, cores: spec.domain.cpu.cores, threads: spec.domain.cpu.threads };
  }

  // Hotplug headroom under the LiveUpdate rollout strategy (not on arm64).
  if (cfg.liveUpdate && spec.architecture !== 'arm64') {
    const cpu = spec.domain.cpu;
    if (!cpu.maxSockets) {
      let maxSockets = cfg.maxCpuSockets;
      if (cpu.sockets > maxSockets && maxSockets !== 0) maxSockets = cpu.sockets;
      cpu.maxSockets = maxSockets;
    }
    if (!cpu.maxSockets) {
      cpu.maxSockets = cpu.sockets * cfg.maxHotplugRatio;
      const total = cpu.maxSockets * cpu.cores * cpu.threads;
      if (total > 512) cpu.maxSockets = Math.max(Math.floor(512 / (cpu.cores * cpu.threads)), cpu.sockets);
    }
    if (spec.domain.memory?.maxGuest === undefined) {
      let maxGuest: string | undefined = cfg.maxGuest;
      if (maxGuest === undefined && spec.domain.memory?.guest !== undefined) maxGuest = formatBinary(quantityInt(spec.domain.memory.guest) * cfg.maxHotplugRatio);
      if (!liveUpdateMemoryProblem(spec, maxGuest) && maxGuest !== undefined) spec.domain.memory.maxGuest = maxGuest;
    }
  }

  vmi.metadata ??= {};
  vmi.metadata.finalizers = [...arr<string>(vmi.metadata.finalizers), 'foregroundDeleteVirtualMachine'];
  vmi.status.phase = 'Pending';
  vmi.status.phaseTransitionTimestamps = [
    ...arr(vmi.status.phaseTransitionTimestamps),
    { phase: 'Pending', phaseTransitionTimestamp: (opts.now ?? (() => new Date().toISOString().replace(/\.\d+Z$/, 'Z')))() },
  ];
  if (!cfg.root) vmi.status.runtimeUser = 107;
  return undefined;
}

/** defaults.SetVirtualMachineDefaults: matcher kinds, architecture, machine type and the preferred storage class. */
export function setVirtualMachineDefaults(cfg: ClusterConfig, vm: Obj, preferenceSpec?: Obj): void {
  vm.spec ??= {};
  if (isObj(vm.spec.instancetype) && !vm.spec.instancetype.kind) vm.spec.instancetype.kind = 'virtualmachineclusterinstancetype';
  if (isObj(vm.spec.preference) && !vm.spec.preference.kind) vm.spec.preference.kind = 'virtualmachineclusterpreference';
  const tpl = vm.spec.template;
  if (!isObj(tpl)) return;
  tpl.spec ??= {};
  tpl.spec.domain ??= {};
  if (!tpl.spec.architecture) tpl.spec.architecture = cfg.architecture;
  if (!(isObj(tpl.spec.domain.machine) && tpl.spec.domain.machine.type)) {
    tpl.spec.domain.machine ??= {};
    const preferred = preferenceSpec?.machine?.preferredMachineType;
    if (preferred) tpl.spec.domain.machine.type = preferred;
    if (!tpl.spec.domain.machine.type) tpl.spec.domain.machine.type = cfg.machineType;
  }
  const sc = preferenceSpec?.volumes?.preferredStorageClassName;
  if (sc) {
    for (const dv of arr(vm.spec.dataVolumeTemplates)) {
      if (isObj(dv.spec?.pvc) && dv.spec.pvc.storageClassName === undefined) dv.spec.pvc.storageClassName = sc;
      if (isObj(dv.spec?.storage) && dv.spec.storage.storageClassName === undefined) dv.spec.storage.storageClassName = sc;
    }
  }
}
