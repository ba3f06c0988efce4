// virt-api's admission webhooks: AdmissionReview v1 in and out, on KubeVirt's paths, answering the way KubeVirt's
// admitters do (pkg/util/webhooks ToAdmissionResponse / ToAdmissionResponseError, validating-webhooks.Serve), plus
// the Validating/MutatingWebhookConfiguration objects that point the API server at them
// (pkg/virt-operator/resource/generate/components/webhooks.go).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeClient } from '../kube/client.ts';
import { vmiPath } from '../kubevirt/paths.ts';
import { sendJson, type AdmissionHandlers } from '../virt-api/server.ts';
import { findInstancetypeSpec, findPreferenceSpec, apiErrorMessage } from '../instancetype/find.ts';
import type { InstancetypeSpec, PreferenceSpec } from '../instancetype/expand.ts';
import { readClusterConfig, type ClusterConfig } from './cluster-config.ts';
import { defaultNewVmi, setVirtualMachineDefaults } from './defaults.ts';
import { arr, CauseType, cause, clone, isObj, toWireCause, type Obj, type StatusCause } from './util.ts';
import { validateMigration, validateVirtualMachine, validateVirtualMachineInstance, type RuleResult } from './vm-rules.ts';

// ---------------------------------------------------------------------------------------------------------------
// AdmissionReview shapes

export interface AdmissionRequest {
  uid: string;
  kind?: { group: string; version: string; kind: string };
  resource?: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  userInfo?: { username?: string; groups?: string[] };
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
}

export interface AdmissionReview {
  apiVersion?: string;
  kind?: string;
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

/** The JSON of a metav1.Status inside an AdmissionResponse (Go emits the empty ListMeta as "metadata": {}). */
export interface AdmissionStatus {
  metadata: Record<string, never>;
  message?: string;
  reason?: string;
  details?: { causes: { reason?: string; message?: string; field?: string }[] };
  code?: number;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  /** base64 of the JSON patch. */
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
}

type ResponseBody = Omit<AdmissionResponse, 'uid'>;

/** webhookutils.ToAdmissionResponse: 422 Invalid, the first ten causes joined with ", " into the message. */
export function invalidResponse(causes: StatusCause[]): ResponseBody {
  const shown = causes.slice(0, 10);
  let message = shown.map((c) => c.message).join(', ');
  if (causes.length > 10) message = `${message}, and ${causes.length - 10} more validation errors`;
  return { allowed: false, status: { metadata: {}, message, reason: 'Invalid', details: { causes: shown.map(toWireCause) }, code: 422 } };
}

/** webhookutils.ToAdmissionResponseError: 400, the error text as the message, no reason or details. */
export function errorResponse(message: string, code = 400): ResponseBody {
  return { allowed: false, status: { metadata: {}, message, code } };
}

/** A rule set's verdict as an AdmissionResponse. */
export function ruleResponse(result: RuleResult): ResponseBody {
  if (result.error !== undefined) return errorResponse(result.error);
  if (result.causes.length) return invalidResponse(result.causes);
  return { allowed: true, ...(result.warnings.length ? { warnings: result.warnings } : {}) };
}

export function patchResponse(ops: JsonPatchOp[], warnings: string[] = []): ResponseBody {
  if (!ops.length) return { allowed: true, ...(warnings.length ? { warnings } : {}) };
  return {
    allowed: true,
    patch: Buffer.from(JSON.stringify(ops)).toString('base64'),
    patchType: 'JSONPatch',
    ...(warnings.length ? { warnings } : {}),
  };
}

/** `replace` of a top-level member, or `add` when the object lacks it (a JSON patch replace needs the target). */
const setMember = (obj: Obj, key: string, value: unknown): JsonPatchOp => ({ op: key in obj ? 'replace' : 'add', path: `/${key}`, value });

// ---------------------------------------------------------------------------------------------------------------
// The admitters

/** What the admitters need from the cluster; admissionHandlers() builds it from a KubeClient, tests stub it. */
export interface AdmissionContext {
  config(): Promise<ClusterConfig>;
  /** The VMI, or undefined when it does not exist (other failures throw). */
  getVmi(namespace: string, name: string): Promise<object | undefined>;
  /** Migrations in the namespace labelled kubevirt.io/vmi-name=<vmiName>. */
  listMigrations(namespace: string, vmiName: string): Promise<object[]>;
  /** Throws when the referenced object cannot be found; the VM admitters ignore such failures, like KubeVirt. */
  findInstancetype(vm: object): Promise<InstancetypeSpec | undefined>;
  findPreference(vm: object): Promise<PreferenceSpec | undefined>;
  /** Requesters that may write VMI status and reserved labels (KubeVirt's service accounts; the simulator). */
  isKubeVirtServiceAccount(username: string): boolean;
  now?: () => string;
  uuid?: () => string;
}

export type Admitter = (request: AdmissionRequest, ctx: AdmissionContext) => Promise<ResponseBody>;

const supportedVersions = ['v1', 'v1alpha3'];

function resourceIs(request: AdmissionRequest, resource: string): boolean {
  const r = request.resource;
  return !!r && r.group === 'kubevirt.io' && r.resource === resource && supportedVersions.includes(r.version);
}

const wrongResource = (resource: string) => errorResponse(`expect resource to be '${resource}'`);
const objectOf = (request: AdmissionRequest): Obj => (isObj(request.object) ? clone(request.object) : {});
const ignoreFailure = async <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);

