import type { VirtualMachine, VirtualMachineInstance } from './types';
import { vmStatus, type PrintableStatus } from './status';
import { createdAt, ipAddresses, memoryBytes, nodeName, vcpus, vmKey } from './selectors';

// The VM list's view model: one row per VM joined with its VMI, and pure filter/sort over rows, so the table
// component only renders.

export interface VmRow {
  key: string;
  name: string;
  namespace: string;
  status: PrintableStatus;
  node: string;
  ips: string[];
  cpu: number | undefined;
  memory: number | undefined;
  created: number | undefined;
  labels: Record<string, string>;
  search: string; // lower-cased text the search box matches
  vm: VirtualMachine;
  vmi: VirtualMachineInstance | undefined;
}

export function joinRows(vms: VirtualMachine[], vmis: VirtualMachineInstance[]): VmRow[] {
  const byKey = new Map(vmis.map((i) => [vmKey(i), i]));
  return vms.map((vm) => {
    const key = vmKey(vm);
    const vmi = byKey.get(key);
    const labels = (vm.metadata?.labels ?? {}) as Record<string, string>;
    const name = vm.metadata?.name ?? '';
    const namespace = vm.metadata?.namespace ?? '';
    const node = nodeName(vmi) ?? '';
    const ips = ipAddresses(vmi);
    return {
      key,
      name,
      namespace,
      status: vmStatus(vm),
      node,
      ips,
      cpu: vcpus(vm, vmi),
      memory: memoryBytes(vm, vmi),
      created: createdAt(vm),
      labels,
      search: [name, namespace, node, ...ips, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)].join(' ').toLowerCase(),
      vm,
      vmi,
    };
  });
}

export interface RowFilter {
  text: string;
  statuses: string[]; // empty = all
  namespaces: string[];
  nodes: string[];
  label: string; // "key" or "key=value"
}

export const emptyFilter: RowFilter = { text: '', statuses: [], namespaces: [], nodes: [], label: '' };

export function matchesLabel(labels: Record<string, string>, selector: string): boolean {
  const s = selector.trim();
  if (!s) return true;
  const [k, ...rest] = s.split('=');
  const key = (k ?? '').trim();
  if (!rest.length) return key in labels;
  return labels[key] === rest.join('=').trim();
}

export function filterRows(rows: VmRow[], f: RowFilter): VmRow[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  const statuses = new Set(f.statuses);
  const namespaces = new Set(f.namespaces);
  const nodes = new Set(f.nodes);
  return rows.filter(
    (r) =>
      (statuses.size === 0 || statuses.has(r.status)) &&
      (namespaces.size === 0 || namespaces.has(r.namespace)) &&
      (nodes.size === 0 || nodes.has(r.node)) &&
      matchesLabel(r.labels, f.label) &&
      words.every((w) => r.search.includes(w)),
  );
}

export type SortColumn = 'name' | 'namespace' | 'status' | 'node' | 'ips' | 'cpu' | 'memory' | 'age';
export interface SortState {
  column: SortColumn;
  direction: 'asc' | 'desc';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compare(a: VmRow, b: VmRow, column: SortColumn): number {
  switch (column) {
    case 'name':
      return collator.compare(a.name, b.name);
    case 'namespace':
      return collator.compare(a.namespace, b.namespace);
    case 'status':
      return collator.compare(a.status, b.status);
    case 'node':
      return collator.compare(a.node, b.node);
    case 'ips':
      return collator.compare(a.ips[0] ?? '', b.ips[0] ?? '');
    case 'cpu':
      return (a.cpu ?? -1) - (b.cpu ?? -1);
    case 'memory':
      return (a.memory ?? -1) - (b.memory ?? -1);
    case 'age':
      // Newest first when ascending by age (smallest age).
      return (b.created ?? 0) - (a.created ?? 0);
  }
}

export function sortRows(rows: VmRow[], s: SortState): VmRow[] {
  const sign = s.direction === 'asc' ? 1 : -1;
  // Ties fall back to namespace/name so the order is stable while events arrive.
  return [...rows].sort((a, b) => sign * compare(a, b, s.column) || collator.compare(a.namespace, b.namespace) || collator.compare(a.name, b.name));
}
