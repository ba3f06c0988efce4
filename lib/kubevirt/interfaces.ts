import type { V1Interface, V1Network } from '@kubevirt-ui-ext/kubevirt-api/kubevirt';
import type { MessageKey } from '../i18n/locales';
import type { CreateProblem, NetworkOption } from '../shared/create-api';
import type { AccessAttributes } from './actions';
import { networkParts } from './create/builders';
import { interfaceBindings, network, type VmNetwork } from './create/form';
import { nadProblems, networkProblems } from './create/rules';
import { migratable } from './migrations';
import { nadKey } from './nads';
import { interfaceBinding } from './selectors';
import type { VirtualMachine, VirtualMachineInstance } from './types';

// A VM's network interfaces after it was made (the Network interfaces tab): what each interface is and where it
// stands, and the two changes a user makes, attach and detach. KubeVirt's declarative hotplug (API-REFERENCE §7):
// an interface added to the VM's template reaches the running VMI (a bridge one in place, an SR-IOV one through a
// live migration); `state: absent` on a bridge interface takes it out. Pure: the routes and the tab share it.

// ---------------------------------------------------------------------------------------------------------------
// The operations, each declared once with the access review the tab asks before offering it

export type InterfaceOperationId = 'attach' | 'detach';

export interface InterfaceOperation {
  id: InterfaceOperationId;
  labelKey: MessageKey;
  // Both are a JSON patch of the VM, so the API server's patch permission is what decides.
  access: AccessAttributes;
}

const VM_PATCH: AccessAttributes = { verb: 'patch', group: 'kubevirt.io', resource: 'virtualmachines' };

export const INTERFACE_OPERATIONS: Record<InterfaceOperationId, InterfaceOperation> = {
  attach: { id: 'attach', labelKey: 'nic.attach', access: VM_PATCH },
  detach: { id: 'detach', labelKey: 'nic.detach', access: VM_PATCH },
};

/** The access reviews the tab asks (useAccessChecks), one per distinct operation's attributes. */
export const INTERFACE_ACCESS: readonly AccessAttributes[] = Object.values(INTERFACE_OPERATIONS).map((o) => o.access);

// ---------------------------------------------------------------------------------------------------------------
// Reading the VM and its instance

type TemplateSpec = NonNullable<NonNullable<VirtualMachine['spec']>['template']>['spec'];

const templateOf = (vm: VirtualMachine): TemplateSpec | undefined => vm.spec?.template?.spec;

