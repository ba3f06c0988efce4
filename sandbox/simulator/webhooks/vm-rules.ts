// KubeVirt v1.6's validating admission rules for VirtualMachines, VirtualMachineInstances and migrations, as pure
// functions over JSON objects (pkg/virt-api/webhooks/validating-webhook/admitters: vms-admitter.go,
// vmi-create-admitter.go, migration-create-admitter.go; pkg/network/admitter; pkg/storage/admitters).
// Messages, cause types and field paths are KubeVirt's, including its quirks (noted where they look like typos).
import { featureGateEnabled, sandboxClusterConfig, type ClusterConfig } from './cluster-config.ts';
import { liveUpdateMemoryProblem, setDefaultVmiSpec } from './defaults.ts';
import { validateNetworkCreation, validateNetworks } from './network-rules.ts';
import {
  arr,
  CauseType,
  cause,
  clone,
  FieldPath,
  isDNS1123Label,
  isDNS1123Subdomain,
  isObj,
  isPciAddress,
  quantityInt,
  quantityMilli,
  quantityString,
  type Obj,
  type StatusCause,
} from './util.ts';
import { applyToVmiSpec, checkPreferenceRequirements, checkSpreadCPUTopology, type InstancetypeSpec, type PreferenceSpec } from '../instancetype/expand.ts';

export type { StatusCause } from './util.ts';
export { sandboxClusterConfig } from './cluster-config.ts';

/**
 * The outcome of a rule set. `causes` non-empty means the request is denied as Invalid (422, causes joined into the
 * message); `error` means it is denied the way webhookutils.ToAdmissionResponseError does (400, message only).
 */
export interface RuleResult {
  causes: StatusCause[];
  warnings: string[];
  error?: string;
}

export interface VmRuleOptions {
  /** The cluster configuration (defaults to the sandbox's KubeVirt CR settings: masquerade, LiveUpdate). */
  config?: ClusterConfig;
  /** CREATE (default) or UPDATE: some checks only run on create. */
  operation?: 'CREATE' | 'UPDATE';
  /** The resolved instancetype / preference specs the VM references (the webhook ignores lookup failures). */
  instancetype?: InstancetypeSpec;
  preference?: PreferenceSpec;
  /** Whether the requester is one of KubeVirt's service accounts (may set reserved kubevirt.io/ labels). */
  isKubeVirtServiceAccount?: boolean;
}

const validRunStrategies = new Set(['Halted', 'Manual', 'Always', 'RerunOnFailure', 'Once']);
const restrictedVmiLabels = new Set([
  'kubevirt.io/created-by',
  'kubevirt.io/migrationJobUID',
  'kubevirt.io/nodeName',
  'kubevirt.io/migrationTargetNodeName',
  'kubevirt.io/schedulable',
  'kubevirt.io/install-strategy',
]);
const supportedDiskBuses = ['virtio', 'scsi', 'sata', 'usb'];
const volumeSources = [
  'persistentVolumeClaim', 'sysprep', 'cloudInitNoCloud', 'cloudInitConfigDrive', 'containerDisk', 'ephemeral', 'emptyDisk',
  'hostDisk', 'dataVolume', 'configMap', 'secret', 'downwardAPI', 'serviceAccount', 'downwardMetrics', 'memoryDump',
];

// ---------------------------------------------------------------------------------------------------------------
// ValidateVirtualMachineInstanceSpec (the part of it a portal user can reach)

const valueMustBePositive = (f: FieldPath, q: unknown) => `${f} '${quantityString(q)}': must be greater than or equal to 0.`;

function validateHostnameAndSubdomain(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  if (typeof spec.hostname === 'string' && spec.hostname) {
    const errs = isDNS1123Label(spec.hostname);
    if (errs.length) causes.push(cause(CauseType.invalid, `${field.child('hostname')} does not conform to the kubernetes DNS_LABEL rules : ${errs.join(', ')}`, `${field.child('hostname')}`));
  }
  if (typeof spec.subdomain === 'string' && spec.subdomain) {
    const errs = isDNS1123Subdomain(spec.subdomain);
    if (errs.length) causes.push(cause(CauseType.invalid, `${field.child('subdomain')} does not conform to the kubernetes DNS_SUBDOMAIN rules : ${errs.join(', ')}`, `${field.child('subdomain')}`));
  }
  return causes;
}

