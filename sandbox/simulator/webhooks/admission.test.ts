import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admissionHandlers,
  admitMigration,
  admitVirtualMachine,
  admitVirtualMachineInstance,
  invalidResponse,
  mutateMigration,
  mutateVirtualMachine,
  mutateVirtualMachineInstance,
  review,
  serveAdmitter,
  webhookConfigurations,
  type AdmissionContext,
  type AdmissionRequest,
  type AdmissionReview,
  type JsonPatchOp,
} from './admission.ts';
import { sandboxClusterConfig } from './cluster-config.ts';
import { cause, type Obj } from './util.ts';
import type { KubeClient } from '../kube/client.ts';

function ctx(over: Partial<AdmissionContext> = {}): AdmissionContext {
  return {
    config: async () => sandboxClusterConfig,
    getVmi: async () => undefined,
    listMigrations: async () => [],
    findInstancetype: async () => undefined,
    findPreference: async () => undefined,
    isKubeVirtServiceAccount: (u) => u === 'system:kubevirt-simulator',
    now: () => '2025-01-01T00:00:00Z',
    uuid: () => '11111111-2222-3333-4444-555555555555',
    ...over,
  };
}

const gvr = (resource: string, version = 'v1') => ({ group: 'kubevirt.io', version, resource });
const request = (resource: string, object: Obj, over: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  uid: 'req-1',
  resource: gvr(resource),
  operation: 'CREATE',
  namespace: 'default',
  userInfo: { username: 'alice' },
  object,
  ...over,
});
const reviewOf = (req: AdmissionRequest): AdmissionReview => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: req });
const patchOf = (r: { patch?: string }): JsonPatchOp[] => JSON.parse(Buffer.from(r.patch ?? '', 'base64').toString('utf8'));

const vm = (spec: Obj = {}): Obj => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm1', namespace: 'default' },
  spec: {
    runStrategy: 'Always',
    template: {
      spec: {
        domain: { devices: { disks: [{ name: 'containerdisk' }] }, resources: { requests: { memory: '128Mi' } } },
        volumes: [{ name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } }],
      },
    },
    ...spec,
  },
});

describe('AdmissionReview responses', () => {
  it('denies with KubeVirt\'s shape: causes joined into the message, 422 Invalid, causes as {reason, message, field}', async () => {
    const v = vm();
    delete v.spec.runStrategy;
    v.spec.template.spec.domain.devices.disks.push({ name: 'data' });
    const out = await review(admitVirtualMachine, reviewOf(request('virtualmachines', v)), ctx());
    expect(out).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'req-1',
        allowed: false,
        status: {
          metadata: {},
          message: "spec.template.spec.domain.devices.disks[1].Name 'data' not found., RunStrategy must be specified",
          reason: 'Invalid',
          details: {
            causes: [
              { reason: 'FieldValueInvalid', message: "spec.template.spec.domain.devices.disks[1].Name 'data' not found.", field: 'spec.template.spec.domain.devices.disks[1].name' },
              { reason: 'FieldValueInvalid', message: 'RunStrategy must be specified', field: 'spec.running' },
            ],
          },
          code: 422,
        },
      },
    });
  });

  it('admits with warnings', async () => {
    const v = vm({ running: true });
    delete v.spec.runStrategy;
    const out = await review(admitVirtualMachine, reviewOf(request('virtualmachines', v, { resource: gvr('virtualmachines', 'v1alpha3') })), ctx());
    expect(out.response).toEqual({ uid: 'req-1', allowed: true, warnings: ['spec.running is deprecated, please use spec.runStrategy instead.'] });
  });

  it('keeps the first ten causes and counts the rest', () => {
    const causes = Array.from({ length: 12 }, (_, i) => cause('FieldValueInvalid', `m${i}`, `f${i}`));
    const r = invalidResponse(causes);
    expect(r.status?.message).toBe('m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, and 2 more validation errors');
    expect(r.status?.details?.causes).toHaveLength(10);
  });

  it('rejects a request for the wrong resource as a plain 400', async () => {
    const out = await admitVirtualMachine(request('virtualmachineinstances', vm()), ctx());
    expect(out).toEqual({ allowed: false, status: { metadata: {}, message: "expect resource to be 'virtualmachines'", code: 400 } });
  });

  it('echoes the review apiVersion and answers nothing without a request', async () => {
    expect(await review(admitVirtualMachine, { apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview' }, ctx())).toEqual({
      apiVersion: 'admission.k8s.io/v1beta1',
      kind: 'AdmissionReview',
    });
  });
});

