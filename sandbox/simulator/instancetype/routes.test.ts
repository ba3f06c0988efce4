import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type KubeClient } from '../kube/client.ts';
import { sandboxClusterConfig } from '../webhooks/cluster-config.ts';
import type { Obj } from '../webhooks/util.ts';
import { expandSpecRoutes } from './routes.ts';
import { validateVirtualMachineSchema } from './schema.ts';

const reviews: Obj[] = [];
let allow = true;

/**
 * A KubeClient whose GETs are answered from a map, with the API server's 404 Status for anything else, and whose
 * SubjectAccessReviews are recorded and answered with `allow`.
 */
function fakeKube(objects: Record<string, Obj>): KubeClient {
  return {
    async create(path: string, body: Obj) {
      if (!path.endsWith('/subjectaccessreviews')) throw new Error(`unexpected POST ${path}`);
      reviews.push(body);
      return allow ? { status: { allowed: true } } : { status: { allowed: false, reason: 'no RBAC policy matched' } };
    },
    async get(path: string) {
      const obj = objects[path];
      if (obj) return structuredClone(obj);
      const m = /^\/apis\/([^/]+)\/[^/]+\/(?:namespaces\/[^/]+\/)?([^/]+)\/([^/]+)$/.exec(path);
      const message = m ? `${m[2]}.${m[1]} "${m[3]}" not found` : 'the server could not find the requested resource';
      throw new ApiError(404, JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: 'NotFound', code: 404 }), `GET ${path}`);
    },
  } as unknown as KubeClient;
}

const vmPath = '/apis/kubevirt.io/v1/namespaces/default/virtualmachines';
const it1 = '/apis/instancetype.kubevirt.io/v1beta1';

const vm = (name: string, spec: Obj = {}, domain: Obj = { devices: { disks: [{ name: 'containerdisk' }] } }): Obj => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name, namespace: 'default' },
  spec: {
    runStrategy: 'Halted',
    template: { spec: { domain, volumes: [{ name: 'containerdisk', containerDisk: { image: 'quay.io/containerdisks/tinylinux:1.0' } }] } },
    ...spec,
  },
});

const objects: Record<string, Obj> = {
  [`${vmPath}/plain`]: vm('plain', {}, { devices: { disks: [{ name: 'containerdisk' }] }, resources: { requests: { memory: '128Mi' } } }),
  [`${vmPath}/small`]: vm('small', { instancetype: { name: 'u1.small' }, preference: { name: 'tinylinux' } }),
  [`${vmPath}/ns-it`]: vm('ns-it', { instancetype: { name: 'tiny', kind: 'VirtualMachineInstancetype' } }),
  [`${vmPath}/missing-it`]: vm('missing-it', { instancetype: { name: 'u1.huge' } }),
  [`${vmPath}/conflict`]: vm('conflict', { instancetype: { name: 'u1.small' } }, { cpu: { sockets: 2 }, devices: { disks: [{ name: 'containerdisk' }] } }),
  [`${vmPath}/oddkind`]: vm('oddkind', { preference: { name: 'x', kind: 'Flavour' } }),
  [`${vmPath}/revision`]: vm('revision', { instancetype: { name: 'u1.small', revisionName: 'small-u1.small-abc-1' } }),
  [`${it1}/virtualmachineclusterinstancetypes/u1.small`]: { metadata: { name: 'u1.small' }, spec: { cpu: { guest: 1 }, memory: { guest: '2Gi' } } },
  [`${it1}/namespaces/default/virtualmachineinstancetypes/tiny`]: { metadata: { name: 'tiny' }, spec: { cpu: { guest: 2 }, memory: { guest: '256Mi' } } },
  [`${it1}/virtualmachineclusterpreferences/tinylinux`]: { metadata: { name: 'tinylinux' }, spec: { devices: { preferredDiskBus: 'virtio', preferredInterfaceModel: 'virtio' } } },
  ['/apis/apps/v1/namespaces/default/controllerrevisions/small-u1.small-abc-1']: {
    metadata: { name: 'small-u1.small-abc-1' },
    data: { apiVersion: 'instancetype.kubevirt.io/v1beta1', kind: 'VirtualMachineClusterInstancetype', spec: { cpu: { guest: 4 }, memory: { guest: '1Gi' } } },
  },
};

