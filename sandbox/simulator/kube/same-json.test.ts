import { describe, expect, it } from 'vitest';
import { sameJson } from './same-json.ts';

describe('sameJson', () => {
  it('ignores the order of object keys, as the API server sorts them', () => {
    const built = { conditions: [{ type: 'Ready', status: 'False', reason: 'VMINotExists' }], printableStatus: 'Stopped' };
    const read = { printableStatus: 'Stopped', conditions: [{ reason: 'VMINotExists', status: 'False', type: 'Ready' }] };
    expect(JSON.stringify(built) === JSON.stringify(read)).toBe(false);
    expect(sameJson(built, read)).toBe(true);
  });

  it('treats keys holding undefined as absent, and sees a changed value or list order', () => {
    expect(sameJson({ a: 1, created: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson([{ name: 'a' }, { name: 'b' }], [{ name: 'b' }, { name: 'a' }])).toBe(false);
    expect(sameJson(undefined, {})).toBe(false);
    expect(sameJson(undefined, undefined)).toBe(true);
  });
});
