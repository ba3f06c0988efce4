// PUT virtualmachines/{name}/migrate (pkg/virt-api/rest/lifecycle.go MigrateVMRequestHandler): creates a
// VirtualMachineInstanceMigration for a running VMI; any create error, a webhook denial included, becomes a 500.
import YAML from 'yaml';
import { type Deps, fetchVM, fetchVMI } from './context.ts';
import { phaseOf } from '../kubevirt/phase.ts';
import { type Reply, empty, replyOf } from './reply.ts';
import { apiErrorMessage, badRequest, conflict, internalError, vmResource } from './status.ts';

interface MigrateOptions {
  dryRun?: string[];
  addedNodeSelector?: Record<string, string>;
}

export function migrateVM(deps: Deps, ns: string, name: string, body: string): Promise<Reply> {
  return replyOf(async () => {
    let opts: MigrateOptions = {};
    if (body.trim()) {
      try {
        opts = (YAML.parse(body) ?? {}) as MigrateOptions;
      } catch (e) {
        return { type: 'status', status: badRequest(`Can not unmarshal Request body to struct, error: ${(e as Error).message}`) };
      }
    }
    await fetchVM(deps.kube, ns, name);
    const vmi = await fetchVMI(deps.kube, ns, name);
    if (phaseOf(vmi) !== 'Running') return { type: 'status', status: conflict(vmResource, name, 'VM is not running') };
    const dryRun = (opts.dryRun ?? []).map((d) => `dryRun=${encodeURIComponent(d)}`).join('&');
    try {
      await deps.kube.create(`/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstancemigrations${dryRun ? `?${dryRun}` : ''}`, {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachineInstanceMigration',
        metadata: { generateName: 'kubevirt-migrate-vm-' },
        spec: { vmiName: name, ...(opts.addedNodeSelector ? { addedNodeSelector: opts.addedNodeSelector } : {}) },
      });
    } catch (e) {
      return { type: 'status', status: internalError(apiErrorMessage(e)) };
    }
    return empty(202);
  });
}
