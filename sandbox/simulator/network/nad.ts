// NetworkAttachmentDefinitions as Multus reads them: which NAD a VMI network names, and what its CNI config
// (`spec.config`, a JSON string) asks for: the plugin, the L2 segment it joins and its IPAM.
import { z } from 'zod';

export const nadResourceNameAnnotation = 'k8s.v1.cni.cncf.io/resourceName';

export interface NadRef {
  namespace: string;
  name: string;
}

/** `<nad>` or `<namespace>/<nad>`, relative to the VMI's namespace (KubeVirt's getNamespaceAndNetworkName). */
export function nadRef(vmiNamespace: string, networkName: string): NadRef {
  const [a, b] = networkName.split('/', 2) as [string, string | undefined];
  return b === undefined ? { namespace: vmiNamespace, name: a } : { namespace: a, name: b };
}

const rangeSchema = z.object({
  subnet: z.string(),
  rangeStart: z.string().optional(),
  rangeEnd: z.string().optional(),
  gateway: z.string().optional(),
});

const ipamSchema = z
  .object({
    type: z.string(),
    // host-local
    subnet: z.string().optional(),
    rangeStart: z.string().optional(),
    rangeEnd: z.string().optional(),
    gateway: z.string().optional(),
    ranges: z.array(z.array(rangeSchema)).optional(),
    // whereabouts
    range: z.string().optional(),
    range_start: z.string().optional(),
    range_end: z.string().optional(),
    exclude: z.array(z.string()).optional(),
    // static
    addresses: z.array(z.object({ address: z.string(), gateway: z.string().optional() })).optional(),
  })
  .loose();

const pluginSchema = z
  .object({
    type: z.string(),
    bridge: z.string().optional(),
    vlan: z.number().int().min(0).max(4094).optional(),
    master: z.string().optional(),
    ipam: ipamSchema.optional(),
  })
  .loose();

const configSchema = z.union([
  z.object({ cniVersion: z.string().optional(), name: z.string().optional(), plugins: z.array(pluginSchema).min(1) }).loose(),
  pluginSchema.extend({ cniVersion: z.string().optional(), name: z.string().optional() }),
]);

export type IpamConfig = z.infer<typeof ipamSchema>;

export interface NadPlan {
  /** The main CNI plugin: bridge, sriov, macvlan, … */
  type: string;
  /** The L2 segment the NIC joins: the same bridge (or VF pool, or master) and VLAN is the same wire. */
  segment: string;
  vlan?: number;
  ipam?: IpamConfig;
  /** Device plugin resource the pod must request (SR-IOV VFs). */
  resourceName?: string;
}

export interface Nad {
  metadata: { namespace?: string; name: string; annotations?: Record<string, string> };
  spec?: { config?: string };
}

/** Reads a NAD's CNI config; throws an Error with a readable message when it is not one Multus could use. */
export function planOf(nad: Nad): NadPlan {
  const where = `${nad.metadata.namespace}/${nad.metadata.name}`;
  let raw: unknown;
  try {
    raw = JSON.parse(nad.spec?.config ?? '');
  } catch {
    throw new Error(`network attachment definition ${where} has no valid JSON in spec.config`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`network attachment definition ${where} has an invalid CNI config: ${first?.path.join('.') || 'config'}: ${first?.message}`);
  }
  const c = parsed.data;
  const main = 'plugins' in c && Array.isArray(c.plugins) ? c.plugins[0]! : (c as z.infer<typeof pluginSchema>);
  const resourceName = nad.metadata.annotations?.[nadResourceNameAnnotation];
  const vlan = main.vlan || undefined;
  const wire =
    main.type === 'bridge' ? `bridge/${main.bridge ?? 'cni0'}`
    : main.type === 'sriov' ? `sriov/${resourceName ?? where}`
    : main.master ? `${main.type}/${main.master}`
    : `${main.type}/${where}`;
  return { type: main.type, segment: `${wire}/vlan${vlan ?? 0}`, vlan, ipam: main.ipam, resourceName };
}
