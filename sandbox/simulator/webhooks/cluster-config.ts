// The parts of KubeVirt's cluster configuration (KubeVirt CR spec.configuration, read by virt-config's ClusterConfig)
// the admission rules and defaults depend on, with KubeVirt v1.6's defaults for everything left unset.
import { isObj, type Obj } from './util.ts';

export interface ClusterConfig {
  /** network.defaultNetworkInterface; KubeVirt's default is "bridge". */
  defaultNetworkInterface: string;
  /** network.permitBridgeInterfaceOnPodNetwork; default true. */
  permitBridgeInterfaceOnPodNetwork: boolean;
  /** developerConfiguration.featureGates. */
  featureGates: string[];
  /** vmRolloutStrategy; unset means LiveUpdate in 1.6. */
  liveUpdate: boolean;
  /** The default architecture (virt-api's runtime arch). */
  architecture: string;
  /** architectureConfiguration.<arch>.machineType; q35 for amd64. */
  machineType: string;
  /** architectureConfiguration.<arch>.emulatedMachines (glob patterns). */
  emulatedMachines: string[];
  /** developerConfiguration.memoryOvercommit (percent); default 100. */
  memoryOvercommit: number;
  /** liveUpdateConfiguration.maxHotplugRatio; default 4. */
  maxHotplugRatio: number;
  /** liveUpdateConfiguration.maxCpuSockets (0 = unset). */
  maxCpuSockets: number;
  /** liveUpdateConfiguration.maxGuest (unset = undefined). */
  maxGuest?: string;
  /** cpuModel; "" means host-model. */
  cpuModel: string;
  /** evictionStrategy; KubeVirt's default is None. */
  evictionStrategy: string;
  /** Whether the Root feature gate is on (otherwise VMIs run as the non-root user 107). */
  root: boolean;
  /** developerConfiguration.useEmulation: guests run without /dev/kvm (launcher pods then ask for no kvm device). */
  useEmulation: boolean;
}

export const defaultClusterConfig: ClusterConfig = {
  defaultNetworkInterface: 'bridge',
  permitBridgeInterfaceOnPodNetwork: true,
  featureGates: [],
  liveUpdate: true,
  architecture: 'amd64',
  machineType: 'q35',
  emulatedMachines: ['q35*', 'pc-q35*'],
  memoryOvercommit: 100,
  maxHotplugRatio: 4,
  maxCpuSockets: 0,
  cpuModel: '',
  evictionStrategy: 'None',
  root: false,
  useEmulation: false,
};

const knownInterfaces = new Set(['bridge', 'masquerade', 'slirp']);

/** ClusterConfig from a KubeVirt CR (or its spec.configuration), falling back to KubeVirt's defaults. */
export function clusterConfigFromKubeVirt(kv: unknown): ClusterConfig {
  const spec: Obj = isObj(kv) && isObj(kv.spec) ? kv.spec : {};
  const cfg: Obj = isObj(spec.configuration) ? spec.configuration : isObj(kv) && !('spec' in kv) ? kv : {};
  const net: Obj = isObj(cfg.network) ? cfg.network : {};
  const dev: Obj = isObj(cfg.developerConfiguration) ? cfg.developerConfiguration : {};
  const live: Obj = isObj(cfg.liveUpdateConfiguration) ? cfg.liveUpdateConfiguration : {};
  const arch = defaultClusterConfig.architecture;
  const archCfg: Obj = isObj(cfg.architectureConfiguration) && isObj(cfg.architectureConfiguration[arch]) ? cfg.architectureConfiguration[arch] : {};
  const gates = Array.isArray(dev.featureGates) ? dev.featureGates.filter((g: unknown): g is string => typeof g === 'string') : [];
  const iface = typeof net.defaultNetworkInterface === 'string' && knownInterfaces.has(net.defaultNetworkInterface) ? net.defaultNetworkInterface : 'bridge';
  return {
    defaultNetworkInterface: iface,
    permitBridgeInterfaceOnPodNetwork: typeof net.permitBridgeInterfaceOnPodNetwork === 'boolean' ? net.permitBridgeInterfaceOnPodNetwork : true,
    featureGates: gates,
    liveUpdate: cfg.vmRolloutStrategy === undefined || cfg.vmRolloutStrategy === null || cfg.vmRolloutStrategy === 'LiveUpdate',
    architecture: arch,
    machineType: typeof archCfg.machineType === 'string' && archCfg.machineType ? archCfg.machineType : defaultClusterConfig.machineType,
    emulatedMachines:
      Array.isArray(archCfg.emulatedMachines) && archCfg.emulatedMachines.length ? archCfg.emulatedMachines : defaultClusterConfig.emulatedMachines,
    memoryOvercommit: typeof dev.memoryOvercommit === 'number' && dev.memoryOvercommit > 0 ? dev.memoryOvercommit : 100,
    maxHotplugRatio: typeof live.maxHotplugRatio === 'number' && live.maxHotplugRatio > 0 ? live.maxHotplugRatio : 4,
    maxCpuSockets: typeof live.maxCpuSockets === 'number' ? live.maxCpuSockets : 0,
    ...(typeof live.maxGuest === 'string' ? { maxGuest: live.maxGuest } : {}),
    cpuModel: typeof cfg.cpuModel === 'string' ? cfg.cpuModel : '',
    evictionStrategy: typeof cfg.evictionStrategy === 'string' ? cfg.evictionStrategy : 'None',
    root: gates.includes('Root'),
    useEmulation: dev.useEmulation === true,
  };
}

/** The cluster's KubeVirt configuration as the API server has it now (the sandbox's own when none can be read). */
export async function readClusterConfig(kube: { get<T>(path: string): Promise<T> }): Promise<ClusterConfig> {
  try {
    const list = await kube.get<{ items?: unknown[] }>('/apis/kubevirt.io/v1/kubevirts');
    return list.items?.[0] ? clusterConfigFromKubeVirt(list.items[0]) : sandboxClusterConfig;
  } catch {
    return sandboxClusterConfig;
  }
}

/** The sandbox's KubeVirt CR (sandbox/manifests/seed/30-kubevirt.yaml) as a ClusterConfig. */
export const sandboxClusterConfig: ClusterConfig = clusterConfigFromKubeVirt({
  spec: {
    configuration: {
      developerConfiguration: {
        featureGates: ['Snapshot', 'VMExport', 'HotplugVolumes', 'DeclarativeHotplugVolumes', 'ExpandDisks', 'VMLiveUpdateFeatures', 'DataVolumes'],
        useEmulation: true,
      },
      vmRolloutStrategy: 'LiveUpdate',
      network: { defaultNetworkInterface: 'masquerade' },
    },
  },
});

export const featureGateEnabled = (cfg: ClusterConfig, gate: string) => cfg.featureGates.includes(gate);