/** virtualmachine-validator.kubevirt.io (VMsAdmitter). */
export const admitVirtualMachine: Admitter = async (request, ctx) => {
  if (!resourceIs(request, 'virtualmachines')) return wrongResource('virtualmachines');
  const vm = objectOf(request);
  if (vm.metadata?.deletionTimestamp) return { allowed: true };
  const [config, instancetype, preference] = await Promise.all([ctx.config(), ignoreFailure(ctx.findInstancetype(vm)), ignoreFailure(ctx.findPreference(vm))]);
  return ruleResponse(
    validateVirtualMachine(vm, {
      config,
      operation: request.operation === 'UPDATE' ? 'UPDATE' : 'CREATE',
      ...(instancetype ? { instancetype } : {}),
      ...(preference ? { preference } : {}),
      isKubeVirtServiceAccount: ctx.isKubeVirtServiceAccount(request.userInfo?.username ?? ''),
    }),
  );
};

/** virtualmachineinstances-create-validator.kubevirt.io (VMICreateAdmitter). */
export const admitVirtualMachineInstance: Admitter = async (request, ctx) => {
  if (!resourceIs(request, 'virtualmachineinstances')) return wrongResource('virtualmachineinstances');
  const config = await ctx.config();
  return ruleResponse(validateVirtualMachineInstance(objectOf(request), { config, isKubeVirtServiceAccount: ctx.isKubeVirtServiceAccount(request.userInfo?.username ?? '') }));
};

/** migration-create-validator.kubevirt.io (MigrationCreateAdmitter). */
export const admitMigration: Admitter = async (request, ctx) => {
  if (!resourceIs(request, 'virtualmachineinstancemigrations')) {
    return errorResponse("expect resource to be 'kubevirt.io/v1, Resource=virtualmachineinstancemigrations'");
  }
  const migration = objectOf(request);
  const ns: string = migration.metadata?.namespace ?? request.namespace ?? '';
  migration.metadata = { ...migration.metadata, namespace: ns };
  const vmiName: string = migration.spec?.vmiName ?? '';
  const config = await ctx.config();
  if (!vmiName) return ruleResponse(validateMigration(migration, undefined, [], { config }));
  let vmi: object | undefined;
  let existing: object[];
  try {
    vmi = await ctx.getVmi(ns, vmiName);
    existing = vmi ? await ctx.listMigrations(ns, vmiName) : [];
  } catch (e) {
    return errorResponse(apiErrorMessage(e));
  }
  return ruleResponse(validateMigration(migration, vmi, existing, { config }));
};

