import type { CreateOptions, CreateProblem, NetworkOption, StorageClassOption } from '../../shared/create-api';
import { nadKey } from '../nads';
import { parseQuantity } from '../quantity';
import { CLOUD_INIT_DISK, ROOT_DISK } from './builders';
import { createVmForm, maxGuestMemory, minGuestMemory, type CreateVmForm, type DiskStorage, type VmNetwork } from './form';
import { parseSshPublicKey } from './ssh-keys';
import { checkNetworkData, checkUserData, isRawUserData } from './user-data';

// The rules of a VM request that span fields (formProblems) or need what the cluster offers (clusterProblems),
// checked before anything is sent, so a user fixes the field instead of reading an admission error. Messages are
// i18n keys; `field` is a dotted path into the form model.

// The guest memory's bounds live beside the form model (form.ts), which a VM's later edits share.
export { maxGuestMemory, minGuestMemory } from './form';
// CDI refuses a claim below 1MiB ("storage size should be at least 1MiB").
const minDiskSize = '1Mi';

const problem = (field: string, message: string, params?: CreateProblem['params'], line?: number): CreateProblem => ({
  field,
  message,
  ...(line !== undefined ? { line } : {}),
  ...(params ? { params } : {}),
});

// KubeVirt's network admission (pkg/network/admitter in v1.6): one pod network, masquerade only on it, unique
// interface names; SR-IOV passes a host VF through, which only a Multus network can hand out. Over a list of
// interfaces, so the Network interfaces tab checks a VM's interfaces plus the one being attached by the same rules.
export function networkProblems(networks: readonly VmNetwork[]): CreateProblem[] {
  const out: CreateProblem[] = [];
  const names = new Set<string>();
  let pod = false;
  networks.forEach((n, i) => {
    if (names.has(n.name)) out.push(problem(`networks.${i}.name`, 'networks.duplicateName'));
    names.add(n.name);
    if (n.source.kind === 'pod') {
      if (pod) out.push(problem(`networks.${i}.source`, 'networks.podTwice'));
      pod = true;
      if (n.binding === 'sriov') out.push(problem(`networks.${i}.binding`, 'networks.sriovOnPod'));
    } else if (n.binding === 'masquerade') {
      out.push(problem(`networks.${i}.binding`, 'networks.masqueradeSecondary'));
    }
  });
  return out;
}

function tooSmall(size: string, min: string): boolean {
  const v = parseQuantity(size);
  return v !== undefined && v < parseQuantity(min)!;
}

function diskProblems(form: CreateVmForm): CreateProblem[] {
  const out: CreateProblem[] = [];
  if (form.bootSource.kind !== 'containerDisk' && tooSmall(form.rootDisk.size, minDiskSize)) {
    out.push(problem('rootDisk.size', 'size.tooSmall', { min: minDiskSize }));
  }
  // Disks and volumes share one namespace of names in the VM, with the two the builders add themselves.
  const names = new Set<string>();
  form.extraDisks.forEach((d, i) => {
    if (d.name === ROOT_DISK || d.name === CLOUD_INIT_DISK) out.push(problem(`extraDisks.${i}.name`, 'disks.reservedName'));
    else if (names.has(d.name)) out.push(problem(`extraDisks.${i}.name`, 'disks.duplicateName'));
    names.add(d.name);
    if (tooSmall(d.size, minDiskSize)) out.push(problem(`extraDisks.${i}.size`, 'size.tooSmall', { min: minDiskSize }));
  });
  return out;
}

function sizeProblems(form: CreateVmForm): CreateProblem[] {
  if (form.size.kind !== 'custom') return [];
  const bytes = parseQuantity(form.size.memory);
  if (bytes === undefined) return [];
  if (bytes < parseQuantity(minGuestMemory)!) return [problem('size.memory', 'memory.tooSmall', { min: minGuestMemory })];
  if (bytes > parseQuantity(maxGuestMemory)!) return [problem('size.memory', 'memory.tooLarge', { max: maxGuestMemory })];
  return [];
}

// An image reference as container runtimes parse it (distribution/reference's grammar):
// [host[:port]/]path[:tag][@digest], the path in lower case.
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const imageName = new RegExp(`^(?:${domain}/)?${pathComponent}(?:/${pathComponent})*$`);
const imageTag = /^[\w][\w.-]{0,127}$/;
const imageDigest = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

export function isImageReference(ref: string): boolean {
  let name = ref;
  const at = name.indexOf('@');
  if (at >= 0) {
    if (!imageDigest.test(name.slice(at + 1))) return false;
    name = name.slice(0, at);
  }
  // A colon after the last slash starts the tag; one before it is a registry's port.
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    if (!imageTag.test(name.slice(colon + 1))) return false;
    name = name.slice(0, colon);
  }
  return name.length > 0 && name.length <= 255 && imageName.test(name);
}

