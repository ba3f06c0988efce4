import { describe, expect, it } from 'vitest';
import { clusterNode, podRequests, requestsByNode, schedulingBlocks, type NodeLike, type PodLike } from './cluster';

const Mi = 1024 ** 2;
const c = (cpu?: string, memory?: string, restartPolicy?: string) => ({ resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } }, ...(restartPolicy ? { restartPolicy } : {}) });

describe('podRequests', () => {
  it('sums containers and adds the overhead', () => {
    expect(podRequests({ spec: { containers: [c('100m', '128Mi'), c('250m', '64Mi'), c()], overhead: { cpu: '10m', memory: '1Mi' } } })).toEqual({ cpuMillis: 360, memory: 193 * Mi });
  });

  it('takes the largest init step when it is more than the containers', () => {
    expect(podRequests({ spec: { containers: [c('100m', '100Mi')], initContainers: [c('500m', '10Mi'), c('50m', '300Mi')] } })).toEqual({ cpuMillis: 500, memory: 300 * Mi });
  });

  it('counts sidecars (restartable init containers) with the containers and under later init steps', () => {
    // sidecar 100m runs through init step 2 (400m) and beside the container (200m): max(300, 500) = 500.
    expect(podRequests({ spec: { containers: [c('200m')], initContainers: [c('100m', undefined, 'Always'), c('400m')] } }).cpuMillis).toBe(500);
    expect(podRequests({ spec: { containers: [c('200m')], initContainers: [c('100m', undefined, 'Always'), c('50m')] } }).cpuMillis).toBe(300);
  });
});

describe('requestsByNode', () => {
  it('counts bound pods that have not finished', () => {
    const pods: PodLike[] = [
      { spec: { nodeName: 'w1', containers: [c('1', '1Gi')] }, status: { phase: 'Running' } },
      { spec: { nodeName: 'w1', containers: [c('500m')] }, status: { phase: 'Pending' } },
      { spec: { nodeName: 'w1', containers: [c('4')] }, status: { phase: 'Succeeded' } },
      { spec: { nodeName: 'w2', containers: [c('4')] }, status: { phase: 'Failed' } },
      { spec: { containers: [c('4')] }, status: { phase: 'Pending' } },
    ];
    expect([...requestsByNode(pods)]).toEqual([['w1', { cpuMillis: 1500, memory: 1024 * Mi, pods: 2 }]]);
  });
});

describe('clusterNode', () => {
  const worker: NodeLike = {
    metadata: { name: 'worker-1', labels: { 'node-role.kubernetes.io/worker': '', 'kubevirt.io/schedulable': 'true' } },
    spec: { taints: [] },
    status: { allocatable: { cpu: '16', memory: '64Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }] },
  };

  it('reads allocatable, roles and schedulability, with the pods\' requests', () => {
    const row = clusterNode(worker, new Map([['worker-1', { cpuMillis: 1200, memory: 2 * 1024 * Mi, pods: 3 }]]));
    expect(row).toEqual({
      name: 'worker-1',
      ready: true,
      unschedulable: false,
      kubevirtSchedulable: true,
      taints: [],
      roles: ['worker'],
      problems: [],
      allocatable: { cpuMillis: 16000, memory: 64 * 1024 * Mi, pods: 110 },
      requested: { cpuMillis: 1200, memory: 2 * 1024 * Mi, pods: 3 },
    });
    expect(clusterNode(worker, new Map()).requested).toEqual({ cpuMillis: 0, memory: 0, pods: 0 });
    expect('requested' in clusterNode(worker, undefined)).toBe(false);
    expect(schedulingBlocks(row)).toEqual([]);
  });

  it('names what keeps VMs off a node', () => {
    const sick = clusterNode(
      {
        metadata: { name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } },
        spec: { unschedulable: true, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
        status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'PLEG is not healthy' }, { type: 'DiskPressure', status: 'True' }] },
      },
      undefined,
    );
    expect(sick.problems).toEqual([{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'PLEG is not healthy' }, { type: 'DiskPressure', status: 'True' }]);
    expect(sick.taints).toEqual(['node-role.kubernetes.io/control-plane']);
    expect(schedulingBlocks(sick)).toEqual(['notReady', 'cordoned', 'noHandler']);
    expect(schedulingBlocks({ ready: true, unschedulable: false, kubevirtSchedulable: false })).toEqual(['noVms']);
  });

  it('says Ready is unknown when the node reports no Ready condition', () => {
    expect(clusterNode({ metadata: { name: 'x' } }, undefined).problems).toEqual([{ type: 'Ready', status: 'Unknown' }]);
  });
});
