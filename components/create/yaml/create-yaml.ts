import { lineOfField, type YamlProblem } from '@/lib/kubevirt/yaml-manifests';
import type { CreateProblem } from '@/lib/shared/create-api';
import { namespaceName } from '@/lib/shared/names';

// The create-from-YAML page's pure parts: the template, the hand-over from the wizard, and the server's problems
// placed on lines.

// The wizard's review step leaves `{namespace, yaml}` here and navigates to /vms/create/yaml.
export const YAML_DRAFT_KEY = 'portal.create.yaml';

export interface YamlDraft {
  namespace: string;
  yaml: string;
}

/** The wizard's hand-over, read once: removed as it is read, so a reload starts from the template. */
export function takeDraft(storage: Pick<Storage, 'getItem' | 'removeItem'>): YamlDraft | undefined {
  let raw: string | null;
  try {
    raw = storage.getItem(YAML_DRAFT_KEY);
    storage.removeItem(YAML_DRAFT_KEY);
  } catch {
    // Storage disabled by the browser: there is no hand-over to read.
    return undefined;
  }
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<YamlDraft> | null;
    if (typeof v?.yaml === 'string' && typeof v.namespace === 'string' && namespaceName.safeParse(v.namespace).success) {
      return { namespace: v.namespace, yaml: v.yaml };
    }
  } catch {
    // Not JSON: ignored like a missing hand-over.
  }
  return undefined;
}

/**
 * A minimal VM that runs as it is: the smallest common instancetype, a container disk (no claim, no quota for
 * storage) and the pod network behind masquerade, KubeVirt's default binding.
 */
export function vmTemplate(namespace: string, name: string): string {
  return `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  runStrategy: Always
  instancetype:
    kind: VirtualMachineClusterInstancetype
    name: u1.nano
  template:
    spec:
      domain:
        devices:
          disks:
            - name: rootdisk
              disk:
                bus: virtio
          interfaces:
            - name: default
              masquerade: {}
      networks:
        - name: default
          pod: {}
      volumes:
        - name: rootdisk
          containerDisk:
            image: quay.io/containerdisks/tinylinux:1.0
`;
}

/** A name for a new VM that two people opening the page will not both get: tinylinux-x7k2q. */
export function templateName(random: (n: number) => number = (n) => Math.floor(Math.random() * n)): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += alphabet[random(alphabet.length)];
  return `tinylinux-${suffix}`;
}

/** The VirtualMachine among the manifests: where to go after a create, and the download's file name. */
export function vmOf(objects: readonly Record<string, unknown>[]): { name?: string; namespace?: string } | undefined {
  const vm = objects.find((o) => o.kind === 'VirtualMachine');
  if (!vm) return undefined;
  const md = (typeof vm.metadata === 'object' && vm.metadata !== null ? vm.metadata : {}) as Record<string, unknown>;
  return { name: typeof md.name === 'string' ? md.name : undefined, namespace: typeof md.namespace === 'string' ? md.namespace : undefined };
}

export function downloadFileName(objects: readonly Record<string, unknown>[]): string {
  const name = vmOf(objects)?.name?.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return `${name || 'manifests'}.yaml`;
}

export interface ServerProblems {
  // Placed on a line of the text that was sent.
  placed: YamlProblem[];
  // About no line: the field, if any, is shown with the message.
  unplaced: CreateProblem[];
}

function isProblem(v: unknown): v is CreateProblem {
  const p = v as Partial<CreateProblem> | null;
  return typeof p === 'object' && p !== null && typeof p.message === 'string' && (p.field === undefined || typeof p.field === 'string') && (p.line === undefined || typeof p.line === 'number');
}

/** The create route's `details.problems`, placed on the lines of the text they were found in. */
export function serverProblems(text: string, details: Record<string, unknown> | undefined): ServerProblems {
  const raw = Array.isArray(details?.problems) ? (details.problems as unknown[]) : [];
  const out: ServerProblems = { placed: [], unplaced: [] };
  const lines = text.split('\n').length;
  for (const p of raw.filter(isProblem)) {
    const line = (p.field ? lineOfField(text, p.field) : undefined) ?? (Number.isInteger(p.line) && p.line! >= 1 && p.line! <= lines ? p.line : undefined);
    if (line === undefined) out.unplaced.push(p);
    else out.placed.push({ message: p.message, line, severity: 'error' });
  }
  return out;
}