function bootSourceProblems(form: CreateVmForm): CreateProblem[] {
  const b = form.bootSource;
  if (b.kind === 'containerDisk' && !isImageReference(b.image)) return [problem('bootSource.image', 'image.reference')];
  if (b.kind === 'http') {
    // Credentials in the URL would sit in the VM's spec for anyone who can read it.
    const url = URL.canParse(b.url) ? new URL(b.url) : undefined;
    if (url && (url.username || url.password)) return [problem('bootSource.url', 'url.credentials')];
  }
  return [];
}

// Keys are compared by type and blob: the same key with another comment is still the same key.
const keyIdentity = (line: string) => line.trim().split(/[ \t]+/).slice(0, 2).join(' ');

function cloudInitProblems(form: CreateVmForm): CreateProblem[] {
  const out: CreateProblem[] = [];
  const ci = form.cloudInit;
  const seen = new Set<string>();
  ci.sshKeys.forEach((line, i) => {
    const k = parseSshPublicKey(line);
    if (!k.ok) out.push(problem(`cloudInit.sshKeys.${i}`, `sshKey.${k.reason}`, k.reason === 'weak' ? { min: 2048 } : undefined));
    else if (seen.has(keyIdentity(line))) out.push(problem(`cloudInit.sshKeys.${i}`, 'sshKey.duplicate'));
    seen.add(keyIdentity(line));
  });

  const keysOrCredentials = ci.sshKeys.some((k) => k.trim()) || !!ci.user || !!ci.password;
  if (ci.userData?.trim()) {
    if (isRawUserData(ci.userData)) {
      if (keysOrCredentials) out.push(problem('cloudInit.userData', 'userData.scriptWithKeys', undefined, 1));
    } else {
      const checked = checkUserData(ci.userData);
      if (!checked.ok) for (const p of checked.problems) out.push(problem('cloudInit.userData', p.message, undefined, p.line));
    }
  }

  if (ci.networkData?.trim()) {
    const checked = checkNetworkData(ci.networkData);
    if (!checked.ok) for (const p of checked.problems) out.push(problem('cloudInit.networkData', p.message, undefined, p.line));
    // The pod network gets its address from KubeVirt's DHCP; network-data is for what Multus attaches.
    if (!form.networks.some((n) => n.source.kind === 'multus')) out.push(problem('cloudInit.networkData', 'networkData.withoutSecondary'));
  }

  // A password alone is fine: it is the image's default user's, for the console. A user of our own needs a key or a
  // password, or nobody can ever log in as it.
  if (ci.user === 'root') out.push(problem('cloudInit.user', 'user.reserved'));
  else if (ci.user && !ci.password && !ci.sshKeys.some((k) => k.trim())) out.push(problem('cloudInit.user', 'user.noCredentials'));
  return out;
}

/** The rules across the form's fields; none needs the cluster. */
export function formProblems(form: CreateVmForm): CreateProblem[] {
  return [...networkProblems(form.networks), ...diskProblems(form), ...sizeProblems(form), ...bootSourceProblems(form), ...cloudInitProblems(form)];
}

// What the user cannot read is not held against the form: the parts named in `unavailable` (by their CreateOptions
// key) are left to the API server's dry run.
const readable = (o: CreateOptions, part: keyof CreateOptions) => !o.unavailable.includes(part);

/** The storage class a disk's claim gets: the chosen one, or the cluster's default. */
export function resolvedStorageClass(d: DiskStorage, classes: StorageClassOption[]): StorageClassOption | undefined {
  return d.storageClass ? classes.find((c) => c.name === d.storageClass) : classes.find((c) => c.isDefault);
}

function storageProblems(prefix: string, d: DiskStorage, o: CreateOptions): CreateProblem[] {
  if (!readable(o, 'storageClasses')) return [];
  const sc = resolvedStorageClass(d, o.storageClasses);
  if (!sc) return [problem(`${prefix}.storageClass`, d.storageClass ? 'storageClass.unknown' : 'storageClass.noDefault')];
  const out: CreateProblem[] = [];
  const params = { storageClass: sc.name };
  // An empty list: the StorageProfile says nothing, so CDI has nothing to fill an unset mode from.
  if (d.accessMode && sc.accessModes.length && !sc.accessModes.includes(d.accessMode)) {
    out.push(problem(`${prefix}.accessMode`, 'storage.accessModeUnsupported', params));
  }
  if (!d.accessMode && !sc.accessModes.length) out.push(problem(`${prefix}.accessMode`, 'storage.accessModeRequired', params));
  if (d.volumeMode && sc.volumeModes.length && !sc.volumeModes.includes(d.volumeMode)) {
    out.push(problem(`${prefix}.volumeMode`, 'storage.volumeModeUnsupported', params));
  }
  return out;
}

