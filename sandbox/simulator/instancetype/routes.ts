// virt-api's instancetype expansion endpoints (pkg/virt-api/rest/expand.go):
//   GET .../namespaces/{ns}/virtualmachines/{name}/expand-spec   the stored VM, expanded
//   PUT .../namespaces/{ns}/expand-vm-spec                        the VM in the body, expanded
// Errors are metav1.Status JSON with the HTTP status equal to Status.code, as virt-api's writeError writes them.
import { ApiError, type KubeClient } from '../kube/client.ts';
import { vmPath } from '../kubevirt/paths.ts';
import { authorize, writeDenial } from '../virt-api/authorize.ts';
import { readBody, type SubresourcePath } from '../virt-api/request.ts';
import { sendJson, subresourceGroup, subresourceVersions, type RouteHandler } from '../virt-api/server.ts';
import { apiErrorMessage, badRequest, internalError, notFound, vmResource, writePlain, writeStatus, type Status } from '../virt-api/status.ts';
import { readClusterConfig, type ClusterConfig } from '../webhooks/cluster-config.ts';
import { isObj, type Obj } from '../webhooks/util.ts';
import { conflictsError, expandVirtualMachine } from './expand.ts';
import { findInstancetypeSpec, findPreferenceSpec, FindError } from './find.ts';
import { validateVirtualMachineSchema } from './schema.ts';

/** errors.NewBadRequest("Object is not a valid VirtualMachine") with the schema errors as causes. */
function invalidVirtualMachine(errs: string[]): Status {
  const { code, ...rest } = badRequest('Object is not a valid VirtualMachine');
  return { ...rest, details: { causes: errs.map((message) => ({ message })) }, code };
}

/** Go's json.Unmarshal into map[string]interface{}: the error text for bodies that are not a JSON object. */
function decodeObject(text: string): { obj: Obj | null } | { error: string } {
  if (!text.trim()) return { error: 'unexpected end of JSON input' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  if (value === null) return { obj: null };
  if (isObj(value)) return { obj: value };
  const t = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
  return { error: `json: cannot unmarshal ${t} into Go value of type map[string]interface {}` };
}

export interface ExpandRouteOptions {
  /** The cluster configuration; by default read from the KubeVirt CR (falling back to the sandbox's settings). */
  config?: () => Promise<ClusterConfig>;
}

/**
 * Expands `vm` as virt-api's instancetype expander does, resolving the referenced instancetype and preference from
 * the API server. Returns the expanded VM, or the error text KubeVirt's Expand would return.
 */
export async function expandFromCluster(kube: KubeClient, vm: Obj, config: ClusterConfig): Promise<{ vm: Obj } | { error: string }> {
  if (!isObj(vm.spec?.instancetype) && !isObj(vm.spec?.preference)) return { vm };
  try {
    const instancetype = await findInstancetypeSpec(kube, vm);
    const preference = await findPreferenceSpec(kube, vm);
    const result = expandVirtualMachine(vm, instancetype, preference, { config });
    if (result.error) return { error: result.error };
    if (result.conflicts.length) return { error: conflictsError(result.conflicts) };
    return { vm: result.vm };
  } catch (e) {
    if (e instanceof FindError) return { error: e.message };
    throw e;
  }
}

const kubevirtConfig = (kube: KubeClient): Promise<ClusterConfig> => readClusterConfig(kube);

/**
 * The expand-spec (GET) and expand-vm-spec (PUT) routes of subresources.kubevirt.io v1 and v1alpha3. Like virt-api,
 * each request is first authorized with a SubjectAccessReview: expand-spec as subresource `expand-spec` of the VM
 * (verb get), expand-vm-spec as resource `expand-vm-spec` with no name (verb update).
 */
export function expandSpecRoutes(kube: KubeClient, opts: ExpandRouteOptions = {}): RouteHandler {
  const group = subresourceGroup.replace(/\./g, '\\.');
  const versions = subresourceVersions.join('|');
  const getRoute = new RegExp(`^/apis/${group}/(${versions})/namespaces/([^/]+)/virtualmachines/([^/]+)/expand-spec/?$`);
  const putRoute = new RegExp(`^/apis/${group}/(${versions})/namespaces/([^/]+)/expand-vm-spec/?$`);
  const config = opts.config ?? (() => kubevirtConfig(kube));

  return async (req, res, caller) => {
    const pathname = new URL(req.url ?? '/', 'https://virt-api').pathname;
    const get = getRoute.exec(pathname);
    const put = get ? undefined : putRoute.exec(pathname);
    if (!get && !put) return false;
    let target: SubresourcePath;
    try {
      target = get
        ? {
            group: subresourceGroup,
            version: get[1] ?? 'v1',
            namespace: decodeURIComponent(get[2] ?? ''),
            resource: 'virtualmachines',
            name: decodeURIComponent(get[3] ?? ''),
            subresource: 'expand-spec',
            authSubresource: 'expand-spec',
          }
        : // expand-vm-spec is a namespaced resource of its own, not a VM subresource.
          ({
            group: subresourceGroup,
            version: put?.[1] ?? 'v1',
            namespace: decodeURIComponent(put?.[2] ?? ''),
            resource: 'expand-vm-spec',
            name: '',
            subresource: '',
            authSubresource: '',
          } as unknown as SubresourcePath);
    } catch {
      return false;
    }
    const method = req.method ?? 'GET';
    const decision = await authorize(kube, caller, method, target);
    if (!decision.allowed) {
      writeDenial(res, decision);
      return true;
    }
    if (method !== (get ? 'GET' : 'PUT')) {
      writePlain(res, 405, '405: Method Not Allowed');
      return true;
    }

    if (get) {
      const { namespace: ns, name } = target;
      let vm: Obj;
      try {
        vm = await kube.get<Obj>(vmPath(ns, name));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) writeStatus(res, notFound(vmResource, name));
        else writeStatus(res, internalError(`unable to retrieve vm [${name}]: ${apiErrorMessage(e)}`));
        return true;
      }
      const out = await expandFromCluster(kube, vm, await config());
      if ('error' in out) writeStatus(res, internalError(out.error));
      else sendJson(res, 200, out.vm);
      return true;
    }

    const ns = target.namespace;
    const decoded = decodeObject(await readBody(req));
    if ('error' in decoded) {
      writeStatus(res, badRequest(`Can not unmarshal Request body to struct, error: ${decoded.error}`));
      return true;
    }
    const errs = validateVirtualMachineSchema(decoded.obj);
    if (errs.length) {
      writeStatus(res, invalidVirtualMachine(errs));
      return true;
    }
    const vm = decoded.obj ?? {};
    const vmNs = vm.metadata?.namespace;
    if (vmNs && vmNs !== ns) {
      writeStatus(res, badRequest(`VM namespace must be empty or ${ns}`));
      return true;
    }
    vm.metadata = { ...(isObj(vm.metadata) ? vm.metadata : {}), namespace: ns };
    const out = await expandFromCluster(kube, vm, await config());
    if ('error' in out) writeStatus(res, badRequest(out.error));
    else sendJson(res, 200, out.vm);
    return true;
  };
}