describe('VM validating webhook with instancetypes', () => {
  it('validates with the resolved instancetype and ignores lookup failures', async () => {
    const v = vm({ instancetype: { name: 'u1.small' } });
    v.spec.template.spec.domain.resources = { requests: { memory: '1Gi' } };
    const withIt = ctx({ findInstancetype: async () => ({ cpu: { guest: 1 }, memory: { guest: '2Gi' } }) });
    const denied = await admitVirtualMachine(request('virtualmachines', v), withIt);
    expect(denied.status?.message).toBe('VM field(s) spec.template.spec.domain.resources.requests.memory conflicts with selected instance type');
    const missing = ctx({ findInstancetype: async () => Promise.reject(new Error('not found')) });
    expect((await admitVirtualMachine(request('virtualmachines', v), missing)).allowed).toBe(true);
  });
});

describe('VMI webhooks', () => {
  const vmi = (): Obj => ({
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name: 'vm1', namespace: 'default' },
    spec: {
      domain: { devices: { disks: [{ name: 'containerdisk', disk: { bus: 'virtio' } }] }, resources: { requests: { memory: '128Mi' } } },
      volumes: [{ name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } }],
    },
  });

  it('the mutator attaches the pod network with masquerade and sets KubeVirt\'s defaults', async () => {
    const out = await mutateVirtualMachineInstance(request('virtualmachineinstances', vmi()), ctx());
    expect(out.allowed).toBe(true);
    expect(out.patchType).toBe('JSONPatch');
    const ops = patchOf(out);
    expect(ops.map((o) => [o.op, o.path])).toEqual([
      ['replace', '/spec'],
      ['replace', '/metadata'],
      ['add', '/status'],
    ]);
    const spec = ops[0]?.value as Obj;
    expect(spec.domain.devices.interfaces).toEqual([{ name: 'default', masquerade: {} }]);
    expect(spec.networks).toEqual([{ name: 'default', pod: {} }]);
    expect(spec.architecture).toBe('amd64');
    expect(spec.domain.machine).toEqual({ type: 'q35' });
    expect(spec.domain.cpu).toMatchObject({ sockets: 1, cores: 1, threads: 1, model: 'host-model', maxSockets: 4 });
    expect(spec.domain.memory).toEqual({ guest: '128Mi' });
    expect(spec.domain.firmware).toEqual({ uuid: '11111111-2222-3333-4444-555555555555' });
    expect(spec.domain.devices.disks).toEqual([{ name: 'containerdisk', disk: { bus: 'virtio' } }]);
    expect(spec.volumes[0].containerDisk.imagePullPolicy).toBe('IfNotPresent');
    expect((ops[1]?.value as Obj).finalizers).toEqual(['foregroundDeleteVirtualMachine']);
    expect(ops[2]?.value).toMatchObject({
      phase: 'Pending',
      phaseTransitionTimestamps: [{ phase: 'Pending', phaseTransitionTimestamp: '2025-01-01T00:00:00Z' }],
      runtimeUser: 107,
      currentCPUTopology: { sockets: 1, cores: 1, threads: 1 },
    });
  });

  it('the mutator leaves explicit interfaces alone', async () => {
    const v = vmi();
    v.spec.domain.devices.interfaces = [{ name: 'sec', bridge: {} }];
    v.spec.networks = [{ name: 'sec', multus: { networkName: 'vlan10' } }];
    const spec = patchOf(await mutateVirtualMachineInstance(request('virtualmachineinstances', v), ctx()))[0]?.value as Obj;
    expect(spec.domain.devices.interfaces).toEqual([{ name: 'sec', bridge: {} }]);
    expect(spec.networks).toEqual([{ name: 'sec', multus: { networkName: 'vlan10' } }]);
  });

  it('the mutator reverts status changes from users other than KubeVirt', async () => {
    const old = { ...vmi(), status: { phase: 'Running' } };
    const changed = { ...vmi(), status: { phase: 'Failed' } };
    const byUser = await mutateVirtualMachineInstance(request('virtualmachineinstances', changed, { operation: 'UPDATE', oldObject: old }), ctx());
    expect(patchOf(byUser)).toEqual([{ op: 'replace', path: '/status', value: { phase: 'Running' } }]);
    const bySimulator = await mutateVirtualMachineInstance(
      request('virtualmachineinstances', changed, { operation: 'UPDATE', oldObject: old, userInfo: { username: 'system:kubevirt-simulator' } }),
      ctx(),
    );
    expect(bySimulator).toEqual({ allowed: true });
  });

  it('the validator admits the mutated VMI and denies a broken one', async () => {
    const v = vmi();
    const [specOp, metaOp, statusOp] = patchOf(await mutateVirtualMachineInstance(request('virtualmachineinstances', v), ctx()));
    const mutated: Obj = { ...v, spec: specOp?.value, metadata: metaOp?.value, status: statusOp?.value };
    expect(await admitVirtualMachineInstance(request('virtualmachineinstances', mutated), ctx())).toEqual({ allowed: true });
    mutated.spec.domain.devices.disks.push({ name: 'ghost' });
    const denied = await admitVirtualMachineInstance(request('virtualmachineinstances', mutated), ctx());
    expect(denied.status?.message).toBe("spec.domain.devices.disks[1].Name 'ghost' not found.");
  });
});

