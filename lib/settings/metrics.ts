import { optional, portNumber, type Parsed, type Requirements } from './vars';

// Where the portal's own Prometheus metrics (/metrics, lib/metrics/) are served: beside /healthz and /readyz on the
// main port, or, with PORTAL_METRICS_PORT, only on a listener of their own, so that an Ingress or a public load
// balancer in front of the main port does not publish them.

export const metricsVars = {
  PORTAL_METRICS_PORT: optional(portNumber),
};

export interface MetricsSettings {
  port?: number; // unset: /metrics on the main port
}

export function metricsSettings(v: Parsed<typeof metricsVars>, mainPort: number, r: Requirements): MetricsSettings {
  if (v.PORTAL_METRICS_PORT === mainPort) r.refuse('PORTAL_METRICS_PORT', `must differ from PORT (${mainPort}); leave it unset to serve /metrics on the main port`);
  return { port: v.PORTAL_METRICS_PORT };
}
