// VirtualMachine manifests the sandbox's tests and the portal's end-to-end specs create (no imports, no side
// effects, so either can use them).

/** A minimal VirtualMachine in KubeVirt's documented shape. */
export function vmManifest(name: string, namespace: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace },
    spec: {
      runStrategy: 'Halted',
      template: {
        metadata: { labels: { 'kubevirt.io/vm': name } },
        spec: {
          domain: {
            devices: { disks: [{ name: 'containerdisk', disk: { bus: 'virtio' } }] },
            resources: { requests: { memory: '128Mi' } },
          },
          volumes: [{ name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } }],
        },
      },
      ...extra,
    },
  };
}

/** KubeVirt's documentation example in shape: a container-disk VM with a cloud-init disk and the pod network. */
export function docExampleVm(name: string, namespace: string, runStrategy = 'Always', userData = '#cloud-config\nhostname: ' + name + '\n') {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace, labels: { 'kubevirt.io/os': 'linux' } as Record<string, string> },
    spec: {
      runStrategy,
      template: {
        metadata: { labels: { 'kubevirt.io/size': 'small', 'kubevirt.io/domain': name } },
        spec: {
          domain: {
            cpu: { cores: 1 },
            devices: {
              disks: [
                { name: 'containerdisk', disk: { bus: 'virtio' } },
                { name: 'cloudinitdisk', disk: { bus: 'virtio' } },
              ],
              interfaces: [{ name: 'default', masquerade: {} }],
            },
            resources: { requests: { memory: '128Mi' } },
          },
          networks: [{ name: 'default', pod: {} }],
          volumes: [
            { name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } },
            { name: 'cloudinitdisk', cloudInitNoCloud: { userData } },
          ],
        },
      },
    },
  };
}
