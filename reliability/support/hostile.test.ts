import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitrarySegment, couldBeName, hostileBody, MAX_BODY_BYTES, TEXT_SEGMENTS } from './hostile';

describe('hostile input', () => {
  it('tells names from what cannot be one', () => {
    expect(couldBeName('team-a')).toBe(true);
    expect(couldBeName('vm.1')).toBe(true);
    for (const s of ['..', 'TEAM-A', 'a'.repeat(300), '😀', 'a\u0000b', '-a', '']) expect(couldBeName(s)).toBe(false);
  });
  it('never offers a segment that could be a name', () => {
    expect(TEXT_SEGMENTS.filter(couldBeName)).toEqual([]);
    for (const s of fc.sample(arbitrarySegment, { seed: 1, numRuns: 300 })) expect(couldBeName(s)).toBe(false);
  });
  it('gives a JSON body its value, and the oversize one more bytes than the portal reads', () => {
    for (const b of fc.sample(hostileBody, { seed: 2, numRuns: 300 })) {
      if (b.json) expect(JSON.stringify(b.json.value)).toBe(JSON.stringify(JSON.parse(b.bytes.toString())));
      if (b.label === 'oversize') expect(Buffer.byteLength(b.bytes)).toBeGreaterThan(MAX_BODY_BYTES);
    }
  });
});
