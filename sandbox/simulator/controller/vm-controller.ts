// virt-controller's VirtualMachine loop: keeps a VMI per the run strategy and the state change requests, and
// reports the VM's status (created, ready, mirrored conditions, printableStatus, start failures).
import { createHash } from 'node:crypto';
import { ApiError, type KubeClient } from '../kube/client.ts';
import { printableStatus } from '../kubevirt/printable-status.ts';
import { condition } from '../kubevirt/conditions.ts';
import { vmiPath, vmPath } from '../kubevirt/paths.ts';
import { isFinal } from '../kubevirt/phase.ts';
import { runStrategy } from '../kubevirt/run-strategy.ts';
import { nowIso, type StateChangeRequest, type VM, type VMCondition, type VMI } from '../kubevirt/types.ts';
import { Controller } from './controller.ts';
import { Store } from './queue.ts';
import { EventRecorder } from '../kube/events.ts';
import { applyInterfaceRequests, clearDetachedInterfaces, interfacePatch, type NetSpec } from '../kubevirt/interface-hotplug.ts';
import { sameJson } from '../kube/same-json.ts';

export const vmFinalizer = 'kubevirt.io/virtualMachineControllerFinalize';
export const templateHashAnnotation = 'sandbox.kubevirt.io/template-hash';

type AddVolume = { name: string; disk: { name: string }; volumeSource: Record<string, unknown> };
type VolumeRequest = { addVolumeOptions?: AddVolume; removeVolumeOptions?: { name: string } };
type HotplugSpec = { volumes?: { name: string }[]; domain: { devices: { disks?: { name: string }[] } } };

/** The volumes and disks of a VM template or VMI spec once the hot-plug requests are applied, in order (pure). */
export function applyVolumeRequests(spec: HotplugSpec, requests: VolumeRequest[]) {
  let volumes = [...(spec.volumes ?? [])];
  let disks = [...(spec.domain.devices.disks ?? [])];
  for (const r of requests) {
    const add = r.addVolumeOptions;
    if (add && !volumes.some((v) => v.name === add.name)) {
      volumes.push({ name: add.name, ...add.volumeSource });
      disks.push(add.disk);
    }
    const remove = r.removeVolumeOptions;
    if (remove) {
      volumes = volumes.filter((v) => v.name !== remove.name);
      disks = disks.filter((x) => x.name !== remove.name);
    }
  }
  return { volumes, disks };
}

// 'add' replaces a member that exists and creates one that does not (a spec without volumes).
const specPatch = (at: string, v: { volumes: unknown[]; disks: unknown[] }) => [
  { op: 'add', path: `${at}/volumes`, value: v.volumes },
  { op: 'add', path: `${at}/domain/devices/disks`, value: v.disks },
];
const templatePatch = (v: { volumes: unknown[]; disks: unknown[] }) => specPatch('/spec/template/spec', v);

const describeVolumeRequest = (r: VolumeRequest) =>
  r.addVolumeOptions ? `add volume ${JSON.stringify(r.addVolumeOptions.name)}` : `remove volume ${JSON.stringify(r.removeVolumeOptions?.name)}`;

/** The API server's own words for a refusal (its Status message), not the whole body. */
function rejection(e: ApiError): string {
  try {
    return (JSON.parse(e.body) as { message?: string }).message ?? e.body.slice(0, 300);
  } catch {
    return e.body.slice(0, 300);
  }
}