describe('VM mutating webhook', () => {
  it('sets the firmware UUID on create and the VM defaults', async () => {
    const v = vm({ instancetype: { name: 'u1.small' }, preference: { name: 'fedora' } });
    const out = await mutateVirtualMachine(request('virtualmachines', v), ctx({ findPreference: async () => ({ machine: { preferredMachineType: 'pc-q35-rhel9.4.0' } }) }));
    const spec = patchOf(out)[0]?.value as Obj;
    expect(spec.instancetype).toEqual({ name: 'u1.small', kind: 'virtualmachineclusterinstancetype' });
    expect(spec.preference).toEqual({ name: 'fedora', kind: 'virtualmachineclusterpreference' });
    expect(spec.template.spec.domain.firmware).toEqual({ uuid: '11111111-2222-3333-4444-555555555555' });
    expect(spec.template.spec.domain.machine).toEqual({ type: 'pc-q35-rhel9.4.0' });
    expect(spec.template.spec.architecture).toBe('amd64');
  });

  it('does not touch the firmware UUID on update', async () => {
    const out = await mutateVirtualMachine(request('virtualmachines', vm(), { operation: 'UPDATE', oldObject: vm() }), ctx());
    expect((patchOf(out)[0]?.value as Obj).template.spec.domain.firmware).toBeUndefined();
  });

  it('validates the instancetype matcher', async () => {
    const out = await mutateVirtualMachine(request('virtualmachines', vm({ instancetype: { kind: 'VirtualMachineClusterInstancetype' } })), ctx());
    expect(out.status).toEqual({
      metadata: {},
      message: 'Either Name or InferFromVolume should be provided within the InstancetypeMatcher',
      reason: 'Invalid',
      details: { causes: [{ reason: 'FieldValueNotFound', message: 'Either Name or InferFromVolume should be provided within the InstancetypeMatcher', field: 'spec.instancetype' }] },
      code: 422,
    });
    const renamed = vm({ instancetype: { name: 'u1.large', revisionName: 'rev-1' } });
    const old = vm({ instancetype: { name: 'u1.small', revisionName: 'rev-1' } });
    const upd = await mutateVirtualMachine(request('virtualmachines', renamed, { operation: 'UPDATE', oldObject: old }), ctx());
    expect(upd.status?.message).toBe('the Matcher Name has been updated without updating the RevisionName');
  });
});

describe('migration webhooks', () => {
  const mig = (spec: Obj = { vmiName: 'vm1' }): Obj => ({
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstanceMigration',
    metadata: { generateName: 'kubevirt-migrate-vm-', namespace: 'default' },
    spec,
  });

  it('the mutator labels the migration and adds the finalizer', async () => {
    const out = await mutateMigration(request('virtualmachineinstancemigrations', mig()), ctx());
    expect(out.allowed).toBe(true);
    expect(patchOf(out)).toEqual([
      {
        op: 'replace',
        path: '/metadata',
        value: {
          generateName: 'kubevirt-migrate-vm-',
          namespace: 'default',
          labels: { 'kubevirt.io/vmi-name': 'vm1' },
          finalizers: ['kubevirt.io/migrationJobFinalize'],
        },
      },
    ]);
  });

  it('the validator reports a missing VMI, a non-migratable VMI and an in-flight migration as 400s', async () => {
    const missing = await admitMigration(request('virtualmachineinstancemigrations', mig()), ctx());
    expect(missing).toEqual({ allowed: false, status: { metadata: {}, message: 'the VMI "default/vm1" does not exist', code: 400 } });

    const notMigratable = ctx({
      getVmi: async () => ({ status: { phase: 'Running', conditions: [{ type: 'LiveMigratable', status: 'False', reason: 'InterfaceNotLiveMigratable', message: 'nope' }] } }),
    });
    expect((await admitMigration(request('virtualmachineinstancemigrations', mig()), notMigratable)).status?.message).toBe(
      'Cannot migrate VMI, Reason: InterfaceNotLiveMigratable, Message: nope',
    );

    const busy = ctx({
      getVmi: async () => ({ status: { phase: 'Running' } }),
      listMigrations: async () => [{ metadata: { uid: 'uid-7', labels: { 'kubevirt.io/vmi-name': 'vm1' } }, spec: { vmiName: 'vm1' }, status: { phase: 'Scheduling' } }],
    });
    expect((await admitMigration(request('virtualmachineinstancemigrations', mig()), busy)).status?.message).toBe(
      'in-flight migration detected. Active migration job (uid-7) is currently already in progress for VMI vm1.',
    );
  });

  it('the validator denies a migration without vmiName as Invalid', async () => {
    const out = await admitMigration(request('virtualmachineinstancemigrations', mig({})), ctx());
    expect(out.status).toMatchObject({ message: 'vmiName is missing', reason: 'Invalid', code: 422 });
  });
});

