// Resolving a VM's instancetype and preference matchers to their specs from the API server, as KubeVirt's spec
// finders do (pkg/instancetype/find, pkg/instancetype/preference/find): a ControllerRevision named by
// spec.*.revisionName (or by status.*Ref.controllerRevisionRef when it belongs to the named object) wins; otherwise
// the namespaced or cluster kind named by spec.*.kind (cluster kind by default).
import type { KubeClient } from '../kube/client.ts';
import { apiErrorMessage } from '../virt-api/status.ts';
import { isObj, type Obj } from '../webhooks/util.ts';
import type { InstancetypeSpec, PreferenceSpec } from './expand.ts';

const itApi = '/apis/instancetype.kubevirt.io/v1beta1';

/** A lookup failure, with the message KubeVirt's finder error carries (the API server's Status message for 404s). */
export class FindError extends Error {}

export { apiErrorMessage };

async function get(kube: KubeClient, path: string): Promise<Obj> {
  try {
    return (await kube.get(path)) as Obj;
  } catch (e) {
    throw new FindError(apiErrorMessage(e));
  }
}

type MatcherKind = 'instancetype' | 'preference';

const kinds: Record<MatcherKind, { namespaced: string[]; cluster: string[]; nsPlural: string; clusterPlural: string; matcher: string; ref: string }> = {
  instancetype: {
    namespaced: ['virtualmachineinstancetype', 'virtualmachineinstancetypes'],
    cluster: ['virtualmachineclusterinstancetype', 'virtualmachineclusterinstancetypes', ''],
    nsPlural: 'virtualmachineinstancetypes',
    clusterPlural: 'virtualmachineclusterinstancetypes',
    matcher: 'InstancetypeMatcher',
    ref: 'instancetypeRef',
  },
  preference: {
    namespaced: ['virtualmachinepreference', 'virtualmachinepreferences'],
    cluster: ['virtualmachineclusterpreference', 'virtualmachineclusterpreferences', ''],
    nsPlural: 'virtualmachinepreferences',
    clusterPlural: 'virtualmachineclusterpreferences',
    matcher: 'PreferenceMatcher',
    ref: 'preferenceRef',
  },
};

const revisionKinds: Record<MatcherKind, string[]> = {
  instancetype: ['VirtualMachineInstancetype', 'VirtualMachineClusterInstancetype'],
  preference: ['VirtualMachinePreference', 'VirtualMachineClusterPreference'],
};

/** compatibility.Get*Spec: the spec stored in a ControllerRevision, if it holds the expected kind. */
function revisionSpec(cr: Obj, which: MatcherKind): Obj {
  const data = cr.data;
  if (!isObj(data) || !isObj(data.spec) || (data.kind && !revisionKinds[which].includes(data.kind))) {
    throw new FindError(`unexpected type in ControllerRevision: *v1beta1.${String(isObj(data) ? (data.kind ?? 'Unknown') : 'Unknown')}`);
  }
  return data.spec;
}

async function findSpec(kube: KubeClient, vmObj: object, which: MatcherKind): Promise<Obj | undefined> {
  const vm = vmObj as Obj;
  const matcher = vm.spec?.[which];
  if (!isObj(matcher)) return undefined;
  const k = kinds[which];
  const ns: string = vm.metadata?.namespace ?? '';
  const revisionPath = (name: string) => `/apis/apps/v1/namespaces/${ns}/controllerrevisions/${name}`;
  if (matcher.revisionName) return revisionSpec(await get(kube, revisionPath(matcher.revisionName)), which);
  const crName = vm.status?.[k.ref]?.controllerRevisionRef?.name;
  if (crName) {
    const cr = await get(kube, revisionPath(crName));
    if (cr.metadata?.labels?.['instancetype.kubevirt.io/object-name'] === matcher.name) return revisionSpec(cr, which);
  }
  const kind = String(matcher.kind ?? '').toLowerCase();
  if (!matcher.name && (k.namespaced.includes(kind) || k.cluster.includes(kind))) throw new FindError('resource name may not be empty');
  if (k.namespaced.includes(kind)) return (await get(kube, `${itApi}/namespaces/${ns}/${k.nsPlural}/${matcher.name ?? ''}`)).spec ?? {};
  if (k.cluster.includes(kind)) return (await get(kube, `${itApi}/${k.clusterPlural}/${matcher.name ?? ''}`)).spec ?? {};
  throw new FindError(`got unexpected kind in ${k.matcher}: ${matcher.kind}`);
}

/** The spec of the instancetype the VM references, undefined when it references none. Throws FindError. */
export const findInstancetypeSpec = (kube: KubeClient, vm: object): Promise<InstancetypeSpec | undefined> => findSpec(kube, vm, 'instancetype');
/** The spec of the preference the VM references, undefined when it references none. Throws FindError. */
export const findPreferenceSpec = (kube: KubeClient, vm: object): Promise<PreferenceSpec | undefined> => findSpec(kube, vm, 'preference');
