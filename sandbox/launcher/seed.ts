// What a fresh sandbox holds: KubeVirt's, CDI's, Multus' and CSI snapshot CRDs, KubeVirt's cluster roles, the
// storage classes, the team namespaces with quotas and bindings, and KubeVirt's installation. Applied with
// server-side apply on every `up`, so it converges and never duplicates.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { Binaries } from './build.ts';
import { paths, ports, sandboxSrc } from './paths.ts';
import { pki } from './pki.ts';
import { sriovResource } from '../simulator/nodes/fleet.ts';

export interface Team {
  name: string;
  editorsGroup: string;
  /** The team's own VLAN on the lab bridge (and VLAN + 100 for its SR-IOV network): its secondary networks. */
  vlan?: number;
}

export const teams: Team[] = [
  { name: 'team-a', editorsGroup: 'team-a', vlan: 101 },
  { name: 'team-b', editorsGroup: 'team-b', vlan: 102 },
];
export const viewersGroup = 'viewers';

const group = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name });
const binding = (ns: string, name: string, role: string, subject: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [group(subject)],
});

export function teamObjects(t: Team): object[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: t.name, labels: { 'portal.kubevirt.io/team': t.name, 'pod-security.kubernetes.io/enforce': 'privileged' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'team-quota', namespace: t.name },
      spec: {
        hard: {
          'requests.cpu': '16',
          'requests.memory': '32Gi',
          'requests.storage': '500Gi',
          persistentvolumeclaims: '20',
          'count/virtualmachines.kubevirt.io': '20',
        },
      },
    },
    binding(t.name, `${t.editorsGroup}-kubevirt-edit`, 'kubevirt.io:edit', t.editorsGroup),
    binding(t.name, `${t.editorsGroup}-edit`, 'edit', t.editorsGroup),
    binding(t.name, `${viewersGroup}-kubevirt-view`, 'kubevirt.io:view', viewersGroup),
    binding(t.name, `${viewersGroup}-view`, 'view', viewersGroup),
    ...(t.vlan ? teamNetworks(t.name, t.vlan) : []),
  ];
}

/** A team's NetworkAttachmentDefinitions: a bridge VLAN and an SR-IOV network, each with its own address range. */
function teamNetworks(ns: string, vlan: number): object[] {
  const nad = (name: string, config: object, annotations: Record<string, string> = {}) => ({
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name, namespace: ns, annotations },
    spec: { config: JSON.stringify({ cniVersion: '0.3.1', name, ...config }) },
  });
  return [
    nad('lab', { type: 'bridge', bridge: 'br-lab', vlan, ipam: { type: 'whereabouts', range: `10.${vlan}.0.0/24` } }),
    nad(
      'fast',
      { type: 'sriov', vlan: vlan + 100, ipam: { type: 'whereabouts', range: `10.${vlan + 100}.0.0/24` } },
      { 'k8s.v1.cni.cncf.io/resourceName': sriovResource },
    ),
  ];
}

/** virt-api's two APIServices, trusting the sandbox CA that signed its serving certificate. */
export function apiServices(): object[] {
  const caBundle = readFileSync(pki.caCert).toString('base64');
  return ['v1', 'v1alpha3'].map((version) => ({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `${version}.subresources.kubevirt.io`, labels: { 'kubevirt.io': 'virt-api' } },
    spec: {
      group: 'subresources.kubevirt.io',
      version,
      groupPriorityMinimum: 1000,
      versionPriority: 15,
      service: { namespace: 'kubevirt', name: 'virt-api', port: ports.virtApi },
      caBundle,
    },
  }));
}

export function kubectl(bin: Binaries, args: string[], input?: string): string {
  return execFileSync(bin.kubectl, ['--kubeconfig', paths.adminKubeconfig, ...args], {
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

const apply = (bin: Binaries, args: string[], input?: string) =>
  kubectl(bin, ['apply', '--server-side', '--force-conflicts', '--field-manager=sandbox-seed', ...args], input);

const manifests = join(sandboxSrc, 'manifests');

export function seed(bin: Binaries) {
  apply(bin, ['-f', join(manifests, 'crds')]);
  kubectl(bin, ['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  apply(bin, ['-f', join(manifests, 'rbac')]);
  apply(bin, ['-f', join(manifests, 'seed')]);
  const generated = [...teams.flatMap(teamObjects), ...apiServices()];
  apply(bin, ['-f', '-'], generated.map((o) => YAML.stringify(o)).join('---\n'));
}
