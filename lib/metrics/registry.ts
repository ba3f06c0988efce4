// No 'server-only' marker: server.ts (run by tsx, outside Next's bundler) records requests and consoles here, and
// the route handlers (bundled by Next) record streams and upstream errors.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { IDP_ERROR_KINDS, type IdpErrorKind, type UpstreamErrorLabels } from './error-labels';
import { CONSOLE_KINDS } from '../shared/console-protocol';

// The portal's Prometheus metrics (docs/portal.md, "Metrics", lists them). One registry per process, kept on
// globalThis: server.ts and Next's route bundles each load this module as their own instance, and every route is a
// module instance of its own too, yet all of them must count into the same series. prom-client itself is loaded
// from node_modules by both (next.config.ts serverExternalPackages), never bundled.

export interface PortalMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  consoles: Gauge<'kind'>;
  liveStreams: Gauge;
  watchScopes: Gauge<'resource'>;
  upstreamWatches: Gauge<'resource'>;
  upstreamErrors: Counter<'status' | 'reason'>;
  idpErrors: Counter<'kind'>;
}

function create(): PortalMetrics {
  const registry = new Registry();
  // Heap, resident memory, CPU, open handles, event loop lag, GC pauses (the list route's tail follows them).
  collectDefaultMetrics({ register: registry });
  const m: PortalMetrics = {
    registry,
    httpDuration: new Histogram({
      name: 'portal_http_request_duration_seconds',
      help: 'Time from a request arriving to its response ending, by route pattern, method and status.',
      labelNames: ['method', 'route', 'status'],
      // Up to 30 s: a live stream (/api/stream) lasts minutes and lands in +Inf.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    consoles: new Gauge({ name: 'portal_console_sessions_open', help: 'Console websockets open now, by kind.', labelNames: ['kind'], registers: [registry] }),
    liveStreams: new Gauge({ name: 'portal_live_streams_open', help: 'Live streams (server-sent events, one per browser tab) open now.', registers: [registry] }),
    watchScopes: new Gauge({
      name: 'portal_live_watch_scopes',
      help: 'Watch scopes (one namespace, or the cluster, of one resource) the open live streams hold, by resource.',
      labelNames: ['resource'],
      registers: [registry],
    }),
    upstreamWatches: new Gauge({
      name: 'portal_upstream_watches_open',
      help: 'Watch requests to the Kubernetes API server open now, by resource.',
      labelNames: ['resource'],
      registers: [registry],
    }),
    upstreamErrors: new Counter({
      name: 'portal_upstream_errors_total',
      help: 'Answers of the Kubernetes API server that were not a success, and requests that got no answer, by HTTP status and reason.',
      labelNames: ['status', 'reason'],
      registers: [registry],
    }),
    idpErrors: new Counter({ name: 'portal_idp_errors_total', help: 'Failed calls to the identity provider, by kind.', labelNames: ['kind'], registers: [registry] }),
  };
  // Present from the start, so a dashboard or a rate() sees zeros rather than no series.
  for (const kind of CONSOLE_KINDS) m.consoles.set({ kind }, 0);
  for (const kind of IDP_ERROR_KINDS) m.idpErrors.inc({ kind }, 0);
  return m;
}

export function metrics(): PortalMetrics {
  return ((globalThis as { __portalMetrics?: PortalMetrics }).__portalMetrics ??= create());
}

export function countUpstreamError(labels: UpstreamErrorLabels): void {
  metrics().upstreamErrors.inc({ status: labels.status, reason: labels.reason });
}

export function countIdpError(kind: IdpErrorKind): void {
  metrics().idpErrors.inc({ kind });
}

/** The whole exposition, in Prometheus text format 0.0.4. */
export async function scrape(): Promise<{ contentType: string; text: string }> {
  const { registry } = metrics();
  return { contentType: registry.contentType, text: await registry.metrics() };
}
