import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readUpTo, urlOf } from './transport';
import type { Connection } from './kubeconfig';

const body = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as IncomingMessage;

describe('readUpTo', () => {
  it('reads a body within the cap whole', async () => {
    const r = await readUpTo(body('{"a":', '1}'), 7);
    expect(r).toEqual({ bytes: Buffer.from('{"a":1}'), whole: true });
  });

  it('stops at the cap, says so, and does not read the rest', async () => {
    const res = body('abcd', 'efgh', 'ijkl');
    const r = await readUpTo(res, 6);
    expect(r.bytes.toString()).toBe('abcdef');
    expect(r.whole).toBe(false);
    expect(res.destroyed).toBe(true);
  });
});

describe('urlOf', () => {
  it('adds the set query parameters to the path, escaped, and leaves out the empty ones', () => {
    const conn = { server: 'https://api.example:6443' } as Connection;
    const url = urlOf(conn, { path: '/api/v1/namespaces/a/configmaps', query: { labelSelector: 'a=b,c', limit: 5, continue: '', watch: undefined } });
    expect(url.toString()).toBe('https://api.example:6443/api/v1/namespaces/a/configmaps?labelSelector=a%3Db%2Cc&limit=5');
  });
});