/** Template fields whose change needs a restart: everything but what KubeVirt hotplugs live. */
export function templateHash(vm: VM): string {
  const spec = structuredClone(vm.spec?.template?.spec ?? {}) as Record<string, unknown> & {
    domain?: { devices?: { interfaces?: unknown } };
  };
  delete spec.networks;
  if (spec.domain?.devices) delete spec.domain.devices.interfaces;
  delete spec.volumes;
  if (spec.domain?.devices) delete (spec.domain.devices as Record<string, unknown>).disks;
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

export interface VmDecision {
  deleteVmi: boolean;
  createVmi: boolean;
  paused: boolean;
  /** Patch spec.runStrategy (Halted + paused start switches it to Always). */
  setRunStrategy?: string;
  requests: StateChangeRequest[];
  startExpected: boolean;
  stopExpected: boolean;
}

/** What the run strategy and the pending requests ask for, given the VM and its VMI (pure). */
export function decide(vm: VM, vmi: VMI | undefined, now = Date.now()): VmDecision {
  const { strategy, error } = runStrategy(vm);
  let requests = [...(vm.status?.stateChangeRequests ?? [])];
  const stopForThis = !!vmi && requests.some((r) => r.action === 'Stop' && (!r.uid || r.uid === vmi.metadata.uid));
  const startRequested = requests.some((r) => r.action === 'Start');
  const startPaused = requests.some((r) => r.action === 'Start' && r.data?.paused === 'true');
  const retryAfter = vm.status?.startFailure?.retryAfterTimestamp;
  const backingOff = !!retryAfter && new Date(retryAfter).getTime() > now;
  const d: VmDecision = { deleteVmi: false, createVmi: false, paused: startPaused, requests, startExpected: false, stopExpected: false };
  // KubeVirt neither starts nor stops a VM whose strategy it cannot read (isSetToStart and the rest answer false).
  if (error) return d;
  // A VMI being deleted is on its way out: it neither satisfies a Start nor counts as running.
  const live = !!vmi && !isFinal(vmi) && !vmi.metadata.deletionTimestamp;
  const firstRunOfStrategy = vm.status?.runStrategy !== strategy;

  switch (strategy) {
    case 'Always':
      d.deleteVmi = !!vmi && (isFinal(vmi) || stopForThis);
      d.startExpected = true;
      d.stopExpected = stopForThis;
      d.createVmi = (!vmi || d.deleteVmi) && !backingOff;
      break;
    case 'RerunOnFailure':
      d.deleteVmi = !!vmi && (vmi.status?.phase === 'Failed' || vmi.status?.phase === 'Succeeded' || stopForThis);
      if (vmi?.status?.phase === 'Failed' && !stopForThis && !startRequested) requests.push({ action: 'Start' });
      d.startExpected = (live && !stopForThis) || requests.some((r) => r.action === 'Start') || (!vmi && firstRunOfStrategy);
      d.stopExpected = stopForThis;
      d.createVmi = (!vmi || d.deleteVmi) && d.startExpected && !stopForThis && !backingOff;
      break;
    case 'Manual':
      d.deleteVmi = !!vmi && (stopForThis || (isFinal(vmi) && startRequested));
      d.startExpected = (live && !stopForThis) || startRequested;
      d.stopExpected = stopForThis;
      d.createVmi = (!vmi || d.deleteVmi) && startRequested;
      break;
    case 'Once':
      d.startExpected = live || (!vmi && firstRunOfStrategy);
      d.stopExpected = stopForThis;
      d.deleteVmi = stopForThis;
      d.createVmi = !vmi && firstRunOfStrategy;
      break;
    case 'Halted':
    default:
      if (startPaused) {
        d.setRunStrategy = 'Always';
        d.startExpected = true;
        d.createVmi = !vmi;
      } else {
        d.deleteVmi = !!vmi && !vmi.metadata.deletionTimestamp;
        d.stopExpected = live;
      }
  }
  // Requests are popped once acted on: Stop when its VMI is deleted or replaced, Start once a new VMI is created in
  // this pass (a restart's Start outlives the old VMI's deletion, which takes more than one pass) or one runs.
  const creatingNow = d.createVmi && !vmi;
  d.requests = requests.filter((r) => {
    if (r.action === 'Stop') return !!vmi && (!r.uid || r.uid === vmi.metadata.uid) && !d.deleteVmi;
    return !creatingNow && !(live && !stopForThis);
  });
  if (d.deleteVmi && vmi?.metadata.deletionTimestamp) d.deleteVmi = false;
  return d;
}

function firmwareUuid(vm: VM): string {
  const h = createHash('sha1').update(`${vm.metadata.namespace}/${vm.metadata.name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function vmiFromVm(vm: VM, paused: boolean, expandedSpec: Record<string, unknown>): VMI {
  const tmplMeta = (vm.spec?.template?.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  const spec = structuredClone(expandedSpec) as Record<string, unknown> & { domain: Record<string, unknown> };
  spec.domain.firmware = { uuid: firmwareUuid(vm), ...(spec.domain.firmware as object | undefined) };
  if (paused) spec.startStrategy = 'Paused';
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: {
      name: vm.metadata.name,
      namespace: vm.metadata.namespace,
      labels: { ...tmplMeta.labels, 'vm.kubevirt.io/name': vm.metadata.name },
      annotations: {
        ...tmplMeta.annotations,
        'kubevirt.io/vm-generation': String(vm.metadata.generation ?? 1),
        [templateHashAnnotation]: templateHash(vm),
      },
      ownerReferences: [
        { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: vm.metadata.name, uid: vm.metadata.uid!, controller: true, blockOwnerDeletion: true } as never,
      ],
      finalizers: [vmFinalizer],
    },
    spec: spec as unknown as VMI['spec'],
  } as VMI;
}

export type SpecExpander = (vm: VM) => Promise<Record<string, unknown>>;

export class VmController extends Controller {
  readonly vms = new Store<VM>();
  readonly queue = this.workQueue('vm', (key) => this.reconcile(key));
  private readonly events: EventRecorder;

  constructor(
    kube: KubeClient,
    private readonly vmis: Store<VMI>,
    private readonly expand: SpecExpander,
  ) {
    super(kube);
    this.events = new EventRecorder(kube, 'virtualmachine-controller');
    this.watch('/apis/kubevirt.io/v1/virtualmachines', { store: this.vms, queue: this.queue });
  }

  /** Called by the VMI informer: a VMI change is a change of its VM's status. */
  vmiChanged(vmi: VMI) {
    this.queue.add(Store.key(vmi));
  }

  private async reconcile(key: string) {
    if (!this.vms.synced) return;
    const vm = this.vms.get(key);
    if (!vm) return;
    const [ns, name] = key.split('/') as [string, string];
    const vmi = this.vmis.get(key);

    if (vm.metadata.deletionTimestamp) {
      if (vmi) {
        if (!vmi.metadata.deletionTimestamp) await this.kube.delete(vmiPath(ns, name));
      } else if (vm.metadata.finalizers?.includes(vmFinalizer)) {
        await this.removeFinalizer(vm);
        return;
      }
      await this.updateStatus(vm, vmi, decide(vm, vmi));
      return;
    }
    if (!vm.metadata.finalizers?.includes(vmFinalizer)) {
      await this.kube.patch(vmPath(ns, name), [
        vm.metadata.finalizers ? { op: 'add', path: '/metadata/finalizers/-', value: vmFinalizer } : { op: 'add', path: '/metadata/finalizers', value: [vmFinalizer] },
      ], 'json');
      return; // the update event brings us back
    }
    // As sync() does: an unreadable strategy is an error retried with backoff, with no status written.
    const rs = runStrategy(vm);
    if (rs.error) throw new Error(`Error fetching RunStrategy: ${rs.error}`);

    if ((vm.status?.volumeRequests ?? []).length) {
      await this.applyVolumeRequests(vm, vmi);
      return; // the status update brings us back
    }
    if (vmi && !vmi.metadata.deletionTimestamp && !isFinal(vmi) && (await this.syncInterfaces(vm, vmi))) return; // the update brings us back
    const d = decide(vm, vmi);
    if (d.setRunStrategy) {
      await this.kube.patch(vmPath(ns, name), { spec: { runStrategy: d.setRunStrategy, running: null } });
    }
    // dataVolumeTemplates: the VM's DataVolumes exist (owned by the VM) and are populated before its VMI starts.
    const provisioning = d.createVmi && !vmi ? await this.ensureDataVolumes(vm) : false;
    if (provisioning) {
      d.createVmi = false;
      this.queue.after(key, 1000);
    }
    let created: VMI | undefined;
    if (d.deleteVmi && vmi) {
      await this.kube.delete(vmiPath(ns, name));
      this.events.record('VirtualMachine', vm, 'Normal', 'SuccessfulDelete', `Stopped the virtual machine by deleting the virtual machine instance ${vmi.metadata.uid}`);
    } else if (d.createVmi && !vmi) {
      try {
        created = await this.kube.create<VMI>(vmiPath(ns), vmiFromVm(vm, d.paused, await this.expand(vm)));
        this.events.record('VirtualMachine', vm, 'Normal', 'SuccessfulCreate', `Started the virtual machine by creating the new virtual machine instance ${name}`);
      } catch (e) {
        await this.updateStatus(vm, vmi, d, e instanceof ApiError ? e : new ApiError(500, String(e), 'create VMI'));
        throw e;
      }
    }
    await this.updateStatus(vm, created ?? vmi, d, undefined, provisioning);
    const retry = vm.status?.startFailure?.retryAfterTimestamp;
    if (retry) this.queue.after(key, Math.max(0, new Date(retry).getTime() - Date.now()) + 100);
  }

  /**
   * Hot-plug requests queued by virt-api's addvolume/removevolume: applied to the VM's template and to the running
   * VMI's spec (virt-handler then attaches or detaches the disk), then dropped from the VM's status. Each request is
   * first tried alone as a dry run: one the API server refuses (a disk its validation rejects, say) is reported as a
   * Warning event and dropped with the rest, so a bad request never wedges the VM's other work (stop, restart).
   */
  private async applyVolumeRequests(vm: VM, vmi: VMI | undefined) {
    const ns = vm.metadata.namespace!;
    const requests = vm.status!.volumeRequests as VolumeRequest[];
    const path = vmPath(ns, vm.metadata.name);
    const template = vm.spec!.template!.spec as unknown as HotplugSpec;
    const accepted: VolumeRequest[] = [];
    for (const r of requests) {
      try {
        await this.kube.patch(`${path}?dryRun=All`, templatePatch(applyVolumeRequests(template, [r])), 'json');
        accepted.push(r);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status >= 500) throw e;
        this.events.record('VirtualMachine', vm, 'Warning', 'VolumeRequestRejected',
          `dropped the request to ${describeVolumeRequest(r)}: ${rejection(e)}`);
      }
    }
    if (accepted.length) {
      await this.kube.patch(path, [
        { op: 'test', path: '/metadata/resourceVersion', value: vm.metadata.resourceVersion },
        ...templatePatch(applyVolumeRequests(template, accepted)),
      ], 'json');
      if (vmi && !isFinal(vmi) && !vmi.metadata.deletionTimestamp) {
        try {
          await this.kube.patch(vmiPath(ns, vmi.metadata.name), specPatch('/spec', applyVolumeRequests(vmi.spec as unknown as HotplugSpec, accepted)), 'json');
        } catch (e) {
          if (!(e instanceof ApiError) || e.status >= 500) throw e;
          this.events.record('VirtualMachine', vm, 'Warning', 'VolumeRequestRejected',
            `the running VMI refused the hotplug (it applies at the next start): ${rejection(e)}`);
        }
      }
    }
    await this.kube.patch(`${path}/status`, [
      { op: 'test', path: '/status/volumeRequests', value: requests },
      { op: 'remove', path: '/status/volumeRequests' },
    ], 'json');
  }

  /**
   * Interface hotplug: carries the template's new and absent interfaces to the running VMI, and clears absent ones
   * from both once the VMI no longer reports them. True when it patched something.
   */
  private async syncInterfaces(vm: VM, vmi: VMI): Promise<boolean> {
    const ns = vm.metadata.namespace!;
    const template = vm.spec?.template?.spec as NetSpec | undefined;
    const vmiSpec = vmi.spec as NetSpec;
    const reported = new Set((vmi.status?.interfaces ?? []).flatMap((i) => (i.name ? [i.name] : [])));
    const cleared = clearDetachedInterfaces(vmiSpec, reported);
    const next = applyInterfaceRequests(template, { networks: cleared.networks, domain: { devices: { interfaces: cleared.interfaces } } });
    const vmiOps = interfacePatch('/spec', vmiSpec, next);
    if (vmiOps.length) {
      await this.kube.patch(vmiPath(ns, vmi.metadata.name), vmiOps, 'json');
      return true;
    }
    // An absent interface leaves the template once the VMI has let go of it.
    const held = new Set([...reported, ...next.interfaces.map((i) => i.name)]);
    const vmOps = interfacePatch('/spec/template/spec', template, clearDetachedInterfaces(template, held));
    if (vmOps.length) {
      await this.kube.patch(vmPath(ns, vm.metadata.name), [{ op: 'test', path: '/metadata/resourceVersion', value: vm.metadata.resourceVersion }, ...vmOps], 'json');
      return true;
    }
    return false;
  }

  private async removeFinalizer(vm: VM) {
    const finalizers = (vm.metadata.finalizers ?? []).filter((f) => f !== vmFinalizer);
    await this.kube.patch(vmPath(vm.metadata.namespace!, vm.metadata.name), [
      { op: 'test', path: '/metadata/resourceVersion', value: vm.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/finalizers', value: finalizers },
    ], 'json');
  }

  /** Creates the VM's missing DataVolumes; true while any of them is still being populated. */
  private async ensureDataVolumes(vm: VM): Promise<boolean> {
    const ns = vm.metadata.namespace!;
    let pending = false;
    for (const t of (vm.spec?.dataVolumeTemplates ?? []) as { metadata?: { name?: string; labels?: object; annotations?: object }; spec: object }[]) {
      const name = t.metadata?.name;
      if (!name) continue;
      const path = `/apis/cdi.kubevirt.io/v1beta1/namespaces/${ns}/datavolumes`;
      let dv = await this.kube.find<{ status?: { phase?: string } }>(`${path}/${name}`);
      if (!dv) {
        dv = await this.kube.create(path, {
          apiVersion: 'cdi.kubevirt.io/v1beta1',
          kind: 'DataVolume',
          metadata: {
            ...t.metadata,
            namespace: ns,
            ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: vm.metadata.name, uid: vm.metadata.uid, controller: true, blockOwnerDeletion: true }],
          },
          spec: t.spec,
        });
      }
      if (dv?.status?.phase !== 'Succeeded') pending = true;
    }
    return pending;
  }

  private async updateStatus(vm: VM, vmi: VMI | undefined, d: VmDecision, failure?: ApiError, provisioning = false) {
    const old = vm.status ?? {};
    const now = nowIso();
    const oldConds = (old.conditions ?? []) as VMCondition[];
    const keepTime = (type: string, status: string) => {
      const c = condition(oldConds, type);
      return c && c.status === status ? c.lastTransitionTime : now;
    };
    const conds: VMCondition[] = [];
    const vmiReady = condition(vmi?.status?.conditions, 'Ready');
    if (!vmi) {
      conds.push({ type: 'Ready', status: 'False', reason: 'VMINotExists', message: 'VMI does not exist', lastProbeTime: null, lastTransitionTime: keepTime('Ready', 'False') });
    } else if (!vmiReady) {
      conds.push({ type: 'Ready', status: 'False', reason: 'VMIConditionMissing', message: 'VMI is missing the Ready condition', lastProbeTime: null, lastTransitionTime: keepTime('Ready', 'False') });
    } else {
      conds.push({ ...vmiReady, lastProbeTime: null });
    }
    for (const c of vmi?.status?.conditions ?? []) if (c.type !== 'Ready') conds.push({ ...c } as VMCondition);
    if (failure) {
      conds.push({ type: 'Failure', status: 'True', reason: 'FailedCreate', message: failure.body.slice(0, 1000), lastProbeTime: null, lastTransitionTime: now });
    }
    const hash = vmi?.metadata.annotations?.[templateHashAnnotation];
    if (vmi && !isFinal(vmi) && hash && hash !== templateHash(vm)) {
      conds.push({ type: 'RestartRequired', status: 'True', reason: '', message: 'a non-live-updatable field was changed in the template spec', lastProbeTime: null, lastTransitionTime: keepTime('RestartRequired', 'True') });
    }

    let startFailure = old.startFailure;
    if (vmi?.status?.phase === 'Failed' && startFailure?.lastFailedVMIUID !== vmi.metadata.uid) {
      const n = (startFailure?.consecutiveFailCount ?? 0) + 1;
      const backoffSeconds = Math.min(300, 10 * 2 ** (n - 1));
      startFailure = { consecutiveFailCount: n, lastFailedVMIUID: vmi.metadata.uid, retryAfterTimestamp: new Date(Date.now() + backoffSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z') };
    } else if (vmi?.status?.phase === 'Running' && vmiReady?.status === 'True') {
      startFailure = undefined;
    }
    const status = {
      ...old,
      created: !!vmi && !isFinal(vmi) ? true : undefined,
      ready: vmiReady?.status === 'True' && !isFinal(vmi) ? true : undefined,
      conditions: conds,
      stateChangeRequests: d.requests.length ? d.requests : undefined,
      startFailure,
      runStrategy: vmi || old.runStrategy ? runStrategy(vm).strategy : undefined,
      observedGeneration: vm.metadata.generation,
      desiredGeneration: vm.metadata.generation,
      printableStatus: '',
    };
    status.printableStatus = printableStatus({ ...vm, status: status as VM['status'] }, vmi, {
      startExpected: d.startExpected,
      stopExpected: d.stopExpected,
      dataVolumesProvisioning: provisioning,
    });
    const clean = JSON.parse(JSON.stringify(status));
    if (sameJson(clean, old)) return;
    // A JSON merge patch cannot remove list entries selectively, so replace the whole status with a test on the
    // resourceVersion: a concurrent start/stop request makes this fail, and the retry sees the new requests.
    await this.kube.patch(`${vmPath(vm.metadata.namespace!, vm.metadata.name)}/status`, [
      { op: 'test', path: '/metadata/resourceVersion', value: vm.metadata.resourceVersion },
      { op: 'replace', path: '/status', value: clean },
    ], 'json');
  }
}
