// GET /api/namespaces: the namespaces the user may work in (lib/k8s/namespaces.ts), and whether they may list VMs
// cluster-wide.
export interface NamespacesResponse {
  namespaces: string[];
  clusterWide: boolean;
}
