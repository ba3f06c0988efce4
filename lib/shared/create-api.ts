import { z } from 'zod';
import { namespaceName } from './names';

// The wire contract of the create flow: GET /api/create/options (what the wizard offers in one namespace) and
// POST /api/vms/create (a wizard form or YAML manifests; dry run or for real; its body's schema is
// lib/kubevirt/create/request.ts, beside the form model it carries).

export interface DataSourceOption {
  namespace: string;
  name: string;
  // The OS the image carries (the DataSource's default-preference label), for the card's title.
  os?: string;
  // The size of the claim behind it, as a quantity, when the user may read it.
  size?: string;
  ready: boolean;
}

export interface InstancetypeOption {
  name: string; // u1.medium
  series: string; // u1
  size: string; // medium
  cpu: number;
  memory: string;
  displayName?: string;
  description?: string;
}

export interface PreferenceOption {
  name: string;
  displayName?: string;
}

export interface StorageClassOption {
  name: string;
  isDefault: boolean;
  provisioner: string;
  description?: string;
  // From CDI's StorageProfile (status.claimPropertySets); empty when the profile does not say.
  accessModes: string[];
  volumeModes: string[];
  // A VolumeSnapshotClass exists for the class's driver.
  snapshots: boolean;
  expansion: boolean;
  bindingMode: string;
}

export interface NetworkOption {
  namespace: string;
  name: string;
  // The CNI type from the NAD's config: bridge, sriov, macvlan...
  type: string;
  vlan?: number;
}

export interface PvcOption {
  namespace: string;
  name: string;
  size?: string;
  storageClass?: string;
  volumeMode?: string;
}

export interface QuotaOption {
  name: string;
  hard: Record<string, string>;
  used: Record<string, string>;
}

export interface CreateOptions {
  namespace: string;
  // The namespaces where the user may create VirtualMachines (SelfSubjectAccessReview), for the picker.
  namespaces: string[];
  dataSources: DataSourceOption[];
  instancetypes: InstancetypeOption[];
  preferences: PreferenceOption[];
  storageClasses: StorageClassOption[];
  networks: NetworkOption[];
  pvcs: PvcOption[];
  quotas: QuotaOption[];
  // VM names already taken in the namespace.
  vmNames: string[];
  // Any part the user may not read is left empty and named here, so the page can say why.
  unavailable: string[];
}

export const createOptionsQuery = z.object({ namespace: namespaceName.optional() });

// A problem the form can place: `field` is a dotted path into the form model (name, rootDisk.size,
// cloudInit.userData, networks.1.binding) or, for YAML, "manifests.<i>" with a YAML path and a line when known.
export interface CreateProblem {
  field?: string;
  message: string;
  line?: number;
  // Values the translated message names (a size, a limit, a storage class); never text the user pasted.
  params?: Record<string, string | number>;
}

export interface CreatedObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface CreateResponse {
  dryRun: boolean;
  // What was (or, on a dry run, would be) created, in order.
  objects: CreatedObject[];
  // The manifests as the builders made them, for the review step and for download.
  manifests: Record<string, unknown>[];
  vm: { namespace: string; name: string };
}

// A refused create answers with the portal's error shape; details.problems holds CreateProblem[].
export interface CreateErrorDetails {
  problems?: CreateProblem[];
}