function rootSourceProblems(form: CreateVmForm, o: CreateOptions): CreateProblem[] {
  const b = form.bootSource;
  let sourceSize: string | undefined;
  if (b.kind === 'dataSource' && readable(o, 'dataSources')) {
    const ds = o.dataSources.find((d) => d.namespace === b.namespace && d.name === b.name);
    if (!ds) return [problem('bootSource.name', 'dataSource.unknown')];
    if (!ds.ready) return [problem('bootSource.name', 'dataSource.notReady')];
    sourceSize = ds.size;
  } else if (b.kind === 'pvc' && readable(o, 'pvcs')) {
    const pvc = o.pvcs.find((p) => p.namespace === b.namespace && p.name === b.name);
    // Only the namespace's own claims are listed; one elsewhere is for the dry run to judge.
    if (!pvc) return b.namespace === o.namespace ? [problem('bootSource.name', 'pvc.unknown')] : [];
    sourceSize = pvc.size;
  }
  const source = parseQuantity(sourceSize);
  const root = parseQuantity(form.rootDisk.size);
  // A clone cannot shrink its source.
  if (source !== undefined && root !== undefined && root < source) return [problem('rootDisk.size', 'size.smallerThanSource', { min: sourceSize! })];
  return [];
}

function clusterNetworkProblems(form: CreateVmForm, o: CreateOptions): CreateProblem[] {
  return readable(o, 'networks') ? nadProblems(form.networks, form.namespace, o.networks) : [];
}

/** The rules of each Multus interface against the NADs offered in the VM's namespace: it exists, and SR-IOV matches. */
export function nadProblems(networks: readonly VmNetwork[], vmNamespace: string, offered: readonly NetworkOption[]): CreateProblem[] {
  const out: CreateProblem[] = [];
  const nads = new Map(offered.map((n) => [`${n.namespace}/${n.name}`, n]));
  networks.forEach((n, i) => {
    if (n.source.kind !== 'multus') return;
    const nad = nads.get(nadKey(n.source.networkName, vmNamespace));
    if (!nad) {
      out.push(problem(`networks.${i}.source.networkName`, 'nad.unknown'));
      return;
    }
    // An SR-IOV interface needs a VF the sriov CNI hands out; any other CNI gives a plain veth, which SR-IOV cannot use.
    if (n.binding === 'sriov' && nad.type !== 'sriov') out.push(problem(`networks.${i}.binding`, 'networks.sriovNeedsSriovNad', { type: nad.type }));
    if (n.binding !== 'sriov' && nad.type === 'sriov') out.push(problem(`networks.${i}.binding`, 'networks.sriovNadNeedsSriov'));
  });
  return out;
}

/** The rules that need what the cluster offers in the namespace (GET /api/create/options). */
export function clusterProblems(form: CreateVmForm, o: CreateOptions): CreateProblem[] {
  const out: CreateProblem[] = [];
  if (o.vmNames.includes(form.name)) out.push(problem('name', 'name.taken'));
  if (form.size.kind === 'instancetype' && readable(o, 'instancetypes')) {
    const name = form.size.instancetype;
    if (!o.instancetypes.some((t) => t.name === name)) out.push(problem('size.instancetype', 'instancetype.unknown'));
  }
  if (form.size.preference && readable(o, 'preferences')) {
    const name = form.size.preference;
    if (!o.preferences.some((p) => p.name === name)) out.push(problem('size.preference', 'preference.unknown'));
  }
  if (form.bootSource.kind !== 'containerDisk') {
    out.push(...rootSourceProblems(form, o), ...storageProblems('rootDisk', form.rootDisk, o));
  }
  form.extraDisks.forEach((d, i) => out.push(...storageProblems(`extraDisks.${i}`, d, o)));
  out.push(...clusterNetworkProblems(form, o));
  return out;
}

const pathOf = (field: string | undefined) => (field ? field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : []);

/**
 * The form model with the cross-field rules, for react-hook-form's zodResolver and for the server's parse of a
 * create request: each problem becomes an issue at its field, its line and params in the issue's params.
 */
export const createVmFormChecked = createVmForm.superRefine((form, ctx) => {
  for (const p of formProblems(form)) {
    const params = { ...p.params, ...(p.line !== undefined ? { line: p.line } : {}) };
    ctx.addIssue({ code: 'custom', message: p.message, path: pathOf(p.field), ...(Object.keys(params).length ? { params } : {}) });
  }
});