/** migrations-mutator.kubevirt.io (MigrationCreateMutator): the vmi-name label and the migration finalizer. */
export const mutateMigration: Admitter = async (request) => {
  if (!resourceIs(request, 'virtualmachineinstancemigrations')) return wrongResource('virtualmachineinstancemigrations');
  const migration = objectOf(request);
  const metadata: Obj = isObj(migration.metadata) ? clone(migration.metadata) : {};
  metadata.labels = { ...(isObj(metadata.labels) ? metadata.labels : {}), 'kubevirt.io/vmi-name': migration.spec?.vmiName ?? '' };
  metadata.finalizers = [...arr<string>(metadata.finalizers), 'kubevirt.io/migrationJobFinalize'];
  return patchResponse([{ op: 'replace', path: '/metadata', value: metadata }]);
};

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isObj(a) || !isObj(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
}

/**
 * virtualmachineinstances-mutator.kubevirt.io (VMIsMutator). On create: KubeVirt's VMI defaults (notably the pod
 * network with the cluster's default binding when the VMI has no interfaces and no networks), the
 * foregroundDeleteVirtualMachine finalizer, phase Pending and the non-root runtime user. On update: a status change
 * from anyone but KubeVirt's own service accounts is reverted.
 */
export const mutateVirtualMachineInstance: Admitter = async (request, ctx) => {
  if (!resourceIs(request, 'virtualmachineinstances')) return wrongResource('virtualmachineinstances');
  const vmi = objectOf(request);
  if (request.operation === 'CREATE') {
    const config = await ctx.config();
    const defaulted = clone(vmi);
    const err = defaultNewVmi(config, defaulted, { ...(ctx.now ? { now: ctx.now } : {}), ...(ctx.uuid ? { uuid: ctx.uuid } : {}) });
    if (err) return errorResponse(err);
    return patchResponse([setMember(vmi, 'spec', defaulted.spec), setMember(vmi, 'metadata', defaulted.metadata), setMember(vmi, 'status', defaulted.status)]);
  }
  if (request.operation === 'UPDATE') {
    const old: Obj = isObj(request.oldObject) ? request.oldObject : {};
    if (!deepEqual(vmi.status ?? {}, old.status ?? {}) && !ctx.isKubeVirtServiceAccount(request.userInfo?.username ?? '')) {
      return patchResponse([setMember(vmi, 'status', old.status ?? {})]);
    }
  }
  return { allowed: true };
};

function validateMatcher(vm: Obj, which: 'instancetype' | 'preference'): StatusCause[] {
  const m = vm.spec?.[which];
  if (!isObj(m)) return [];
  const label = which === 'instancetype' ? 'InstancetypeMatcher' : 'PreferenceMatcher';
  const causes: StatusCause[] = [];
  if (!m.name && !m.inferFromVolume) causes.push(cause(CauseType.notFound, `Either Name or InferFromVolume should be provided within the ${label}`, `spec.${which}`));
  if (m.inferFromVolume) {
    if (m.name) causes.push(cause(CauseType.notFound, `Name should not be provided when InferFromVolume is used within the ${label}`, `spec.${which}.name`));
    if (m.kind) causes.push(cause(CauseType.notFound, `Kind should not be provided when InferFromVolume is used within the ${label}`, `spec.${which}.kind`));
  }
  const policy = m.inferFromVolumeFailurePolicy;
  if (policy !== undefined && policy !== 'Ignore' && policy !== 'Reject') {
    causes.push(cause(CauseType.invalid, `Invalid value '${policy}' for InferFromVolumeFailurePolicy`, `spec.${which}.inferFromVolumeFailurePolicy`));
  }
  return causes;
}

function validateMatcherUpdate(vm: Obj, old: Obj, which: 'instancetype' | 'preference'): StatusCause[] {
  const m = vm.spec?.[which];
  const o = old.spec?.[which];
  if (!isObj(m) || !isObj(o) || !o.revisionName) return [];
  if (!deepEqual(m, o) && m.name !== o.name && m.revisionName === o.revisionName) {
    return [cause(CauseType.invalid, 'the Matcher Name has been updated without updating the RevisionName', `spec.${which}.revisionName`)];
  }
  return [];
}

/**
 * virtualmachines-mutator.kubevirt.io (VMsMutator): matcher checks, a firmware UUID on create, and the VM defaults
 * (matcher kinds, architecture, machine type, the preference's storage class).
 */
