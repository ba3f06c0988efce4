// Kubernetes Events as KubeVirt's components record them (virt-controller, virt-handler), so `kubectl describe`
// and the portal's event lists show what happened to a VM. Fire and forget: an event that cannot be written is
// not worth failing a reconcile for.
import type { KubeClient, KubeObject } from './client.ts';

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  constructor(
    private readonly kube: KubeClient,
    private readonly component: string,
  ) {}

  /** `kind` is explicit: objects from list responses carry no kind of their own. */
  record(kind: 'VirtualMachine' | 'VirtualMachineInstance', obj: KubeObject, type: EventType, reason: string, message: string) {
    const ns = obj.metadata.namespace ?? 'default';
    const now = new Date().toISOString();
    void this.kube
      .create(`/api/v1/namespaces/${ns}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${obj.metadata.name}.`, namespace: ns },
        involvedObject: { apiVersion: 'kubevirt.io/v1', kind, name: obj.metadata.name, namespace: ns, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
        reason,
        message,
        type,
        source: { component: this.component },
        reportingComponent: this.component,
        reportingInstance: this.component,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      })
      .catch(() => {});
  }
}
