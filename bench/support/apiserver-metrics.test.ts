import { describe, expect, it } from 'vitest';
import { watchCounts, watchDelta } from './apiserver-metrics';

const text = (vmWatches: number) => `# HELP apiserver_longrunning_requests [STABLE] Gauge of all active long-running apiserver requests
# TYPE apiserver_longrunning_requests gauge
apiserver_longrunning_requests{component="apiserver",group="",resource="pods",scope="cluster",subresource="",verb="WATCH",version="v1"} 6
apiserver_longrunning_requests{component="apiserver",group="kubevirt.io",resource="virtualmachines",scope="cluster",subresource="",verb="WATCH",version="v1"} 2
apiserver_longrunning_requests{component="apiserver",group="kubevirt.io",resource="virtualmachines",scope="namespace",subresource="",verb="WATCH",version="v1"} ${vmWatches}
apiserver_longrunning_requests{component="apiserver",group="subresources.kubevirt.io",resource="virtualmachineinstances",scope="namespace",subresource="console",verb="CONNECT",version="v1"} 3
apiserver_registered_watchers{group="kubevirt.io",kind="VirtualMachine",version="v1"} 40
`;

describe('watchCounts', () => {
  it('sums the WATCH gauges by resource over scopes, and nothing else', () => {
    expect(watchCounts(text(5))).toEqual({ total: 13, byResource: { pods: 6, 'virtualmachines.kubevirt.io': 7 } });
  });

  it('reads no watches from a text without the metric', () => {
    expect(watchCounts('up 1\n')).toEqual({ total: 0, byResource: {} });
  });
});

describe('watchDelta', () => {
  it('names only the resources whose watches moved', () => {
    expect(watchDelta(watchCounts(text(9)), watchCounts(text(5)))).toEqual({ 'virtualmachines.kubevirt.io': 4 });
    expect(watchDelta(watchCounts(text(5)), watchCounts(text(5)))).toEqual({});
  });
});
