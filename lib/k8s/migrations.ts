import 'server-only';
import type { K8sClient } from './client';
import { objectPath } from './api-paths';
import { PortalError } from './errors';
import { listScope } from './list';
import { activeMigration, isFinished, migrationsOfVm } from '../kubevirt/migrations';
import type { VirtualMachineInstanceMigration } from '../kubevirt/types';
import { resources } from '../shared/resources';

// The migration a cancel acts on, found as the signed-in user: the one the browser named, once it is checked to
// be this VM's and unfinished, or else the VM's unfinished one. KubeVirt's mutating webhook labels every VMIM with
// kubevirt.io/vmi-name, so only the VM's own are listed.

const VMIM = 'virtualmachineinstancemigrations.kubevirt.io';

export async function findActiveMigration(client: K8sClient, namespace: string, vmName: string, named?: string): Promise<{ name: string; uid?: string }> {
  if (named) {
    const m = await client.json<VirtualMachineInstanceMigration>({
      path: objectPath({ resource: 'virtualmachineinstancemigrations', namespace, name: named }),
      ctx: { verb: 'get', resource: VMIM, namespace, name: named },
    });
    if (m.spec?.vmiName !== vmName) throw new PortalError(409, 'conflict', `Migration ${named} is not a migration of VM ${vmName}.`, { reason: 'not this VM\'s migration' });
    if (isFinished(m)) throw new PortalError(409, 'conflict', `Migration ${named} has already ended (${m.status?.phase}).`, { reason: `already ${m.status?.phase}` });
    return { name: named, ...(m.metadata?.uid ? { uid: m.metadata.uid } : {}) };
  }
  const { items } = await listScope<VirtualMachineInstanceMigration & { metadata?: { name?: string } }>(client, resources.virtualmachineinstancemigrations, namespace, {
    labelSelector: `kubevirt.io/vmi-name=${vmName}`,
  });
  const active = activeMigration(migrationsOfVm(items, vmName, namespace));
  if (!active?.metadata?.name) throw new PortalError(409, 'conflict', `No migration of VM ${vmName} is in progress.`, { reason: 'no migration in progress' });
  return { name: active.metadata.name, ...(active.metadata.uid ? { uid: active.metadata.uid } : {}) };
}

// virt-api's migrate subresource turns any refusal of the VMIM it creates, the admission webhook's included, into a
// 500 "Internal error occurred: admission webhook ... denied the request: Cannot migrate VMI, Reason: ..., Message:
// ..." (API-REFERENCE §2.3). That is the VM's state, not a fault: a conflict, with the webhook's words as the reason.
export function migrateRefusal(err: unknown): unknown {
  if (!(err instanceof PortalError) || err.code !== 'upstream_error') return err;
  const m = /denied the request: (.*)$/s.exec(err.message);
  const said = m?.[1]?.trim();
  if (!said || !/Cannot migrate VMI|in-flight migration detected|does not exist|finalized state/i.test(said)) return err;
  return new PortalError(409, 'conflict', said, { ...err.details, reason: said });
}
