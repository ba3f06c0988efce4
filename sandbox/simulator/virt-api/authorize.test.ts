import { describe, expect, it } from 'vitest';
import { ApiError } from '../kube/client.ts';
import { accessReviewFor, authorize, rbacVerb } from './authorize.ts';
import { FakeKube } from './fake-kube.test-helper.ts';
import { parseSubresourcePath } from './request.ts';
import type { Caller } from './server.ts';

const caller: Caller = { user: 'alice', groups: ['dev', 'system:authenticated'], extra: { scopes: ['a'] } };
const path = (p: string) => parseSubresourcePath(`/apis/subresources.kubevirt.io/${p}`)!;

describe('rbacVerb', () => {
  it('maps HTTP methods like mapHttpVerbToRbacVerb', () => {
    expect(rbacVerb('GET', 'x')).toBe('get');
    expect(rbacVerb('HEAD', 'x')).toBe('get');
    expect(rbacVerb('GET', '')).toBe('list');
    expect(rbacVerb('PUT', 'x')).toBe('update');
    expect(rbacVerb('POST', 'x')).toBe('create');
    expect(rbacVerb('PATCH', 'x')).toBe('patch');
    expect(rbacVerb('DELETE', 'x')).toBe('delete');
    expect(rbacVerb('DELETE', '')).toBe('deletecollection');
    expect(rbacVerb('OPTIONS', 'x')).toBeUndefined();
  });
});

describe('accessReviewFor', () => {
  it('builds the SubjectAccessReview virt-api sends', () => {
    expect(accessReviewFor(caller, 'PUT', path('v1/namespaces/ns1/virtualmachines/vm1/start'))).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: 'alice',
        groups: ['dev', 'system:authenticated'],
        extra: { scopes: ['a'] },
        resourceAttributes: {
          namespace: 'ns1',
          verb: 'update',
          group: 'subresources.kubevirt.io',
          version: 'v1',
          resource: 'virtualmachines',
          subresource: 'start',
          name: 'vm1',
        },
      },
    });
  });

  it('authorizes vnc/screenshot as get on the vnc subresource, with the version from the path', () => {
    const r = accessReviewFor(caller, 'GET', path('v1alpha3/namespaces/ns/virtualmachineinstances/v/vnc/screenshot'));
    expect('spec' in r && r.spec.resourceAttributes).toMatchObject({ verb: 'get', subresource: 'vnc', version: 'v1alpha3', resource: 'virtualmachineinstances' });
  });

  it('refuses without groups or with an unknown method', () => {
    expect(accessReviewFor({ ...caller, groups: [] }, 'GET', path('v1/namespaces/ns/virtualmachineinstances/v/console'))).toEqual({
      error: 'a valid group header is required for authorization',
    });
    expect(accessReviewFor(caller, 'TRACE', path('v1/namespaces/ns/virtualmachineinstances/v/console'))).toEqual({
      error: 'unknown http verb in request: TRACE',
    });
  });
});

describe('authorize', () => {
  const p = path('v1/namespaces/ns/virtualmachines/vm/stop');

  it('allows what the review allows', async () => {
    const kube = new FakeKube();
    expect(await authorize(kube, caller, 'PUT', p)).toEqual({ allowed: true });
    expect(kube.calls[0]).toMatchObject({ method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews' });
  });

  it('denies with 401 and the review reason', async () => {
    const kube = new FakeKube();
    kube.review = () => ({ status: { allowed: false, reason: 'no RBAC policy matched' } });
    expect(await authorize(kube, caller, 'PUT', p)).toEqual({ allowed: false, code: 401, reason: 'no RBAC policy matched' });
    kube.review = () => ({ status: { allowed: false } });
    expect(await authorize(kube, caller, 'PUT', p)).toEqual({ allowed: false, code: 401, reason: '' });
  });

  it('answers 500 when the review fails', async () => {
    const kube = new FakeKube();
    kube.failures.set('POST /apis/authorization.k8s.io', new ApiError(503, 'down', 'x'));
    expect(await authorize(kube, caller, 'PUT', p)).toEqual({ allowed: false, code: 500, reason: '' });
  });
});
