// A VMI's secondary (Multus) networks as virt-controller names them on the virt-launcher pod (pure).
import { createHash } from 'node:crypto';
import type { VMI } from '../kubevirt/types.ts';
import { nadRef, type NadRef } from './nad.ts';

export const networkStatusAnnotation = 'k8s.v1.cni.cncf.io/network-status';
export const networksAnnotation = 'k8s.v1.cni.cncf.io/networks';

/** One entry of the pod's `networks` annotation, as virt-controller writes it. */
export const networkSelection = (ref: NadRef, network: string) => ({ name: ref.name, namespace: ref.namespace, interface: podInterfaceName(network) });

/** The pod-side name of a secondary interface: "pod" + 11 hex characters of sha256(network name), as KubeVirt names it. */
export function podInterfaceName(network: string): string {
  return `pod${createHash('sha256').update(network).digest('hex').slice(0, 11)}`;
}

type Iface = NonNullable<NonNullable<NonNullable<VMI['spec']>['domain']['devices']>['interfaces']>[number];

/** The VMI's secondary (Multus) interfaces that should be plugged: not `absent`, with their network. */
export function secondaryInterfaces(vmi: VMI): { iface: Iface; network: string; networkName: string }[] {
  return (vmi.spec?.domain?.devices?.interfaces ?? []).flatMap((iface) => {
    const net = vmi.spec?.networks?.find((n) => n.name === iface.name);
    if (!net?.multus?.networkName || (net.multus as { default?: boolean }).default || (iface as { state?: string }).state === 'absent') return [];
    return [{ iface, network: net.name, networkName: net.multus.networkName }];
  });
}

/** The pod's `networks` annotation for a VMI (what Multus is asked to attach), or undefined with none. */
export function networksAnnotationFor(vmi: VMI): string | undefined {
  const list = secondaryInterfaces(vmi).map((s) => networkSelection(nadRef(vmi.metadata.namespace!, s.networkName), s.network));
  return list.length ? JSON.stringify(list) : undefined;
}