/** A VMI that exists and has not ended: KubeVirt's VM controller carries interface changes to it. */
export function instanceUp(vmi: VirtualMachineInstance | undefined): vmi is VirtualMachineInstance {
  const phase = vmi?.status?.phase;
  return Boolean(vmi && !vmi.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed');
}

// A template that declares neither interfaces nor networks gets KubeVirt's pod network "default" by itself, unless
// autoattachPodInterface is false.
function implicitPod(vm: VirtualMachine): boolean {
  const s = templateOf(vm);
  return !s?.domain?.devices?.interfaces?.length && !s?.networks?.length && s?.domain?.devices?.autoattachPodInterface !== false;
}

// The binding KubeVirt gave that implicit interface (the running VMI shows it); masquerade, the binding the
// create wizard gives the pod network, when no VMI says.
function implicitDefault(vmi: VirtualMachineInstance | undefined): VmNetwork {
  const pod = vmi?.spec?.networks?.find((n) => n.pod);
  const found = interfaceBinding(vmi?.spec?.domain?.devices?.interfaces?.find((i) => i.name === pod?.name) ?? { name: '' });
  const binding = (interfaceBindings as readonly string[]).includes(found) ? (found as VmNetwork['binding']) : 'masquerade';
  return { name: pod?.name ?? 'default', source: { kind: 'pod' }, binding };
}

/** KubeVirt's LookUpDefaultNetwork: the first network that is not a secondary Multus one. */
function defaultNetworkName(networks: readonly V1Network[] | undefined): string | undefined {
  // The generated type calls the JSON field `default` `_default`.
  return networks?.find((n) => !(n.multus && !(n.multus as { default?: boolean }).default))?.name;
}

/**
 * The VM's interfaces in the create form's model, as KubeVirt's admission will see them, for the same rules as the
 * wizard's. Every declared name counts (an absent interface keeps its name until KubeVirt clears it); a binding
 * the form does not know reads as bridge, which no rule holds against an interface already there.
 */
export function declaredNetworks(vm: VirtualMachine, vmi?: VirtualMachineInstance): VmNetwork[] {
  if (implicitPod(vm)) return [implicitDefault(vmi)];
  const s = templateOf(vm);
  const nets = new Map((s?.networks ?? []).map((n) => [n.name, n]));
  const ifaces = s?.domain?.devices?.interfaces ?? [];
  const asForm = (name: string, n: V1Network | undefined, binding: string): VmNetwork => ({
    name,
    source: n?.multus ? { kind: 'multus', networkName: n.multus.networkName } : { kind: 'pod' },
    binding: (interfaceBindings as readonly string[]).includes(binding) ? (binding as VmNetwork['binding']) : 'bridge',
  });
  const named = new Set(ifaces.map((i) => i.name));
  return [
    ...ifaces.map((i) => asForm(i.name, nets.get(i.name), interfaceBinding(i))),
    // A network without its interface is invalid, but its name is still taken.
    ...[...nets.values()].filter((n) => !named.has(n.name)).map((n) => asForm(n.name, n, '')),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The rows of the tab

export type InterfaceState =
  | 'attached' // in the VMI's status: the guest has it
  | 'attaching' // in the VM's spec, on its way to the running guest
  | 'detaching' // state: absent, and not yet gone
  | 'waitingMigration' // an SR-IOV interface joins the guest only through a live migration
  | 'waitingRestart' // not hot-pluggable (or removed from the spec behind KubeVirt's back): the next restart decides
  | 'notRunning'; // declared; the guest gets it when it runs

export type IpSource = 'guestAgent' | 'multus' | 'other';

export type InterfaceNetwork = { kind: 'pod' } | { kind: 'multus'; namespace: string; name: string } | { kind: 'unknown' };

export interface InterfaceRow {
  /** The interface's (and its network's) name in the spec; '' for one only the guest agent reports. */
  name: string;
  network: InterfaceNetwork;
  binding: string;
  mac?: string;
  ips: string[];
  /** Where status.interfaces got its data (infoSource), as KubeVirt wrote it. */
  infoSource?: string;
  ipSource?: IpSource;
  /** The name inside the guest (eth1), from the guest agent. */
  guestName?: string;
  linkState?: string;
  state: InterfaceState;
  /** KubeVirt's pod network, added because the VM declares no interface. */
  implicit?: boolean;
  /** Reported by the guest agent, declared nowhere (a bridge or bond the guest made itself). */
  guestOnly?: boolean;
  /** The VMI asks for the migration itself (MigrationRequired, KubeVirt 1.6 with the LiveUpdate rollout). */
  migrationAutomatic?: boolean;
}

type StatusInterface = NonNullable<NonNullable<VirtualMachineInstance['status']>['interfaces']>[number];

export function infoSources(infoSource: string | undefined): string[] {
  return (infoSource ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

// KubeVirt takes a guest's addresses from its agent when it answers; without it a secondary interface's come from
// Multus' network-status, the pod network's from the pod.
function ipSourceOf(infoSource: string | undefined): IpSource | undefined {
  const sources = infoSources(infoSource);
  if (!sources.length) return undefined;
  if (sources.includes('guest-agent')) return 'guestAgent';
  if (sources.includes('multus-status')) return 'multus';
  return 'other';
}

function networkOf(n: V1Network | undefined, vmNamespace: string): InterfaceNetwork {
  if (n?.pod) return { kind: 'pod' };
  if (!n?.multus) return { kind: 'unknown' };
  const [namespace, name] = nadKey(n.multus.networkName, vmNamespace).split('/', 2) as [string, string];
  return { kind: 'multus', namespace, name };
}

function reportedFields(st: StatusInterface | undefined): Pick<InterfaceRow, 'ips' | 'infoSource' | 'ipSource' | 'guestName' | 'linkState' | 'mac'> {
  if (!st) return { ips: [] };
  const ipSource = ipSourceOf(st.infoSource);
  return {
    ips: st.ipAddresses?.length ? st.ipAddresses : st.ipAddress ? [st.ipAddress] : [],
    ...(st.mac ? { mac: st.mac } : {}),
    ...(st.infoSource ? { infoSource: st.infoSource } : {}),
    ...(ipSource ? { ipSource } : {}),
    ...(st.interfaceName ? { guestName: st.interfaceName } : {}),
    ...(st.linkState ? { linkState: st.linkState } : {}),
  };
}

const conditionTrue = (vmi: VirtualMachineInstance | undefined, type: string) => Boolean(vmi?.status?.conditions?.some((c) => c.type === type && c.status === 'True'));

/** Every interface of the VM and where it stands: the VM's spec, the VMI's spec and the VMI's status, read together. */
export function interfaceRows(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined): InterfaceRow[] {
  const ns = vm.metadata?.namespace ?? '';
  const up = instanceUp(vmi);
  const template = templateOf(vm);
  const implicit = implicitPod(vm);
  const vmiIfaces = up ? (vmi.spec?.domain?.devices?.interfaces ?? []) : [];
  const vmiNets = up ? (vmi.spec?.networks ?? []) : [];
  const reported = up ? (vmi.status?.interfaces ?? []) : [];
  const automatic = conditionTrue(vmi, 'MigrationRequired');
  const rows: InterfaceRow[] = [];
  const seen = new Set<string>();

  const add = (iface: V1Interface, net: V1Network | undefined, state: (st: StatusInterface | undefined) => InterfaceState, extra: Partial<InterfaceRow> = {}) => {
    seen.add(iface.name);
    const st = reported.find((r) => r.name === iface.name);
    const s = state(st);
    rows.push({
      name: iface.name,
      network: networkOf(net, ns),
      binding: interfaceBinding(iface),
      ...(iface.macAddress ? { mac: iface.macAddress } : {}),
      ...reportedFields(st),
      state: s,
      ...(s === 'waitingMigration' && automatic ? { migrationAutomatic: true } : {}),
      ...extra,
    });
  };

  if (implicit) {
    const pod = vmiNets.find((n) => n.pod);
    const iface = (pod && vmiIfaces.find((i) => i.name === pod.name)) ?? { name: pod?.name ?? 'default' };
    add(iface, pod ?? { name: iface.name, pod: {} }, (st) => (!up ? 'notRunning' : st ? 'attached' : 'attaching'), { implicit: true });
  }
  for (const iface of implicit ? [] : (template?.domain?.devices?.interfaces ?? [])) {
    const net = template?.networks?.find((n) => n.name === iface.name);
    add(iface, net, (st) => {
      if (iface.state === 'absent') return 'detaching';
      if (!up) return 'notRunning';
      if (st) return 'attached';
      const inVmi = vmiIfaces.some((i) => i.name === iface.name);
      // KubeVirt carries only new bridge and SR-IOV interfaces on Multus networks to a running VMI.
      const hotpluggable = Boolean(net?.multus && (iface.bridge || iface.sriov));
      if (!inVmi && !hotpluggable) return 'waitingRestart';
      return iface.sriov ? 'waitingMigration' : 'attaching';
    });
  }
  // Still in the running instance, gone from the VM's spec: cleared after a detach, or removed by an edit.
  for (const iface of vmiIfaces) {
    if (seen.has(iface.name)) continue;
    add(iface, vmiNets.find((n) => n.name === iface.name), () => (iface.state === 'absent' ? 'detaching' : 'waitingRestart'));
  }
  for (const st of reported) {
    if (st.name && seen.has(st.name)) continue;
    rows.push({ name: st.name ?? '', network: { kind: 'unknown' }, binding: '', ...reportedFields(st), state: 'attached', guestOnly: true });
  }
  return rows;
}

/** The VM's RestartRequired condition, when set: template changes wait for the next restart. */
export function restartRequired(vm: VirtualMachine): { message?: string } | undefined {
  const c = vm.status?.conditions?.find((x) => x.type === 'RestartRequired' && x.status === 'True');
  return c ? { ...(c.message ? { message: c.message } : {}) } : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Attach

/**
 * The body of POST /api/vms/{ns}/{name}/interfaces: one interface as the create wizard models it (its name, which
 * is its network's too, the pod network or a NAD, the binding), and nothing else.
 */
export const attachRequest = network.strict();

/** What an attach waits for before the guest has the interface. */
export type AttachOutcome = 'hotplug' | 'migration' | 'restart' | 'nextStart';

export function attachOutcome(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, req: VmNetwork): AttachOutcome {
  if (!instanceUp(vmi)) return 'nextStart';
  if (req.source.kind === 'multus' && req.binding === 'bridge') return 'hotplug';
  // A VF is handed to the guest on the target of a live migration; a VM that cannot migrate gets it at restart.
  if (req.source.kind === 'multus' && req.binding === 'sriov') return migratable(vmi, vm).ok ? 'migration' : 'restart';
  // KubeVirt hot-plugs nothing else (a pod network, another binding): the VM takes it at its next restart.
  return 'restart';
}

/** A refused attach's problem, on the attach form's own fields: name, source, source.networkName, binding. */
export type AttachProblem = CreateProblem;

/**
 * What KubeVirt's admission would refuse in this attach, checked before it is sent: the wizard's rules (unique
 * name, one pod network, masquerade only on it, SR-IOV only on an SR-IOV network) over the VM's interfaces and the
 * new one, and, when the namespace's NADs are known, that the NAD exists. Only the new interface's problems.
 */
export function attachProblems(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, req: VmNetwork, nads?: readonly NetworkOption[]): AttachProblem[] {
  const all = [...declaredNetworks(vm, vmi), req];
  const prefix = `networks.${all.length - 1}`;
  const found = [...networkProblems(all), ...(nads ? nadProblems(all, vm.metadata?.namespace ?? '', nads) : [])];
  return found
    .filter((p) => p.field === prefix || p.field?.startsWith(`${prefix}.`))
    .map((p) => ({ ...p, field: p.field === prefix ? undefined : p.field!.slice(prefix.length + 1) }))
    .map(({ field, ...p }) => (field ? { field, ...p } : p));
}

export interface JsonPatchOp {
  op: 'test' | 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

const DEVICES = '/spec/template/spec/domain/devices';
const IFACES = `${DEVICES}/interfaces`;
const NETS = '/spec/template/spec/networks';

function versionTest(vm: VirtualMachine): JsonPatchOp {
  const rv = vm.metadata?.resourceVersion;
  if (!rv) throw new Error('a VM patch is built from the VM as read from the API server, with its resourceVersion');
  // The VM as it was read: a change made meanwhile fails the patch (422) instead of being overwritten.
  return { op: 'test', path: '/metadata/resourceVersion', value: rv };
}

/** The JSON patch (application/json-patch+json) that adds the interface and its network to the VM's template. */
export function attachPatch(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, req: VmNetwork): JsonPatchOp[] {
  const { iface, network } = networkParts(req);
  const s = templateOf(vm);
  // A VM that declares no interface has the pod network only while it declares none: the first declared one must
  // bring it along, or the next start would drop it.
  const lead = implicitPod(vm) ? networkParts(implicitDefault(vmi)) : undefined;
  const ops: JsonPatchOp[] = [versionTest(vm)];
  if (!s?.domain?.devices) ops.push({ op: 'add', path: DEVICES, value: { interfaces: [...(lead ? [lead.iface] : []), iface] } });
  else if (s.domain.devices.interfaces?.length) ops.push({ op: 'add', path: `${IFACES}/-`, value: iface });
  else ops.push({ op: 'add', path: IFACES, value: [...(lead ? [lead.iface] : []), iface] });
  if (s?.networks?.length) ops.push({ op: 'add', path: `${NETS}/-`, value: network });
  else ops.push({ op: 'add', path: NETS, value: [...(lead ? [lead.network] : []), network] });
  return ops;
}

// ---------------------------------------------------------------------------------------------------------------
// Detach

export type DetachReasonKey = Extract<MessageKey, `nic.reason.${string}`>;
export interface DetachRefusal {
  key: DetachReasonKey;
  vars?: Record<string, string>;
  /** The interface is not the VM's to detach at all (the route answers 404). */
  missing?: boolean;
}

/** What a detach does: unplug from the running guest (state: absent), or remove from a stopped VM's spec. */
export type DetachOutcome = 'unplug' | 'remove';

/** The answer of both routes (202): what the change waits for. */
export interface InterfaceChangeResponse {
  ok: true;
  interface: string;
  outcome: AttachOutcome | DetachOutcome;
}

export function detachOutcome(vmi: VirtualMachineInstance | undefined): DetachOutcome {
  return instanceUp(vmi) ? 'unplug' : 'remove';
}

/** Why this interface cannot be detached now (KubeVirt's own rules for `state: absent`), or undefined when it can. */
export function detachRefusal(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, name: string): DetachRefusal | undefined {
  const s = templateOf(vm);
  const iface = implicitPod(vm) ? undefined : s?.domain?.devices?.interfaces?.find((i) => i.name === name);
  if (!iface) return { key: 'nic.reason.notDeclared', vars: { name }, missing: true };
  if (!instanceUp(vmi)) return undefined;
  if (iface.state === 'absent') return { key: 'nic.reason.detaching', vars: { name } };
  // KubeVirt's admission: "interface's state "absent" is supported only for bridge binding" and "is not supported on
  // default networks".
  const binding = interfaceBinding(iface);
  if (!iface.bridge) return { key: 'nic.reason.bridgeOnly', vars: { name, binding: binding || '?' } };
  if (defaultNetworkName(s?.networks) === name) return { key: 'nic.reason.defaultNetwork', vars: { name } };
  return undefined;
}

/**
 * The JSON patch of a detach: `state: absent` on the interface of a running VM (KubeVirt unplugs it, then clears it
 * from both specs), or the interface and its network removed from a stopped VM's spec.
 */
export function detachPatch(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, name: string): JsonPatchOp[] {
  const s = templateOf(vm);
  const ifaces = s?.domain?.devices?.interfaces ?? [];
  const i = ifaces.findIndex((x) => x.name === name);
  if (i < 0) throw new Error(`the VM has no interface ${name}`);
  // Paths by index: the resourceVersion test makes sure they still point where they did when the VM was read.
  const ops: JsonPatchOp[] = [versionTest(vm), { op: 'test', path: `${IFACES}/${i}/name`, value: name }];
  if (instanceUp(vmi)) return [...ops, { op: 'add', path: `${IFACES}/${i}/state`, value: 'absent' }];
  ops.push({ op: 'remove', path: `${IFACES}/${i}` });
  const n = (s?.networks ?? []).findIndex((x) => x.name === name);
  if (n >= 0) ops.push({ op: 'test', path: `${NETS}/${n}/name`, value: name }, { op: 'remove', path: `${NETS}/${n}` });
  // With its last interface gone the VM would get KubeVirt's pod network at the next start: none is what was asked.
  const left = ifaces.length - 1 + (s?.networks ?? []).length - (n >= 0 ? 1 : 0);
  if (left === 0 && s?.domain?.devices?.autoattachPodInterface !== false) ops.push({ op: 'add', path: `${DEVICES}/autoattachPodInterface`, value: false });
  return ops;
}
