import { beforeEach, describe, expect, it, vi } from 'vitest';
import { portalEnv, portalRequest, routeParams } from '@/lib/api/test-requests';
import type { K8sCall } from '@/lib/api/test-k8s';
import { GET } from './route';

const k8s = await vi.hoisted(async () => (await import('@/lib/api/test-k8s')).recordingK8s('admin'));
vi.mock('server-only', () => ({}));
vi.mock('@/lib/auth/identity', () => k8s.identityModule);
vi.mock('@/lib/k8s/client', () => k8s.clientModule);
const { calls } = k8s;
// The cluster's nodes, and its pods in `pages`; access reviews answer from k8s.allowed.
let pages: Record<string, unknown>[] = [];
function cluster(req: K8sCall): unknown {
  if (req.path === '/api/v1/nodes') {
    return {
      items: [
        { metadata: { name: 'worker-1', labels: { 'kubevirt.io/schedulable': 'true' } }, status: { allocatable: { cpu: '16', memory: '64Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } },
        { metadata: { name: 'control-plane' }, spec: { unschedulable: true }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } },
      ],
    };
  }
  if (req.path === '/api/v1/pods') return pages[req.query?.continue ? Number(req.query.continue) : 0];
  throw new Error(`unexpected ${req.path}`);
}

const get = () => GET(portalRequest('GET', '/api/admin/cluster'), routeParams({}));
const pod = (node: string, cpu: string) => ({ spec: { nodeName: node, containers: [{ resources: { requests: { cpu, memory: '1Gi' } } }] }, status: { phase: 'Running' } });

beforeEach(() => {
  portalEnv();
  k8s.reset();
  k8s.answer = cluster;
  (globalThis as { __portalAccessCache?: Map<string, unknown> }).__portalAccessCache?.clear();
  k8s.allowed = () => true;
  pages = [{ metadata: { continue: '1' }, items: [pod('worker-1', '1')] }, { items: [pod('worker-1', '500m'), pod('control-plane', '100m')] }];
});

describe('GET /api/admin/cluster', () => {
  it('sums the requests of every page of bound, unfinished pods per node', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.pods).toBe('counted');
    expect(body.nodes.map((n: { name: string }) => n.name)).toEqual(['control-plane', 'worker-1']);
    expect(body.nodes[1]).toMatchObject({ allocatable: { cpuMillis: 16000, pods: 110 }, requested: { cpuMillis: 1500, memory: 2 * 1024 ** 3, pods: 2 }, kubevirtSchedulable: true });
    expect(body.nodes[0]).toMatchObject({ unschedulable: true, requested: { cpuMillis: 100, pods: 1 } });
    const podCalls = calls.filter((c) => c.path === '/api/v1/pods');
    expect(podCalls.map((c) => c.query)).toEqual([
      { fieldSelector: 'spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed', limit: 500, continue: undefined },
      { fieldSelector: 'spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed', limit: 500, continue: '1' },
    ]);
  });

  it('leaves the requests out, and says why, when the user may not list pods cluster-wide', async () => {
    k8s.allowed = (attrs) => attrs.resource !== 'pods';
    const body = await (await get()).json();
    expect(body.pods).toBe('forbidden');
    expect(body.nodes[0].requested).toBeUndefined();
    expect(calls.some((c) => c.path === '/api/v1/pods')).toBe(false);
  });

  it('is 403 for a user who may not list nodes, and reads nothing', async () => {
    k8s.allowed = () => false;
    const res = await get();
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', message: 'Not allowed to list nodes in the cluster.' });
    expect(calls).toEqual([]);
  });
});
