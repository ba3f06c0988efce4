import type { Mode } from './mode';
import { httpUrl, optional, type Parsed, type Requirements } from './vars';

// Where the portal reads KubeVirt's live-migration gauges (kubevirt_vmi_migration_data_processed_bytes,
// _data_remaining_bytes, _dirty_memory_rate_bytes) for the progress bar: a Prometheus server's query API, or a
// Prometheus text endpoint (virt-handler's /metrics, a federation endpoint; the sandbox's simulator serves one).
// Read with the portal's own network access, only after an access review of the VMI (app/api/migrations/progress).
// Unset, the UI says the cluster does not expose them.

export const migrationMetricsVars = {
  PORTAL_PROMETHEUS_URL: optional(httpUrl),
  PORTAL_MIGRATION_METRICS_URL: optional(httpUrl),
};

export type MigrationMetricsSettings = { source: 'prometheus'; url: string } | { source: 'exposition'; url: string } | { source: 'none' };

// The simulator's health server (sandbox/launcher/paths.ts ports.simulatorHealth), shifted like every sandbox port.
const SANDBOX_METRICS_PORT = 8444;

export function migrationMetricsSettings(v: Parsed<typeof migrationMetricsVars>, mode: Mode, r: Requirements): MigrationMetricsSettings {
  if (v.PORTAL_PROMETHEUS_URL && v.PORTAL_MIGRATION_METRICS_URL) {
    r.refuse('PORTAL_MIGRATION_METRICS_URL', 'set either PORTAL_PROMETHEUS_URL or PORTAL_MIGRATION_METRICS_URL, not both');
  }
  if (v.PORTAL_PROMETHEUS_URL) return { source: 'prometheus', url: v.PORTAL_PROMETHEUS_URL };
  if (v.PORTAL_MIGRATION_METRICS_URL) return { source: 'exposition', url: v.PORTAL_MIGRATION_METRICS_URL };
  if (mode.sandbox) return { source: 'exposition', url: `http://127.0.0.1:${SANDBOX_METRICS_PORT + mode.sandboxPortOffset}/metrics` };
  return { source: 'none' };
}
