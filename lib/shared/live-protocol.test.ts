import { describe, expect, it } from 'vitest';
import { parseServerMessage, sseFrame, subscriptionsRequest } from './live-protocol';

const streamId = 'AbCdEfGhIjKlMnOpQrStUv';

describe('subscription requests', () => {
  it('accepts subscribe and unsubscribe ops and deduplicates namespaces', () => {
    const r = subscriptionsRequest.parse({
      streamId,
      ops: [
        { op: 'subscribe', id: 's1.0', resource: 'virtualmachines', namespaces: ['team-b', 'team-a', 'team-b'], rv: { 'team-a': '10', 'team-b': '' } },
        { op: 'subscribe', id: 's2.0', resource: 'events', namespaces: ['team-a'], fieldSelector: 'involvedObject.name=vm-1' },
        { op: 'unsubscribe', id: 's0.3' },
      ],
    });
    expect(r.ops[0]).toMatchObject({ namespaces: ['team-a', 'team-b'] });
    expect(r.ops[1]).toMatchObject({ rv: {}, namespaces: ['team-a'] });
  });

  it.each([
    ['an unknown resource', { op: 'subscribe', id: 'a', resource: 'secrets' }],
    ['a namespace that is not DNS-1123', { op: 'subscribe', id: 'a', resource: 'events', namespaces: ['Team_A'] }],
    ['a path in a namespace', { op: 'subscribe', id: 'a', resource: 'events', namespaces: ['../kube-system'] }],
    ['a field selector the portal does not use', { op: 'subscribe', id: 'a', resource: 'events', fieldSelector: 'spec.nodeName=x' }],
    ['a label selector smuggled in', { op: 'subscribe', id: 'a', resource: 'events', labelSelector: 'a=b' }],
    ['a scope that is not a namespace', { op: 'subscribe', id: 'a', resource: 'events', rv: { 'a/b': '1' } }],
    ['a resourceVersion with a query in it', { op: 'subscribe', id: 'a', resource: 'events', rv: { a: '1&watch=0' } }],
    ['a bad id', { op: 'unsubscribe', id: 'a b' }],
    ['an unknown op', { op: 'replace', id: 'a' }],
  ])('refuses %s', (_what, op) => {
    expect(subscriptionsRequest.safeParse({ streamId, ops: [op] }).success).toBe(false);
  });

  it('bounds the counts: namespaces, scopes and ops per request', () => {
    const many = Array.from({ length: 501 }, (_, i) => `ns-${i}`);
    expect(subscriptionsRequest.safeParse({ streamId, ops: [{ op: 'subscribe', id: 'a', resource: 'events', namespaces: many }] }).success).toBe(false);
    expect(subscriptionsRequest.safeParse({ streamId, ops: [{ op: 'subscribe', id: 'a', resource: 'events', rv: Object.fromEntries(many.map((n) => [n, '1'])) }] }).success).toBe(false);
    expect(subscriptionsRequest.safeParse({ streamId, ops: Array.from({ length: 65 }, (_, i) => ({ op: 'unsubscribe', id: `s${i}` })) }).success).toBe(false);
    expect(subscriptionsRequest.safeParse({ streamId, ops: [] }).success).toBe(false);
    expect(subscriptionsRequest.safeParse({ streamId: 'short', ops: [{ op: 'unsubscribe', id: 'a' }] }).success).toBe(false);
  });
});

describe('server messages', () => {
  it('round-trip through an SSE frame', () => {
    const ev = { type: 'MODIFIED' as const, sub: 's1.0', scope: 'team-a', object: { metadata: { name: 'x', namespace: 'team-a' } } };
    const frame = sseFrame(ev);
    expect(frame.endsWith('\n\n')).toBe(true);
    expect(parseServerMessage(frame.slice('data: '.length, -2))).toEqual(ev);
    expect(parseServerMessage(JSON.stringify({ type: 'HELLO', streamId }))).toEqual({ type: 'HELLO', streamId });
    expect(parseServerMessage(JSON.stringify({ type: 'END', error: { code: 'too_slow', message: 'x' }, relist: true }))).toMatchObject({ relist: true });
  });

  it('refuses what is not a message of the protocol', () => {
    expect(parseServerMessage('not json')).toBeUndefined();
    expect(parseServerMessage(JSON.stringify({ type: 'ADDED', sub: 's', scope: 'a', object: { name: 'no metadata' } }))).toBeUndefined();
    expect(parseServerMessage(JSON.stringify({ type: 'ERROR', sub: 's', scope: 'a', error: { code: 'x', message: 'y' } }))).toBeUndefined();
    expect(parseServerMessage(JSON.stringify({ type: 'SURPRISE' }))).toBeUndefined();
  });
});
