// Live-migration progress as KubeVirt exposes it: Prometheus gauges per VMI, served on the simulator's /metrics.
interface Progress {
  processed: number;
  remaining: number;
  dirtyRate: number;
}

const byVmi = new Map<string, Progress & { namespace: string; name: string; node: string }>();

export function recordMigrationProgress(namespace: string, name: string, node: string, p: Progress) {
  byVmi.set(`${namespace}/${name}`, { namespace, name, node, ...p });
}

export function clearMigrationProgress(namespace: string, name: string) {
  byVmi.delete(`${namespace}/${name}`);
}

export function metricsText(): string {
  const gauges: [string, string, keyof Progress][] = [
    ['kubevirt_vmi_migration_data_processed_bytes', 'The total Guest OS data processed and migrated to the new VM.', 'processed'],
    ['kubevirt_vmi_migration_data_remaining_bytes', 'The remaining guest OS data to be migrated to the new VM.', 'remaining'],
    ['kubevirt_vmi_migration_dirty_memory_rate_bytes', 'The rate of memory being dirty in the Guest OS.', 'dirtyRate'],
  ];
  const lines: string[] = [];
  for (const [metric, help, field] of gauges) {
    lines.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} gauge`);
    for (const p of byVmi.values()) lines.push(`${metric}{name="${p.name}",namespace="${p.namespace}",node="${p.node}"} ${p[field]}`);
  }
  return lines.join('\n') + '\n';
}
