// Instancetype and preference application as KubeVirt v1.6 does it (pkg/instancetype/apply, .../preference/apply,
// .../conflict, .../preference/requirements, .../preference/validation, pkg/instancetype/expand): the instancetype
// owns CPU, memory and a few scheduling fields (a VM that sets them conflicts), the preference only fills in what
// the VM leaves unset. Pure functions over JSON objects.
import { sandboxClusterConfig, type ClusterConfig } from '../webhooks/cluster-config.ts';
import { setDefaultNetworkInterface, setDefaultVmiSpec, setDefaultVolumeDisk } from '../webhooks/defaults.ts';
import { arr, clone, FieldPath, isObj, quantityInt, quantityString, type Obj } from '../webhooks/util.ts';

/** instancetype.kubevirt.io/v1beta1 VirtualMachineInstancetypeSpec (JSON). */
export type InstancetypeSpec = object;
/** instancetype.kubevirt.io/v1beta1 VirtualMachinePreferenceSpec (JSON). */
export type PreferenceSpec = object;

/** A conflict.Conflict: the VM sets a field the instancetype owns. */
export interface Conflict {
  field: string;
  message: string;
}

const conflictMessage = (field: string) => `VM field(s) ${field} conflicts with selected instance type`;
const conflictAt = (field: FieldPath): Conflict => ({ field: `${field}`, message: conflictMessage(`${field}`) });

/** conflict.Conflicts.Error(): one message naming every conflicting path. */
export const conflictsError = (conflicts: Conflict[]) => conflictMessage(conflicts.map((c) => c.field).join(', '));

// ---------------------------------------------------------------------------------------------------------------
// Preference helpers

/** preference apply.GetPreferredTopology: sockets unless the preference says otherwise. */
export function preferredTopology(pref: Obj | undefined): string {
  return pref?.cpu?.preferredCPUTopology ?? 'sockets';
}

/** preference apply.GetSpreadOptions: ratio 2 across SocketsCores unless configured. */
export function spreadOptions(pref: Obj | undefined): { ratio: number; across: string } {
  let ratio = pref?.preferSpreadSocketToCoreRatio ? Number(pref.preferSpreadSocketToCoreRatio) : 2;
  let across = 'SocketsCores';
  const so = pref?.cpu?.spreadOptions;
  if (isObj(so)) {
    if (so.across) across = so.across;
    if (so.ratio) ratio = Number(so.ratio);
  }
  return { ratio, across };
}

const isCores = (t: string) => t === 'preferCores' || t === 'cores';
const isSockets = (t: string) => ['preferSockets', 'preferAny', 'sockets', 'any'].includes(t);
const isThreads = (t: string) => t === 'preferThreads' || t === 'threads';
const isSpread = (t: string) => t === 'preferSpread' || t === 'spread';