describe('HTTP handling', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const stubKube = {
      get: async () => ({ items: [] }),
      find: async () => undefined,
    } as unknown as KubeClient;
    const handlers = admissionHandlers(stubKube);
    const admit = serveAdmitter(admitVirtualMachine, ctx());
    server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const h = path === '/direct' ? admit : handlers[path];
      if (h) void h(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('serves every KubeVirt path', async () => {
    const stubKube = { get: async () => ({ items: [] }), find: async () => undefined } as unknown as KubeClient;
    expect(Object.keys(admissionHandlers(stubKube)).sort()).toEqual([
      '/migration-mutate-create',
      '/migration-validate-create',
      '/virtualmachineinstances-mutate',
      '/virtualmachineinstances-validate',
      '/virtualmachineinstances-validate-create',
      '/virtualmachines-mutate',
      '/virtualmachines-validate',
    ]);
  });

  it('answers an AdmissionReview with JSON', async () => {
    const res = await post('/direct', JSON.stringify(reviewOf(request('virtualmachines', vm()))));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'req-1', allowed: true } });
  });

  it('answers 400 without a body for a non-JSON request', async () => {
    const res = await post('/direct', 'x: y', 'application/yaml');
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('');
  });

  it('runs the migration mutator through admissionHandlers', async () => {
    const res = await post('/migration-mutate-create', JSON.stringify(reviewOf(request('virtualmachineinstancemigrations', { metadata: { name: 'm' }, spec: { vmiName: 'x' } }))));
    const body = (await res.json()) as AdmissionReview;
    expect(body.response?.patchType).toBe('JSONPatch');
  });
});

describe('webhookConfigurations', () => {
  const [validating, mutating] = webhookConfigurations('Q0E=', 'https://127.0.0.1:8443/') as Obj[];

  it('names the configurations and webhooks as virt-operator does', () => {
    expect(validating).toMatchObject({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'virt-api-validator' } });
    expect(mutating).toMatchObject({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'virt-api-mutator' } });
    expect(validating?.webhooks.map((w: Obj) => [w.name, w.clientConfig.url, w.rules[0].operations, w.rules[0].resources[0]])).toEqual([
      ['virtualmachineinstances-create-validator.kubevirt.io', 'https://127.0.0.1:8443/virtualmachineinstances-validate-create', ['CREATE'], 'virtualmachineinstances'],
      ['virtualmachine-validator.kubevirt.io', 'https://127.0.0.1:8443/virtualmachines-validate', ['CREATE', 'UPDATE'], 'virtualmachines'],
      ['migration-create-validator.kubevirt.io', 'https://127.0.0.1:8443/migration-validate-create', ['CREATE'], 'virtualmachineinstancemigrations'],
    ]);
    expect(mutating?.webhooks.map((w: Obj) => [w.name, w.clientConfig.url, w.rules[0].operations])).toEqual([
      ['virtualmachines-mutator.kubevirt.io', 'https://127.0.0.1:8443/virtualmachines-mutate', ['CREATE', 'UPDATE']],
      ['virtualmachineinstances-mutator.kubevirt.io', 'https://127.0.0.1:8443/virtualmachineinstances-mutate', ['CREATE', 'UPDATE']],
      ['migrations-mutator.kubevirt.io', 'https://127.0.0.1:8443/migration-mutate-create', ['CREATE']],
    ]);
  });

  it('configures every webhook with the CA bundle, Fail, no side effects, v1 reviews and both API versions', () => {
    for (const w of [...validating?.webhooks, ...mutating?.webhooks] as Obj[]) {
      expect(w.clientConfig.caBundle).toBe('Q0E=');
      expect(w.failurePolicy).toBe('Fail');
      expect(w.sideEffects).toBe('None');
      expect(w.admissionReviewVersions[0]).toBe('v1');
      expect(w.rules[0].apiGroups).toEqual(['kubevirt.io']);
      expect(w.rules[0].apiVersions).toEqual(['v1', 'v1alpha3']);
      expect(w.clientConfig.service).toBeUndefined();
    }
  });
});
