import type { NetworkOption } from '../shared/create-api';

// NetworkAttachmentDefinitions as the portal offers them: what the create wizard lists (GET /api/create/options) and
// what the Network interfaces tab follows live are read by the same function, so both say the same type and VLAN.

export interface NadObject {
  metadata?: { name?: string; namespace?: string };
  spec?: unknown; // { config: the CNI configuration, JSON text }
}

export function nadOption(o: NadObject): NetworkOption {
  let type = 'unknown';
  let vlan: number | undefined;
  try {
    const config = JSON.parse(String((o.spec as { config?: unknown } | undefined)?.config ?? '{}')) as { type?: string; vlan?: number; plugins?: { type?: string; vlan?: number }[] };
    const first = config.type ? config : config.plugins?.[0];
    type = first?.type ?? type;
    vlan = typeof first?.vlan === 'number' ? first.vlan : undefined;
  } catch {
    // A NAD whose config is not JSON still attaches (Multus reads it as a file reference); its type is unknown.
  }
  return { namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '', type, ...(vlan !== undefined ? { vlan } : {}) };
}

/** "name" is in the VM's namespace, "namespace/name" anywhere (Multus' own reading of networkName). */
export function nadKey(networkName: string, vmNamespace: string): string {
  return networkName.includes('/') ? networkName : `${vmNamespace}/${networkName}`;
}