/** validation.CheckSpreadCPUTopology: the instancetype's vCPUs must divide evenly for a spread topology. */
export function checkSpreadCPUTopology(itSpec: InstancetypeSpec | undefined, prefSpec: PreferenceSpec | undefined): Conflict | undefined {
  const it = itSpec as Obj | undefined;
  const pref = prefSpec as Obj | undefined;
  if (!it || !isSpread(preferredTopology(pref))) return undefined;
  const guest = Number(it.cpu?.guest ?? 0);
  const { ratio, across } = spreadOptions(pref);
  const field = 'instancetype.spec.cpu.guest';
  if (across === 'SocketsCores' && guest % ratio > 0) {
    return { field, message: `${guest} vCPUs provided by the instance type are not divisible by the Spec.PreferSpreadSocketToCoreRatio or Spec.CPU.PreferSpreadOptions.Ratio of ${ratio} provided by the preference` };
  }
  if (across === 'CoresThreads' && guest % ratio > 0) {
    return { field, message: `${guest} vCPUs provided by the instance type are not divisible by the number of threads per core ${ratio}` };
  }
  if (across === 'SocketsCoresThreads' && (guest % 2 > 0 || Math.floor(guest / 2) % ratio > 0)) {
    return {
      field,
      message: `${guest} vCPUs provided by the instance type are not divisible by the number of threads per core 2 and Spec.PreferSpreadSocketToCoreRatio or Spec.CPU.PreferSpreadOptions.Ratio of ${ratio}`,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Instancetype application (apply/*.go)

function applyGuestCPUTopology(vCPUs: number, pref: Obj | undefined, cpu: Obj) {
  cpu.cores = 1;
  cpu.sockets = 1;
  cpu.threads = 1;
  if (vCPUs === 1) return;
  const topology = preferredTopology(pref);
  if (isCores(topology)) cpu.cores = vCPUs;
  else if (isSockets(topology)) cpu.sockets = vCPUs;
  else if (isThreads(topology)) cpu.threads = vCPUs;
  else if (isSpread(topology)) {
    const { ratio, across } = spreadOptions(pref);
    if (across === 'SocketsCores') {
      cpu.cores = ratio;
      cpu.sockets = Math.floor(vCPUs / ratio);
    } else if (across === 'CoresThreads') {
      cpu.threads = ratio;
      cpu.cores = Math.floor(vCPUs / ratio);
    } else if (across === 'SocketsCoresThreads') {
      cpu.threads = 2;
      cpu.cores = ratio;
      cpu.sockets = Math.floor(vCPUs / 2 / ratio);
    }
  }
}

function applyCPU(base: FieldPath, it: Obj, pref: Obj | undefined, spec: Obj): Conflict[] {
  const domain = spec.domain;
  domain.cpu ??= {};
  const cpu = domain.cpu;
  const itCpu: Obj = isObj(it.cpu) ? it.cpu : {};
  const res = domain.resources ?? {};
  const conflicts: Conflict[] = [];
  if (isObj(res.requests) && 'cpu' in res.requests) conflicts.push(conflictAt(base.child('domain', 'resources', 'requests', 'cpu')));
  if (isObj(res.limits) && 'cpu' in res.limits) conflicts.push(conflictAt(base.child('domain', 'resources', 'limits', 'cpu')));
  if (cpu.sockets) conflicts.push(conflictAt(base.child('domain', 'cpu', 'sockets')));
  if (cpu.cores) conflicts.push(conflictAt(base.child('domain', 'cpu', 'cores')));
  if (cpu.threads) conflicts.push(conflictAt(base.child('domain', 'cpu', 'threads')));
  if (cpu.model && itCpu.model !== undefined) conflicts.push(conflictAt(base.child('domain', 'cpu', 'model')));
  if (cpu.dedicatedCpuPlacement && itCpu.dedicatedCPUPlacement !== undefined) conflicts.push(conflictAt(base.child('domain', 'cpu', 'dedicatedCPUPlacement')));
  if (cpu.isolateEmulatorThread && itCpu.isolateEmulatorThread !== undefined) conflicts.push(conflictAt(base.child('domain', 'cpu', 'isolateEmulatorThread')));
  if (cpu.numa !== undefined && itCpu.numa !== undefined) conflicts.push(conflictAt(base.child('domain', 'cpu', 'numa')));
  if (cpu.realtime !== undefined && itCpu.realtime !== undefined) conflicts.push(conflictAt(base.child('domain', 'cpu', 'realtime')));
  if (conflicts.length) return conflicts;

  if (!cpu.model && itCpu.model !== undefined) cpu.model = itCpu.model;
  if (itCpu.dedicatedCPUPlacement !== undefined) cpu.dedicatedCpuPlacement = itCpu.dedicatedCPUPlacement;
  if (itCpu.isolateEmulatorThread !== undefined) cpu.isolateEmulatorThread = itCpu.isolateEmulatorThread;
  if (cpu.numa === undefined && itCpu.numa !== undefined) cpu.numa = clone(itCpu.numa);
  if (cpu.realtime === undefined && itCpu.realtime !== undefined) cpu.realtime = clone(itCpu.realtime);
  if (itCpu.maxSockets !== undefined) cpu.maxSockets = itCpu.maxSockets;
  applyGuestCPUTopology(Number(itCpu.guest ?? 0), pref, cpu);
  return [];
}

function applyMemory(base: FieldPath, it: Obj, spec: Obj): Conflict[] {
  const domain = spec.domain;
  const res = domain.resources ?? {};
  if (domain.memory !== undefined) return [conflictAt(base.child('domain', 'memory'))];
  if (isObj(res.requests) && 'memory' in res.requests) return [conflictAt(base.child('domain', 'resources', 'requests', 'memory'))];
  if (isObj(res.limits) && 'memory' in res.limits) return [conflictAt(base.child('domain', 'resources', 'limits', 'memory'))];
  const mem: Obj = isObj(it.memory) ? it.memory : {};
  domain.memory = { guest: mem.guest };
  const overcommit = Number(mem.overcommitPercent ?? 0);
  if (overcommit > 0) {
    domain.resources ??= {};
    domain.resources.requests ??= {};
    // float32 arithmetic in KubeVirt; the result is an integer byte count in the guest memory's format.
    const factor = Math.fround(1 - Math.fround(Math.fround(overcommit) / 100));
    const requested = Math.trunc(Math.fround(Math.fround(quantityInt(mem.guest)) * factor));
    domain.resources.requests.memory = formatLike(mem.guest, requested);
  }
  if (mem.hugepages !== undefined) domain.memory.hugepages = clone(mem.hugepages);
  if (mem.maxGuest !== undefined) domain.memory.maxGuest = mem.maxGuest;
  return [];
}

/** resource.NewQuantity(value, format).String() for the two formats instancetypes use. */
function formatLike(original: unknown, value: number): string {
  const s = quantityString(original);
  if (/i$/.test(s)) {
    for (const [suffix, mult] of [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
      if (value !== 0 && value % mult === 0) return `${value / mult}${suffix}`;
    }
    return String(value);
  }
  for (const [suffix, mult] of [['E', 1e18], ['P', 1e15], ['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]] as const) {
    if (value !== 0 && value % mult === 0) return `${value / mult}${suffix}`;
  }
  return String(value);
}

function applySimple(base: FieldPath, it: Obj, spec: Obj): Conflict[] {
  const conflicts: Conflict[] = [];
  const domain = spec.domain;
  if (it.ioThreadsPolicy !== undefined) {
    if (domain.ioThreadsPolicy !== undefined) conflicts.push(conflictAt(base.child('domain', 'ioThreadsPolicy')));
    else domain.ioThreadsPolicy = it.ioThreadsPolicy;
  }
  if (it.launchSecurity !== undefined) {
    if (domain.launchSecurity !== undefined) conflicts.push(conflictAt(base.child('domain', 'launchSecurity')));
    else domain.launchSecurity = clone(it.launchSecurity);
  }
  if (arr(it.gpus).length) {
    if (arr(domain.devices.gpus).length) conflicts.push(conflictAt(base.child('domain', 'devices', 'gpus')));
    else domain.devices.gpus = clone(it.gpus);
  }
  if (arr(it.hostDevices).length) {
    if (arr(domain.devices.hostDevices).length) conflicts.push(conflictAt(base.child('domain', 'devices', 'hostDevices')));
    else domain.devices.hostDevices = clone(it.hostDevices);
  }
  return conflicts;
}

function applyAnnotations(annotations: unknown, metadata: Obj, conflictOnMismatch: boolean): Conflict[] {
  const conflicts: Conflict[] = [];
  if (!isObj(annotations)) return conflicts;
  metadata.annotations ??= {};
  for (const [k, v] of Object.entries(annotations)) {
    if (k in metadata.annotations) {
      // KubeVirt reports these relative to no base path: "annotations.<key>".
      if (conflictOnMismatch && metadata.annotations[k] !== v) conflicts.push(conflictAt(FieldPath.of('annotations', k)));
      continue;
    }
    metadata.annotations[k] = v;
  }
  return conflicts;
}

// ---------------------------------------------------------------------------------------------------------------
// Preference application (preference/apply/*.go)

const devicePreferenceFlags: [string, string][] = [
  ['preferredAutoattachGraphicsDevice', 'autoattachGraphicsDevice'],
  ['preferredAutoattachMemBalloon', 'autoattachMemBalloon'],
  ['preferredAutoattachPodInterface', 'autoattachPodInterface'],
  ['preferredAutoattachSerialConsole', 'autoattachSerialConsole'],
  ['preferredUseVirtioTransitional', 'useVirtioTransitional'],
  ['preferredBlockMultiQueue', 'blockMultiQueue'],
  ['preferredNetworkInterfaceMultiQueue', 'networkInterfaceMultiQueue'],
  ['preferredAutoattachInputDevice', 'autoattachInputDevice'],
];

const hypervKeys = ['evmcs', 'frequencies', 'ipi', 'reenlightenment', 'relaxed', 'reset', 'runtime', 'spinlocks', 'synic', 'synictimer', 'tlbflush', 'vapic', 'vpindex', 'vendorid'];

function applyDevicePreferences(pref: Obj, spec: Obj) {
  const pd = pref.devices;
  if (!isObj(pd)) return;
  const devices = spec.domain.devices;
  for (const [from, to] of devicePreferenceFlags) {
    if (pd[from] !== undefined && devices[to] === undefined) devices[to] = pd[from];
  }
  if (pd.preferredDisableHotplug !== undefined) devices.disableHotplug = pd.preferredDisableHotplug;
  if (pd.preferredSoundModel && isObj(devices.sound) && !devices.sound.model) devices.sound.model = pd.preferredSoundModel;
  if (pd.preferredRng !== undefined && devices.rng === undefined) devices.rng = clone(pd.preferredRng);
  if (pd.preferredTPM !== undefined && devices.tpm === undefined) devices.tpm = clone(pd.preferredTPM);

  for (const disk of arr(devices.disks)) {
    if (!isObj(disk.disk) && !isObj(disk.cdrom) && !isObj(disk.lun)) disk.disk = {};
    if (isObj(disk.disk)) {
      if (pd.preferredDiskBus && !disk.disk.bus) disk.disk.bus = pd.preferredDiskBus;
      if (pd.preferredDiskBlockSize !== undefined && disk.blockSize === undefined) disk.blockSize = clone(pd.preferredDiskBlockSize);
      if (pd.preferredDiskCache && !disk.cache) disk.cache = pd.preferredDiskCache;
      if (pd.preferredDiskIO && !disk.io) disk.io = pd.preferredDiskIO;
      if (pd.preferredDiskDedicatedIoThread !== undefined && disk.dedicatedIOThread === undefined && disk.disk.bus === 'virtio') {
        disk.dedicatedIOThread = pd.preferredDiskDedicatedIoThread;
      }
    } else if (isObj(disk.cdrom)) {
      if (pd.preferredCdromBus && !disk.cdrom.bus) disk.cdrom.bus = pd.preferredCdromBus;
    } else if (isObj(disk.lun)) {
      if (pd.preferredLunBus && !disk.lun.bus) disk.lun.bus = pd.preferredLunBus;
    }
  }

  const podNetworks = new Map(arr(spec.networks).map((n) => [n.name, isObj(n.pod)] as const));
  for (const iface of arr(devices.interfaces)) {
    if (pd.preferredInterfaceModel && !iface.model) iface.model = pd.preferredInterfaceModel;
    const bindingUnset = !['bridge', 'slirp', 'masquerade', 'sriov', 'macvtap', 'passt', 'binding'].some((k) => iface[k] !== undefined);
    if (pd.preferredInterfaceMasquerade !== undefined && bindingUnset && podNetworks.get(iface.name) === true) {
      iface.masquerade = clone(pd.preferredInterfaceMasquerade);
    }
  }
  for (const input of arr(devices.inputs)) {
    if (pd.preferredInputBus && !input.bus) input.bus = pd.preferredInputBus;
    if (pd.preferredInputType && !input.type) input.type = pd.preferredInputType;
  }
  if (pd.preferredPanicDeviceModel !== undefined) {
    for (const p of arr(devices.panicDevices)) if (p.model === undefined) p.model = pd.preferredPanicDeviceModel;
  }
}

function applyFeaturePreferences(pref: Obj, spec: Obj) {
  const pf = pref.features;
  if (!isObj(pf)) return;
  spec.domain.features ??= {};
  const f = spec.domain.features;
  if (pf.preferredAcpi !== undefined) f.acpi = clone(pf.preferredAcpi);
  if (pf.preferredApic !== undefined && f.apic === undefined) f.apic = clone(pf.preferredApic);
  if (pf.preferredHyperv !== undefined) {
    f.hyperv ??= {};
    for (const k of hypervKeys) if (isObj(pf.preferredHyperv) && pf.preferredHyperv[k] !== undefined && f.hyperv[k] === undefined) f.hyperv[k] = clone(pf.preferredHyperv[k]);
  }
  if (pf.preferredKvm !== undefined && f.kvm === undefined) f.kvm = clone(pf.preferredKvm);
  if (pf.preferredPvspinlock !== undefined && f.pvspinlock === undefined) f.pvspinlock = clone(pf.preferredPvspinlock);
  if (pf.preferredSmm !== undefined && f.smm === undefined) f.smm = clone(pf.preferredSmm);
}

function applyFirmwarePreferences(pref: Obj, spec: Obj) {
  const pf = pref.firmware;
  if (!isObj(pf)) return;
  spec.domain.firmware ??= {};
  const fw = spec.domain.firmware;
  fw.bootloader ??= {};
  const bl = fw.bootloader;
  if (pf.preferredUseBios === true && bl.bios === undefined && bl.efi === undefined) bl.bios = {};
  if (pf.preferredUseBiosSerial !== undefined && isObj(bl.bios) && bl.bios.useSerial === undefined) bl.bios.useSerial = pf.preferredUseBiosSerial;
  if (bl.efi === undefined && bl.bios === undefined && pf.preferredEfi !== undefined) {
    bl.efi = clone(pf.preferredEfi);
    return;
  }
  if (pf.preferredUseEfi === true && bl.efi === undefined && bl.bios === undefined) bl.efi = {};
  if (pf.preferredUseSecureBoot !== undefined && isObj(bl.efi) && bl.efi.secureBoot === undefined) bl.efi.secureBoot = pf.preferredUseSecureBoot;
}

/** preference apply.Apply: fills in only what the VMI spec leaves unset. */
function applyPreference(pref: Obj, spec: Obj, metadata: Obj) {
  // CPU features the user has not already named.
  const features = arr(pref.cpu?.preferredCPUFeatures);
  if (features.length) {
    spec.domain.cpu ??= {};
    const have = new Set(arr(spec.domain.cpu.features).map((f) => f.name));
    for (const f of features) if (!have.has(f.name)) spec.domain.cpu.features = [...arr(spec.domain.cpu.features), clone(f)];
  }
  applyDevicePreferences(pref, spec);
  applyFeaturePreferences(pref, spec);
  applyFirmwarePreferences(pref, spec);
  const machineType = pref.machine?.preferredMachineType;
  if (machineType) {
    spec.domain.machine ??= {};
    if (!spec.domain.machine.type) spec.domain.machine.type = machineType;
  }
  if (isObj(pref.clock)) {
    spec.domain.clock ??= {};
    const clock = spec.domain.clock;
    if (pref.clock.preferredClockOffset !== undefined && clock.utc === undefined && clock.timezone === undefined) Object.assign(clock, clone(pref.clock.preferredClockOffset));
    if (pref.clock.preferredTimer !== undefined && clock.timer === undefined) clock.timer = clone(pref.clock.preferredTimer);
  }
  if (!spec.subdomain && pref.preferredSubdomain !== undefined) spec.subdomain = pref.preferredSubdomain;
  if (pref.preferredTerminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds === undefined) {
    spec.terminationGracePeriodSeconds = pref.preferredTerminationGracePeriodSeconds;
  }
  applyAnnotations(pref.annotations, metadata, false);
}

/**
 * apply.ApplyToVMI: applies the instancetype (collecting conflicts; nothing of the preference is applied when there
 * are any) and then the preference, to `spec` and `metadata` in place. `field` is where `spec` sits in the object
 * (spec.template.spec for a VM, spec for a VMI) and prefixes the conflict paths.
 */
export function applyToVmiSpec(
  field: FieldPath,
  itSpec: InstancetypeSpec | undefined,
  prefSpec: PreferenceSpec | undefined,
  spec: Obj,
  metadata: Obj,
): Conflict[] {
  const it = itSpec as Obj | undefined;
  const pref = prefSpec as Obj | undefined;
  if (!it && !pref) return [];
  spec.domain ??= {};
  spec.domain.devices ??= {};
  if (it) {
    const conflicts: Conflict[] = [];
    if (isObj(it.nodeSelector)) {
      if (spec.nodeSelector !== undefined) conflicts.push(conflictAt(field.child('nodeSelector')));
      else spec.nodeSelector = { ...it.nodeSelector };
    }
    if (it.schedulerName) {
      if (spec.schedulerName) conflicts.push(conflictAt(field.child('schedulerName')));
      else spec.schedulerName = it.schedulerName;
    }
    conflicts.push(...applyCPU(field, it, pref, spec));
    conflicts.push(...applyMemory(field, it, spec));
    conflicts.push(...applySimple(field, it, spec));
    conflicts.push(...applyAnnotations(it.annotations, metadata, true));
    if (conflicts.length) return conflicts;
  }
  if (pref) applyPreference(pref, spec, metadata);
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Preference requirements (preference/requirements)

/** requirements.Check: the failing fields and message, or undefined when the requirements are met. */
export function checkPreferenceRequirements(
  itSpec: InstancetypeSpec | undefined,
  prefSpec: PreferenceSpec | undefined,
  vmiSpec: Obj,
): { fields: string[]; message: string } | undefined {
  const it = itSpec as Obj | undefined;
  const pref = prefSpec as Obj | undefined;
  const req = pref?.requirements;
  if (!isObj(req)) return undefined;
  if (isObj(req.cpu)) {
    const need = Number(req.cpu.guest ?? 0);
    if (it) {
      const have = Number(it.cpu?.guest ?? 0);
      if (have < need) return { fields: ['spec.instancetype'], message: `insufficient CPU resources of ${have} vCPU provided by instance type, preference requires ${need} vCPU` };
    } else {
      const cpu = vmiSpec.domain?.cpu;
      const base = 'spec.template.spec.domain.cpu';
      if (!isObj(cpu)) return { fields: [base], message: `no CPU resources provided by VirtualMachine, preference requires ${need} vCPU` };
      const insufficient = (have: number, as: string, fields: string[]) =>
        have < need ? { fields, message: `insufficient CPU resources of ${have} vCPU provided by VirtualMachine, preference requires ${need} vCPU provided as ${as}` } : undefined;
      const sockets = Number(cpu.sockets ?? 0);
      const cores = Number(cpu.cores ?? 0);
      const threads = Number(cpu.threads ?? 0);
      const topology = preferredTopology(pref);
      let failed: { fields: string[]; message: string } | undefined;
      if (isThreads(topology)) failed = insufficient(threads, 'threads', [`${base}.threads`]);
      else if (isCores(topology)) failed = insufficient(cores, 'cores', [`${base}.cores`]);
      else if (topology === 'preferSockets' || topology === 'sockets') failed = insufficient(sockets, 'sockets', [`${base}.sockets`]);
      else if (isSpread(topology)) {
        const { across } = spreadOptions(pref);
        if (across === 'SocketsCores') failed = insufficient(sockets * cores, across, [`${base}.sockets`, `${base}.cores`]);
        else if (across === 'CoresThreads') failed = insufficient(cores * threads, across, [`${base}.cores`, `${base}.threads`]);
        else if (across === 'SocketsCoresThreads') failed = insufficient(sockets * cores * threads, across, [`${base}.sockets`, `${base}.cores`, `${base}.threads`]);
      } else if (topology === 'preferAny' || topology === 'any') {
        failed = insufficient(cores * sockets * threads, 'cores, sockets and threads', [`${base}.cores`, `${base}.sockets`, `${base}.threads`]);
      }
      if (failed) return failed;
    }
  }
  if (isObj(req.memory)) {
    let provided: unknown = '0Mi';
    let field = 'spec.template.spec.domain.memory';
    let who = 'VirtualMachine';
    if (it) {
      field = 'spec.instancetype';
      who = 'instance type';
      provided = it.memory?.guest;
    }
    if (vmiSpec.domain?.memory?.guest !== undefined) provided = vmiSpec.domain.memory.guest;
    if (quantityInt(provided) < quantityInt(req.memory.guest)) {
      const shown = quantityInt(provided) === 0 ? '0' : quantityString(provided);
      return { fields: [field], message: `insufficient Memory resources of ${shown} provided by ${who}, preference requires ${quantityString(req.memory.guest)}` };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Expansion (pkg/instancetype/expand)

export interface ExpandOptions {
  config?: ClusterConfig;
}

export interface ExpandResult<T> {
  /** The expanded VM, or the input unchanged when there are conflicts or nothing to expand. */
  vm: T;
  conflicts: Conflict[];
  /** Set when the cluster defaults could not be applied (e.g. bridge on the pod network not permitted). */
  error?: string;
}

/**
 * expand.Expand: for a VM referencing an instancetype and/or preference, a copy with the default disks and pod
 * network, the instancetype and preference applied, the VMI defaults set, and the matchers (spec.instancetype,
 * spec.preference, status.instancetypeRef, status.preferenceRef) removed. A VM without matchers is returned as is.
 */
export function expandVirtualMachine<T extends object>(
  vm: T,
  instancetypeSpec?: InstancetypeSpec,
  preferenceSpec?: PreferenceSpec,
  opts: ExpandOptions = {},
): ExpandResult<T> {
  const original = vm as Obj;
  if (!isObj(original.spec?.instancetype) && !isObj(original.spec?.preference)) return { vm, conflicts: [] };
  const cfg = opts.config ?? sandboxClusterConfig;
  const expanded: Obj = clone(original);
  expanded.spec.template ??= {};
  expanded.spec.template.spec ??= {};
  expanded.spec.template.metadata ??= {};
  const spec = expanded.spec.template.spec;
  setDefaultVolumeDisk(spec);
  const netErr = setDefaultNetworkInterface(cfg, spec);
  if (netErr) return { vm, conflicts: [], error: netErr };
  const conflicts = applyToVmiSpec(FieldPath.of('spec', 'template', 'spec'), instancetypeSpec, preferenceSpec, spec, expanded.spec.template.metadata);
  if (conflicts.length) return { vm, conflicts };
  const err = setDefaultVmiSpec(cfg, spec);
  if (err) return { vm, conflicts: [], error: err };
  delete expanded.spec.instancetype;
  delete expanded.spec.preference;
  if (isObj(expanded.status)) {
    delete expanded.status.instancetypeRef;
    delete expanded.status.preferenceRef;
  }
  return { vm: expanded as T, conflicts: [] };
}