export const mutateVirtualMachine: Admitter = async (request, ctx) => {
  if (!resourceIs(request, 'virtualmachines')) return wrongResource('virtualmachines');
  const vm = objectOf(request);
  if (vm.metadata?.deletionTimestamp) return { allowed: true };
  if (request.operation === 'UPDATE' && isObj(request.oldObject)) {
    const causes = [...validateMatcherUpdate(vm, request.oldObject, 'instancetype'), ...validateMatcherUpdate(vm, request.oldObject, 'preference')];
    if (causes.length) return invalidResponse(causes);
  }
  const matcherCauses = validateMatcher(vm, 'instancetype');
  if (matcherCauses.length) return invalidResponse(matcherCauses);
  const prefCauses = validateMatcher(vm, 'preference');
  if (prefCauses.length) return invalidResponse(prefCauses);

  const mutated = clone(vm);
  mutated.spec ??= {};
  if (request.operation === 'CREATE' && isObj(mutated.spec.template)) {
    mutated.spec.template.spec ??= {};
    mutated.spec.template.spec.domain ??= {};
    mutated.spec.template.spec.domain.firmware ??= {};
    if (!mutated.spec.template.spec.domain.firmware.uuid) mutated.spec.template.spec.domain.firmware.uuid = (ctx.uuid ?? randomUUID)();
  }
  const [config, preference] = await Promise.all([ctx.config(), ignoreFailure(ctx.findPreference(vm))]);
  setVirtualMachineDefaults(config, mutated, preference as Obj | undefined);
  return patchResponse([setMember(vm, 'spec', mutated.spec), setMember(vm, 'metadata', mutated.metadata ?? {})]);
};

/** KubeVirt's webhook paths (components/webhooks.go) and their admitters. */
export const admitters: Record<string, Admitter> = {
  '/virtualmachines-validate': admitVirtualMachine,
  '/virtualmachineinstances-validate-create': admitVirtualMachineInstance,
  '/migration-validate-create': admitMigration,
  '/virtualmachines-mutate': mutateVirtualMachine,
  '/virtualmachineinstances-mutate': mutateVirtualMachineInstance,
  '/migration-mutate-create': mutateMigration,
};

