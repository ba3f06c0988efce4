// The parts of a Kubernetes object every list, watch and cache in the portal relies on. The portal's own code
// reads more through the typed KubeVirt selectors (lib/kubevirt); this is what keying and versioning need.

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

// One scope is one list+watch on the API server: a namespace, or '' for all namespaces. Versions are opaque.
export type ResourceVersions = Record<string, string>;
