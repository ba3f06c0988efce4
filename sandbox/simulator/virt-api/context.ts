// What the subresource handlers work with: the API server (as cluster-admin) and the running domains (what
// virt-api reaches through virt-handler on the VMI's node), plus the VM/VMI fetches with virt-api's error texts.
import type net from 'node:net';
import type { KubeClient } from '../kube/client.ts';
import { domains } from '../handler/domains.ts';
import { vmPath, vmiPath } from '../kubevirt/paths.ts';
import type { VM, VMI } from '../kubevirt/types.ts';
import { StatusError, apiErrorMessage, internalError, isNotFound, notFound, vmResource, vmiResource } from './status.ts';

export type KubeLike = Pick<KubeClient, 'get' | 'create' | 'patch' | 'delete'>;

/** The part of a handler/domain.ts Domain virt-api uses. */
export interface DomainLike {
  readonly dir: string;
  readonly qmp: { execute(command: string, args?: object, timeoutMs?: number): Promise<unknown> };
  readonly agent: { call(command: string, args?: object, timeoutMs?: number): Promise<unknown> };
  connectSerial(): Promise<net.Socket>;
  connectVnc(): Promise<net.Socket>;
  /** A loopback port that reaches the guest's port over its pod network (see handler/domain.ts). */
  forward(protocol: 'tcp' | 'udp', guestPort: number): Promise<number>;
}

export type DomainLookup = (namespace: string, vmiName: string) => DomainLike | undefined;

export const runningDomains: DomainLookup = (ns, name) => domains.get(ns, name);

export interface Deps {
  kube: KubeLike;
  domains: DomainLookup;
}

/** fetchVirtualMachine: 404 → NotFound on virtualmachine.kubevirt.io, anything else → InternalError. */
export async function fetchVM(kube: KubeLike, ns: string, name: string): Promise<VM> {
  try {
    return await kube.get<VM>(vmPath(ns, name));
  } catch (e) {
    if (isNotFound(e)) throw new StatusError(notFound(vmResource, name));
    throw new StatusError(internalError(`unable to retrieve vm [${name}]: ${apiErrorMessage(e)}`));
  }
}

/** FetchVirtualMachineInstance: 404 → NotFound on virtualmachineinstance.kubevirt.io, anything else → InternalError. */
export async function fetchVMI(kube: KubeLike, ns: string, name: string): Promise<VMI> {
  try {
    return await kube.get<VMI>(vmiPath(ns, name));
  } catch (e) {
    if (isNotFound(e)) throw new StatusError(notFound(vmiResource, name));
    throw new StatusError(internalError(`unable to retrieve vmi [${name}]: ${apiErrorMessage(e)}`));
  }
}

/** The VM handlers' own VMI get: undefined when missing, InternalError(err) on any other failure. */
export async function findVMI(kube: KubeLike, ns: string, name: string): Promise<VMI | undefined> {
  try {
    return await kube.get<VMI>(vmiPath(ns, name));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw new StatusError(internalError(apiErrorMessage(e)));
  }
}

/** getVirtHandlerConnForVMI: virt-api only talks to virt-handler about a Running or Scheduled VMI. */
export function handlerConnectionError(vmi: VMI): string | undefined {
  const phase = vmi.status?.phase ?? '';
  if (phase === 'Running' || phase === 'Scheduled') return undefined;
  return `Unable to connect to VirtualMachineInstance because phase is ${phase} instead of Running or Scheduled`;
}

/** What virt-handler answers when it has no launcher socket for the VMI, as virt-api's handler client reports it. */
export const noCommandSocket = (vmi: VMI) => handlerFailure(`No command socket found for vmi ${vmi.metadata.uid ?? ''}`);

/** A virt-handler 500 as virt-api's handler client reports it. */
export const handlerFailure = (message: string) => `unexpected return code 500 (500 Internal Server Error), message: ${message}`;