function validateResources(field: FieldPath, spec: Obj, cfg: ClusterConfig): StatusCause[] {
  const causes: StatusCause[] = [];
  const res = spec.domain?.resources ?? {};
  const reqMem = res.requests?.memory;
  const limMem = res.limits?.memory;
  const reqField = field.child('domain', 'resources', 'requests', 'memory');
  const limField = field.child('domain', 'resources', 'limits', 'memory');
  if (quantityInt(reqMem) < 0) causes.push(cause(CauseType.invalid, valueMustBePositive(reqField, reqMem), `${reqField}`));
  else if (quantityInt(reqMem) > 0 && quantityInt(reqMem) < 1e6) {
    causes.push(cause(CauseType.invalid, `${reqField} '${quantityString(reqMem)}': must be greater than or equal to 1M.`, `${reqField}`));
  }
  if (quantityInt(limMem) < 0) causes.push(cause(CauseType.invalid, valueMustBePositive(limField, limMem), `${limField}`));
  if (quantityInt(limMem) > 0 && quantityInt(reqMem) > quantityInt(limMem)) {
    causes.push(cause(CauseType.invalid, `${reqField} '${quantityString(reqMem)}' is greater than ${limField} '${quantityString(limMem)}'`, `${reqField}`));
  }
  const guest = spec.domain?.memory?.guest;
  if (!cfg.liveUpdate && guest !== undefined && quantityInt(limMem) !== 0 && quantityInt(limMem) < quantityInt(guest)) {
    const gField = field.child('domain', 'memory', 'guest');
    causes.push(cause(CauseType.invalid, `${gField} '${quantityString(guest)}' must be equal to or less than the memory limit ${limField} '${quantityString(limMem)}'`, `${gField}`));
  }
  const machineType = spec.domain?.machine?.type;
  if (typeof machineType === 'string' && machineType) {
    const globs = cfg.emulatedMachines.map((g) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
    if (!globs.some((g) => g.test(machineType))) {
      const mField = field.child('domain', 'machine', 'type');
      causes.push(cause(CauseType.invalid, `${mField} is not supported: ${machineType} (allowed values: [${cfg.emulatedMachines.join(' ')}])`, `${mField}`));
    }
  }
  const reqCpu = res.requests?.cpu;
  const limCpu = res.limits?.cpu;
  const reqCpuField = field.child('domain', 'resources', 'requests', 'cpu');
  const limCpuField = field.child('domain', 'resources', 'limits', 'cpu');
  if (quantityMilli(reqCpu) < 0) causes.push(cause(CauseType.invalid, valueMustBePositive(reqCpuField, reqCpu), `${reqCpuField}`));
  if (quantityMilli(limCpu) < 0) causes.push(cause(CauseType.invalid, valueMustBePositive(limCpuField, limCpu), `${limCpuField}`));
  if (quantityMilli(limCpu) > 0 && quantityMilli(reqCpu) > quantityMilli(limCpu)) {
    causes.push(cause(CauseType.invalid, `${reqCpuField} '${quantityString(reqCpu)}' is greater than ${limCpuField} '${quantityString(limCpu)}'`, `${reqCpuField}`));
  }
  return causes;
}

/** validateBootOrder: every disk needs a volume of the same name; LUN mapping; unique boot orders. */
function validateBootOrder(field: FieldPath, spec: Obj, cfg: ClusterConfig): StatusCause[] {
  const causes: StatusCause[] = [];
  const bootOrders = new Set<number>();
  const volumes = new Map<string, Obj>();
  for (const v of arr(spec.volumes)) if (!volumes.has(v.name)) volumes.set(v.name, v);
  const disks = field.child('domain', 'devices', 'disks');
  arr(spec.domain?.devices?.disks).forEach((disk, idx) => {
    const volume = volumes.get(disk.name);
    if (!volume) {
      if (!isObj(disk.cdrom)) {
        // KubeVirt prints "Name" in the message but "name" in the field.
        causes.push(cause(CauseType.invalid, `${disks.index(idx).child('Name')} '${disk.name ?? ''}' not found.`, `${disks.index(idx).child('name')}`));
      } else if (!featureGateEnabled(cfg, 'DeclarativeHotplugVolumes')) {
        causes.push(cause(CauseType.invalid, 'DeclarativeHotplugVolumes feature gate not enabled, cannot define an empty CD-ROM disk', `${disks.index(idx).child('name')}`));
      }
    }
    if (isObj(disk.lun) && volume && !isObj(volume.persistentVolumeClaim) && !isObj(volume.dataVolume)) {
      const f = `${disks.index(idx).child('lun')}`;
      causes.push(cause(CauseType.invalid, `${f} can only be mapped to a DataVolume or PersistentVolumeClaim volume.`, f));
    }
    if (typeof disk.bootOrder === 'number') {
      if (bootOrders.has(disk.bootOrder)) {
        const f = `${disks.index(idx).child('bootOrder')}`;
        causes.push(cause(CauseType.invalid, `Boot order for ${f} already set for a different device.`, f));
      }
      bootOrders.add(disk.bootOrder);
    }
  });
  arr(spec.domain?.devices?.interfaces).forEach((iface, idx) => {
    if (typeof iface.bootOrder !== 'number') return;
    if (iface.bootOrder < 1) {
      // KubeVirt indexes the spec path itself here, not the interfaces list.
      causes.push(cause(CauseType.invalid, `${field.index(idx)} must have a boot order > 0, if supplied`, `${field.index(idx).child('bootOrder')}`));
    } else {
      if (bootOrders.has(iface.bootOrder)) {
        const f = `${field.child('domain', 'devices', 'interfaces').index(idx).child('bootOrder')}`;
        causes.push(cause(CauseType.invalid, `Boot order for ${f} already set for a different device.`, f));
      }
      bootOrders.add(iface.bootOrder);
    }
  });
  return causes;
}

const diskBus = (d: Obj): string => (isObj(d.disk) ? d.disk.bus : isObj(d.lun) ? d.lun.bus : isObj(d.cdrom) ? d.cdrom.bus : '') ?? '';
const diskType = (d: Obj): string => (isObj(d.disk) ? 'disk' : isObj(d.lun) ? 'lun' : isObj(d.cdrom) ? 'cdrom' : '');

/** validateDisks (validateDomainSpec → validateDevices). */
function validateDisks(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const f = field.child('domain', 'devices', 'disks');
  const disks = arr(spec.domain?.devices?.disks);
  disks.forEach((disk, idx) => {
    for (let other = 0; other < idx; other++) {
      if (disks[other]!.name === disk.name) causes.push(cause(CauseType.invalid, `${f.index(idx)} and ${f.index(other)} must not have the same Name.`, `${f.index(idx).child('name')}`));
    }
    if ([disk.disk, disk.lun, disk.cdrom].filter(isObj).length > 1) {
      causes.push(cause(CauseType.invalid, `${f.index(idx)} can only have a single target type defined`, `${f.index(idx)}`));
    }
    if (isObj(disk.disk) && disk.disk.pciAddress) {
      const pf = f.child('domain', 'devices', 'disks', 'disk').index(idx);
      if (disk.disk.bus !== 'virtio') causes.push(cause(CauseType.invalid, `disk ${pf.child('name')} - setting a PCI address is only possible with bus type virtio.`, `${pf.child('pciAddress')}`));
      if (!isPciAddress(String(disk.disk.pciAddress))) causes.push(cause(CauseType.invalid, `disk ${pf.child('name')} has malformed PCI address (${disk.disk.pciAddress}).`, `${pf.child('pciAddress')}`));
    }
    if (typeof disk.bootOrder === 'number' && disk.bootOrder < 1) {
      causes.push(cause(CauseType.invalid, `${f.index(idx)} must have a boot order > 0, if supplied`, `${f.index(idx).child('bootOrder')}`));
    }
    const bus = diskBus(disk);
    const type = diskType(disk);
    if (bus) {
      if (bus === 'ide') causes.push(cause(CauseType.invalid, 'IDE bus is not supported', `${f.index(idx).child(type, 'bus')}`));
      else if (bus === 'virtio' && type === 'cdrom') causes.push(cause(CauseType.invalid, `Bus type ${bus} is invalid for CD-ROM device`, `${f.index(idx).child('cdrom', 'bus')}`));
      else if (bus === 'sata' && isObj(disk.disk) && disk.disk.readonly) causes.push(cause(CauseType.invalid, `${bus} hard-disks do not support read-only.`, `${f.index(idx).child('disk', 'bus')}`));
      else if (!supportedDiskBuses.includes(bus)) {
        causes.push(cause(CauseType.invalid, `${f.index(idx)} is set with an unrecognized bus ${bus}, must be one of: [${supportedDiskBuses.join(' ')}]`, `${f.index(idx).child(type, 'bus')}`));
      }
      if (disk.dedicatedIOThread === true && bus !== 'virtio') {
        causes.push(cause(CauseType.notSupported, `IOThreads are not supported for disks on a ${bus} bus`, `${f.child('domain', 'devices', 'disks').index(idx)}`));
      }
    }
    if (disk.serial && !/^[A-Za-z0-9_.+-]+$/.test(String(disk.serial))) {
      causes.push(cause(CauseType.invalid, `${f.index(idx)} must be made up of the following characters [A-Za-z0-9_.+-], if specified`, `${f.index(idx).child('serial')}`));
    }
    if (disk.cache && !['none', 'writethrough', 'writeback'].includes(disk.cache)) {
      causes.push(cause(CauseType.invalid, `${f.index(idx).child('cache')} has invalid value ${disk.cache}`, `${f.index(idx).child('cache')}`));
    }
    if (disk.io && !['native', 'threads'].includes(disk.io)) {
      causes.push(cause(CauseType.notSupported, `Disk IO mode for ${f} is not supported. Supported modes are: native, threads.`, `${f.child('domain', 'devices', 'disks').index(idx).child('io')}`));
    }
    if (disk.errorPolicy !== undefined && !['stop', 'ignore', 'report', 'enospace'].includes(disk.errorPolicy)) {
      causes.push(cause(CauseType.invalid, `${f.index(idx).child('errorPolicy')} has invalid value "${disk.errorPolicy}"`, `${f.index(idx).child('errorPolicy')}`));
    }
    // The disk name becomes a container name; KubeVirt appends the devices path twice in the field.
    for (const err of isDNS1123Label(String(disk.name ?? ''))) {
      causes.push(cause(CauseType.invalid, err, `${f.child('domain', 'devices', 'disks').index(idx).child('name')}`));
    }
  });
  return causes;
}

/** validateVolumes: unique names, exactly one source, DataVolume names. */
function validateVolumes(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const f = field.child('volumes');
  const names = new Map<string, number>();
  arr(spec.volumes).forEach((v, idx) => {
    const other = names.get(v.name);
    if (other === undefined) names.set(v.name, idx);
    else causes.push(cause(CauseType.invalid, `${f.index(idx)} and ${f.index(other)} must not have the same Name.`, `${f.index(idx).child('name')}`));
    if (isObj(v.dataVolume) && !v.dataVolume.name) causes.push(cause(CauseType.required, "DataVolume 'name' must be set", `${f.index(idx).child('name')}`));
    if (volumeSources.filter((s) => isObj(v[s])).length !== 1) {
      causes.push(cause(CauseType.invalid, `${f.index(idx)} must have exactly one source type set`, `${f.index(idx)}`));
    }
  });
  return causes;
}

/** The subset of admitters.ValidateVirtualMachineInstanceSpec the sandbox implements, in KubeVirt's order. */
export function validateVmiSpec(field: FieldPath, spec: Obj, cfg: ClusterConfig): StatusCause[] {
  return [
    ...validateHostnameAndSubdomain(field, spec),
    ...validateResources(field, spec, cfg),
    ...validateNetworks(field, spec, cfg),
    ...validateBootOrder(field, spec, cfg),
    ...validateDisks(field, spec),
    ...validateVolumes(field, spec),
  ];
}

function validateVmiMetadata(field: FieldPath, metadata: Obj | undefined, isKubeVirtServiceAccount: boolean): StatusCause[] {
  if (isKubeVirtServiceAccount) return [];
  const labels = isObj(metadata?.labels) ? Object.keys(metadata.labels) : [];
  if (labels.some((l) => restrictedVmiLabels.has(l))) {
    return [cause(CauseType.notSupported, 'creation of the following reserved kubevirt.io/ labels on a VMI object is prohibited', `${field.child('labels')}`)];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// VirtualMachine

function validateDataVolumeTemplates(field: FieldPath, spec: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const volumes = arr(spec.template?.spec?.volumes);
  arr(spec.dataVolumeTemplates).forEach((dv, idx) => {
    const f = field.child('dataVolumeTemplate').index(idx);
    const name: string = dv.metadata?.name ?? '';
    const dvSpec: Obj = isObj(dv.spec) ? dv.spec : {};
    const problem = (): StatusCause | undefined => {
      if (!name) return cause(CauseType.required, `'name' field must not be empty for DataVolumeTemplate entry ${f.child('name')}.`, `${f.child('name')}`);
      if (!isObj(dvSpec.pvc) && !isObj(dvSpec.storage)) return cause(CauseType.invalid, 'Missing Data volume PVC or Storage', `${f.child('PVC', 'Storage')}`);
      if (isObj(dvSpec.pvc) && isObj(dvSpec.storage)) {
        return cause(CauseType.invalid, 'Duplicate storage definition, both target storage and target pvc defined', `${f.child('PVC', 'Storage')}`);
      }
      const target: Obj = isObj(dvSpec.pvc) ? dvSpec.pvc : dvSpec.storage;
      const external = isObj(target.dataSourceRef) || isObj(target.dataSource);
      const sourced = isObj(dvSpec.source) || isObj(dvSpec.sourceRef);
      if (external && sourced) return cause(CauseType.invalid, 'External population is incompatible with Source and SourceRef', `${f.child('source')}`);
      if (!external && !sourced) return cause(CauseType.invalid, 'Data volume should have either Source, SourceRef, or be externally populated', `${f.child('source', 'sourceRef')}`);
      if (isObj(dvSpec.source)) {
        const n = Object.values(dvSpec.source).filter((s) => s !== null && s !== undefined).length;
        if (n === 0) return cause(CauseType.invalid, 'Missing dataVolume valid source', `${f.child('source')}`);
        if (n > 1) return cause(CauseType.invalid, 'Multiple dataVolume sources', `${f.child('source')}`);
      }
      return undefined;
    };
    const p = problem();
    if (p) {
      causes.push(p);
      return;
    }
    const referenced = volumes.some((v) => v.persistentVolumeClaim?.claimName === name || v.dataVolume?.name === name);
    if (!referenced) {
      causes.push(cause(CauseType.required, `DataVolumeTemplate entry ${f} must be referenced in the VMI template's 'volumes' list`, `${f}`));
    }
  });
  return causes;
}

function validateRunStrategy(field: FieldPath, spec: Obj, cfg: ClusterConfig): StatusCause[] {
  const causes: StatusCause[] = [];
  const hasRunning = spec.running !== undefined && spec.running !== null;
  const hasStrategy = spec.runStrategy !== undefined && spec.runStrategy !== null;
  if (hasRunning && hasStrategy) {
    causes.push(cause(CauseType.invalid, 'Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use RunStrategy instead', `${field.child('running')}`));
  }
  if (!hasRunning && !hasStrategy) causes.push(cause(CauseType.invalid, 'RunStrategy must be specified', `${field.child('running')}`));
  if (hasStrategy) {
    if (spec.runStrategy === 'WaitAsReceiver') {
      if (!featureGateEnabled(cfg, 'DecentralizedLiveMigration')) {
        causes.push(cause(CauseType.invalid, `Invalid RunStrategy (${spec.runStrategy}), DecentralizedLiveMigration feature gate is not enabled in kubevirt resource`, `${field.child('runStrategy')}`));
      }
    } else if (!validRunStrategies.has(spec.runStrategy)) {
      causes.push(cause(CauseType.invalid, `Invalid RunStrategy (${spec.runStrategy})`, `${field.child('runStrategy')}`));
    }
  }
  return causes;
}

function validateLiveUpdateFeatures(field: FieldPath, spec: Obj, cfg: ClusterConfig): StatusCause[] {
  if (!cfg.liveUpdate) return [];
  const causes: StatusCause[] = [];
  const domain = spec.template?.spec?.domain ?? {};
  const cpu = domain.cpu;
  if (isObj(cpu) && cpu.sockets && cpu.maxSockets && cpu.sockets > cpu.maxSockets) {
    causes.push(cause(CauseType.invalid, 'Number of sockets in CPU topology is greater than the maximum sockets allowed', `${field.child('template', 'spec', 'domain', 'cpu', 'sockets')}`));
  }
  if (domain.memory?.maxGuest !== undefined) {
    const problem = liveUpdateMemoryProblem(spec.template.spec, domain.memory.maxGuest);
    if (problem) causes.push(cause(CauseType.invalid, problem, `${field.child('template', 'spec', 'domain', 'memory', 'guest')}`));
  }
  return causes;
}

/** admitters.ValidateVirtualMachineSpec. */
function validateVirtualMachineSpec(field: FieldPath, spec: Obj, cfg: ClusterConfig, isKubeVirtServiceAccount: boolean): StatusCause[] {
  if (!isObj(spec.template)) return [cause(CauseType.required, 'missing virtual machine template.', `${field.child('template')}`)];
  return [
    ...validateVmiMetadata(field.child('template', 'metadata'), spec.template.metadata, isKubeVirtServiceAccount),
    ...validateVmiSpec(field.child('template', 'spec'), isObj(spec.template.spec) ? spec.template.spec : {}, cfg),
    ...validateDataVolumeTemplates(field, spec),
    ...validateRunStrategy(field, spec, cfg),
    ...validateLiveUpdateFeatures(field, spec, cfg),
  ];
}

/**
 * The VM validating webhook (virtualmachine-validator.kubevirt.io, VMsAdmitter.Admit). Like KubeVirt it validates a
 * copy of the VM with the referenced instancetype/preference applied and the VMI defaults set, and stops at the
 * first stage that produces causes. Warnings are only returned for admitted VMs.
 */
export function validateVirtualMachine(vm: object, opts: VmRuleOptions = {}): RuleResult {
  const cfg = opts.config ?? sandboxClusterConfig;
  const original = vm as Obj;
  if (original.metadata?.deletionTimestamp) return { causes: [], warnings: [] };
  const copy: Obj = clone(original);
  copy.spec ??= {};
  const it = opts.instancetype;
  const pref = opts.preference;

  if (isObj(copy.spec.template) && (it || pref)) {
    const spread = checkSpreadCPUTopology(it, pref);
    if (spread) return { causes: [cause(CauseType.invalid, spread.message, spread.field)], warnings: [] };
    copy.spec.template.spec ??= {};
    copy.spec.template.metadata ??= {};
    const conflicts = applyToVmiSpec(FieldPath.of('spec', 'template', 'spec'), it, pref, copy.spec.template.spec, copy.spec.template.metadata);
    if (conflicts.length) return { causes: conflicts.map((c) => cause(CauseType.invalid, c.message, c.field)), warnings: [] };
  }

  if (isObj(copy.spec.template)) {
    copy.spec.template.spec ??= {};
    const err = setDefaultVmiSpec(cfg, copy.spec.template.spec);
    if (err) return { causes: [], warnings: [], error: err };
    const failed = checkPreferenceRequirements(it, pref, copy.spec.template.spec);
    if (failed) {
      return { causes: [cause(CauseType.notFound, `failure checking preference requirements: ${failed.message}`, failed.fields.join(', '))], warnings: [] };
    }
  }

  if ((opts.operation ?? 'CREATE') === 'CREATE' && isObj(copy.spec.template)) {
    // KubeVirt roots this check at "spec", not "spec.template.spec".
    const causes = validateNetworkCreation(FieldPath.of('spec'), copy.spec.template.spec ?? {});
    if (causes.length) return { causes, warnings: [] };
  }

  const causes = validateVirtualMachineSpec(FieldPath.of('spec'), copy.spec, cfg, opts.isKubeVirtServiceAccount ?? false);
  if (causes.length) return { causes, warnings: [] };

  const warnings: string[] = [];
  if (original.spec?.running !== undefined && original.spec?.running !== null) {
    warnings.push('spec.running is deprecated, please use spec.runStrategy instead.');
  }
  return { causes: [], warnings };
}

// ---------------------------------------------------------------------------------------------------------------
// VirtualMachineInstance

export interface VmiRuleOptions {
  config?: ClusterConfig;
  isKubeVirtServiceAccount?: boolean;
}

/**
 * The VMI create validating webhook (virtualmachineinstances-create-validator.kubevirt.io) for a VMI the mutating
 * webhook has already defaulted. KubeVirt 1.6 runs the network rules twice here (once as the registered spec
 * validator, once inside ValidateVirtualMachineInstanceSpec), so their causes appear twice; so do they here.
 */
export function validateVirtualMachineInstance(vmi: object, opts: VmiRuleOptions = {}): RuleResult {
  const cfg = opts.config ?? sandboxClusterConfig;
  const obj = vmi as Obj;
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const field = FieldPath.of('spec');
  const causes: StatusCause[] = [
    ...validateNetworkCreation(field, spec),
    ...validateNetworks(field, spec, cfg),
    ...validateVmiSpec(field, spec, cfg),
  ];

  // Volumes must be used by a disk or filesystem (VMI only). KubeVirt's path says "domain.volumes".
  const used = new Set([...arr(spec.domain?.devices?.disks), ...arr(spec.domain?.devices?.filesystems)].map((d) => d.name));
  arr(spec.volumes).forEach((v, idx) => {
    if (isObj(v.memoryDump) || used.has(v.name)) return;
    const f = `${field.child('domain', 'volumes').index(idx).child('name')}`;
    causes.push(cause(CauseType.invalid, `${f} '${v.name ?? ''}' not found.`, f));
  });

  // Mandatory fields: some memory must be requested.
  if (quantityInt(spec.domain?.resources?.requests?.memory) === 0) {
    const mem = spec.domain?.memory;
    if (!isObj(mem) || (mem.guest === undefined && mem.hugepages === undefined)) {
      causes.push(
        cause(
          CauseType.required,
          `no memory requested, at least one of '${field.child('domain', 'memory', 'guest')}', '${field.child('domain', 'memory', 'hugepages', 'size')}' or '${field.child('domain', 'resources', 'requests', 'memory')}' must be set`,
        ),
      );
    }
  }

  causes.push(...validateVmiMetadata(FieldPath.of('metadata'), obj.metadata, opts.isKubeVirtServiceAccount ?? false));

  const archField = field.child('architecture');
  if (!['amd64', 'arm64', 's390x', 'ppc64le'].includes(spec.architecture)) {
    causes.push(cause(CauseType.invalid, `unsupported architecture: ${spec.architecture ?? ''}`, `${archField}`));
  }

  return { causes, warnings: [] };
}

// ---------------------------------------------------------------------------------------------------------------
// VirtualMachineInstanceMigration

/**
 * The migration create validating webhook (migration-create-validator.kubevirt.io). `vmi` is the VMI named by
 * spec.vmiName (undefined when it does not exist); `existingMigrations` are the migrations in the namespace
 * labelled kubevirt.io/vmi-name=<vmiName>.
 */
export function validateMigration(migration: object, vmi: object | undefined, existingMigrations: object[], opts: { config?: ClusterConfig } = {}): RuleResult {
  const cfg = opts.config ?? sandboxClusterConfig;
  const mig = migration as Obj;
  const vmiName: string = mig.spec?.vmiName ?? '';
  const ns: string = mig.metadata?.namespace ?? '';
  if (!vmiName) return { causes: [cause(CauseType.required, 'vmiName is missing', 'spec.vmiName')], warnings: [] };
  if (!vmi) return { causes: [], warnings: [], error: `the VMI "${ns}/${vmiName}" does not exist` };
  const v = vmi as Obj;
  const phase = v.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return { causes: [], warnings: [], error: 'Cannot migrate VMI in finalized state.' };
  const decentralized = isObj(mig.spec?.sendTo) || isObj(mig.spec?.receive);
  for (const c of arr(v.status?.conditions)) {
    if (c.type === 'LiveMigratable' && c.status === 'False') {
      if (c.reason === 'DisksNotLiveMigratable' && decentralized) continue;
      return { causes: [], warnings: [], error: `Cannot migrate VMI, Reason: ${c.reason ?? ''}, Message: ${c.message ?? ''}` };
    }
  }
  for (const m of existingMigrations as Obj[]) {
    if (m.metadata?.labels?.['kubevirt.io/vmi-name'] !== vmiName) continue;
    const p = m.status?.phase;
    if (p === 'Succeeded' || p === 'Failed') continue;
    return {
      causes: [],
      warnings: [],
      error: `in-flight migration detected. Active migration job (${m.metadata?.uid ?? ''}) is currently already in progress for VMI ${m.spec?.vmiName ?? ''}.`,
    };
  }
  if (decentralized) {
    if (!featureGateEnabled(cfg, 'DecentralizedLiveMigration')) {
      return { causes: [cause(CauseType.notSupported, 'DecentralizedLiveMigration feature gate is not enabled in kubevirt resource')], warnings: [] };
    }
    const sendId = mig.spec?.sendTo?.migrationID;
    const recvId = mig.spec?.receive?.migrationID;
    if (isObj(mig.spec?.sendTo) && isObj(mig.spec?.receive) && sendId !== recvId) {
      return { causes: [cause(CauseType.invalid, `sendTo migrationID ${sendId ?? ''} does not match receive migrationID ${recvId ?? ''}`)], warnings: [] };
    }
  }
  return { causes: [], warnings: [] };
}
