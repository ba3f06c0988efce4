import type { CreateVmFormInput } from '@/lib/kubevirt/create/form';

// What the wizard starts from, and small pure helpers over its values.

export const DEFAULT_ROOT_DISK_SIZE = '30Gi';
export const DEFAULT_EXTRA_DISK_SIZE = '10Gi';

export function initialForm(namespace?: string): CreateVmFormInput {
  return {
    namespace: namespace ?? '',
    name: '',
    bootSource: { kind: 'dataSource', namespace: '', name: '' },
    size: { kind: 'instancetype', instancetype: '' },
    rootDisk: { size: DEFAULT_ROOT_DISK_SIZE },
    extraDisks: [],
    cloudInit: { sshKeys: [] },
    networks: [{ name: 'default', source: { kind: 'pod' }, binding: 'masquerade' }],
    runStrategy: 'Always',
    start: true,
  };
}

/** base1, base2, ...: the first not taken. */
export function nextFreeName(base: string, taken: readonly string[]): string {
  const used = new Set(taken);
  for (let i = 1; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** The SSH keys of a textarea: its non-blank lines, trimmed, with their 1-based line numbers. */
export function sshKeyLines(text: string): { keys: string[]; lines: number[] } {
  const keys: string[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const k = l.trim();
    if (k) {
      keys.push(k);
      lines.push(i + 1);
    }
  });
  return { keys, lines };
}

/** How a NetworkAttachmentDefinition is named in the form: bare in the VM's namespace, else namespace/name. */
export function nadRef(vmNamespace: string, nad: { namespace: string; name: string }): string {
  return nad.namespace === vmNamespace ? nad.name : `${nad.namespace}/${nad.name}`;
}

/** Whether a form-model network name ("name" or "ns/name") is the NAD, seen from the VM's namespace. */
export function isNad(vmNamespace: string, networkName: string, nad: { namespace: string; name: string }): boolean {
  const [ns, name] = networkName.includes('/') ? networkName.split('/', 2) : [vmNamespace, networkName];
  return ns === nad.namespace && name === nad.name;
}