/** Runs an admitter on an AdmissionReview and wraps the answer the way validating-webhooks.Serve does. */
export async function review(admitter: Admitter, body: AdmissionReview, ctx: AdmissionContext): Promise<AdmissionReview> {
  const request = body.request;
  const out: AdmissionReview = { apiVersion: body.apiVersion ?? 'admission.k8s.io/v1', kind: 'AdmissionReview' };
  if (!request) return out;
  const response = await admitter(request, ctx);
  out.response = { uid: request.uid, ...response };
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** An HTTP handler for one admitter: 400 with no body for a non-JSON request, like GetAdmissionReview. */
export function serveAdmitter(admitter: Admitter, ctx: AdmissionContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const text = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0]?.trim();
    let body: AdmissionReview;
    try {
      if (contentType !== 'application/json') throw new Error(`contentType=${contentType}, expect application/json`);
      body = JSON.parse(text) as AdmissionReview;
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    sendJson(res, 200, await review(admitter, body, ctx));
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Wiring

export interface AdmissionOptions {
  /** Usernames allowed to write VMI status and reserved labels, besides KubeVirt's service accounts in `kubevirt`. */
  trustedUsers?: string[];
  /** How long the KubeVirt CR's configuration is cached (ms). */
  configTtlMs?: number;
}

const kubevirtServiceAccounts = ['kubevirt-apiserver', 'kubevirt-controller', 'kubevirt-handler', 'kubevirt-synchronization-controller'].map(
  (sa) => `system:serviceaccount:kubevirt:${sa}`,
);

/** The AdmissionContext backed by the API server. */
export function kubeAdmissionContext(kube: KubeClient, opts: AdmissionOptions = {}): AdmissionContext {
  const trusted = new Set([...kubevirtServiceAccounts, 'system:kubevirt-simulator', ...(opts.trustedUsers ?? [])]);
  const ttl = opts.configTtlMs ?? 5000;
  let cached: { at: number; config: ClusterConfig } | undefined;
  return {
    async config() {
      if (cached && Date.now() - cached.at < ttl) return cached.config;
      cached = { at: Date.now(), config: await readClusterConfig(kube) };
      return cached.config;
    },
    getVmi: (ns, name) => kube.find(vmiPath(ns, name)),
    async listMigrations(ns, vmiName) {
      const selector = encodeURIComponent(`kubevirt.io/vmi-name in (${vmiName})`);
      const list = await kube.get<{ items?: object[] }>(`/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstancemigrations?labelSelector=${selector}`);
      return list.items ?? [];
    },
    findInstancetype: (vm) => findInstancetypeSpec(kube, vm),
    findPreference: (vm) => findPreferenceSpec(kube, vm),
    isKubeVirtServiceAccount: (username) => trusted.has(username),
  };
}

/**
 * The admission webhooks to serve on virt-api's HTTPS server, by path. `/virtualmachineinstances-validate` is an
 * alias of KubeVirt's `/virtualmachineinstances-validate-create`.
 */
export function admissionHandlers(kube: KubeClient, opts: AdmissionOptions = {}): AdmissionHandlers {
  const ctx = kubeAdmissionContext(kube, opts);
  const handlers: AdmissionHandlers = {};
  for (const [path, admitter] of Object.entries(admitters)) handlers[path] = serveAdmitter(admitter, ctx);
  handlers['/virtualmachineinstances-validate'] = serveAdmitter(admitVirtualMachineInstance, ctx);
  return handlers;
}

interface WebhookSpec {
  name: string;
  path: string;
  operations: string[];
  resource: string;
}

const validatingWebhooks: WebhookSpec[] = [
  { name: 'virtualmachineinstances-create-validator.kubevirt.io', path: '/virtualmachineinstances-validate-create', operations: ['CREATE'], resource: 'virtualmachineinstances' },
  { name: 'virtualmachine-validator.kubevirt.io', path: '/virtualmachines-validate', operations: ['CREATE', 'UPDATE'], resource: 'virtualmachines' },
  { name: 'migration-create-validator.kubevirt.io', path: '/migration-validate-create', operations: ['CREATE'], resource: 'virtualmachineinstancemigrations' },
];

const mutatingWebhooks: WebhookSpec[] = [
  { name: 'virtualmachines-mutator.kubevirt.io', path: '/virtualmachines-mutate', operations: ['CREATE', 'UPDATE'], resource: 'virtualmachines' },
  { name: 'virtualmachineinstances-mutator.kubevirt.io', path: '/virtualmachineinstances-mutate', operations: ['CREATE', 'UPDATE'], resource: 'virtualmachineinstances' },
  { name: 'migrations-mutator.kubevirt.io', path: '/migration-mutate-create', operations: ['CREATE'], resource: 'virtualmachineinstancemigrations' },
];

/**
 * virt-operator's virt-api-validator and virt-api-mutator configurations, pointing at `baseUrl` (the simulator's
 * virt-api, e.g. https://127.0.0.1:8443) by URL: a webhook cannot go through an ExternalName service.
 */
export function webhookConfigurations(caBundleBase64: string, baseUrl: string): object[] {
  const base = baseUrl.replace(/\/+$/, '');
  const webhook = (w: WebhookSpec) => ({
    name: w.name,
    admissionReviewVersions: ['v1', 'v1beta1'],
    clientConfig: { url: `${base}${w.path}`, caBundle: caBundleBase64 },
    failurePolicy: 'Fail',
    matchPolicy: 'Equivalent',
    sideEffects: 'None',
    timeoutSeconds: 10,
    namespaceSelector: {},
    objectSelector: {},
    rules: [{ operations: w.operations, apiGroups: ['kubevirt.io'], apiVersions: ['v1', 'v1alpha3'], resources: [w.resource], scope: '*' }],
  });
  const metadata = (name: string) => ({ name, labels: { 'kubevirt.io': name, 'app.kubernetes.io/managed-by': 'virt-operator' } });
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: metadata('virt-api-validator'),
      webhooks: validatingWebhooks.map(webhook),
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: metadata('virt-api-mutator'),
      webhooks: mutatingWebhooks.map((w) => ({ ...webhook(w), reinvocationPolicy: 'Never' })),
    },
  ];
}