let server: http.Server;
let base: string;

beforeAll(async () => {
  const route = expandSpecRoutes(fakeKube(objects), { config: async () => sandboxClusterConfig });
  server = http.createServer((req, res) => {
    void Promise.resolve(route(req, res, { user: 'alice', groups: ['system:authenticated'], extra: {} })).then((handled) => {
      if (!handled) res.writeHead(418).end('unhandled');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/apis/subresources.kubevirt.io`;
});
afterAll(() => server.close());

const getSpec = (name: string, version = 'v1') => fetch(`${base}/${version}/namespaces/default/virtualmachines/${name}/expand-spec`);
const putSpec = (body: string, ns = 'default') => fetch(`${base}/v1/namespaces/${ns}/expand-vm-spec`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });

describe('GET virtualmachines/{name}/expand-spec', () => {
  it('returns the expanded VM', async () => {
    const res = await getSpec('small');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Obj;
    expect(body.spec.instancetype).toBeUndefined();
    expect(body.spec.preference).toBeUndefined();
    expect(body.spec.template.spec.domain.cpu).toEqual({ cores: 1, sockets: 1, threads: 1 });
    expect(body.spec.template.spec.domain.memory).toEqual({ guest: '2Gi' });
    expect(body.spec.template.spec.domain.devices.disks).toEqual([{ name: 'containerdisk', disk: { bus: 'virtio' } }]);
    expect(body.spec.template.spec.domain.devices.interfaces).toEqual([{ name: 'default', masquerade: {}, model: 'virtio' }]);
  });

  it('serves v1alpha3 too and returns a VM without matchers unchanged', async () => {
    const res = await getSpec('plain', 'v1alpha3');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(objects[`${vmPath}/plain`]);
  });

  it('resolves namespaced instancetypes and ControllerRevisions', async () => {
    expect(((await (await getSpec('ns-it')).json()) as Obj).spec.template.spec.domain.cpu).toEqual({ cores: 1, sockets: 2, threads: 1 });
    expect(((await (await getSpec('revision')).json()) as Obj).spec.template.spec.domain.cpu).toEqual({ cores: 1, sockets: 4, threads: 1 });
  });

  it('answers 404 for a missing VM', async () => {
    const res = await getSpec('nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'virtualmachine.kubevirt.io "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'kubevirt.io', kind: 'virtualmachine' },
      code: 404,
    });
  });

  it('answers 500 when the instancetype is missing or conflicts', async () => {
    const missing = await getSpec('missing-it');
    expect(missing.status).toBe(500);
    expect(await missing.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Internal error occurred: virtualmachineclusterinstancetypes.instancetype.kubevirt.io "u1.huge" not found',
      reason: 'InternalError',
      details: { causes: [{ message: 'virtualmachineclusterinstancetypes.instancetype.kubevirt.io "u1.huge" not found' }] },
      code: 500,
    });
    const conflict = (await (await getSpec('conflict')).json()) as Obj;
    expect(conflict.message).toBe('Internal error occurred: VM field(s) spec.template.spec.domain.cpu.sockets conflicts with selected instance type');
    const odd = (await (await getSpec('oddkind')).json()) as Obj;
    expect(odd.message).toBe('Internal error occurred: got unexpected kind in PreferenceMatcher: Flavour');
  });

  it('leaves other paths to other routes', async () => {
    const res = await fetch(`${base}/v1/namespaces/default/virtualmachines/small/start`, { method: 'PUT' });
    expect(res.status).toBe(418);
  });
});

describe('PUT namespaces/{ns}/expand-vm-spec', () => {
  it('expands the VM in the body into the request namespace', async () => {
    const body = vm('inline', { instancetype: { name: 'u1.small' } });
    delete body.metadata.namespace;
    const res = await putSpec(JSON.stringify(body));
    expect(res.status).toBe(200);
    const out = (await res.json()) as Obj;
    expect(out.metadata).toEqual({ name: 'inline', namespace: 'default' });
    expect(out.spec.template.spec.domain.memory).toEqual({ guest: '2Gi' });
  });

  it('rejects bodies that are not JSON objects', async () => {
    const empty = await putSpec('');
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ reason: 'BadRequest', code: 400, message: 'Can not unmarshal Request body to struct, error: unexpected end of JSON input' });
    const list = (await (await putSpec('[]')).json()) as Obj;
    expect(list.message).toBe('Can not unmarshal Request body to struct, error: json: cannot unmarshal array into Go value of type map[string]interface {}');
  });

  it('rejects an invalid VirtualMachine with the schema errors as causes', async () => {
    const res = await putSpec(JSON.stringify({ metadata: { name: 'x' }, very: 1, spec: { template: { spec: { 'not-a-domain': {} } } } }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Object is not a valid VirtualMachine',
      reason: 'BadRequest',
      details: {
        causes: [
          { message: '.very in body is a forbidden property' },
          { message: 'spec.template.spec.not-a-domain in body is a forbidden property' },
          { message: 'spec.template.spec.domain in body is required' },
        ],
      },
      code: 400,
    });
  });

  it('rejects a VM from another namespace', async () => {
    const res = await putSpec(JSON.stringify(vm('x', { instancetype: { name: 'u1.small' } })), 'other');
    expect(res.status).toBe(400);
    expect(((await res.json()) as Obj).message).toBe('VM namespace must be empty or other');
  });

  it('answers 400 for expansion failures', async () => {
    const res = await putSpec(JSON.stringify(vm('x', { instancetype: { name: 'u1.huge' } })));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ reason: 'BadRequest', message: 'virtualmachineclusterinstancetypes.instancetype.kubevirt.io "u1.huge" not found' });
  });
});

describe('authorization', () => {
  it('asks a SubjectAccessReview like virt-api: expand-spec as a VM subresource, expand-vm-spec as a resource', async () => {
    reviews.length = 0;
    await getSpec('plain');
    await putSpec(JSON.stringify(vm('x')));
    expect(reviews.map((r) => r.spec.resourceAttributes)).toEqual([
      { namespace: 'default', verb: 'get', group: 'subresources.kubevirt.io', version: 'v1', resource: 'virtualmachines', subresource: 'expand-spec', name: 'plain' },
      { namespace: 'default', verb: 'update', group: 'subresources.kubevirt.io', version: 'v1', resource: 'expand-vm-spec', subresource: '', name: '' },
    ]);
    expect(reviews[0]?.spec.user).toBe('alice');
  });

  it('answers a denial with 401 and the reason as plain text', async () => {
    allow = false;
    try {
      const res = await getSpec('plain');
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('no RBAC policy matched');
    } finally {
      allow = true;
    }
  });

  it('answers 405 for the wrong method after authorizing', async () => {
    const res = await fetch(`${base}/v1/namespaces/default/virtualmachines/plain/expand-spec`, { method: 'PUT' });
    expect(res.status).toBe(405);
  });
});

describe('validateVirtualMachineSchema', () => {
  it('requires spec and checks types', () => {
    expect(validateVirtualMachineSchema({ metadata: {} })).toEqual(['spec in body is required']);
    expect(validateVirtualMachineSchema({ spec: { runStrategy: 1, template: { spec: { domain: { devices: { disks: [{}] } } } } } })).toEqual([
      'spec.runStrategy in body must be of type string: "integer"',
      'spec.template.spec.domain.devices.disks.0.name in body is required',
    ]);
  });
});
