// API paths of KubeVirt's objects. Segments are escaped because virt-api builds them from request URLs, where a
// name is whatever the client sent; for the valid names the controllers use, escaping changes nothing.
const kubevirtPath = (ns: string, plural: string, name: string) =>
  `/apis/kubevirt.io/v1/namespaces/${encodeURIComponent(ns)}/${plural}${name ? `/${encodeURIComponent(name)}` : ''}`;

/** A VM's path, or the namespace's collection without a name. */
export const vmPath = (ns: string, name = '') => kubevirtPath(ns, 'virtualmachines', name);
/** A VMI's path, or the namespace's collection without a name. */
export const vmiPath = (ns: string, name = '') => kubevirtPath(ns, 'virtualmachineinstances', name);
